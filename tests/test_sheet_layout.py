"""The sheet's geometry as pure arithmetic: column balancing, the size x columns search,
the timeline's minutes and label choices. No PDF is made here, so these run in milliseconds."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deckbuilder.layout.columns import Band, Flow, Unit, balance, pack, stack_height
from deckbuilder.layout.fit import best_layout
from deckbuilder.layout.timeline import timeline, visible_labels

# ---------------------------------------------------------------- columns


def test_balance_splits_equal_units_evenly():
    units = [Unit(10, 2)] * 6
    result = balance(units, 3)
    assert result.starts == (0, 2, 4)
    assert result.height == pytest.approx(22)  # two units and one gap; a column's first gap is dropped


def test_balance_with_fewer_units_than_columns_uses_the_tallest_unit():
    result = balance([Unit(5), Unit(30, 4)], 3)
    assert result.height == 30
    assert result.starts == (0, 1)


def test_balance_of_nothing_is_empty():
    assert balance([], 3).height == 0 and balance([], 3).starts == ()


def test_pack_gives_an_oversized_unit_a_column_of_its_own():
    starts, tallest = pack([Unit(5), Unit(50, 1), Unit(5, 1)], 20)
    assert starts == [0, 1, 2] and tallest == 50


def test_page_height_stacks_bands_and_balanced_flows_with_gaps():
    blocks = [Band(40), Flow((Unit(10),) * 4), Band(0), Band(20)]
    assert stack_height(blocks, 2, gap=5) == pytest.approx(40 + 20 + 20 + 2 * 5)  # empty band adds no gap


unit_lists = st.lists(st.builds(Unit, st.floats(0.5, 80), st.floats(0, 6)), min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(unit_lists, st.integers(1, 4))
def test_balance_keeps_order_and_is_as_low_as_greedy_allows(units, columns):
    result = balance(units, columns)
    assert len(result.starts) <= columns
    assert result.starts[0] == 0 and list(result.starts) == sorted(set(result.starts))
    # the breaks it reports really give that height...
    bounds = [*result.starts, len(units)]
    heights = [sum(u.height for u in units[a:b]) + sum(u.gap_before for u in units[a + 1:b])
               for a, b in zip(bounds, bounds[1:])]
    assert max(heights) == pytest.approx(result.height)
    # ...and nothing visibly lower fits in the same number of columns
    if result.height > max(u.height for u in units) + 0.1:
        assert len(pack(units, result.height - 0.1)[0]) > columns


# ---------------------------------------------------------------- size x columns search


def test_best_layout_takes_the_column_count_with_the_larger_size():
    # 3 columns hold this content better: it needs less height at every size
    need = {2: lambda s: 100 * s, 3: lambda s: 70 * s}
    choice = best_layout(lambda c, s: need[c](s), 700, (2, 3), 7, 11)
    assert choice.columns == 3 and choice.fit.size == 10


def test_best_layout_prefers_fewer_columns_on_a_tie():
    choice = best_layout(lambda c, s: 10 * s, 700, (2, 3), 7, 11)
    assert choice.columns == 2 and choice.fit.size == 11


def test_best_layout_when_nothing_fits_reports_the_closest():
    choice = best_layout(lambda c, s: {2: 3000, 3: 2000}[c] * s / 7, 700, (2, 3), 7, 11)
    assert not choice.fit.fits and choice.columns == 3
    assert choice.fit.overflow_ratio == pytest.approx(2000 / 700)


def test_best_layout_measures_only_a_few_sizes():
    calls: list[tuple[int, float]] = []

    def measure(columns: int, size: float) -> float:
        calls.append((columns, size))
        return 60 * size

    best_layout(measure, 600, (2, 3), 7, 11, 0.25)
    assert len(calls) <= 2 * 6  # a binary search over 17 sizes per column count


# ---------------------------------------------------------------- timeline


def test_timeline_lays_phases_end_to_end_and_counts_upper_ends():
    tl = timeline([(1, 2, 2), (2, 2, 3), (3, 4, 4)], slot=8)
    assert [(s.start, s.firm_end, s.end) for s in tl.segments] == [(0, 2, 2), (2, 4, 5), (5, 9, 9)]
    assert (tl.planned_low, tl.planned_high) == (8, 9)
    assert tl.over == 1 and tl.spare == 0  # "2-3" counts as 3 against the slot
    assert tl.axis == 9
    assert tl.marks() == [0, 2, 5, 8, 9]


def test_timeline_with_room_to_spare_spans_the_slot():
    tl = timeline([(1, 3, 3), (2, None, None)], slot=20)
    assert tl.untimed == (2,)
    assert tl.axis == 20 and tl.spare == 17 and tl.over == 0
    assert tl.marks() == [0, 3, 20]


def test_timeline_without_a_slot_never_reports_over():
    tl = timeline([(1, 3, 5)], slot=None)
    assert tl.over == 0 and tl.spare == 0 and tl.axis == 5


def test_labels_that_would_collide_are_dropped_but_priority_ones_stay():
    shown = visible_labels([0, 5, 14, 100], [8, 8, 8, 8], 100, 2, priority=[3, 0])
    assert shown == [True, False, True, True]


def test_labels_are_kept_inside_the_bar():
    # a label centred on the bar's end would stick out; pushed inside it may hide its neighbour
    shown = visible_labels([90, 99], [10, 10], 100, 1, priority=[1])
    assert shown == [False, True]
