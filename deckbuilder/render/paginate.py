"""Flowing flowables over pages, and anchors that become bookmarks where they land.

The packet's long parts (the full stories) are a column of flowables of unknown total
length, and so is a card face too long for one card (``--split``). ``pack`` is the one
loop for both; ``paginate`` deals the packet's onto pages of a given text area: a flowable that does not
fit the room left is split between lines when it can (RichText and Table know how), a
heading is never left alone at the foot of a page, and the result is a plan — pages of
flowables — so page numbers are known before anything is drawn (the table of contents
on the cover needs them).
"""

from __future__ import annotations

from .pdf import gap_between
from .reportlab_seam import Flowable


class Anchor(Flowable):
    """A zero-size mark: a named destination plus an outline (bookmark) entry, drawn where
    it lands so the bookmark points at the very line the section starts on."""

    def __init__(self, key: str, title: str, level: int) -> None:
        super().__init__()
        self.key, self.title, self.level = key, title, level
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab API
        return 0.0, 0.0

    def draw(self) -> None:
        self.canv.bookmarkHorizontal(self.key, 0, 0)
        self.canv.addOutlineEntry(self.title, self.key, level=self.level, closed=self.level > 0)


def _is_heading(flowable: Flowable) -> bool:
    return bool(getattr(flowable, "keepWithNext", False)) or isinstance(flowable, Anchor)


def paginate(flowables: list[Flowable], width: float, height: float) -> list[list[Flowable]]:
    """Deal flowables onto pages of a ``width`` x ``height`` text area, splitting where needed.

    A flowable taller than a whole page that cannot be split is put on a page of its own
    (it will overflow the bottom margin); content from the tools here never does that.
    """
    pages = pack(flowables, width, height, carry_headings=True, alone_if_too_tall=True)
    assert pages is not None
    return pages


def pack(flowables: list[Flowable], width: float, height: float, *, wrap_height: float | None = None,
         carry_headings: bool = False, alone_if_too_tall: bool = False) -> list[list[Flowable]] | None:
    """The one packing loop: flowables dealt in order onto as few areas (pages, card faces)
    of ``width`` x ``height`` as they need, a flowable that does not fit the room left split
    between lines when it can (RichText and Table know how).

    ``carry_headings``: a heading (keepWithNext) or an anchor is never left alone at the
    foot of an area; it moves on with what follows. A single piece taller than a whole area
    that cannot be split is put in an area of its own with ``alone_if_too_tall`` (it will
    overflow), else the packing fails (None). ``wrap_height`` is the height flowables are
    measured with (default: the area's).
    """
    pages: list[list[Flowable]] = [[]]
    used = 0.0
    queue = list(flowables)
    while queue:
        flowable = queue.pop(0)
        page = pages[-1]
        _, h = flowable.wrap(width, height if wrap_height is None else wrap_height)
        gap = gap_between(page[-1], flowable) if page else 0.0
        if used + gap + h <= height + 1e-6:
            page.append(flowable)
            used += gap + h
            continue
        room = height - used - gap
        if room <= 0:
            parts = []
        elif hasattr(flowable, "split_all"):  # a long paragraph dealt in one pass (linear in its words)
            parts = flowable.split_all(width, room, height)
        else:
            parts = flowable.split(width, room)
        if len(parts) > 1:
            queue[:0] = parts
            continue
        if page:
            carry: list[Flowable] = []
            while carry_headings and page and _is_heading(page[-1]) and any(not _is_heading(f) for f in page):
                carry.insert(0, page.pop())
            pages.append([])
            used = 0.0
            queue[:0] = carry + [flowable]
            continue
        if not alone_if_too_tall:  # on an empty area the split above had the whole height
            return None
        page.append(flowable)
        used += h
    return [p for p in pages if p]
