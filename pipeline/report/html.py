"""One document's audit as a self-contained HTML page (`bulletins audit --format html`).

The page carries its own CSS, its thumbnails as PNG data URIs and a CJK font subset to the
characters it prints (fonts.py); it loads nothing and runs no script (its
Content-Security-Policy forbids both). Every string from the document goes
through Jinja2's autoescaping. Layout: docs/reports.md.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from pipeline.errors import InputError
from pipeline.model import Audit, Document, Evidence, Finding, Metadata, Normalized, Severity
from pipeline.report.cells import BlockView, cited_blocks
from pipeline.report.fonts import FAMILY, embed_font
from pipeline.report.thumbnails import BOX_RGB, Thumbnail, evidence_thumbnails
from pipeline.report.where import where_printed

TEMPLATE = "audit.html.j2"
EVIDENCE_SHOWN = 6  # evidence lines listed before the rest folds away
ROUNDING_NAMES = {"half_up": "half-up", "half_even": "half-to-even", "truncate": "truncation"}
SEVERITY_TITLES = {Severity.ERROR: "Errors", Severity.WARNING: "Warnings", Severity.INFO: "Info"}


@dataclass(frozen=True, slots=True)
class EvidenceView:
    where: str  # "p.6" for a PDF page, "block 12" for formats without pages
    href: str | None
    text: str


@dataclass(frozen=True, slots=True)
class ThumbView:
    thumbnail: Thumbnail
    href: str | None
    alt: str


@dataclass(frozen=True, slots=True)
class FindingView:
    finding: Finding
    place: tuple[tuple[str, str], ...]  # (label, value): table, row, column, department
    evidence: tuple[EvidenceView, ...]
    thumbnails: tuple[ThumbView, ...]
    blocks: tuple[BlockView, ...]  # HTML, DOCX, text: the cited cells and lines in their block


@dataclass(frozen=True, slots=True)
class Group:
    severity: str
    title: str
    findings: tuple[FindingView, ...]


def audit_html(
    result: Audit, *, source_pdf: Path | None = None, pdf_href: str | None = None
) -> str:
    """The report page as a string.

    `source_pdf`: the audited PDF, to draw evidence thumbnails from (none without it, and none
    for HTML, DOCX or text documents). `pdf_href`: a link to that PDF; pages link to
    `pdf_href#page=N`. Raises InputError when `source_pdf` is not the audited file.
    """
    norm = result.normalized
    paged = norm.document.format == "pdf"
    thumbs: dict[tuple[int, int], Thumbnail] = {}
    if source_pdf is not None and paged:
        _check_same_file(source_pdf, norm.document.sha256)
        thumbs = evidence_thumbnails(source_pdf, result.findings)
    href = pdf_href if paged else None
    doc = None if paged else norm.document
    views = [_finding_view(i, f, thumbs, doc, href) for i, f in enumerate(result.findings)]
    page = _template().render(
        font_family=FAMILY,
        title=norm.metadata.title.text if norm.metadata.title else norm.document.path,
        metadata=_metadata_rows(norm),
        rounding=rounding_text(norm),
        groups=_groups(views),
        coverage=result.coverage,
        unchecked=[_evidence_view(e, paged, href) for e in result.coverage.unchecked],
        evidence_shown=EVIDENCE_SHOWN,
        colours={s.value: "rgb({}, {}, {})".format(*rgb) for s, rgb in BOX_RGB.items()},
        tints={s.value: "rgba({}, {}, {}, 0.14)".format(*rgb) for s, rgb in BOX_RGB.items()},
        blocks_shown=any(v.blocks for v in views),
    )
    return embed_font(page)


@functools.cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("pipeline.report", "templates"),
        autoescape=True,  # document text is data, never markup
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template(TEMPLATE)


def _check_same_file(path: Path, sha256: str) -> None:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != sha256:
        raise InputError(f"{path}: not the audited document (sha256 differs)")


def _page_href(pdf_href: str | None, page: int) -> str | None:
    return None if pdf_href is None else f"{pdf_href}#page={page}"


def _evidence_view(e: Evidence, paged: bool, href: str | None) -> EvidenceView:
    return EvidenceView(
        where_printed(e.source, paged=paged, box=False), _page_href(href, e.page), e.text
    )


def _finding_view(
    index: int,
    f: Finding,
    thumbs: dict[tuple[int, int], Thumbnail],
    blocks_of: Document | None,
    href: str | None,
) -> FindingView:
    """`blocks_of`: the document whose cited blocks are shown (None for a PDF)."""
    paged = blocks_of is None
    pages = sorted({e.page for e in f.evidence})
    shown = [
        ThumbView(thumbs[index, p], _page_href(href, p), _alt(f.evidence, p))
        for p in pages
        if (index, p) in thumbs
    ]
    place = (
        ("table", f.table),
        ("row", str(f.row) if f.row is not None else None),
        ("column", f.column),
        ("department", f.department),
    )
    return FindingView(
        finding=f,
        place=tuple((label, value) for label, value in place if value),
        evidence=tuple(_evidence_view(e, paged, href) for e in f.evidence),
        thumbnails=tuple(shown),
        blocks=() if blocks_of is None else cited_blocks(blocks_of, f.evidence),
    )


def _alt(evidence: Sequence[Evidence], page: int) -> str:
    texts = [e.text for e in evidence if e.page == page and e.bbox is not None]
    return f"p.{page}, boxed: " + "; ".join(texts[:3]) + (" …" if len(texts) > 3 else "")


def _groups(views: Sequence[FindingView]) -> list[Group]:
    return [
        Group(
            severity.value,
            SEVERITY_TITLES[severity],
            tuple(v for v in views if v.finding.severity is severity),
        )
        for severity in sorted(Severity, key=lambda s: s.rank)
    ]


def rounding_text(norm: Normalized) -> str:
    """`half-up (189 relations hold; half-to-even 189, truncation 149)`."""
    name = ROUNDING_NAMES.get(norm.rounding, norm.rounding)
    support = dict(norm.rounding_support)
    if not support:
        return name
    others = ", ".join(
        f"{ROUNDING_NAMES.get(k, k)} {n}" for k, n in sorted(support.items()) if k != norm.rounding
    )
    held = support.get(norm.rounding, 0)
    return f"{name} ({held} relations hold" + (f"; {others}" if others else "") + ")"


def _metadata_rows(norm: Normalized) -> list[tuple[str, str]]:
    meta: Metadata = norm.metadata
    doc = norm.document
    period = meta.period
    rows = [
        ("issuer", meta.issuer.text if meta.issuer else None),
        ("document number", meta.doc_number.text if meta.doc_number else None),
        ("title", meta.title.text if meta.title else None),
        ("period", f"{period.start} – {period.end} (printed “{period.text}”)" if period else None),
        ("published", meta.published.isoformat() if meta.published else None),
        ("district", meta.district),
        ("source", doc.path),
        ("format", f"{doc.format}, {doc.pages} {'pages' if doc.format == 'pdf' else 'blocks'}"),
        ("sha256", doc.sha256),
    ]
    return [(label, value or "unknown") for label, value in rows]
