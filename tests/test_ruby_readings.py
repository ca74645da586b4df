"""Readings printed over or after characters (ruby pinyin) are no part of the text: the
words they split (增长, 占比) are read whole, in HTML (<rt>) and in text copies, where a
bracketed syllable goes only when the page shows the habit: toned readings, or enough
untoned ones shaped as pinyin syllables (never units such as (kg))."""

from __future__ import annotations

from pathlib import Path

from pipeline.extract.html import html_to_document
from pipeline.extract.ruby import strip_readings
from pipeline.extract.text import text_to_document
from pipeline.model import Document


def _text(doc: Document) -> str:
    return "".join(line.text for line in doc.lines)


def test_text_copy_drops_bracketed_readings(tmp_path: Path) -> None:
    path = tmp_path / "b.txt"
    path.write_text(
        "某区通报\n\n全区共受理诉求500件，同比增长(zhǎng)5.0%，其中投诉占(zhàn)比"
        "20.0%，区(qū)属单位办结率98.0%，网(wang)上渠道占40.0%。\n",
        encoding="utf-8",
    )
    body = _text(text_to_document(path))
    assert "同比增长5.0%" in body and "占比20.0%" in body and "网上渠道" in body
    assert "(" not in body


def test_a_few_brackets_without_tones_stay() -> None:
    # English or codes in brackets after a character are no readings
    text = "手机(app)端受理120件，电脑(pc)端80件。"
    assert strip_readings(text) == text


def test_untoned_syllables_go_when_the_page_prints_many_doubled_ones_too() -> None:
    text = "某(mou)县生(sheng)(sheng)产总值(zhi)为86.40亿(yi)元(yuan)，增(zeng)长5.0%。"
    assert strip_readings(text) == "某县生产总值为86.40亿元，增长5.0%。"


def test_units_in_brackets_are_no_syllables() -> None:
    text = "浓度(mg)为5，重量(kg)为3，体积(ml)为2，面积(km)为4，含量(ppm)为1，长(cm)为6。"
    assert strip_readings(text) == text


def test_html_ruby_reading_is_left_out(tmp_path: Path) -> None:
    path = tmp_path / "b.html"
    path.write_text(
        "<html><body><h1>某区通报</h1><p>全区共受理诉求500件，同比增"
        "<ruby>长<rp>(</rp><rt>zhǎng</rt><rp>)</rp></ruby>5.0%。</p></body></html>",
        encoding="utf-8",
    )
    body = _text(html_to_document(path))
    assert "同比增长5.0%" in body and "zhǎng" not in body
