"""``deckbuilder import NOTES.md [NOTES2.md ...] DIR``: Markdown prep notes into a workspace.

The module is ``import_`` because ``import`` is a Python keyword; cli.py maps the name.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import", help="turn Markdown prep notes into a workspace",
        description="Read Markdown prep notes (deep-dive phases with trigger lines, STAR / SPSIL / CARL stories "
                    "tagged with principles, principle sections with sample questions, questions for the "
                    "interviewers, reminders), repair mojibake, and write content/imported-<notes>.yaml into DIR "
                    "(created if needed) so that 'deckbuilder check' and 'build' work at once. Ends with a report "
                    "of what became what. Never overwrites a file unless --force.")
    p.add_argument("notes", nargs="+", type=Path, metavar="NOTES", help="Markdown notes file(s) to import")
    p.add_argument("dir", type=Path, metavar="DIR", help="workspace folder to create or add to")
    p.add_argument("--force", action="store_true", help="replace imported files that already exist")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..cli import print_problems
    from ..importer import import_notes

    result = import_notes(list(args.notes), args.dir, force=args.force)
    for report in result.reports:
        print(report.format())
        print()
    totals: dict[str, int] = {}
    for report in result.reports:
        for kind, n in report.counts.items():
            totals[kind] = totals.get(kind, 0) + n
    repaired = sum(len(r.repairs.lines) for r in result.reports)
    unrecognised = sum(len(r.unrecognised) for r in result.reports)
    print(f"imported {len(result.reports)} notes file(s) into {args.dir}: "
          + ", ".join(f"{n} {kind}" for kind, n in totals.items() if n)
          + f"; {repaired} line(s) repaired; {unrecognised} unrecognised block(s) kept as notes")
    for notice in result.notices:
        print(f"note: {notice}")
    check = result.check
    if check is not None and check.errors:
        print_problems(check.errors)
        print(f"check: the workspace already had {len(check.errors)} problem(s) before this import")
    else:
        print(f"check: OK ('deckbuilder check {args.dir}' lists warnings and coverage)")
        print(f"next: deckbuilder build {args.dir}")
    return 0
