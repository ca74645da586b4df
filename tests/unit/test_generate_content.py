"""The generated archive's content, without rendering: determinism, errors, and arithmetic.

The printed numbers are re-checked here from the printed cells and sentences, with this
module's own rounding, so a generator slip shows up as a failure rather than as a
pipeline "finding" that the truth does not list.
"""

from __future__ import annotations

import ast
import json
import math
import re
from collections import Counter
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import pytest

from corpus.generate.build import make_archive
from corpus.generate.spec import ERROR_TYPES, Bulletin, Claim, TableSpec, truth_json

GENERATE = Path(__file__).resolve().parents[2] / "corpus" / "generate"
ASCII = str.maketrans("０１２３４５６７８９．％－", "0123456789.%-")
RATES = {
    "rate_completed": ("completed", "received"),
    "rate_completed_on_time": ("completed_on_time", "completed"),
    "rate_satisfaction": ("satisfied", "visited"),
}
FLAGS = ("overdue", "alert", "rework")


@pytest.fixture(scope="module")
def archive() -> list[Bulletin]:
    return make_archive(60, seed=2026)


# --- helpers: an independent reading of what is printed --------------------------------


def num(text: str | None) -> Fraction | None:
    if text is None:
        return None
    t = text.translate(ASCII).replace(" ", "").removesuffix("%").removesuffix("万")
    return Fraction(t) if re.fullmatch(r"-?\d+(\.\d+)?", t) else None


def rnd(x: Fraction, places: int, mode: str) -> Fraction:
    scale = 10**places
    v = abs(x) * scale
    n = math.floor(v + Fraction(1, 2)) if mode == "half_up" else math.floor(v)
    return Fraction(n if x >= 0 else -n, scale)


def regular(t: TableSpec) -> Iterator[tuple[int, list[str]]]:
    """Body rows aligned to the columns: the seed's extra cell after the name dropped, a
    merged pair of equal counts split again."""
    n = len(t.columns)
    for i, row in enumerate(t.body_rows):
        if len(row) == n:
            yield i, row
        elif len(row) == n + 1:
            yield i, row[:2] + row[3:]
        elif len(row) == n - 1:
            yield i, [*row[:3], row[2], *row[3:]]


def bad_places(
    b: Bulletin,
) -> tuple[set[tuple[str, int]], set[tuple[str, str]], set[tuple[str, str]]]:
    """What an error touches: table rows, table columns whose sum it breaks, and printed
    figures in sentences (sentence, printed value)."""
    rows, cols, figures = set(), set(), set()
    for e in b.errors:
        if e.table and e.row:
            rows.add((e.table, e.row - 1))
            if e.type == "rank_order":
                rows.add((e.table, e.row))
            if e.type in ("total_row", "transposition"):
                cols.add((e.table, e.column or ""))
        if e.sentence:
            figures.add((e.sentence, e.printed))
    return rows, cols, figures


def paths(header_rows: list) -> list[list[str]]:
    """Column paths from header rows with spans (the HTML table model)."""
    width = sum(c.colspan for c in header_rows[0])
    grid: list[list[str | None]] = [[None] * width for _ in header_rows]
    for r, row in enumerate(header_rows):
        col = 0
        for cell in row:
            while grid[r][col] is not None:
                col += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    assert grid[r + dr][col + dc] is None, "overlapping header cells"
                    grid[r + dr][col + dc] = f"{id(cell)}\t{cell.text}"
            col += cell.colspan
    out = []
    for c in range(width):
        path: list[str] = []
        for r in range(len(header_rows)):
            cell = grid[r][c]
            assert cell is not None, "a hole in the header"
            if not path or path[-1] != cell:
                path.append(cell)
        out.append([p.split("\t", 1)[1] for p in path])
    return out


# --- the archive as a whole -------------------------------------------------------------


def test_archive_is_deterministic(archive: list[Bulletin]) -> None:
    again = make_archive(60, seed=2026)
    assert [b.id for b in archive] == [f"gen-{i:04d}" for i in range(1, 61)]
    for a, b in zip(archive, again, strict=True):
        assert json.dumps(truth_json(a)) == json.dumps(truth_json(b))
    assert truth_json(make_archive(1, seed=7)[0]) != truth_json(archive[0])


