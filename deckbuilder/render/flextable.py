"""reportlab's Table for markdown tables, with column widths worked out at every wrap.

A module of its own because ``reportlab.platypus.tables`` imports most of platypus
(reportlab's Paragraph and document templates among it, 60-90 ms): ``render.markup``
imports this module only when a text has a table, so a build without one never pays for it.
"""

from __future__ import annotations

from reportlab.platypus.tables import Table, TableStyle

__all__ = ["FlexTable", "TableStyle"]


class FlexTable(Table):
    """A Table that sizes its columns afresh at every wrap.

    reportlab works column widths out once, at the first wrap, and keeps them. Fitting
    measures the same flowables at several widths (render.pdf.Block), so a table would keep
    the widths of its first, widest trial and be drawn past the edge of a card.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._given_widths: list[float | None] = list(self._argW)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab API
        self._argW = self._colWidths = list(self._given_widths)
        self._width_calculated_once = 0
        return super().wrap(availWidth, availHeight)
