"""Unit tests for pipeline.normalize.claims, on hand-built documents."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.model import Claim, ClaimKind, Document, Line, RawMetadata, Section, Source
from pipeline.normalize.claims import (
    classify_number,
    document_to_paragraphs,
    extract_claims,
    rank_lists,
    split_names,
    text_to_channels,
    text_to_references,
)
from pipeline.normalize.mentions import name_lexicon
from pipeline.normalize.numbers import parse_number

BACKEND = "test"
LEFT, RIGHT, STEP = 90.0, 510.0, 28.0

# (number, heading, level, parent) for the seed body's sections.
SEED_SECTIONS = (
    ("一、", "总体情况", 1, None),
    ("（一）", "市民热线办理情况", 2, 0),
    ("（二）", "市委书记信箱、市长信箱办理情况", 2, 0),
    ("二、", "热点问题", 1, None),
    ("（一）", "房产及物业服务类", 2, 3),
    ("（二）", "营商环境类", 2, 3),
    ("（三）", "教育类", 2, 3),
    ("三、", "工作要求", 1, None),
    ("（一）", "提高办理质效", 2, 7),
)

# (section, ((page, text), ...)) per paragraph: the seed body, with the hotline
# paragraph wrapped over three lines and a page break inside "东风路街道办事处".
SEED_PARAGRAPHS: tuple[tuple[int | None, tuple[tuple[int, str], ...]], ...] = (
    (
        None,
        (
            (1, "为进一步做好“12345”市民热线及市委书记信箱、市长信箱留言办理工作，确保此项"),
            (1, "工作走在全市前列，现将 2 月份办理情况通报如下："),
        ),
    ),
    (0, ((1, "一、总体情况"),)),
    (1, ((1, "（一）市民热线办理情况"),)),
    (
        1,
        (
            (1, "2 月份，我区 12345 市民热线平台共接收市级交办工单事项 1589 件，实际办结"),
            (1, "1588 件，总体办结率 99.94%。综合考评区市场监督管理局、区城市管理执法局、区"),
            (1, "教育体育局、十里铺街道办事处、东风"),
            (2, "路街道办事处排名靠前。"),
        ),
    ),
    (2, ((2, "（二）市委书记信箱、市长信箱办理情况"),)),
    (
        2,
        (
            (2, "2 月份，市委书记信箱、市长信箱受理市民来信 56 件，实际办结 56 件，办结率"),
            (2, "100%；按期办结 55 件，按期办结率 98.11%；市自然资源和规划局金台分局办理进展靠"),
            (2, "后。（详见附件 2）"),
        ),
    ),
    (
        2,
        (
            (2, "综合来看，2 月份 12345 政务服务便民热线工单办理工作中区教育局、区医疗保障局能"),
            (2, "及时联系市民，告知市民问题处理结果并做好市民情绪安抚工作，表现突出；东风"),
            (
                3,
                "路街道办事处、中山东路街道办事处还需持续改进，严格把关回复内容，进一步提升工单回复质量。",
            ),
        ),
    ),
    (3, ((3, "二、热点问题"),)),
    (
        3,
        ((3, "2月份公众通过热线平台、市委书记信箱、市长信箱反映的问题主要集中在以下三个方面："),),
    ),
    (
        4,
        (
            (3, "（一）房产及物业服务类：本月共受理583件，总量占比36.71%。主要反映的是物业服务、"),
            (3, "捆绑收费、房产证办理小区停水等问题。"),
        ),
    ),
    (
        5,
        (
            (3, "（二）营商环境类：本月共受理360件，总量占比22.67%。主要反映占道经营、市场秩序、"),
            (3, "充值退费等问题。"),
        ),
    ),
    (
        6,
        (
            (3, "（三）教育类：本月共受理213件，总量占比13.41%。主要反映学生上下学道路安全、学校"),
            (3, "收费、寒假提前开学等问题。"),
        ),
    ),
    (7, ((4, "三、工作要求"),)),
    (
        8,
        (
            (4, "（一）提高办理质效。承办单位在接到工单后，须在接收确认交办事项后立即落实办理。退"),
            (4, "回工单须在平台下派后2小时内联系退回，退回理由要真实客观。"),
        ),
    ),
    (8, ((4, "联系人：聂洋 电话：3151139"),)),
    (8, ((4, "附件 1：2023 年 2 月金台区级市民热线办理考评表"),)),
    (8, ((4, "附件 2：2022 年 2 月金台区市长信箱信件办理统计表"),)),
)


def make_document(
    paragraphs: tuple[tuple[int | None, tuple[tuple[int, str], ...]], ...],
    sections: tuple[tuple[str, str, int, int | None], ...] = (),
) -> Document:
    """A Document whose lines sit one under another (made-up bboxes, top-left origin)."""
    lines: list[Line] = []
    heads: dict[int, Source] = {}
    for number, (section, printed) in enumerate(paragraphs):
        for page, text in printed:
            top = 80.0 + STEP * (len(lines) % 25)
            source = Source(page, (LEFT, top, RIGHT, top + 16.0), BACKEND)
            if section is not None:
                heads.setdefault(section, source)
            lines.append(Line(text, source, section, number))
    fallback = Source(1, None, BACKEND)
    built = tuple(
        Section(n, h, level, heads.get(i, fallback), parent)
        for i, (n, h, level, parent) in enumerate(sections)
    )
    metadata = RawMetadata(None, None, None, None, None, None)
    return Document("seed.pdf", "0" * 64, "pdf", 4, metadata, built, tuple(lines), (), ())


def sentences_document(*texts: str) -> Document:
    """One single-line paragraph per text, outside any section."""
    return make_document(tuple((None, ((1, t),)) for t in texts))


@pytest.fixture(scope="module")
def seed_doc() -> Document:
    return make_document(SEED_PARAGRAPHS, SEED_SECTIONS)


@pytest.fixture(scope="module")
def seed_claims(seed_doc: Document) -> tuple[Claim, ...]:
    return extract_claims(seed_doc)


def in_paragraph(doc: Document, claims: tuple[Claim, ...], paragraph: int) -> list[Claim]:
    return [c for c in claims if doc.lines[c.line].paragraph == paragraph]


def summary(claims: list[Claim] | tuple[Claim, ...]) -> list[tuple[str, str | None, str | None]]:
    return [(c.kind.value, c.metric, c.value.text if c.value else None) for c in claims]


def only(texts: str) -> tuple[Claim, ...]:
    return extract_claims(sentences_document(texts))


# --- the seed body -----------------------------------------------------------------


def test_claims_hotline_paragraph_counts_and_rate(
    seed_doc: Document, seed_claims: tuple[Claim, ...]
) -> None:
    numeric = [c for c in in_paragraph(seed_doc, seed_claims, 3) if c.value is not None]
    assert [(c.kind, c.metric, c.value.value) for c in numeric if c.value] == [
        (ClaimKind.COUNT, "received", Decimal("1589")),
        (ClaimKind.COUNT, "completed", Decimal("1588")),
        (ClaimKind.RATE, "rate_completed", Decimal("99.94")),
    ]
    rate = numeric[2]
    assert rate.value is not None and rate.value.percent and rate.value.decimals == 2
    assert all(c.scope == ("hotline",) and c.section == 1 for c in numeric)
    assert all(c.refers_to == () for c in numeric)


def test_claims_source_is_the_visual_line_of_the_number(
    seed_doc: Document, seed_claims: tuple[Claim, ...]
) -> None:
    first = next(i for i, ln in enumerate(seed_doc.lines) if ln.paragraph == 3)
    by_value = {c.value.text: c for c in seed_claims if c.value}
    assert by_value["1589 件"].line == first
    assert by_value["1588 件"].line == first + 1  # wrapped onto the second line
    assert by_value["99.94%"].source == seed_doc.lines[first + 1].source


def test_claims_mailbox_paragraph(seed_doc: Document, seed_claims: tuple[Claim, ...]) -> None:
    numeric = [c for c in in_paragraph(seed_doc, seed_claims, 5) if c.value is not None]
    assert [(c.kind, c.metric, c.value.text) for c in numeric if c.value] == [
        (ClaimKind.COUNT, "received", "56 件"),
        (ClaimKind.COUNT, "completed", "56 件"),
        (ClaimKind.RATE, "rate_completed", "100%"),
        (ClaimKind.COUNT, "completed_on_time", "55 件"),
        (ClaimKind.RATE, "rate_completed_on_time", "98.11%"),
    ]
    assert all(c.refers_to == ("附件2",) for c in numeric)
    assert all(c.scope == ("mailbox",) for c in numeric)
    assert numeric[-1].value is not None and numeric[-1].value.decimals == 2


def test_claims_hot_topics_count_share_subject_scope(
    seed_doc: Document, seed_claims: tuple[Claim, ...]
) -> None:
    topics = [c for p in (9, 10, 11) for c in in_paragraph(seed_doc, seed_claims, p)]
    assert [(c.kind, c.metric, c.subject, c.value.text) for c in topics if c.value] == [
        (ClaimKind.COUNT, "received", "房产及物业服务类", "583件"),
        (ClaimKind.SHARE, "share", "房产及物业服务类", "36.71%"),
        (ClaimKind.COUNT, "received", "营商环境类", "360件"),
        (ClaimKind.SHARE, "share", "营商环境类", "22.67%"),
        (ClaimKind.COUNT, "received", "教育类", "213件"),
        (ClaimKind.SHARE, "share", "教育类", "13.41%"),
    ]
    assert all(c.scope == ("hotline", "mailbox") for c in topics)


def test_claims_rank_list_top_across_page_break(
    seed_doc: Document, seed_claims: tuple[Claim, ...]
) -> None:
    ranks = [c for c in in_paragraph(seed_doc, seed_claims, 3) if c.kind is ClaimKind.RANK_LIST]
    assert len(ranks) == 1
    rank = ranks[0]
    assert rank.names == (
        "区市场监督管理局",
        "区城市管理执法局",
        "区教育体育局",
        "十里铺街道办事处",
        "东风路街道办事处",
    )
    assert rank.direction == "top" and rank.value is None
    first = next(i for i, ln in enumerate(seed_doc.lines) if ln.paragraph == 3)
    assert rank.line == first + 1  # where the first name was printed, not the page-2 line
    assert rank.source == seed_doc.lines[first + 1].source and rank.source.page == 1
    assert rank.scope == ("hotline",)


def test_claims_rank_list_bottom_single_name(
    seed_doc: Document, seed_claims: tuple[Claim, ...]
) -> None:
    ranks = [c for c in in_paragraph(seed_doc, seed_claims, 5) if c.kind is ClaimKind.RANK_LIST]
    assert [(c.names, c.direction) for c in ranks] == [(("市自然资源和规划局金台分局",), "bottom")]
    assert ranks[0].refers_to == ("附件2",) and ranks[0].scope == ("mailbox",)


def test_claims_seed_has_exactly_two_rank_lists(seed_claims: tuple[Claim, ...]) -> None:
    assert [c.direction for c in seed_claims if c.kind is ClaimKind.RANK_LIST] == ["top", "bottom"]


def test_claims_paragraph_joins_lines_across_a_page_break(seed_doc: Document) -> None:
    paragraphs = document_to_paragraphs(seed_doc)
    praise = paragraphs[6]
    assert "表现突出；东风路街道办事处、中山东路街道办事处" in praise.text
    offset = praise.text.index("路街道办事处、中山东路")
    assert seed_doc.lines[praise.line_at(offset)].source.page == 3
    assert seed_doc.lines[praise.line_at(offset - 1)].source.page == 2
    assert "共接收市级交办工单事项 1589 件，实际办结1588 件" in paragraphs[3].text


def test_claims_none_from_times_phones_dates_or_notes(
    seed_doc: Document, seed_claims: tuple[Claim, ...]
) -> None:
    for paragraph in (0, 6, 8, 13, 14, 15, 16):
        assert in_paragraph(seed_doc, seed_claims, paragraph) == []
    texts = {c.value.text for c in seed_claims if c.value}
    assert not any("小时" in t or "3151139" in t for t in texts)


def test_claims_are_in_reading_order(seed_claims: tuple[Claim, ...]) -> None:
    lines = [c.line for c in seed_claims]
    assert lines == sorted(lines)


# --- other phrasings ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "metric", "printed"),
    [
        ("本月共受理群众诉求2345件。", "received", "2345件"),
        ("本月热线受理来电3,210件。", "received", "3,210件"),
        ("市平台累计交办工单876件。", "received", "876件"),
        ("共接收工单 1200 件。", "received", "1200 件"),
        ("应办件数为45件。", "received", "45件"),
        ("已办结 2990 件。", "completed", "2990 件"),
        ("实际办结工单402件。", "completed", "402件"),
        ("当月办结诉求319条。", "completed", "319条"),
        ("其中按时办结98件。", "completed_on_time", "98件"),
        ("按期办结 55 件。", "completed_on_time", "55 件"),
    ],
)
def test_claims_count_phrasings(text: str, metric: str, printed: str) -> None:
    assert summary(only(text)) == [("count", metric, printed)]


@pytest.mark.parametrize(
    ("text", "metric", "printed"),
    [
        ("办结率98.5%。", "rate_completed", "98.5%"),
        ("总体办结率为99.1%。", "rate_completed", "99.1%"),
        ("按期办结率达到97.25%。", "rate_completed_on_time", "97.25%"),
        ("按时办结率 96%。", "rate_completed_on_time", "96%"),
        ("群众满意率为95.6%。", "rate_satisfaction", "95.6%"),
        ("满意度达98%。", "rate_satisfaction", "98%"),
        ("办结率提升至99.5%。", "rate_completed", "99.5%"),  # a level, not a change
    ],
)
def test_claims_rate_phrasings(text: str, metric: str, printed: str) -> None:
    assert summary(only(text)) == [("rate", metric, printed)]


@pytest.mark.parametrize(
    ("text", "subject", "printed"),
    [
        ("城乡建设类：共受理120件，占比15.2%。", "城乡建设类", "15.2%"),
        ("其中房产物业类456件，占总量的36.95%。", "房产物业类", "36.95%"),
        ("交通运输类诉求88件，总量占比7.04%。", "交通运输类", "7.04%"),
        ("社会保障类共75件，比重为6.1%。", "社会保障类", "6.1%"),
        ("劳动就业类共61件，所占比例为4.9%。", "劳动就业类", "4.9%"),
    ],
)
def test_claims_share_phrasings(text: str, subject: str, printed: str) -> None:
    claims = only(text)
    share = [c for c in claims if c.kind is ClaimKind.SHARE]
    counts = [c for c in claims if c.kind is ClaimKind.COUNT]
    assert [(c.subject, c.metric, c.value.text if c.value else None) for c in share] == [
        (subject, "share", printed)
    ]
    assert [c.subject for c in counts] == [subject]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("受理量同比增长12.5%。", [("growth", "received", "12.5%", "up")]),
        ("办结量环比下降3.2%。", [("growth", "completed", "3.2%", "down")]),
        (
            "共受理1200件，较上月增加120件，增幅为11.1%。",
            [
                ("count", "received", "1200件", None),
                ("growth", "received", "120件", "up"),
                ("growth", "received", "11.1%", "up"),
            ],
        ),
        ("办结率同比提升2.1个百分点。", [("points", "rate_completed", "2.1个百分点", "up")]),
        ("满意率较上月下降0.5个百分点。", [("points", "rate_satisfaction", "0.5个百分点", "down")]),
        (
            "按期办结率为97%，同比提高两个百分点。",
            [
                ("rate", "rate_completed_on_time", "97%", None),
                ("points", "rate_completed_on_time", "两个百分点", "up"),
            ],
        ),
        ("受理量环比-4.3%。", [("growth", "received", "-4.3%", "down")]),
    ],
)
def test_claims_growth_and_points_phrasings(
    text: str, expected: list[tuple[str, str, str, str | None]]
) -> None:
    got = [
        (c.kind.value, c.metric, c.value.text if c.value else "", c.direction) for c in only(text)
    ]
    assert got == expected


@pytest.mark.parametrize(
    ("text", "names", "direction"),
    [
        ("排名前三位的是区教育局、区民政局和陈仓镇。", ("区教育局", "区民政局", "陈仓镇"), "top"),
        ("区商务局、区残联分列前两名。", ("区商务局", "区残联"), "top"),
        ("经综合考评，甲镇、乙街道办事处名列前茅。", ("甲镇", "乙街道办事处"), "top"),
        ("后三名为：甲镇、乙街道办事处、丙局。", ("甲镇", "乙街道办事处", "丙局"), "bottom"),
        (
            "排名靠后的单位有区住房和城乡建设局、区文化和旅游局，需加强整改。",
            ("区住房和城乡建设局", "区文化和旅游局"),
            "bottom",
        ),
        ("区交通运输局及区林水局办理进度滞后。", ("区交通运输局", "区林水局"), "bottom"),
        ("区行政审批服务局等单位排名靠后。", ("区行政审批服务局",), "bottom"),
    ],
)
def test_claims_rank_list_phrasings(text: str, names: tuple[str, ...], direction: str) -> None:
    claims = only(text)
    assert [(c.kind, c.names, c.direction) for c in claims] == [
        (ClaimKind.RANK_LIST, names, direction)
    ]


def test_claims_top_and_bottom_in_one_sentence() -> None:
    text = "排名前两位的是区教育局、区民政局，排名后两位的是卧龙寺街道办事处及区林水局。"
    assert [(d, tuple(n for n, _ in names)) for d, names in rank_lists(text)] == [
        ("top", ("区教育局", "区民政局")),
        ("bottom", ("卧龙寺街道办事处", "区林水局")),
    ]


def test_claims_split_names_on_connectors_only_between_names() -> None:
    assert [n for n, _ in split_names("区教育局和区医疗保障局")] == ["区教育局", "区医疗保障局"]
    assert [n for n, _ in split_names("区人力资源和社会保障局")] == ["区人力资源和社会保障局"]
    assert [n for n, _ in split_names("区卫生健康局和平路街道办事处")] == [
        "区卫生健康局和平路街道办事处"
    ]
    assert split_names("区商务局以及 区残联") == [("区商务局", 0), ("区残联", 7)]


@pytest.mark.parametrize(
    ("text", "refs"),
    [
        ("办结率100%。（详见附件 2）", ("附件2",)),
        ("具体见附件1。", ("附件1",)),
        ("（详见附件1、2）", ("附件1", "附件2")),
        ("参见附表3和附件4。", ("附表3", "附件4")),
        ("附件 1：考评表", ()),
    ],
)
def test_claims_references(text: str, refs: tuple[str, ...]) -> None:
    assert text_to_references(text) == refs


def test_claims_scope_from_the_clause_then_the_sentence() -> None:
    claims = only("本月热线受理1200件，信箱受理56件，办结56件。")
    assert [(c.value.text if c.value else "", c.scope) for c in claims] == [
        ("1200件", ("hotline",)),
        ("56件", ("mailbox",)),
        ("56件", ("hotline", "mailbox")),
    ]


def test_claims_metric_and_subject_carry_within_a_paragraph() -> None:
    claims = only("共受理来电1200件、来信300件；其中教育类123件，占比8.2%。")
    assert [(c.kind.value, c.metric, c.subject) for c in claims] == [
        ("count", "received", None),
        ("count", "received", None),
        ("count", "received", "教育类"),
        ("share", "share", "教育类"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "须在3个工作日内办结。",
        "退回工单须在平台下派后2小时内联系退回。",
        "联系人：张三 电话：0917-3151139",
        "对连续三次被通报的单位进行约谈。",
        "2023 年 3 月 6 日",
        "附件 1：2023 年 2 月区级市民热线办理考评表",
        "请于3月10日前报送，排名第1的单位介绍经验。",
    ],
)
def test_claims_none_from_non_claims(text: str) -> None:
    assert only(text) == ()


def test_claims_classify_number_rejects_unitless_and_unknown_percent() -> None:
    assert classify_number(parse_number("1589"), "受理", "") is None
    assert classify_number(parse_number("95%"), "完成全年目标的", "") is None
    assert classify_number(parse_number("1589"), "受理", " 件，") == (ClaimKind.COUNT, None)


@pytest.mark.parametrize("module", ["claims", "claim_words", "paragraphs", "rank_lists"])
def test_claims_code_holds_no_seed_strings(module: str) -> None:
    path = Path(__file__).resolve().parents[2] / f"pipeline/normalize/{module}.py"
    code = path.read_text("utf-8")
    for text in ("金台", "东风路", "市场监督管理局", "1589", "98.11", "房产及物业", "3151139"):
        assert text not in code


# --- on-time counts and rates, completion words ---------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "如期办结 812 件，限时办结率 95.20%。",
            [
                ("count", "completed_on_time", "812 件"),
                ("rate", "rate_completed_on_time", "95.20%"),
            ],
        ),
        (
            "及时办结77件，及时办结率为91.7%。",
            [("count", "completed_on_time", "77件"), ("rate", "rate_completed_on_time", "91.7%")],
        ),
        (
            "在规定时限内办结640件，按时办结率97.3%。",
            [("count", "completed_on_time", "640件"), ("rate", "rate_completed_on_time", "97.3%")],
        ),
        (
            "按期答复办结35件，按期办结比例为87.50%。",
            [("count", "completed_on_time", "35件"), ("rate", "rate_completed_on_time", "87.50%")],
        ),
        ("按期完成128件。", [("count", "completed_on_time", "128件")]),
        ("限时办结 2,316 件。", [("count", "completed_on_time", "2,316 件")]),
        ("办理完毕402件。", [("count", "completed", "402件")]),
        ("已完成办理95件。", [("count", "completed", "95件")]),
        ("共受理诉求１２３４件。", [("count", "received", "１２３４件")]),
    ],
)
def test_claims_on_time_and_completion_phrasings(
    text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert summary(only(text)) == expected


# --- category items ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "subject", "count", "share"),
    [
        ("环境保护类反映215件，所占比重为21.33%。", "环境保护类", "215件", "21.33%"),
        ("住房保障类接到相关诉求88件，在热线受理总量中占9.02%。", "住房保障类", "88件", "9.02%"),
        ("社区治理类共受理64件，所占比重为6.56%。", "社区治理类", "64件", "6.56%"),
        ("城市管理类涉及诉求301件，比重达30.8%。", "城市管理类", "301件", "30.8%"),
        ("水电气暖类累计57件，占到热线受理总量的5.90%。", "水电气暖类", "57件", "5.90%"),
        ("（二）教育卫生类：本月接到相关诉求57件，占比5.9%。", "教育卫生类", "57件", "5.9%"),
        ("（三）劳动保障类：本季度112件，占全部热线工单10.1%。", "劳动保障类", "112件", "10.1%"),
    ],
)
def test_claims_category_count_and_share(text: str, subject: str, count: str, share: str) -> None:
    got = [(c.kind.value, c.metric, c.subject, c.value.text if c.value else "") for c in only(text)]
    assert got == [
        ("count", "received", subject, count),
        ("share", "share", subject, share),
    ]


def test_claims_category_item_continues_across_sentences() -> None:
    claims = only("主要集中在以下2个方面：文旅类反映30件，占比10.00%；交通类20件，占比6.67%。")
    assert [(c.kind.value, c.metric, c.subject) for c in claims] == [
        ("count", "received", "文旅类"),
        ("share", "share", "文旅类"),
        ("count", "received", "交通类"),
        ("share", "share", "交通类"),
    ]


def test_claims_leading_department_is_the_subject() -> None:
    claims = only("从受理量看，区水务局受理量最多，反映310件，占比12.4%。")
    assert [(c.kind.value, c.metric, c.subject) for c in claims] == [
        ("count", "received", "区水务局"),
        ("share", "share", "区水务局"),
    ]


def test_claims_each_kind_is_not_a_category() -> None:
    assert [(c.metric, c.subject) for c in only("本月受理各类工单905件。")] == [("received", None)]


def test_claims_count_verbs_name_the_received_metric() -> None:
    claims = only("公众通过热线平台、区长信箱反映的问题共 3,412 件，主要集中在以下 4 个方面：")
    assert [(c.kind.value, c.metric, c.value.text if c.value else "") for c in claims] == [
        ("count", "received", "3,412 件")
    ]
    assert claims[0].scope == ("hotline", "mailbox")


# --- previous-period figures ---------------------------------------------------------


def _with_direction(claims: tuple[Claim, ...]) -> list[tuple[str, str | None, str, str | None]]:
    return [
        (c.kind.value, c.metric, c.value.text if c.value else "", c.subject or c.direction)
        for c in claims
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "本月受理1204件，较上月（1150件）增长4.70%。",
            [
                ("count", "received", "1204件", None),
                ("count", "received", "1150件", "上期"),
                ("growth", "received", "4.70%", "up"),
            ],
        ),
        (
            "共受理诉求3100件，比上季度的3020件增加2.65%。",
            [
                ("count", "received", "3100件", None),
                ("count", "received", "3020件", "上期"),
                ("growth", "received", "2.65%", "up"),
            ],
        ),
        (
            "共接收工单866件，同比下降3.1%（去年同期894件）。",
            [
                ("count", "received", "866件", None),
                ("growth", "received", "3.1%", "down"),
                ("count", "received", "894件", "去年同期"),
            ],
        ),
        (
            "办结率98.6%，环比提高0.4个百分点（上月为98.2%）。",
            [
                ("rate", "rate_completed", "98.6%", None),
                ("points", "rate_completed", "0.4个百分点", "up"),
                ("rate", "rate_completed", "98.2%", "上期"),
            ],
        ),
        (
            "满意率为97.0%，较去年同期的95.5%上升1.5个百分点。",
            [
                ("rate", "rate_satisfaction", "97.0%", None),
                ("rate", "rate_satisfaction", "95.5%", "去年同期"),
                ("points", "rate_satisfaction", "1.5个百分点", "up"),
            ],
        ),
    ],
)
def test_claims_previous_period_figures(
    text: str, expected: list[tuple[str, str | None, str, str | None]]
) -> None:
    claims = only(text)
    assert _with_direction(claims) == expected
    for c in claims:
        assert (c.direction == "previous") == (c.subject in ("上期", "去年同期"))


def test_claims_change_words_do_not_make_a_previous_figure() -> None:
    claims = only("共受理1200件，较上月增加120件，增幅为11.1%。")
    assert all(c.direction != "previous" for c in claims)


# --- channels and scope --------------------------------------------------------------


def test_claims_mailbox_sentence_scope() -> None:
    claims = only("区长信箱收到留言27件，办理完毕26件，办结率96.30%。")
    assert [(c.kind.value, c.metric, c.scope) for c in claims] == [
        ("count", "received", ("mailbox",)),
        ("count", "completed", ("mailbox",)),
        ("rate", "rate_completed", ("mailbox",)),
    ]


def test_claims_message_board_is_online_not_mailbox() -> None:
    claims = only("政府网站留言板收到留言9件。")
    assert [(c.metric, c.scope) for c in claims] == [("received", ("online",))]


def test_claims_online_petition_platform_is_online() -> None:
    assert text_to_channels("网络问政") == ("online",)
    assert only("网络问政平台受理群众诉求45件。")[0].scope == ("online",)


def test_claims_pending_count_is_not_the_completed_count_before_it() -> None:
    claims = only("本月共受理1200件，已办结1150件，未办结50件。")
    assert summary(claims) == [
        ("count", "received", "1200件"),
        ("count", "completed", "1150件"),
        ("count", "pending", "50件"),
    ]


def test_claims_full_width_hotline_number_names_the_hotline() -> None:
    assert only("全区１２３４５热线受理工单６００件。")[0].scope == ("hotline",)


def test_claims_scope_from_an_earlier_sentence_of_the_paragraph() -> None:
    claims = only("全区12345热线受理500件，办结498件；按期办结480件，按期办结率96.39%。")
    assert [c.scope for c in claims] == [("hotline",)] * 4


def test_claims_item_words_narrow_to_the_section_heading() -> None:
    doc = make_document(
        ((0, ((1, "（一）市民热线办理情况"),)), (0, ((1, "本月共登记来电来信420件。"),))),
        (("（一）", "市民热线办理情况", 2, None),),
    )
    assert [c.scope for c in extract_claims(doc)] == [("hotline",)]


def test_claims_preamble_naming_one_channel_scopes_unlabelled_figures() -> None:
    paragraphs: tuple[tuple[int | None, tuple[tuple[int, str], ...]], ...] = (
        (None, ((1, "现将本月12345热线工单办理情况通报如下："),)),
        (0, ((1, "一、基本情况"),)),
        (0, ((1, "本月共受理工单700件，办结699件。"),)),
    )
    doc = make_document(paragraphs, (("一、", "基本情况", 1, None),))
    assert [c.scope for c in extract_claims(doc)] == [("hotline",), ("hotline",)]


# --- paragraphs that stop mid-sentence -----------------------------------------------


def test_claims_paragraph_continues_after_a_mid_sentence_break() -> None:
    paragraphs: tuple[tuple[int | None, tuple[tuple[int, str], ...]], ...] = (
        (0, ((1, "（一）市民热线办理情况"),)),
        (0, ((1, "本月热线受理工单620件，较上月（"),)),
        (0, ((1, "598件）增长3.68%，办结工单615件。"),)),
        (0, ((1, "联系人：张三 电话：1234567"),)),
        (0, ((1, "附件1：考评表"),)),
    )
    doc = make_document(paragraphs, (("（一）", "市民热线办理情况", 2, None),))
    texts = [p.text for p in document_to_paragraphs(doc)]
    assert texts == [
        "（一）市民热线办理情况",
        "本月热线受理工单620件，较上月（598件）增长3.68%，办结工单615件。",
        "联系人：张三 电话：1234567",
        "附件1：考评表",
    ]
    claims = extract_claims(doc)
    assert _with_direction(claims) == [
        ("count", "received", "620件", None),
        ("count", "received", "598件", "上期"),
        ("growth", "received", "3.68%", "up"),
        ("count", "completed", "615件", None),
    ]
    assert claims[1].line == 2  # the visual line it was printed on


@pytest.mark.parametrize(
    "text",
    ["主要集中在以下4个方面：", "群众诉求主要集中在以下5个领域。"],
)
def test_claims_none_from_topic_counts(text: str) -> None:
    assert only(text) == ()


# --- rank lists ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names", "direction"),
    [
        (
            "得分最高的3个单位为甲镇、乙街道办事处、区水务局。",
            ("甲镇", "乙街道办事处", "区水务局"),
            "top",
        ),
        ("区林业局、丙镇考评得分较低，位列后2名。", ("区林业局", "丙镇"), "bottom"),
        ("丁街道办事处、区商务局综合得分居全区前列。", ("丁街道办事处", "区商务局"), "top"),
        (
            "排名后３位的是甲镇、区审计局、区供销合作社。",
            ("甲镇", "区审计局", "区供销合作社"),
            "bottom",
        ),
        ("戊镇、区民政局综合考评排名末位。", ("戊镇", "区民政局"), "bottom"),
        ("己镇、区档案馆办理质效有待提升，排名靠后。", ("己镇", "区档案馆"), "bottom"),
        ("考评得分前 2 名分别是区统计局、庚镇。", ("区统计局", "庚镇"), "top"),
        ("区文旅局、辛镇位列综合考评前 2 名。", ("区文旅局", "辛镇"), "top"),
    ],
)
def test_claims_more_rank_list_phrasings(text: str, names: tuple[str, ...], direction: str) -> None:
    claims = only(text)
    assert [(c.kind, c.names, c.direction) for c in claims] == [
        (ClaimKind.RANK_LIST, names, direction)
    ]


def test_claims_references_read_full_width_labels() -> None:
    assert text_to_references("（详见附件 ２）") == ("附件2",)


def test_claims_reference_closing_a_sentence_cites_for_the_sentences_before_it() -> None:
    claims = only("信箱受理来信22件，办结9件；按期办结2件（详见附件6）。政府网站留言板受理7件。")
    refs = {c.value.text if c.value else "": c.refers_to for c in claims}
    assert refs["22件"] == ("附件6",) and refs["2件"] == ("附件6",)
    assert refs["9件"] == ("附件6",)
    assert refs["7件"] == ()  # the website's count, after the citing sentence


def test_claims_reference_opening_a_sentence_cites_for_the_paragraph() -> None:
    claims = only("信箱受理来信39件，办结28件。（详见附件3）政府网站留言板交办信件22件。")
    assert {c.value.text if c.value else "": c.refers_to for c in claims} == {
        "39件": ("附件3",),
        "28件": ("附件3",),
        "22件": ("附件3",),
    }


# --- department names in running text ---------------------------------------------------

SEED_TABLE_NAMES = ("区教育体育局", "区医疗保障局", "东风路街道办事处", "中山东路街道办事处")


def test_claims_sentence_naming_departments_without_a_figure_is_a_mention(
    seed_doc: Document,
) -> None:
    lexicon = name_lexicon([*SEED_TABLE_NAMES, "区教育局"], district="金台区")
    claims = extract_claims(seed_doc, names=lexicon)
    mentions = [c for c in claims if c.kind is ClaimKind.MENTION]
    assert [(c.names, c.value, c.metric) for c in mentions] == [
        (("区教育局", "区医疗保障局"), None, None),
        (("东风路街道办事处", "中山东路街道办事处"), None, None),
    ]
    assert mentions[0].source == seed_doc.lines[mentions[0].line].source
    # the rank list keeps its own names; no mention repeats them
    ranks = [c for c in claims if c.kind is ClaimKind.RANK_LIST]
    assert "区教育体育局" in ranks[0].names
    assert all("区教育体育局" not in c.names for c in mentions)


def test_claims_without_a_lexicon_name_departments_only_in_rank_lists(
    seed_claims: tuple[Claim, ...],
) -> None:
    assert all(c.kind is ClaimKind.RANK_LIST for c in seed_claims if c.names)


def test_claims_figures_carry_the_names_printed_before_them() -> None:
    lexicon = name_lexicon(["区市场监督管理局", "区城市管理执法局"], district="天宁区")
    text = (
        "全区共受理1200件，其中天宁区市场监督管理局受理300件，占比25%；区城市管理执法局受理200件。"
    )
    claims = extract_claims(sentences_document(text), names=lexicon)
    assert [(c.value.text if c.value else None, c.names) for c in claims] == [
        ("1200件", ()),
        ("300件", ("天宁区市场监督管理局",)),
        ("25%", ("天宁区市场监督管理局",)),
        ("200件", ("区城市管理执法局",)),
    ]
