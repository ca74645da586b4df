"""Paragraphs made of sentences, each figure in them recorded as a claim as it is printed."""

from __future__ import annotations

from dataclasses import dataclass
from string import Formatter

from corpus.generate.draft import ClaimData, Draft
from corpus.generate.numfmt import FULL_WIDTH
from corpus.generate.spec import Claim, Paragraph, ParagraphKind


def claim(
    kind: str,
    metric: str | None,
    value: str | None,
    subject: str | None,
    phrasing: str = "",
    base: str | None = None,
    names: list[str] | None = None,
) -> ClaimData:
    """A claim about to be printed; its sentence and paragraph are set by `Para.done`."""
    c = Claim(kind, metric, value, "", subject, names or [], phrasing, base)
    return ClaimData(c, para=-1)


@dataclass
class _Piece:
    text: str
    claim: ClaimData | None = None


class Para:
    """A paragraph written sentence by sentence."""

    def __init__(self, dr: Draft, kind: ParagraphKind = "body"):
        self.dr, self.kind = dr, kind
        self.sents: list[list[_Piece]] = [[]]

    def say(self, text: str) -> None:
        self.sents[-1].append(_Piece(text))

    def put(self, template: str, **fields: str | ClaimData) -> None:
        """Write `template`, its fields either plain text or claims printed in place."""
        for literal, name, _, _ in Formatter().parse(template):
            if literal:
                self.say(literal)
            if name is None:
                continue
            value = fields[name]
            if isinstance(value, ClaimData):
                self.sents[-1].append(_Piece(value.claim.value or "", value))
            else:
                self.say(value)

    def attach(self, cd: ClaimData) -> None:
        """Record a claim on the current sentence without printing anything (rank lists)."""
        self.sents[-1].append(_Piece("", cd))

    def tail(self, text: str) -> None:
        """Text after a sentence's end, standing on its own (e.g. （详见附件2）)."""
        self.say(text)
        self.sents.append([])

    def stop(self, punct: str = "。") -> None:
        self.say(punct)
        self.sents.append([])

    def done(self) -> Paragraph:
        dr, index, texts = self.dr, len(self.dr.body), []
        for pieces in self.sents:
            if not pieces:
                continue
            printed = dr.style.finish("".join(p.text for p in pieces))
            for p in pieces:
                if p.claim is None:
                    continue
                c = p.claim.claim
                if c.value is not None and dr.style.fw_text:
                    c.value = c.value.translate(FULL_WIDTH)
                c.sentence, p.claim.para = printed, index
                dr.claims.append(p.claim)
            texts.append(printed)
        para = Paragraph("".join(texts), self.kind)
        dr.body.append(para)
        return para


def pick(dr: Draft, pool: tuple[str, ...], name: str) -> tuple[str, str]:
    """A template from a pool and its phrasing id."""
    i = dr.rng.randrange(len(pool))
    return pool[i], f"{name}.{i}"
