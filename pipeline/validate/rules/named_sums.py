"""SUM004: a whole the text or a table names equals the parts it is made of by definition.

Statistics communiqués print a sector and, further on, the sectors it is made of: "第二产业
增加值265.8亿元……其中工业增加值212.2亿元……建筑业增加值54.0亿元", or the rows 第二产业 /
工业 / 建筑业 of a table of value added. No word says the one is the sum of the others,
so no list rule pairs them; the definitions are data (`pipeline/data/named_sums.json`).

A name matches only whole: 规模以上工业 is not 工业. The whole and its parts must measure
the same thing (the same word after the name, 增加值 with 增加值) in the same unit; in a
table they are rows of one column, and a part is the first row of its name after the whole,
before the whole's name comes again (a yearbook prints the same rows once for amounts, once
for indices, once for shares). Every figure stands for the values that round to it. A sum
that misses its whole by more than a tenth is another measure printed under the same names
(an index, a growth rate), not a slip, and is left alone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from pathlib import Path

from pipeline.errors import ConfigError
from pipeline.model import (
    Checked,
    Evidence,
    Normalized,
    Number,
    Problem,
    Quantity,
    QuantityKind,
    Record,
    Severity,
    Span,
)
from pipeline.normalize.script import fold_text
from pipeline.numeric.arithmetic import Rounding, exact_of, format_as, interval_of
from pipeline.validate.facts import admissible_roundings, first_label
from pipeline.validate.registry import rule
from pipeline.validate.rules.tables import TableView, doubtful, evidence, view_of
from pipeline.validate.rules.text_amounts import NEAR, printed_value
from pipeline.validate.rules.text_sums import PREVIOUS_WORDS, listed_parts, whole_list
from pipeline.validate.text_quantities import by_paragraph, quantity_evidence, quantity_span

DATA = Path(__file__).resolve().parents[2] / "data" / "named_sums.json"
WHOLE_GAP = Fraction(1, 10)  # further off, the rows print another measure under the same names
MEASURED = (QuantityKind.AMOUNT, QuantityKind.COUNT)
BRACKET_END = re.compile(r"[(（][^()（）]*[)）]$")  # 总产出(亿元): the unit, not the name
LABEL_LEAD = re.compile(r"^(其中)?[:：#\s]*")
YEAR = re.compile(r"(19[5-9]\d|20\d\d)\s*年?")  # a column of one year


@dataclass(frozen=True, slots=True)
class NamedSum:
    what: str
    whole: tuple[str, ...]
    parts: tuple[tuple[str, ...], ...]
    parts_measure: str | None = None  # a whole that is itself a measure (生产总值) of 增加值 parts
    until: int | None = None  # the last year the definition holds (the classification changed)
    bare_parts: bool = False  # parts printed by name alone, after "第三产业增加值中，"

    def holds_in(self, year: int | None) -> bool:
        """Whether the definition holds for figures of `year` (unknown: only if it always does)."""
        return self.until is None or (year is not None and year <= self.until)


@dataclass(frozen=True, slots=True)
class Pulls:
    """The words of a growth split by sector (GROWTH011): what names every sector, the
    words before the pulls and before the contributions, and the wholes that grow."""

    sectors: tuple[str, ...]
    pull_words: tuple[str, ...]
    contribution_words: tuple[str, ...]
    growth_of: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Vocabulary:
    sums: tuple[NamedSum, ...]
    measures: tuple[str, ...]
    leads: tuple[str, ...]
    fillers: tuple[str, ...]
    not_additive: tuple[str, ...]
    pulls: Pulls


@dataclass(frozen=True, slots=True)
class Found:
    """One printing of a whole and its parts: their numbers, where they are and how sure
    we are of the rows (a re-aligned row makes a miss a warning)."""

    definition: NamedSum
    whole: Number
    parts: tuple[Number, ...]
    spans: tuple[Span, ...]
    evidence: tuple[Evidence, ...]
    where: str
    doubt: bool = False
    table: str | None = None
    row: int | None = None
    sum003: bool = False  # SUM003 reads the same list and reports its miss


@cache
def vocabulary() -> Vocabulary:
    """named_sums.json, read once. Raises ConfigError."""
    try:
        raw = json.loads(DATA.read_text(encoding="utf-8"))
        sums = tuple(
            NamedSum(
                d["what"],
                tuple(d["whole"]),
                tuple(tuple(p) for p in d["parts"]),
                d.get("parts_measure"),
                d.get("until"),
                bool(d.get("bare_parts", False)),
            )
            for d in raw["sums"]
        )
        p = raw["pulls"]
        pulls = Pulls(
            tuple(p["sectors"]),
            tuple(p["pull_words"]),
            tuple(p["contribution_words"]),
            tuple(p["growth_of"]),
        )
        return Vocabulary(
            sums,
            measures=tuple(raw["measures"]),
            leads=tuple(raw["leads"]),
            fillers=tuple(raw["fillers"]),
            not_additive=tuple(raw["not_additive"]),
            pulls=pulls,
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{DATA}: malformed named sums ({exc!r})") from exc


@rule(
    "SUM004",
    Severity.ERROR,
    "a whole the text or a table names equals the parts it is made of by definition "
    "(第二产业 = 工业 + 建筑业; the names are data); same measure, unit and column",
)
def check_named_sums(norm: Normalized) -> Iterator[Problem | Checked]:
    accepted = admissible_roundings(norm)
    for found in (*_in_text(norm), *_in_tables(norm)):
        judged = _judge(found, accepted)
        if judged is None:
            continue  # another measure under the same names
        yield Checked(found.spans)
        if not judged and not found.sum003:
            yield _problem(found, accepted[0])


def _judge(found: Found, accepted: Sequence[Rounding]) -> bool | None:
    """Whether the parts make the whole under an admissible rounding; None when they are
    too far off to be its parts at all."""
    whole = exact_of(found.whole)
    added = sum((exact_of(n) for n in found.parts), Fraction(0))
    if whole <= 0 or abs(added - whole) > WHOLE_GAP * whole:
        return None
    for r in accepted:
        total = interval_of(found.parts[0], r)
        for n in found.parts[1:]:
            total = total + interval_of(n, r)
        if total.meets(interval_of(found.whole, r)):
            return True
    return False


def _in_text(norm: Normalized) -> Iterator[Found]:
    voc = vocabulary()
    year = norm.metadata.period.end.year if norm.metadata.period is not None else None
    for index, quantities in by_paragraph(norm).items():
        text = norm.paragraphs[index].text
        for definition in (d for d in voc.sums if d.holds_in(year)):
            measures = ("",) if definition.parts_measure else ("", *voc.measures)
            for measure in measures:
                found = _text_sum(text, quantities, definition, measure, voc)
                if found is not None:
                    yield found


def _text_sum(
    text: str,
    quantities: Sequence[Quantity],
    definition: NamedSum,
    measure: str,
    voc: Vocabulary,
) -> Found | None:
    """The paragraph's one whole of `definition` and, after it, its one figure of each part,
    all in one unit; None when any is missing or printed twice (which is meant is unsaid),
    and whether SUM003 reads the same figures as the whole's listed parts and reports a miss
    (a complete list, or three parts within 1%), so that a slip is reported once."""
    measured = [q for q in quantities if q.kind in MEASURED]
    whole = _one(measured, definition.whole, measure, voc)
    if whole is None:
        return None
    own = "" if definition.bare_parts else definition.parts_measure or measure
    parts = [_one(measured, names, own, voc) for names in definition.parts]
    found = [q for q in parts if q is not None and q.start > whole.end]
    if len(found) != len(parts) or any(not _same_unit(q.value, whole.value) for q in found):
        return None
    group = (whole, *found)
    return Found(
        definition,
        whole.value,
        tuple(q.value for q in found),
        spans=tuple(map(quantity_span, group)),
        evidence=tuple(map(quantity_evidence, group)),
        where="the text",
        sum003=_sum003_reports(text, whole, quantities, found),
    )


def _sum003_reports(
    text: str, whole: Quantity, quantities: Sequence[Quantity], parts: Sequence[Quantity]
) -> bool:
    if listed_parts(text, whole, quantities, printed_value) != list(parts):
        return False
    added = sum((exact_of(q.value) for q in parts), Fraction(0))
    near = len(parts) >= 3 and abs(added - exact_of(whole.value)) <= NEAR * exact_of(whole.value)
    return near or whole_list(parts)


def _one(
    quantities: Sequence[Quantity], names: Sequence[str], measure: str, voc: Vocabulary
) -> Quantity | None:
    found = [q for q in quantities if named_as(q.label, names, measure, voc)]
    # one figure, or one printed twice (a headline, then the body's first sentence)
    return found[0] if len({q.value.text for q in found}) == 1 else None


def named_as(label: str, names: Sequence[str], measure: str, voc: Vocabulary) -> bool:
    """Whether a figure's words end with one of `names` and `measure` (a filler such as 实现
    may stand between them, an aside such as (GDP) after them), with nothing before the name
    that would make it another one (规模以上工业) or another year's (上年)."""
    words = fold_text(label).strip(" ，,、；;")
    if any(w in words for w in PREVIOUS_WORDS):
        return False
    trimmed = True
    while trimmed:
        words = BRACKET_END.sub("", words)  # 地区生产总值(GDP)为
        trimmed = False
        for filler in voc.fillers:
            if filler and words.endswith(filler):
                words, trimmed = words[: -len(filler)], True
    for name in sorted(names, key=len, reverse=True):  # 人均地区生产总值 is no 生产总值
        for between in ("", *voc.fillers):
            said = name + between + measure if measure else name
            if words.endswith(said):
                before = words[: -len(said)].rstrip(" ，,、；;")
                return not before or before.endswith(voc.leads) or not _cjk(before[-1])
    return False


