"""``deckbuilder check``: validate content/, show the principle coverage, report every problem.

Errors (the files are wrong) fail the check with status 2 and nothing else is shown.
The check plans every output as ``build`` would (``outputs.base``), without drawing, so a
card face too long for its card, a sheet over one page or a matrix too wide for the paper
fails the check just as it would stop the build; the print options are build's. When the
files are right, the coverage grid is printed as text, with the deep-dive
timing, and what needs attention is reported as warnings (``file:line: warning: ...``),
which fail the check only with ``--strict``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ..content.kinds import Kind, Mark
from ..errors import Problem
from .build import add_build_options, options_from

if TYPE_CHECKING:
    from ..content.coverage import Coverage


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="check content/ for mistakes and gaps without building",
                       description="Read every file in content/, lay out every output as build would "
                                   "(without drawing), and report all problems at once as file:line: message; "
                                   "then show which story covers which principle and what needs attention. "
                                   "Warnings do not fail the check unless --strict.")
    add_build_options(p, verb="check")
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


# Past this many stories (or blocks of them on a narrow terminal) no grid can be read on a
# screen: check prints one line per principle instead, and output/matrix.pdf has the grid.
MAX_GRID_COLUMNS = 200
MAX_GRID_BLOCKS = 6
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
    blocks = column_blocks(labels, cell_w, left, width) if len(labels) <= MAX_GRID_COLUMNS else []
    if not blocks or len(blocks) > MAX_GRID_BLOCKS:
        return lines + coverage_summary(cov, sym, names, left)
    for number, block in enumerate(blocks):
        if number:
            lines.append("")
        lines += _block_lines(cov, sym, names, block, cell_w, left, last=number == len(blocks) - 1)
    lines.append(f"{sym.primary} primary  {sym.secondary} secondary  {sym.none} no story / no principle")
    lines.append(f"{sym.single} only one story  {sym.over} story on more than 4 principles")
    return lines


def coverage_summary(cov: Coverage, sym: Symbols, names: list[str], left: int) -> list[str]:
    """The grid's totals without the grid: stories per principle, flags and bank questions,
    and the stories that need attention counted (each is listed among the warnings)."""
    lines = ["(too many stories for a grid here: one line per principle; output/matrix.pdf has the grid)",
             " " * left + TOTALS_HEADING.lstrip().rjust(len(TOTALS_HEADING) - 1)]
    for r in range(len(cov.rows)):
        flag = next((getattr(sym, ROW_FLAGS[f.kind]) for f in cov.row_findings(r)), " ")
        lines.append(f"{names[r].ljust(left - 2)}  {cov.row_totals[r]:>7} {flag} {cov.bank_questions[r]:>7}")
    over = sum(1 for total in cov.column_totals if total > 4)
    unmapped = sum(1 for total in cov.column_totals if total == 0)
    lines.append(f"stories on more than 4 principles: {over}; stories on none: {unmapped}")
    lines.append(f"{sym.single} only one story")
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


def print_settings_problems(root: Path) -> list[Problem]:
    """The mistakes ``build`` would stop at in deckbuilder.toml (a bad value, an unknown key, a
    printer profile that does not exist), so that a clean check means the build will start."""
    from ..config import resolve
    from ..errors import UserError

    try:
        resolve({}, root)
    except UserError as exc:
        return list(exc.problems)
    return []


def run(args: argparse.Namespace) -> int:
    from ..build import Planned, collector_paused, load, plan_outputs, plan_problems, selected_outputs
    from ..coach.report import loop_lines
    from ..errors import EXIT_USER, UserError, print_problems
    from ..outputs.base import shared_plans
    from ..render.templates import Templates
    from ..workspace import Workspace

    workspace = Workspace.at(args.dir)
    settings_problems = print_settings_problems(workspace.root)
    try:
        content, report = load(workspace)  # raises UserError (status 2) on any error
    except UserError as exc:  # every mistake at once: the file's and the content's
        raise UserError(settings_problems + list(exc.problems)) from None
    if settings_problems:
        raise UserError(settings_problems)
    options = options_from(args)
    names = selected_outputs(options.only)
    templates = Templates(workspace.templates_dir, report)  # adds the templates' warnings to the report
    if problems := templates.compile_problems():
        raise UserError(problems)
    with shared_plans(), collector_paused():  # every output planned as build plans it, nothing drawn
        plans = plan_outputs(content, templates, options, names)  # in one process: see build.build_plans
    if problems := plan_problems(plans):
        raise UserError(problems)
    planned = Planned(content, templates, report, plans, workspace.root)
    planned.add_warnings()
    cov = planned.coverage_analysis()
    coach_lines = loop_lines(content, terminal_width(sys.stdout))  # the loop plan, when there is a loop
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
