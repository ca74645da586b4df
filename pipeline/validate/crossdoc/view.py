"""The documents of an archive as a sequence that reads them one at a time.

A 2,000-bulletin archive holds about a million table cells: far too much to keep in memory at
once just to write tables and a report from it. The finishing stage of a build therefore walks
the documents several times, one document in memory at a time, and keeps only each document's
`documents` row (its head: id, source, period, issuer, ...), which the cross-document checks
and the report need for every document at once.

`Documents` is that sequence. The batch runner's `stored_documents` (pipeline/archive/stored.py)
reads OUT/results/<sha256>.json on each access; `Documents.of` wraps a plain list, so every
function taking `Sequence[DocumentRows]` works on either. `unique()` is the view the dataset,
the checks and the report all use: one document per id (of duplicates, the one with the
smallest source), in document id order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import overload

from pipeline.validate.crossdoc.rows import DocumentRow, DocumentRows

# A document's head: its `documents` row.
Head = DocumentRow


class Documents(Sequence[DocumentRows]):
    """Documents whose heads are known, each loaded only when asked for (and not kept)."""

    def __init__(self, heads: Sequence[Head], load: Callable[[int], DocumentRows]) -> None:
        self.heads: tuple[Head, ...] = tuple(heads)
        self._load = load

    @classmethod
    def of(cls, docs: Sequence[DocumentRows]) -> Documents:
        """`docs` itself when it is already a Documents; else a view of the list."""
        if isinstance(docs, Documents):
            return docs
        return cls([d.document for d in docs], docs.__getitem__)

    def unique(self) -> Documents:
        """One document per id, in id order; of duplicates, the one with the smallest source."""
        chosen: dict[str, tuple[str, int]] = {}
        for i, head in enumerate(self.heads):
            doc_id, source = head.document_id, head.source or ""
            if doc_id not in chosen or source < chosen[doc_id][0]:
                chosen[doc_id] = (source, i)
        order = [chosen[k][1] for k in sorted(chosen)]
        if order == list(range(len(self.heads))):
            return self
        return Documents([self.heads[i] for i in order], lambda j: self._load(order[j]))

    def __len__(self) -> int:
        return len(self.heads)

    @overload
    def __getitem__(self, index: int) -> DocumentRows: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[DocumentRows]: ...
    def __getitem__(self, index: int | slice) -> DocumentRows | Sequence[DocumentRows]:
        if isinstance(index, slice):
            picked = range(len(self.heads))[index]
            return Documents([self.heads[i] for i in picked], lambda j: self._load(picked[j]))
        if not -len(self.heads) <= index < len(self.heads):
            raise IndexError(index)
        return self._load(index % len(self.heads))

    def __iter__(self) -> Iterator[DocumentRows]:
        return (self._load(i) for i in range(len(self.heads)))


def unique_documents(docs: Sequence[DocumentRows]) -> Documents:
    """One document per id, in id order, loaded lazily (see Documents.unique)."""
    return Documents.of(docs).unique()
