"""Department names in running text, looked up among the document's own names.

The names a bulletin's tables print in their department column, and those of the
district's gazetteer (names and aliases), are searched for in each sentence, the
longest first. Text often adds the district before a name the table prints
without it ("天宁区市场监督管理局" for the table's "区市场监督管理局", "湖州市吴兴区…"):
a district prefix (with or without its city) printed right before a match is
part of the printed name, which `departments.resolve_departments` then drops
again. A plain substring search is used rather than a tokenizer's phrase
matcher: jieba cuts a prefixed name differently from the bare one, so token
patterns miss exactly the printings wanted here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pipeline.normalize.departments import Gazetteer, NameFolder, clean_name, infer_district
from pipeline.normalize.name_rules import naming_rules

MIN_LENGTH = 3  # shorter table labels (甲, 合计) are not names worth looking for
LOOK_BACK = 24  # characters before a match searched for a district prefix
# an unknown city before the district: two characters and 市 (湖州市); a longer or shorter
# one would swallow the text before it ("联系湖州市") when searched from the left
CITY = r"[^\W\d_]{2}市"
WITH_CITY = re.compile(r"^(?P<city>.+?市)(?P<district>.+[区县旗])$")


@dataclass(frozen=True, slots=True)
class NameLexicon:
    """The names to look for, compiled; the district prefixes that may precede them.

    `before_bare` matches a prefix ending right before a name that starts with the
    bare district character ("天宁" before "区…"), `before_name` one before any other
    name ("天宁区" before "青龙街道").
    """

    names: re.Pattern[str] | None
    bare: str
    before_bare: re.Pattern[str] | None
    before_name: re.Pattern[str] | None


def name_lexicon(names: Iterable[str], *, district: str | None) -> NameLexicon:
    """A lexicon of `names` (as printed; whitespace ignored) for a district ("X区" or "Y市X区").

    A name printed with the district prefix is also looked for without it, as the text
    may print it ("西工区卫生健康局" -> "区卫生健康局", "西工区洛北街道" -> "洛北街道"), and a
    name with a long official ending also in its short form ("车站街道办事处" -> "车站街道").
    """
    found = WITH_CITY.match(clean_name(district)) if district else None
    own = found["district"] if found else clean_name(district or "")
    folder = NameFolder(own, found["city"] if found else None) if own else None
    cleaned = {clean_name(n) for n in names}
    if folder is not None:
        cleaned |= {f.display for f in map(folder.fold, cleaned) if f.prefix}
    cleaned |= {short for name in cleaned if (short := short_form(name))}
    known = sorted((n for n in cleaned if len(n) >= MIN_LENGTH), key=len)
    alternatives = [r"\s*".join(map(re.escape, n)) for n in reversed(known)]
    pattern = re.compile("|".join(alternatives)) if alternatives else None
    if not own:
        return NameLexicon(pattern, "区", None, None)
    city = rf"(?:{re.escape(found['city'])}|{CITY})" if found else CITY
    spaced = r"\s*".join(map(re.escape, own))
    stem = r"\s*".join(map(re.escape, own[:-1]))
    return NameLexicon(
        pattern,
        own[-1],
        re.compile(rf"(?:{city}\s*)?{stem}\s*$") if len(own) > 2 else None,
        re.compile(rf"(?:{city}\s*)?{spaced}\s*$"),
    )


def short_form(name: str) -> str | None:
    """`name` with its long official ending written short ("X街道办事处" -> "X街道"), if any."""
    for short, full in naming_rules().short_forms:
        if name.endswith(full) and len(name) > len(full):
            return name[: len(name) - len(full)] + short
    return None


def document_lexicon(
    labels: Sequence[str], *, gazetteer: Gazetteer | None, district: str | None
) -> NameLexicon:
    """The lexicon of one document: its tables' department labels, the gazetteer's names
    and aliases; the district is the document's, else the gazetteer's, else one printed
    before two of its labels."""
    known = [*labels]
    if gazetteer is not None:
        known += [*gazetteer.names, *(alias for alias, _ in gazetteer.aliases)]
    place = district or (gazetteer.district if gazetteer else None) or infer_district(labels)
    if place and gazetteer is not None and not WITH_CITY.match(clean_name(place)):
        place = gazetteer.city + place
    return name_lexicon(known, district=place)


def find_names(text: str, lexicon: NameLexicon) -> list[tuple[str, int]]:
    """(name as printed, offset in `text`) for each known name the text prints, in order.

    A district prefix printed right before a name is kept with it.
    """
    if lexicon.names is None:
        return []
    found = []
    for m in lexicon.names.finditer(text):
        start = _prefix_start(text, m.start(), m.group(), lexicon)
        found.append((text[start : m.end()].strip(), start))
    return found


def _prefix_start(text: str, start: int, name: str, lexicon: NameLexicon) -> int:
    before = lexicon.before_bare if name.startswith(lexicon.bare) else lexicon.before_name
    if before is None:
        return start
    window = text[max(0, start - LOOK_BACK) : start]
    m = before.search(window)
    return start - (len(window) - m.start()) if m else start


def names_for_figures(
    figures: Sequence[int], names: Sequence[tuple[str, int]]
) -> tuple[list[tuple[str, ...]], list[tuple[str, int]]]:
    """The names each figure of a sentence is about, and the names no figure is about.

    `figures` are the figures' offsets in reading order, `names` (name, offset) pairs. A
    figure is about the names printed since the previous figure ("区A局受理300件，区B局受理
    200件"), else about the same names as the previous figure ("区A局受理最多，累计300件，
    占比20%"); names printed after the last figure are left over.
    """
    out: list[tuple[str, ...]] = []
    previous, held = 0, 0
    for at in figures:
        own = tuple(n for n, o in names if previous <= o < at)
        out.append(own or (out[-1] if out else ()))
        previous = at
        held = sum(1 for _, o in names if o < at)
    return out, list(names[held:]) if figures else list(names)
