"""loop.pdf: the loop on one page, a column per interviewer, a story for every question.

Each column: the interviewer's name, slot length and role, then for each principle they
probe the story to tell (label and title), its first trigger words, and the backup in
smaller type. The assignment comes from ``coach.loop`` (no story is the main answer for
two interviewers); a slot that could only be filled by a repeat says so in red.

Two steps, kept apart so that the page can be planned without drawing it (the packet
plans every page first): ``fit_loop`` sets every line of text at the largest size at which
the longest column fits (pure text measuring, no canvas), and ``draw_loop`` draws what was
fitted. No loop (no interviewer lists ``principles:``) means no loop.pdf.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from ..coach.loop import LoopPlan, plan_loop
from ..content.model import Content
from ..errors import Problem, UserError
from ..layout.fit import largest_fitting
from ..layout.sizes import paper_size
from ..options import PrintOptions
from ..render import fonts
from ..render.pdf import Meta, new_canvas
from ..render.templates import Templates
from .base import BaseOutput, Plan

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

FILES = ("loop.pdf",)

MARGIN = 12 * mm
GAP = 6 * mm  # between columns
CEILING, FLOOR, STEP = 11.0, 6.5, 0.25  # body size range (pt)
TRIGGER_WORDS = 3  # the first few trigger words: a cue, not the card
BLACK, GREY, RED, RULE = HexColor("#000000"), HexColor("#555555"), HexColor("#b3261e"), HexColor("#9a9a9a")

REGULAR, BOLD, ITALIC = "regular", "bold", "italic"


@dataclass(frozen=True)
class Piece:
    """A run of text in one style."""

    text: str
    style: str = REGULAR


@dataclass(frozen=True)
class Para:
    """A paragraph of a column: pieces wrapped together, at ``scale`` times the body size."""

    pieces: tuple[Piece, ...]
    scale: float = 1.0
    colour: Color = BLACK
    space_before: float = 0.0  # in body sizes
    rule_before: bool = False


@dataclass(frozen=True)
class Run:
    """Text placed on the page."""

    x: float
    y: float
    text: str
    style: str
    size: float
    colour: Color


@dataclass(frozen=True)
class LoopPage:
    """Everything to draw, already placed: the fitted page."""

    size: tuple[float, float]
    body: float
    runs: tuple[Run, ...]
    rules: tuple[tuple[float, float, float, float], ...]
    title: str


def _face(font: str, style: str) -> str:
    if font != fonts.BODY:
        return font  # a symbol from a fallback font has one face
    return {REGULAR: fonts.BODY, BOLD: fonts.BODY_BOLD, ITALIC: fonts.BODY_ITALIC}[style]


def width_of(text: str, style: str, size: float) -> float:
    fonts.register_fonts()
    return sum(stringWidth(run, _face(font, style), size) for font, run in fonts.split_runs(text))


# ---------------------------------------------------------------- what each column says

def columns_for(plan: LoopPlan, short: dict[str, str]) -> list[list[Para]]:
    """Each interviewer's column as paragraphs (no sizes yet)."""
    names = plan.names()
    columns = []
    for person, indices in plan.by_interviewer():
        paras = [Para((Piece(person.name, BOLD),), 1.35)]
        meta = [f"{person.minutes} min" if person.minutes else "", person.role or ""]
        if any(meta):
            paras.append(Para((Piece(" · ".join(m for m in meta if m)),), 0.9, GREY))
        paras.append(Para((Piece(" · ".join(short.get(plan.slots[k].principle, plan.slots[k].principle)
                                            for k in indices)),), 0.8, GREY))
        for n, k in enumerate(indices):
            slot, story, backup = plan.slots[k], plan.main[k], plan.backup[k]
            paras.append(Para((Piece(short.get(slot.principle, slot.principle).upper(), BOLD),), 0.75, GREY,
                              space_before=0.5 if n else 0.4, rule_before=True))
            if story is None:
                paras.append(Para((Piece("No story: add one for this principle", BOLD),), 1.0, RED))
            else:
                paras.append(Para((Piece(story.label, BOLD), Piece("· " + story.title))))
                if k in plan.repeats:
                    other = plan.repeats[k].other
                    paras.append(Para((Piece(f"Repeat: also {names[other.interviewer]}'s answer", BOLD),), 0.8, RED))
                if story.triggers:
                    cue = " · ".join(story.triggers[:TRIGGER_WORDS]) + ("\u00a0…" if len(story.triggers) > TRIGGER_WORDS
                                                                        else "")
                    paras.append(Para((Piece(cue, ITALIC),), 0.9, GREY))
            if backup is not None:
                paras.append(Para((Piece("backup:"), Piece(backup.label, BOLD), Piece("· " + backup.title)), 0.75, GREY,
                                  space_before=0.15))
        columns.append(paras)
    return columns


