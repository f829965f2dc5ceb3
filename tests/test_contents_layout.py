"""The packet's table of contents on one cover page: pure geometry, no drawing."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from deckbuilder.layout.contents import ENTRY_SIZE, ENTRY_STEP, PART_STEP, Entry, place_contents


def contents(stories: int, groups: int = 4) -> list[Entry]:
    entries = [Entry("sheet", "Final-prep sheet", 2), Entry("matrix", "Principle matrix", 3),
               Entry("cards", "Cards", 4)]
    entries += [Entry(f"g{i}", f"Group {i}", 4 + i, 1) for i in range(groups)]
    entries.append(Entry("stories", "Stories in full", 40))
    entries += [Entry(f"s{i}", f"Story {i}", 40 + i, 1) for i in range(stories)]
    return entries


def test_a_short_list_is_one_column_in_order():
    entries = contents(5)
    placed = place_contents(entries, left=50, top=600, width=500, height=500)
    assert [p.entry for p in placed] == entries
    assert len({p.x for p in placed if p.entry.level == 1}) == 1
    ys = [p.y for p in placed]
    assert ys == sorted(ys, reverse=True)  # top to bottom, nothing side by side
    assert placed[-1].y >= 100


def test_many_stories_take_two_columns_that_do_not_overlap():
    placed = place_contents(contents(43), left=50, top=600, width=500, height=520)
    stories = [p for p in placed if p.entry.key.startswith("s") and p.entry.level == 1]
    assert len(stories) == 43
    left, right = sorted({p.x for p in stories})
    left_column = [p for p in stories if p.x == left]
    assert len(left_column) == 22  # column-major: the first column is the longer one
    assert [p.entry.title for p in stories[:3]] == ["Story 0", "Story 1", "Story 2"]
    assert left + left_column[0].width < right  # a gap between columns
    assert min(p.y for p in placed) >= 600 - 520 - 1e-6
    groups = [p for p in placed if p.entry.key.startswith("g")]
    assert len({p.x for p in groups}) == 1  # the short list stays in one column


def test_a_list_too_long_even_in_two_columns_becomes_one_note():
    placed = place_contents(contents(200), left=50, top=600, width=500, height=520)
    assert not any(p.entry.key.startswith("s") and p.entry.level == 1 for p in placed)
    notes = [p for p in placed if not p.entry.key]
    assert [n.entry.title for n in notes] == ["200 more: each is a bookmark"]
    assert [p.entry.title for p in placed if p.entry.level == 0] == ["Final-prep sheet", "Principle matrix", "Cards",
                                                                      "Stories in full"]
    assert notes[0].size == ENTRY_SIZE


@settings(max_examples=60, deadline=None)
@given(stories=st.integers(0, 300), groups=st.integers(0, 6), height=st.floats(300, 700))
def test_every_part_is_listed_and_nothing_leaves_the_area(stories, groups, height):
    entries = contents(stories, groups)
    placed = place_contents(entries, left=50, top=700, width=500, height=height)
    parts = [e for e in entries if e.level == 0]
    assert [p.entry for p in placed if p.entry.level == 0] == parts
    assert min(p.y for p in placed) >= 700 - height - 1e-6 or height < len(parts) * (PART_STEP + ENTRY_STEP)
    for p in placed:
        assert p.x >= 50 and p.x + p.width <= 550 + 1e-6
    positions = [(round(p.x, 3), round(p.y, 3)) for p in placed]
    assert len(positions) == len(set(positions))  # no two lines on the same spot
