"""matrix.pdf: one landscape page showing which story answers which principle.

Rows are the workspace's principles in published order, named in full; columns are the
stories by their short label. ● marks a primary match, ○ a secondary one. Row totals
(stories per principle), column totals (principles per story) and the bank questions per
principle sit at the edges. What needs attention is shaded *and* flagged with a symbol,
so that it survives a black-and-white printer and colour-blind eyes alike.

The page is a view of ``content.coverage``, the same analysis ``deckbuilder check``
prints, and its geometry comes from the pure ``layout.matrix``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import landscape
from reportlab.pdfbase.pdfmetrics import stringWidth

from ..content.coverage import Coverage, Kind, Mark, coverage
from ..content.model import Content
from ..errors import UserError
from ..layout.matrix import FLAG_W, SWATCH, MatrixLayout, MatrixText, MatrixTooLarge, layout_matrix
from ..layout.sizes import paper_size
from ..options import PrintOptions, sheet_paper
from ..render import design, fonts
from ..render.pdf import Meta, new_canvas
from ..render.templates import Templates
from .base import BaseOutput, Plan

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

FILES = ("matrix.pdf",)

PRIMARY, SECONDARY = "●", "○"
SYMBOL_SCALE = 1.15  # the dots read better a little larger than the text


@dataclass(frozen=True)
class Attention:
    """One kind of mark for what needs attention: its flag symbol and shading."""

    symbol: str
    shade: Color
    meaning: str


# Distinct lightness as well as hue, so the two shadings differ on a grey printout too.
NONE = Attention("✗", HexColor("#eeb4ae"), "principle with no story, or story on no principle")
THIN = Attention("!", HexColor("#fbe3a0"), "principle with only one story")
OVER = Attention("▲", HexColor("#fbe3a0"), "story on more than 4 principles")
ROW_ATTENTION = {Kind.UNCOVERED: NONE, Kind.SINGLE: THIN}
COLUMN_ATTENTION = {Kind.UNMAPPED: NONE, Kind.OVERUSED: OVER}

RULE = HexColor("#c4c4c4")
RULE_STRONG = HexColor("#5a5a5a")
TEXT = HexColor("#000000")
MUTED = HexColor("#444444")

LEGEND: list[tuple[str, Attention | None, str]] = [
    (PRIMARY, None, "primary: the story answers this principle best"),
    (SECONDARY, None, "secondary: it can answer it too"),
    (NONE.symbol, NONE, NONE.meaning),
    (THIN.symbol, THIN, THIN.meaning),
    (OVER.symbol, OVER, OVER.meaning),
    ("Σ", None, "Stories: stories per principle · Principles per story: column totals · "
                "Questions: bank questions per principle"),
]


# ---------------------------------------------------------------- text with font fallback

def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width of ``text`` as drawn with per-character font fallback (what the page really uses)."""
    fonts.register_fonts()
    return sum(stringWidth(run, _face(font, bold), size) for font, run in fonts.split_runs(text))


def _face(font: str, bold: bool) -> str:
    return fonts.BODY_BOLD if bold and font == fonts.BODY else font


def draw_text(canvas: Canvas, x: float, y: float, text: str, size: float, bold: bool = False,
              align: str = "left") -> None:
    """Draw ``text`` run by run in the bundled font that has each character."""
    width = text_width(text, size, bold)
    x -= {"left": 0.0, "centre": width / 2, "right": width}[align]
    for font, run in fonts.split_runs(text):
        face = _face(font, bold)
        canvas.setFont(face, size)
        canvas.drawString(x, y, run)
        x += stringWidth(run, face, size)


# ---------------------------------------------------------------- page

def page_size(paper: str) -> tuple[float, float]:
    """Landscape letter or A4; card stock is not a sheet size, so it means letter here."""
    return landscape(paper_size(sheet_paper(paper)))


