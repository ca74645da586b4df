"""How every subcommand's parser looks: examples and the docs in `--help`, `-v`/`-q` anywhere.

Conventions of csvkit, sqlite-utils and clig.dev: `-o/--output` is where a command writes
what it would otherwise print; `-v`/`-q` work before and after the subcommand; `-` is stdin.
"""

from __future__ import annotations

import argparse
import copy
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pipeline.extras import DISTRIBUTION

# Old spellings that still work but are no longer shown (build's --out is now -o/--output).
HIDDEN_ALIASES = frozenset({"--out"})


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the epilog's examples as written and leaves hidden aliases out of the help."""

    def _format_action_invocation(self, action: argparse.Action) -> str:
        shown = [s for s in action.option_strings if s not in HIDDEN_ALIASES]
        if shown != action.option_strings:
            action = copy.copy(action)
            action.option_strings = shown
        return super()._format_action_invocation(action)


def docs_folder() -> Path | None:
    """Where the docs are: the checkout's docs/, else the installed share/doc/<distribution>/."""
    here = Path(__file__).resolve().parents[2] / "docs"
    installed = Path(sys.prefix) / "share" / "doc" / DISTRIBUTION
    return next((p for p in (here, installed) if (p / "audit.md").is_file()), None)


def docs_line(*pages: str) -> str:
    """ "docs: /path/docs/audit.md, ..." naming the pages where they are on this machine."""
    folder = docs_folder()
    if folder is None:
        return f"docs: {', '.join(pages)} (in the {DISTRIBUTION} source distribution)"
    return "docs: " + ", ".join(str(folder / page) for page in pages)


def add_verbosity(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    """-v/--verbose and -q/--quiet; after the subcommand they leave the top level's choice alone."""
    default: Any = 0 if top else argparse.SUPPRESS
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "-v",
        "--verbose",
        dest="verbosity",
        action="store_const",
        const=1,
        default=default,
        help="log progress to stderr",
    )
    group.add_argument(
        "-q",
        "--quiet",
        dest="verbosity",
        action="store_const",
        const=-1,
        default=default,
        help="only errors on stderr (no progress, no summary)",
    )


def command_parser(
    sub: Any,
    name: str,
    *,
    help: str,
    examples: Iterable[str],
    docs: Sequence[str],
    description: str | None = None,
) -> argparse.ArgumentParser:
    """A subcommand's parser whose --help ends with examples and where the docs are."""
    shown = "\n".join(f"  {line}" for line in examples)
    parser: argparse.ArgumentParser = sub.add_parser(
        name,
        help=help,
        description=description or help[0].upper() + help[1:] + ".",
        epilog=f"examples:\n{shown}\n\n{docs_line(*docs)}",
        formatter_class=HelpFormatter,
    )
    add_verbosity(parser)
    return parser
