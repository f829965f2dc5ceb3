"""Reversed-out section bars: a heading drawn white on a dark band the width of its column.

Why: on a one-page cheat sheet the eye jumps between zones; a bar marks where a section
starts more strongly than any size step could, and leaves the size steps to the
sub-headings and the body (three levels, ``render.design``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import design
from .richtext import RichText

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

PAD_EM = 0.3  # the bar reaches this far (in ems) left of, right of, above and below the text


class BarHeading(RichText):
    """A heading paragraph on a filled bar, its text in white."""

    ink = "1 1 1 rg"

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab API
        pad = PAD_EM * self.size
        _, height = super().wrap(availWidth - 2 * pad, availHeight)
        self.height = height + 2 * pad
        self.width = availWidth
        return self.width, self.height

    def _draw(self, canvas: Canvas, x0: float, y0: float) -> None:
        pad = PAD_EM * self.size
        canvas.saveState()
        canvas.setFillColor(design.BAR)
        canvas.rect(x0, y0, self.width, self.height, stroke=0, fill=1)
        canvas.restoreState()
        inner = self.height
        self.height = inner - 2 * pad
        try:
            super()._draw(canvas, x0 + pad, y0 + pad)
        finally:
            self.height = inner
