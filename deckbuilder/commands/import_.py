"""``deckbuilder import NOTES.md [NOTES2.md ...] DIR``: Markdown prep notes into a workspace.

The module is ``import_`` because ``import`` is a Python keyword; cli.py maps the name.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..options import PrintOptions


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
    p.add_argument("--dry-run", action="store_true", help="print the report and write nothing")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..errors import print_problems
    from ..importer import import_notes
    from ..importer.report import LOW_SHARE

    settings_problems, options, measured_as = workspace_settings(args.dir)
    result = import_notes(list(args.notes), args.dir, force=args.force, dry_run=args.dry_run, options=options)
    for report in result.reports:
        print(report.format())
        print()
    totals: dict[str, int] = {}
    for report in result.reports:
        for kind, n in report.counts.items():
            totals[kind] = totals.get(kind, 0) + n
    repaired = sum(len(r.repairs.lines) for r in result.reports)
    unrecognised = sum(len(r.unrecognised) for r in result.reports)
    verb = "would import" if args.dry_run else "imported"
    print(f"{verb} {len(result.reports)} notes file(s) into {args.dir}: "
          + (", ".join(f"{n} {kind}" for kind, n in totals.items() if n) or "nothing recognised")
          + f"; {repaired} line(s) repaired; {unrecognised} unrecognised block(s) kept as notes")
    covs = [r.coverage for r in result.reports if r.coverage]
    lines = sum(c.lines for c in covs)
    if lines:
        notes, comments = sum(c.notes for c in covs), sum(c.comments for c in covs)
        items = lines - notes - comments
        print(f"lines: {items} of {lines} ({items / lines:.0%}) recognised; {notes} kept as notes of the nearest "
              f"item, {comments} only as comments (which print nowhere)")
    for notice in result.notices:
        print(f"note: {notice}")
    if args.dry_run:
        print("dry run: nothing written; without --dry-run this writes "
              + ", ".join(str(path) for path in result.planned))
    empty = sum(r.printable for r in result.reports) == 0
    check = result.check
    if check is not None and check.errors:
        print_problems(check.errors)
        print(f"check: the workspace already had {len(check.errors)} problem(s) before this import")
        return 0
    if settings_problems:  # check and build stop at deckbuilder.toml first: no "OK" while they would
        print_problems(settings_problems)
        print(f"check: the notes pass, but deckbuilder.toml has {len(settings_problems)} problem(s): "
              f"'deckbuilder check {args.dir}' and 'build' stop there until it is fixed")
        return 0
    if empty:
        print("check: passes, but nothing in the notes was recognised as a story, question, phase or question "
              "to ask: the PDFs will hold nothing from them (see the warnings above)")
        return 0
    low = [r.source for r in result.reports if r.coverage and r.coverage.lines and r.coverage.recognised < LOW_SHARE]
    if low:
        print(f"check: passes, but less than half of {', '.join(low)} was recognised (see the warnings above)")
    else:
        print(f"check: OK ('deckbuilder check {args.dir}' lists warnings and coverage)")
    print_build_outlook(result, args.dir, measured_as)
    return 0


def workspace_settings(root: Path) -> tuple[list, PrintOptions, str]:
    """The print settings the workspace's build will use (its deckbuilder.toml, else the
    defaults), so that the import measures the outputs as that build will; and the file's
    mistakes, which check and build stop at."""
    from ..config import resolve
    from ..errors import UserError
    from ..options import DEFAULTS
    from .build import options_from

    if not root.is_dir():
        return [], DEFAULTS, "letter paper, 3x5 cards"
    try:
        settings = resolve({}, root.resolve())
        options = options_from(argparse.Namespace(only=[], select=[], dir=str(root)), settings)
    except UserError as exc:
        return list(exc.problems), DEFAULTS, "letter paper, 3x5 cards"
    return [], options, f"{settings.values['paper']} paper, {settings.values['card']} cards"


def args_dry(result) -> bool:
    """Nothing was written (a dry run), so there is nothing to build yet."""
    return not result.written and bool(result.planned)


def print_build_outlook(result, root: Path, measured_as: str) -> None:
    """What ``deckbuilder build`` will do with the workspace as it is now: build everything,
    or stop (writing nothing) at the outputs named, and what to run meanwhile."""
    from ..importer.outputs import buildable

    if args_dry(result):
        print(f"next: deckbuilder import without --dry-run, then deckbuilder build {root}")
        return
    if not result.stops:
        if result.measured:
            print(f"build: OK (cards, sheet and matrix measured as 'deckbuilder build' does: {measured_as})")
        print(f"next: deckbuilder build {root}")
        return
    names = " and the ".join(dict.fromkeys(stop.output for stop in result.stops))
    print(f"build: will stop at the {names} and write nothing:")
    for stop in result.stops:
        print(f"  {stop.problem}")
        print(f"    to fix: {stop.fix}")
        for line in stop.details:
            print(f"      {line}")
    rest = buildable(result.stops)
    if rest:
        waiting = [name for name in ("packet",) if name not in rest]
        why = (f" (the {', '.join(waiting)} holds the cards, the sheet and the matrix, so it waits for them)"
               if waiting else "")
        print(f"next: deckbuilder build {root} --only {','.join(rest)}   builds the rest now{why}")
    else:
        print(f"next: fix the above, then deckbuilder build {root}")
