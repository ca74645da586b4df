"""Wordings of the figures a bulletin states: at least 8 per kind of claim.

`{v}` is the figure the claim records; `{m}` a prior count and `{r}` a prior rate (each a
claim of its own); `{dir}` a direction word, `{unit}` 月 or 季度, `{base}` the base of a
share. A claim's `phrasing` is "<pool>.<index>".
"""

from __future__ import annotations

POOLS: dict[str, tuple[str, ...]] = {
    "received": (
        "共受理群众诉求{v}件",
        "受理群众诉求{v}件",
        "累计接收工单{v}件",
        "共接收市级交办工单事项{v}件",
        "共登记来电来信{v}件",
        "共接听并转办群众来电{v}件",
        "受理各类工单{v}件",
        "转办工单总量达{v}件",
        "共办理群众反映事项{v}件",
        "累计受理诉求{v}件",
    ),
    "mail_received": (
        "受理市民来信{v}件",
        "共收到群众来信{v}件",
        "收到留言{v}件",
        "共受理信件{v}件",
        "共接收网民留言{v}件",
        "累计受理来信{v}件",
        "交办信件{v}件",
        "收到市民留言{v}件",
    ),
    "completed": (
        "实际办结{v}件",
        "已办结{v}件",
        "办结{v}件",
        "办理完毕{v}件",
        "已完成办理{v}件",
        "其中办结{v}件",
        "累计办结{v}件",
        "已答复办结{v}件",
        "办结工单{v}件",
    ),
    "completed_on_time": (
        "按期办结{v}件",
        "按时办结{v}件",
        "在规定时限内办结{v}件",
        "按期完成{v}件",
        "限时办结{v}件",
        "如期办结{v}件",
        "在时限内办结{v}件",
        "按期答复办结{v}件",
    ),
    "rate_completed": (
        "办结率{v}",
        "总体办结率{v}",
        "办结率为{v}",
        "办结率达{v}",
        "办结率达到{v}",
        "综合办结率为{v}",
        "整体办结率{v}",
        "工单办结率为{v}",
    ),
    "rate_completed_on_time": (
        "按期办结率{v}",
        "按期办结率为{v}",
        "按时办结率达{v}",
        "按期办结率达到{v}",
        "及时办结率为{v}",
        "按期办结比例为{v}",
        "限时办结率{v}",
        "按期办结率达{v}",
    ),
    "rate_satisfaction": (
        "满意率{v}",
        "群众满意率为{v}",
        "回访满意率达{v}",
        "满意率达到{v}",
        "综合满意率{v}",
        "市民满意率为{v}",
        "回访满意率为{v}",
        "群众满意率达{v}",
    ),
    "growth_mom": (
        "环比{dir}{v}",
        "较上{unit}{dir}{v}",
        "比上{unit}{dir}{v}",
        "与上{unit}相比{dir}{v}",
        "较上{unit}（{m}件）{dir}{v}",
        "环比{dir}{v}（上{unit}{m}件）",
        "比上{unit}的{m}件{dir}{v}",
    ),
    "growth_yoy": (
        "同比{dir}{v}",
        "较去年同期{dir}{v}",
        "比去年同期{dir}{v}",
        "比去年同期的{m}件{dir}{v}",
        "同比{dir}{v}（去年同期{m}件）",
    ),
    "points_mom": (
        "较上{unit}{dir}{v}个百分点",
        "环比{dir}{v}个百分点",
        "比上{unit}{dir}{v}个百分点",
        "较上{unit}（{r}）{dir}{v}个百分点",
        "与上{unit}相比{dir}{v}个百分点",
        "环比{dir}{v}个百分点（上{unit}为{r}）",
    ),
    "points_yoy": (
        "同比{dir}{v}个百分点",
        "较去年同期{dir}{v}个百分点",
        "较去年同期的{r}{dir}{v}个百分点",
    ),
    "share": (
        "占比{v}",
        "总量占比{v}",
        "占{base}的{v}",
        "占比为{v}",
        "所占比重为{v}",
        "在{base}中占{v}",
        "占{base}{v}",
        "占到{base}的{v}",
        "比重达{v}",
    ),
    "cat_count": (
        "共受理{v}件",
        "受理{v}件",
        "反映{v}件",
        "涉及诉求{v}件",
        "共{v}件",
        "累计{v}件",
        "接到相关诉求{v}件",
        "{v}件",
    ),
    "top": (
        "综合考评{names}排名靠前",
        "{names}位列综合考评前{k}名",
        "综合得分排名前{k}位的单位依次为：{names}",
        "{names}综合得分居全区前列",
        "考评得分前{k}名分别是{names}",
        "{names}办理质效较高，排名前{k}位",
        "在各单位考评中，{names}名列前茅",
        "得分最高的{k}个单位为{names}",
    ),
    "bottom": (
        "{names}排名靠后",
        "{names}办理进展靠后",
        "综合得分排名后{k}位的单位是：{names}",
        "{names}考评得分较低，位列后{k}名",
        "得分最低的{k}个单位依次为{names}",
        "{names}综合考评排名末位",
        "{names}办理质效有待提升，排名靠后",
        "排名后{k}位的是{names}",
    ),
}
GROWTH_DIRS = (("增长", "下降"), ("上升", "下降"), ("增加", "减少"))
POINT_DIRS = (("提升", "下降"), ("提高", "降低"), ("上升", "下降"))
SHARE_BASES = {
    "all": ("全部诉求", "诉求总量", "来电来信总量", "各渠道受理总量"),
    "hotline": ("热线工单总量", "工单总量", "热线受理总量", "全部热线工单"),
    "dept": ("全区热线工单", "工单总量", "全区受理总量"),
}
TOPICS = {
    "房产及物业服务类": "物业服务、捆绑收费、房产证办理、小区停水",
    "营商环境类": "占道经营、市场秩序、充值退费",
    "教育类": "学生上下学道路安全、学校收费、招生入学",
    "城乡建设类": "老旧小区改造、违章建筑、道路破损",
    "交通运输类": "公交线路调整、出租车拒载、停车收费",
    "生态环境类": "噪音扰民、油烟污染、垃圾清运",
    "劳动和社会保障类": "拖欠工资、社保缴纳、劳动合同",
    "医疗卫生类": "医保报销、就医服务、疫苗接种",
    "市政公用类": "供水供暖、燃气安全、路灯维修",
    "农业农村类": "农村道路、农业补贴、宅基地审批",
    "公安政法类": "户籍办理、治安管理、交通违章",
    "民政服务类": "低保申请、养老服务、殡葬管理",
    "市场监管类": "食品安全、消费维权、价格欺诈",
    "文化旅游类": "景区管理、文化活动、旅游投诉",
}
# The opt-in wordings (narrative_forms.py): forms real bulletins print that the default
# narrative never does. `{v}` is the figure, `{d}` a change in count, `{base}` a share's base.
FORM_POOLS: dict[str, tuple[str, ...]] = {
    "pending": (
        "在办{v}件",
        "正在办理{v}件",
        "办理中{v}件",
        "尚在办理{v}件",
        "未办结{v}件",
        "其余{v}件正在办理中",
    ),
    "change_mom": (
        "较上{unit}{cdir}{d}件，环比{dir}{v}",
        "比上{unit}{cdir}{d}件，{dir}{v}",
        "与上{unit}相比{cdir}了{d}件，环比{dir}{v}",
        "环比{cdir}{d}件、{dir}{v}",
        "较上{unit}{cdir}{d}件，{wdir}{v}",
    ),
    "change_yoy": (
        "同比{cdir}{d}件，同比{dir}{v}",
        "与去年同期相比{cdir}了{d}件，同比{dir}{v}",
        "较去年同期{cdir}{d}件，{dir}{v}",
        "同比{cdir}{d}件，{wdir}{v}",
        "比去年同期{cdir}{d}件，{dir}幅度为{v}",
    ),
    "split_lead": (
        "从诉求类型看，{p}受理的{v}件诉求中，",
        "按诉求类型统计，{p}共受理{v}件，其中",
        "{p}受理的{v}件工单中，",
        "从工单类型看，{p}共受理群众诉求{v}件。其中，",
    ),
    "split_item_bracket": ("{name}{v}件（{s}）",),
    "split_item_zhan": ("{name}{v}件，占{s}", "{name}{v}件，占比{s}"),
    "split_item_plain": ("{name}{v}件",),
    "split_other": ("其他{v}件", "其他类{v}件", "其他诉求{v}件", "其余{v}件"),
    "hot_lead": (
        "从诉求内容看，排名前{k}位的依次为：",
        "群众反映较多的前{k}类问题依次为",
        "位居前{k}的诉求类别为：",
        "诉求量排名前{k}位的分别是",
    ),
    "respectively": (
        "，分别占{base}的{list}",
        "，分别占{list}",
        "，占比分别为{list}",
        "，分别占{base}{list}",
    ),
    "combined": (
        "，合计占{base}的{v}",
        "，{k}类合计占比{v}",
        "，共占{base}的{v}",
        "，占{base}的{v}",
    ),
    "combined_after": (
        "以上{k}类诉求合计占{base}的{v}",
        "前{k}类诉求共占{base}的{v}",
        "上述{k}类问题占{base}的{v}",
    ),
}
WIDE_DIRS = (("增幅", "降幅"), ("涨幅", "减幅"))
CHANGE_DIRS = (("增加", "减少"), ("增长", "下降"), ("上升", "下降"))
REQUEST_TYPES = ("咨询类", "求助类", "投诉类", "建议类", "举报类", "表扬类")
# The forms of narrative_real.py (focus on spec.REAL_TYPES); `{m}` an earlier count, `{d}` the
# difference from it, `{a}` a daily average, `{w}` the rest of a split.
REAL_POOLS: dict[str, tuple[str, ...]] = {
    "difference_mom": (
        "比上{unit}（{m}件）{dir}{d}件",
        "较上{unit}（{m}件）{dir}{d}件",
        "与上{unit}的{m}件相比{dir}{d}件",
    ),
    "difference_yoy": (
        "比去年同期（{m}件）{dir}{d}件",
        "较去年同期（{m}件）{dir}{d}件",
        "与去年同期的{m}件相比{dir}{d}件",
    ),
    "phone": (
        "其中，电话来电{v}件，日均{a}件；网络渠道{w}件",
        "其中，热线电话受理{v}件，日均受理{a}件，网络留言{w}件",
        "按渠道分，来电{v}件（日均{a}件），微信、网站等网络渠道{w}件",
    ),
    "phone_lead": ("电话诉求中，", "从来电诉求类型看，", "在电话渠道受理的诉求中，"),
    "phone_base": ("", "来电总量的", "电话诉求的"),
    "on_time_rate": ("按时结案率", "按期办结率", "及时办结率"),
    "visit_rate": ("回访率", "联系率", "回访联系率"),
    "satisfied_rate": ("满意率", "群众满意率", "回访满意率"),
    "consumer_lead": (
        "{p}，全区12315平台共受理消费者投诉、举报和咨询{v}件",
        "{p}，12315热线及全国12315平台共接收消费诉求{v}件",
        "{p}，全区市场监管部门通过12315受理投诉举报咨询{v}件",
    ),
    "topics_lead": (
        "投诉中，排名前{k}位的依次为",
        "从投诉类别看，居前{k}位的是",
        "投诉热点前{k}类为",
    ),
}
