"""Normalized -> Audit: every registered rule, rounding-aware, with coverage."""

from pipeline.validate import crossdoc as _crossdoc  # noqa: F401  (registers ARCH001-004)
from pipeline.validate import rules as _rules  # noqa: F401  (importing registers the rules)
from pipeline.validate.audit import audit

__all__ = ["audit"]
