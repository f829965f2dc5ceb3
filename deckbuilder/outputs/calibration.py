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
from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth

from ..layout.impose import MARGIN, Grid, Rect, mirror
from ..render import fonts
from ..render.pdf import Meta, new_canvas
from .sheets import set_duplex

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

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


@dataclass(frozen=True)
class Setting:
    """What the sheet is for, in the user's words: printed on it so a print can be matched to its run."""

    where: str  # "letter landscape (3x5 cards)", "a7 card stock"
    flip: str
    offset_mm: tuple[float, float] = (0.0, 0.0)

    @property
    def offset_words(self) -> str:
        return f"back offset {self.offset_mm[0]:g},{self.offset_mm[1]:g} mm" if any(self.offset_mm) else ""

    def line(self) -> str:
        return f"For: {', '.join(w for w in (self.where, flip_words(self.flip), self.offset_words) if w)}."


def front_lines(setting: Setting, roomy: bool) -> list[str]:
    if not roomy:  # a card of stock: what it is and how to print it, in two lines
        how = "manual: print page 1, re-feed, print page 2" if setting.flip == "manual" else flip_words(setting.flip)
        return ["calibration: FRONT (page 1 of 2)", f"{setting.where}, {how}"]
    lines: list[str]
    if setting.flip == "manual":  # no duplex: the user prints one side, re-feeds, prints the other
        lines = ["Print page 1 only, at 100% (actual size, not 'fit to page'). Put the printed sheet back into the",
                 "paper tray the way your printer takes it to print the other side (as you will for cards-backs.pdf),",
                 "then print page 2, also at 100%. Then turn to the back."]
    else:
        lines = ["Print both pages on one sheet, double-sided, at 100% (actual size, not 'fit to page').",
                 "Then turn to the back."]
    return ["deckbuilder printer calibration: FRONT (page 1 of 2)", setting.line(), *lines]


def back_lines(setting: Setting, roomy: bool) -> list[str]:
    if not roomy:
        return [", ".join(w for w in ("calibration: BACK", setting.offset_words) if w),
                "read X, Y where the front lines cross"]
    if setting.flip == "manual":
        upside_down = ["compared with the front, the sheet went back into the printer the other end first:",
                       "turn it round when you re-feed (and the same way for the cards)."]
    else:
        upside_down = ["compared with the front, the printer turned the sheet on the other edge: change the flip."]
    return ["deckbuilder printer calibration: BACK (page 2 of 2)", setting.line(),
            "Hold the sheet against a light with this side facing you. If this text is upside down", *upside_down,
            "Read each scale where the line from the front shows through it: X on the row, Y on the",
            "column (+ is right and up). Then build with: deckbuilder build --back-offset X,Y"]


LEADING = 1.35


@dataclass(frozen=True)
class TextBlock:
    """Lines of text set from the top-left corner ``x, top`` at ``size``."""

    lines: tuple[str, ...]
    x: float
    top: float
    size: float

    @staticmethod
    def height_of(count: int, size: float) -> float:
        return (count * LEADING + 0.25) * size  # the last line's descenders too

    @property
    def rect(self) -> Rect:
        width = max((stringWidth(line, fonts.BODY, self.size) for line in self.lines), default=0.0)
        height = self.height_of(len(self.lines), self.size)
        return Rect(self.x, self.top - height, width, height)

    def draw(self, canvas: Canvas) -> None:
        canvas.setFont(fonts.BODY, self.size)
        for i, line in enumerate(self.lines):
            canvas.drawString(self.x, self.top - self.size * LEADING * (i + 1), line)


def wrapped(lines: list[str], size: float, width: float) -> tuple[str, ...]:
    return tuple(part for line in lines for part in (simpleSplit(line, fonts.BODY, size, width) or [""]))


def label_width(text: str) -> float:
    return stringWidth(text, fonts.BODY, SMALL_PT)


def front_marks() -> Rect:
    """The cross, around the page centre (0, 0)."""
    return Rect(-ARM, -ARM, 2 * ARM, 2 * ARM)


def back_marks() -> Rect:
    """The two scales with their numbers and the X and Y letters, around the spot behind the
    front's centre (0, 0): what has to stay on the page, where ``draw_back`` puts it."""
    labels = [t for t in scale_ticks() if t.label]
    longest = max(t.length for t in scale_ticks())
    cap = 0.75 * SMALL_PT
    left = min(min(t.value * mm - label_width(_number(t.value)) / 2 for t in labels),
               -SCALE_MM * mm - 2 * mm - label_width("X"))
    right = max(max(t.value * mm + label_width(_number(t.value)) / 2 for t in labels),
                SCALE_GAP + longest + 1 * mm + max(label_width(_number(t.value)) for t in labels))
    bottom = min(-SCALE_MM * mm - SMALL_PT * 0.35 - 0.25 * SMALL_PT, -SCALE_MM * mm - 5 * mm)
    top = max(SCALE_GAP + longest + 1 * mm + cap, SCALE_MM * mm - SMALL_PT * 0.35 + cap)
    return Rect(left, bottom, right - left, top - bottom)


