"""The sheet's geometry as pure arithmetic: column balancing, the size x columns search,
the timeline's minutes and label choices. No PDF is made here, so these run in milliseconds."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deckbuilder.layout.columns import Band, Flow, Unit, balance, pack, stack_height
from deckbuilder.layout.fit import best_layout
from deckbuilder.layout.timeline import NUMBER_PAD, PhaseLabel, Timeline, phase_labels, timeline, visible_labels
from deckbuilder.render.timeline import SLOT_LINE

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


def test_a_hint_that_is_still_the_answer_costs_two_measures_or_one():
    """``watch`` checks each column count's answer from the last search first (``hints``)."""
    calls: list[tuple[int, float]] = []

    def measure(columns: int, size: float) -> float:
        calls.append((columns, size))
        return {2: 90, 3: 60}[columns] * size

    found: dict = {}
    plain = best_layout(measure, 600, (2, 3), 7, 11, 0.25, found=found)
    assert set(found) == {2, 3} and found[2].size is None and found[3].size == 10.0
    calls.clear()
    hinted = best_layout(measure, 600, (2, 3), 7, 11, 0.25, hints=found)
    assert hinted == plain
    assert calls == [(2, 7.0), (3, 10.0), (3, 10.25)]  # the floor still overflows; 10 fits, 10.25 does not


def test_a_hint_never_changes_the_answer():
    """Whatever the hint (right, too small, too large, nothing fitted, another box), the answer
    is the one a search without it finds."""
    from deckbuilder.layout.fit import Fit, largest_fitting

    for per_point in (40, 55, 61, 75, 90):
        for available in (500, 600, 655):
            def measure(size: float, per_point: int = per_point) -> float:
                return per_point * size

            plain = largest_fitting(measure, available, 7, 11, 0.25)
            for hint_size in (None, 7.0, 8.5, 9.75, 10.0, 11.0, 12.0, 7.1):
                for hint_box in (available, available + 1):
                    hint = Fit(hint_size, 1.0, hint_box)
                    assert largest_fitting(measure, available, 7, 11, 0.25, hint) == plain


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


# ---------------------------------------------------------------- phase numbers in the bar

DIGIT_EM = 0.6958  # every digit of DejaVu Sans Bold is 0.6958 em wide
USER_PHASES = [(1, 2, 2), (2, 2, 2), (3, 2, 2), (4, 2, 2), (5, 2, 2), (6, 2, 3), (7, 2, 2), (8, 3, 4),
               (9, 2, 2), (10, 2, 2), (11, 3, 3), (12, 3, 3)]  # content/deep-dive.yaml: 27-29 minutes
LETTER_BAR, A4_BAR = 385.6, 373.6  # the sheet's bar beside its note, in points


def em_width(text: str) -> float:
    return DIGIT_EM * len(text)


def slot_line(tl: Timeline, bar: float) -> tuple[float, float] | None:
    """The x-range the slot-end line covers, as the drawing makes it."""
    return tl.slot_line(bar, SLOT_LINE)


def labels_for(phases, slot, bar=LETTER_BAR, size=7.0, floor=7.0):
    tl = timeline(phases, slot)
    placed, omitted = phase_labels(tl, bar, em_width, size, floor, slot_line(tl, bar))
    return tl, {label.number: label for label in placed}, omitted


def clear_of(label: PhaseLabel, keep_out: tuple[float, float] | None) -> bool:
    """The number and its clear space stay out of the slot-end line's x-range."""
    return (keep_out is None or label.right + label.pad <= keep_out[0] + 1e-6
            or label.left - label.pad >= keep_out[1] - 1e-6)


@pytest.mark.parametrize(("slot", "number"), [(20, 9), (3, 2)])
def test_the_phase_the_slot_ends_in_keeps_its_number_beside_the_line(slot, number):
    # the audit's cases: the line at 20 fell on phase 9's number, at 3 on phase 2's
    tl, placed, omitted = labels_for(USER_PHASES, slot)
    keep_out = slot_line(tl, LETTER_BAR)
    assert omitted == [] and all(clear_of(label, keep_out) for label in placed.values())
    assert placed[number].size == 7.0  # half the 2-minute segment is enough at full size
    assert placed[number].right < keep_out[0]  # the part of the phase inside the slot


def test_a_two_digit_number_fits_a_two_minute_segment_of_a_sixty_minute_bar():
    for bar in (LETTER_BAR, A4_BAR):
        _, placed, omitted = labels_for(USER_PHASES, 60, bar)
        assert omitted == [] and placed[10].size == 7.0, bar