def matrix_text(content: Content, cov: Coverage) -> MatrixText:
    title = "Principles × stories"
    if content.interview:
        title += f" — {content.interview.headline()}"
    questions = sum(cov.bank_questions)
    subtitle = (f"{_count(len(cov.rows), 'principle')} ({content.principles.name}) · "
                f"{_count(len(cov.columns), 'story', 'stories')} · {_count(questions, 'bank question')}")
    return MatrixText(rows=[r.name for r in cov.rows], columns=[c.label for c in cov.columns], title=title,
                      subtitle=subtitle, legend=[text for _, _, text in legend_entries(cov)])


def legend_entries(cov: Coverage) -> list[tuple[str, Attention | None, str]]:
    """The legend's entries for the marks this page shows, and no others: a legend that
    explains a mark nowhere on the page sends the eye looking for it."""
    marks = set(cov.cells.values())
    attention = {_first(ROW_ATTENTION, cov.row_findings(r)) for r in range(len(cov.rows))}
    attention |= {_first(COLUMN_ATTENTION, cov.column_findings(c)) for c in range(len(cov.columns))}
    present = {PRIMARY: Mark.PRIMARY in marks, SECONDARY: Mark.SECONDARY in marks,
               NONE.symbol: NONE in attention, THIN.symbol: THIN in attention, OVER.symbol: OVER in attention}
    return [entry for entry in LEGEND if present.get(entry[0], True)]


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


NAME_SHARE = 0.25  # Amazon's longest name at the 6 pt floor takes 17% of a Letter page's width


def fit_layout(text: MatrixText, page: tuple[float, float], paper: str) -> MatrixLayout:
    """The layout, or a UserError that says how many story columns would fit."""
    try:
        return layout_matrix(text, page, text_width)
    except MatrixTooLarge as exc:
        if exc.columns > exc.columns_fit:
            message = (f"the principle matrix has {exc.columns} story columns, but at most {exc.columns_fit} fit "
                       f"across one {paper} page at {exc.floor:g} pt")
            hint = ("merge or drop weaker stories (see strength:), or build on A4 (--paper a4), which is wider"
                    if paper != "a4" else "merge or drop weaker stories (see strength:)")
            floor = exc.floor
            longest = max(text.rows, key=lambda name: text_width(name, floor))
            share = text_width(longest, floor) / page[0]
            if share > NAME_SHARE:  # a custom set's long names, not the stories, are eating the width
                hint = (f"the principle names take {share:.0%} of the page width (longest: '{longest}'); "
                        f"shorter names in principles: leave room for more stories, or {hint}")
        else:
            message = (f"the principle matrix has {exc.rows} principle rows, but at most {exc.rows_fit} fit "
                       f"down one {paper} page at {exc.floor:g} pt")
            hint = "use a shorter principle set"
        raise UserError(message, hint=hint) from None


@dataclass(kw_only=True)
class MatrixPlan(Plan):
    """matrix.pdf planned: the coverage it shows, its text and the fitted layout (None when
    the page cannot hold it; the problems say why)."""

    coverage: Coverage
    text: MatrixText
    page: tuple[float, float]
    layout: MatrixLayout | None = None
    meta: Meta | None = None
    content: Content | None = None  # for the rehearsal shading (practice: matrix_recency)


def plan_matrix(content: Content, templates: Templates, options: PrintOptions) -> MatrixPlan:
    cov = coverage(content)
    paper = options.sheet_paper
    page = page_size(paper)
    text = matrix_text(content, cov)
    plan = MatrixPlan(coverage=cov, text=text, page=page, content=content)
    try:
        plan.layout = fit_layout(text, page, paper)
    except UserError as exc:
        plan.refuse(exc)
        return plan
    interview = content.interview
    plan.meta = Meta(title=text.title, author=(interview.candidate or "") if interview else "",
                     subject="Principle to story matrix", keywords=("interview", "leadership principles", "matrix"))
    plan.files = FILES
    return plan


def draw_page(canvas: Canvas, plan: MatrixPlan) -> None:
    """The planned matrix drawn on ``canvas``'s current page (matrix.pdf's, or the packet's)."""
    assert plan.layout is not None
    draw_matrix(canvas, plan.coverage, plan.text, plan.layout)
    if plan.content is not None:
        shade_recency(canvas, plan.content, plan.coverage, plan.layout)


