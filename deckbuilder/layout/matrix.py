"""Geometry of the principle x story matrix page: the size search and every coordinate.

Pure arithmetic over a ``measure(text, size, bold) -> width`` function, so the fitting
is tested without drawing (and with reportlab's real font metrics, without a canvas).
Everything scales with one body size ``s``: rows, cells and paddings are multiples of
it, so the page grows monotonically with ``s`` and the largest size that fits is found
by the same binary search as card text (``layout.fit.largest_fitting``).

Column headers are set horizontally when there are few stories and they fit; otherwise
they are turned upright (reading bottom to top), which makes a column only as wide as
a line of text however long the label, and is what lets 40 stories share one page.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from .fit import largest_fitting

Measure = Callable[[str, float, bool], float]  # (text, size, bold) -> width in points

FLOOR_PT = 6.0  # the smallest text on the page, ever
CEILING_PT = 10.0  # larger looks like a poster, not a reference sheet
STEP_PT = 0.25
MARGIN = 0.4 * 72  # printers' unprintable edge plus a little
HORIZONTAL_MAX_COLUMNS = 8  # beyond this, headers are always upright
TITLE_PT = 13.0
SUBTITLE_PT = 8.0

# In units of the body size s.
ROW_H = 1.7  # row pitch
MAX_ROW_H = 4.0  # rows open up to this when the width, not the height, limited the size (row guides keep
# a tall row easy to follow, and the grid then fills the page's height as well as its width)
PAD = 0.5  # horizontal padding inside a cell
CAP = 0.73  # DejaVu Sans cap height, to centre text vertically in a row
FLAG_W = 1.7  # width of the attention-flag column
NUMBER_PAD = 0.45  # total side padding around a two-digit number in a story column
LINE_W = 1.5  # an upright label's line, with air on both sides
GAP_AFTER_TABLE = 1.2  # between the table and the legend
SWATCH = 1.5  # legend swatch side (in legend sizes)
LEGEND_LINE = 1.9  # legend line pitch (in legend sizes)
LEGEND_GAP = 1.6  # between legend items (in legend sizes)


@dataclass(frozen=True)
class MatrixText:
    """Every string the page shows whose size the layout must know."""

    rows: list[str]  # principle names in full, in published order
    columns: list[str]  # story labels
    title: str
    subtitle: str
    legend: list[str]  # legend item texts; each item also gets a swatch
    row_total: str = "Stories"
    questions: str = "Questions"
    column_total: str = "Principles per story"


@dataclass(frozen=True)
class LegendItem:
    index: int  # into MatrixText.legend
    x: float  # left of the swatch
    baseline: float


@dataclass(frozen=True)
class MatrixLayout:
    """Where everything goes, in points from the page's lower-left corner."""

    page: tuple[float, float]
    size: float  # body text size
    rotated: bool  # column headers upright
    title_size: float
    left: float  # table's left edge (and the title's)
    title_baseline: float
    subtitle_baseline: float
    name_w: float
    cell_w: float
    total_w: float  # width of the Stories and the Questions columns each
    n_columns: int
    n_rows: int
    header_top: float
    header_bottom: float
    row_h: float
    legend_size: float
    legend: list[LegendItem] = field(default_factory=list)

    # -- columns, left to right: names | story cells | Stories | flag | Questions
    @property
    def grid_left(self) -> float:
        return self.left + self.name_w

    def column_left(self, j: int) -> float:
        return self.grid_left + j * self.cell_w

    def column_centre(self, j: int) -> float:
        return self.column_left(j) + self.cell_w / 2

    @property
    def total_left(self) -> float:
        return self.column_left(self.n_columns)

    @property
    def flag_left(self) -> float:
        return self.total_left + self.total_w

    @property
    def questions_left(self) -> float:
        return self.flag_left + FLAG_W * self.size

    @property
    def right(self) -> float:
        return self.questions_left + self.total_w

    # -- rows, top to bottom: header | principles | column totals | column flags
    def row_top(self, i: int) -> float:
        """Top edge of row ``i``; i == n_rows is the totals row, n_rows + 1 the flag row."""
        return self.header_bottom - i * self.row_h

    def baseline(self, i: int) -> float:
        """Baseline that centres body-size capitals in row ``i``."""
        return self.row_top(i) - self.row_h / 2 - CAP * self.size / 2

    @property
    def bottom(self) -> float:
        return self.row_top(self.n_rows + 2)


