"""Cross-document rules ARCH001-ARCH004 on rows built from real corpus bulletins.

The pipeline runs once per module on five committed files. Some tests use the rows as they
come (real); the others derive documents from them, and each says what it changes: a new
document id and number (a re-issue), a shifted period (a series of months), one value.
Everything not named as changed is the real bulletin's.
"""

from __future__ import annotations

import copy
import hashlib
import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from pipeline.dataset.rows import document_rows
from pipeline.extract import read_document
from pipeline.normalize import normalize
from pipeline.validate import audit
from pipeline.validate.crossdoc import archive_findings as typed_archive_findings
from pipeline.validate.crossdoc.facts import words
from pipeline.validate.crossdoc.rows import DocumentRows as TypedRows
from pipeline.validate.crossdoc.rows import row_json
from pipeline.validate.registry import RULES, archive_rules

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus" / "generated"
FILES = ("gen-0007.pdf", "gen-0050.pdf", "gen-0044.pdf", "gen-0002.pdf", "gen-0002.html")
# gen-0007 and gen-0050: 涪城区, 2021-03, same issuer; gen-0044: 涪城区, 2021-04.
YANGJIA = "涪城区/杨家镇"
# A document as its stored result holds its rows (DocumentRows.to_json): the tests derive
# documents by editing this JSON, as a changed result file would be, and the rules read it back.
DocumentRows = dict[str, list[dict[str, Any]]]


def archive_findings(docs: list[DocumentRows]) -> list[dict[str, Any]]:
    """The archive rules over the stored rows read back typed; the findings as stored JSON."""
    found = typed_archive_findings([TypedRows.from_json(d) for d in docs])
    return [row_json(f) for f in found]


@pytest.fixture(scope="module")
def real() -> dict[str, DocumentRows]:
    out = {}
    for name in FILES:
        path = CORPUS / name
        rows = document_rows(audit(normalize(read_document(path))), source=str(path))
        out[name] = rows.to_json()
    return out


def truth(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CORPUS / f"{name}.truth.json").read_text(encoding="utf-8"))
    return data


def doc_id(doc: DocumentRows) -> str:
    return str(doc["documents"][0]["document_id"])


def variant(
    doc: DocumentRows,
    label: str,
    *,
    period: tuple[str, str] | None = None,
    **fields: Any,
) -> DocumentRows:
    """A derived document: new id and source, the given document fields, optionally a period.

    A document moved to another period loses its 上期/上月 columns: what they restate belongs
    to the real bulletin's previous month, not to the derived one's.
    """
    out = copy.deepcopy(doc)
    if period is not None:
        previous = words().previous_period
        out["metrics"] = [r for r in out["metrics"] if not any(w in r["header"] for w in previous)]
    new_id = hashlib.sha256(f"{doc_id(doc)}/{label}".encode()).hexdigest()
    for rows in out.values():
        for row in rows:
            if "document_id" in row:
                row["document_id"] = new_id
            if period is not None and "period_start" in row:
                row["period_start"], row["period_end"] = period
    out["documents"][0].update(source=f"{label}.pdf", **fields)
    return out


def metric_rows(doc: DocumentRows, **match: Any) -> list[dict[str, Any]]:
    return [r for r in doc["metrics"] if all(r.get(k) == v for k, v in match.items())]


def set_value(row: dict[str, Any], value: str) -> None:
    row.update(value=value, text=value, number=float(value))


def by_rule(findings: list[dict[str, Any]], rule: str) -> list[dict[str, Any]]:
    return [f for f in findings if f["rule"] == rule]


def evidence_docs(finding: dict[str, Any]) -> list[str]:
    return [e["document_id"] for e in json.loads(finding["evidence"])]


# --- ARCH001 on real documents ---------------------------------------------------------


