"""Hostile HTML, text and DOCX inputs: spans that multiply, deep nesting, encodings, scripts,
NaN cells, digit floods, Chinese numerals, text built to stress regular expressions, and
department names carrying markup. Every bulletin is written here in our own words with
invented numbers."""

from __future__ import annotations

import io
import random
from collections.abc import Callable, Iterator

HEAD = "关于本月热线办理情况的通报"
BODY = "本月热线共受理群众诉求56件，办结55件，办结率98.21%。"
MARKUP_NAMES = (
    "<img src=x onerror=alert(1)>局",
    "<script>alert('x')</script>办",
    "[bold red]城管局[/bold red]",
    "**粗体**局|表格|",
    "`代码`局 $(rm -rf /)",
    "&lt;实体&gt;&amp;局",
    "局\u202e反向\u202c",
    "![图](http://example.invalid/x.png)局",
    "<a href='javascript:alert(1)'>链接</a>局",
    "局\x1b[31m红\x1b[0m",
)


def table_html(rows: list[list[str]], attrs: str = "") -> str:
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table{attrs}><tr><th>单位</th><th>受理件数</th><th>占比</th></tr>{body}</table>"


def page(body: str, head: str = "<meta charset='utf-8'>") -> str:
    return f"<html><head>{head}</head><body><p>{HEAD}</p><p>{BODY}</p>{body}</body></html>"


def dept_rows(n: int, rng: random.Random) -> list[list[str]]:
    counts = [rng.randint(1, 40) for _ in range(n)]
    total = sum(counts)
    rows = [[f"第{i + 1}部门", str(c), f"{100 * c / total:.2f}%"] for i, c in enumerate(counts)]
    return [*rows, ["合计", str(total), "100.00%"]]


def span_html(rowspan: int, colspan: int, cells: int) -> str:
    row = "".join(f"<td rowspan={rowspan} colspan={colspan}>{i}</td>" for i in range(cells))
    return page(
        f"<table><tr><th>单位</th><th>件数</th></tr>{''.join(f'<tr>{row}</tr>' * 3)}</table>"
    )


def deep_html(depth: int, tag: str = "div") -> str:
    inner = "<p>深层段落：受理诉求12件，办结11件，办结率91.67%。</p>"
    return page(f"<{tag}>" * depth + inner + f"</{tag}>" * depth)


def nan_html(word: str) -> str:
    rows = [["甲局", "10", "50.00%"], ["乙局", word, "50.00%"], ["合计", "20", "100.00%"]]
    return page(table_html(rows))


def encoded(text: str, encoding: str, declared: str | None) -> bytes:
    head = f"<meta charset='{declared}'>" if declared else ""
    return page(table_html([["甲局", "10", "100.00%"]]), head).encode(encoding, "replace")


def html_variants(rng: random.Random) -> Iterator[tuple[str, bytes, bool]]:
    """(file name, bytes, damaged) for the HTML inputs."""
    for rowspan, colspan, cells in ((100_000, 1, 10), (1, 100_000, 10), (5_000, 5_000, 20),
                                    (0, 0, 5), (-1, -3, 5), (2**31, 2**31, 3)):  # fmt: skip
        yield f"span-r{rowspan}-c{colspan}.html", span_html(rowspan, colspan, cells).encode(), False
    yield (
        "span-text.html",
        page(
            "<table><tr><td rowspan='x' colspan='1e9'>1</td><td colspan='３'>2</td></tr></table>"
        ).encode(),
        False,
    )
    for depth in (100, 255, 257, 300, 1_000, 5_000, 50_000):
        yield f"deep-{depth}.html", deep_html(depth).encode(), False
    yield "deep-table-300.html", deep_html(300, "table").encode(), False
    yield "deep-span-3000.html", deep_html(3_000, "span").encode(), False
    for word in ("NaN", "nan", "NAN%", "inf", "-inf", "Infinity", "1e999", "—", "？", "1,2,3"):
        yield f"nan-cell-{word.replace('%', 'pct')}.html", nan_html(word).encode(), False
    for encoding, declared in (("gbk", "gbk"), ("gb18030", "gb18030"), ("big5", "big5"),
                               ("utf-16", None), ("utf-16", "utf-8"), ("gbk", "utf-8"),
                               ("utf-8", "gbk"), ("utf-8", "no-such-charset"),
                               ("utf-8-sig", None), ("gbk", None)):  # fmt: skip
        name = f"enc-{encoding}-as-{declared or 'none'}.html"
        yield name, encoded(HEAD, encoding, declared), False
    yield "enc-invalid-bytes.html", page("").encode() + bytes(range(128, 256)) * 50, False
    yield "enc-nul-bytes.html", page("\x00" * 1000 + "12件\x0034%").encode(), False
    script = "<script>var t='</table>'; document.write('<tr><td>99</td></tr>');</script>"
    yield "script-in-table.html", page(table_html(dept_rows(5, rng)) + script).encode(), False
    yield "style-numbers.html", page("<style>td{width:98.11%}</style><p>56件</p>").encode(), False
    yield "comment-table.html", page("<!-- <table><tr><td>1</td></tr> -->").encode(), False
    yield "cdata.html", page("<![CDATA[ 56件 98.11% ]]>").encode(), False
    yield (
        "entities.html",
        page("<p>&#0;&#xD800;&#x110000;&#99999999999;&bogus;56件</p>").encode(),
        False,
    )
    yield "unclosed.html", b"<html><body><table><tr><td>1<td>2<tr><td><p>56<b><i>", False
    yield "only-tags.html", b"<" * 100_000 + b">" * 100_000, False
    yield "empty.html", b"", True
    yield (
        "nested-tables.html",
        page(table_html([[table_html(dept_rows(3, rng)), "1", "2"]])).encode(),
        False,
    )
    wide = [[str(rng.randint(0, 9)) for _ in range(3_000)]]
    yield "wide-3000-cols.html", page(table_html(wide)).encode(), False
    for rows in (2_000, 5_001, 20_000):
        yield f"rows-{rows}.html", page(table_html(dept_rows(rows, rng))).encode(), rows > 5_000
    for n, name in enumerate(MARKUP_NAMES):
        rows = [[name.replace("<", "&lt;").replace(">", "&gt;"), "10", "50.00%"],
                ["乙局", "10", "50.00%"], ["合计", "20", "100.00%"]]  # fmt: skip
        yield f"markup-name-{n}.html", page(table_html(rows)).encode(), False
    for n in range(6):
        rows = dept_rows(rng.randint(3, 40), rng)
        yield f"ok-table-{n}.html", page(table_html(rows)).encode(), False


