"""The archive report on rows of three real bulletins of one district (涪城区, March and April
2021), built once per module. Tests that change rows say what they change."""

from __future__ import annotations

import html
import json
import re
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.dataset.rows import DocumentRows, document_rows
from pipeline.extract import read_document
from pipeline.normalize import normalize
from pipeline.report.archive import write_archive_report
from pipeline.report.archive.departments import chart_name
from pipeline.validate import audit
from pipeline.validate.crossdoc import archive_findings

CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "generated"
FILES = ("gen-0007.pdf", "gen-0050.pdf", "gen-0044.pdf")
YANGJIA = "涪城区/杨家镇"


@pytest.fixture(scope="module")
def docs() -> list[DocumentRows]:
    out = []
    for name in FILES:
        path = CORPUS / name
        out.append(document_rows(audit(normalize(read_document(path))), source=str(path)))
    return out


def doc_id(doc: DocumentRows) -> str:
    return doc.document.document_id


def hrefs(docs: list[DocumentRows]) -> dict[str, str]:
    return {doc_id(d): f"docs/{doc_id(d)}.html" for d in docs}


@pytest.fixture(scope="module")
def built(docs: list[DocumentRows], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("archive")
    page = write_archive_report(out, docs, archive_findings(docs), hrefs(docs))
    return out, page.read_text(encoding="utf-8")


def section(page: str, anchor: str) -> str:
    start = page.index(f'id="{anchor}"')
    end = page.find("<h2", start)
    return page[start : end if end > 0 else len(page)]


def test_report_summary_counts_documents_periods_and_findings(
    built: tuple[Path, str], docs: list[DocumentRows]
) -> None:
    out, page = built
    assert (out / "report" / "index.html").is_file()
    summary = section(page, "summary")
    assert "3 (pdf 3)" in summary
    assert "2 distinct, 2021-03-01 to 2021-04-30" in summary
    assert "涪城区 (3)" in summary
    local = [f.severity for d in docs for f in d.findings]
    assert f"{local.count('error')} errors" in summary
    archive = archive_findings(docs)  # gen-0007 and gen-0050 disagree on March's scores
    assert archive and f"{len(archive)} warnings" in section(page, "summary").split("Across")[1]


def test_report_lists_each_rule_with_counts_and_findings(
    built: tuple[Path, str], docs: list[DocumentRows]
) -> None:
    _, page = built
    rules = section(page, "rules")
    for code in ("ARCH001", "ARCH002", "ARCH003", "ARCH004"):
        assert f'href="#rule-{code}"' in rules and f'id="rule-{code}"' in rules
    fired = {f.rule for d in docs for f in d.findings}
    for code in fired:
        assert f'id="rule-{code}"' in rules
    arch = rules[rules.index('id="rule-ARCH001"') : rules.index('id="rule-ARCH002"')]
    assert arch.count('<li><span class="sev warning">') == len(archive_findings(docs))
    # each ARCH001 finding links to both documents' reports
    assert (
        f'href="docs/{doc_id(docs[0])}.html"' in arch
        and f'href="docs/{doc_id(docs[1])}.html"' in arch
    )


def test_report_has_one_row_per_document_linking_its_report(
    built: tuple[Path, str], docs: list[DocumentRows]
) -> None:
    _, page = built
    table = section(page, "documents")
    assert table.count("<tr><td>") == len(docs)
    for d in docs:
        row = d.document
        assert f'<a href="docs/{row.document_id}.html">{html.escape(row.title or "")}</a>' in table
        counts = f'<td class="num e">{row.errors}</td><td class="num w">{row.warnings}</td>'
        assert counts in table
    # March, before April: gen-0050 and gen-0007 first, gen-0044 last
    assert table.index(docs[2].document.title or "") > table.index(docs[0].document.title or "")


def test_report_department_tables_and_charts(
    built: tuple[Path, str], docs: list[DocumentRows]
) -> None:
    out, page = built
    deps = section(page, "departments")
    # 杨家镇's total score as each bulletin prints it (truth files: 88.6, ８７．９, 95.11)
    block = deps[deps.index(f"<h3>{YANGJIA}</h3>") :]
    block = block[: block.index("</section>")]
    truths = [
        json.loads((CORPUS / f"{n[:-4]}.truth.json").read_text(encoding="utf-8")) for n in FILES
    ]
    for t in truths:
        (row,) = [r for r in t["tables"][0]["body_rows"] if r[1].endswith("杨家镇")]
        assert f'<td class="num">{unicodedata.normalize("NFKC", row[-1])}</td>' in block
    # the chart is inline, titled with the department, and also written as a file
    chart = re.search(r'<figure class="chart"[^>]*>(<svg\b.*?</svg>)</figure>', block, re.S)
    assert chart is not None and f">{YANGJIA}</text>" in chart.group(1)
    svg = (out / "report" / "charts" / f"{chart_name(YANGJIA)}.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and f">{YANGJIA}</text>" in svg
    drawn = sorted(p.name for p in (out / "report" / "charts").iterdir())
    assert len(drawn) == deps.count('<figure class="chart"') > 0
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))  # each chart's ids are its own
    for ref in set(re.findall(r'(?:href="#|url\(#)([^")]+)', page)) - {"summary", "rules"}:
        assert ref in ids  # every reference inside a chart finds its target


def test_report_escapes_document_text(docs: list[DocumentRows], tmp_path: Path) -> None:
    """Modified: 杨家镇 renamed to a script tag in one document's rows, and its title."""
    evil = "<script>alert(1)</script>"
    doc = docs[2]
    metrics = tuple(
        replace(row, department=evil, department_id=f"涪城区/{evil}")
        if row.department_id == YANGJIA
        else row
        for row in doc.metrics
    )
    title = replace(doc.document, title="<b>bold</b> 通报")
    changed = [*docs[:2], replace(doc, document=title, metrics=metrics), *docs[3:]]
    found = archive_findings(changed)
    page = write_archive_report(tmp_path, changed, found, {}, chart_limit=0).read_text("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>" not in page and "<b>bold" not in page
    assert "&lt;b&gt;bold&lt;/b&gt; 通报" in page


def test_report_is_deterministic_and_replaces_old_charts(
    docs: list[DocumentRows], tmp_path: Path
) -> None:
    archive = archive_findings(docs)
    stale = tmp_path / "report" / "charts" / "stale.svg"
    stale.parent.mkdir(parents=True)
    stale.write_text("old", encoding="utf-8")
    mine = stale.with_name("mine.svg")  # not an earlier build's chart: left alone
    mine.write_text("a user's", encoding="utf-8")
    first = write_archive_report(
        tmp_path, docs, archive, hrefs(docs), chart_limit=3, previous_charts=["stale.svg"]
    ).read_bytes()
    assert mine.read_text(encoding="utf-8") == "a user's"
    mine.unlink()
    charts = {p.name: p.read_bytes() for p in stale.parent.iterdir()}
    assert "stale.svg" not in charts and len(charts) == 3
    again = write_archive_report(
        tmp_path, docs[::-1], archive, hrefs(docs), chart_limit=3
    ).read_bytes()
    assert again == first
    assert {p.name: p.read_bytes() for p in stale.parent.iterdir()} == charts


def test_report_caps_the_number_of_charts(docs: list[DocumentRows], tmp_path: Path) -> None:
    page = write_archive_report(tmp_path, docs, [], {}, chart_limit=2).read_text("utf-8")
    assert len(list((tmp_path / "report" / "charts").iterdir())) == 2
    assert re.search(r"2 drawn, \d+ more not drawn \(at most 2", page)
