"""Imported once by a fork server (the archive's pool, the commands' pool), before it forks any
worker.

Importing this module reads a tiny text bulletin through the whole pipeline, so that the
lazily built vocabularies, gazetteers, jieba's word table and its HMM are loaded in
the fork server and shared copy-on-write by every worker it forks (a worker recycled after
`max_tasks` documents then starts in milliseconds instead of seconds). Nothing here may
raise: the fork server would die with it.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

# A generic bulletin sentence set: a count, a rate and a ranked list of departments.
SAMPLE = (
    "关于1月份热线办理情况的通报\n"
    "一、总体情况\n"
    "1月份共受理群众诉求100件，办结98件，办结率98%。\n"
    "排名靠后的单位：区水务局、区统计局和区教育局。\n"
)


def warm_up() -> None:
    """Run the sample through read, normalize and audit; load the PDF libraries."""
    try:
        import pdfplumber  # noqa: F401
        import pypdfium2  # type: ignore[import-untyped]  # noqa: F401

        from pipeline.extract import read_document
        from pipeline.normalize import normalize
        from pipeline.validate import audit

        with tempfile.TemporaryDirectory(prefix="bulletins-warm-") as tmp:
            sample = Path(tmp) / "sample.txt"
            sample.write_text(SAMPLE, encoding="utf-8")
            audit(normalize(read_document(sample)))
    except Exception:  # a cold worker is slower, not wrong
        log.warning("warm-up failed; workers will load the pipeline themselves", exc_info=True)


warm_up()
