"""Archives: many bulletins in, one dataset, one manifest and one archive-wide report out.

inputs -> pool (worker per document) -> results/<sha256>.json -> dataset + cross-document checks + report.
"""
