"""The audit scored on real published bulletins (`make eval-real TEXTS=DIR`).

The catalog (`eval/real/catalog.jsonl`) holds facts only: for each bulletin the
search query and url that re-find it, its place, kind and period, and every
checkable relation in our own words (the printed figure, the printed inputs, the
recomputation and a verdict). The page texts are never committed: a session
re-fetches them into a folder outside the repo (eval/REAL.md), and this module
reads them from there.

Scores, per relation kind and in all, for one split (dev or test, by city):
- recall: inconsistent relations whose printed figure got an error or warning;
- right: of those, the ones whose finding recomputes what the catalog recomputes;
- false errors: consistent relations whose printed figure got an error;
- stray errors: error findings whose figure no relation of the bulletin prints;
- recomputed: the share of the catalog's printed figures that a check touched,
  and the audit's own coverage (numbers checked of numbers printed).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

CATALOG = Path(__file__).with_name("real") / "catalog.jsonl"
LATEST = Path(__file__).with_name("real") / "latest.json"
KINDS = (
    "rate",
    "share",
    "sum",
    "difference",
    "derived",
    "growth",
    "points",
    "average",
    "rank",
    "topn",
    "date",
    "period",
)
VERDICTS = ("consistent", "inconsistent", "ambiguous")
BULLETIN_KINDS = (
    "hotline_monthly",
    "hotline_quarterly",
    "hotline_annual",
    "hotline_weekly",
    "mailbox",
    "message_board",
    "consumer_12315",
    "service_evaluation",
    "county_comparison",
    "other",
)
ENTRY_KEYS = ("id", "query", "url", "rank", "province", "city", "locality", "kind", "period")
NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?\s*%?")
LONG_CJK = re.compile(r"[\u4e00-\u9fff，。；：、（）]{60,}")  # page text, not a label


@dataclass(frozen=True, slots=True)
class Relation:
    kind: str
    printed: str
    inputs: tuple[str, ...]
    recomputed: str | None
    verdict: str
    label: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    query: str
    url: str
    city: str
    kind: str
    text_sha256: str | None
    relations: tuple[Relation, ...]

    @property
    def split(self) -> str:
        return split_of(self.city)


def split_of(city: str) -> str:
    """A third of the cities are the test split, by a hash that no tuning can move."""
    return "test" if hashlib.sha256(city.encode()).digest()[0] % 3 == 0 else "dev"


def figure_key(text: str) -> str | None:
    """A printed figure reduced to what identifies it: digits, point and percent sign; a
    place printed in words (第十名, 第四位) is its number."""
    m = NUMBER.search(unicodedata.normalize("NFKC", text))
    if m is None:
        return _place_key(text)
    raw = m.group(0).replace(",", "").replace(" ", "")
    percent = raw.endswith("%")
    try:
        value = Decimal(raw.rstrip("%"))
    except InvalidOperation:
        return None
    return f"{value.normalize():f}{'%' if percent else ''}"


PLACE = re.compile(r"第([零〇一二两三四五六七八九十百]+)(?:名|位)?$")


def _place_key(text: str) -> str | None:
    from pipeline.normalize.numbers import chinese_to_int

    m = PLACE.search(text.strip())
    return str(chinese_to_int(m.group(1))) if m else None


# --- catalog -------------------------------------------------------------------------


def load_catalog(path: Path = CATALOG) -> list[Entry]:
    entries = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            entries.append(entry_from_json(json.loads(line), where=f"{path.name}:{n}"))
    return entries


def entry_from_json(data: dict[str, Any], *, where: str) -> Entry:
    problems = check_entry(data)
    if problems:
        raise ValueError(f"{where}: {'; '.join(problems)}")
    relations = tuple(
        Relation(
            kind=r["kind"],
            printed=str(r["printed"]),
            inputs=tuple(str(x) for x in r.get("inputs", ())),
            recomputed=None if r.get("recomputed") is None else str(r["recomputed"]),
            verdict=r["verdict"],
            label=r.get("label", ""),
            note=r.get("note", ""),
        )
        for r in data["relations"]
    )
    return Entry(
        id=data["id"],
        query=data["query"],
        url=data["url"],
        city=data["city"],
        kind=data["kind"],
        text_sha256=data.get("text_sha256"),
        relations=relations,
    )


def check_entry(data: dict[str, Any]) -> list[str]:
    """What is wrong with one catalog entry (nothing, for a good one)."""
    problems = [f"missing {k}" for k in ENTRY_KEYS if k not in data]
    if data.get("kind") not in BULLETIN_KINDS:
        problems.append(f"unknown bulletin kind {data.get('kind')!r}")
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", str(data.get("id", ""))):
        problems.append(f"bad id {data.get('id')!r}")
    for i, r in enumerate(data.get("relations", ())):
        if r.get("kind") not in KINDS:
            problems.append(f"relation {i}: unknown kind {r.get('kind')!r}")
        if r.get("verdict") not in VERDICTS:
            problems.append(f"relation {i}: unknown verdict {r.get('verdict')!r}")
        if "printed" not in r:
            problems.append(f"relation {i}: no printed figure")
        for key in ("note", "label"):
            if LONG_CJK.search(str(r.get(key, ""))):
                problems.append(f"relation {i}: {key} holds a long run of Chinese (page text?)")
    return problems


# --- running the audit ---------------------------------------------------------------


@dataclass(slots=True)
class Outcome:
    """What the audit said about one bulletin, reduced to what the scoring needs."""

    errors: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    warnings: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    unchecked: Counter[str] = field(default_factory=Counter)
    figures: set[str] = field(default_factory=set)  # every figure the audit counted
    numbers: int = 0
    checked: int = 0
    failure: str | None = None


def audit_text(path: Path) -> Outcome:
    """Audit one text file in-process; an exception is recorded, never raised."""
    from pipeline.extract import read_document
    from pipeline.normalize import normalize
    from pipeline.report.audit_json import audit_json
    from pipeline.validate import audit
    from pipeline.validate.audit import RULE_FAILED
    from pipeline.validate.figures import figures

    out = Outcome()
    try:
        result = audit(normalize(read_document(path)))
        record = audit_json(result)
    except Exception as exc:  # one bad text must not end the run
        out.failure = f"{type(exc).__name__}: {exc}"
        return out
    broken = [f["message"] for f in record["findings"] if RULE_FAILED in f["message"]]
    if broken:  # a rule's defect is the audit's failure here, not a finding to score
        out.failure = broken[0]
        return out
    for f in record["findings"]:
        bucket = {"error": out.errors, "warning": out.warnings}.get(f["severity"])
        for key in _numbers_in(f.get("reported") or "") if bucket is not None else ():
            bucket.setdefault(key, []).append(f)
    cov = record["coverage"]
    out.numbers, out.checked = cov["numbers"], cov["checked"]
    out.figures = {k for s in figures(result.normalized) if (k := figure_key(s.text))}
    for ev in cov.get("unchecked", ()):
        key = figure_key(ev.get("text", ""))
        if key is not None:
            out.unchecked[key] += 1
    return out


def _numbers_in(text: str) -> set[str]:
    # a date a finding reports as 2016-03-09 is keyed as the catalog keys 2016年3月9日: its year
    text = ISO_DATE.sub(r"\1", unicodedata.normalize("NFKC", text))
    found = {k for m in NUMBER.finditer(text) if (k := figure_key(m.group(0)))}
    places = (_place_key(m.group(0)) for m in PLACE_IN_TEXT.finditer(text))
    return found | {k for k in places if k}


ISO_DATE = re.compile(r"\b((?:19|20)\d{2})-\d{2}-\d{2}\b")
PLACE_IN_TEXT = re.compile(r"第[零〇一二两三四五六七八九十百]+(?:名|位)?")


def right_reason(finding: dict[str, Any], rel: Relation) -> bool:
    """The finding recomputes what the catalog does, or names every input."""
    if rel.recomputed and figure_key(finding.get("expected") or "") == figure_key(rel.recomputed):
        return True
    said = _numbers_in(" ".join(str(finding.get(k) or "") for k in ("message", "explanation")))
    inputs = {figure_key(x) for x in rel.inputs} - {None}
    return bool(inputs) and inputs <= said


# --- scoring ---------------------------------------------------------------------------


@dataclass(slots=True)
class Tally:
    inconsistent: int = 0
    flagged: int = 0
    right: int = 0
    consistent: int = 0
    false_errors: int = 0
    figures: int = 0
    recomputed: int = 0

    def add(self, other: Tally) -> None:
        for name in self.__slots__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def score_entry(entry: Entry, out: Outcome) -> tuple[dict[str, Tally], int, list[str]]:
    """Per-kind tallies, the stray error count and readable lines about the misses."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    lines: list[str] = []
    printed = {figure_key(r.printed) for r in entry.relations}
    # a figure one relation finds wrong may be right in another: a flag on it is the
    # inconsistent relation's, not a false error on the consistent one
    wrong = {figure_key(r.printed) for r in entry.relations if r.verdict == "inconsistent"}
    for rel in entry.relations:
        t = tallies[rel.kind]
        key = figure_key(rel.printed)
        if key is None or rel.verdict == "ambiguous":
            continue
        t.figures += 1
        t.recomputed += key in out.figures and key not in out.unchecked
        hits = out.errors.get(key, []) + out.warnings.get(key, [])
        if rel.verdict == "inconsistent":
            t.inconsistent += 1
            t.flagged += bool(hits)
            right = any(right_reason(f, rel) for f in hits)
            t.right += right
            if not hits:
                lines.append(f"  missed {rel.kind} {rel.printed} ({rel.label}): {rel.note}")
            elif not right:
                lines.append(
                    f"  unexplained {rel.kind} {rel.printed} (expected {rel.recomputed}): "
                    f"{hits[0]['rule']} {hits[0]['message']}"
                )
        else:
            t.consistent += 1
            if key in out.errors and key not in wrong:
                t.false_errors += 1
                first = out.errors[key][0]
                lines.append(
                    f"  false {first['rule']} on {rel.kind} {rel.printed}: {first['message']}"
                )
    stray = 0
    for key, found in out.errors.items():
        if key not in printed:
            stray += len(found)
            lines.extend(f"  stray {f['rule']} {f['message']}" for f in found)
    return tallies, stray, lines


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def summarize(
    entries: Sequence[Entry], outcomes: dict[str, Outcome]
) -> tuple[dict[str, Any], list[str]]:
    by_kind: dict[str, Tally] = defaultdict(Tally)
    total = Tally()
    stray = numbers = checked = failures = 0
    detail: list[str] = []
    for entry in entries:
        out = outcomes[entry.id]
        if out.failure:
            failures += 1
            detail.append(f"{entry.id}: FAILED {out.failure}")
            continue
        tallies, s, lines = score_entry(entry, out)
        stray += s
        numbers += out.numbers
        checked += out.checked
        for kind, t in tallies.items():
            by_kind[kind].add(t)
            total.add(t)
        if lines:
            detail.append(f"{entry.id} ({entry.kind}, {entry.city})")
            detail.extend(lines)
    record = {
        "bulletins": len(entries),
        "failures": failures,
        "stray_errors": stray,
        "audit_coverage": _ratio(checked, numbers),
        "all": _tally_json(total),
        "by_kind": {k: _tally_json(by_kind[k]) for k in KINDS if k in by_kind},
    }
    return record, detail