class MatrixTooLarge(Exception):
    """Nothing fits at the floor size; says how many columns and rows would."""

    def __init__(self, columns_fit: int, rows_fit: int, columns: int, rows: int, floor: float) -> None:
        self.columns_fit, self.rows_fit = columns_fit, rows_fit
        self.columns, self.rows, self.floor = columns, rows, floor
        super().__init__(f"{columns} columns x {rows} rows do not fit at {floor:g} pt "
                         f"(at most {columns_fit} columns, {rows_fit} rows)")


@dataclass(frozen=True)
class _Dims:
    """A candidate layout's sizes at one body size (before positions)."""

    size: float
    rotated: bool
    name_w: float
    cell_w: float
    total_w: float
    header_h: float
    title_size: float
    legend_size: float
    legend_lines: list[list[tuple[int, float]]]  # per line: (item, x offset)
    legend_w: float

    def table_w(self, n_columns: int) -> float:
        return self.name_w + n_columns * self.cell_w + 2 * self.total_w + FLAG_W * self.size

    def title_h(self) -> float:
        return self.title_size * 1.25 + SUBTITLE_PT * 1.6 + 0.6 * self.size

    def legend_h(self) -> float:
        return len(self.legend_lines) * LEGEND_LINE * self.legend_size

    def height(self, n_rows: int) -> float:
        return (self.title_h() + self.header_h + (n_rows + 2) * ROW_H * self.size
                + GAP_AFTER_TABLE * self.size + self.legend_h())

    def width(self, n_columns: int) -> float:
        return max(self.table_w(n_columns), self.legend_w)


def _legend_item_w(text: str, ls: float, measure: Measure) -> float:
    return SWATCH * ls + 0.5 * ls + measure(text, ls, False)


def _flow_legend(items: list[str], ls: float, width: float,
                 measure: Measure) -> tuple[list[list[tuple[int, float]]], float]:
    """Legend items in lines no wider than ``width`` (an item wider than that gets a line of its own)."""
    lines: list[list[tuple[int, float]]] = [[]]
    x, widest = 0.0, 0.0
    for i, text in enumerate(items):
        w = _legend_item_w(text, ls, measure)
        if lines[-1] and x + w > width:
            lines.append([])
            x = 0.0
        lines[-1].append((i, x))
        x += w
        widest = max(widest, x)
        x += LEGEND_GAP * ls
    return (lines if lines[0] else []), widest


def _dims(text: MatrixText, s: float, rotated: bool, avail_w: float, measure: Measure) -> _Dims:
    pad = PAD * s
    name_w = max(measure(t, s, b) for t, b in [(r, False) for r in text.rows] + [(text.column_total, True)]) + 2 * pad
    number_w = measure("00", s, False) + NUMBER_PAD * s  # column totals reach two digits
    line_w = LINE_W * s  # an upright header needs one line of text across
    if rotated:
        cell_w = max(number_w, line_w)
        total_w = cell_w
        header_h = max([measure(c, s, False) for c in text.columns] +
                       [measure(t, s, True) for t in (text.row_total, text.questions)]) + 2 * pad
    else:
        cell_w = max([number_w, line_w] + [measure(c, s, False) + 2 * pad for c in text.columns])
        total_w = max(number_w, *(measure(t, s, True) + 2 * pad for t in (text.row_total, text.questions)))
        header_h = ROW_H * s
    title_size = min(TITLE_PT, max(FLOOR_PT, TITLE_PT * avail_w / max(1.0, measure(text.title, TITLE_PT, True))))
    legend_size = s
    lines, legend_w = _flow_legend(text.legend, legend_size, avail_w, measure)
    return _Dims(s, rotated, name_w, cell_w, total_w, header_h, title_size, legend_size, lines, legend_w)


