"""Plain text as web pages give it: chrome, titles, publication dates and tables printed
without tabs, on the pattern fixtures of corpus/patterns (one .txt each and its
.truth.json, schema bulletins.pattern/1, written in our own words with invented numbers)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pipeline.extract.lines import join_cjk
from pipeline.extract.pagehead import is_chrome, published_date, title_range
from pipeline.extract.plain_tables import find_plain_tables
from pipeline.extract.text import text_to_document
from pipeline.model import Document
from pipeline.normalize.metadata import resolve_metadata

PATTERNS = Path(__file__).resolve().parents[1] / "corpus" / "patterns"
CASES = sorted(PATTERNS.glob("*.truth.json"))


def _truth(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    assert data["schema"] == "bulletins.pattern/1"
    return data


def _read(truth_path: Path) -> Document:
    return text_to_document(
        truth_path.with_name(truth_path.name.removesuffix(".truth.json") + ".txt")
    )


def _paragraphs(doc: Document) -> list[str]:
    texts: dict[int, str] = {}
    for line in doc.lines:
        texts[line.paragraph] = join_cjk(texts.get(line.paragraph, ""), line.text)
    return [texts[k] for k in sorted(texts)]


def test_patterns_exist() -> None:
    assert CASES, f"no pattern fixtures under {PATTERNS}"


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name.removesuffix(".truth.json"))
def test_text_reading_title_and_date(path: Path) -> None:
    truth = _truth(path)
    doc = _read(path)
    title = doc.metadata.title.text if doc.metadata.title else None
    assert title == truth["title"]
    published = resolve_metadata(doc).published
    assert (published.isoformat() if published else None) == truth["published"]


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name.removesuffix(".truth.json"))
def test_text_reading_body_paragraphs(path: Path) -> None:
    assert _paragraphs(_read(path)) == _truth(path)["body"]
    assert _read(path).metadata.signature is None


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name.removesuffix(".truth.json"))
def test_text_reading_tables(path: Path) -> None:
    doc = _read(path)
    expected = _truth(path)["tables"]
    assert len(doc.tables) == len(expected)
    for table, want in zip(doc.tables, expected, strict=True):
        assert ["/".join(c) for c in table.columns] == want["header"]
        assert [[c.text for c in row] for row in table.body_rows] == want["rows"]
        (page,) = table.pages
        # body rows are numbered after the header rows (two for a two-level header); copies
        # printed side by side keep the place each cell was printed at, beside the first copy
        printed = {c.source.index for row in table.body_rows for c in row}
        for r, row in enumerate(table.body_rows, start=len(table.header_rows)):
            for k, cell in enumerate(row):
                assert cell.source.page == page
                assert cell.source.index == (r, k) or want.get("copies")
                assert cell.source.bbox is None and cell.source.backend == "text"
        assert len(printed) == sum(len(row) for row in table.body_rows)


@pytest.mark.parametrize(
    "line",
    [
        "当前位置：首页 > 政务公开 > 通知公告",
        "首頁/ 專題專欄 / 工作通報",
        "发布时间:2022-05-06 09:30 来源:本网 字体:[大 中 小]",
        "• 索 引 号:XY001-2022-0031",
        "分享到:",
        "打印本页 关闭窗口",
        "18px",
        "(责编:王芳)",
    ],
)
def test_pagehead_chrome_lines(line: str) -> None:
    assert is_chrome(line)


@pytest.mark.parametrize(
    "line",
    [
        "一、受理情况",
        "来源渠道",
        "微信",
        "2020年6月30日",
        "3月份共受理诉求1250件，办结率96.00%。",
        "受理量(件)",
        "时间安排",
    ],
)
def test_pagehead_body_lines_are_no_chrome(line: str) -> None:
    assert not is_chrome(line)


def test_pagehead_published_date_prefers_the_publication_field() -> None:
    assert published_date("生成日期: 2021-03-01 发布日期: 2021-03-02") == (0, "2021-03-02")
    assert published_date("發(fā)布日期:2021-10-18 14:18") == (1, "2021-10-18")
    assert published_date("归档时间:2024-04-01") is None


def test_pagehead_title_is_a_short_line_naming_a_bulletin() -> None:
    assert title_range(["某县热线情况通报", "一、基本情况"]) == (0, 1)
    assert title_range(["3月份共受理诉求1250件。", "某县热线情况通报"]) is None
    assert title_range(["喜讯", "某市2023年度", "热线考评结果", "正文从这里开始。"]) == (1, 3)


def test_plain_tables_need_row_numbers_in_a_numeric_first_column() -> None:
    lines = ["受理量(件)", "占比", "类别", "565", "41.33%", "商品", "203", "14.85%", "服务"]
    assert find_plain_tables(lines) == []


def test_plain_tables_refuse_a_run_that_goes_on_in_another_shape() -> None:
    table = ["单位", "件数", "甲单位", "12", "乙单位", "30"]
    assert len(find_plain_tables([*table, "全文完。"])) == 1
    assert find_plain_tables([*table, "一", "二", "三", "四", "五", "六"]) == []


def test_plain_tables_read_rows_of_a_label_and_numbers_without_a_header() -> None:
    rows = ["甲类", "12", "10", "乙类", "8", "9", "丙类", "30", "25"]
    (table,) = find_plain_tables(["对比表", *rows, "全文完。"])
    assert table.rows[0] == ("", "(2)", "(3)")
    assert table.rows[1:] == (("甲类", "12", "10"), ("乙类", "8", "9"), ("丙类", "30", "25"))
    assert find_plain_tables(["对比表", *rows[:6], "全文完。"]) == []  # two rows are too few


def test_plain_tables_refuse_headerless_rows_read_out_of_step() -> None:
    # rank, name, score rows: starting at a name pairs each score with the next rank
    lines = ["8", "甲村", "90.5", "9", "乙村", "90", "10", "丙村", "89", "11", "丁村", "88"]
    assert find_plain_tables([*lines, "全文完。"]) == []


def test_plain_tables_read_ranks_that_tie_under_a_rank_header() -> None:
    rows = ["1", "甲村", "95", "2", "乙村", "93", "2", "丙村", "93", "4", "丁村", "90"]
    (table,) = find_plain_tables(["名次", "村别", "得分", *rows, "全文完。"])
    assert table.rows[3] == ("2", "丙村", "93")
    # the same ranks under a header that names no rank are no row numbers: no table
    assert find_plain_tables(["编号", "村别", "得分", *rows, "全文完。"]) == []


def test_plain_tables_read_a_line_of_spaces_between_blank_lines_as_an_empty_cell() -> None:
    cells = ["名次", "村别", "得分", "奖金(元)", "1", "甲村", "95", "500"]
    cells += ["2", "乙村", "93", " ", "3", "丙村", "90", " "]
    lines = [line for cell in cells for line in (cell, "")]
    (table,) = find_plain_tables([*lines, "全文完。"])
    assert table.rows[2:] == (("2", "乙村", "93", ""), ("3", "丙村", "90", ""))
    # a line of spaces that is not alone between blank lines is no cell
    spaced = [line for cell in cells for line in ((cell,) if cell == " " else (cell, ""))]
    assert all(len(t.rows) < 4 for t in find_plain_tables([*spaced, "全文完。"]))


def test_plain_tables_join_a_name_wrapped_on_to_a_second_line() -> None:
    rows = ["教育类", "40", "城乡建设与", "环境保护类", "30", "交通类", "20"]
    (table,) = find_plain_tables(["领域", "件数", *rows, "全文完。"])
    assert table.rows[1:] == (("教育类", "40"), ("城乡建设与环境保护类", "30"), ("交通类", "20"))
    # a second part longer than the first is no wrap (a row whose numbers are missing)
    cut = ["教育类", "40", "甲", "环境保护类", "30", "交通类", "20"]
    assert all(len(t.rows) < 4 for t in find_plain_tables(["领域", "件数", *cut, "全文完。"]))


def test_plain_tables_read_a_remark_sentence_followed_by_its_score_as_a_cell() -> None:
    remark = "村道保洁不到位，垃圾桶外溢未及时清运，公厕卫生较差。"
    rows = ["第一名", "甲村", remark, "95", "第二名", "乙村", remark, "90"]
    (table,) = find_plain_tables(["名次", "村别", "存在问题", "得分", *rows, "全文完。"])
    assert table.rows[1] == ("第一名", "甲村", remark, "95")
    # a sentence that no number follows stays text: it ends the run
    cells = ["领域", "件数", "甲类", "4", "乙类", "5", remark, "丙类", "6"]
    (table,) = find_plain_tables([*cells, "全文完。"])
    assert table.rows[1:] == (("甲类", "4"), ("乙类", "5"))


def test_plain_tables_refuse_a_numbered_heading_or_an_introduction_as_header() -> None:
    cells = ["一、分类情况", "按领域分类如下：", "领域", "件数", "教育类", "40", "交通类", "20"]
    (table,) = find_plain_tables([*cells, "全文完。"])
    assert table.rows[0] == ("领域", "件数")


def test_plain_tables_keep_a_row_whose_blank_cell_was_dropped() -> None:
    rows = ["甲区", "50", "48", "40", "乙区", "30", "28", "丙区", "20", "20", "1.2倍"]
    (table,) = find_plain_tables(["地区", "受理量", "办结量", "增幅", *rows, "全文完。"])
    assert table.rows[1:] == (
        ("甲区", "50", "48", "40"),
        ("乙区", "30", "28"),
        ("丙区", "20", "20", "1.2倍"),
    )
    # short rows are a minority: two short among four rows is no table of this width
    most = ["甲区", "50", "48", "40", "乙区", "30", "28", "丙区", "20", "20", "丁区", "9", "9", "9"]
    found = find_plain_tables(["地区", "受理量", "办结量", "满意量", *most, "全文完。"])
    assert all(len(t.rows[0]) != 4 for t in found)
