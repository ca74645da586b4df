"""Audit scores of one document: injected errors found, findings that match an error.

`RULES_FOR` maps each error type to the rules whose findings can report it. An
injected error is found when a finding of one of those rules, at error or warning
level (info too for name_variant: reconciliations are info), is at the right place:

- table errors (the truth gives a row): the same table (attachment label or title), the
  same column when the finding names one (header paths compared on their common lower
  levels: a finding that lost the group level still names the column), and the same
  row; a finding that names no row (NAME001) must report the printed value itself.
  rank_order allows the row next to the truth row and any column (a swap moves two
  rows; TBL005 names the score column). A transposition is also found by a finding on
  another row or column (the 合计 row, the row total) whose evidence holds the printed
  cell on the error's page;
- text errors: evidence on the truth page, and `reported` equal to the printed value
  or an evidence text containing it (as a whole number, not inside a longer one).

Texts are compared with whitespace removed and after NFKC (`flat`): a scan reads the
full-width １６．０％ a text PDF prints as 16.0%, and on paper the two look alike.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from eval.truth import label, squash
from pipeline.model import Audit, Finding, Severity

RULES_FOR: dict[str, tuple[str, ...]] = {
    # the text's shares are paired by the claim rule (SHARE001) or by number-first pairing:
    # by position, as a list's sum, after their own count, or against each other (SHARE003-6)
    "text_rate": ("RATE001", "SHARE001", "SHARE003", "SHARE004", "SHARE005", "SHARE006"),
    "table_rate": ("TBL002",),
    "text_total": ("XREF001",),
    "total_row": ("TBL004",),
    "sub_score": ("TBL002",),
    "total_score": ("TBL003",),
    "rank_order": ("TBL005",),
    "period": ("PERIOD001", "PERIOD002"),
    "name_variant": ("NAME001",),
    "transposition": ("TBL004", "XREF001", "TBL003"),
    # TBL002 too: the generator also puts a wrong-base share into category tables' cells.
    "wrong_base": ("SHARE001", "SHARE002", "SHARE005", "RATE001", "TBL002"),
    # opt-in types (corpus/generated-growth): a growth or change in points in the text (also
    # GROWTH006, when the earlier figure is printed beside it), a 环比 cell of a period
    # table; a rate stated without its counts against the cited table
    "growth": ("GROWTH001", "GROWTH002", "GROWTH006"),
    "text_rate_table": ("XREF003",),
    # opt-in forms (corpus/generated-forms): a share of a 分别 list paired by position, a
    # share after its own count (in brackets), the combined share of a run of counts, parts
    # closed by 其他 or split as 办结/在办, a growth rate after its change in count. Shares
    # that name no base are judged against each other (SHARE006).
    "list_share": ("SHARE003", "SHARE006"),
    "bracket_share": ("SHARE005", "SHARE006"),
    "topn_share": ("SHARE004",),
    "parts_sum": ("SUM001",),
    "growth_change": ("GROWTH003",),
    # more forms of real bulletins (corpus/generated-real-forms): a daily average against the
    # count before it, a rate of any name against its counts, the parts of a count the text
    # splits (按期 + 超期, 电话 + 网络), a difference from the earlier count printed beside it
    # (GROWTH001 reads it as the change against the previous period's count),
    # shares over a sub-base (phone calls), over a total in 万, and over the complaints
    "daily_average": ("AVG001",),
    "rate_named": ("RATE001",),
    "derived_count": ("SUM001",),
    "difference": ("GROWTH006", "GROWTH001"),
    "sub_base_share": ("SHARE001", "SHARE005", "SHARE006"),
    "wan_share": ("SHARE003", "SHARE006", "SHARE007"),
    "complaint_share": ("SHARE003", "SHARE006"),
    # forms of statistics bulletins and lists of parts (corpus/generated-stats-forms): a structure
    # ratio or 分别占 shares over amounts, a share's change in points between two ratios, a gap in
    # points after a bracketed figure, figures defined by name, parts of a total split between
    # semicolons or opening the next paragraph, channels in a paragraph of their own, parts of
    # a total in 万, a 万 total's growth against its table's rows, a top-five table's shares
    "structure_ratio": ("SHARE008",),
    "ratio_points": ("GROWTH010",),
    "points_gap": ("GROWTH009",),
    "named_formula": ("DERIVE002", "RATE004"),
    "split_total": ("SUM001", "SUM003"),
    "small_items": ("SUM002",),
    "wan_parts": ("SUM003",),
    "wan_table_growth": ("GROWTH007",),
    "topn_table_share": ("TBL008",),
}
INFO_COUNTS = frozenset({"name_variant"})
# How far (in rows) a finding may sit from the truth row and still be at the right place:
# two swapped rows are one error, and TBL005 may report either of them.
ROW_SLACK: dict[str, int] = {"rank_order": 1}
# Types whose rule reports a row, not a column (TBL005 names the score column, also for a
# wrong rank number).
ANY_COLUMN = frozenset({"rank_order"})
# Types whose error breaks a relation reported on another row or column (a 合计 row, a row
# total): found when the finding's evidence holds the printed cell on the error's page.
ELSEWHERE = frozenset({"transposition"})


@dataclass(slots=True)
class AuditScore:
    errors: list[tuple[str, bool]] = field(default_factory=list)  # (type, found)
    # per finding attributed to some type: (types it is attributed to, matched an error)
    findings: list[tuple[tuple[str, ...], bool]] = field(default_factory=list)
    clean: bool = False
    error_findings: int = 0
    error_rules: list[str] = field(default_factory=list)  # rules of those findings
    coverage: float | None = None
    misses: list[str] = field(default_factory=list)


def counts_for(error_type: str, f: Finding) -> bool:
    """Whether `f` is of a rule and severity that can report an error of this type."""
    if f.rule not in RULES_FOR.get(error_type, ()):
        return False
    return f.severity is not Severity.INFO or error_type in INFO_COUNTS


def score_audit(result: Audit, truth: dict[str, Any]) -> AuditScore:
    score = AuditScore()
    errors: list[dict[str, Any]] = truth.get("errors") or []
    tables = _table_labels(truth)
    for e in errors:
        found = any(counts_for(e["type"], f) and at_place(e, f, tables) for f in result.findings)
        score.errors.append((e["type"], found))
        if not found:
            where = f"{e.get('table')} r{e.get('row')} {e.get('column')}" if e.get("row") else ""
            score.misses.append(
                f"missed {e['type']} {e.get('printed')!r} (correct {e.get('correct')!r}) "
                f"p{e.get('page')} {where}".rstrip()
            )
    variants = {
        squash(p) for p, c in (truth.get("departments") or {}).items() if squash(p) != squash(c)
    }
    for f in result.findings:
        types = tuple(t for t in RULES_FOR if counts_for(t, f))
        if not types:
            continue
        matched = any(counts_for(e["type"], f) and at_place(e, f, tables) for e in errors)
        if not matched and f.rule == "NAME001" and squash(f.reported) in variants:
            continue  # a reconciliation the truth agrees with: neither right nor wrong
        score.findings.append((types, matched))
        if not matched:
            score.misses.append(f"unmatched {f.rule} {f.severity.value}: {f.message[:120]}")
    score.clean = not errors
    if score.clean:
        score.error_rules = [f.rule for f in result.findings if f.severity is Severity.ERROR]
        score.error_findings = len(score.error_rules)
    cov = result.coverage
    score.coverage = cov.checked / cov.numbers if cov.numbers else None
    return score


def _table_labels(truth: dict[str, Any]) -> dict[str, set[str]]:
    """Every way the truth may name a table (id, attachment, title) -> its printed labels."""
    out: dict[str, set[str]] = {}
    for t in truth.get("tables") or []:
        names = {label(t.get("attachment")), label(t.get("title"))} - {""}
        for key in (t.get("id"), t.get("attachment"), t.get("title")):
            if key:
                out.setdefault(label(key), set()).update(names)
    return out


def at_place(e: dict[str, Any], f: Finding, tables: dict[str, set[str]]) -> bool:
    if e.get("row") is None:
        return _at_text(e, f)
    want = tables.get(label(e.get("table")), {label(e.get("table"))})
    if label(f.table) not in want:
        return False
    printed, page = flat(e.get("printed")), e.get("page")
    if e["type"] in ELSEWHERE and any(
        flat(ev.text) == printed and (page is None or ev.page == page) for ev in f.evidence
    ):
        return True
    column = f.column and e.get("column") and e["type"] not in ANY_COLUMN
    if column and not same_column(str(f.column), str(e["column"])):
        return False
    if f.row is None:
        return flat(f.reported) == printed
    return abs(f.row - int(e["row"])) <= ROW_SLACK.get(e["type"], 0)


def same_column(a: str, b: str) -> bool:
    """Header paths that agree on their lower levels: `政府网站` and `受理渠道/政府网站`."""
    pa, pb = label(a).split("/"), label(b).split("/")
    n = min(len(pa), len(pb))
    return pa[-n:] == pb[-n:]


# A parts_sum error's detail names the total its parts miss ("…, not the stated 1839"); SUM001
# reports that total, and a finding on another total whose evidence merely holds the wrong part
# (a previous period's count taken for a total) is not it.
_STATED = re.compile(r"not the stated (\d+)$")


def _at_text(e: dict[str, Any], f: Finding) -> bool:
    stated = _STATED.search(str(e.get("detail") or "")) if e["type"] == "parts_sum" else None
    if stated and re.sub(r"\D", "", unicodedata.normalize("NFKC", f.reported or "")) != stated[1]:
        return False
    page = e.get("page")
    evidence = [ev for ev in f.evidence if page is None or ev.page == page]
    if not evidence:
        return False
    printed = flat(e.get("printed"))
    if not printed:
        return False
    if flat(f.reported) == printed:
        return True
    pattern = re.compile(r"(?<![\d.])" + re.escape(printed) + r"(?![\d.]*\d)")
    return any(pattern.search(flat(ev.text)) for ev in evidence)


def flat(text: str | None) -> str:
    """Text as printed texts are compared: NFKC, whitespace removed."""
    return squash(unicodedata.normalize("NFKC", text or ""))