def test_crossdoc_same_month_bulletins_of_one_district_disagree(
    real: dict[str, DocumentRows],
) -> None:
    """Real: gen-0007 and gen-0050 both report 涪城区 for March 2021 with different scores."""
    a, b = real["gen-0007.pdf"], real["gen-0050.pdf"]
    (found,) = archive_findings([a, b])  # one finding for the pair of bulletins
    assert found["rule"] == "ARCH001"
    # scores are rounded figures: a warning, never an error
    assert found["severity"] == "warning"
    # gen-0007 was published later (2021-04-07 against 2021-04-04): the finding is its
    assert found["document_id"] == doc_id(a)
    head = "涪政办发〔2021〕116号 and 涪政办通〔2021〕134号 both report 涪城区 2021-03: "
    assert found["message"].startswith(head)
    differ, compared = (int(n) for n in found["message"][len(head) :].split()[0:3:2])
    later = truth("gen-0007")["tables"][0]["body_rows"]
    earlier = truth("gen-0050")["tables"][0]["body_rows"]
    # each department named alike in both tables has its total score (last column) compared
    totals = {
        name: (printed_of(earlier, name), printed_of(later, name))
        for name in {r[1] for r in later} & {r[1] for r in earlier}
    }
    assert len(totals) >= 5 and compared >= len(totals)
    assert sum(1 for e, l_ in totals.values() if e != l_) <= differ <= compared
    # the first few differing figures are written out, each with both documents' cells
    evidence = json.loads(found["evidence"])
    assert 2 <= len(evidence) <= 10 and len(evidence) % 2 == 0
    assert evidence_docs(found)[:2] == [doc_id(b), doc_id(a)]
    shangwu = totals["区商务局"]
    assert shangwu[0] != shangwu[1]
    assert f"{shangwu[0]}, gen-0007.pdf" in found["explanation"]
    assert f"prints {shangwu[1]}" in found["explanation"]
    assert "绵阳市涪城区人民政府办公室" in found["explanation"]


def printed_of(rows: list[list[str]], name: str) -> str:
    return unicodedata.normalize("NFKC", next(r[-1] for r in rows if r[1] == name))


def test_crossdoc_one_bulletin_in_two_formats_agrees(real: dict[str, DocumentRows]) -> None:
    """Real: gen-0002.pdf and gen-0002.html are one bulletin; the PDF and HTML readers agree."""
    assert archive_findings([real["gen-0002.pdf"], real["gen-0002.html"]]) == []


def test_crossdoc_copy_that_differs_is_a_warning_about_the_files(
    real: dict[str, DocumentRows],
) -> None:
    """Modified: one count of the HTML copy of gen-0002 (same number and title as the PDF)."""
    html = copy.deepcopy(real["gen-0002.html"])
    row = metric_rows(
        html, table="附件2", metric="received", department_id="吴兴区/飞英街道办事处"
    )[0]
    set_value(row, str(int(row["value"]) + 10))
    (found,) = archive_findings([real["gen-0002.pdf"], html])
    assert (found["rule"], found["severity"]) == ("ARCH001", "warning")
    assert "same bulletin" in found["explanation"]
    # each side's evidence is its cell's Source: a box on a PDF page, a cell in an HTML block
    by_doc = {e["document_id"]: e for e in json.loads(found["evidence"])}
    pdf, page = by_doc[doc_id(real["gen-0002.pdf"])], by_doc[doc_id(html)]
    assert pdf["backend"] == "pdfium" and pdf["bbox"] and "index" not in pdf
    assert page["backend"] == "html" and page["bbox"] is None
    assert [page["page"], json.dumps(page["index"])] == [row["page"], row["block_index"]]


# --- ARCH001 on derived documents ------------------------------------------------------


def reissue(doc: DocumentRows) -> DocumentRows:
    """Derived: gen-0044 re-issued by its issuer under a new number, a week later."""
    return variant(doc, "reissue", doc_number="涪政办发〔2021〕60号", published="2021-05-16")


def test_crossdoc_count_changed_in_a_reissue_is_an_error(real: dict[str, DocumentRows]) -> None:
    original = real["gen-0044.pdf"]
    again = reissue(original)
    (row,) = metric_rows(again, table="附件2", metric="received", department_id=YANGJIA)
    assert row["value"] == "242"  # as printed in the real bulletin
    set_value(row, "252")  # modified
    (found,) = archive_findings([original, again])
    assert (found["rule"], found["severity"]) == ("ARCH001", "error")
    assert (found["reported"], found["expected"]) == ("252", "242")
    assert found["document_id"] == doc_id(again)
    assert (found["table"], found["row"], found["department_id"]) == ("附件2", row["row"], YANGJIA)
    assert evidence_docs(found) == [doc_id(original), doc_id(again)]
    assert "re-issue" in found["explanation"] and "2021-04" in found["message"]


