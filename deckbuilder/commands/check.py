"""``deckbuilder check``: validate content/, show the principle coverage, report every problem.

Errors (the files are wrong) fail the check with status 2 and nothing else is shown.
When the files are right, the coverage grid is printed as text, with the deep-dive
timing, and what needs attention is reported as warnings (``file:line: warning: ...``),
which fail the check only with ``--strict``.
"""

from __future__ import annotations

import argparse
import os
import shutil
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
    ellipsis: str = "…"


ASCII = Symbols("*", "o", ".", "x", "!", "^", "|", "~")


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


NAME_LIMIT = 30  # a custom value's long name is cut here, so the grid keeps its place on screen
TOTALS_HEADING = " stories   bank Qs"


def coverage_table(cov: Coverage, sym: Symbols = Symbols(), width: int | None = None) -> list[str]:
    """The grid as text lines: principles (short names) down, story labels across.

    Story labels are staggered one per line above their column, with a rule down to it,
    so every label is printed whole however many stories there are. With a ``width``
    (the terminal's), the stories are dealt into blocks that each fit it, one under the
    other, rather than letting the terminal wrap every row into noise; the row totals
    come with the last block.
    """
    title = f"Coverage: {len(cov.rows)} principles x {len(cov.columns)} stories"
    if not cov.columns:
        return [title + " (no stories yet)"]
    footer = "principles per story"
    names = [_cut(r.short, NAME_LIMIT, sym) for r in cov.rows]
    name_w = max([len(footer)] + [len(n) for n in names])
    cell_w = max(2, len(str(max(cov.column_totals))) + 1)
    left = name_w + 2
    labels = [c.label for c in cov.columns]
    lines = [title]
    blocks = column_blocks(labels, cell_w, left, width)
    for number, block in enumerate(blocks):
        if number:
            lines.append("")
        lines += _block_lines(cov, sym, names, block, cell_w, left, last=number == len(blocks) - 1)
    lines.append(f"{sym.primary} primary  {sym.secondary} secondary  {sym.none} no story / no principle")
    lines.append(f"{sym.single} only one story  {sym.over} story on more than 4 principles")
    return lines


def column_blocks(labels: list[str], cell_w: int, left: int, width: int | None) -> list[range]:
    """Consecutive runs of columns whose staggered labels and rows fit ``width`` characters
    (every column in one run when there is no width, or when even one column is too wide)."""
    if width is None:
        return [range(len(labels))]

    def fits(start: int, end: int) -> bool:
        header = max(cell_w * k + len(labels[start + k]) for k in range(end - start))
        return left + max(header, cell_w * (end - start) + len(TOTALS_HEADING)) <= width

    blocks, start = [], 0
    while start < len(labels):
        end = start + 1
        while end < len(labels) and fits(start, end + 1):
            end += 1
        blocks.append(range(start, end))
        start = end
    return blocks


def _block_lines(cov: Coverage, sym: Symbols, names: list[str], block: range, cell_w: int, left: int,
                 last: bool) -> list[str]:
    def cell_line(values: list[str]) -> str:
        return "".join(v.ljust(cell_w) for v in values)

    lines = [" " * left + cell_line([sym.rule] * k) + cov.columns[c].label for k, c in enumerate(block)]
    rules = cell_line([sym.rule] * len(block)).ljust(cell_w * len(block))
    lines.append(" " * left + (rules + TOTALS_HEADING if last else rules.rstrip()))
    for r in range(len(cov.rows)):
        marks = []
        for c in block:
            mark = cov.mark(r, c)
            marks.append(sym.empty if mark is None else sym.primary if mark is Mark.PRIMARY else sym.secondary)
        row = f"{names[r].ljust(left - 2)}  {cell_line(marks)}"
        if last:
            flag = next((getattr(sym, ROW_FLAGS[f.kind]) for f in cov.row_findings(r)), " ")
            row += f" {cov.row_totals[r]:>7} {flag} {cov.bank_questions[r]:>7}"
        lines.append(row.rstrip())
    totals = cov.column_totals  # a property counting every cell: once, not once per story
    lines.append("principles per story".ljust(left) + cell_line([str(totals[c]) for c in block]).rstrip())
    flags = [next((getattr(sym, COLUMN_FLAGS[f.kind]) for f in cov.column_findings(c)), " ") for c in block]
    if any(f.strip() for f in flags):
        lines.append(" " * left + cell_line(flags).rstrip())
    return lines


def _cut(text: str, limit: int, sym: Symbols) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + sym.ellipsis


def terminal_width(stream: TextIO) -> int | None:
    """Columns to fit: $COLUMNS if set, else the terminal's; None (no limit) for a file or pipe."""
    if os.environ.get("COLUMNS", "").isdigit():
        return int(os.environ["COLUMNS"])
    if stream.isatty():
        return shutil.get_terminal_size().columns
    return None


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
    from ..coach.report import coach_report
    from ..content.coverage import coverage
    from ..content.headline import headline_problems
    from ..content.verify import verify_problems
    from ..errors import UserError
    from ..practice.feedback import stale_warnings
    from ..render.templates import Templates
    from ..workspace import Workspace

    workspace = Workspace.at(args.dir)
    content, report = load(workspace)  # raises UserError (status 2) on any error
    templates = Templates(workspace.templates_dir, report)  # adds the templates' warnings to the report
    if problems := templates.compile_problems():
        raise UserError(problems)
    cov = coverage(content)
    report.problems.extend(cov.problems())
    report.problems.extend(verify_problems(content) + headline_problems(content))
    report.problems.extend(stale_warnings(content))  # stories not rehearsed lately (once drill has a log)
    coach_lines = coach_report(workspace, content, report, terminal_width(sys.stdout))  # warnings, loop plan
    for line in coverage_table(cov, symbols_for(sys.stdout), terminal_width(sys.stdout)) + deep_dive_lines(cov):
        print(line)
    for line in coach_lines:
        print(line)
    print_problems(report.warnings)
    phases = sum(len(p.phases) for p in content.projects)
    questions = sum(len(e.questions) for e in content.question_bank)
    print(f"content OK: {phases} phase(s) in {len(content.projects)} project(s), {len(content.stories)} "
          f"stories, {questions} bank Qs, {len(report.warnings)} warning(s)")
    if args.strict and report.warnings:
        print(f"--strict: {len(report.warnings)} warning(s) count as errors")
        return EXIT_USER
    return 0