def _candidates(text: MatrixText, s: float, avail_w: float, measure: Measure) -> list[_Dims]:
    """Horizontal headers first (when allowed), then upright."""
    out = []
    if len(text.columns) <= HORIZONTAL_MAX_COLUMNS:
        out.append(_dims(text, s, False, avail_w, measure))
    out.append(_dims(text, s, True, avail_w, measure))
    return out


def _ratio(d: _Dims, text: MatrixText, avail_w: float, avail_h: float) -> float:
    """How many times the available space the layout needs (<= 1 fits)."""
    return max(d.width(len(text.columns)) / avail_w, d.height(len(text.rows)) / avail_h)


def layout_matrix(text: MatrixText, page: tuple[float, float], measure: Measure,
                  floor: float = FLOOR_PT, ceiling: float = CEILING_PT) -> MatrixLayout:
    """The largest body size in [floor, ceiling] at which the whole matrix fits ``page``.

    Raises MatrixTooLarge (with how many columns and rows would fit at the floor) when
    even the floor size overflows.
    """
    page_w, page_h = page
    avail_w, avail_h = page_w - 2 * MARGIN, page_h - 2 * MARGIN

    def need(s: float) -> float:
        return min(_ratio(d, text, avail_w, avail_h) for d in _candidates(text, s, avail_w, measure))

    fit = largest_fitting(need, 1.0, floor, ceiling, STEP_PT)
    if not fit.fits:
        raise _too_large(text, avail_w, avail_h, floor, measure)
    s = fit.size
    assert s is not None  # fit.fits
    dims = next(d for d in _candidates(text, s, avail_w, measure) if _ratio(d, text, avail_w, avail_h) <= 1.0)
    return _place(text, dims, page, avail_w, avail_h)


def _too_large(text: MatrixText, avail_w: float, avail_h: float, floor: float, measure: Measure) -> MatrixTooLarge:
    d = _dims(text, floor, True, avail_w, measure)
    spare_w = avail_w - d.table_w(0)
    columns_fit = max(0, math.floor(spare_w / d.cell_w + 1e-9))
    spare_h = avail_h - d.height(0)
    rows_fit = max(0, math.floor(spare_h / (ROW_H * floor) + 1e-9))
    return MatrixTooLarge(columns_fit, rows_fit, len(text.columns), len(text.rows), floor)


def _place(text: MatrixText, d: _Dims, page: tuple[float, float], avail_w: float, avail_h: float) -> MatrixLayout:
    """Turn sizes into positions: the block centred across the page, set from the top margin."""
    s = d.size
    block_w = d.width(len(text.columns))
    left = MARGIN + (avail_w - block_w) / 2
    top = page[1] - MARGIN
    title_baseline = top - d.title_size * 0.95
    subtitle_baseline = title_baseline - SUBTITLE_PT * 1.6
    header_top = top - d.title_h()
    header_bottom = header_top - d.header_h
    n_rows = len(text.rows)
    # Height left over goes into the rows (up to a limit): taller rows are easier to follow across.
    spare = max(0.0, avail_h - d.height(n_rows))
    row_h = ROW_H * s + min(spare / (n_rows + 2), (MAX_ROW_H - ROW_H) * s)
    table_bottom = header_bottom - (n_rows + 2) * row_h
    legend: list[LegendItem] = []
    ls = d.legend_size
    for k, line in enumerate(d.legend_lines):
        baseline = table_bottom - GAP_AFTER_TABLE * s - (k + 0.5) * LEGEND_LINE * ls - CAP * ls / 2
        legend.extend(LegendItem(i, left + x, baseline) for i, x in line)
    return MatrixLayout(page=page, size=s, rotated=d.rotated, title_size=d.title_size, left=left,
                        title_baseline=title_baseline, subtitle_baseline=subtitle_baseline, name_w=d.name_w,
                        cell_w=d.cell_w, total_w=d.total_w, n_columns=len(text.columns), n_rows=n_rows,
                        header_top=header_top, header_bottom=header_bottom, row_h=row_h, legend_size=ls,
                        legend=legend)
