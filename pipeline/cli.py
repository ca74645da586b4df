"""The `bulletins` command line: parses argv and hands over to one module of pipeline/commands.

Exit codes: 0 no error-level finding, 1 at least one error-level finding,
2 an input could not be read (one line on stderr per file; the rest go on).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from pipeline import __version__
from pipeline.commands import audit, build, extract, gazetteer
from pipeline.commands.common import EXIT_UNREADABLE, missing_extra

COMMANDS = (extract, audit, build, gazetteer)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bulletins",
        description="Read Chinese government hotline bulletins and audit the numbers they print.",
    )
    parser.add_argument("--version", action="version", version=f"bulletins {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    parser.add_argument(
        "--strict", action="store_true", help="re-raise unexpected errors (for debugging)"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if missing_extra(args):
        return EXIT_UNREADABLE
    code: int = args.run(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