def _tally_json(t: Tally) -> dict[str, Any]:
    return {
        "inconsistent": t.inconsistent,
        "recall": _ratio(t.flagged, t.inconsistent),
        "right": _ratio(t.right, t.inconsistent),
        "consistent": t.consistent,
        "false_errors": t.false_errors,
        "false_error_rate": _ratio(t.false_errors, t.consistent),
        "recomputed": _ratio(t.recomputed, t.figures),
    }


def render(split: str, record: dict[str, Any]) -> str:
    rows = [
        f"real bulletins, {split} split: {record['bulletins']} bulletins, "
        f"{record['failures']} failed, {record['stray_errors']} stray errors, "
        f"audit coverage {record['audit_coverage']}"
    ]
    rows.append(
        f"{'kind':<11}{'incons.':>8}{'recall':>8}{'right':>8}{'consist.':>9}"
        f"{'false':>7}{'rate':>8}{'recomp.':>9}"
    )
    for kind, t in [*record["by_kind"].items(), ("ALL", record["all"])]:
        rows.append(
            f"{kind:<11}{t['inconsistent']:>8}{_fmt(t['recall']):>8}{_fmt(t['right']):>8}"
            f"{t['consistent']:>9}{t['false_errors']:>7}{_fmt(t['false_error_rate']):>8}"
            f"{_fmt(t['recomputed']):>9}"
        )
    return "\n".join(rows)


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


