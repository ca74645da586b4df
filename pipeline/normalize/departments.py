"""Printed department names to canonical identities.

A bulletin prints one department several ways: with and without the district
prefix, in a traditional character, with a character typed twice. Each printed
name is matched against a gazetteer (`pipeline/data/gazetteers/*.json`, format in
docs/gazetteer.md) by steps tried in order: exact, alias, prefix, variant,
duplicate-char, fuzzy; names that match nothing are clustered among themselves
and keep their own spelling (reason `new`). A `DepartmentName.reason` joins the
steps taken with "+" ("prefix+alias"); `detail` says what each step did.
"""

from __future__ import annotations

import bz2
import json
import logging
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel, Levenshtein

from pipeline.errors import ConfigError
from pipeline.model import DepartmentName
from pipeline.normalize.name_blocks import candidate_pairs, collapses
from pipeline.normalize.name_rules import distinguishing_difference, full_form
from pipeline.normalize.numbers import DATA_DIR, read_word_list

log = logging.getLogger(__name__)

GAZETTEER_DIR = DATA_DIR / "gazetteers"
UNIHAN_VARIANTS = Path("/usr/share/unicode/Unihan_Variants.txt.bz2")
# rapidfuzz ratio (0-100) on folded names; a one-character slip in a 5-character
# name scores 90.9. Substitutions are refused outright: 东/西, 南/北 name
# different streets.
FUZZY_THRESHOLD = 88.0
FUZZY_MIN_LENGTH = 3
GAZETTEER_KEYS = frozenset(
    {"schema", "district", "city", "names", "aliases", "seen", "source", "notes"}
)
SEEN_KEYS = frozenset({"canonical", "count", "documents", "first", "last"})
DISTRICT_WITH_CITY = re.compile(r"^(.+?市)(.+[区县旗])$")


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """The departments of one district: canonical names and known misspellings.

    `aliases` pairs each alias with the canonical name it stands for.
    """

    district: str
    city: str
    names: tuple[str, ...]
    aliases: tuple[tuple[str, str], ...] = ()

    @property
    def alias_map(self) -> dict[str, str]:
        """Alias -> canonical name."""
        return dict(self.aliases)