def test_crossdoc_one_finding_per_pair_of_bulletins(real: dict[str, DocumentRows]) -> None:
    """Modified: three counts and one rate of the re-issue; one finding counts them all."""
    original = real["gen-0044.pdf"]
    again = reissue(original)
    received = metric_rows(again, table="附件2", metric="received")[:3]
    for row in received:
        set_value(row, str(int(row["value"]) + 1))
    (rate,) = metric_rows(
        again, table="附件2", metric="rate_completed_on_time", department_id=YANGJIA
    )
    set_value(rate, "87.70")
    (found,) = archive_findings([original, again])
    assert found["severity"] == "error"  # a count differs
    head = "涪政办发〔2021〕60号 both report 涪城区 2021-04: 4 of "
    assert head in found["message"] and "(3 of them counts)" in found["message"]
    compared = int(found["message"].split(head)[1].split()[0])
    assert compared >= len(metric_rows(original, table="附件2"))  # every shared figure
    # counts (the errors) are written out first, each with both cells
    assert evidence_docs(found) == [doc_id(original), doc_id(again)] * 4
    assert found["department_id"] in {r["department_id"] for r in received}
    assert found["explanation"].index(YANGJIA + " rate_") > found["explanation"].index(" received")
    ids = json.dumps(["ARCH001", doc_id(original), doc_id(again), "2021-04"], ensure_ascii=False)
    assert found["finding_id"] == "ARCH001-" + hashlib.sha1(ids.encode()).hexdigest()[:12]


def test_crossdoc_rounded_figures_alone_are_a_warning(real: dict[str, DocumentRows]) -> None:
    again = reissue(real["gen-0044.pdf"])
    (rate,) = metric_rows(
        again, table="附件2", metric="rate_completed_on_time", department_id=YANGJIA
    )
    set_value(rate, "87.70")  # modified (real: 87.60)
    (found,) = archive_findings([real["gen-0044.pdf"], again])
    assert found["severity"] == "warning"
    assert ": 1 of " in found["message"] and "(rounded figures only)" in found["message"]
    assert (found["reported"], found["expected"]) == ("87.70%", "87.60%")


@pytest.mark.parametrize(
    ("printed", "expected"), [("87.6", 0), ("87.605", 0), ("87.61", 1), ("87.59", 1), ("87.70", 1)]
)
def test_crossdoc_rates_compare_under_rounding(
    real: dict[str, DocumentRows], printed: str, expected: int
) -> None:
    """Modified: the re-issue prints 杨家镇's on-time rate (real: 87.60%) differently. The audit
    found that gen-0044 truncates, so 87.60% stands for [87.60%, 87.61%)."""
    original = real["gen-0044.pdf"]
    assert original["documents"][0]["rounding"] == "truncate"
    again = reissue(original)
    (row,) = metric_rows(
        again, table="附件2", metric="rate_completed_on_time", department_id=YANGJIA
    )
    assert (row["value"], row["percent"]) == ("87.60", True)
    set_value(row, printed)
    found = archive_findings([original, again])
    assert len(found) == expected
    assert all(f["severity"] == "warning" for f in found)


def test_crossdoc_never_compares_across_places_or_periods(real: dict[str, DocumentRows]) -> None:
    """Modified value in three derived documents that must not meet the original."""
    original = real["gen-0044.pdf"]
    other_city = reissue(original)  # a 涪城区 of another city (issuer prefix differs)
    other_city["documents"][0]["issuer"] = "另一市涪城区人民政府办公室"
    next_month = variant(original, "may", period=("2021-05-01", "2021-05-31"))
    other_district = variant(original, "elsewhere", district="游仙区")
    for doc in (other_district,):
        for row in doc["metrics"]:
            if row["department_id"]:
                row["department_id"] = row["department_id"].replace("涪城区/", "游仙区/")
    for doc in (other_city, next_month, other_district):
        for row in metric_rows(doc, table="附件2", metric="received"):
            set_value(row, str(int(row["value"]) + 5))
        assert archive_findings([original, doc]) == [], doc["documents"][0]["source"]


