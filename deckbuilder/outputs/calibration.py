"""calibrate.pdf: a two-page test sheet from which the user reads their printer's back offset.

Not one of the ``build`` outputs (it needs no content); ``deckbuilder calibrate`` writes it.

Page 1 (the front) has a thin cross through the sheet's centre and a 50 mm bar to check
the print was not scaled. Page 2 (the back) has two millimetre scales whose zero ticks
sit exactly behind the cross's arms. Held against a light, the front's lines show
through the back; where they cross each scale is the reading. Why the reading is the
offset to use: if the printer puts the whole back ``e`` mm off, the tick labelled ``k``
lands at ``k + e`` from where the front line is, so the line shows through at ``k = -e``,
and ``--back-offset k`` moves the backs by ``-e``, cancelling the error. The centre is
its own mirror image for both flip edges, so the marks sit behind each other whichever
edge the sheet turns on; the sheet's orientation and the flip must still be the deck's,
because the error is measured in the back page's own directions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ..layout.impose import MARGIN, Grid, Rect, mirror
from ..render import fonts
from ..render.pdf import Meta, new_canvas
from .sheets import set_duplex

SCALE_MM = 10  # the scales read -10..+10 mm; --back-offset accepts up to 20 mm for hand-made values
SCALE_GAP = 15 * mm  # how far from the centre each scale runs (clear of the other arm of the cross)
ARM = SCALE_GAP + 6 * mm  # half length of the front cross's arms: just past the scales' longest ticks
CHECK_BAR = 50 * mm
TEXT_PT = 8.0
SMALL_PT = 7.0
LINE = 0.3  # points: thin enough to read against 0.5 mm ticks, dark enough to show through paper


@dataclass(frozen=True)
class Tick:
    """One scale tick: its value in mm (the reading) and its length in points."""

    value: float
    length: float
    label: bool


def scale_ticks(half_range_mm: int = SCALE_MM) -> list[Tick]:
    """Ticks every 0.5 mm, longer every 1 mm, longest and numbered every 5 mm."""
    ticks = []
    for i in range(-2 * half_range_mm, 2 * half_range_mm + 1):
        value = i / 2
        if i % 10 == 0:
            ticks.append(Tick(value, 4.0 * mm, True))
        elif i % 2 == 0:
            ticks.append(Tick(value, 2.5 * mm, False))
        else:
            ticks.append(Tick(value, 1.5 * mm, False))
    return ticks


def centre(grid: Grid) -> tuple[float, float]:
    return grid.sheet_w / 2, grid.sheet_h / 2


def back_centre(grid: Grid, flip: str, offset: tuple[float, float]) -> tuple[float, float]:
    """Where the front's centre is seen from the back, plus the back offset being tried."""
    cx, cy = centre(grid)
    spot = mirror(Rect(cx, cy, 0.0, 0.0), grid.sheet_w, grid.sheet_h, flip)  # type: ignore[arg-type]
    return spot.x + offset[0], spot.y + offset[1]


def flip_words(flip: str) -> str:
    return {"long": "flip on long edge", "short": "flip on short edge",
            "manual": "manual duplex (re-feed the sheet by hand)"}[flip]


def _text_block(canvas: Canvas, lines: list[str], x: float, top: float, size: float) -> None:
    canvas.setFont(fonts.BODY, size)
    for i, line in enumerate(lines):
        canvas.drawString(x, top - size * 1.35 * (i + 1), line)


def draw_front(canvas: Canvas, grid: Grid, setting: str, roomy: bool) -> None:
    cx, cy = centre(grid)
    canvas.setLineWidth(LINE)
    canvas.line(cx, cy - ARM, cx, cy + ARM)
    canvas.line(cx - ARM, cy, cx + ARM, cy)
    area = grid.printable
    if roomy:
        _text_block(canvas, [
            "deckbuilder printer calibration: FRONT (page 1 of 2)",
            setting,
            "Print both pages on one sheet, double-sided, at 100% (actual size, not 'fit to page').",
            "Then turn to the back.",
        ], area.x, area.top, TEXT_PT)
        bar_y = area.y + 6 * mm
        canvas.line(area.x, bar_y, area.x + CHECK_BAR, bar_y)
        for x in (area.x, area.x + CHECK_BAR):
            canvas.line(x, bar_y - 1.5 * mm, x, bar_y + 1.5 * mm)
        canvas.setFont(fonts.BODY, SMALL_PT)
        canvas.drawString(area.x, bar_y + 2.5 * mm, "This bar must measure 50 mm; if not, the print was scaled.")
    else:
        _text_block(canvas, ["calibration: FRONT", setting], area.x + 1 * mm, area.top, SMALL_PT)