def test_clean_documents_and_error_types(archive: list[Bulletin]) -> None:
    assert sum(not b.errors for b in archive) >= 15
    assert all(len(b.errors) <= 4 for b in archive)
    counts = Counter(e.type for b in archive for e in b.errors)
    assert set(counts) <= set(ERROR_TYPES)
    assert all(counts[t] >= 3 for t in ERROR_TYPES), counts


def test_producers_fonts_and_habits(archive: list[Bulletin]) -> None:
    producers = Counter(b.producer for b in archive)
    assert set(producers) == {"docx", "html", "reportlab"}
    assert {b.font for b in archive} <= {"Noto Serif CJK SC", "Noto Sans CJK SC"}
    assert {b.rounding for b in archive} == {"half_up", "truncate"}
    assert {b.decimals for b in archive} == {0, 1, 2}
    tables = [t for b in archive for t in b.tables]
    spanning = sum(bool(t.layout.page_rows and len(t.layout.page_rows) > 1) for t in tables)
    assert 0.2 <= spanning / len(tables) <= 0.4
    assert {t.layout.ruling for t in tables} == {"ruled", "partial", "unruled"}
    assert any(len(r) > len(t.columns) for t in tables for r in t.body_rows)
    assert any(len(r) < len(t.columns) for t in tables for r in t.body_rows)
    assert {t.kind for t in tables} == {"score", "rate", "count", "category", "period"}
    text = "".join(p.text for b in archive for p in b.body)
    assert "万" in text and "％" in text and "%" in text and "１" in text and " 件" in text


def test_periods_and_dates(archive: list[Bulletin]) -> None:
    import datetime as dt

    for b in archive:
        end, day = dt.date.fromisoformat(b.period_end), dt.date.fromisoformat(b.published)
        assert 3 <= (day - end).days <= 10
        assert 2019 <= dt.date.fromisoformat(b.period_start).year <= 2025
        assert b.date_text.replace(" ", "") == f"{day.year}年{day.month}月{day.day}日"
        assert len(b.attachment_notes) == len(b.tables)
        assert b.recipients.endswith("：") and b.title.endswith("的通报")


# --- tables -----------------------------------------------------------------------------


def test_header_paths_match_spans(archive: list[Bulletin]) -> None:
    for b in archive:
        for t in b.tables:
            assert paths(t.header_rows) == t.columns, (b.id, t.id)
            assert len(t.keys) == len(t.columns)
            for row in t.body_rows:
                assert abs(len(row) - len(t.columns)) <= 1


def _score_row(t: TableSpec, row: list[str], b: Bulletin) -> None:
    val = {k: num(x) for k, x in zip(t.keys, row, strict=True)}
    exact: list[Fraction] = []
    printed: list[Fraction] = []
    for key in t.keys:
        if ".score@" not in key:
            continue
        comp, w = key.split(".")[0], int(key.split("@")[1])
        got = val[key]
        assert got is not None
        printed.append(got)
        sub = _sub(comp, w, val)
        if sub is not None:
            assert rnd(sub, b.decimals, b.rounding) == got, (b.id, t.id, row, key)
            exact.append(sub)
    total = val["total"]
    assert total is not None
    if len(exact) == len(printed):
        assert rnd(sum(exact, Fraction(0)), b.decimals, b.rounding) == total, (b.id, row)
    else:
        u, n = Fraction(1, 10**b.decimals), len(printed)
        assert -u - n * u / 2 <= total - sum(printed, Fraction(0)) <= n * u, (b.id, row)


def _sub(comp: str, w: int, v: dict[str, Fraction | None]) -> Fraction | None:
    def get(k: str) -> Fraction | None:
        return v.get(f"{comp}.{k}")

    if comp in FLAGS:
        n = get("count")
        return None if n is None else Fraction(w if n == 0 else 0)
    pairs = {
        "completion": (get("completed"), get("received")),
        "on_time": (get("count"), get("base") or v.get("completion.completed")),
        "satisfaction": (get("satisfied"), get("visited")),
        "workload": (get("count"), get("max")),
    }
    part, whole = pairs[comp]
    if part is None or whole is None:
        return None
    if whole == 0:
        return Fraction(w if comp == "satisfaction" else 0)
    return w * part / whole


