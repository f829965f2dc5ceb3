"""Where the packet's table of contents goes on its one cover page. Pure arithmetic.

A coach reading the packet on a laptop wants to click a story by name, not scroll 40 pages
to find it, so the contents list every card group and every story under their part. A
long list of stories takes two columns; when even two columns cannot hold it on the cover,
that list becomes one line pointing to the bookmarks (each story has one), and the parts
themselves are always listed. The cover stays one page, so the page numbers computed
before it is drawn stay true.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil

PART_STEP = 22.0  # baseline to baseline for a part (level 0)
ENTRY_STEP = 12.5  # for an entry under a part (level 1)
PART_SIZE = 12.0
ENTRY_SIZE = 9.0
INDENT = 14.0
COLUMN_GAP = 18.0
MAX_COLUMNS = 2


@dataclass(frozen=True)
class Entry:
    """A line of the contents: a part (level 0) or something under it (level 1)."""

    key: str  # the bookmark it links to
    title: str
    page: int
    level: int = 0


@dataclass(frozen=True)
class Placed:
    """An entry (or, with ``entry.key`` empty, a note) at its baseline, in page points."""

    entry: Entry
    x: float
    y: float
    width: float
    size: float


@dataclass
class _Group:
    part: Entry
    children: list[Entry]
    columns: int = 1
    collapsed: bool = False  # children replaced by one note line

    @property
    def rows(self) -> int:
        if not self.children:
            return 0
        return 1 if self.collapsed else ceil(len(self.children) / self.columns)

    @property
    def height(self) -> float:
        return PART_STEP + self.rows * ENTRY_STEP


def _groups(entries: list[Entry]) -> list[_Group]:
    groups: list[_Group] = []
    for entry in entries:
        if entry.level == 0 or not groups:
            groups.append(_Group(entry, []))
        else:
            groups[-1].children.append(entry)
    return groups


def place_contents(entries: list[Entry], left: float, top: float, width: float, height: float,
                   collapsed_note: str = "{count} more: each is a bookmark") -> list[Placed]:
    """Every entry placed below ``top`` within ``height`` points, parts in order.

    Until the whole list fits, the group with the most rows first spreads over a second
    column, then (already in two) collapses into a note ``collapsed_note`` naming its count.
    """
    groups = _groups(entries)
    while sum(g.height for g in groups) > height:
        candidates = [g for g in groups if g.children and not g.collapsed]
        if not candidates:
            break  # parts alone: always few enough in practice, never dropped
        widest = max(candidates, key=lambda g: g.rows)
        if widest.columns < MAX_COLUMNS and len(widest.children) > 1:
            widest.columns += 1
        else:
            widest.collapsed = True
    placed: list[Placed] = []
    y = top
    for group in groups:
        y -= PART_STEP
        placed.append(Placed(group.part, left, y, width, PART_SIZE))
        if group.collapsed:
            note = Entry("", collapsed_note.format(count=len(group.children)), 0, 1)
            y -= ENTRY_STEP
            placed.append(Placed(note, left + INDENT, y, width - INDENT, ENTRY_SIZE))
            continue
        column_width = (width - INDENT - (group.columns - 1) * COLUMN_GAP) / group.columns
        for index, child in enumerate(group.children):
            column, row = divmod(index, group.rows)
            x = left + INDENT + column * (column_width + COLUMN_GAP)
            placed.append(Placed(child, x, y - (row + 1) * ENTRY_STEP, column_width, ENTRY_SIZE))
        y -= group.rows * ENTRY_STEP
    return placed