def test_crossdoc_previous_month_column_meets_last_months_bulletin(
    real: dict[str, DocumentRows],
) -> None:
    """gen-0007's 上月受理量 column (real) restates February. Derived: a February bulletin
    (gen-0007 shifted to 2021-02) whose 本月受理量 is set to those restated figures, except
    石洞镇, which keeps its March figure."""
    march = real["gen-0007.pdf"]
    feb = variant(
        march,
        "february",
        period=("2021-02-01", "2021-02-28"),
        doc_number="涪政办通〔2021〕90号",
        published="2021-03-06",
    )
    restated = {r["row"]: r["value"] for r in metric_rows(march, header="上月受理量")}
    assert restated, "gen-0007 prints a 上月受理量 column"
    for row in metric_rows(feb, header="本月受理量"):
        if row["department_id"] != "涪城区/石洞镇":
            set_value(row, restated[row["row"]])
    (found,) = archive_findings([march, feb])
    assert (found["rule"], found["severity"]) == ("ARCH001", "warning")
    assert found["department_id"] == "涪城区/石洞镇"
    assert "2021-02" in found["message"] and "上月受理量" in found["explanation"]


# --- ARCH002 / ARCH003 -----------------------------------------------------------------


def scaled(doc: DocumentRows, factor: int) -> DocumentRows:
    """Every additive count multiplied by `factor` (the other figures untouched)."""
    additive = words().additive_metrics
    for row in doc["metrics"]:
        if row["metric"] in additive and row["value"].isdigit():
            set_value(row, str(int(row["value"]) * factor))
    return doc


def months_of_gen_0044(real: dict[str, DocumentRows]) -> list[DocumentRows]:
    """Derived: gen-0044's rows as the January, February and March bulletins."""
    return [
        variant(real["gen-0044.pdf"], f"m{m}", period=(f"2021-0{m}-01", end))
        for m, end in ((1, "2021-01-31"), (2, "2021-02-28"), (3, "2021-03-31"))
    ]


def test_crossdoc_quarter_that_is_not_the_sum_of_its_months(real: dict[str, DocumentRows]) -> None:
    months = months_of_gen_0044(real)
    quarter = scaled(variant(real["gen-0044.pdf"], "q1", period=("2021-01-01", "2021-03-31")), 3)
    assert archive_findings([*months, quarter]) == []  # every count is 3 x the month's
    (row,) = metric_rows(quarter, table="附件2", metric="received", department_id=YANGJIA)
    set_value(row, "727")  # modified: 3 x 242 + 1
    (found,) = archive_findings([*months, quarter])
    assert (found["rule"], found["severity"]) == ("ARCH002", "error")
    assert (found["reported"], found["expected"]) == ("727", "726")
    assert "2021-01, 2021-02, 2021-03" in found["message"]
    assert found["document_id"] == doc_id(quarter)
    assert evidence_docs(found) == [doc_id(quarter), *map(doc_id, months)]
    assert ": 1 of " in found["message"]
    other = metric_rows(quarter, table="附件2", metric="received")
    second = next(r for r in other if r["department_id"] != YANGJIA)
    set_value(second, str(int(second["value"]) + 1))  # modified: a second wrong total
    (both,) = archive_findings([*months, quarter])  # still one finding for the bulletin
    assert ": 2 of " in both["message"] and both["finding_id"] == found["finding_id"]
    assert len(evidence_docs(both)) == 8  # each total with its three months


def test_crossdoc_missing_month_means_no_sum(real: dict[str, DocumentRows]) -> None:
    jan, _feb, mar = months_of_gen_0044(real)
    quarter = scaled(variant(real["gen-0044.pdf"], "q1", period=("2021-01-01", "2021-03-31")), 2)
    assert by_rule(archive_findings([jan, mar, quarter]), "ARCH002") == []


def test_crossdoc_year_to_date_total_that_falls(real: dict[str, DocumentRows]) -> None:
    """Derived: gen-0044 as a January-February and a January-March cumulative bulletin."""
    two = variant(real["gen-0044.pdf"], "ytd2", period=("2021-01-01", "2021-02-28"))
    three = variant(real["gen-0044.pdf"], "ytd3", period=("2021-01-01", "2021-03-31"))
    assert archive_findings([two, three]) == []  # equal totals do not fall
    (row,) = metric_rows(three, table="附件2", metric="received", department_id=YANGJIA)
    set_value(row, "241")  # modified: one less than in January-February
    (found,) = archive_findings([two, three])
    assert (found["rule"], found["severity"]) == ("ARCH003", "error")
    assert (found["reported"], found["expected"]) == ("241", ">= 242")
    assert found["document_id"] == doc_id(three)