# --- texts: re-fetching and checking ----------------------------------------------------


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def ingest(entries: Sequence[Entry], results: Iterable[Path], texts: Path) -> Iterator[str]:
    """Write TEXTS/<id>.txt for every catalog url found in saved search answers."""
    by_url = {e.url: e for e in entries}
    texts.mkdir(parents=True, exist_ok=True)
    for path in results:
        answer = json.loads(path.read_text(encoding="utf-8"))
        for result in answer.get("results", ()):
            entry = by_url.get(result.get("url", ""))
            if entry is None:
                continue
            excerpt = result.get("excerpt", "")
            (texts / f"{entry.id}.txt").write_text(excerpt, encoding="utf-8")
            same = entry.text_sha256 in (None, text_digest(excerpt))
            yield f"{entry.id}: written{'' if same else ' (DIFFERS from the catalogued text)'}"


def _whitespace_variants(text: str) -> Iterator[str]:
    """The text with its ends and line ends trimmed or closed by a line break, no-break
    spaces made plain: how a copy typed from a search answer most often differs."""
    bodies = (
        text,
        text.replace("\xa0", " "),
        "\n".join(line.rstrip() for line in text.split("\n")),
    )
    for body in bodies:
        yield from (body, body.rstrip("\n"), body.rstrip("\n") + "\n", body.strip())


