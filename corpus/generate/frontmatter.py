"""The parts of a GB/T 9704 letter around the figures: issuer, number, title, recipients,
opening, work requirements, contact, signature and date."""

from __future__ import annotations

import datetime as dt

from corpus.generate.draft import Draft

RECIPIENTS = (
    "各镇、街道办事处，区政府各工作部门：",
    "各街道办事处，区级各部门、各直属机构：",
    "各镇人民政府、街道办事处，区政府各部门，各有关单位：",
    "各街道（镇），区直各部门：",
    "各镇街，区级各部门：",
)
SERVICES = (
    "12345市民热线",
    "12345市民热线及市长信箱",
    "12345政务服务便民热线工单",
    "12345市民服务热线诉求",
    "12345热线",
)
OPENINGS = (
    "为进一步做好“12345”市民热线及市长信箱留言办理工作，不断提升群众满意度，现将{p}办理情况通报如下：",
    "为推动12345热线工单办理提质增效，现将{p}全区热线工单办理情况通报如下：",
    "根据《12345政务服务便民热线工单办理考核办法》，现将{p}各单位办理情况通报如下：",
    "为切实解决群众急难愁盼问题，现将{p}12345热线诉求办理情况予以通报：",
    "现将{p}我区12345市民热线办理情况通报如下：",
)
REQUIREMENTS = (
    "提高办理质效。各镇街、各部门要进一步规范及时响应、限时办理、研判督办、回访反馈、"
    "办结归档等环节全过程闭环运行工作流程。退回工单须在平台下派后2小时内联系退回，"
    "退回理由要真实客观，需列明法律条文和政策法规依据。",
    "增强服务意识。承办单位要按照“属地管理优先”和“首接负责制”原则，在接到工单后第一时间"
    "主动与来电人沟通，进一步了解诉求，明确下一步办理意见，杜绝超期办理。",
    "严把考核工作。各单位要建立热线工单办理台账及回访制度，提升办理效率和满意率，确保"
    "群众的诉求事事有回音、件件有着落。区政府办将每月进行量化考核打分并全区通报。",
    "规范答复内容。回复内容要包含基本情况、调查办理情况及下一步工作措施等要素，并上传"
    "现场照片等佐证材料，一般诉求须在3个工作日内答复。",
    "强化督办问责。对连续两次排名靠后的单位，由区政府办进行约谈；对因工单回复质量差被市级"
    "通报的单位，由单位主要负责同志作出书面说明。",
    "加强分析研判。各单位要定期梳理高频诉求和重复投诉，从个案办理向类案治理延伸，"
    "从源头上减少矛盾纠纷。",
)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐"
GIVEN = (
    "洋",
    "磊",
    "静",
    "敏",
    "伟",
    "芳",
    "军",
    "丽",
    "强",
    "娜",
    "涛",
    "婷",
    "晨阳",
    "海燕",
    "建国",
)


def issuer(dr: Draft) -> str:
    d = dr.district
    return (
        f"{d.city}{d.district}人民政府办公室"
        if dr.rng.random() < 0.7
        else f"{d.district}人民政府办公室"
    )


def doc_number(dr: Draft, published: dt.date) -> str | None:
    if dr.rng.random() < 0.4:
        return None
    kind = dr.rng.choice(("发", "通", "函", "发"))
    return f"{dr.district.abbr}政办{kind}〔{published.year}〕{dr.rng.randint(1, 160)}号"


def title(dr: Draft, issuer_name: str) -> str:
    service = dr.rng.choice(SERVICES)
    if "mailbox" in dr.fig.channels and dr.rng.random() < 0.4:
        service = "12345市民热线及市长信箱"
    period = dr.period.label(dr.rng.randrange(2))
    return f"{issuer_name}关于{period}{service}办理情况的通报"


def opening(dr: Draft) -> str:
    return dr.rng.choice(OPENINGS).format(p=dr.period.short(dr.rng.randrange(2)))


def requirements(dr: Draft) -> list[str]:
    chosen = dr.rng.sample(REQUIREMENTS, dr.rng.randint(2, 3))
    return [f"（{'一二三'[i]}）{text}" for i, text in enumerate(chosen)]


def contact(dr: Draft) -> str:
    rng = dr.rng
    name = rng.choice(SURNAMES) + rng.choice(GIVEN)
    phone = f"{rng.randint(2, 8)}{rng.randint(0, 999999):06d}"
    if rng.random() < 0.4:
        phone = f"0{rng.randint(310, 919)}-{phone}"
    return f"联系人：{name} 电话：{phone}"


def date_text(dr: Draft, day: dt.date) -> str:
    text = f"{day.year}年{day.month}月{day.day}日"
    return dr.style.spaced(text) if dr.style.space_text else text