def _cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _same_unit(a: Number, b: Number) -> bool:
    return a.unit == b.unit and a.percent == b.percent


def _in_tables(norm: Normalized) -> Iterator[Found]:
    voc = vocabulary()
    year = norm.metadata.period.end.year if norm.metadata.period is not None else None
    for nt in norm.tables:
        view = view_of(nt, admissible_roundings(norm)[0])
        names = [_row_name(rec) for rec in view.records]
        columns = [
            c
            for c, label in enumerate(view.labels)
            if not any(w in fold_text(label) for w in voc.not_additive)
        ]
        for definition in voc.sums:
            for measure in ("", *voc.measures):
                yield from _table_sums(view, names, columns, definition, measure, year)


def is_named_split(whole: Record, parts: Sequence[Record]) -> bool:
    """Whether table rows are a whole and parts of one definition (SUM004 judges them)."""
    names = {_row_name(rec) for rec in parts}
    measures = ("", *vocabulary().measures)
    return any(
        _row_name(whole) in {n + m for n in d.whole}
        and all(any(n + m in names for n in part) for part in d.parts)
        for d in vocabulary().sums
        for m in measures
    )


def _year_of(view: TableView, c: int, year: int | None) -> int | None:
    """The year a column's figures are of: a year its header or its first row prints alone
    (a yearbook's 2013 | 2014, 2014年), else the document's."""
    first = view.records[0].values[c] if view.records and c < len(view.records[0].values) else None
    path = view.table.columns[c].path if c < len(view.table.columns) else ()
    for said in (path[-1] if path else "", first.cell.text if first is not None else ""):
        found = YEAR.fullmatch(said.strip())
        if found:
            return int(found.group(1))
    return year


