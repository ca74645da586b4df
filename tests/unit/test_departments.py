"""Unit tests for pipeline.normalize.departments."""

from __future__ import annotations

import bz2
import json
from pathlib import Path

import pytest

from pipeline.errors import ConfigError
from pipeline.normalize.departments import (
    GAZETTEER_DIR,
    UNIHAN_VARIANTS,
    Gazetteer,
    cached_unihan_variants,
    find_gazetteer,
    load_gazetteer,
    parse_gazetteer,
    read_unihan_variants,
    resolve_departments,
    similar,
    to_simplified,
)
from pipeline.normalize.name_rules import distinguishing_difference, full_form, load_naming_rules
from pipeline.normalize.segmenter import cache_dir

SEED_TABLE_NAMES = [
    "区市场监督管理局",
    "区城市管理执法局",
    "区教育局体育局",
    "十里铺街道办事处",
    "东风路街道办事处",
    "中山西路街道办事处",
    "区卫生健康局",
    "区医疗保障局",
    "金台区硃石镇",
    "区行政审批服务局",
    "区商务局",
    "区应急管理局",
    "市生态环境局金台分局",
    "区退役军人事务局",
    "区残联",
    "区文化和旅游游局",
    "区民政局",
    "金台区司法局",
    "金利苑筹建办",
    "北城建委",
    "政法委",
    "群众路街道办事处",
    "中山东路街道办事处",
    "区人力资源和社会保障局",
    "金台区蟠龙镇",
    "市自然资源和规划局金台分局",
    "西关街道办事处",
    "金台区金河镇",
    "区住房和城乡建设局",
    "金台区陈仓镇",
    "区林水局",
    "区交通运输局",
    "区农业农村分局",
    "卧龙寺街道办事处",
    "长乐源管委办",
    "区教育体育局",
    "区数字化信息服务中心",
    "陈仓镇",
    "硤石镇",
    "区教育局",
]


def _small(tmp_path: Path) -> Gazetteer:
    data = {
        "district": "甲乙区",
        "city": "丙丁市",
        "names": ["区民政局", "区文化和旅游局", "硖石镇"],
        "aliases": {"硃石镇": "硖石镇"},
    }
    path = tmp_path / "small.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return load_gazetteer(path)


@pytest.fixture(scope="module")
def jintai() -> Gazetteer:
    gazetteer = find_gazetteer("金台区")
    assert gazetteer is not None
    return gazetteer


def test_departments_load_gazetteer(tmp_path: Path) -> None:
    gaz = _small(tmp_path)
    assert (gaz.district, gaz.city) == ("甲乙区", "丙丁市")
    assert gaz.alias_map == {"硃石镇": "硖石镇"}


@pytest.mark.parametrize(
    "data",
    [
        [],
        {"district": "甲乙区", "city": "丙丁市"},
        {"district": "", "city": "丙丁市", "names": ["区民政局"]},
        {"district": "甲乙区", "city": "丙丁市", "names": ["区民政局", "区民政局"]},
        {"district": "甲乙区", "city": "丙丁市", "names": ["区民政局"], "aliases": {"x": "y"}},
        {"district": "甲乙区", "city": "丙丁市", "names": ["区民政局"], "alias": {}},
        {"district": "甲乙区", "city": "丙丁市", "names": ["甲", "乙"], "aliases": {"甲": "乙"}},
    ],
)
def test_departments_load_gazetteer_rejects_malformed(tmp_path: Path, data: object) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ConfigError):
        load_gazetteer(path)


