"""jieba's word segmentation without loading jieba's dictionary into memory.

jieba keeps its 500,000-entry dictionary in a dict that every process loads from a
marshal cache (about 1.5 s, once for each `jieba.Tokenizer`). Segmentation only ever
asks for the words that are substrings of the text being cut, so here the dictionary
is a sorted table on disk, built once per user from jieba's own `dict.txt` next to
its cache and searched by bisection through `mmap` (`WordFreqs`). `Segmenter.cut`
is jieba's accurate mode without HMM (`Tokenizer.cut(text, HMM=False)`), the same
steps over the same frequencies, so it cuts every text exactly as jieba does;
`tests/unit/test_segmenter.py` compares the two. jieba itself is imported only by
`jieba_tokenizer`, for the rank lists that need its HMM (`rank_lists`).
"""

from __future__ import annotations

import array
import importlib.util
import mmap
import os
import re
import struct
import sys
import tempfile
from collections.abc import Iterable, Iterator
from functools import cache
from math import log
from pathlib import Path
from typing import Any

from pipeline.errors import ConfigError

# jieba's block and skip patterns (jieba/__init__.py, re_han_default, re_skip_default, re_eng)
HAN = re.compile("([\u4e00-\u9fd5a-zA-Z0-9+#&\\._%\\-]+)", re.U)
SKIP = re.compile("(\r\n|\\s)", re.U)
ENG = re.compile("[a-zA-Z0-9]", re.U)
MAGIC = b"bulletins-wordfreq/1\n"
HEADER = struct.Struct("<QQ")  # entries, total frequency


def cache_dir() -> Path:
    """One folder per user for the jieba cache and the word table (never one per process)."""
    folder = Path(tempfile.gettempdir()) / f"bulletins-jieba-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def jieba_dict_file() -> Path:
    """jieba's shipped dictionary, found without importing jieba. Raises ConfigError."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        raise ConfigError("jieba is not installed")
    return Path(spec.origin).parent / "dict.txt"


def parse_dict(lines: Iterable[bytes]) -> tuple[dict[str, int], int]:
    """jieba's `gen_pfdict`: word -> frequency, every prefix of a word at least 0, the total."""
    freq: dict[str, int] = {}
    total = 0
    for line in lines:
        text = line.strip().decode("utf-8")
        if not text:
            continue
        word, count = text.split(" ")[:2]
        freq[word] = int(count)
        total += int(count)
        for end in range(1, len(word) + 1):
            freq.setdefault(word[:end], 0)
    return freq, total


def write_table(freq: dict[str, int], total: int, path: Path) -> None:
    """Write the sorted table atomically (every process of a user may share it)."""
    keys = sorted(k.encode("utf-8") for k in freq)
    offsets = array.array("I", [0])
    counts = array.array("I")
    for key in keys:
        offsets.append(offsets[-1] + len(key))
        counts.append(freq[key.decode("utf-8")])
    if sys.byteorder != "little":
        offsets.byteswap()
        counts.byteswap()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(MAGIC + HEADER.pack(len(keys), total))
            fh.write(offsets.tobytes() + counts.tobytes() + b"".join(keys))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class WordFreqs:
    """jieba's word frequencies from the on-disk table, plus words added in this process.

    Supports what jieba's `Tokenizer` asks of its `FREQ` dict: `in`, `[]`, `get` and
    setting a word. Looked-up words are remembered.
    """

    def __init__(self, path: Path) -> None:
        with path.open("rb") as fh:
            self._map = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        start = len(MAGIC)
        if self._map[:start] != MAGIC:
            raise ConfigError(f"{path}: not a word table")
        self.size, self.total = HEADER.unpack_from(self._map, start)
        start += HEADER.size
        view = memoryview(self._map)
        self._offsets = view[start : start + 4 * (self.size + 1)].cast("I")
        start += 4 * (self.size + 1)
        self._counts = view[start : start + 4 * self.size].cast("I")
        self._keys_at = start + 4 * self.size
        self._known: dict[str, int | None] = {}

    def _find(self, word: str) -> int | None:
        known = self._known
        if word in known:
            return known[word]
        key = word.encode("utf-8")
        lo, hi, base, offsets, data = 0, self.size, self._keys_at, self._offsets, self._map
        while lo < hi:
            mid = (lo + hi) // 2
            probe = data[base + offsets[mid] : base + offsets[mid + 1]]
            if probe < key:
                lo = mid + 1
            else:
                hi = mid
        found = None
        if lo < self.size and data[base + offsets[lo] : base + offsets[lo + 1]] == key:
            found = int(self._counts[lo])
        known[word] = found
        return found

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._find(word) is not None

    def __getitem__(self, word: str) -> int:
        found = self._find(word)
        if found is None:
            raise KeyError(word)
        return found

    def get(self, word: str, default: int | None = None) -> int | None:
        found = self._find(word)
        return default if found is None else found

    def __setitem__(self, word: str, freq: int) -> None:
        self._known[word] = freq


