"""The audit of the committed seed PDF reports what the issue lists, and nothing else as error."""

from __future__ import annotations

from pipeline.model import Audit, Finding, Severity


def by_rule(result: Audit, code: str) -> list[Finding]:
    return [f for f in result.findings if f.rule == code]


def test_audit_errors_are_exactly_the_known_ones(seed_audit: Audit) -> None:
    errors = sorted(f.rule for f in seed_audit.findings if f.severity is Severity.ERROR)
    assert errors == ["PERIOD001", "RATE001", "XREF001"]


def test_audit_mailbox_rate_explained_by_attachment_totals(seed_audit: Audit) -> None:
    (f,) = by_rule(seed_audit, "RATE001")
    assert (f.reported, f.expected) == ("98.11%", "98.21%")
    assert f.explanation is not None
    assert "52/53" in f.explanation and "附件2" in f.explanation
    assert {e.page for e in f.evidence} == {1, 6}
    assert all(e.bbox is not None for e in f.evidence)


def test_audit_text_totals_disagree_with_attachment_2(seed_audit: Audit) -> None:
    (f,) = by_rule(seed_audit, "XREF001")
    assert (f.reported, f.expected) == ("56 / 56 / 55", "53 / 53 / 52")
    assert f.table == "附件2"
    assert {e.page for e in f.evidence} == {1, 6}


def test_audit_attachment_note_names_wrong_year(seed_audit: Audit) -> None:
    (f,) = by_rule(seed_audit, "PERIOD001")
    assert f.reported is not None and f.reported.startswith("2022")
    assert f.expected is not None and f.expected.startswith("2023")
    assert {e.page for e in f.evidence} == {3, 6}


def test_audit_hot_topic_shares_over_hotline_completed(seed_audit: Audit) -> None:
    (f,) = by_rule(seed_audit, "SHARE002")
    assert f.severity is Severity.WARNING
    assert "1588" in f.message and "1645" in f.message
    assert f.reported == "36.71%, 22.67%, 13.41%"
    assert not by_rule(seed_audit, "SHARE001")


def test_audit_reports_reconciled_names(seed_audit: Audit) -> None:
    names = {(f.reported, f.expected) for f in by_rule(seed_audit, "NAME001")}
    assert ("区教育局体育局", "区教育体育局") in names
    assert ("区文化和旅游游局", "区文化和旅游局") in names
    assert ("金台区硃石镇", "硖石镇") in names
    assert ("硤石镇", "硖石镇") in names
    assert ("金台区陈仓镇", "陈仓镇") in names
    assert all(f.severity is Severity.INFO for f in by_rule(seed_audit, "NAME001"))


def test_audit_finding_ids_are_stable_and_unique(seed_audit: Audit) -> None:
    ids = [f.id for f in seed_audit.findings]
    assert len(ids) == len(set(ids))
    assert all(len(i) == 12 for i in ids)


def test_audit_coverage_counts_printed_numbers(seed_audit: Audit) -> None:
    cov = seed_audit.coverage
    assert cov.numbers > 500
    assert 0 < cov.checked <= cov.numbers
    assert len(cov.unchecked) == cov.numbers - cov.checked
