"""Document -> Normalized: metadata, typed tables, departments, claims."""

from __future__ import annotations

from pipeline.model import Document, Normalized
from pipeline.normalize.claims import extract_claims
from pipeline.normalize.conventions import infer_rounding
from pipeline.normalize.departments import Gazetteer, find_gazetteer, resolve_departments
from pipeline.normalize.identities import department_identities
from pipeline.normalize.mentions import document_lexicon
from pipeline.normalize.metadata import resolve_metadata
from pipeline.normalize.paragraphs import document_to_paragraphs
from pipeline.normalize.quantities import document_quantities
from pipeline.normalize.script import fold_document
from pipeline.normalize.tables import department_labels, normalize_table

__all__ = ["normalize", "resolve_metadata"]


def normalize(doc: Document, *, gazetteer: Gazetteer | None = None) -> Normalized:
    """Resolve what the document's text and tables mean, keeping every source."""
    meta = resolve_metadata(doc)
    gaz = gazetteer if gazetteer is not None else find_gazetteer(meta.district)
    labels = [name for t in doc.tables for name in department_labels(t)]
    lexicon = document_lexicon(labels, gazetteer=gaz, district=meta.district)
    reading = fold_document(doc)  # traditional pages read with the simplified vocabulary
    claims = extract_claims(reading, names=lexicon)
    printed = [*labels, *(name for c in claims for name in c.names)]
    names = resolve_departments(printed, gazetteer=gaz, district=meta.district)
    year = meta.period.start.year if meta.period else None
    fold = reading is not doc  # a traditional page: its headers are read folded too
    tables = tuple(
        normalize_table(i, t, names, default_year=year, fold=fold) for i, t in enumerate(doc.tables)
    )
    rounding, support = infer_rounding(tables, claims, doc)
    identities = department_identities(tables, claims, names, meta.district)
    return Normalized(
        document=doc,
        metadata=meta,
        tables=tables,
        claims=claims,
        departments=tuple(names[n] for n in dict.fromkeys(printed)),
        rounding=rounding.value,
        rounding_support=support,
        quantities=document_quantities(reading),
        department_identities=identities,
        paragraphs=document_to_paragraphs(reading),
    )
