"""The typed view an archive rule checks: one place's documents, as figures and placements."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.validate.crossdoc.facts import DocInfo, Figure
from pipeline.validate.crossdoc.ranks import Placement


@dataclass(frozen=True, slots=True)
class Place:
    """The documents of one place (district, told apart by city), read for the archive rules.

    Figures and bottom-group placements only ever meet within one place, so a rule sees one
    Place at a time and an archive's places are never held in memory together.
    """

    scope: str
    documents: tuple[DocInfo, ...]
    figures: tuple[Figure, ...]
    placements: tuple[Placement, ...]
