"""TBL007: a table of categories over one row of counts (and maybe a row of their shares).

"正在办理的N件中，分类如下：" then a header of categories (噪音, 占道, 其他 ...) over one row
of counts: the counts break down the whole the title states, so they add up to it; a row
of shares under them is each count over that whole. The whole counts only when the title
says it is one (N件中, 共N件: `pipeline/data/table_categories.json`) and states a single
such figure; without it the shares are taken over the counts' own sum.

A sum that misses the whole is an error (the title names the whole and the table lists
every category under it), explained by a slip where one digit or one part reconciles
them. A share is an error when it fits neither the whole nor the counts' sum; a share
row that fits only the sum while the title states another whole is a warning.
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
from pipeline.model import Checked, Normalized, Number, Problem, Severity
from pipeline.normalize.numbers import find_numbers
from pipeline.numeric.arithmetic import Rounding, format_as, holds
from pipeline.validate.explain import SlipKind, explain_sum
from pipeline.validate.facts import rounding_of
from pipeline.validate.registry import rule
from pipeline.validate.rules.tables import TableView, evidence, integer_of, view_of

DATA = Path(__file__).resolve().parents[2] / "data" / "table_categories.json"


@dataclass(frozen=True, slots=True)
class WholeWords:
    before: re.Pattern[str]  # ends the text before the whole: 共, 合计
    after: re.Pattern[str]  # opens the text after it: 中, 件中


@cache
def whole_words() -> WholeWords:
    """The words of table_categories.json, read once. Raises ConfigError on a bad file."""
    try:
        raw = json.loads(DATA.read_text(encoding="utf-8"))
        return WholeWords(
            before=re.compile(raw["whole_before"]), after=re.compile(raw["whole_after"])
        )
    except (OSError, ValueError, KeyError, TypeError, re.error) as exc:
        raise ConfigError(f"{DATA}: malformed whole words ({exc!r})") from exc


@rule("TBL007", Severity.ERROR, "counts under categories add up to the whole; shares are over it")
def check_category_rows(norm: Normalized) -> Iterator[Problem | Checked]:
    for nt in norm.tables:
        view = view_of(nt, rounding_of(norm))
        rows = _category_rows(view)
        if rows is None:
            continue
        counts, shares = rows
        whole = stated_whole(nt.table.title)
        parts = [integer_of(n) or 0 for n in view.rows[counts]]
        if whole is not None:
            yield Checked(view.spans(counts, range(len(parts))))
            if integer_of(whole) != sum(parts):
                yield _sum_problem(view, counts, whole, parts)
        if shares is not None:
            yield from _share_checks(view, (counts, shares), whole, parts)


def _category_rows(view: TableView) -> tuple[int, int | None] | None:
    """(counts row, shares row) of a table of figures under categories: one or two body
    rows of numbers only, the first whole counts, the second (if any) percentages."""
    table = view.table
    if table.department_column is not None or not 1 <= len(view.records) <= 2:
        return None
    if any(not path or not path[-1].strip() for path in table.table.columns):
        return None
    numbers = [view.printed_row(r) for r in range(len(view.records))]
    if any(n is None for row in numbers for n in row):
        return None
    if any(n is None or n.percent or integer_of(n) is None for n in numbers[0]):
        return None
    if len(numbers) == 2 and not all(n is not None and n.percent for n in numbers[1]):
        return None
    return 0, (1 if len(numbers) == 2 else None)


def stated_whole(title: str) -> Number | None:
    """The one count a title states as a whole ("…的45件中", "共45件"), else None."""
    words = whole_words()
    found = [
        n
        for n, start, end in find_numbers(title)
        if not n.percent
        and integer_of(n) is not None
        and (words.before.search(title[:start]) or words.after.match(title[end:]))
    ]
    return found[0] if len(found) == 1 else None


def _sum_problem(view: TableView, r: int, whole: Number, parts: Sequence[int]) -> Problem:
    total = integer_of(whole) or 0
    slips = [
        (s.part, s.printed, s.corrected, s.kind is SlipKind.OMITTED_PART)
        for s in explain_sum(total, parts)
        if s.part is not None
    ]
    slips += _extra_digits(total, parts)
    why = "no single slip explains the difference"
    if slips:
        part, printed, corrected, omitted = slips[0]
        how = "left out of the whole" if omitted else "a slip"
        why = f"{view.labels[part]} printed {printed} is {how} (for {corrected})"
    return Problem(
        message=(
            f"{view.name}: the {len(parts)} categories add up to {sum(parts)}, "
            f"not the {whole.text} the title states"
        ),
        evidence=evidence(view.spans(r, range(len(parts)))),
        reported=whole.text,
        expected=str(sum(parts)),
        explanation=f"{' + '.join(map(str, parts))} = {sum(parts)}; {why}",
        table=view.name,
        row=view.records[r].row,
    )


def _extra_digits(total: int, parts: Sequence[int]) -> list[tuple[int, int, int, bool]]:
    """(part, printed, corrected, False) for a part printed with one digit too many (90 for
    9) whose shorter reading makes the sum hold."""
    found = []
    for i, part in enumerate(parts):
        digits = str(part)
        for k in range(len(digits)) if len(digits) > 1 else ():
            shorter = int(digits[:k] + digits[k + 1 :])
            if sum(parts) - part + shorter == total:
                found.append((i, part, shorter, False))
                break
    return found


def _share_checks(
    view: TableView, rows: tuple[int, int], whole: Number | None, parts: Sequence[int]
) -> Iterator[Problem | Checked]:
    counts, shares = rows
    rounding = view.rounding
    bases = [b for b in (integer_of(whole) if whole else None, sum(parts)) if b]
    printed = [n for n in view.rows[shares] if n is not None]
    if not bases or len(printed) != len(parts):
        return
    fits = {
        b: [holds(Fraction(p, b), s, rounding) for p, s in zip(parts, printed, strict=True)]
        for b in bases
    }
    base = max(bases, key=lambda b: sum(fits[b]))  # the stated whole first on a tie
    for c, (part, share) in enumerate(zip(parts, printed, strict=True)):
        yield Checked(view.spans(counts, (c,)) + view.spans(shares, (c,)))
        if not any(fits[b][c] for b in bases):
            yield _share_problem(view, (counts, shares, c), (part, base), share, rounding)
    if whole is not None and base != bases[0] and not all(fits[bases[0]]):
        yield _other_base_problem(view, shares, whole, base)


def _share_problem(
    view: TableView,
    at: tuple[int, int, int],
    over: tuple[int, int],
    share: Number,
    rounding: Rounding,
) -> Problem:
    counts, shares, c = at
    part, base = over
    expected = format_as(Fraction(part, base), share, rounding)
    return Problem(
        message=f"{view.name} {view.labels[c]}: {part}/{base} is {expected}, printed {share.text}",
        evidence=evidence(view.spans(counts, (c,)) + view.spans(shares, (c,))),
        reported=share.text,
        expected=expected,
        explanation=f"the share of {view.labels[c]} is its count {part} over {base}",
        table=view.name,
        row=view.records[shares].row,
        column=view.labels[c],
    )


def _other_base_problem(view: TableView, shares: int, whole: Number, base: int) -> Problem:
    return Problem(
        message=(
            f"{view.name}: the shares are taken over the categories' sum {base}, "
            f"not over the {whole.text} the title states"
        ),
        evidence=evidence(view.spans(shares, range(len(view.labels)))),
        reported=whole.text,
        expected=str(base),
        table=view.name,
        row=view.records[shares].row,
        severity=Severity.WARNING,
    )
