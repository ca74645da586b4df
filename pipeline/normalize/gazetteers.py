"""--gazetteer FILE (audit, build): gazetteers each used for the bulletins of their district.

A bulletin whose district matches one of them ("X区", "Y市X区" or "X", as find_gazetteer
matches) is normalized with it; any other bulletin keeps the shipped gazetteers
(pipeline/data/gazetteers). When two given gazetteers match a bulletin (two districts of one
name in different cities, and the bulletin prints no city) neither is used for it, as with the
shipped ones. `digest` names the set by content, so that a build redoes the stored results
made with other gazetteers (or none).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import ConfigError
from pipeline.model import Document, Normalized
from pipeline.normalize import normalize, resolve_metadata
from pipeline.normalize.departments import Gazetteer, clean_name, load_gazetteer

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Gazetteers:
    """The gazetteers of the command line, in (city, district) order; empty: none given."""

    items: tuple[Gazetteer, ...] = ()

    @property
    def digest(self) -> str:
        """SHA-256 of what decides the names (district, city, names, aliases); "" for none.

        People's notes and the `seen` counts of a built gazetteer do not change a result.
        """
        if not self.items:
            return ""
        content = [[g.city, g.district, list(g.names), sorted(g.aliases)] for g in self.items]
        text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def for_district(self, district: str | None) -> Gazetteer | None:
        """The given gazetteer of `district`, None when none (or several) match."""
        if not district:
            return None
        found = [g for g in self.items if district_matches(g, district)]
        if len(found) > 1:
            log.warning("district %s matches %d given gazetteers; none used", district, len(found))
            return None
        return found[0] if found else None

    def normalize(self, doc: Document) -> Normalized:
        """`normalize(doc)` with the given gazetteer of the document's district, if any."""
        if not self.items:
            return normalize(doc)
        return normalize(doc, gazetteer=self.for_district(resolve_metadata(doc).district))


NO_GAZETTEERS = Gazetteers()


def district_matches(gazetteer: Gazetteer, district: str) -> bool:
    """`district` names the gazetteer's district: "X区", "Y市X区" or the bare "X"."""
    wanted = clean_name(district)
    short = gazetteer.district[:-1] if len(gazetteer.district) > 2 else gazetteer.district
    return wanted in (gazetteer.district, gazetteer.city + gazetteer.district, short)


def load_gazetteers(paths: Sequence[Path]) -> Gazetteers:
    """Read each --gazetteer FILE. Raises ConfigError, one line naming the file: missing,
    unreadable, malformed, or a second gazetteer of a district already given."""
    loaded: dict[tuple[str, str], tuple[Path, Gazetteer]] = {}
    for path in paths:
        if not path.is_file():
            raise ConfigError(f"--gazetteer {path}: no such file")
        try:
            gazetteer = load_gazetteer(path)
        except ConfigError as exc:
            raise ConfigError(f"--gazetteer {exc}") from exc
        key = (gazetteer.city, gazetteer.district)
        if key in loaded:
            first = loaded[key][0]
            raise ConfigError(
                f"--gazetteer {path}: {gazetteer.city}{gazetteer.district} is already given by "
                f"{first}"
            )
        loaded[key] = (path, gazetteer)
    return Gazetteers(tuple(loaded[k][1] for k in sorted(loaded)))
