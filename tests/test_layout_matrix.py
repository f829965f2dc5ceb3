"""The matrix page's geometry and size search, without drawing anything."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matrixdata import STORIES, many_stories

from deckbuilder.content.principles import builtin_set
from deckbuilder.layout.matrix import FLOOR_PT, MARGIN, STEP_PT, MatrixLayout, MatrixText, MatrixTooLarge, layout_matrix
from deckbuilder.outputs.matrix import LEGEND, page_size, text_width

PRINCIPLES = [p.name for p in builtin_set().principles]
LETTER, A4 = page_size("letter"), page_size("a4")


def text(labels: list[str], rows: list[str] = PRINCIPLES) -> MatrixText:
    return MatrixText(rows=rows, columns=labels, title="Principles × stories — Example Corp, Senior Engineer",
                      subtitle="16 principles · n stories", legend=[t for _, _, t in LEGEND])


def labels(n: int, length: int = 24) -> list[str]:
    return [s[1] for s in many_stories(n, length)]


def assert_inside(lay: MatrixLayout, t: MatrixText) -> None:
    """Everything on the page, within the margins, nothing overlapping its neighbour."""
    w, h = lay.page
    assert lay.left >= MARGIN - 1e-6 and lay.right <= w - MARGIN + 1e-6
    assert lay.title_baseline + 0.76 * lay.title_size <= h - MARGIN + 1e-6  # DejaVu ascent
    assert min(i.baseline for i in lay.legend) - lay.legend_size * 0.3 >= MARGIN - 1e-6
    assert lay.bottom > max(i.baseline for i in lay.legend)
    if lay.rotated:  # every upright label fits in the header band
        room = lay.header_top - lay.header_bottom
        assert all(text_width(c, lay.size) < room for c in t.columns)
        assert lay.cell_w >= lay.size * 1.2  # one line of text across
    else:
        assert all(text_width(c, lay.size) < lay.cell_w for c in t.columns)
    assert all(text_width(r, lay.size) < lay.name_w for r in t.rows)
    assert text_width(t.title, lay.title_size, True) <= w - 2 * MARGIN + 1e-6
    right_edge = max(i.x + 2 * lay.legend_size + text_width(t.legend[i.index], lay.legend_size) for i in lay.legend)
    assert right_edge <= w - MARGIN + 1e-6


@pytest.mark.parametrize("page", [LETTER, A4], ids=["letter", "a4"])
def test_forty_stories_with_the_longest_labels_fit_one_page(page):
    t = text(labels(40, 24))
    lay = layout_matrix(t, page, text_width)
    assert lay.rotated and lay.size >= FLOOR_PT
    assert_inside(lay, t)


def test_sizes_for_the_real_shapes():
    """The figures the report quotes: 16 x 25 realistic labels, 16 x 40 longest labels."""
    real = layout_matrix(text([s[1] for s in STORIES]), LETTER, text_width)
    forty = layout_matrix(text(labels(40, 24)), LETTER, text_width)
    assert real.rotated and real.size == 10.0
    assert forty.rotated and forty.size == 7.5


def test_the_size_is_the_largest_that_fits():
    t = text(labels(40, 24))
    lay = layout_matrix(t, LETTER, text_width)
    with pytest.raises(MatrixTooLarge):
        layout_matrix(t, LETTER, text_width, floor=lay.size + STEP_PT, ceiling=lay.size + STEP_PT)


def test_few_stories_get_horizontal_headers():
    lay = layout_matrix(text(["Outage", "API fight"]), LETTER, text_width)
    assert not lay.rotated and lay.size == 10.0


def test_many_stories_always_get_upright_headers():
    lay = layout_matrix(text(["A", "B", "C", "D", "E", "F", "G", "H", "I"]), LETTER, text_width)
    assert lay.rotated


def test_too_many_columns_says_how_many_fit():
    with pytest.raises(MatrixTooLarge) as info:
        layout_matrix(text(labels(80)), LETTER, text_width)
    fit = info.value.columns_fit
    assert 40 <= fit < 80 and info.value.rows_fit >= 16
    layout_matrix(text(labels(fit)), LETTER, text_width)  # the number it names really fits
    with pytest.raises(MatrixTooLarge):
        layout_matrix(text(labels(fit + 1)), LETTER, text_width)


def test_too_many_rows_says_how_many_fit():
    rows = [f"Principle number {i}" for i in range(60)]
    with pytest.raises(MatrixTooLarge) as info:
        layout_matrix(text(labels(10), rows), LETTER, text_width)
    fit = info.value.rows_fit
    layout_matrix(text(labels(10), rows[:fit]), LETTER, text_width)
    with pytest.raises(MatrixTooLarge):
        layout_matrix(text(labels(10), rows[:fit + 1]), LETTER, text_width)


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 70), length=st.integers(1, 24), a4=st.booleans())
def test_any_story_count_fits_or_says_why(n, length, a4):
    page = A4 if a4 else LETTER
    t = text(labels(n, length))
    try:
        lay = layout_matrix(t, page, text_width)
    except MatrixTooLarge as exc:
        assert n > 40 and exc.columns_fit < n
        return
    assert lay.size >= FLOOR_PT
    assert_inside(lay, t)
