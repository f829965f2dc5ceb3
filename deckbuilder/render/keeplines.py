"""A run of flowables that a page break may split only with enough lines on either side.

Why: the packet's stories flowed over pages line by line, so a story could end a page with
its title alone or leave its last line at the top of the next. Wrapped in ``KeepLines`` a
story splits only where at least ``min_lines`` of it stay on each side, never right after
a heading, and otherwise moves whole to the next page. Built on the same line dealing as
the cards' --split (``outputs.faces.split_parts`` does the same job for card faces).
"""

from __future__ import annotations

from .pdf import draw_stack, gap_between, stack_height
from .reportlab_seam import Flowable

MIN_LINES = 3


def _lines(flowables: list[Flowable], width: float) -> int:
    """Printed lines: a paragraph's wrapped lines, any other flowable with height as one."""
    count = 0
    for flowable in flowables:
        _, height = flowable.wrap(width, 1e9)
        lines = getattr(flowable, "_lines", None)
        count += len(lines) if lines is not None and hasattr(flowable, "words") else int(height > 0)
    return count


def _first_part(flowables: list[Flowable], width: float, room: float) -> tuple[list[Flowable], list[Flowable]]:
    """The flowables (a paragraph cut between lines where needed) that fill ``room``, and the rest."""
    first: list[Flowable] = []
    used = 0.0
    queue = list(flowables)
    while queue:
        flowable = queue[0]
        gap = gap_between(first[-1] if first else None, flowable)
        _, height = flowable.wrap(width, 1e9)
        if used + gap + height <= room + 1e-6:
            first.append(queue.pop(0))
            used += gap + height
            continue
        pieces = flowable.split(width, room - used - gap) if room - used - gap > 0 else []
        if len(pieces) >= 2:
            queue[0:1] = pieces
            first.append(queue.pop(0))
        break
    while first and first[-1].getKeepWithNext():  # a heading never ends a page
        queue.insert(0, first.pop())
    return first, queue


class KeepLines(Flowable):
    """Flowables stacked as one, split only with ``min_lines`` lines on each side."""

    def __init__(self, flowables: list[Flowable], min_lines: int = MIN_LINES) -> None:
        super().__init__()
        self.flowables = flowables
        self.min_lines = min_lines
        self.spaceBefore = flowables[0].getSpaceBefore() if flowables else 0.0
        self.spaceAfter = flowables[-1].getSpaceAfter() if flowables else 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab API
        self.width = availWidth
        self.height = stack_height(self.flowables, availWidth)
        return self.width, self.height

    def draw(self) -> None:
        draw_stack(self.canv, self.flowables, 0, self.height, self.width, replaying=True)  # the packet's stories

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803 - reportlab API
        """[before, after] with enough lines on each side, or [] to move the whole to the next page."""
        room = availHeight
        for _ in range(self.min_lines + 1):
            first, rest = _first_part(self.flowables, availWidth, room)
            if not first or not rest or _lines(first, availWidth) < self.min_lines:
                return []
            short = self.min_lines - _lines(rest, availWidth)
            if short <= 0:
                return [KeepLines(first, self.min_lines), KeepLines(rest, self.min_lines)]
            leading = max((getattr(f, "leading", 0.0) for f in first), default=0.0) or 12.0
            room -= short * leading  # give the page's last lines to the next page
        return []
