"""`python -m eval.claims`: narrative-claim recall and precision on the generated corpus.

Each generated PDF is read and normalized exactly as `bulletins audit` does
(`read_document` + `normalize`); only then is its truth file opened and the
truth's `claims` compared with `Normalized.claims`.

A truth claim is recovered by one extracted claim (each used once, the same
sentence preferred) when:

- the kind is the same;
- the printed value is the same number (NFKC, spaces and % ignored); rank lists
  compare direction (truth `subject` top/bottom) and the names instead;
- count, rate, share and points: the metric is the same;
- the subject agrees: a truth subject that is a category ("交通类") or a
  department must be the extracted subject (NFKC, no spaces; a department's
  printed name may hold or be held by the canonical one: 天宁区X局 / 区X局,
  X街道 / X街道办事处); a channel subject (hotline,
  mailbox, web, all) wants no extracted subject; a previous-period count or
  rate (subject "hotline@prev", "hotline@lastyear") wants an extracted claim
  with direction "previous" — and a current one must not be marked previous.

Scope is reported beside recall: of the recovered claims whose truth subject is
one channel, how many have exactly that channel as scope.

Options: `--limit N` (first N documents), `--misses N` (phrasings listed, default 15),
`--show N` (example sentences per listed group, default 2).
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from eval.truth import CORPUS, Case, discover
from pipeline.extract import read_document
from pipeline.model import Claim
from pipeline.normalize import normalize

CHANNELS = {"hotline": ("hotline",), "mailbox": ("mailbox",), "web": ("online",)}
NOT_CATEGORY = {"hotline", "mailbox", "web", "all", "top", "bottom"}
METRIC_KINDS = {"count", "rate", "share", "points"}
PERIOD_KINDS = {"count", "rate"}  # kinds that may state the previous period's figure
PREVIOUS = "previous"
_SPACE = re.compile(r"\s+")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def fold(text: str | None) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text or ""))


def as_number(text: str | None) -> Decimal | None:
    """The number a printed value states: "1,234件" -> 1234, "＋0.5个百分点" -> 0.5."""
    m = _NUMBER.search(fold(text).replace(",", ""))
    try:
        return Decimal(m.group()) if m else None
    except InvalidOperation:
        return None


def is_previous(subject: str | None) -> bool:
    return "@" in (subject or "")


def is_category(subject: str | None) -> bool:
    return bool(subject) and subject not in NOT_CATEGORY and not is_previous(subject)


def same_subject(truth: str, got: str | None) -> bool:
    """Equal; for a department, one name inside the other (X区Y局 / 区Y局, Z街道 / Z街道办事处)."""
    t, g = fold(truth), fold(got)
    if t.endswith("类"):
        return t == g
    return len(g) >= 2 and (g in t or t in g)


def matches(truth: dict[str, Any], claim: Claim) -> bool:
    kind = truth["kind"]
    if claim.kind.value != kind:
        return False
    if kind == "rank_list":
        names = [fold(n) for n in truth["names"]]
        return claim.direction == truth["subject"] and [fold(n) for n in claim.names] == names
    got = as_number(claim.value.text) if claim.value is not None else None
    if got is None or got != as_number(truth["value"]):
        return False
    if kind in METRIC_KINDS and claim.metric != truth["metric"]:
        return False
    subject = truth["subject"]
    if kind in PERIOD_KINDS and (claim.direction == PREVIOUS) != is_previous(subject):
        return False
    if is_category(subject):
        return same_subject(subject, claim.subject)
    if is_previous(subject):
        return True
    return claim.subject is None


@dataclass(slots=True)
class Tally:
    truth: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    extracted: Counter[str] = field(default_factory=Counter)
    right: Counter[str] = field(default_factory=Counter)  # extracted claims that match a truth


@dataclass(slots=True)
class Report:
    kinds: Tally = field(default_factory=Tally)
    metrics: Tally = field(default_factory=Tally)
    misses: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    false: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    wrong_scope: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    scope_checked: int = 0
    scope_right: int = 0
    failures: list[str] = field(default_factory=list)


def _metric_key(kind: str, metric: str | None) -> str:
    return f"{kind}:{metric or '-'}"


def _describe(claim: Claim) -> str:
    value = claim.value.text if claim.value is not None else "/".join(claim.names)
    extra = f" subject={claim.subject}" if claim.subject else ""
    extra += f" dir={claim.direction}" if claim.direction else ""
    return f"{claim.kind.value} {claim.metric} {value}{extra} scope={','.join(claim.scope)}"


def _nearby(truth: dict[str, Any], claims: Sequence[Claim]) -> str:
    """What the extractor said about the same printed value, if anything."""
    want = as_number(truth["value"])
    same = [
        c
        for c in claims
        if c.value is not None
        and as_number(c.value.text) == want
        and fold(truth["sentence"]).find(fold(c.value.text)) >= 0
    ]
    return "; ".join(_describe(c) for c in same[:2]) or "nothing"


def score_document(case: Case, report: Report) -> None:
    norm = normalize(read_document(case.pdf))
    claims = list(norm.claims)
    truth_claims = case.truth().get("claims", [])
    used: set[int] = set()
    for t in truth_claims:
        mkey = _metric_key(t["kind"], t["metric"])
        report.kinds.truth[t["kind"]] += 1
        report.metrics.truth[mkey] += 1
        candidates = [i for i, c in enumerate(claims) if i not in used and matches(t, c)]
        candidates.sort(key=lambda i: fold(claims[i].sentence) != fold(t["sentence"]))
        if candidates:
            used.add(candidates[0])
            report.kinds.found[t["kind"]] += 1
            report.metrics.found[mkey] += 1
            channel = CHANNELS.get(t["subject"] or "")
            got = claims[candidates[0]]
            if channel is not None:
                report.scope_checked += 1
                report.scope_right += got.scope == channel
                if got.scope != channel:
                    key = f"{t['subject']} read as ({','.join(got.scope)})"
                    report.wrong_scope[key].append(
                        f"{case.id}: {_describe(got)}\n      {t['sentence']}"
                    )
            continue
        phrasing = f"{t['kind']} {t['metric']} [{t['phrasing']}]"
        want = f"{t['value']} subject={t['subject']}"
        report.misses[phrasing].append(
            f"{case.id}: want {want}; got {_nearby(t, claims)}\n      {t['sentence']}"
        )
    for i, c in enumerate(claims):
        if c.kind.value == "mention":
            continue  # names without a figure: the truth lists figures only
        mkey = _metric_key(c.kind.value, c.metric)
        report.kinds.extracted[c.kind.value] += 1
        report.metrics.extracted[mkey] += 1
        if i in used:
            report.kinds.right[c.kind.value] += 1
            report.metrics.right[mkey] += 1
        else:
            report.false[f"{c.kind.value} {c.metric}"].append(
                f"{case.id}: {_describe(c)}\n      {c.sentence}"
            )


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:5.1f}%" if b else "  n/a "


def _table(title: str, tally: Tally) -> list[str]:
    keys = sorted(set(tally.truth) | set(tally.extracted))
    lines = [f"{title:<34} {'recall':>18} {'precision':>18}"]
    for k in keys:
        rec = f"{_pct(tally.found[k], tally.truth[k])} {tally.found[k]:>4}/{tally.truth[k]:<4}"
        right, extracted = tally.right[k], tally.extracted[k]
        prec = f"{_pct(right, extracted)} {right:>4}/{extracted:<4}"
        lines.append(f"  {k:<32} {rec:>18} {prec:>18}")
    f, t = sum(tally.found.values()), sum(tally.truth.values())
    r, e = sum(tally.right.values()), sum(tally.extracted.values())
    lines.append(f"  {'ALL':<32} {_pct(f, t)} {f:>4}/{t:<4}   {_pct(r, e)} {r:>4}/{e:<4}")
    return lines


def _groups(title: str, groups: dict[str, list[str]], top: int, show: int) -> list[str]:
    lines = [f"\n{title}"]
    ranked = sorted(groups.items(), key=lambda kv: -len(kv[1]))[:top]
    for key, items in ranked:
        lines.append(f"  {len(items):>4}  {key}")
        lines += [f"      {x}" for x in items[:show]]
    return lines


def render(report: Report, top: int, show: int) -> str:
    lines = [*_table("by kind", report.kinds), "", *_table("by kind:metric", report.metrics)]
    lines.append(
        f"\nscope of recovered channel claims: "
        f"{_pct(report.scope_right, report.scope_checked)} "
        f"{report.scope_right}/{report.scope_checked}"
    )
    lines += _groups("most common misses (by truth phrasing)", report.misses, top, show)
    lines += _groups("most common false claims (by kind, metric)", report.false, top, show)
    lines += _groups("most common wrong scopes", report.wrong_scope, top, show)
    if report.failures:
        lines.append("\nfailed documents:")
        lines += [f"  {f}" for f in report.failures]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.claims", description=__doc__)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--misses", type=int, default=15)
    parser.add_argument("--show", type=int, default=2)
    parser.add_argument("--root", type=Path, default=CORPUS / "generated")
    args = parser.parse_args(argv)
    cases = discover(args.root)[: args.limit]
    report = Report()
    for i, case in enumerate(cases, 1):
        print(f"[{i}/{len(cases)}] {case.id}", file=sys.stderr, end="\r")
        try:
            score_document(case, report)
        except Exception as exc:  # one bad document must not take down the run
            report.failures.append(f"{case.id}: {type(exc).__name__}: {exc}")
    print(file=sys.stderr)
    print(render(report, args.misses, args.show))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