def load_gazetteer(path: Path) -> Gazetteer:
    """Read a gazetteer JSON file. Raises ConfigError when it is unreadable or malformed."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: cannot read gazetteer ({exc})") from exc
    return parse_gazetteer(data, path)


def parse_gazetteer(data: Any, path: Path | str) -> Gazetteer:
    """A gazetteer from its JSON value; `path` names it in errors. Raises ConfigError."""
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a JSON object, found {type(data).__name__}")
    unknown = sorted(set(data) - GAZETTEER_KEYS)
    if unknown:
        raise ConfigError(f"{path}: unknown keys {unknown}; allowed: {sorted(GAZETTEER_KEYS)}")
    names = _string_list(data.get("names"), path, "names")
    aliases = _alias_pairs(data.get("aliases", {}), frozenset(names), path)
    _check_seen(data.get("seen", {}), frozenset(names), path)
    return Gazetteer(
        district=_string(data.get("district"), path, "district"),
        city=_string(data.get("city"), path, "city"),
        names=names,
        aliases=aliases,
    )


def _check_seen(value: Any, names: frozenset[str], path: Path | str) -> None:
    """`seen`: printed spelling -> {canonical, count, documents, first, last} (for people)."""
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: 'seen' must be an object mapping a spelling to its record")
    for spelling, record in value.items():
        if not isinstance(record, dict) or set(record) - SEEN_KEYS:
            raise ConfigError(
                f"{path}: seen[{spelling}] must be an object with {sorted(SEEN_KEYS)}"
            )
        if record.get("canonical", next(iter(names))) not in names:
            raise ConfigError(
                f"{path}: seen[{spelling}] names {record['canonical']}, not in 'names'"
            )


def _string(value: Any, path: Path | str, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{path}: '{key}' must be a non-empty string, found {value!r}")
    return value.strip()


def _string_list(value: Any, path: Path | str, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise ConfigError(f"{path}: '{key}' must be a non-empty list of strings")
    items = tuple(_string(v, path, key) for v in value)
    repeated = sorted(k for k, n in Counter(items).items() if n > 1)
    if repeated:
        raise ConfigError(f"{path}: '{key}' lists {repeated} more than once")
    return items


def _alias_pairs(
    value: Any, names: frozenset[str], path: Path | str
) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: 'aliases' must be an object mapping alias to canonical name")
    pairs = tuple(
        (_string(a, path, "aliases"), _string(c, path, "aliases")) for a, c in value.items()
    )
    for alias, canonical in pairs:
        if canonical not in names:
            raise ConfigError(f"{path}: alias {alias} points to {canonical}, not in 'names'")
        if alias in names:
            raise ConfigError(f"{path}: alias {alias} is also a canonical name")
    return pairs


def find_gazetteer(district: str | None, *, directory: Path | None = None) -> Gazetteer | None:
    """The gazetteer whose district is `district` ("X区", "Y市X区" or "X").

    Looks through `directory` (default `pipeline/data/gazetteers`). Returns None
    when none matches or when several match and the city does not decide.
    Raises ConfigError when a gazetteer file is malformed.
    """
    if not district:
        return None
    paths = sorted((directory or GAZETTEER_DIR).glob("*.json"))
    found = [g for g in (load_gazetteer(p) for p in paths) if _district_matches(g, district)]
    if len(found) > 1:
        log.warning("district %s matches %d gazetteers; none chosen", district, len(found))
        return None
    return found[0] if found else None


def _district_matches(gazetteer: Gazetteer, district: str) -> bool:
    wanted = clean_name(district)
    full = gazetteer.city + gazetteer.district
    short = gazetteer.district[:-1] if len(gazetteer.district) > 2 else gazetteer.district
    return wanted in (gazetteer.district, full, short)


# --- folding --------------------------------------------------------------------


def clean_name(text: str) -> str:
    """Without whitespace, full-width forms folded one character for one."""
    return "".join(_nfkc_char(c) for c in text if not c.isspace())


def _nfkc_char(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch)
    return folded if len(folded) == 1 else ch


@lru_cache(maxsize=1)
def _place_suffixes() -> tuple[str, ...]:
    return read_word_list(DATA_DIR / "place_suffixes.txt")


@lru_cache(maxsize=1)
def _t2s() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def read_unihan_variants(path: Path) -> dict[str, str]:
    """Character -> simplified form from the kSimplifiedVariant lines of Unihan_Variants.

    Reads plain or .bz2 files. Raises ConfigError when the file cannot be read.
    """
    opener = bz2.open if path.suffix == ".bz2" else open
    table: dict[str, str] = {}
    try:
        with opener(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                parts = line.rstrip("\n").split("\t")
                if len(parts) == 3 and parts[1] == "kSimplifiedVariant":
                    source = chr(int(parts[0][2:], 16))
                    targets = [chr(int(t.split("<")[0][2:], 16)) for t in parts[2].split()]
                    # 乾 -> 乾 or 干: a character that is also its own simplified form stays
                    if source not in targets:
                        table[source] = targets[0]
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: cannot read Unihan variants ({exc})") from exc
    return table


@lru_cache(maxsize=1)
def _unihan() -> dict[str, str]:
    return cached_unihan_variants(UNIHAN_VARIANTS) if UNIHAN_VARIANTS.exists() else {}


def cached_unihan_variants(path: Path) -> dict[str, str]:
    """`read_unihan_variants(path)`, kept per user as a string of character pairs.

    Unpacking and parsing the .bz2 file costs every process about 0.1 s, more than reading a
    short bulletin (issue 15); the pairs load in well under a millisecond. The cache is named
    by the file's size and time, so a new Unihan is read again.
    """
    from pipeline.normalize.segmenter import cache_dir

    stat = path.stat()
    cache = cache_dir() / f"unihan-simplified-{stat.st_size}-{stat.st_mtime_ns}.txt"
    try:
        pairs = cache.read_text(encoding="utf-8")
    except OSError:
        table = read_unihan_variants(path)
        _write_atomically(cache, "".join(k + v for k, v in table.items()))
        return table
    return dict(zip(pairs[::2], pairs[1::2], strict=True))


def _write_atomically(path: Path, text: str) -> None:
    """Write `path` whole or not at all: processes read it while others may write it."""
    part = path.with_name(f"{path.name}.{os.getpid()}.part")
    try:
        part.write_text(text, encoding="utf-8")
        os.replace(part, path)
    except OSError as exc:  # a read-only temp dir: the table is read from Unihan each time
        log.debug("cannot cache %s (%s)", path, exc)


# a document asks for the same few hundred names and headers thousands of times
@lru_cache(maxsize=1 << 16)
def to_simplified(text: str) -> str:
    """Traditional characters to simplified: OpenCC t2s, then Unihan where installed."""
    converted = str(_t2s().convert(text))
    table = _unihan()
    return "".join(table.get(c, c) for c in converted) if table else converted


@dataclass(frozen=True, slots=True)
class FoldedName:
    """A printed name and the forms it is compared in."""

    printed: str
    clean: str  # no whitespace, width folded
    prefix: str | None  # the district prefix dropped ("<city><district>" or "<district>")
    key: str  # without district prefix and without the bare 区
    has_bare: bool  # printed with the bare 区 (after any district prefix)
    simple: str  # key in simplified characters
    display: str  # the spelling a new name gets
    expanded: tuple[str, str] | None = None  # (short, full) ending written out: 街道→街道办事处

    @property
    def printed_key(self) -> str:
        """The key as far as it was printed (without a written-out ending)."""
        if self.expanded is None:
            return self.key
        short, full = self.expanded
        return self.key[: len(self.key) - len(full) + len(short)]


@dataclass(frozen=True, slots=True)
class NameFolder:
    district: str | None
    city: str | None

    @property
    def bare(self) -> str:
        return self.district[-1] if self.district else "区"

    def fold(self, printed: str) -> FoldedName:
        clean = clean_name(printed)
        # Prefixes are found in simplified characters (區 is 区), then cut
        # from the printed ones; t2s keeps one character for one here.
        simple = to_simplified(clean)
        basis = simple if len(simple) == len(clean) else clean
        cut = self._prefix_end(basis)
        rest, prefix = clean[cut:], (clean[:cut] or None)
        bare = basis[cut:].startswith(self.bare)
        _, expanded = full_form(basis[cut:])
        if expanded is not None:  # 街道 -> 街道办事处: known by the long form
            rest += expanded[1][len(expanded[0]) :]
        key = rest[1:] if bare and len(rest) > 2 else rest
        display = rest
        if prefix and not bare and not basis.endswith(_place_suffixes()):
            display = self.bare + rest
        return FoldedName(printed, clean, prefix, key, bare, to_simplified(key), display, expanded)

    def _prefix_end(self, name: str) -> int:
        """Where the district prefix ("<city><district>" or "<district>") ends; 0 if none."""
        if not self.district:
            return 0
        city = re.escape(self.city) + "|" if self.city else ""
        match = re.match(rf"(?:{city}[^市区县]{{2,4}}市)?{re.escape(self.district)}", name)
        return match.end() if match and match.end() < len(name) else 0


def _folder(names: Sequence[str], gazetteer: Gazetteer | None, district: str | None) -> NameFolder:
    city = gazetteer.city if gazetteer else None
    if district:
        split = DISTRICT_WITH_CITY.match(clean_name(district))
        if split:
            return NameFolder(split[2], split[1])
        return NameFolder(clean_name(district), city)
    if gazetteer:
        return NameFolder(gazetteer.district, city)
    return NameFolder(infer_district(names), None)


def infer_district(names: Sequence[str]) -> str | None:
    """A "<name>区/县" prefix printed before at least two names, when no district is known."""
    prefixes = Counter(
        m[1] for n in names if (m := re.match(r"^([^区县市]{2,4}[区县])..", clean_name(n)))
    )
    best = prefixes.most_common(1)
    return best[0][0] if best and best[0][1] >= 2 else None


# --- matching -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Target:
    canonical: str
    alias: str | None
    bare: bool = False  # the entry is spelled with the bare 区
    short: bool = False  # the entry is spelled with a short ending (街道)


@dataclass(frozen=True, slots=True)
class _Index:
    names: frozenset[str]
    aliases: Mapping[str, str]
    by_key: Mapping[str, _Target]
    by_simple: Mapping[str, _Target]


def _index(gazetteer: Gazetteer | None, folder: NameFolder) -> _Index:
    if gazetteer is None:
        return _Index(frozenset(), {}, {}, {})
    entries: list[tuple[str, str, str | None]] = [(n, n, None) for n in gazetteer.names]
    entries += [(a, c, a) for a, c in gazetteer.aliases]
    by_key: dict[str, _Target] = {}
    by_simple: dict[str, _Target] = {}
    for name, canonical, alias in entries:
        folded = folder.fold(name)
        target = _Target(canonical, alias, folded.has_bare, folded.expanded is not None)
        by_key.setdefault(folded.key, target)
        by_simple.setdefault(folded.simple, target)
    return _Index(frozenset(gazetteer.names), gazetteer.alias_map, by_key, by_simple)


Step = tuple[str, str]  # (reason, detail)


def _named(f: FoldedName, canonical: str, steps: Sequence[Step]) -> DepartmentName:
    return DepartmentName(
        printed=f.printed,
        canonical=canonical,
        reason="+".join(s for s, _ in steps),
        detail="; ".join(d for _, d in steps if d),
    )


def _via(target: _Target, steps: Sequence[Step]) -> list[Step]:
    if target.alias is None:
        return list(steps)
    return [*steps, ("alias", f"alias {target.alias} → {target.canonical}")]


def _prefix_step(f: FoldedName, bare: str) -> Step:
    if f.prefix:
        return ("prefix", f"dropped district prefix {f.prefix}")
    return ("prefix", f"compared without the bare prefix {bare}")


def _variant_step(printed: str, simple: str) -> Step:
    if len(printed) != len(simple):
        return ("variant", f"traditional→simplified {printed}→{simple}")
    pairs = [f"{a}→{b}" for a, b in zip(printed, simple, strict=True) if a != b]
    return ("variant", "traditional→simplified " + ", ".join(pairs))


def similar(a: str, b: str) -> float | None:
    """rapidfuzz ratio when `a` and `b` differ only by a few inserted or dropped characters.

    None when they differ by a substitution, score under FUZZY_THRESHOLD, or differ by
    a distinguishing token (`name_rules.distinguishing_difference`: 局/分局, 中山路/中山西路).
    """
    if min(len(a), len(b)) < FUZZY_MIN_LENGTH or a == b:
        return None
    score = float(fuzz.ratio(a, b))
    if score < FUZZY_THRESHOLD or Levenshtein.distance(a, b) != Indel.distance(a, b):
        return None
    return None if distinguishing_difference(a, b) else score


def _fuzzy_step(f: FoldedName, other: str, score: float) -> Step:
    return ("fuzzy", f"similar to {other} (ratio {score:.1f}, no substituted characters)")


def _match_gazetteer(f: FoldedName, index: _Index, bare: str) -> DepartmentName | None:
    if f.clean in index.names:
        return _named(f, f.clean, [("exact", "")])
    if f.clean in index.aliases:
        canonical = index.aliases[f.clean]
        return _named(f, canonical, [("alias", f"alias {f.clean} → {canonical}")])
    target = index.by_key.get(f.key)
    if target is None:
        return _match_folded(f, index.by_simple, bare)
    steps = [_prefix_step(f, bare)] if f.prefix or f.has_bare != target.bare else []
    head = f.clean[: len(f.clean) - len(f.printed_key)]  # the key matched as printed, its lead not
    if to_simplified(head) != head:
        steps.append(_variant_step(head, to_simplified(head)))
    if (f.expanded is not None) != target.short:
        steps.append(_short_step(f.expanded or _expansion(target.canonical)))
    return _named(f, target.canonical, _via(target, steps or [_prefix_step(f, bare)]))


def _short_step(expanded: tuple[str, str] | None) -> Step:
    short, full = expanded or ("", "")
    return ("short-form", f"{short} is short for {full}" if short else "")


def _expansion(name: str) -> tuple[str, str] | None:
    return full_form(name)[1]


def _match_folded(f: FoldedName, known: Mapping[str, _Target], bare: str) -> DepartmentName | None:
    steps = [_prefix_step(f, bare)] if f.prefix else []
    if f.expanded is not None:
        steps.append(_short_step(f.expanded))
    if f.simple != f.key:
        steps.append(_variant_step(f.key, f.simple))
        if f.simple in known:
            return _named(f, known[f.simple].canonical, _via(known[f.simple], steps))
    for collapsed, char in collapses(f.simple):
        if collapsed in known:
            step = ("duplicate-char", f"collapsed repeated character {char}")
            return _named(f, known[collapsed].canonical, _via(known[collapsed], [*steps, step]))
    scored = [(s, k) for k in known if (s := similar(f.simple, k)) is not None]
    if scored:
        score, key = max(scored, key=lambda sk: (sk[0], -len(sk[1]), sk[1]))
        step = _fuzzy_step(f, key, score)
        return _named(f, known[key].canonical, _via(known[key], [*steps, step]))
    return None


def resolve_departments(
    names: Sequence[str], *, gazetteer: Gazetteer | None, district: str | None
) -> dict[str, DepartmentName]:
    """A canonical identity for each distinct printed name in `names`.

    `names` lists every printing (repeats count towards the most frequent
    spelling). With a gazetteer, names match it by exact, alias, prefix,
    variant, duplicate-char and fuzzy steps; the rest match each other and
    otherwise become `new`. Without one, the printed names are clustered by
    the same steps and each cluster takes its most frequent spelling (ties: the
    shorter). `district` (or the gazetteer's, or a prefix printed before two
    names) is the prefix dropped. Raises nothing for unknown names.
    """
    folder = _folder(names, gazetteer, district)
    index = _index(gazetteer, folder)
    folded = {p: folder.fold(p) for p in dict.fromkeys(names)}
    result: dict[str, DepartmentName] = {}
    for printed, f in folded.items():
        found = _match_gazetteer(f, index, folder.bare)
        if found is not None:
            result[printed] = found
    rest = [p for p in folded if p not in result]
    known = {folded[p].simple: _Target(r.canonical, None) for p, r in result.items()}
    for printed in rest:
        found = _match_folded(folded[printed], known, folder.bare)
        if found is not None:
            result[printed] = found
    rest = [p for p in rest if p not in result]
    result.update(_cluster([folded[p] for p in rest], names, has_gazetteer=gazetteer is not None))
    return {p: result[p] for p in folded}


# --- clustering names no gazetteer knows -------------------------------------------------


def _linked(a: str, b: str) -> bool:
    """Whether the simplified keys `a` (printed later) and `b` name one department."""
    if a == b:
        return True
    if any(c == b for c, _ in collapses(a)):
        return True
    if any(c == a for c, _ in collapses(b)):
        return True
    return similar(a, b) is not None


def _cluster(
    members: Sequence[FoldedName], names: Sequence[str], *, has_gazetteer: bool
) -> dict[str, DepartmentName]:
    """Members joined by `_linked`, each group under its most frequent spelling.

    Members with one key are one group. Two keys are compared only when name_blocks finds
    that they may link (comparing every pair grew with the square of the names), and in
    printing order, later first, as `similar` need not be symmetric.
    """
    at: dict[str, list[int]] = {}  # key -> its members' positions, ascending
    for i, f in enumerate(members):
        at.setdefault(f.simple, []).append(i)
    keys = list(at)
    parent = list(range(len(keys)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for u, v in candidate_pairs(keys, threshold=FUZZY_THRESHOLD, min_length=FUZZY_MIN_LENGTH):
        a, b = keys[u], keys[v]
        if (at[a][-1] > at[b][0] and _linked(a, b)) or (at[b][-1] > at[a][0] and _linked(b, a)):
            parent[root(u)] = root(v)
    position = {key: u for u, key in enumerate(keys)}
    groups: dict[int, list[FoldedName]] = {}
    for f in members:
        groups.setdefault(root(position[f.simple]), []).append(f)
    printings = Printings.of(names)
    result: dict[str, DepartmentName] = {}
    for group in groups.values():
        canonical = printings.most_frequent(group)
        for f in group:
            result[f.printed] = _relation(f, canonical, has_gazetteer=has_gazetteer)
    return result


@dataclass(frozen=True, slots=True)
class Printings:
    """How often and how early each spelling is printed: counted once, not once per group."""

    counts: Counter[str]
    first: dict[str, int]

    @classmethod
    def of(cls, names: Sequence[str]) -> Printings:
        return cls(Counter(names), {n: i for i, n in reversed(list(enumerate(names)))})

    def most_frequent(self, group: Sequence[FoldedName]) -> FoldedName:
        """The spelling printed most often; ties: the shorter, the simplified, the first."""
        display_counts = Counter[str]()
        for f in group:
            display_counts[f.display] += self.counts[f.printed]

        def rank(f: FoldedName) -> tuple[int, int, bool, int]:
            traditional = to_simplified(f.display) != f.display
            return (-display_counts[f.display], len(f.display), traditional, self.first[f.printed])

        return min(group, key=rank)


def most_frequent(group: Sequence[FoldedName], names: Sequence[str]) -> FoldedName:
    """The spelling of `group` printed most often in `names` (Printings.most_frequent)."""
    return Printings.of(names).most_frequent(group)


def _relation(f: FoldedName, canonical: FoldedName, *, has_gazetteer: bool) -> DepartmentName:
    # A department is known by its simplified name, even when only printed traditionally.
    name = to_simplified(canonical.display)
    if f.display == name:
        detail = "not in the gazetteer" if has_gazetteer else "no gazetteer"
        if f.prefix:
            detail += f"; dropped district prefix {f.prefix}"
        if f.expanded:
            detail += "; " + _short_step(f.expanded)[1]
        return DepartmentName(f.printed, name, "new", detail)
    steps = [("prefix", f"dropped district prefix {f.prefix}")] if f.prefix else []
    if f.expanded != canonical.expanded:
        steps.append(_short_step(f.expanded or canonical.expanded))
    if f.has_bare != canonical.has_bare:
        steps.append(("prefix", f"same name as {name} but for the bare prefix"))
    simple_display = to_simplified(f.display)
    if simple_display != f.display:
        steps.append(_variant_step(f.display, simple_display))
    if f.simple != canonical.simple:
        steps.append(_cluster_step(f, canonical))
    return _named(f, name, _merge_steps(steps))


def _merge_steps(steps: Sequence[Step]) -> list[Step]:
    """One entry per reason, details joined."""
    merged: dict[str, list[str]] = {}
    for reason, detail in steps:
        merged.setdefault(reason, []).append(detail)
    return [(r, "; ".join(ds)) for r, ds in merged.items()]


def _cluster_step(f: FoldedName, canonical: FoldedName) -> Step:
    for collapsed, char in collapses(f.simple):
        if collapsed == canonical.simple:
            return ("duplicate-char", f"collapsed repeated character {char}")
    for collapsed, char in collapses(canonical.simple):
        if collapsed == f.simple:
            return ("duplicate-char", f"{canonical.display} repeats character {char}")
    score = fuzz.ratio(f.simple, canonical.simple)
    return _fuzzy_step(f, canonical.display, score)
