"""Unit tests for pipeline.normalize.metrics."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.errors import ConfigError
from pipeline.normalize.metrics import (
    columns_to_metrics,
    header_to_metric,
    header_weight,
    load_vocabulary,
    phrase_to_metric,
    segment,
)


@pytest.mark.parametrize(
    ("path", "metric"),
    [
        (("办结得分(35分)", "工单数"), "completed"),
        (("办结得分(35分)", "得分"), "score_completed"),
        (("按期办结得分(40分)", "工单数"), "completed_on_time"),
        (("逾期退单得分(5分)", "工单数"), "overdue_returns"),
        (("告警工单得分(10分)", "工单数"), "alerts"),
        (("工作量得分(5分)", "办结工单数量"), "completed"),
        (("工作量得分(5分)", "办结最高分"), "completed_max"),
        (("工作量得分(5分)", "得分"), "score_workload"),
        (("返工工单得分",), "score_rework"),
        (("最终得分",), "score_total"),
        (("应办件数",), "received"),
        (("按期办结数",), "completed_on_time"),
        (("办结数",), "completed"),
        (("按期办结率",), "rate_completed_on_time"),
        (("序号",), "row_number"),
        (("部门名称",), "department"),
        (("排名",), "rank"),
        (("得分",), "score"),
    ],
)
def test_metrics_header_to_metric(path: tuple[str, ...], metric: str) -> None:
    assert header_to_metric(path) == metric


def test_metrics_header_to_metric_skips_weight_rows() -> None:
    assert header_to_metric(("办结得分", "(35分)", "工单数")) == "completed"
    assert header_to_metric(("办结得分", "(35分)")) == "score_completed"


def test_metrics_header_to_metric_spaces_and_fullwidth() -> None:
    assert header_to_metric(("按期办结 得分（40分）", "工单数")) == "completed_on_time"
    assert header_to_metric(("办结率（%）",)) == "rate_completed"


def test_metrics_header_to_metric_rate_group_score() -> None:
    assert header_to_metric(("满意率(20分)", "得分")) == "score_satisfaction"


@pytest.mark.parametrize("path", [("备注",), (), ("(35分)",), ("本期",)])
def test_metrics_header_to_metric_unknown(path: tuple[str, ...]) -> None:
    assert header_to_metric(path) is None


@pytest.mark.parametrize(
    ("path", "weight"),
    [
        (("办结得分(35分)", "工单数"), Decimal(35)),
        (("按期办结得分（40分）",), Decimal(40)),
        (("逾期退单得分", "5分", "得分"), Decimal(5)),
        (("满意度(７.５分)",), Decimal("7.5")),
        (("办结最高分",), None),
        (("得分",), None),
        (("时限(30分钟)",), None),
    ],
)
def test_metrics_header_weight(path: tuple[str, ...], weight: Decimal | None) -> None:
    assert header_weight(path) == weight


@pytest.mark.parametrize(
    ("text", "metric"),
    [
        ("共接收市级交办工单事项", "received"),
        ("实际办结", "completed"),
        ("按期办结率", "rate_completed_on_time"),
        ("总量占比", "share"),
        ("总体办结率", "rate_completed"),
        ("受理市民来信", "received"),
        ("按期办结", "completed_on_time"),
    ],
)
def test_metrics_phrase_to_metric(text: str, metric: str) -> None:
    assert phrase_to_metric(text) == metric


def test_metrics_phrase_to_metric_ignores_header_only_and_unknown() -> None:
    assert phrase_to_metric("承办单位在接到工单后") is None
    assert phrase_to_metric("主要反映物业服务") is None


def test_metrics_segment_longest_word_wins() -> None:
    assert segment("按期办结率") == ["按期办结率"]
    assert segment("返工工单得分") == ["返工工单", "得分"]


def test_metrics_load_vocabulary_rejects_conflicts(tmp_path: Path) -> None:
    path = tmp_path / "metrics.json"
    path.write_text(
        json.dumps({"metrics": {"a": ["受理"], "b": ["受理"]}}, ensure_ascii=False), "utf-8"
    )
    with pytest.raises(ConfigError):
        load_vocabulary(path)
    path.write_text(json.dumps({"metrics": {"a": "受理"}}, ensure_ascii=False), "utf-8")
    with pytest.raises(ConfigError):
        load_vocabulary(path)
    with pytest.raises(ConfigError):
        load_vocabulary(tmp_path / "missing.json")


@pytest.mark.parametrize(
    ("path", "metric"),
    [
        (("工单数",), "received"),  # a bare count word counts work orders
        (("数量(件)",), "received"),
        (("总量",), "received"),
        (("逾期退单得分（10分）", "退单数"), "overdue_returns"),
        (("按期办结率得分(50分)", "办结数"), "completed"),
        (("按期办结率得分(40分)", "按期办结数"), "completed_on_time"),
        (("工作量得分（5分）", "最高办结量"), "completed_max"),
        (("工单量", "本期"), "received"),
        (("办结量", "上月"), "completed"),
        (("工单量", "环比(%)"), "growth_received"),
        (("办结量环比增减(%)",), "growth_completed"),
        (("满意度得分（20分）", "回访数"), "visited"),
        (("回访情况", "满意率"), "rate_satisfaction"),
        (("回访情况", "满意数"), "satisfaction"),
        (("未办结",), "pending"),
        (("在办件数",), "pending"),
        (("问题类型",), "category"),
    ],
)
def test_metrics_header_to_metric_more_forms(path: tuple[str, ...], metric: str) -> None:
    assert header_to_metric(path) == metric


def test_metrics_header_only_words_name_no_narrative_metric() -> None:
    assert phrase_to_metric("问题类型") is None
    assert phrase_to_metric("环比") is None


def test_metrics_count_default_must_be_a_metric(tmp_path: Path) -> None:
    path = tmp_path / "metrics.json"
    path.write_text(json.dumps({"metrics": {"received": ["受理"]}, "count_default": "x"}), "utf-8")
    with pytest.raises(ConfigError):
        load_vocabulary(path)


def test_metrics_growth_header_is_a_growth_metric() -> None:
    assert header_to_metric(("受理量环比(%)",)) == "growth_received"
    assert header_to_metric(("受理量", "环比（%）")) == "growth_received"


def test_metrics_pending_is_named_in_prose_but_loose_words_are_not() -> None:
    assert phrase_to_metric("未办结") == "pending"
    assert phrase_to_metric("其中尚未办结") == "pending"
    assert phrase_to_metric("承办单位正在办理中") is None  # 在办 here is not a count of pending
    assert header_to_metric(("办理中",)) == "pending"


def test_metrics_generic_count_beside_the_named_metric_is_the_group_base() -> None:
    group = "办结得分（40分）"
    paths = [("序号",), ("单位名称",), (group, "工单数"), (group, "办结数"), (group, "得分")]
    assert columns_to_metrics(paths) == (
        "row_number",
        "department",
        "received",
        "completed",
        "score_completed",
    )
    # alone in its group the generic count takes the group's metric, as the seed prints it
    assert columns_to_metrics([(group, "工单数"), (group, "得分")]) == (
        "completed",
        "score_completed",
    )
    on_time = "按期办结得分(40分)"
    assert columns_to_metrics([(on_time, "工单数"), (on_time, "按期办结数")]) == (
        "completed",
        "completed_on_time",
    )


def test_metrics_bare_count_word_in_a_rate_table_counts_work_orders() -> None:
    paths = [("序号",), ("单位名称",), ("工单数",), ("办结数",), ("办结率(%)",)]
    assert columns_to_metrics(paths)[2:] == ("received", "completed", "rate_completed")


def test_metrics_vocabulary_rejects_bad_header_words_and_group_base(tmp_path: Path) -> None:
    path = tmp_path / "metrics.json"
    base = {"metrics": {"received": ["受理"], "completed": ["办结"]}}
    path.write_text(json.dumps({**base, "header_words": ["在办"]}, ensure_ascii=False), "utf-8")
    with pytest.raises(ConfigError, match="header_words"):
        load_vocabulary(path)
    path.write_text(json.dumps({**base, "group_base": {"completed": "x"}}), "utf-8")
    with pytest.raises(ConfigError, match="group_base"):
        load_vocabulary(path)
    path.write_text(json.dumps({**base, "group_base": {"completed": "received"}}), "utf-8")
    assert load_vocabulary(path).group_base == {"completed": "received"}