def _row_name(rec: Record) -> str:
    """A row's name without 其中:, spaces or a bracketed unit: 其中:第 一产业(亿元) -> 第一产业."""
    text = rec.department.printed if rec.department is not None else first_label(rec) or ""
    text = re.sub(r"\s", "", fold_text(text))
    return BRACKET_END.sub("", LABEL_LEAD.sub("", text))


def _table_sums(
    view: TableView,
    names: Sequence[str],
    columns: Sequence[int],
    definition: NamedSum,
    measure: str,
    year: int | None,
) -> Iterator[Found]:
    wholes = {n + measure for n in definition.whole}
    for w, name in enumerate(names):
        if name not in wholes:
            continue
        rows = _part_rows(names, w, wholes, definition, measure)
        if rows is None:
            continue
        for c in columns:
            if not definition.holds_in(_year_of(view, c, year)):
                continue
            numbers = [view.rows[r][c] for r in (w, *rows)]
            if any(n is None for n in numbers):
                continue
            whole, *parts = (n for n in numbers if n is not None)
            if not all(_same_unit(p, whole) for p in parts):
                continue
            spans = tuple(s for r in (w, *rows) for s in view.spans(r, [c]))
            yield Found(
                definition,
                whole,
                tuple(parts),
                spans=spans,
                evidence=evidence(spans),
                where=f"{view.where(w)} column {view.labels[c] or c + 1}",
                doubt=any(doubtful(view.records[r]) for r in (w, *rows)),
                table=view.name,
                row=view.records[w].row,
            )


def _part_rows(
    names: Sequence[str], w: int, wholes: set[str], definition: NamedSum, measure: str
) -> tuple[int, ...] | None:
    """For each part, the first row after the whole that bears its name, before the whole's
    name comes again (the next block of the same rows)."""
    end = next((i for i in range(w + 1, len(names)) if names[i] in wholes), len(names))
    rows = []
    for part in definition.parts:
        labels = {n + measure for n in part}
        row = next((i for i in range(w + 1, end) if names[i] in labels), None)
        if row is None:
            return None
        rows.append(row)
    return tuple(rows)


def _problem(found: Found, r: Rounding) -> Problem:
    added = sum((exact_of(n) for n in found.parts), Fraction(0))
    expected = format_as(added, found.whole, r)
    d = found.definition
    names = " + ".join(p[0] for p in d.parts)
    said = " + ".join(n.text for n in found.parts)
    return Problem(
        message=(
            f"{found.where}: {names} add up to {expected} ({said}), but {d.whole[0]} prints "
            f"{found.whole.text}"
        ),
        evidence=found.evidence,
        reported=found.whole.text,
        expected=expected,
        explanation=(
            f"{d.whole[0]} is by definition {names} ({d.what}); no values the printed figures "
            "stand for make the parts meet the whole"
            + (
                "; a row was re-aligned by our extraction, so the doubt may be ours"
                if found.doubt
                else ""
            )
        ),
        table=found.table,
        row=found.row,
        severity=Severity.WARNING if found.doubt else None,
    )
