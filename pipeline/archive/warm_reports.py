"""Imported once by the archive's fork server (pool.py names it), before it forks a worker.

Importing this module writes the HTML report of pipeline.warm's sample bulletin, so that the
report's modules, fontTools and the character map of the CJK font it embeds (read once per
process, 0.1 to 0.4 s) are loaded in the fork server and shared by every worker, instead of
loaded again by each worker on its first document: that cost a fresh worker's first
document about 0.37 s of CPU, paid again each time a worker is recycled. Only the archive's
pool loads this: a `bulletins audit` of several files prints no HTML unless asked. Nothing
here may raise: the fork server would die with it.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from pipeline.warm import SAMPLE

log = logging.getLogger(__name__)


def warm_reports() -> None:
    """Audit the sample and render its HTML report (the page is thrown away)."""
    try:
        import pipeline
        from pipeline.report.html import audit_html

        with tempfile.TemporaryDirectory(prefix="bulletins-warm-") as tmp:
            sample = Path(tmp) / "sample.txt"
            sample.write_text(SAMPLE, encoding="utf-8")
            audit_html(pipeline.audit(pipeline.open(sample)))
    except Exception:  # a cold worker is slower, not wrong
        log.warning("report warm-up failed; workers will load the report themselves", exc_info=True)


warm_reports()