# ---------------------------------------------------------------- fitting

def _words(para: Para) -> list[tuple[str, str]]:
    """The paragraph's words with their styles (pieces are separated by a space, as words are;
    a no-break space keeps "…" with the word before it)."""
    return [(word, piece.style) for piece in para.pieces for word in piece.text.split(" ") if word]


def wrap(para: Para, size: float, width: float) -> list[list[tuple[str, str, float]]]:
    """The paragraph's lines: (text, style, x offset) runs. Words are never split: one word
    wider than the column (a long label on a page of many columns) stands on a line of its own."""
    lines: list[list[tuple[str, str, float]]] = []
    line: list[tuple[str, str, float]] = []
    x = 0.0
    for word, style in _words(para):
        w = width_of(word, style, size)
        space = width_of(" ", style, size) if line else 0.0
        if line and x + space + w > width:
            lines.append(line)
            line, x, space = [], 0.0, 0.0
        if line and line[-1][1] == style:  # same style: one run, so text extraction keeps it whole
            text, _, x0 = line[-1]
            line[-1] = (f"{text} {word}", style, x0)
        else:
            line.append((word, style, x + space))
        x += space + w
    if line:
        lines.append(line)
    return lines


LEADING = 1.22
HEADER = 42.0  # points from the top margin to the columns: title (14 pt) and subtitle (8 pt)


def column_height(paras: list[Para], size: float, width: float) -> float:
    height = 0.0
    for para in paras:
        s = size * para.scale
        height += para.space_before * size + len(wrap(para, s, width)) * s * LEADING
    return height


def page_for(paper: str) -> tuple[float, float]:
    """Landscape Letter or A4 (card stock is not a sheet: Letter)."""
    return landscape(paper_size("letter" if paper == "stock" else paper))


def fit_loop(content: Content, plan: LoopPlan, paper: str = "letter") -> LoopPage:
    """Every line placed at the largest body size at which the longest column fits the page.

    Raises UserError when even the floor size does not fit (too many questions for one page).
    """
    size_w, size_h = page_for(paper)
    short = {p.name: p.short for p in content.principles.principles if p.short}
    columns = columns_for(plan, short)
    n = len(columns)
    col_w = (size_w - 2 * MARGIN - GAP * (n - 1)) / n
    title = "Loop plan" + (f" — {content.interview.headline()}" if content.interview else "")
    filled = "every question has its own story" if plan.covered else \
        "not every question has its own story: see deckbuilder check"
    subtitle = f"{n} interviewer{'s' if n != 1 else ''} · {len(plan.slots)} questions · {filled}"
    top = size_h - MARGIN - HEADER  # under the title and subtitle
    room = top - MARGIN
    fit = largest_fitting(lambda s: max(column_height(c, s, col_w) for c in columns), room, FLOOR, CEILING, STEP)
    if fit.size is None:
        at_file, at_line = _interviewers_line(content)
        raise UserError(f"the loop plan needs {fit.needed / room:.0%} of one {paper} page even at {FLOOR:g} pt",
                        file=at_file, line=at_line, hint="fewer principles per interviewer, or shorter story titles")
    size = fit.size
    runs: list[Run] = [Run(MARGIN, size_h - MARGIN - 14, title, BOLD, 14, BLACK),
                       Run(MARGIN, size_h - MARGIN - 14 - 13, subtitle, REGULAR, 8, GREY)]
    rules: list[tuple[float, float, float, float]] = []
    for c, paras in enumerate(columns):
        x = MARGIN + c * (col_w + GAP)
        y = top
        for para in paras:
            s = size * para.scale
            y -= para.space_before * size
            if para.rule_before:
                rules.append((x, y, x + col_w, y))
                y -= 0.25 * size
            for line in wrap(para, s, col_w):
                y -= s * LEADING
                runs += [Run(x + dx, y + 0.22 * s, text, style, s, para.colour) for text, style, dx in line]
        if c:
            rules.append((x - GAP / 2, MARGIN, x - GAP / 2, top))
    return LoopPage((size_w, size_h), size, tuple(runs), tuple(rules), title)


