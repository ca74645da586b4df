"""Many bulletins -> one gazetteer per district, from every department name they print.

`bulletin_files` lists the bulletins under some folders (one file per bulletin when it
is there in several formats), `document_names` collects one document's printed names
with the table that printed each, and `build_gazetteers` clusters the names of each
district across the archive:

1. names that fold to one key are one department: district prefix dropped, traditional
   characters simplified (OpenCC, Unihan where installed), short endings written out
   (街道 -> 街道办事处);
2. keys that differ by one doubled character, then keys rapidfuzz finds near
   (`departments.similar`: insertions and deletions only, no distinguishing token such
   as 局/分局, a direction or a numeral), are merged, strongest link first;
3. two clusters printed as two rows of one table are never merged: a table lists a
   department once;
4. each cluster is known by its most frequent folded spelling.

Pairs kept apart although alike (one substituted character, a distinguishing token,
two rows of one table) are listed for review; none is merged on a guess.
`gazetteer_json` writes the format `departments.load_gazetteer` reads (docs/gazetteer.md).
"""

from __future__ import annotations

import calendar
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from pipeline.errors import ConfigError, InputError
from pipeline.model import Claim, Document, Period
from pipeline.normalize.claims import extract_claims
from pipeline.normalize.departments import (
    DISTRICT_WITH_CITY,
    FUZZY_THRESHOLD,
    FoldedName,
    NameFolder,
    clean_name,
    infer_district,
    most_frequent,
    similar,
    to_simplified,
)
from pipeline.normalize.mentions import document_lexicon
from pipeline.normalize.metadata import resolve_metadata
from pipeline.normalize.name_blocks import collapses
from pipeline.normalize.name_rules import distinguishing_difference
from pipeline.normalize.tables import department_labels

# One file per bulletin: when a folder holds a bulletin in several formats, the first here.
FORMATS = (".pdf", ".docx", ".html", ".htm", ".txt")
UNREADABLE = ("\ufffd", "(cid:")  # a glyph the extractor could not read
MIN_REVIEW_LENGTH = 3  # shorter keys differing by a character are simply different names
CITY_BEFORE = r"(?P<city>[^\s，。、：；（）()]{1,6}?[市州盟])"


@dataclass(frozen=True, slots=True)
class Printing:
    """One printed department name (whitespace removed, width folded) and its table."""

    name: str
    table: int | None  # index in Document.tables; None when printed in the text


@dataclass(frozen=True, slots=True)
class DocumentNames:
    """What one bulletin contributes: its district, city, period and printed names."""

    path: str
    district: str | None  # "X区", without the city
    city: str | None  # "Y市", when printed before the district
    period: Period | None
    printings: tuple[Printing, ...]
    unreadable: int = 0  # names left out because a character could not be read


@dataclass(frozen=True, slots=True)
class Seen:
    """How often a spelling was printed, in how many bulletins, first and last period."""

    count: int
    documents: int
    first: Period | None
    last: Period | None


@dataclass(frozen=True, slots=True)
class Entry:
    """One department: its canonical name and every spelling printed for it."""

    canonical: str
    spellings: tuple[tuple[str, Seen], ...]  # most printed first
    aliases: tuple[str, ...]  # spellings folding alone does not reach (variants, slips)

    @property
    def count(self) -> int:
        return sum(seen.count for _, seen in self.spellings)


@dataclass(frozen=True, slots=True)
class Apart:
    """Two spellings kept as two departments although alike, and why."""

    a: str
    b: str
    why: str


@dataclass(frozen=True, slots=True)
class BuiltGazetteer:
    """The departments of one district as the archive prints them."""

    district: str
    city: str | None
    documents: int
    first: Period | None
    last: Period | None
    entries: tuple[Entry, ...]  # most printed first
    apart: tuple[Apart, ...]


# --- reading -------------------------------------------------------------------------