def draw_back(canvas: Canvas, grid: Grid, flip: str, offset: tuple[float, float], setting: str,
              roomy: bool) -> None:
    """The scales around the spot behind the front's centre; the whole page shifted by ``offset``,
    exactly as ``build --back-offset`` shifts the backs of the deck."""
    canvas.saveState()
    canvas.translate(*offset)
    bx, by = back_centre(grid, flip, (0.0, 0.0))
    canvas.setLineWidth(LINE)
    canvas.setFont(fonts.BODY, SMALL_PT)
    x_row = by + SCALE_GAP  # the X scale: a row of ticks across the front's vertical arm
    for tick in scale_ticks():
        x = bx + tick.value * mm
        canvas.line(x, x_row, x, x_row + tick.length)
        if tick.label:
            canvas.drawCentredString(x, x_row + tick.length + 1 * mm, _number(tick.value))
    canvas.drawRightString(bx - SCALE_MM * mm - 2 * mm, x_row + 1 * mm, "X")
    y_col = bx + SCALE_GAP  # the Y scale: a column of ticks across the front's horizontal arm
    for tick in scale_ticks():
        y = by + tick.value * mm
        canvas.line(y_col, y, y_col + tick.length, y)
        if tick.label:
            canvas.drawString(y_col + tick.length + 1 * mm, y - SMALL_PT * 0.35, _number(tick.value))
    canvas.drawCentredString(y_col + 2 * mm, by - SCALE_MM * mm - 5 * mm, "Y")
    area = grid.printable
    if roomy:
        _text_block(canvas, [
            "deckbuilder printer calibration: BACK (page 2 of 2)",
            setting,
            "Hold the sheet against a light with this side facing you. If this text is upside down",
            "compared with the front, the printer turned the sheet on the other edge: change the flip.",
            "Read each scale where the line from the front shows through it: X on the row, Y on the",
            "column (+ is right and up). Then build with: deckbuilder build --back-offset X,Y",
        ], area.x, area.top, TEXT_PT)
    else:
        _text_block(canvas, ["calibration: BACK", "read X, Y where the front lines cross"],
                    area.x + 1 * mm, area.top, SMALL_PT)
    canvas.restoreState()


def _number(value: float) -> str:
    """Scale labels: 0, +5, -10 (the sign says which way the reading moves the backs)."""
    return "0" if value == 0 else f"{value:+g}"


def write(target: Path, grid: Grid, flip: str, offset: tuple[float, float], setting: str) -> None:
    """The two pages; the back (and only the back) shifted by ``offset`` (points)."""
    canvas = new_canvas(str(target), (grid.sheet_w, grid.sheet_h),
                        Meta(title="deckbuilder printer calibration", subject="Duplex back-offset test sheet"))
    set_duplex(canvas, {"long": "DuplexFlipLongEdge", "short": "DuplexFlipShortEdge"}.get(flip, "Simplex"))
    roomy = min(grid.sheet_w, grid.sheet_h) >= 120 * mm  # a whole sheet, not a small card of stock
    draw_front(canvas, grid, setting, roomy)
    canvas.showPage()
    draw_back(canvas, grid, flip, offset, setting, roomy)
    canvas.showPage()
    canvas.save()


def fits(grid: Grid) -> bool:
    """Whether the cross and the scales with their labels stay 6 mm inside the page."""
    reach = SCALE_GAP + 4 * mm + 1 * mm + 9 * mm  # a scale, its longest tick, a gap, a label
    return min(grid.sheet_w, grid.sheet_h) / 2 - reach >= MARGIN
