"""Drawing fold-over sheets (``--flip fold``): front and back of each card on one page side.

The geometry comes from ``layout.fold``; this draws each pair, the cut lines around the
pairs (solid) and the fold line inside each pair (dashed, so nobody cuts along it).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..layout.fold import FoldPair, FoldSheet
from ..layout.impose import Rect
from ..render.pdf import Meta, new_canvas
from .faces import FaceStyle, SetFace, draw_face
from .sheets import CUT_GREY, CUT_WIDTH, set_duplex

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

FOLD_DASH = (4, 3)  # points on, points off


def draw_pair(canvas: Canvas, pair: FoldPair, front: SetFace, back: SetFace, style: FaceStyle, label: str,
              position: str) -> None:
    draw_face(canvas, pair.front, front, style, label, position)
    if pair.back_rotated:  # a half turn about the back's centre: upright once folded (layout.fold)
        canvas.saveState()
        canvas.translate(pair.back.right, pair.back.top)
        canvas.rotate(180)
        draw_face(canvas, Rect(0.0, 0.0, pair.back.w, pair.back.h), back, style, label, position)
        canvas.restoreState()
    else:
        draw_face(canvas, pair.back, back, style, label, position)


def draw_lines(canvas: Canvas, sheet: FoldSheet, folds: list[tuple[float, float, float, float]]) -> None:
    canvas.saveState()
    canvas.setStrokeColor(CUT_GREY)
    canvas.setLineWidth(CUT_WIDTH)
    for x1, y1, x2, y2 in sheet.cut_lines():
        canvas.line(x1, y1, x2, y2)
    canvas.setDash(*FOLD_DASH)
    for x1, y1, x2, y2 in folds:
        canvas.line(x1, y1, x2, y2)
    canvas.restoreState()


def write_fold_pages(target: Path, sheet: FoldSheet, placed: list[tuple[int, int]],
                     faces: list[tuple[SetFace, SetFace, str]], style: FaceStyle, label: str, meta: Meta) -> None:
    """One page per sheet; ``placed`` is each card's (sheet, slot), ``faces`` its faces and n/N."""
    canvas = new_canvas(str(target), (sheet.sheet_w, sheet.sheet_h), meta)
    set_duplex(canvas, "Simplex")  # one side only: a duplex dialog setting would print pairs on backs
    pages = max((s for s, _ in placed), default=-1) + 1
    for page in range(pages):
        here = [(card, slot) for card, (s, slot) in enumerate(placed) if s == page]
        draw_lines(canvas, sheet, [sheet.pair(slot).fold for _, slot in here])
        for card, slot in here:
            front, back, position = faces[card]
            draw_pair(canvas, sheet.pair(slot), front, back, style, label, position)
        canvas.showPage()
    canvas.save()