class MatrixOutput(BaseOutput):
    """matrix.pdf, in the Output shape (``outputs.base``)."""

    name = "matrix"
    files: tuple[str, ...] = FILES

    def plan(self, content: Content, templates: Templates, options: PrintOptions) -> MatrixPlan:
        return plan_matrix(content, templates, options)

    def draw(self, plan: MatrixPlan, paths: Mapping[str, Path]) -> None:
        assert plan.meta is not None
        canvas = new_canvas(str(paths["matrix.pdf"]), plan.page, plan.meta)
        draw_page(canvas, plan)
        canvas.showPage()
        canvas.save()


MATRIX = MatrixOutput()


def draw_matrix(canvas: Canvas, cov: Coverage, text: MatrixText, lay: MatrixLayout) -> None:
    """Draw the whole page: shading first, then rules, then text on top."""
    s = lay.size
    row_marks = [_first(ROW_ATTENTION, cov.row_findings(r)) for r in range(lay.n_rows)]
    col_marks = [_first(COLUMN_ATTENTION, cov.column_findings(c)) for c in range(lay.n_columns)]

    # Row guides: every other principle row on a light tint, so the eye keeps its row across 40 columns.
    for r in range(1, lay.n_rows, 2):
        _fill(canvas, design.ZEBRA, lay.left, lay.row_top(r + 1), lay.right - lay.left, lay.row_h)

    # Shading: light marks first so that "none" (the darker shade) wins where they cross.
    for wanted in (OVER, THIN, NONE):
        for c, mark in enumerate(col_marks):
            if mark is wanted:
                _fill(canvas, mark.shade, lay.column_left(c), lay.bottom, lay.cell_w, lay.header_top - lay.bottom)
        for r, mark in enumerate(row_marks):
            if mark is wanted:
                _fill(canvas, mark.shade, lay.left, lay.row_top(r + 1), lay.right - lay.left, lay.row_h)

    _draw_rules(canvas, lay)

    canvas.setFillColor(TEXT)
    draw_text(canvas, lay.left, lay.title_baseline, text.title, lay.title_size, bold=True)
    canvas.setFillColor(MUTED)
    draw_text(canvas, lay.left, lay.subtitle_baseline, text.subtitle, 8.0)
    canvas.setFillColor(TEXT)

    # Column headers: story labels, then the Stories and Questions headers.
    headers = [(lay.column_centre(c), label, False) for c, label in enumerate(text.columns)]
    headers += [(lay.total_left + lay.total_w / 2, text.row_total, True),
                (lay.questions_left + lay.total_w / 2, text.questions, True)]
    pad = 0.5 * s
    for x, label, bold in headers:
        if lay.rotated:
            canvas.saveState()
            canvas.translate(x + 0.73 * s / 2, lay.header_bottom + pad)
            canvas.rotate(90)
            draw_text(canvas, 0, 0, label, s, bold)
            canvas.restoreState()
        else:
            draw_text(canvas, x, lay.baseline(-1), label, s, bold, "centre")

    # Rows: name, marks, total, flag, bank questions.
    row_totals = cov.row_totals
    for r, name in enumerate(text.rows):
        y = lay.baseline(r)
        draw_text(canvas, lay.left + pad, y, name, s)
        for c in range(lay.n_columns):
            cell = cov.mark(r, c)
            if cell is not None:
                draw_text(canvas, lay.column_centre(c), _symbol_baseline(lay, r), PRIMARY if cell is Mark.PRIMARY
                          else SECONDARY, s * SYMBOL_SCALE, align="centre")
        draw_text(canvas, lay.total_left + lay.total_w / 2, y, str(row_totals[r]), s, align="centre")
        if (flag := row_marks[r]) is not None:
            draw_text(canvas, lay.flag_left + FLAG_W * s / 2, y, flag.symbol, s, True, "centre")
        draw_text(canvas, lay.questions_left + lay.total_w / 2, y, str(cov.bank_questions[r]), s, align="centre")

    # Column totals and column flags.
    totals_row, flags_row = lay.n_rows, lay.n_rows + 1
    draw_text(canvas, lay.left + pad, lay.baseline(totals_row), text.column_total, s, bold=True)
    for c, total in enumerate(cov.column_totals):
        draw_text(canvas, lay.column_centre(c), lay.baseline(totals_row), str(total), s, align="centre")
        if (flag := col_marks[c]) is not None:
            draw_text(canvas, lay.column_centre(c), lay.baseline(flags_row), flag.symbol, s, True, "centre")

    _draw_legend(canvas, lay, legend_entries(cov))