def _row_rates(t: TableSpec, row: list[str], b: Bulletin, base: Fraction | None) -> None:
    val = {k: num(x) for k, x in zip(t.keys, row, strict=True)}
    for key, text in zip(t.keys, row, strict=True):
        got = num(text)
        if key in RATES:
            part, whole = (val.get(k) for k in RATES[key])
        elif key == "share":
            part, whole = val["count"], base
        elif key.startswith("mom."):
            m = key.split(".")[1]
            cur, prev = val[f"cur.{m}"], val[f"prev.{m}"]
            part, whole = (None, None) if cur is None or prev is None else (cur - prev, prev)
        else:
            continue
        if part is None or not whole:
            assert got is None, (b.id, t.id, row, key)
            continue
        assert rnd(100 * part / whole, b.decimals, b.rounding) == got, (b.id, t.id, row, key)
    if "sum" in t.keys:
        chans = [val[k] or 0 for k in ("hotline", "mailbox", "web") if k in val]
        assert sum(chans) == val["sum"], (b.id, t.id, row)
    if "pending" in t.keys:
        assert val["received"] == (val["completed"] or 0) + (val["pending"] or 0)


def test_printed_table_numbers_agree(archive: list[Bulletin]) -> None:
    assert check_table_numbers(archive) > 1500


def check_table_numbers(archive: list[Bulletin]) -> int:
    """Rates, shares, 环比, scores and 合计 rows recomputed from the printed cells, except
    where an error was injected; returns the number of rows checked."""
    checked = 0
    for b in archive:
        rows_bad, cols_bad, _ = bad_places(b)
        for t in b.tables:
            rows = dict(regular(t))
            base = None
            if "count" in t.keys:
                c = t.keys.index("count")
                base = sum(
                    (num(r[c]) or 0 for i, r in rows.items() if i not in t.total_rows), Fraction(0)
                )
            for i, row in rows.items():
                if (t.id, i) in rows_bad:
                    continue
                _row_rates(t, row, b, base)
                if t.kind == "score":
                    _score_row(t, row, b)
                checked += 1
            if t.total_rows:
                _check_total_row(t, rows, b, cols_bad)
            if t.kind == "score" and not any(
                e.table == t.id and e.type in ("rank_order", "total_score", "sub_score")
                for e in b.errors
            ):
                totals = [num(r[t.keys.index("total")]) for _, r in sorted(rows.items())]
                assert totals == sorted(totals, reverse=True), (b.id, t.id)
                ranks = [num(r[0]) for _, r in sorted(rows.items())]
                assert ranks == list(range(1, len(ranks) + 1))
    return checked


def _check_total_row(
    t: TableSpec, rows: dict[int, list[str]], b: Bulletin, bad: set[tuple[str, str]]
) -> None:
    total = t.total_rows[0]
    for c, key in enumerate(t.keys):
        if key.startswith(("rate_", "mom.", "share", "rank", "name", "category")):
            continue
        if (t.id, "/".join(t.columns[c])) in bad:
            continue
        parts = [num(r[c]) or 0 for i, r in rows.items() if i != total]
        assert sum(parts) == num(rows[total][c]), (b.id, t.id, key)


# --- text -------------------------------------------------------------------------------


def _find(claims: list[Claim], subject: str | None, metric: str, near: Claim) -> Claim | None:
    """The count (or rate) claim for subject and metric, preferring `near`'s sentence."""
    found = [c for c in claims if c.subject == subject and c.metric == metric and c is not near]
    found.sort(key=lambda c: c.sentence != near.sentence)
    return found[0] if found else None


def _value(c: Claim | None) -> Fraction | None:
    if c is None or c.value is None or "万" in c.value:
        return None
    return num(c.value)


def test_printed_text_numbers_agree(archive: list[Bulletin]) -> None:
    checked = check_text_numbers(archive)
    assert min(checked[k] for k in ("rate", "share", "points")) >= 10, checked
    assert checked["growth"] >= 5, checked