@cache
def word_freqs() -> WordFreqs:
    """jieba's default dictionary as a `WordFreqs`, the table built on first use per user."""
    source = jieba_dict_file()
    stat = source.stat()
    path = cache_dir() / f"wordfreq-{stat.st_size}-{int(stat.st_mtime)}.bin"
    if not path.exists():
        with source.open("rb") as fh:
            write_table(*parse_dict(fh), path)
    return WordFreqs(path)


class Segmenter:
    """jieba's accurate mode without HMM over the default dictionary plus added words."""

    def __init__(self, words: Iterable[str] = (), freq: int = 1) -> None:
        self.freqs = _Overlay(word_freqs())
        for word in words:
            self.freqs.add(word, freq)

    def cut(self, text: str) -> Iterator[str]:
        """The words of `text`, as `jieba.Tokenizer.cut(text, HMM=False)` yields them."""
        for block in HAN.split(text):
            if not block:
                continue
            if HAN.match(block):
                yield from self._cut_block(block)
                continue
            for part in SKIP.split(block):
                if SKIP.match(part):
                    yield part
                else:
                    yield from part

    def _cut_block(self, text: str) -> Iterator[str]:
        route = self._route(text)
        x, buf = 0, ""
        while x < len(text):
            y = route[x] + 1
            word = text[x:y]
            if len(word) == 1 and ENG.match(word):
                buf += word
            else:
                if buf:
                    yield buf
                    buf = ""
                yield word
            x = y
        if buf:
            yield buf

    def _route(self, text: str) -> list[int]:
        """For each position, the end of the word the most probable cut takes there."""
        freqs, n = self.freqs, len(text)
        dag: list[list[int]] = []
        for k in range(n):
            ends, i, frag = [], k, text[k]
            while i < n and frag in freqs:
                if freqs[frag]:
                    ends.append(i)
                i += 1
                frag = text[k : i + 1]
            dag.append(ends or [k])
        logtotal = log(freqs.total)
        best: list[tuple[float, int]] = [(0.0, 0)] * (n + 1)
        for idx in range(n - 1, -1, -1):
            best[idx] = max(
                (log(freqs.get(text[idx : x + 1]) or 1) - logtotal + best[x + 1][0], x)
                for x in dag[idx]
            )
        return [end for _, end in best[:n]]


class _Overlay:
    """Added words over the shared table, as jieba's `add_word` changes its FREQ dict."""

    def __init__(self, base: WordFreqs) -> None:
        self.base = base
        self.added: dict[str, int] = {}
        self.total = base.total

    def add(self, word: str, freq: int) -> None:
        self.added[word] = freq
        self.total += freq
        for end in range(1, len(word) + 1):
            if word[:end] not in self:
                self.added[word[:end]] = 0

    def __contains__(self, word: str) -> bool:
        return word in self.added or word in self.base

    def __getitem__(self, word: str) -> int:
        return self.added[word] if word in self.added else self.base[word]

    def get(self, word: str) -> int | None:
        return self.added[word] if word in self.added else self.base.get(word)


@cache
def jieba_tokenizer() -> Any:
    """jieba's default tokenizer (`jieba.dt`, with its HMM) reading the shared table.

    Imports jieba (about 0.25 s) but does not load its dictionary.
    """
    import jieba

    jieba.dt.tmp_dir = str(cache_dir())
    freqs = word_freqs()
    jieba.dt.FREQ = freqs
    jieba.dt.total = freqs.total
    jieba.dt.initialized = True
    return jieba.dt
