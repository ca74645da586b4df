"""RANK005: a count of the items a list names equals the names it lists.

"全省11个设区市考核评价结果从高到低依次为：" followed by "太原市、……、临汾市。": the
sentence states how many names follow, so the names separated by 、 (after the colon,
or in the next paragraph) number as many. A name list carries no figure, so this is
the only check on it; names are split on 、 alone, and an excerpt may stop before a
list ends, so a difference is a warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipeline.model import Checked, Normalized, Problem, QuantityKind, Severity
from pipeline.normalize.script import fold_text
from pipeline.validate.registry import rule
from pipeline.validate.rules.text_ranks import rank_words
from pipeline.validate.text_quantities import (
    by_paragraph,
    exact_count,
    quantity_evidence,
    quantity_span,
)

NAME = re.compile(r"[\u4e00-\u9fff（）()]{2,24}")
MIN_NAMES = 3


def _names(text: str) -> list[str] | None:
    """The names of a list "A、B、C。", or None when the text is not only names."""
    body = text.strip().rstrip("。；;，, ")
    if any(ch.isdigit() for ch in body):
        return None
    names = [n.strip() for n in body.split("、")]
    return names if len(names) >= MIN_NAMES and all(NAME.fullmatch(n) for n in names) else None


@rule("RANK005", Severity.WARNING, "a count of the items a list names equals the names listed")
def check_named_counts(norm: Normalized) -> Iterator[Problem | Checked]:
    paragraphs = norm.paragraphs
    lead = re.compile(rank_words().names_lead)
    for index, quantities in by_paragraph(norm).items():
        text = fold_text(paragraphs[index].text)
        m = lead.search(text[: text.find("：") + 1] if "：" in text[:-1] else text)
        if m is None:
            continue
        counts = [q for q in quantities if q.kind is QuantityKind.COUNT and q.start < m.start()]
        n = exact_count(counts[0]) if counts else None
        after = text[m.end() :].strip()
        names = _names(after) if after else None
        if names is None and not after and index + 1 < len(paragraphs):
            names = _names(fold_text(paragraphs[index + 1].text))
        if n is None or names is None:
            continue
        yield Checked((quantity_span(counts[0]),))
        if len(names) != n:
            yield Problem(
                message=(
                    f"the text announces {counts[0].value.text} and names {len(names)}: "
                    f"{names[0]} … {names[-1]}"
                ),
                evidence=(quantity_evidence(counts[0]),),
                reported=counts[0].value.text,
                expected=f"{len(names)} names",
                explanation="a name left out or repeated, the count misprinted, or a list "
                "the excerpt cuts short",
            )