def _interviewers_line(content: Content) -> tuple[str | None, int | None]:
    """Where the loop is written (the interview's ``interviewers:``), for a loop too long for its page."""
    from ..content.load import where

    try:
        return where(content.interview, "interviewers") if content.interview else (None, None)
    except (AttributeError, KeyError, TypeError, IndexError):  # content built in code carries no marks
        return None, None


def loop_page(content: Content, paper: str = "letter") -> LoopPage | None:
    """The fitted page for the content's loop, or None when there is no loop: the one call
    an output's plan step needs (``draw_loop`` is the draw step)."""
    plan = plan_loop(content)
    return fit_loop(content, plan, paper) if plan is not None else None


# ---------------------------------------------------------------- drawing

def draw_loop(canvas: Canvas, page: LoopPage) -> None:
    """Draw a fitted page (the packet draws it onto its own canvas the same way)."""
    canvas.saveState()
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.4)
    for x0, y0, x1, y1 in page.rules:
        canvas.line(x0, y0, x1, y1)
    for run in page.runs:
        canvas.setFillColor(run.colour)
        x = run.x
        for font, text in fonts.split_runs(run.text):
            face = _face(font, run.style)
            canvas.setFont(face, run.size)
            canvas.drawString(x, run.y, text)
            x += stringWidth(text, face, run.size)
    canvas.restoreState()


def meta_for(content: Content, page: LoopPage) -> Meta:
    interview = content.interview
    return Meta(title=page.title, author=(interview.candidate or "") if interview else "",
                subject="Which story to tell to which interviewer", keywords=("interview", "loop"))


@dataclass(kw_only=True)
class LoopOutputPlan(Plan):
    """loop.pdf planned: the fitted page, or None without a loop (then nothing is written)."""

    page: LoopPage | None = None
    meta: Meta | None = None


def plan_loop_output(content: Content, templates: Templates, options: PrintOptions) -> LoopOutputPlan:
    """The loop's page fitted when the content gives a loop (a loop too big for one page is a problem)."""
    plan = LoopOutputPlan()
    try:
        plan.page = loop_page(content, options.sheet_paper)
    except UserError as exc:
        plan.refuse(exc)
        return plan
    if plan.page is not None:
        plan.meta = meta_for(content, plan.page)
        plan.files = FILES
    return plan


class LoopOutput(BaseOutput):
    """loop.pdf, in the Output shape (``outputs.base``): written only when there is a loop."""

    name = "loop"
    files: tuple[str, ...] = FILES

    def plan(self, content: Content, templates: Templates, options: PrintOptions) -> LoopOutputPlan:
        return plan_loop_output(content, templates, options)

    def draw(self, plan: LoopOutputPlan, paths: Mapping[str, Path]) -> None:
        assert plan.page is not None and plan.meta is not None
        canvas = new_canvas(str(paths["loop.pdf"]), plan.page.size, plan.meta)
        draw_loop(canvas, plan.page)
        canvas.showPage()
        canvas.save()

    def leftovers(self, plan: LoopOutputPlan, output_dir: Path) -> list[Problem]:
        """An old plan must not pass for this build's."""
        if plan.page is not None or not (output_dir / FILES[0]).is_file():
            return []
        return [Problem(None, None, f"no loop to plan (no interviewer lists principles:); output/{FILES[0]} "
                                    "is left from an earlier build",
                        hint="delete it, or list the principles each interviewer will probe under "
                             "interview.interviewers", severity="warning")]


LOOP = LoopOutput()