def test_twenty_four_one_minute_phases_are_all_numbered():
    phases = [(n, 1, 1) for n in range(1, 25)]
    _, placed, omitted = labels_for(phases, 24, size=8.55)
    assert omitted == [] and sorted(placed) == list(range(1, 25))
    assert all(label.size == 8.55 for label in placed.values())  # 16 pt a phase: room at full size
    assert placed[24].right + placed[24].pad <= LETTER_BAR  # the slot line stands just past the bar's end


def test_the_slot_line_is_centred_on_its_minute_but_caps_a_full_bar_from_outside():
    assert timeline([(1, 30, 30)], 20).slot_line(300, 2) == (199, 201)  # over: on the minute
    assert timeline([(1, 20, 20)], 20).slot_line(200, 2) == (200, 202)  # full: just past the bar's end
    assert timeline([(1, 10, 10)], 20).slot_line(200, 2) == (200, 202)  # spare: the slot is the bar's end too
    assert timeline([(1, 20, 20)], None).slot_line(200, 2) is None


def test_thirty_one_minute_phases_filling_the_slot_are_all_numbered():
    # the last one once lost its number to the half of the slot line that fell inside the bar
    _, placed, omitted = labels_for([(n, 1, 1) for n in range(1, 31)], 30, size=7.9)
    assert omitted == [] and min(label.size for label in placed.values()) >= 7.0


def test_a_number_shrinks_to_the_floor_before_it_is_left_out():
    phases = [(n, 1, 1) for n in range(1, 31)]  # 10 pt a phase on a 300 pt bar
    _, placed, omitted = labels_for(phases, None, bar=300, size=9, floor=5)
    assert omitted == [] and placed[9].size == 9
    assert placed[10].size == pytest.approx(10 / (2 * DIGIT_EM + 2 * NUMBER_PAD))  # 5.9 pt
    _, placed, omitted = labels_for(phases, None, bar=300, size=9, floor=7)
    assert omitted == list(range(10, 31)) and sorted(placed) == list(range(1, 10))


def test_a_number_prefers_the_solid_part_to_the_hatched_end():
    _, placed, _ = labels_for([(1, 4, 6)], None, bar=60)  # 40 pt solid, 20 pt hatched
    assert not placed[1].knockout and placed[1].centre == pytest.approx(20)
    _, placed, _ = labels_for([(10, 1, 6)], None, bar=60)  # 10 pt solid: too narrow for "10" at 7 pt
    assert placed[10].knockout and placed[10].size == 7.0 and placed[10].centre == pytest.approx(30)


def widest_free_stretch(x0: float, x1: float, keep_out: tuple[float, float] | None) -> float:
    """The widest piece of ``[x0, x1]`` outside the slot-end line, worked out on its own."""
    if keep_out is None or keep_out[1] <= x0 or keep_out[0] >= x1:
        return x1 - x0
    return max(keep_out[0] - x0, x1 - keep_out[1], 0.0)


phase_minutes = st.lists(st.one_of(st.none(), st.tuples(st.integers(0, 10), st.integers(0, 5))),
                         min_size=1, max_size=40)


@settings(max_examples=300, deadline=None)
@given(phase_minutes, st.one_of(st.none(), st.integers(1, 90)), st.floats(80, 560), st.floats(7, 12),
       st.floats(4, 7))
def test_phase_numbers_fit_their_segments_clear_of_the_slot_line(minutes, slot, bar, size, floor):
    phases = [(n, None, None) if m is None else (n, m[0], m[0] + m[1]) for n, m in enumerate(minutes, 1)]
    tl = timeline(phases, slot)
    keep_out = slot_line(tl, bar)
    placed, omitted = phase_labels(tl, bar, em_width, size, floor, keep_out)
    assert sorted([label.number for label in placed] + omitted) == [s.number for s in tl.segments]
    segments = {s.number: s for s in tl.segments}
    for label in placed:
        seg = segments[label.number]
        x0, x_firm, x1 = (tl.to_points(m, bar) for m in (seg.start, seg.firm_end, seg.end))
        need = em_width(str(label.number)) + 2 * NUMBER_PAD
        assert floor - 1e-9 <= label.size <= size + 1e-9
        # as large as the widest stretch beside the line allows, up to the bar's size
        assert label.size == pytest.approx(min(size, widest_free_stretch(x0, x1, keep_out) / need))
        assert label.width == pytest.approx(em_width(str(label.number)) * label.size)
        assert x0 - 1e-6 <= label.left - label.pad and label.right + label.pad <= x1 + 1e-6
        assert clear_of(label, keep_out)
        assert label.knockout or label.right <= x_firm + 1e-6  # over the hatching only on a white patch
    for number in omitted:  # left out only when even the floor cannot fit
        seg = segments[number]
        x0, x1 = tl.to_points(seg.start, bar), tl.to_points(seg.end, bar)
        assert widest_free_stretch(x0, x1, keep_out) < floor * (em_width(str(number)) + 2 * NUMBER_PAD)
