"""Archives: many bulletins in; one dataset, one manifest and one archive-wide report out.

inputs -> pool (a worker per document) -> results/<sha256>.json -> dataset, cross-document
checks and report.
"""
