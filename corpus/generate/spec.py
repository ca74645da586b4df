"""What a generated bulletin is, before it is rendered, and the truth written beside it.

The content builders make a `Bulletin`; a renderer (LibreOffice from DOCX or HTML,
or reportlab) turns it into a file; `truth_json` writes what a perfect reader would
recover. This package imports nothing from `pipeline/`, so the parser cannot share
the generator's assumptions. The truth format is documented in corpus/README.md.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

TRUTH_SCHEMA = "bulletins.truth/1"

Ruling = Literal["ruled", "partial", "unruled"]
Producer = Literal["docx", "html", "reportlab"]
ParagraphKind = Literal["heading1", "heading2", "body", "contact", "note"]


@dataclass
class HeaderCell:
    """A header cell as printed; merged cells span columns or rows."""

    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass
class TableLayout:
    """How a table is printed: rules, orientation, and how it breaks across pages.

    `page_rows` lists how many body rows each page holds (None: let the renderer
    flow them); `repeat_header` reprints the header on continuation pages;
    `continued_marker` prints 续表 above a continuation.
    """

    ruling: Ruling = "ruled"
    landscape: bool = False
    page_rows: list[int] | None = None
    repeat_header: bool = False
    continued_marker: bool = False
    font_size: float = 9.0


@dataclass
class TableSpec:
    """One table: its header, its columns as header paths, its body rows as printed.

    Body rows are lists of cell texts; a row may be longer or shorter than
    `columns` (an injected shifted row). `total_rows` are indexes of 合计 rows.
    """

    id: str
    attachment: str | None
    title: str
    kind: str
    header_rows: list[list[HeaderCell]]
    columns: list[list[str]]
    body_rows: list[list[str]]
    total_rows: list[int] = field(default_factory=list)
    layout: TableLayout = field(default_factory=TableLayout)
    # what each column holds (one per column, e.g. "received", "rate_completed",
    # "on_time.score@40"): truth for checkers, never printed; see corpus/generate/tables.py
    keys: list[str] = field(default_factory=list)


@dataclass
class Paragraph:
    text: str
    kind: ParagraphKind = "body"


@dataclass
class Claim:
    """A figure the narrative states: what it measures and the value as printed."""

    kind: str  # count | rate | share | growth | points | rank_list | change | average | amount
    metric: str | None
    value: str | None
    sentence: str
    subject: str | None = None
    names: list[str] = field(default_factory=list)
    # the wording used (a template id such as "received.3"), and for shares, rates and
    # growth the subject whose figure is the denominator (e.g. "all", "hotline@prev")
    phrasing: str = ""
    base: str | None = None


@dataclass
class InjectedError:
    """An error put into the document on purpose, with where it is and what is right.

    `type` is one of ERROR_TYPES or OPT_IN_TYPES; `table`/`row`/`column` (1-based row, header path
    joined by "/") locate table errors, `sentence` locates text errors; `page` is
    filled in after rendering.
    """

    type: str
    printed: str
    correct: str
    table: str | None = None
    row: int | None = None
    column: str | None = None
    sentence: str | None = None
    page: int | None = None
    detail: str = ""


ERROR_TYPES = (
    "text_rate",  # wrong share or rate in text
    "table_rate",  # wrong rate in a table cell
    "text_total",  # text total disagrees with the table's sum
    "total_row",  # parts do not add to a 合计 row
    "sub_score",  # wrong sub-score
    "total_score",  # wrong total score
    "rank_order",  # rows out of rank order or a wrong rank number
    "period",  # wrong year or month in an attachment title or period
    "name_variant",  # a misspelled or variant department name
    "transposition",  # a digit transposition that breaks a sum
    "wrong_base",  # a percentage over the wrong base
)
# Injected only when asked for (`make_archive(focus=...)`), so that every bulletin made
# without them stays as it was: see inject.py.
OPT_IN_TYPES: tuple[str, ...] = (
    "growth",  # a wrong growth rate or change in points (text), or 环比 cell (period table)
    "text_rate_table",  # a rate stated without its counts disagrees with the cited table
    # the forms real bulletins print (issue 11), written only when one of them is focused
    # (FORM_TYPES): see narrative_forms.py and inject_forms.py
    "list_share",  # a wrong share in a 分别占 list
    "bracket_share",  # a wrong share in brackets after its count: 240件（30.0%）
    "topn_share",  # a wrong combined share after a run of counts: 前三类占65%
    "parts_sum",  # parts closed by 其他, or split as 办结/在办, that miss their total
    "growth_change",  # a growth rate after a change in count, over the current figure
)
# Opt-in types whose focus also switches on the wordings they live in: a bulletin made
# without them prints none of these forms, so the committed sets keep their text.
FORM_TYPES = OPT_IN_TYPES[2:]
# More forms of real bulletins (issue 11), written only when one of them is focused: see
# narrative_real.py and inject_real.py. Each is an opt-in type of its own.
REAL_TYPES = (
    "daily_average",  # 日均N件 against the count before it over the period's days
    "rate_named",  # a rate outside the usual names (回访率, 不满意率, 按时结案率…) wrong
    "derived_count",  # a count the text derives (超期 = 办结 − 按期, 网络 = 受理 − 电话) wrong
    "difference",  # a printed difference from the earlier figure beside it (增加N件) wrong
    "sub_base_share",  # a share over a sub-base (phone calls) while the total is printed too
    "wan_share",  # a share of a total printed in 万 that fits no count the total stands for
    "complaint_share",  # a share in a 12315 section's 分别占 list over the complaints
)
OPT_IN_TYPES += REAL_TYPES
# Forms of statistics bulletins and lists of parts (issue 11), written only when one of them is
# focused: see narrative_stats.py, narrative_lists.py and inject_stats.py.
STATS_TYPES = (
    "structure_ratio",  # a part of a structure ratio a:b:c, or a 分别占 share, over the amounts
    "ratio_points",  # a share's change in points between two structure ratios (由…调整为…)
    "points_gap",  # a gap in points after a figure in brackets (高于全省（5.1%）1.3个百分点)
    "named_formula",  # 自然增长率 (出生率 − 死亡率) or 城镇化率 (城镇 / 常住)
    "split_total",  # a part of a total split between semicolons or opening the next paragraph
    "small_items",  # the channels in a paragraph of their own miss the total before them
    "wan_parts",  # the parts of a total in 万 (some in 万, some in full) miss it
    "wan_table_growth",  # the growth of a total in 万 against the rows of its period table
    "topn_table_share",  # a top-five table's share over the group total the text states
)
OPT_IN_TYPES += STATS_TYPES


@dataclass
class Bulletin:
    """Everything a renderer needs, and the truth about it."""

    id: str
    producer: Producer
    font: str
    issuer: str
    doc_number: str | None
    title: str
    recipients: str
    body: list[Paragraph]
    attachment_notes: list[str]
    signature: str
    date_text: str
    tables: list[TableSpec]
    # truth that is not visible in the layout
    district: str
    period_start: str
    period_end: str
    published: str
    rounding: str
    departments: dict[str, str]
    claims: list[Claim]
    errors: list[InjectedError]
    decimals: int = 2  # places of every rate, share and score the document prints


def truth_json(b: Bulletin, pages: int | None = None) -> dict[str, Any]:
    """The ground truth written beside a rendered bulletin."""
    return {
        "schema": TRUTH_SCHEMA,
        "id": b.id,
        "producer": b.producer,
        "pages": pages,
        "metadata": {
            "issuer": b.issuer,
            "doc_number": b.doc_number,
            "title": b.title,
            "district": b.district,
            "period": {"start": b.period_start, "end": b.period_end},
            "published": b.published,
            "rounding": b.rounding,
            "decimals": b.decimals,
        },
        "attachment_notes": b.attachment_notes,
        "tables": [
            {
                "id": t.id,
                "attachment": t.attachment,
                "title": t.title,
                "kind": t.kind,
                "header_rows": [[asdict(c) for c in row] for row in t.header_rows],
                "columns": t.columns,
                "body_rows": t.body_rows,
                "total_rows": t.total_rows,
                "layout": asdict(t.layout),
                "keys": t.keys,
            }
            for t in b.tables
        ],
        "departments": b.departments,
        "claims": [asdict(c) for c in b.claims],
        "errors": [asdict(e) for e in b.errors],
    }