@dataclass(frozen=True)
class Layout:
    """Where everything goes on the two pages; made (and checked) before anything is drawn."""

    grid: Grid
    flip: str
    offset: tuple[float, float]
    roomy: bool
    front_text: TextBlock
    back_text: TextBlock

    @property
    def area(self) -> Rect:
        return page_area(self.grid)


def page_area(grid: Grid) -> Rect:
    """The page less the printer's 6 mm on every side; on card stock too, where the grid's own
    margin is nil (the card is the page)."""
    return Rect(MARGIN, MARGIN, grid.sheet_w - 2 * MARGIN, grid.sheet_h - 2 * MARGIN)


def layout(grid: Grid, flip: str, offset: tuple[float, float], setting: Setting) -> Layout:
    """Every mark and every line of text 6 mm inside the page, the text clear of the marks.

    The scales on the back move with ``offset`` (that is what is being checked); the text
    stays inside the margin where it is: on a whole sheet at the top left of both pages, on
    a card of stock above the cross on the front and, on the back, above or below the
    scales, whichever leaves more room. Raises ValueError saying what does not fit.
    """
    fonts.register_fonts()  # text is measured before any canvas exists
    area = page_area(grid)
    roomy = min(grid.sheet_w, grid.sheet_h) >= 120 * mm  # a whole sheet, not a small card of stock
    size = TEXT_PT if roomy else SMALL_PT
    cx, cy = centre(grid)
    cross = front_marks().moved(cx, cy)
    bx, by = back_centre(grid, flip, offset)
    scales = back_marks().moved(bx, by)
    if not cross.inside(area) or not scales.inside(area):
        what = "the calibration marks" if not cross.inside(area) or not any(offset) else \
            "the calibration marks moved by the back offset"
        raise ValueError(f"{what} do not fit 6 mm inside the page")
    front = TextBlock(wrapped(front_lines(setting, roomy), size, area.w), area.x, area.top, size)
    back_lines_ = wrapped(back_lines(setting, roomy), size, area.w)
    back = TextBlock(back_lines_, area.x, area.top, size)
    if not roomy and area.top - scales.top < scales.y - area.y:  # more room below the scales
        back = TextBlock(back_lines_, area.x, area.y + TextBlock.height_of(len(back_lines_), size), size)
    for block, marks in ((front, cross), (back, scales)):
        if not block.rect.inside(area) or block.rect.overlaps(marks):
            raise ValueError("the instructions do not fit beside the calibration marks")
    if roomy and front.rect.y < area.y + 6 * mm + 2.5 * mm + size:  # the check bar and its caption
        raise ValueError("the instructions do not fit above the check bar")
    return Layout(grid, flip, offset, roomy, front, back)


def layout_or_none(grid: Grid, flip: str, offset: tuple[float, float], where: str) -> Layout | None:
    try:
        return layout(grid, flip, offset, Setting(where, flip, (offset[0] / mm, offset[1] / mm)))
    except ValueError:
        return None


def draw_front(canvas: Canvas, lay: Layout) -> None:
    cx, cy = centre(lay.grid)
    canvas.setLineWidth(LINE)
    canvas.line(cx, cy - ARM, cx, cy + ARM)
    canvas.line(cx - ARM, cy, cx + ARM, cy)
    lay.front_text.draw(canvas)
    if lay.roomy:
        area = lay.area
        bar_y = area.y + 6 * mm
        canvas.line(area.x, bar_y, area.x + CHECK_BAR, bar_y)
        for x in (area.x, area.x + CHECK_BAR):
            canvas.line(x, bar_y - 1.5 * mm, x, bar_y + 1.5 * mm)
        canvas.setFont(fonts.BODY, SMALL_PT)
        canvas.drawString(area.x, bar_y + 2.5 * mm, "This bar must measure 50 mm; if not, the print was scaled.")


def draw_back(canvas: Canvas, lay: Layout) -> None:
    """The scales around the spot behind the front's centre, shifted by the offset exactly as
    ``build --back-offset`` shifts the backs of the deck; the instructions where ``layout`` put them."""
    canvas.saveState()
    canvas.translate(*lay.offset)
    bx, by = back_centre(lay.grid, lay.flip, (0.0, 0.0))
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
    canvas.restoreState()
    lay.back_text.draw(canvas)


def _number(value: float) -> str:
    """Scale labels: 0, +5, -10 (the sign says which way the reading moves the backs)."""
    return "0" if value == 0 else f"{value:+g}"


def write(target: Path, lay: Layout) -> None:
    """The two pages; the back's marks (and only they) shifted by the layout's offset (points)."""
    grid = lay.grid
    canvas = new_canvas(str(target), (grid.sheet_w, grid.sheet_h),
                        Meta(title="deckbuilder printer calibration", subject="Duplex back-offset test sheet"))
    set_duplex(canvas, {"long": "DuplexFlipLongEdge", "short": "DuplexFlipShortEdge"}.get(lay.flip, "Simplex"))
    draw_front(canvas, lay)
    canvas.showPage()
    draw_back(canvas, lay)
    canvas.showPage()
    canvas.save()
