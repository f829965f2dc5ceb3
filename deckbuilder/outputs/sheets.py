"""Drawing imposed cards onto sheets: pages of fronts (with cut lines) and pages of backs.

The geometry comes ready-made from ``layout.impose``; this module only turns a list of
(sheet, side) pages into PDF pages, and tells the print dialog which duplex to start on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib.colors import HexColor

from ..errors import UserError
from ..layout.impose import MARGIN, Flip, Grid, Placement, choose_grid, stock_grid
from ..layout.sizes import paper_size
from ..layout.stock import STOCKS, stock_sheet_grid
from ..render import design, replay
from ..render.pdf import Meta, new_canvas
from ..render.reportlab_seam import drawing_state, raise_pdf_version
from . import drawstore
from .faces import FaceStyle, SetFace, draw_face

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

    from ..layout.impose import Rect

CUT_GREY = HexColor("#000000")  # solid black: a mono laser prints grey as a dotted screen
CUT_WIDTH = design.CUT_MARK_WIDTH  # points: a line a paper cutter's guide can meet
INNER_CUT_GREY = design.RULE_GREY  # inside the printed area the cut lines stay thin and grey
DUPLEX_PDF_VERSION = (1, 7)  # the /Duplex viewer preference arrived in PDF 1.7


@dataclass(frozen=True)
class Page:
    sheet: int
    side: str  # "front" or "back"


def sheet_grid(paper: str, card_w: float, card_h: float, back_offset: tuple[float, float], card_name: str,
               flip: Flip = "long") -> Grid:
    """The grid for --paper, keeping the 6 mm margin for the backs a back offset shifts.

    The orientation is the one without any offset, the one ``calibrate`` prints: an offset
    read on a landscape sheet would be meaningless on a portrait one. The fronts stay where
    they are without an offset whenever the shifted backs fit there (``choose_grid``).
    """
    if paper == "stock":
        return stock_grid(card_w, card_h)
    if paper in STOCKS:  # perforated: the maker's card positions, whatever the offset (backs only move)
        return stock_sheet_grid(STOCKS[paper])
    paper_w, paper_h = paper_size(paper)
    try:
        plain = choose_grid(paper_w, paper_h, card_w, card_h, MARGIN)
        if not any(back_offset):
            return plain
        return choose_grid(paper_w, paper_h, card_w, card_h, MARGIN, plain.landscape, back_offset, flip)
    except ValueError:
        raise UserError(f"a {card_name} card does not fit on {paper} paper inside the 6 mm margin"
                        + (" and the back offset" if any(back_offset) else ""),
                        hint="choose a smaller --card, or --paper stock to print on the card itself") from None


def offset_room(grid: Grid) -> tuple[float, float]:
    """The largest |X| and |Y| back offsets (points) that keep this grid's cards per sheet."""
    return (grid.sheet_w - 2 * grid.margin - grid.cols * grid.card_w,
            grid.sheet_h - 2 * grid.margin - grid.rows * grid.card_h)


def set_duplex(canvas: Canvas, duplex: str) -> None:
    """Write /ViewerPreferences /Duplex so the print dialog starts on the matching setting, and
    /PrintScaling /None so it starts at 100% (a scaled print moves every back)."""
    canvas.setViewerPreference("Duplex", duplex)
    canvas.setViewerPreference("PrintScaling", "None")  # print at 100%: a scaled print moves every back
    raise_pdf_version(canvas, DUPLEX_PDF_VERSION)


def draw_cut_lines(canvas: Canvas, grid: Grid) -> None:
    """Every card edge: solid black 0.5 pt run-outs in the margin around the block of cards,
    where the cutter's guide meets them, and a thin grey line across the block itself, so a
    cut a hair off the line leaves no black edge on a card."""
    block = grid.block
    canvas.saveState()
    for x1, y1, x2, y2 in grid.cut_lines():
        if x1 == x2:  # vertical: run-outs below and above the block
            inside = (x1, block.y, x2, block.top)
            outside = [(x1, y1, x2, block.y), (x1, block.top, x2, y2)]
        else:
            inside = (block.x, y1, block.right, y2)
            outside = [(x1, y1, block.x, y2), (block.right, y1, x2, y2)]
        canvas.setStrokeColor(INNER_CUT_GREY)
        canvas.setLineWidth(design.HAIRLINE)
        canvas.line(*inside)
        canvas.setStrokeColor(CUT_GREY)
        canvas.setLineWidth(CUT_WIDTH)
        for segment in outside:
            if abs(segment[0] - segment[2]) + abs(segment[1] - segment[3]) > 0.01:
                canvas.line(*segment)
    canvas.restoreState()


def write_pages(target: Path, pages: list[Page], *, grid: Grid, placements: list[Placement],
                faces: list[tuple[SetFace, SetFace, str]], style: FaceStyle, label: str, meta: Meta,
                duplex: str, cut_lines: bool, back_style: FaceStyle | None = None) -> None:
    """One PDF page per ``Page``: the fronts of a sheet (and its cut lines), or its backs
    (set in ``back_style`` when the backs have less room, see ``FaceStyle.moved_by``)."""
    canvas = new_canvas(str(target), (grid.sheet_w, grid.sheet_h), meta)
    set_duplex(canvas, duplex)
    by_sheet: dict[int, list[Placement]] = {}
    for placement in placements:
        by_sheet.setdefault(placement.sheet, []).append(placement)
    cuts = _SameOnEveryPage(lambda: draw_cut_lines(canvas, grid))
    for page in pages:
        if page.side == "front" and cut_lines:
            cuts.draw(canvas)
        on_page = [(front, placement.front, style, position) if page.side == "front"
                   else (back, placement.back, back_style or style, position)
                   for placement in by_sheet.get(page.sheet, []) for front, back, position in [faces[placement.card]]]

        def draw_each(on_page: list[tuple[SetFace, Rect, FaceStyle, str]] = on_page) -> None:
            for face, rect, face_style, position in on_page:
                draw_face(canvas, rect, face, face_style, label, position)

        kept = drawstore.current()
        if kept is not None and not replay.active():  # a one-shot build: the page replayed as one where it can be
            kept.draw_page(canvas, on_page, label, draw_each)
        else:
            draw_each()
        canvas.showPage()
    canvas.save()


class _SameOnEveryPage:
    """A drawing that is the same on every page it is drawn on (the cut lines: 0.1 s of a
    5,000-card deck, drawn line by line on each of 2,500 sheets): drawn once, then its
    operators taken again wherever the canvas is in the state it was drawn in."""

    def __init__(self, draw: Callable[[], None]) -> None:
        self._draw = draw
        self._made: tuple[str, replay.Drawing] | None = None

    def draw(self, canvas: Canvas) -> None:
        state = drawing_state(canvas)
        if self._made is not None and self._made[0] == state:
            self._made[1].replay(canvas)
            return
        if replay.recording():
            self._draw()
            return
        drawing = replay.record(canvas, self._draw)
        text_free = drawing is not None and not drawing.fonts and not drawing.named  # no font subset to agree with
        self._made = (state, drawing) if drawing is not None and text_free else None