def bulletin_files(dirs: Sequence[Path]) -> tuple[list[Path], int]:
    """Every bulletin under `dirs` (recursive), sorted, and how many renderings were skipped.

    A bulletin present in several formats beside itself (x.pdf, x.html) is read once,
    in the order of FORMATS. Raises InputError when a folder does not exist.
    """
    chosen: dict[tuple[Path, str], Path] = {}
    skipped = 0
    for folder in dirs:
        if not folder.is_dir():
            raise InputError(f"{folder}: not a folder")
        for path in sorted(folder.rglob("*")):
            if path.suffix.lower() not in FORMATS or not path.is_file():
                continue
            key = (path.parent, path.stem)
            if key in chosen:
                skipped += 1
                if _rank(path) < _rank(chosen[key]):
                    chosen[key] = path
                continue
            chosen[key] = path
    return sorted(set(chosen.values())), skipped


def _rank(path: Path) -> int:
    return FORMATS.index(path.suffix.lower())


def document_names(doc: Document, *, claims: Sequence[Claim] | None = None) -> DocumentNames:
    """The department names `doc` prints in its tables and text, with its district and period.

    Tables of topics (a 类别 column) name no department (`department_labels`). `claims` are
    the document's claims when already extracted (else they are extracted here).
    """
    meta = resolve_metadata(doc)
    raw: list[tuple[str, int | None]] = []
    for i, table in enumerate(doc.tables):
        raw += [(name, i) for name in department_labels(table)]
    if claims is None:
        labels = [name for name, _ in raw]
        lexicon = document_lexicon(labels, gazetteer=None, district=meta.district)
        claims = extract_claims(doc, names=lexicon)
    raw += [(name, None) for claim in claims for name in claim.names]
    names = [(clean_name(n), t) for n, t in raw]
    kept = tuple(Printing(n, t) for n, t in names if n and not any(u in n for u in UNREADABLE))
    district = meta.district or infer_district([p.name for p in kept])
    texts = [s.text for s in (meta.issuer, meta.title) if s is not None]
    return DocumentNames(
        path=doc.path,
        district=district,
        city=_city(district, [*texts, *(p.name for p in kept)]),
        period=meta.period,
        printings=kept,
        unreadable=len(names) - len(kept),
    )


def _city(district: str | None, texts: Iterable[str]) -> str | None:
    """The city printed right before the district at the start of a text, most often."""
    if not district:
        return None
    pattern = re.compile(rf"^{CITY_BEFORE}{re.escape(district)}")
    found = Counter(m["city"] for t in texts if (m := pattern.match(clean_name(t))))
    return found.most_common(1)[0][0] if found else None


# --- clustering ------------------------------------------------------------------------


def split_district(name: str) -> tuple[str, str | None]:
    """ "Y市X区" -> ("X区", "Y市"); "X区" -> ("X区", None)."""
    clean = clean_name(name)
    match = DISTRICT_WITH_CITY.match(clean)
    return (match[2], match[1]) if match else (clean, None)


def _district_matches(doc_district: str, wanted: str) -> bool:
    return wanted in (doc_district, doc_district[:-1] if len(doc_district) > 2 else doc_district)


def build_gazetteers(
    docs: Sequence[DocumentNames], *, district: str | None = None
) -> list[BuiltGazetteer]:
    """One gazetteer per district the documents name (or only `district`, "X区" or "Y市X区").

    Documents that name no district are left out. Districts come out most documents first.
    """
    wanted, wanted_city = split_district(district) if district else (None, None)
    by_district: dict[str, list[DocumentNames]] = defaultdict(list)
    for doc in docs:
        if doc.district and (wanted is None or _district_matches(doc.district, wanted)):
            by_district[doc.district].append(doc)
    built = [_build_one(name, group, wanted_city) for name, group in by_district.items()]
    return sorted(built, key=lambda g: (-g.documents, g.district))


@dataclass(slots=True)
class _Tally:
    """Per spelling: printings, documents, periods and the tables that printed it."""

    count: int = 0
    documents: set[int] = field(default_factory=set)
    periods: list[Period] = field(default_factory=list)
    tables: set[tuple[int, int]] = field(default_factory=set)  # (document, table index)

    def add(self, doc: int, printing: Printing, period: Period | None) -> None:
        self.count += 1
        self.documents.add(doc)
        if period is not None:
            self.periods.append(period)
        if printing.table is not None:
            self.tables.add((doc, printing.table))

    def seen(self) -> Seen:
        periods = sorted(self.periods, key=_period_order)
        first, last = (periods[0], periods[-1]) if periods else (None, None)
        return Seen(self.count, len(self.documents), first, last)