def test_departments_load_gazetteer_rejects_bad_json(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_gazetteer(path)
    with pytest.raises(ConfigError):
        load_gazetteer(tmp_path / "missing.json")


def test_departments_shipped_gazetteers_load() -> None:
    paths = sorted(GAZETTEER_DIR.glob("*.json"))
    assert paths
    for path in paths:
        load_gazetteer(path)


@pytest.mark.parametrize("district", ["金台区", "宝鸡市金台区", "金台", " 金台区 "])
def test_departments_find_gazetteer_matches_district_forms(district: str) -> None:
    gaz = find_gazetteer(district)
    assert gaz is not None
    assert gaz.district == "金台区"


def test_departments_find_gazetteer_none(tmp_path: Path) -> None:
    assert find_gazetteer(None) is None
    assert find_gazetteer("渭滨区") is None
    _small(tmp_path)
    assert find_gazetteer("甲乙区", directory=tmp_path) is not None
    (tmp_path / "twin.json").write_text((tmp_path / "small.json").read_text("utf-8"), "utf-8")
    assert find_gazetteer("甲乙区", directory=tmp_path) is None  # ambiguous


def test_departments_exact(jintai: Gazetteer) -> None:
    name = resolve_departments(["区民政局"], gazetteer=jintai, district=None)["区民政局"]
    assert (name.canonical, name.reason) == ("区民政局", "exact")


def test_departments_exact_ignores_spaces(jintai: Gazetteer) -> None:
    name = resolve_departments(["区 民政局"], gazetteer=jintai, district=None)["区 民政局"]
    assert (name.canonical, name.reason) == ("区民政局", "exact")


def test_departments_alias(jintai: Gazetteer) -> None:
    names = resolve_departments(["区教育局体育局", "区教育局"], gazetteer=jintai, district=None)
    assert {n.canonical for n in names.values()} == {"区教育体育局"}
    assert {n.reason for n in names.values()} == {"alias"}


def test_departments_prefix(jintai: Gazetteer) -> None:
    names = resolve_departments(
        ["金台区司法局", "金台区陈仓镇", "宝鸡市金台区蟠龙镇"], gazetteer=jintai, district="金台区"
    )
    assert names["金台区司法局"].canonical == "区司法局"
    assert names["金台区司法局"].reason == "prefix"
    assert "dropped district prefix 金台区" in names["金台区司法局"].detail
    assert names["金台区陈仓镇"].canonical == "陈仓镇"
    assert names["宝鸡市金台区蟠龙镇"].canonical == "蟠龙镇"


def test_departments_bare_prefix(jintai: Gazetteer) -> None:
    name = resolve_departments(["司法局"], gazetteer=jintai, district=None)["司法局"]
    assert (name.canonical, name.reason) == ("区司法局", "prefix")


def test_departments_prefix_plus_alias(jintai: Gazetteer) -> None:
    name = resolve_departments(["金台区硃石镇"], gazetteer=jintai, district="金台区")[
        "金台区硃石镇"
    ]
    assert (name.canonical, name.reason) == ("硖石镇", "prefix+alias")
    assert "金台区" in name.detail and "硃石镇 → 硖石镇" in name.detail


def test_departments_variant(jintai: Gazetteer) -> None:
    names = resolve_departments(["硤石镇", "區民政局"], gazetteer=jintai, district=None)
    assert (names["硤石镇"].canonical, names["硤石镇"].reason) == ("硖石镇", "variant")
    assert "硤→硖" in names["硤石镇"].detail
    assert (names["區民政局"].canonical, names["區民政局"].reason) == ("区民政局", "variant")


def test_departments_duplicate_char(jintai: Gazetteer) -> None:
    name = resolve_departments(["区文化和旅游游局"], gazetteer=jintai, district=None)
    assert name["区文化和旅游游局"].canonical == "区文化和旅游局"
    assert name["区文化和旅游游局"].reason == "duplicate-char"
    assert name["区文化和旅游游局"].detail == "collapsed repeated character 游"


def test_departments_duplicate_char_needs_known_name() -> None:
    alone = resolve_departments(["区文化和旅游游局"], gazetteer=None, district=None)
    assert alone["区文化和旅游游局"].reason == "new"
    assert alone["区文化和旅游游局"].canonical == "区文化和旅游游局"
    together = resolve_departments(
        ["区文化和旅游游局", "区文化和旅游局"], gazetteer=None, district=None
    )
    assert together["区文化和旅游游局"].canonical == "区文化和旅游局"
    assert together["区文化和旅游游局"].reason == "duplicate-char"


def test_departments_duplicate_chars_collapsed_together(tmp_path: Path) -> None:
    gaz = _small(tmp_path)
    name = resolve_departments(["区文化和和旅游局局"], gazetteer=gaz, district=None)
    assert name["区文化和和旅游局局"].canonical == "区文化和旅游局"
    assert name["区文化和和旅游局局"].reason == "duplicate-char"


def test_departments_fuzzy_against_gazetteer(tmp_path: Path) -> None:
    gaz = _small(tmp_path)
    name = resolve_departments(["区文化旅游局"], gazetteer=gaz, district=None)
    assert name["区文化旅游局"].canonical == "区文化和旅游局"
    assert name["区文化旅游局"].reason == "fuzzy"
    assert "ratio 90.9" in name["区文化旅游局"].detail


def test_departments_fuzzy_refuses_substitution() -> None:
    names = resolve_departments(
        ["中山东路街道办事处", "中山西路街道办事处"], gazetteer=None, district=None
    )
    assert {n.canonical for n in names.values()} == {"中山东路街道办事处", "中山西路街道办事处"}


def test_departments_new_drops_district_prefix(jintai: Gazetteer) -> None:
    names = resolve_departments(["金台区档案馆", "金台区某某镇"], gazetteer=jintai, district=None)
    assert (names["金台区档案馆"].canonical, names["金台区档案馆"].reason) == ("区档案馆", "new")
    assert names["金台区某某镇"].canonical == "某某镇"


def test_departments_seed_with_gazetteer(jintai: Gazetteer) -> None:
    names = resolve_departments(SEED_TABLE_NAMES, gazetteer=jintai, district="金台区")
    assert all(n.reason != "new" for n in names.values())
    assert set(jintai.names) >= {n.canonical for n in names.values()}


def test_departments_without_gazetteer_clusters_by_frequency() -> None:
    printed = ["区教育体育局", "区教育局体育局", "区教育体育局", "硤石镇", "硖石镇", "区司法局",
               "金台区司法局", "金台区陈仓镇", "陈仓镇"]  # fmt: skip
    names = resolve_departments(printed, gazetteer=None, district=None)
    assert names["区教育局体育局"].canonical == "区教育体育局"
    assert names["区教育局体育局"].reason == "fuzzy"
    assert names["硤石镇"].canonical == "硖石镇"  # tie: the simplified spelling
    assert names["硤石镇"].reason == "variant"
    assert names["金台区司法局"].canonical == "区司法局"  # inferred district prefix
    assert names["金台区陈仓镇"].canonical == "陈仓镇"


def test_departments_without_gazetteer_prefers_shorter_on_ties() -> None:
    names = resolve_departments(["区司法局", "司法局"], gazetteer=None, district=None)
    assert {n.canonical for n in names.values()} == {"司法局"}


def test_departments_to_simplified() -> None:
    assert to_simplified("硤石鎮") == "硖石镇"


def test_departments_read_unihan_variants(tmp_path: Path) -> None:
    path = tmp_path / "Unihan_Variants.txt.bz2"
    lines = "# comment\nU+9DC4\tkSimplifiedVariant\tU+9E21\nU+4E00\tkSemanticVariant\tU+5F0C\n"
    path.write_bytes(bz2.compress(lines.encode("utf-8")))
    assert read_unihan_variants(path) == {"\u9dc4": "\u9e21"}


def test_departments_unihan_table_is_cached_per_user_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "Unihan_Variants.txt.bz2"
    lines = "U+9DC4\tkSimplifiedVariant\tU+9E21\nU+2A6A5\tkSimplifiedVariant\tU+2A6A5\n"
    lines += "U+5340\tkSimplifiedVariant\tU+533A\n"
    path.write_bytes(bz2.compress(lines.encode("utf-8")))
    stat = path.stat()
    cache = cache_dir() / f"unihan-simplified-{stat.st_size}-{stat.st_mtime_ns}.txt"
    try:
        assert cached_unihan_variants(path) == read_unihan_variants(path)  # parsed, then kept
        assert cache.read_text(encoding="utf-8") == "\u9dc4\u9e21\u5340\u533a"
        cache.write_text("\u5340\u533a", encoding="utf-8")
        assert cached_unihan_variants(path) == {"\u5340": "\u533a"}  # the cache, not the file
    finally:
        cache.unlink(missing_ok=True)


def test_departments_unihan_skips_a_character_that_is_its_own_simplified_form(
    tmp_path: Path,
) -> None:
    path = tmp_path / "Unihan_Variants.txt"
    path.write_text("U+4E7E\tkSimplifiedVariant\tU+4E7E U+5E72\n", encoding="utf-8")
    assert read_unihan_variants(path) == {}  # 乾县 must not become 干县


def test_departments_installed_unihan_folds_what_opencc_keeps() -> None:
    # Debian's unicode-data, installed by `make test`: 嶴 is left alone by OpenCC t2s
    assert UNIHAN_VARIANTS.exists(), "install Debian's unicode-data (`make test` does)"
    assert to_simplified("嶴头镇") == "岙头镇"
    names = resolve_departments(["嶴头镇", "岙头镇"], gazetteer=None, district=None)
    assert {n.canonical for n in names.values()} == {"岙头镇"}


def test_departments_short_form_is_known_by_the_long_form() -> None:
    names = resolve_departments(
        ["朝阳街道", "朝阳街道办事处", "朝阳街道"], gazetteer=None, district=None
    )
    assert {n.canonical for n in names.values()} == {"朝阳街道办事处"}
    assert names["朝阳街道"].reason == "new"
    assert names["朝阳街道"].detail == "no gazetteer; 街道 is short for 街道办事处"


def test_departments_short_form_alone_is_written_out(tmp_path: Path) -> None:
    alone = resolve_departments(["朝阳街道"], gazetteer=None, district=None)["朝阳街道"]
    assert (alone.canonical, alone.reason) == ("朝阳街道办事处", "new")
    gaz = parse_gazetteer(
        {"district": "甲乙区", "city": "丙丁市", "names": ["朝阳街道办事处"]}, "inline"
    )
    name = resolve_departments(["甲乙区朝阳街道"], gazetteer=gaz, district="甲乙区")
    assert name["甲乙区朝阳街道"].canonical == "朝阳街道办事处"
    assert name["甲乙区朝阳街道"].reason == "prefix+short-form"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("区农业农村局", "区农业农村分局"),  # 局 vs 分局: a branch of the city's bureau
        ("中山路街道办事处", "中山西路街道办事处"),  # a direction names another street
        ("第一中学", "第十一中学"),  # numbered bodies
        ("区政务服务中心", "区政务服务局"),  # 中心 vs 局
    ],
)
def test_departments_never_merge_distinguished_names(a: str, b: str) -> None:
    assert similar(a, b) is None
    names = resolve_departments([a, a, b], gazetteer=None, district=None)
    assert names[a].canonical != names[b].canonical


