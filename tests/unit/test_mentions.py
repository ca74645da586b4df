"""Unit tests for pipeline.normalize.mentions: department names in running text."""

from __future__ import annotations

from pipeline.normalize.departments import Gazetteer
from pipeline.normalize.mentions import (
    document_lexicon,
    find_names,
    name_lexicon,
    names_for_figures,
)

TABLE_NAMES = ["区市场监督管理局", "区应急管理局", "青龙街道办事处", "天宁区统计局", "合计"]


def test_mentions_district_prefix_is_part_of_the_printed_name() -> None:
    lexicon = name_lexicon(TABLE_NAMES, district="天宁区")
    text = "从受理量看，天宁区市场监督管理局承办工单最多"
    assert find_names(text, lexicon) == [("天宁区市场监督管理局", 6)]
    assert find_names("常州市天宁区青龙街道办事处表现突出", lexicon) == [
        ("常州市天宁区青龙街道办事处", 0)
    ]


def test_mentions_name_printed_with_the_prefix_is_found_without_it() -> None:
    lexicon = name_lexicon(TABLE_NAMES, district="天宁区")
    assert find_names("区统计局受理量最多", lexicon) == [("区统计局", 0)]


def test_mentions_longest_name_wins_and_spaces_are_allowed() -> None:
    lexicon = name_lexicon(["区教育局", "区教育体育局"], district=None)
    assert find_names("区教育体育局、区 教育局", lexicon) == [
        ("区教育体育局", 0),
        ("区 教育局", 7),
    ]


def test_mentions_district_with_its_city() -> None:
    lexicon = name_lexicon(["区民政局", "区农业农村局"], district="湖州市吴兴区")
    assert find_names("湖州市吴兴区民政局、吴兴区农业农村局还需持续改进", lexicon) == [
        ("湖州市吴兴区民政局", 0),
        ("吴兴区农业农村局", 10),
    ]


def test_mentions_short_labels_and_unknown_names_are_not_looked_for() -> None:
    lexicon = name_lexicon(TABLE_NAMES, district="天宁区")
    assert find_names("合计受理1200件，区文化和旅游局表现突出", lexicon) == []
    assert find_names("区应急管理局", name_lexicon([], district=None)) == []


def test_mentions_document_lexicon_adds_the_gazetteer_aliases() -> None:
    gazetteer = Gazetteer("金台区", "宝鸡市", ("区教育体育局",), (("区教育局", "区教育体育局"),))
    lexicon = document_lexicon([], gazetteer=gazetteer, district=None)
    assert find_names("区教育局、金台区教育体育局", lexicon) == [
        ("区教育局", 0),
        ("金台区教育体育局", 5),
    ]


def test_mentions_names_for_figures() -> None:
    names = [("区A局", 0), ("区B局", 12), ("区C局", 30)]
    # 300 and 20% are about 区A局, 200 about 区B局; 区C局 is named after the last figure
    about, left = names_for_figures([5, 9, 16], names)
    assert about == [("区A局",), ("区A局",), ("区B局",)]
    assert left == [("区C局", 30)]
    assert names_for_figures([], names) == ([], names)
    assert names_for_figures([3], []) == ([()], [])


def test_mentions_short_form_of_a_long_official_ending() -> None:
    lexicon = name_lexicon(["车站街道办事处"], district="渭滨区")
    text = "从受理量看，车站街道承办工单最多；车站街道办事处表现突出"
    assert find_names(text, lexicon) == [("车站街道", 6), ("车站街道办事处", 17)]


def test_mentions_unknown_city_does_not_swallow_the_words_before_it() -> None:
    lexicon = name_lexicon(["区民政局"], district="吴兴区")
    assert find_names("能及时联系湖州市吴兴区民政局", lexicon) == [("湖州市吴兴区民政局", 5)]