# --- ARCH004 ---------------------------------------------------------------------------


BOTTOM_OF_GEN_0007 = {"涪城区/杨家镇", "涪城区/市公安局涪城分局", "涪城区/关帝镇"}


def first_quarter(real: dict[str, DocumentRows]) -> list[DocumentRows]:
    """Derived: gen-0007 (March, real) repeated as the January and February bulletins."""
    march = real["gen-0007.pdf"]
    return [
        variant(march, "jan", period=("2021-01-01", "2021-01-31"), published="2021-02-05"),
        variant(march, "feb", period=("2021-02-01", "2021-02-28"), published="2021-03-05"),
        march,
    ]


def test_crossdoc_bottom_group_three_months_running(real: dict[str, DocumentRows]) -> None:
    docs = [*first_quarter(real), real["gen-0044.pdf"]]  # April (real) names other departments
    found = by_rule(archive_findings(docs), "ARCH004")
    assert {f["department_id"] for f in found} == BOTTOM_OF_GEN_0007
    for f in found:
        assert f["severity"] == "info"
        assert f["reported"] == "2021-01, 2021-02, 2021-03"
        assert f["document_id"] == doc_id(real["gen-0007.pdf"])
        assert "three consecutive notices" in f["explanation"]
        assert "排名后 3 位" in f["explanation"]  # the bulletin's own sentence


def test_crossdoc_bottom_group_run_broken_by_a_missing_month(real: dict[str, DocumentRows]) -> None:
    jan, _feb, mar = first_quarter(real)
    assert by_rule(archive_findings([jan, mar]), "ARCH004") == []


def test_crossdoc_bottom_group_from_the_table_when_the_text_names_none(
    real: dict[str, DocumentRows],
) -> None:
    """Modified: the rank-list claims removed, so the last 3 by 最终得分 (real) count."""
    docs = first_quarter(real)
    docs = [copy.deepcopy(d) for d in docs]
    for d in docs:
        d["claims"] = [c for c in d["claims"] if c["kind"] != "rank_list"]
    found = by_rule(archive_findings(docs), "ARCH004")
    scores = {r[1]: float(r[-1]) for r in truth("gen-0007")["tables"][0]["body_rows"]}
    lowest = sorted(scores, key=scores.get)[:3]  # type: ignore[arg-type]
    assert {f["department_id"] for f in found} == {f"涪城区/{n}" for n in lowest}
    assert all("by 最终得分" in f["explanation"] for f in found)


# --- the rule set ----------------------------------------------------------------------


def test_crossdoc_findings_do_not_depend_on_input_order(real: dict[str, DocumentRows]) -> None:
    docs = [*first_quarter(real), real["gen-0050.pdf"], real["gen-0044.pdf"]]
    forward = archive_findings(docs)
    assert forward == archive_findings(list(reversed(docs)))
    assert len({f["finding_id"] for f in forward}) == len(forward)
    assert archive_findings([*docs, docs[0]]) == forward  # a repeated document counts once


def test_crossdoc_rules_are_registered_and_documented() -> None:
    text = (ROOT / "docs" / "archive-report.md").read_text(encoding="utf-8")
    rules = archive_rules()
    assert [r.code for r in rules] == ["ARCH001", "ARCH002", "ARCH003", "ARCH004"]
    for r in rules:
        assert r.code in RULES and r.title
        assert f"### {r.code}" in text, r.code


@pytest.mark.slow
def test_crossdoc_whole_corpus_has_no_cross_document_errors() -> None:
    """Real, every generated bulletin: only gen-0007/gen-0050 share a district and month,
    and they disagree on scores only (warnings)."""
    docs = [
        document_rows(audit(normalize(read_document(p))), source=str(p)).to_json()
        for p in sorted(CORPUS.glob("gen-*.pdf"))
    ]
    found = archive_findings(docs)
    assert [f for f in found if f["severity"] == "error"] == []
    assert {f["rule"] for f in found} <= {"ARCH001"}
