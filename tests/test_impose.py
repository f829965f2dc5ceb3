"""The imposition geometry, as pure numbers: no PDF is made here."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.units import inch, mm

from deckbuilder.layout.impose import (
    MARGIN,
    Rect,
    choose_grid,
    impose,
    manual_back_order,
    mirror,
    mirror_axis,
    positions,
    sheet_count,
    stock_grid,
)
from deckbuilder.layout.sizes import CARD_SIZES, PAPER_SIZES

LETTER, A4 = PAPER_SIZES["letter"], PAPER_SIZES["a4"]


@pytest.mark.parametrize("paper, card, expected", [
    ("letter", "3x5", (True, 2, 2)),   # 11x8.5 landscape: 2x2 of 5x3 (portrait would hold 3)
    ("a4", "3x5", (True, 2, 2)),
    ("letter", "a7", (True, 2, 2)),
    ("a4", "a7", (True, 2, 2)),        # A7 is an eighth of A4, but 6 mm margins leave room for 4
    ("letter", "4x6", (False, 1, 2)),  # a tie (2 and 2) goes to portrait
    ("a4", "a6", (False, 1, 2)),
])
def test_grid_choice_fits_the_most_cards(paper, card, expected):
    grid = choose_grid(*PAPER_SIZES[paper], *CARD_SIZES[card])
    assert (grid.landscape, grid.cols, grid.rows) == expected


def test_no_card_fits_is_an_error():
    with pytest.raises(ValueError):
        choose_grid(*LETTER, 12 * inch, 10 * inch)


def test_mirror_axis_follows_the_flip_edge():
    portrait, landscape = (8.5 * inch, 11 * inch), (11 * inch, 8.5 * inch)
    assert mirror_axis(*portrait, "long") == "vertical"
    assert mirror_axis(*portrait, "short") == "horizontal"
    assert mirror_axis(*landscape, "long") == "horizontal"
    assert mirror_axis(*landscape, "short") == "vertical"
    assert mirror_axis(*landscape, "manual") == mirror_axis(*landscape, "long")


def test_mirror_by_hand():
    r = Rect(10, 20, 100, 50)
    assert mirror(r, 300, 400, "long") == Rect(190, 20, 100, 50)   # portrait, long: left-right
    assert mirror(r, 300, 400, "short") == Rect(10, 330, 100, 50)  # portrait, short: top-bottom
    assert mirror(r, 400, 300, "long") == Rect(10, 230, 100, 50)   # landscape, long: top-bottom


def test_deck_order_fills_sheet_by_sheet():
    assert positions(5, 4, "deck") == [(0, 0), (0, 1), (0, 2), (0, 3), (1, 0)]


def test_stack_order_by_hand():
    # 10 cards, 4 slots: 3 sheets; slot 0 holds cards 0,1,2, slot 1 cards 3,4,5, ...
    got = positions(10, 4, "stack")
    assert got[:4] == [(0, 0), (1, 0), (2, 0), (0, 1)]
    assert got[-1] == (0, 3)


def piles_after_cutting(count: int, slots: int) -> list[int]:
    """Simulate the guillotine: cut the stack (sheet 1 on top), pile slot 0 on top of slot 1..."""
    pos = positions(count, slots, "stack")
    sheets = sheet_count(count, slots)
    at = {p: card for card, p in enumerate(pos)}
    deck: list[int] = []
    for slot in range(slots):
        deck += [at[(sheet, slot)] for sheet in range(sheets) if (sheet, slot) in at]
    return deck


@given(count=st.integers(1, 200), slots=st.integers(1, 12))
def test_stack_cutting_gives_the_deck_in_order(count, slots):
    assert piles_after_cutting(count, slots) == list(range(count))
    pos = positions(count, slots, "stack")
    assert len(set(pos)) == count  # no two cards share a slot
    assert max(sheet for sheet, _ in pos) + 1 == sheet_count(count, slots)  # no more sheets than deck order


@given(count=st.integers(1, 200), slots=st.integers(1, 12), order=st.sampled_from(["deck", "stack"]))
def test_positions_are_distinct_and_on_the_sheet(count, slots, order):
    pos = positions(count, slots, order)
    assert len(set(pos)) == count
    assert all(0 <= slot < slots for _, slot in pos)


sizes = st.sampled_from(list(CARD_SIZES.values())) | st.tuples(
    st.floats(40 * mm, 200 * mm), st.floats(40 * mm, 200 * mm)).map(lambda t: (max(t), min(t)))
papers = st.sampled_from([LETTER, A4])
flips = st.sampled_from(["long", "short", "manual"])
offsets = st.tuples(st.floats(-20 * mm, 20 * mm), st.floats(-20 * mm, 20 * mm))


@settings(max_examples=300, deadline=None)
@given(card=sizes, paper=papers, flip=flips, order=st.sampled_from(["deck", "stack"]),
       count=st.integers(1, 40), offset=offsets)
def test_imposition_properties(card, paper, flip, order, count, offset):
    try:
        plain = choose_grid(*paper, *card)
        grid = choose_grid(*paper, *card, landscape=plain.landscape, back_offset=offset, flip=flip)
    except ValueError:
        return  # too big for the sheet with this offset; the build reports it
    # an offset costs room only along its own axis and only its own size (mirrored or not,
    # the back moves |X| across and |Y| down the sheet relative to its front)
    across, down = (offset[0], offset[1])
    assert grid.cols == int((grid.sheet_w - 2 * MARGIN - abs(across)) / card[0] + 1e-6)
    assert grid.rows == int((grid.sheet_h - 2 * MARGIN - abs(down)) / card[1] + 1e-6)
    # the fronts stay where they are without an offset whenever the backs fit there
    plain_backs_fit = all(mirror(plain.slot_rect(i), plain.sheet_w, plain.sheet_h, flip).moved(*offset)
                          .inside(plain.printable) for i in range(plain.slots))
    if plain_backs_fit:
        assert grid == plain
    placements = impose(count, grid, flip, order, offset)
    area = grid.printable
    by_sheet: dict[int, list] = {}
    for p in placements:
        by_sheet.setdefault(p.sheet, []).append(p)
        assert p.front.inside(area)
        assert p.back.inside(Rect(MARGIN, MARGIN, grid.sheet_w - 2 * MARGIN, grid.sheet_h - 2 * MARGIN))
        # every back, shifted back and mirrored again, is exactly its front
        unshifted = p.back.moved(-offset[0], -offset[1])
        again = mirror(unshifted, grid.sheet_w, grid.sheet_h, flip)
        for a, b in ((again.x, p.front.x), (again.y, p.front.y), (again.w, p.front.w), (again.h, p.front.h)):
            assert a == pytest.approx(b, abs=1e-6)
    for group in by_sheet.values():
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                assert not a.front.overlaps(b.front)
                assert not a.back.overlaps(b.back)
    assert len(by_sheet) == sheet_count(count, grid.slots)


@given(card=sizes, paper=papers)
def test_grid_is_the_best_of_both_orientations(card, paper):
    try:
        grid = choose_grid(*paper, *card)
    except ValueError:
        return
    short, long_ = sorted(paper)
    for w, h in ((short, long_), (long_, short)):
        cols = int((w - 2 * MARGIN) / card[0] + 1e-6)
        rows = int((h - 2 * MARGIN) / card[1] + 1e-6)
        assert grid.slots >= cols * rows


def test_cut_lines_stay_in_the_printable_area():
    grid = choose_grid(*LETTER, *CARD_SIZES["3x5"])
    area = grid.printable
    for x1, y1, x2, y2 in grid.cut_lines():
        for x, y in ((x1, y1), (x2, y2)):
            assert area.x - 1e-6 <= x <= area.right + 1e-6 and area.y - 1e-6 <= y <= area.top + 1e-6
    assert len(grid.cut_lines()) == (grid.cols + 1) + (grid.rows + 1)


def test_stock_is_one_card_per_page_and_backs_stay_put():
    grid = stock_grid(*CARD_SIZES["3x5"])
    (p,) = impose(1, grid, "long")
    assert p.front == p.back == Rect(0, 0, 5 * inch, 3 * inch)
    (q,) = impose(1, grid, "short", back_offset=(1.0, -2.0))
    assert q.back == Rect(1.0, -2.0, 5 * inch, 3 * inch)


def test_manual_backs_follow_the_fronts():
    assert manual_back_order(3) == [0, 1, 2]


def test_orientation_can_be_pinned():
    card = (210 * mm, 60 * mm)
    assert choose_grid(*LETTER, *card).landscape  # 1x3 landscape beats 0 portrait
    with pytest.raises(ValueError):
        choose_grid(*LETTER, *card, landscape=False)


# Three inches by five on Letter: a landscape 2x2 block of 254 x 152.4 mm on 279.4 x 215.9 mm
# leaves 279.4 - 12 - 254 = 13.4 mm of spare room across and 215.9 - 12 - 152.4 = 51.5 mm down.
THREE_FIVE = CARD_SIZES["3x5"]


@pytest.mark.parametrize("flip", ["long", "short", "manual"])
@pytest.mark.parametrize("offset_mm", [(0, 6.8), (0, -6.8), (6.5, 0), (-6.5, 0), (3, -20), (-1.5, 2)])
def test_an_offset_the_spare_room_takes_moves_only_the_backs(flip, offset_mm):
    """The audit's 0,6.8 gave 2 cards per sheet (the margin grew by 6.8 mm on all sides):
    a Y offset must not cost room across, and one that fits leaves the fronts alone."""
    offset = (offset_mm[0] * mm, offset_mm[1] * mm)
    plain = choose_grid(*LETTER, *THREE_FIVE)
    grid = choose_grid(*LETTER, *THREE_FIVE, landscape=plain.landscape, back_offset=offset, flip=flip)
    assert (grid.landscape, grid.cols, grid.rows) == (True, 2, 2)
    assert grid.shift == (0.0, 0.0) and grid.block == plain.block
    for p, q in zip(impose(4, plain, flip), impose(4, grid, flip, back_offset=offset)):
        assert q.front == p.front  # the fronts do not move
        assert q.back == p.back.moved(*offset)  # the backs move by exactly the offset
        assert q.back.inside(grid.printable)


@pytest.mark.parametrize("flip", ["long", "short"])
def test_a_larger_offset_moves_the_fronts_just_enough_to_keep_the_cards(flip):
    """12 mm across is more than the 6.7 mm each side of a centred block, but less than the
    13.4 mm of spare room: the block slides over by 5.3 mm and the sheet still holds 4."""
    for dx in (12 * mm, -12 * mm):
        grid = choose_grid(*LETTER, *THREE_FIVE, landscape=True, back_offset=(dx, 0.0), flip=flip)
        assert grid.slots == 4 and grid.shift[1] == 0.0
        assert abs(grid.shift[0]) == pytest.approx((12 - 6.7) * mm, abs=0.01 * mm)
        backs = [p.back for p in impose(4, grid, flip, back_offset=(dx, 0.0))]
        fronts = [p.front for p in impose(4, grid, flip)]
        for rect in backs + fronts:
            assert rect.inside(grid.printable)
        # one side of the backs' block (and, across the sheet, of the fronts') touches the margin
        edges = [min(r.x for r in backs), grid.sheet_w - max(r.right for r in backs)]
        assert min(edges) == pytest.approx(MARGIN, abs=1e-6)


def test_an_offset_beyond_the_spare_room_costs_cards_on_that_axis_only():
    grid = choose_grid(*LETTER, *THREE_FIVE, landscape=True, back_offset=(14 * mm, 0.0))
    assert (grid.cols, grid.rows) == (1, 2)  # 13.4 mm across is not enough; down is untouched
    grid = choose_grid(*LETTER, *THREE_FIVE, landscape=True, back_offset=(0.0, 20 * mm))
    assert (grid.cols, grid.rows) == (2, 2)  # 51.5 mm down: room to spare


def test_offset_room_says_how_far_the_cards_per_sheet_hold():
    from deckbuilder.outputs.sheets import offset_room

    across, down = offset_room(choose_grid(*LETTER, *THREE_FIVE))
    assert across == pytest.approx(13.4 * mm, abs=0.01 * mm) and down == pytest.approx(51.5 * mm, abs=0.01 * mm)
