"""Structure ratios: which runs of colon-joined numbers are shares of a whole."""

from __future__ import annotations

from pipeline.normalize.ratios import structure_ratios


def _read(text: str) -> list[list[tuple[str, str | None]]]:
    return [[(p.number.text, p.name) for p in r.parts] for r in structure_ratios(text)]


def test_a_structure_ratio_names_its_items_in_order() -> None:
    assert _read("全县三次产业结构为8.1:40.6:51.3，比上年有所优化。") == [
        [("8.1", "第一产业"), ("40.6", "第二产业"), ("51.3", "第三产业")]
    ]


def test_the_earlier_ratio_of_a_change_and_a_bracketed_one_are_left_out() -> None:
    assert _read("三次产业结构由上年的9.0:41.0:50.0调整为8.1:40.6:51.3。") == [
        [("8.1", "第一产业"), ("40.6", "第二产业"), ("51.3", "第三产业")]
    ]
    assert _read("三产比例为8.1:40.6:51.3，较上年（9.0:41.0:50.0）有所调整。") == [
        [("8.1", "第一产业"), ("40.6", "第二产业"), ("51.3", "第三产业")]
    ]


def test_times_proportions_and_runs_without_a_structure_word_are_not_ratios() -> None:
    assert _read("受理时间为08:30:00至17:30:00。") == []
    assert _read("男女比例为1:2:3。") == []  # parts that do not make 100
    assert _read("数据为8.1:40.6:51.3。") == []  # no structure word before it


def test_a_traditional_page_and_unnamed_parts() -> None:
    assert _read("三次產業結構調整為10.0:35.5:54.5。")[0][1] == ("35.5", "第二产业")
    assert _read("收入结构为40:35:25。") == [[("40", None), ("35", None), ("25", None)]]


def test_a_ratio_after_a_colon_of_words_is_read_and_not_one_inside_a_longer_run() -> None:
    assert _read("全年三次产业结构比例为：15.5:24.7:59.8。") == [
        [("15.5", "第一产业"), ("24.7", "第二产业"), ("59.8", "第三产业")]
    ]
    # a run does not start after a colon of its own: 5:15.5:24.7:59.8 is no three-part ratio
    assert _read("产业结构为5:15.5:24.7:59.8。") == []


def test_a_ratio_joined_by_the_vertical_colon() -> None:
    assert _read("三次产业比例为6.0︰64.0︰30.0。") == [
        [("6.0", "第一产业"), ("64.0", "第二产业"), ("30.0", "第三产业")]
    ]
