"""The `bulletins` command line: parses argv and hands over to one module of pipeline/commands.

Exit codes: 0 no error-level finding, 1 at least one error-level finding,
2 an input could not be read (one line on stderr per file; the rest go on),
141 stdout was closed early (`bulletins ... | head`): the process ends quietly, as a
command killed by SIGPIPE does.

Building the parser imports no reader, report or library beyond the standard one: each
command imports the pipeline when it runs, so `--help` answers at once (tests/test_startup.py).
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
from collections.abc import Sequence

from pipeline import __version__
from pipeline.commands import audit, build, extract, gazetteer
from pipeline.commands.common import EXIT_UNREADABLE, missing_extra
from pipeline.commands.parsers import HelpFormatter, add_verbosity, docs_line

COMMANDS = (extract, audit, build, gazetteer)
EXIT_BROKEN_PIPE = 128 + 13  # SIGPIPE
LOG_LEVELS = {-1: logging.ERROR, 0: logging.WARNING, 1: logging.INFO}
# A command imports and builds far more objects than it frees before it ends: the collector's
# default (a pass every 700 allocations) costs a one-file audit about 6% of its CPU time.
GC_THRESHOLDS = (10_000, 10, 10)
EXAMPLES = """examples:
  bulletins audit bulletin.pdf
  bulletins audit --format json corpus/seed/*.pdf | head -1
  bulletins extract bulletin.pdf -o bulletin.json
  bulletins build archive/ -o out/
  bulletins SUBCOMMAND --help"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bulletins",
        description="Read Chinese government hotline bulletins and audit the numbers they print.",
        epilog=f"{EXAMPLES}\n\n{docs_line('audit.md', 'archive.md')}",
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"bulletins {__version__}")
    add_verbosity(parser, top=True)
    parser.add_argument(
        "--strict", action="store_true", help="re-raise unexpected errors (for debugging)"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    gc.set_threshold(*GC_THRESHOLDS)
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=LOG_LEVELS[args.verbosity],
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if missing_extra(args):
        return EXIT_UNREADABLE
    try:
        code: int = args.run(args)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`| head`): nothing more to say, and Python's own flush at
        # exit must not complain either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    return code


if __name__ == "__main__":
    sys.exit(main())