def shade_recency(canvas: Canvas, content: Content, cov: Coverage, lay: MatrixLayout) -> None:
    """With ``practice: {matrix_recency: true}``, a translucent green over each story's column,
    strongest for a story rehearsed today, gone by ``practice.stale_days`` (never: none)."""
    from ..practice.feedback import recency_shade

    for c, column in enumerate(cov.columns):
        fresh = recency_shade(content, column.id)
        if fresh:
            canvas.saveState()
            canvas.setFillColor(HexColor("#2e7d32"))
            canvas.setFillAlpha(0.28 * fresh)
            canvas.rect(lay.column_left(c), lay.bottom, lay.cell_w, lay.header_top - lay.bottom, stroke=0, fill=1)
            canvas.restoreState()


def _first(table: dict[Kind, Attention], findings: list) -> Attention | None:
    return next((table[f.kind] for f in findings if f.kind in table), None)


def _symbol_baseline(lay: MatrixLayout, r: int) -> float:
    """● and ○ sit on the baseline with their centre at about 0.37 em: centre them in the row."""
    size = lay.size * SYMBOL_SCALE
    return lay.row_top(r) - lay.row_h / 2 - 0.37 * size


def _fill(canvas: Canvas, colour: Color, x: float, y: float, w: float, h: float) -> None:
    canvas.setFillColor(colour)
    canvas.rect(x, y, w, h, stroke=0, fill=1)


def _draw_rules(canvas: Canvas, lay: MatrixLayout) -> None:
    """Thin rules between rows and columns, stronger ones around the totals; every fifth
    story column a little stronger, to count columns by eye."""
    top, bottom = lay.header_bottom, lay.row_top(lay.n_rows + 1)
    canvas.setLineWidth(0.3)
    canvas.setStrokeColor(RULE)
    for i in range(1, lay.n_rows):
        y = lay.row_top(i)
        canvas.line(lay.left, y, lay.right, y)
    for c in range(1, lay.n_columns):
        if c % 5:
            x = lay.column_left(c)
            canvas.line(x, lay.header_top if lay.rotated else top, x, bottom)
    canvas.setStrokeColor(RULE_STRONG)
    for c in range(5, lay.n_columns, 5):
        x = lay.column_left(c)
        canvas.setLineWidth(0.5)
        canvas.line(x, lay.header_top if lay.rotated else top, x, bottom)
    canvas.setLineWidth(0.8)
    canvas.line(lay.left, top, lay.right, top)  # under the headers
    canvas.line(lay.left, lay.row_top(lay.n_rows), lay.right, lay.row_top(lay.n_rows))  # above the totals
    for x in (lay.grid_left, lay.total_left, lay.questions_left, lay.right):
        canvas.line(x, lay.header_top if lay.rotated else top, x, bottom)
    canvas.setLineWidth(0.3)


def _draw_legend(canvas: Canvas, lay: MatrixLayout, entries: list[tuple[str, Attention | None, str]]) -> None:
    ls = lay.legend_size
    for item in lay.legend:
        symbol, attention, meaning = entries[item.index]
        side = SWATCH * ls
        box_y = item.baseline + 0.73 * ls / 2 - side / 2
        if attention:
            _fill(canvas, attention.shade, item.x, box_y, side, side)
        canvas.setFillColor(TEXT)
        is_dot = symbol in (PRIMARY, SECONDARY)
        size = ls * (SYMBOL_SCALE if is_dot else 1.0)
        y = box_y + side / 2 - 0.37 * size if is_dot else item.baseline
        draw_text(canvas, item.x + side / 2, y, symbol, size, bold=not is_dot, align="centre")
        draw_text(canvas, item.x + side + 0.5 * ls, item.baseline, meaning, ls)
