"""Normalized -> Audit: every registered rule, rounding-aware, with coverage.

The archive rules (ARCH001-004) register when pipeline.validate.crossdoc is imported, which
only an archive build or its report does: an audit of one document does not pay for them.
"""

from pipeline.validate import rules as _rules  # noqa: F401  (importing registers the rules)
from pipeline.validate.audit import audit

__all__ = ["audit"]