def check_text_numbers(archive: list[Bulletin]) -> Counter[str]:
    """Rates, shares, growth and points recomputed from the figures printed with them,
    except the injected ones; returns how many of each kind were checked."""
    checked: Counter[str] = Counter()
    for b in archive:
        _, _, bad = bad_places(b)
        claims = b.claims  # wrong figures are skipped, but counts stay printed
        for c in claims:
            assert c.value is None or c.value in c.sentence, (b.id, c)
            if (c.sentence, c.value) in bad:
                continue
            got = num(c.value)
            if c.kind == "rate" and c.metric in RATES and "@" not in (c.subject or ""):
                part, whole = (_value(_find(claims, c.subject, m, c)) for m in RATES[c.metric])
            elif c.kind == "share":
                part = _value(_find(claims, c.subject, "received", c))
                whole = _value(_find(claims, c.base, "received", c))
            elif c.kind == "growth":
                cur = _value(_find(claims, c.subject, "received", c))
                prior = _value(_find(claims, c.base, "received", c))
                part, whole = (
                    (None, None) if cur is None or prior is None else (abs(cur - prior), prior)
                )
            elif c.kind == "points":
                cur = _value(_find(claims, c.subject, c.metric or "", c))
                prior = _value(_find(claims, c.base, c.metric or "", c))
                if cur is not None and prior is not None:
                    assert abs(cur - prior) == got, (b.id, c)
                    checked["points"] += 1
                continue
            else:
                continue
            if part is not None and whole:
                assert rnd(100 * part / whole, b.decimals, b.rounding) == got, (b.id, c)
                checked[c.kind] += 1
    return checked


def _cited(b: Bulletin, c: Claim) -> TableSpec | None:
    para = next(p.text for p in b.body if c.sentence in p.text)
    m = re.search(r"详见(附件\s*\S+?)）", para)
    label = _label(m.group(1)) if m else None
    return next((t for t in b.tables if _label(t.attachment) == label), None)


def _label(text: str | None) -> str:
    return (text or "").translate(ASCII).replace(" ", "")


def test_text_totals_equal_the_cited_column_sums(archive: list[Bulletin]) -> None:
    checked = 0
    for b in archive:
        _, cols_bad, bad = bad_places(b)
        for c in b.claims:
            scope = c.subject in ("hotline", "mailbox", "all")
            if c.kind != "count" or not scope or (c.sentence, c.value) in bad:
                continue
            t = _cited(b, c)
            if t is None:
                continue
            keys = [c.metric, f"completion.{c.metric}", f"cur.{c.metric}"]
            keys += ["on_time.count"] if c.metric == "completed_on_time" else []
            keys += [c.subject, "count"] if c.metric == "received" else []
            key = next((k for k in keys if k in t.keys), None)
            if key is None or (t.kind == "count" and key == "received" and c.subject != "hotline"):
                continue
            col = t.keys.index(key)
            if (t.id, "/".join(t.columns[col])) in cols_bad:
                continue
            total = sum(
                (num(r[col]) or 0 for i, r in regular(t) if i not in t.total_rows), Fraction(0)
            )
            got = num(c.value)
            if "万" in (c.value or ""):
                assert rnd(total / 10000, 2, b.rounding) == got, (b.id, c)
            else:
                assert total == got, (b.id, t.id, key, c)
            checked += 1
    assert checked >= 40


def test_phrasings_per_claim_kind(archive: list[Bulletin]) -> None:
    kinds: dict[str, set[str]] = {}
    for b in archive:
        for c in b.claims:
            kinds.setdefault(c.kind, set()).add(c.phrasing)
    for kind in ("count", "rate", "share", "growth", "points", "rank_list"):
        assert len(kinds.get(kind, set())) >= 8, (kind, sorted(kinds.get(kind, set())))


def test_names_are_mapped_and_errors_located(archive: list[Bulletin]) -> None:
    check_names_and_errors(archive)


def check_names_and_errors(archive: list[Bulletin]) -> None:
    """Every printed name is mapped; every error's printed value stands where it says."""
    for b in archive:
        for t in b.tables:
            if "name" in t.keys:
                c = t.keys.index("name")
                for i, row in regular(t):
                    assert i in t.total_rows or row[c] in b.departments, (b.id, row[c])
        for claim in b.claims:
            assert all(n in b.departments for n in claim.names)
        texts = [p.text for p in b.body] + b.attachment_notes + [t.title for t in b.tables]
        for e in b.errors:
            assert e.printed != e.correct, (b.id, e)
            if e.row is not None:
                t = next(t for t in b.tables if t.id == e.table)
                assert e.column in ["/".join(p) for p in t.columns]
                col = ["/".join(p) for p in t.columns].index(e.column or "")
                assert dict(regular(t))[e.row - 1][col] == e.printed, (b.id, e)
            else:
                assert e.sentence and any(e.sentence in x for x in texts), (b.id, e)
                assert e.printed in e.sentence
        assert all(v in b.departments.values() for v in b.departments.values())


def test_generator_imports_nothing_from_pipeline() -> None:
    for path in GENERATE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            assert not any(n.split(".")[0] == "pipeline" for n in names), path