def verify(entries: Sequence[Entry], texts: Path, *, repair: bool = False) -> Iterator[str]:
    """Check every catalogued text in `texts` against its digest: "missing", "differs", or
    nothing when it matches; with `repair`, a text that matches once its whitespace is
    trimmed (`_whitespace_variants`) is rewritten so and reported "repaired"."""
    for entry in entries:
        path = texts / f"{entry.id}.txt"
        if not path.exists():
            yield f"{entry.id}: missing (query: {entry.query})"
            continue
        text = path.read_text(encoding="utf-8")
        if entry.text_sha256 in (None, text_digest(text)):
            continue
        fixed = next(
            (v for v in _whitespace_variants(text) if text_digest(v) == entry.text_sha256), None
        )
        if fixed is not None and repair:
            path.write_text(fixed, encoding="utf-8")
            yield f"{entry.id}: repaired (whitespace)"
        else:
            yield f"{entry.id}: differs" + (" (whitespace only: --repair)" if fixed else "")


def merge(folders: Sequence[Path], texts: Path, catalog: Path = CATALOG) -> list[str]:
    """Fold helper folders of per-bulletin JSON files into the catalog (one url once)."""
    seen: dict[str, dict[str, Any]] = {}
    if catalog.exists():
        for line in catalog.read_text(encoding="utf-8").splitlines():
            if line.strip():
                data = json.loads(line)
                seen[data["url"]] = data
    notes = []
    for folder in folders:
        for path in sorted(folder.glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            problems = check_entry(data)
            text_path = texts / f"{data.get('id')}.txt"
            if not text_path.exists():
                problems.append("no text")
            if problems:
                notes.append(f"{path}: skipped: {'; '.join(problems)}")
                continue
            data["text_sha256"] = text_digest(text_path.read_text(encoding="utf-8"))
            data.pop("text", None)
            seen[data["url"]] = data
    ids = Counter(d["id"] for d in seen.values())
    notes.extend(f"duplicate id {i}" for i, n in ids.items() if n > 1)
    ordered = sorted(seen.values(), key=lambda d: d["id"])
    catalog.parent.mkdir(parents=True, exist_ok=True)
    catalog.write_text(
        "".join(json.dumps(d, ensure_ascii=False, sort_keys=True) + "\n" for d in ordered),
        encoding="utf-8",
    )
    notes.append(f"{len(ordered)} bulletins in {catalog}")
    return notes


def stats(entries: Sequence[Entry]) -> str:
    cities = {e.city for e in entries}
    kinds = Counter(e.kind for e in entries)
    with_error = sum(any(r.verdict == "inconsistent" for r in e.relations) for e in entries)
    rel = Counter((r.kind, r.verdict) for e in entries for r in e.relations)
    splits = Counter(e.split for e in entries)
    lines = [
        f"{len(entries)} bulletins, {len(cities)} cities, {with_error} with an inconsistency; "
        f"split {dict(splits)}",
        "bulletin kinds: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common()),
        "relations: " + ", ".join(f"{k}/{v} {n}" for (k, v), n in sorted(rel.items())),
    ]
    return "\n".join(lines)


# --- command line ------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m eval.real", description=__doc__.splitlines()[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("score", help="audit the texts of one split and score them")
    run.add_argument(
        "--texts", type=Path, required=True, help="folder of <id>.txt (outside the repo)"
    )
    run.add_argument("--split", choices=("dev", "test", "all"), default="dev")
    run.add_argument("--detail", action="store_true", help="list every miss and false error")
    run.add_argument("--write", action="store_true", help=f"record the figures in {LATEST.name}")
    sub.add_parser("queries", help="the queries that re-find the catalog's pages, one per line")
    sub.add_parser("stats", help="what the catalog holds")
    ing = sub.add_parser("ingest", help="write texts from saved search answers (JSON files)")
    ing.add_argument("--texts", type=Path, required=True)
    ing.add_argument("answers", type=Path, nargs="+")
    ver = sub.add_parser("verify", help="check the texts against the catalog's digests")
    ver.add_argument("--texts", type=Path, required=True)
    ver.add_argument("--repair", action="store_true", help="rewrite whitespace-only differences")
    mer = sub.add_parser("merge", help="fold folders of per-bulletin JSON files into the catalog")
    mer.add_argument("--texts", type=Path, required=True)
    mer.add_argument("folders", type=Path, nargs="+")
    args = parser.parse_args(argv)

    if args.command == "merge":
        print("\n".join(merge(args.folders, args.texts)))
        return 0
    entries = load_catalog()
    if args.command == "queries":
        print("\n".join(sorted({e.query for e in entries})))
        return 0
    if args.command == "stats":
        print(stats(entries))
        return 0
    if args.command == "ingest":
        print("\n".join(ingest(entries, args.answers, args.texts)))
        return 0
    if args.command == "verify":
        notes = list(verify(entries, args.texts, repair=args.repair))
        print("\n".join([*notes, f"{len(entries) - len(notes)} of {len(entries)} texts match"]))
        return 1 if any(": missing" in n for n in notes) else 0
    return _score(entries, args)


def _score(entries: Sequence[Entry], args: argparse.Namespace) -> int:
    chosen = [e for e in entries if args.split == "all" or e.split == args.split]
    outcomes: dict[str, Outcome] = {}
    missing = []
    for entry in chosen:
        path = args.texts / f"{entry.id}.txt"
        if not path.exists():
            missing.append(entry.id)
            continue
        outcomes[entry.id] = audit_text(path)
    present = [e for e in chosen if e.id in outcomes]
    record, detail = summarize(present, outcomes)
    record["missing_texts"] = len(missing)
    if args.detail:
        print("\n".join(detail))
    print(render(args.split, record))
    if missing:
        print(
            f"{len(missing)} texts missing from {args.texts} (eval/REAL.md says how to fetch them)",
            file=sys.stderr,
        )
    if args.write:
        latest = json.loads(LATEST.read_text()) if LATEST.exists() else {}
        latest[args.split] = record
        LATEST.write_text(json.dumps(latest, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
