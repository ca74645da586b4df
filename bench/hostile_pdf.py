"""Hostile PDFs written byte by byte: loops, bombs, odd fonts and boxes, encryption, junk images.

Every file is a small hand-made PDF around one short bulletin in our own words (invented
numbers), with one thing wrong. `pdf_bytes` lays the objects out and writes a correct xref,
so that the damage is only what a builder asks for. Text is drawn with the predefined
STSong-Light CID font and the UniGB-UCS2-H encoding (no font program to embed), or, for the
font cases, with Identity-H and a ToUnicode map of the builder's choosing.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable, Iterator, Sequence

BULLETIN = (
    "关于本月热线办理情况的通报",
    "本月热线共受理群众诉求56件，办结55件，办结率98.21%。",
    "其中咨询类30件，占比53.57%；投诉类26件，占比46.43%。",
)
FONT_CID = (
    b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
    b"/DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
    b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> "
    b"/FontDescriptor << /Type /FontDescriptor /FontName /STSong-Light /Flags 4 "
    b"/FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 "
    b"/StemV 80 >> >>] >>"
)
BOX = b"[0 0 595 842]"


def pdf_bytes(objects: Sequence[bytes], trailer: bytes = b"", root: int = 1) -> bytes:
    """Objects numbered from 1 in order, a correct xref table, `trailer` added to the trailer."""
    out, offsets = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\n" % (len(objects) + 1, root, trailer)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def stream(data: bytes, extra: bytes = b"", *, deflate: bool = False) -> bytes:
    if deflate:
        data, extra = zlib.compress(data, 9), extra + b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def text_ops(lines: Sequence[str] = BULLETIN, top: int = 780, size: int = 12) -> bytes:
    """Content operators drawing `lines` in font F1 (UCS-2 codes, as UniGB-UCS2-H reads them)."""
    ops = []
    for n, line in enumerate(lines):
        code = line.encode("utf-16-be").hex().encode()
        ops.append(b"BT /F1 %d Tf 50 %d Td <%s> Tj ET" % (size, top - 24 * n, code))
    return b"\n".join(ops)


def one_page(
    content: bytes = b"",
    *,
    box: bytes = BOX,
    font: bytes = FONT_CID,
    page_extra: bytes = b"",
    trailer: bytes = b"",
    extra_objects: Sequence[bytes] = (),
) -> bytes:
    """A one-page PDF: 1 catalog, 2 pages, 3 page, 4 contents, 5 font, then `extra_objects`."""
    return pdf_bytes(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox %s /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> %s>>" % (box, page_extra),
            stream(content or text_ops(), deflate=True),
            font,
            *extra_objects,
        ],
        trailer,
    )


def pages_pdf(count: int, declared: int | None = None) -> bytes:
    """`count` pages sharing one content stream; the tree declares `declared` (default count)."""
    first_page = 5
    kids = b" ".join(b"%d 0 R" % (first_page + n) for n in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (kids, count if declared is None else declared),
        stream(text_ops(), deflate=True),
        FONT_CID,
    ]
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R "
        b"/Resources << /Font << /F1 4 0 R >> >> >>"
    )
    return pdf_bytes(objects + [page] * count)


def bomb_stream(megabytes: int, nested: bool = False) -> bytes:
    """A content stream of `megabytes` MB of spaces, deflated (twice when `nested`).

    One megabyte is deflated once with a full flush, which makes its block independent of
    what comes before, and the block is repeated: a gigabyte costs a second to write.
    """
    chunk = b" " * (1 << 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    final = zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    checksum = 1
    for _ in range(megabytes):
        checksum = zlib.adler32(chunk, checksum)
    data = b"\x78\xda" + block * megabytes + final + checksum.to_bytes(4, "big")
    if nested:
        return stream(zlib.compress(data, 9), b" /Filter [/FlateDecode /FlateDecode]")
    return stream(data, b" /Filter /FlateDecode")


def bomb_pdf(megabytes: int, nested: bool = False) -> bytes:
    doc = one_page()
    contents = bomb_stream(megabytes, nested)
    return doc.replace(b"/Contents 4 0 R", b"/Contents [4 0 R 6 0 R]").replace(
        b"trailer", b"6 0 obj\n" + contents + b"\nendobj\ntrailer", 1
    )


def to_unicode_font(cmap_body: bytes) -> tuple[bytes, bytes]:
    """An Identity-H font with ToUnicode object 6 holding `cmap_body` (font, cmap object)."""
    font = (
        b"<< /Type /Font /Subtype /Type0 /BaseFont /Odd /Encoding /Identity-H /ToUnicode 6 0 R "
        b"/DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Odd "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        b"/FontDescriptor << /Type /FontDescriptor /FontName /Odd /Flags 4 "
        b"/FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 "
        b"/StemV 80 >> >>] >>"
    )
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Odd def "
        b"/CMapType 2 def 1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        + cmap_body
        + b"\nendcmap CMapName currentdict /CMap defineresource pop end end"
    )
    return font, stream(cmap, deflate=True)


def font_pdf(cmap_body: bytes, codes: bytes = b"<00010002000300040005>") -> bytes:
    font, cmap = to_unicode_font(cmap_body)
    content = b"BT /F1 12 Tf 50 780 Td %s Tj ET\n" % codes + text_ops(BULLETIN[1:], top=740)
    # the bulletin lines use UCS-2 codes through the same Identity-H font: they decode only
    # through the odd map, which is the point
    return one_page(content, font=font, extra_objects=[cmap])


ODD_CMAPS: dict[str, bytes] = {
    "bfrange-billions": b"1 beginbfrange <00000000> <FFFFFFFF> <4E00> endbfrange",
    "bfrange-wide": b"1 beginbfrange <0000> <FFFF> <00000000> endbfrange",
    "bfrange-array-huge": b"1 beginbfrange <0000> <FFFF> [<4E00> <4E01>] endbfrange",
    "bfchar-two-chars": b"2 beginbfchar <0001> <4E004E01> <0002> <00660069> endbfchar",
    "bfchar-ligature": b"1 beginbfchar <0003> <FB01> endbfchar",
    "syntax-error": b"2 beginbfchar <0001> <4E00 endbfchar <<< ] [ beginbfrange",
    "truncated-hex": b"1 beginbfchar <000 <4E0> endbfchar",
    "nul-targets": b"1 beginbfrange <0000> <FFFF> <0000> endbfrange",
    "surrogates": b"1 beginbfrange <0000> <00FF> <D800> endbfrange",
    "control-chars": b"1 beginbfrange <0000> <FFFF> <0001> endbfrange",
    "empty": b"",
    "negative-count": b"-5 beginbfchar <0001> <4E00> endbfchar",
    "names-not-hex": b"1 beginbfchar /a /b endbfchar",
    "odd-length-src": b"1 beginbfrange <001> <FFFFF> <4E00> endbfrange",
}

BOXES: dict[str, bytes] = {
    "zero": b"[0 0 0 0]",
    "inverted": b"[595 842 0 0]",
    "huge": b"[0 0 14400 14400]",
    "enormous": b"[0 0 1e30 1e30]",
    "negative": b"[-595 -842 -1 -1]",
    "line": b"[0 0 595 0]",
    "not-numbers": b"[/a /b /c /d]",
    "three-numbers": b"[0 0 595]",
    "empty-array": b"[]",
    "not-array": b"(A4)",
    "nan-text": b"[0 0 NaN 842]",
    "reference-loop": b"7 0 R",
}


def box_pdf(name: str) -> bytes:
    box = BOXES[name]
    extra = [b"0", b"7 0 R"] if name == "reference-loop" else []  # object 7 points to itself
    return one_page(box=box, extra_objects=extra)


LOOPS: dict[str, Callable[[], bytes]] = {
    "kids-self": lambda: pdf_bytes(
        [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]
    ),
    "kids-cycle": lambda: pdf_bytes(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Pages /Kids [2 0 R] /Count 1 /Parent 2 0 R >>",
        ]
    ),
    "parent-loop": lambda: one_page(page_extra=b"/Rotate 6 0 R", extra_objects=[b"6 0 R"]),
    "contents-self": lambda: (
        one_page()
        .replace(b"/Contents 4 0 R", b"/Contents 6 0 R")
        .replace(b"trailer", b"6 0 obj\n[6 0 R 4 0 R]\nendobj\ntrailer", 1)
    ),
    "resources-loop": lambda: one_page(page_extra=b"/Resources 6 0 R", extra_objects=[b"6 0 R"]),
    "root-self": lambda: pdf_bytes([b"1 0 R"]),
    "xobject-self": lambda: one_page(
        text_ops() + b"\n/X1 Do",
        page_extra=b"",
        extra_objects=[
            stream(
                b"/X1 Do",
                b" /Type /XObject /Subtype /Form /BBox [0 0 10 10] "
                b"/Resources << /XObject << /X1 6 0 R >> >>",
            )
        ],
    ).replace(b"/Font << /F1 5 0 R >>", b"/Font << /F1 5 0 R >> /XObject << /X1 6 0 R >>"),
}


def glyph_flood_pdf(glyphs: int) -> bytes:
    """One page drawing `glyphs` characters (the content stream deflates to a few KB)."""
    code = "５".encode("utf-16-be").hex().encode()
    per_line = 1000
    ops = [
        b"BT /F1 1 Tf 0 %d Td <%s> Tj ET" % (n % 800, code * per_line)
        for n in range(glyphs // per_line)
    ]
    return one_page(text_ops() + b"\n" + b"\n".join(ops))


def nested_array_pdf(depth: int) -> bytes:
    return one_page(text_ops() + b"\n" + b"[" * depth + b"]" * depth + b" pop")


def encrypted_pdf(variant: str) -> bytes:
    encrypt = {
        "rc4": b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -4 >>"
        % (b"ab" * 32, b"cd" * 32),
        "aes": b"<< /Filter /Standard /V 4 /R 4 /Length 128 /O <%s> /U <%s> /P -4 "
        b"/CF << /StdCF << /CFM /AESV2 /Length 16 >> >> /StmF /StdCF /StrF /StdCF >>"
        % (b"ab" * 32, b"cd" * 32),
        "unknown-handler": b"<< /Filter /NoSuchHandler /V 9 >>",
        "broken-dict": b"<< /Filter /Standard /V 2 /R 3 >>",
    }[variant]
    return one_page(trailer=b"/Encrypt 6 0 R /ID [<01> <01>] ", extra_objects=[encrypt])


def image_pdf(variant: str, rng: random.Random) -> bytes:
    """The bulletin text plus one image XObject whose data is junk of the named kind."""
    junk = bytes(rng.getrandbits(8) for _ in range(4096))
    dicts = {
        "jbig2": (b"/Filter /JBIG2Decode /Width 2000 /Height 2000 /BitsPerComponent 1", junk),
        "dct": (b"/Filter /DCTDecode /Width 4000 /Height 4000 /BitsPerComponent 8", junk),
        "jpx": (b"/Filter /JPXDecode /Width 3000 /Height 3000", junk),
        "ccitt": (b"/Filter /CCITTFaxDecode /Width 5000 /Height 5000 /BitsPerComponent 1", junk),
        "huge-raw": (b"/Width 100000 /Height 100000 /BitsPerComponent 8", junk[:64]),
        "zero-size": (b"/Width 0 /Height 0 /BitsPerComponent 8", b""),
        "flate-junk": (b"/Filter /FlateDecode /Width 500 /Height 500 /BitsPerComponent 8", junk),
    }
    keys, data = dicts[variant]
    image = stream(data, b" /Type /XObject /Subtype /Image /ColorSpace /DeviceGray " + keys)
    doc = one_page(text_ops() + b"\nq 500 0 0 500 50 100 cm /Im1 Do Q", extra_objects=[image])
    return doc.replace(b"/Font << /F1 5 0 R >>", b"/Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >>")


def image_only_pdf(variant: str, rng: random.Random) -> bytes:
    """No text at all: one junk image (a scan nobody can read)."""
    return image_pdf(variant, rng).replace(text_ops(), b"")


def control_text_pdf(chars: str) -> bytes:
    """Text that decodes to the given code points (NULs, controls, private use)."""
    code = chars.encode("utf-16-be", "surrogatepass").hex().encode()
    return one_page(b"BT /F1 12 Tf 50 780 Td <%s> Tj ET" % (code * 40))


def structural(variant: str) -> bytes:
    base = one_page()
    return {
        "empty": b"",
        "header-only": b"%PDF-1.4\n",
        "no-xref": base[: base.index(b"xref")],
        "no-trailer": base[: base.index(b"trailer")] + b"%%EOF\n",
        "bad-startxref": base.replace(b"startxref\n", b"startxref\n99999999"),
        "xref-garbage": base.replace(b"0000000000 65535 f", b"zzzzzzzzzz zzzzz f"),
        "html-named-pdf": b"<html><body><p>not a pdf</p></body></html>",
        "zip-named-pdf": b"PK\x03\x04" + b"\x00" * 200,
        "no-root": base.replace(b"/Root 1 0 R", b""),
        "root-not-dict": base.replace(b"/Root 1 0 R", b"/Root 4 0 R"),
        "pages-missing": base.replace(b"/Pages 2 0 R", b"/Pages 99 0 R"),
        "count-negative": base.replace(b"/Count 1", b"/Count -7"),
        "count-2-billion": base.replace(b"/Count 1", b"/Count 2000000000"),
        "kids-not-array": base.replace(b"/Kids [3 0 R]", b"/Kids 3"),
        "contents-missing": base.replace(b"/Contents 4 0 R", b"/Contents 99 0 R"),
        "length-wrong": base.replace(b"/Length ", b"/Length 9", 1),
        "length-huge": base.replace(b"/Length ", b"/Length 99999999999 /Old ", 1),
        "unbalanced-q": one_page(b"q q q q " * 5000 + text_ops() + b" Q" * 30000),
        "junk-operators": one_page(b"zz 1 2 3 yy Tj TJ Tf Tm ' \" BT ET ET ET\n" + text_ops()),
        "version-99": base.replace(b"%PDF-1.4", b"%PDF-9.9"),
        "linearized-lie": base.replace(
            b"1 0 obj", b"1 0 obj\n<< /Linearized 1 /L 99999999 /N 50000 >>\nendobj\n8 0 obj", 1
        ),
    }[variant]


def bit_flips(data: bytes, rng: random.Random, flips: int) -> bytes:
    out = bytearray(data)
    for _ in range(flips):
        at = rng.randrange(len(out))
        out[at] ^= 1 << rng.randrange(8)
    return bytes(out)


def truncated(data: bytes, fraction: float) -> bytes:
    return data[: max(1, int(len(data) * fraction))]


def variants() -> Iterator[tuple[str, Callable[[random.Random], bytes], bool]]:
    """(name, builder, damaged) for each hand-made PDF; `damaged` ones must never be clean."""
    for name, body in ODD_CMAPS.items():
        yield f"font-{name}", lambda _r, b=body: font_pdf(b), True
    for name in BOXES:
        yield f"box-{name}", lambda _r, n=name: box_pdf(n), name in ("not-numbers", "not-array")
    for name, build in LOOPS.items():
        yield f"loop-{name}", lambda _r, b=build: b(), True
    for variant in ("rc4", "aes", "unknown-handler", "broken-dict"):
        yield f"encrypted-{variant}", lambda _r, v=variant: encrypted_pdf(v), True
    for variant in ("jbig2", "dct", "jpx", "ccitt", "huge-raw", "zero-size", "flate-junk"):
        yield f"image-{variant}", lambda r, v=variant: image_pdf(v, r), False
        yield f"scan-{variant}", lambda r, v=variant: image_only_pdf(v, r), True
    for megabytes, nested in ((64, False), (256, False), (1024, False), (256, True)):
        label = f"bomb-{megabytes}mb" + ("-nested" if nested else "")
        yield label, lambda _r, m=megabytes, n=nested: bomb_pdf(m, n), False
    for glyphs in (300_000, 2_000_000):
        yield f"glyphs-{glyphs}", lambda _r, g=glyphs: glyph_flood_pdf(g), True
    for depth in (1_000, 100_000):
        yield f"nested-array-{depth}", lambda _r, d=depth: nested_array_pdf(d), False
    for label, chars in (("nul", "\x00"), ("controls", "\x01\x02\x1b"), ("private", "\ue000"),
                         ("surrogate", "\ud800"), ("replacement", "\ufffd")):  # fmt: skip
        # through UniGB-UCS2-H, U+E000 is a CID the GB1 collection draws as "à": a page of one
        # repeated letter is text, not damage
        yield f"text-{label}", lambda _r, c=chars: control_text_pdf(c), label != "private"
    for count, declared in ((600, None), (3, 5000), (2, 1)):
        name = f"pages-{count}-declared-{declared or count}"
        yield name, lambda _r, c=count, d=declared: pages_pdf(c, d), True
    for variant in (
        "empty", "header-only", "no-xref", "no-trailer", "bad-startxref", "xref-garbage",
        "html-named-pdf", "zip-named-pdf", "no-root", "root-not-dict", "pages-missing",
        "count-negative", "count-2-billion", "kids-not-array", "contents-missing",
        "length-wrong", "length-huge", "unbalanced-q", "junk-operators", "version-99",
        "linearized-lie",
    ):  # fmt: skip
        damaged = variant not in ("no-xref", "bad-startxref", "xref-garbage", "length-wrong",
                                  "length-huge", "unbalanced-q", "junk-operators", "version-99",
                                  "linearized-lie", "count-negative")  # fmt: skip
        yield f"struct-{variant}", lambda _r, v=variant: structural(v), damaged