def test_departments_near_match_without_distinguishing_token() -> None:
    assert similar("高新技术产业园区管委会", "高新技术产业园管委会") is not None
    assert distinguishing_difference("高新技术产业园区管委会", "高新技术产业园管委会") is None
    assert distinguishing_difference("区农业农村局", "区农业农村分局") == "ends in 局 vs 分局"
    assert distinguishing_difference("中山路街道", "中山西路街道") == "differs by 西"


def test_departments_gazetteer_seen_is_checked() -> None:
    base = {"district": "甲乙区", "city": "丙丁市", "names": ["区民政局"]}
    seen = {"甲乙区民政局": {"canonical": "区民政局", "count": 3, "first": "2023-01"}}
    assert parse_gazetteer({**base, "seen": seen}, "inline").names == ("区民政局",)
    with pytest.raises(ConfigError):
        parse_gazetteer({**base, "seen": {"x": {"canonical": "区财政局"}}}, "inline")
    with pytest.raises(ConfigError):
        parse_gazetteer({**base, "seen": {"x": {"when": 1}}}, "inline")


def test_departments_naming_rules_reject_malformed(tmp_path: Path) -> None:
    path = tmp_path / "naming.json"
    path.write_text(json.dumps({"short_forms": {"街道": "办事处"}, "endings": ["局"]}), "utf-8")
    with pytest.raises(ConfigError):
        load_naming_rules(path)
    path.write_text(json.dumps({"endings": []}), "utf-8")
    with pytest.raises(ConfigError):
        load_naming_rules(path)
    assert full_form("朝阳街道") == ("朝阳街道办事处", ("街道", "街道办事处"))
    assert full_form("朝阳街道办事处") == ("朝阳街道办事处", None)
