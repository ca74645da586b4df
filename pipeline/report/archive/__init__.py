"""The archive report: OUT/report/index.html over every document of a build
(docs/archive-report.md)."""

from pipeline.report.archive.page import write_archive_report

__all__ = ["write_archive_report"]