def _period_order(p: Period) -> tuple[str, str]:
    return (p.start.isoformat(), p.end.isoformat())


def _build_one(district: str, docs: Sequence[DocumentNames], city: str | None) -> BuiltGazetteer:
    cities = Counter(d.city for d in docs if d.city)
    city = city or (cities.most_common(1)[0][0] if cities else None)
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    printed: list[str] = []  # every printing in reading order: frequency decides the spelling
    for i, doc in enumerate(docs):
        for p in doc.printings:
            tallies[p.name].add(i, p, doc.period)
            printed.append(p.name)
    folder = NameFolder(district, city)
    folded = {s: folder.fold(s) for s in tallies}
    clusters, apart = _cluster(folded, tallies)
    entries = [_entry(group, folded, tallies, printed) for group in clusters]
    entries = _drop_alias_clashes(entries)
    periods = sorted((d.period for d in docs if d.period), key=_period_order)
    return BuiltGazetteer(
        district=district,
        city=city,
        documents=len(docs),
        first=periods[0] if periods else None,
        last=periods[-1] if periods else None,
        entries=tuple(sorted(entries, key=lambda e: (-e.count, e.canonical))),
        apart=tuple(apart),
    )


@dataclass(frozen=True, slots=True)
class _Link:
    strength: float  # a doubled character beats any fuzzy ratio
    a: str  # keys (folded, simplified)
    b: str
    how: str


