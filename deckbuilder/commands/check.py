"""``deckbuilder check``: validate content/, show the principle coverage, report every problem.

Errors (the files are wrong) fail the check with status 2 and nothing else is shown.
When the files are right, the coverage grid is printed as text, with the deep-dive
timing, and what needs attention is reported as warnings (``file:line: warning: ...``),
which fail the check only with ``--strict``.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from typing import TextIO

from ..content.coverage import Coverage, Kind, Mark


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="check content/ for mistakes and gaps without building",
                       description="Read every file in content/ and report all problems at once as "
                                   "file:line: message; then show which story covers which principle and "
                                   "what needs attention. Warnings do not fail the check unless --strict.")
    p.add_argument("dir", nargs="?", default=".", help="workspace folder (default: the current folder)")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors (exit status 2)")
    p.set_defaults(run=run)


@dataclass(frozen=True)
class Symbols:
    """The characters of the text table; ASCII stand-ins when the terminal cannot print the real ones."""

    primary: str = "●"
    secondary: str = "○"
    empty: str = "·"
    none: str = "✗"
    single: str = "!"
    over: str = "▲"
    rule: str = "│"


ASCII = Symbols("*", "o", ".", "x", "!", "^", "|")


def symbols_for(stream: TextIO) -> Symbols:
    """Unicode symbols if ``stream`` can encode them (a UTF-8 terminal or file), else ASCII."""
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        "".join(Symbols().__dict__.values()).encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return ASCII
    return Symbols()


ROW_FLAGS = {Kind.UNCOVERED: "none", Kind.SINGLE: "single"}
COLUMN_FLAGS = {Kind.UNMAPPED: "none", Kind.OVERUSED: "over"}


def coverage_table(cov: Coverage, sym: Symbols = Symbols()) -> list[str]:
    """The grid as text lines: principles (short names) down, story labels across.

    Story labels are staggered one per line above their column, with a rule down to it,
    so every label is printed whole however many stories there are.
    """
    title = f"Coverage: {len(cov.rows)} principles x {len(cov.columns)} stories"
    if not cov.columns:
        return [title + " (no stories yet)"]
    row_totals, column_totals = cov.row_totals, cov.column_totals
    footer = "principles per story"
    name_w = max([len(footer)] + [len(r.short) for r in cov.rows])
    cell_w = max(2, len(str(max(column_totals))) + 1)
    left = name_w + 2
    grid_w = cell_w * len(cov.columns)

    def cell_line(values: list[str]) -> str:
        return "".join(v.ljust(cell_w) for v in values)

    lines = [title]
    for k, column in enumerate(cov.columns):
        lines.append(" " * left + cell_line([sym.rule] * k) + column.label)
    lines.append(" " * left + cell_line([sym.rule] * len(cov.columns)).ljust(grid_w) + " stories   bank Qs")
    for r, row in enumerate(cov.rows):
        marks = []
        for c in range(len(cov.columns)):
            mark = cov.mark(r, c)
            marks.append(sym.empty if mark is None else sym.primary if mark is Mark.PRIMARY else sym.secondary)
        flag = next((getattr(sym, ROW_FLAGS[f.kind]) for f in cov.row_findings(r)), " ")
        lines.append(f"{row.short.ljust(name_w)}  {cell_line(marks)} {row_totals[r]:>7} {flag} "
                     f"{cov.bank_questions[r]:>7}".rstrip())
    lines.append(footer.ljust(left) + cell_line([str(t) for t in column_totals]).rstrip())
    flags = [next((getattr(sym, COLUMN_FLAGS[f.kind]) for f in cov.column_findings(c)), " ")
             for c in range(len(cov.columns))]
    if any(f.strip() for f in flags):
        lines.append(" " * left + cell_line(flags).rstrip())
    lines.append(f"{sym.primary} primary  {sym.secondary} secondary  {sym.none} no story / no principle  "
                 f"{sym.single} only one story  {sym.over} story on more than 4 principles")
    return lines


def deep_dive_lines(cov: Coverage) -> list[str]:
    """Each deep-dive's planned minutes against its slot, one line each."""
    lines = []
    for dive in cov.deep_dives:
        untimed = dive.phases - dive.timed_phases
        note = f"; {untimed} phase(s) without minutes" if untimed else ""
        if dive.slot is None:
            verdict = "no slot set (interview.deep_dive_minutes or the project's minutes:)"
        elif dive.over:
            verdict = f"OVER the {dive.slot}-min slot by {dive.over:g} min"
        else:
            verdict = f"fits the {dive.slot}-min slot"
        lines.append(f"deep-dive '{dive.id}': {dive.planned()} min planned (counting {dive.high:g}), {verdict}{note}")
    return lines


def run(args: argparse.Namespace) -> int:
    from ..build import load
    from ..cli import EXIT_USER, print_problems
    from ..content.coverage import coverage
    from ..workspace import Workspace

    workspace = Workspace.at(args.dir)
    content, report = load(workspace)  # raises UserError (status 2) on any error
    cov = coverage(content)
    report.problems.extend(cov.problems())
    for line in coverage_table(cov, symbols_for(sys.stdout)) + deep_dive_lines(cov):
        print(line)
    print_problems(report.warnings)
    phases = sum(len(p.phases) for p in content.projects)
    questions = sum(len(e.questions) for e in content.question_bank)
    print(f"content OK: {len(content.projects)} project(s) with {phases} phase(s), {len(content.stories)} "
          f"stories, {questions} bank question(s), {len(report.warnings)} warning(s)")
    if args.strict and report.warnings:
        print(f"--strict: {len(report.warnings)} warning(s) count as errors")
        return EXIT_USER
    return 0