def text_variants(rng: random.Random) -> Iterator[tuple[str, bytes, bool]]:
    """(file name, bytes, damaged) for the plain-text inputs."""
    base = f"{HEAD}\n{BODY}\n"
    for digits in (12, 15, 16, 20, 40, 300, 3_000, 10_000):
        number = "".join(rng.choice("123456789") for _ in range(digits))
        yield (
            f"digits-{digits}.txt",
            f"{base}受理{number}件，办结55件，办结率98.21%。\n".encode(),
            False,
        )
    yield "digits-flood-1mb.txt", ("1234567890" * 100 + "\n").encode() * 1_000, False
    yield "digits-flood-7mb.txt", ("1234567890" * 70 + "\n").encode() * 10_000, True
    yield "digits-one-line.txt", b"9" * 1_500_000, False
    yield "digits-decimals.txt", (base + "0." + "3" * 5000 + "%\n").encode(), False
    yield "digits-percent-run.txt", (base + "12%" * 50_000).encode(), False
    numerals = ("一万二千三百四十五件", "壹佰贰拾叁件", "零零零零零零零零件", "亿" * 10 + "件",
                "九" * 5000 + "件", "十" * 2000, "两千零二十三年十三月三十二日", "负五十六件",
                "百分之九十八点二一", "百分之" * 3000, "第" * 5000 + "一名",
                "〇一二三四五六七八九" * 500)  # fmt: skip
    for n, text in enumerate(numerals):
        yield f"numerals-{n}.txt", f"{base}{text}\n".encode(), False
    stress = ("占比" * 50_000, "（" * 50_000, "%" * 100_000, "1." * 100_000, "，" * 100_000,
              " " * 500_000 + "56", "同比增长" * 30_000, "12345件，" * 30_000, "1.2.3." * 50_000,
              "（一）" * 40_000, "其中" * 50_000 + "56件", "a" * 200_000,
              "分别为" + "1件、" * 50_000, "附件" * 40_000, "\t" * 100_000 + "1",
              "-" * 100_000 + "5", "前" + "1" * 100_000 + "名",
              "\n".join(f"第{i}名" for i in range(50_000)),
              "办结率" + "9" * 50_000 + "%", "环比下降" + ".5" * 50_000)  # fmt: skip
    for n, text in enumerate(stress):
        yield f"regex-stress-{n}.txt", f"{base}{text}\n".encode(), False
    lines = "\n".join("   ".join(str(rng.randint(0, 99)) for _ in range(30)) for _ in range(4_000))
    yield "plain-table-4000-rows.txt", (base + lines).encode(), False
    for label, data in (
        ("empty", b""),
        ("whitespace", b" \n\t\n   \n"),
        ("nul", b"\x00" * 5_000),
        ("controls", bytes(range(1, 32)) * 200),
        ("invalid-utf8", b"\xff\xfe\xfd" * 3_000),
        ("surrogates-escaped", "\ud800\udfff".encode("utf-8", "surrogatepass") * 2_000),
    ):
        yield f"garbage-{label}.txt", data, True
    for label, data in (
        ("gbk", base.encode("gbk")),
        ("gb18030", base.encode("gb18030")),
        ("big5", base.encode("big5", "replace")),
        ("utf16", base.encode("utf-16")),
        ("utf16be-nobom", base.encode("utf-16-be")),
        ("utf8-bom", base.encode("utf-8-sig")),
        ("mixed", base.encode() + base.encode("gbk")),
        ("zero-width", base.replace("5", "5\u200b\u200d").encode()),
        ("rtl", ("\u202e" + base).encode()),
        ("fullwidth", base.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789%."}).encode()),
        ("cr-only", base.replace("\n", "\r").encode()),
        ("nul-inside", base.replace("件", "件\x00").encode()),
    ):
        yield f"enc-{label}.txt", data, False
    for n, name in enumerate(MARKUP_NAMES):
        text = f"{base}{name}受理10件，占比50.00%；乙局受理10件，占比50.00%。\n"
        yield f"markup-name-{n}.txt", text.encode(), False
    for n in range(8):
        a = rng.randint(10, 500)
        b = rng.randint(1, a)
        yield (
            f"ok-{n}.txt",
            f"{HEAD}\n受理{a}件，办结{b}件，办结率{100 * b / a:.2f}%。\n".encode(),
            False,
        )


def docx_bytes(paragraphs: list[str], rows: list[list[str]], grid_span: int = 1) -> bytes:
    from docx import Document as DocxDocument
    from docx.oxml.ns import qn
    from docx.oxml.shared import OxmlElement

    doc = DocxDocument()
    for text in paragraphs:
        doc.add_paragraph(text)
    if rows:
        table = doc.add_table(rows=0, cols=len(rows[0]))
        for row in rows:  # add_row, not table.cell(r, c): that one walks the whole table
            for cell, text in zip(table.add_row().cells, row, strict=True):
                cell.text = text
        if grid_span > 1:
            props = table.cell(0, 0)._tc.get_or_add_tcPr()
            span = OxmlElement("w:gridSpan")
            span.set(qn("w:val"), str(grid_span))
            props.append(span)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def docx_variants(
    rng: random.Random,
) -> Iterator[tuple[str, Callable[[random.Random], bytes], bool]]:
    """(file name, builder, damaged) for the DOCX inputs (built lazily: python-docx is slowish)."""
    rows = [["单位", "受理件数", "占比"], *dept_rows(6, rng)]
    long_rows = [["单位", "受理件数", "占比"], *dept_rows(6_000, rng)]
    good = docx_bytes([HEAD, BODY], rows)
    yield "ok.docx", lambda _r: docx_bytes([HEAD, BODY], rows), False
    yield "gridspan-huge.docx", lambda _r: docx_bytes([HEAD], rows, grid_span=1_000_000), False
    yield "gridspan-negative.docx", lambda _r: docx_bytes([HEAD], rows, grid_span=-5), False
    names = [[name, "10", "50.00%"] for name in MARKUP_NAMES if name.isprintable()]
    yield (
        "markup-names.docx",
        lambda _r: docx_bytes([HEAD, BODY], [["单位", "件数", "占比"], *names]),
        False,
    )
    yield (
        "nan-cells.docx",
        lambda _r: docx_bytes([HEAD], [["单位", "件数"], ["甲局", "NaN"], ["合计", "inf"]]),
        False,
    )
    many = _document_xml(long_rows)
    yield "many-rows.docx", lambda _r: _replaced_part(good, "word/document.xml", many), True
    yield "truncated.docx", lambda _r: good[: len(good) // 2], True
    yield "zip-not-docx.docx", lambda _r: _zip({"hello.txt": b"56"}), True
    yield (
        "xml-bomb.docx",
        lambda _r: _replaced_part(good, "word/document.xml", _billion_laughs()),
        True,
    )
    yield "not-zip.docx", lambda _r: b"this is not a zip file" * 10, True
    yield "empty.docx", lambda _r: b"", True


def _document_xml(rows: list[list[str]]) -> bytes:
    """A document part holding one table, written directly (python-docx takes seconds)."""
    cells = "".join(
        "<w:tr>"
        + "".join(f"<w:tc><w:p><w:r><w:t>{c}</w:t></w:r></w:p></w:tc>" for c in row)
        + "</w:tr>"
        for row in rows
    )
    return (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body><w:p><w:r><w:t>{HEAD}</w:t></w:r></w:p><w:tbl>{cells}</w:tbl></w:body></w:document>"
    ).encode()


def _zip(files: dict[str, bytes]) -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _replaced_part(docx: bytes, part: str, data: bytes) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(docx)) as source:
        files = {name: source.read(name) for name in source.namelist()}
    files[part] = data
    return _zip(files)


def _billion_laughs() -> bytes:
    entities = "".join(
        f'<!ENTITY l{n} "{("&l" + str(n - 1) + ";") * 10 if n else "lol"}">' for n in range(10)
    )
    return (
        f'<?xml version="1.0"?><!DOCTYPE w [{entities}]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p></w:body></w:document>"
    ).encode()