def _cluster(
    folded: dict[str, FoldedName], tallies: dict[str, _Tally]
) -> tuple[list[list[str]], list[Apart]]:
    """Spellings grouped into departments, and the alike pairs kept apart."""
    by_key: dict[str, list[str]] = defaultdict(list)
    for spelling, f in folded.items():
        by_key[f.simple].append(spelling)
    keys = sorted(by_key)
    parent = {k: k for k in keys}
    tables = {k: set().union(*(tallies[s].tables for s in by_key[k])) for k in keys}

    def root(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    links, apart = _links(keys, by_key, tables)
    for link in links:
        ra, rb = root(link.a), root(link.b)
        if ra == rb:
            continue
        if tables[ra] & tables[rb]:
            why = f"{link.how}, but printed as two rows of one table"
            apart.append(Apart(by_key[link.a][0], by_key[link.b][0], why))
            continue
        parent[rb] = ra
        tables[ra] |= tables[rb]
    groups: dict[str, list[str]] = defaultdict(list)
    for k in keys:
        groups[root(k)].extend(by_key[k])
    return list(groups.values()), apart


def _links(
    keys: Sequence[str], by_key: dict[str, list[str]], tables: dict[str, set[tuple[int, int]]]
) -> tuple[list[_Link], list[Apart]]:
    """Links between keys, strongest first; alike keys never printed in one table, for review."""
    links: list[_Link] = []
    apart: list[Apart] = []
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            link = _link(a, b)
            if isinstance(link, _Link):
                links.append(link)
            elif link is not None and not tables[a] & tables[b]:
                apart.append(Apart(by_key[a][0], by_key[b][0], link))
    links.sort(key=lambda lk: (-lk.strength, lk.a, lk.b))
    return links, apart


def _link(a: str, b: str) -> _Link | str | None:
    """A link between two keys, or why alike keys stay apart (a string), or None."""
    for x, y in ((a, b), (b, a)):
        for collapsed, char in collapses(x):
            if collapsed == y:
                return _Link(1000.0, a, b, f"doubled character {char}")
    score = similar(a, b)
    if score is not None:
        return _Link(score, a, b, f"near match (ratio {score:.1f})")
    if min(len(a), len(b)) < MIN_REVIEW_LENGTH:
        return None
    if len(a) == len(b) and Levenshtein.distance(a, b) == 1:
        pair = next(f"{x}/{y}" for x, y in zip(a, b, strict=True) if x != y)
        return f"one character differs ({pair}); a substitution is never merged"
    if fuzz.ratio(a, b) < FUZZY_THRESHOLD:
        return None
    why = distinguishing_difference(a, b)
    return f"alike but {why}" if why else None


def _entry(
    group: Sequence[str],
    folded: dict[str, FoldedName],
    tallies: dict[str, _Tally],
    printed: Sequence[str],
) -> Entry:
    best = most_frequent([folded[s] for s in group], printed)
    canonical = to_simplified(best.display)
    order = sorted(group, key=lambda s: (-tallies[s].count, s))
    aliases = tuple(s for s in order if s != canonical and folded[s].display != canonical)
    return Entry(canonical, tuple((s, tallies[s].seen()) for s in order), aliases)


def _drop_alias_clashes(entries: Sequence[Entry]) -> list[Entry]:
    """An alias that is another department's name stays that department's name only."""
    names = {e.canonical for e in entries}
    out = []
    for e in entries:
        kept = tuple(a for a in e.aliases if a not in names)
        out.append(Entry(e.canonical, e.spellings, kept) if kept != e.aliases else e)
    return out


# --- the file ----------------------------------------------------------------------------


def period_key(period: Period) -> str:
    """2023-02 (a month), 2023-Q1, 2023-H1, 2023 (a year), else start..end (ISO)."""
    start, end = period.start, period.end
    y = start.year
    month_end = calendar.monthrange(end.year, end.month)[1]
    whole = start.day == 1 and end.day == month_end and end.year == y
    span = end.month - start.month + 1 if whole else 0
    if span == 1:
        return f"{y}-{start.month:02d}"
    if span == 3 and start.month % 3 == 1:
        return f"{y}-Q{start.month // 3 + 1}"
    if span == 6 and start.month in (1, 7):
        return f"{y}-H{1 if start.month == 1 else 2}"
    if span == 12:
        return str(y)
    return f"{start.isoformat()}..{end.isoformat()}"


def _key_or_none(period: Period | None) -> str | None:
    return period_key(period) if period else None


def gazetteer_json(g: BuiltGazetteer) -> dict[str, Any]:
    """The gazetteer file's JSON value (docs/gazetteer.md).

    Raises ConfigError when no city was printed before the district, or when no department
    name was read for it: the format needs both (a file without names could not be loaded).
    """
    if not g.city:
        raise ConfigError(
            f"{g.district}: no city is printed before the district in any bulletin; "
            f"name it with --district <city>{g.district}"
        )
    if not g.entries:
        raise ConfigError(
            f"{g.district}: no department name was read in its {g.documents} bulletin(s); "
            "a gazetteer needs at least one"
        )
    span = f"{_key_or_none(g.first)}..{_key_or_none(g.last)}" if g.first else "no period"
    data: dict[str, Any] = {
        "schema": 1,
        "district": g.district,
        "city": g.city,
        "source": f"built by `bulletins gazetteer build` from {g.documents} bulletins ({span})",
        "names": [e.canonical for e in g.entries],
        "aliases": {a: e.canonical for e in g.entries for a in e.aliases},
        "seen": {
            spelling: {
                "canonical": e.canonical,
                "count": seen.count,
                "documents": seen.documents,
                "first": _key_or_none(seen.first),
                "last": _key_or_none(seen.last),
            }
            for e in g.entries
            for spelling, seen in e.spellings
        },
    }
    if g.apart:
        data["notes"] = "kept apart, for review: " + "; ".join(
            f"{p.a} / {p.b} ({p.why})" for p in g.apart
        )
    return data


def summary_line(g: BuiltGazetteer) -> str:
    """One line for people: departments, spellings, aliases, pairs kept apart."""
    spellings = sum(len(e.spellings) for e in g.entries)
    aliases = sum(len(e.aliases) for e in g.entries)
    return (
        f"{g.city or ''}{g.district}: {len(g.entries)} departments from {spellings} spellings "
        f"in {g.documents} bulletins; {aliases} aliases; {len(g.apart)} alike pairs kept apart"
    )
