"""`bulletins gazetteer build DIR...`: a gazetteer of each district from an archive's names.

Reads every bulletin under the folders, collects the department names each prints,
clusters them per district (pipeline/normalize/gazetteer_build.py) and writes gazetteer
JSON that `normalize` reads (docs/gazetteer.md). Progress, one line per unreadable
file and a summary go to stderr; the JSON goes to stdout unless `-o` names a file or,
for several districts, a folder.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.commands.common import (
    EXIT_OK,
    EXIT_UNREADABLE,
    add_backend,
    add_limits,
    given_limits,
    overwrite_problem,
)
from pipeline.commands.parsers import command_parser
from pipeline.errors import BulletinError

if TYPE_CHECKING:  # normalization loads when the command runs, not for --help
    from pipeline.normalize.gazetteer_build import BuiltGazetteer, DocumentNames

EXAMPLES = (
    "bulletins gazetteer build archive/district/ -o district.json",
    "bulletins gazetteer build archive/ --district 城关区 > district.json",
    "bulletins gazetteer build archive/ -o gazetteers/   # one file per district",
    "bulletins audit bulletin.pdf --gazetteer district.json",
)


def add_parser(sub: Any) -> None:
    gaz = command_parser(
        sub,
        "gazetteer",
        help="build department gazetteers from an archive",
        examples=EXAMPLES,
        docs=["gazetteer.md"],
    )
    actions = gaz.add_subparsers(dest="gazetteer_command", required=True)
    build = command_parser(
        actions,
        "build",
        help="cluster every department name an archive prints, per district",
        description="Cluster every department name the bulletins under the folders print, per "
        "district, into gazetteer JSON for --gazetteer. Exit status 2 when a file could not be "
        "read or nothing was written.",
        examples=EXAMPLES[:3],
        docs=["gazetteer.md"],
    )
    build.add_argument("dirs", type=Path, nargs="+", metavar="DIR", help="folders of bulletins")
    build.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="PATH",
        help="write the gazetteer to this file (default stdout); an existing folder takes one "
        "file per district",
    )
    build.add_argument(
        "--district",
        metavar="NAME",
        help='only this district ("X区", or "Y市X区" to name the city too)',
    )
    add_backend(build)
    add_limits(build)
    build.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from pipeline.normalize.gazetteer_build import build_gazetteers, bulletin_files, summary_line

    try:
        files, skipped = bulletin_files(args.dirs)
    except BulletinError as exc:
        _err(f"bulletins: {exc}")
        return EXIT_UNREADABLE
    quiet = args.verbosity < 0
    docs, failed = _read_all(files, args, quiet)
    if skipped and not quiet:
        _err(f"skipped {skipped} other renderings of bulletins already read")
    nowhere = [d.path for d in docs if not d.district]
    if nowhere and not quiet:
        listed = ", ".join(nowhere[:3]) + (", ..." if len(nowhere) > 3 else "")
        _err(f"{len(nowhere)} bulletins name no district and were left out: {listed}")
    built = build_gazetteers(docs, district=args.district)
    if not built:
        wanted = f" for {args.district}" if args.district else ""
        _err(f"bulletins: no department names{wanted} in {len(docs)} bulletins read")
        return EXIT_UNREADABLE
    written = _write(built, args.output)
    if not quiet:
        for g in built:
            _err(summary_line(g))
        _err(f"read {len(docs)} of {len(files)} bulletins ({failed} unreadable); wrote {written}")
    return EXIT_UNREADABLE if failed or written == "nothing" else EXIT_OK


def _read_all(
    files: Sequence[Path], args: argparse.Namespace, quiet: bool
) -> tuple[list[DocumentNames], int]:
    """Each file's names, read in a child process under the limits (docs/limits.md)."""
    from pipeline.isolate import Isolated  # the worker pool, and with it the pipeline

    docs: list[DocumentNames] = []
    failed = 0
    with Isolated(names_in, given_limits(args), documents=len(files)) as isolated:
        for i, path in enumerate(files, 1):
            try:
                names = isolated.call(str(path), path, args.backend)
            except Exception as exc:  # one bad bulletin must not stop the build
                if args.strict:
                    raise
                failed += 1
                reason = str(exc) if isinstance(exc, BulletinError) else f"{path}: {exc!r}"
                _err(f"bulletins: {reason}")
                continue
            docs.append(names)
            if not quiet:
                where = names.district or "no district"
                _err(f"[{i}/{len(files)}] {path}: {len(names.printings)} names ({where})")
    return docs, failed


def names_in(path: Path, backend: str) -> DocumentNames:
    """In the worker: the department names one bulletin prints."""
    import pipeline
    from pipeline.normalize.gazetteer_build import document_names

    return document_names(pipeline.open(path, backend=backend))


GAZETTEER_MARK = b"built by `bulletins gazetteer build`"  # its "source" line


def _write(built: Sequence[BuiltGazetteer], output: Path | None) -> str:
    """Write the gazetteers; returns what was written, for the summary."""
    from pipeline.normalize.gazetteer_build import gazetteer_json

    if len(built) > 1 and not (output and output.is_dir()):
        districts = ", ".join(f"{g.district} ({g.documents})" for g in built)
        _err(
            f"bulletins: {len(built)} districts found: {districts}; "
            "pick one with --district, or give -o an existing folder"
        )
        return "nothing"
    written = []
    for g in built:
        try:
            text = json.dumps(gazetteer_json(g), ensure_ascii=False, indent=1) + "\n"
        except BulletinError as exc:
            _err(f"bulletins: {exc}")
            continue
        target = output / f"{g.city}{g.district}.json" if output and output.is_dir() else output
        if target is None:
            sys.stdout.write(text)
            written.append("stdout")
        else:
            problem = overwrite_problem(target, (), GAZETTEER_MARK)
            if problem:
                _err(f"bulletins: {problem}")
                continue
            try:
                target.write_text(text, encoding="utf-8")
            except OSError as exc:
                _err(f"bulletins: {target}: cannot write gazetteer ({exc.strerror or exc})")
                continue
            written.append(str(target))
    return ", ".join(written) or "nothing"


def _err(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
