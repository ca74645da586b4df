"""The on-disk word table and `Segmenter` cut exactly as jieba does, without its dictionary."""

from __future__ import annotations

import random
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from pipeline.normalize.metrics import WORD_FREQ, vocabulary
from pipeline.normalize.segmenter import (
    Segmenter,
    WordFreqs,
    jieba_dict_file,
    parse_dict,
    word_freqs,
    write_table,
)

ROOT = Path(__file__).resolve().parents[2]
TEXTS = [
    "受理群众诉求1588件，办结1589件，办结率99.94%",
    "按时办结率",
    "办结得分(35分)工单数",
    "区水务局和区统计局、和平路街道办事处与区发展和改革局",
    "2023年2月份 12345热线 共受理 abc-def_1.5% 事项",
    "  \r\n 逾期退单得分 退单数\t环比增长",
    "",
]


@cache
def jieba_with_vocabulary() -> Any:
    import jieba

    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    vocab = vocabulary()
    for word in [*vocab.synonyms, *vocab.count_words]:
        tokenizer.add_word(word, freq=WORD_FREQ)
    return tokenizer


def corpus_texts() -> list[str]:
    text = (ROOT / "corpus" / "seed" / "jintai_2023_02_hotline_bulletin.txt").read_text("utf-8")
    return [line for line in text.splitlines() if line.strip()]


def test_segmenter_table_matches_jieba_dictionary(tmp_path: Path) -> None:
    words = ["按时", "按时办结", "办结", "率"]
    lines = [f"{w} {i + 3} n".encode() for i, w in enumerate(words)]
    freq, total = parse_dict(lines)
    write_table(freq, total, tmp_path / "t.bin")
    table = WordFreqs(tmp_path / "t.bin")
    assert table.total == total == 3 + 4 + 5 + 6
    assert table["按时办结"] == 4 and table["按时办"] == 0 and table.get("按") == 0
    assert "按时办结率" not in table and table.get("办结率") is None


def test_segmenter_word_freqs_equal_jieba_freq() -> None:
    import jieba

    with jieba_dict_file().open("rb") as fh:
        freq, total = parse_dict(fh)
    table = word_freqs()
    assert table.total == total
    sample = random.Random(15).sample(sorted(freq), 2000)
    assert all(table[w] == freq[w] for w in sample)
    assert jieba.dt.gen_pfdict(jieba.dt.get_dict_file()) == (freq, total)


@pytest.mark.parametrize("text", TEXTS)
def test_segmenter_cuts_as_jieba_without_hmm(text: str) -> None:
    ours = Segmenter([*vocabulary().synonyms, *vocabulary().count_words], freq=WORD_FREQ)
    assert list(ours.cut(text)) == list(jieba_with_vocabulary().cut(text, HMM=False))


def test_segmenter_cuts_the_seed_as_jieba() -> None:
    ours = Segmenter([*vocabulary().synonyms, *vocabulary().count_words], freq=WORD_FREQ)
    jieba = jieba_with_vocabulary()
    texts = corpus_texts()
    assert [list(ours.cut(t)) for t in texts] == [list(jieba.cut(t, HMM=False)) for t in texts]


def test_segmenter_plain_jieba_with_hmm_reads_the_table() -> None:
    import jieba

    from pipeline.normalize.segmenter import jieba_tokenizer

    plain = jieba.Tokenizer()
    texts = [*TEXTS, *corpus_texts()]
    ours = jieba_tokenizer()
    assert [list(ours.cut(t)) for t in texts] == [list(plain.cut(t)) for t in texts]
