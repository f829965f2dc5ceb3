"""calibrate.pdf read back: the marks, the scales in millimetres, the offset on the back only."""

from __future__ import annotations

import pytest
from reportlab.lib.units import mm

from deckbuilder.layout.sizes import CARD_SIZES
from pdfcheck import page_sizes, path_points, text_runs, viewer_duplex

MARGIN = 6 * mm


def calibrate(run_cli, ws, *args):
    result = run_cli("calibrate", ws, *args)
    assert result.code == 0, result.err
    assert "wrote output/calibrate.pdf" in result.out
    return ws / "output" / "calibrate.pdf"


def long_tick_xs(pdf, centre_y: float) -> list[float]:
    """x of the X scale's numbered ticks (the points 4 mm above its row, 15 mm above the centre)."""
    top = centre_y + 15 * mm + 4 * mm
    return sorted(round(x, 3) for x, y in path_points(pdf, 1) if abs(y - top) < 0.01)


def test_calibration_sheet_marks_and_scales(run_cli, tmp_path):
    ws = tmp_path / "anywhere"  # needs no content/
    ws.mkdir()
    pdf = calibrate(run_cli, ws)
    (w, h), back_size = page_sizes(pdf)
    assert back_size == (w, h) and w > h  # letter landscape, as a 3x5 deck is imposed
    assert viewer_duplex(pdf) == "/DuplexFlipLongEdge"
    cx, cy = w / 2, h / 2
    front = path_points(pdf, 0)
    assert (pytest.approx(cx), pytest.approx(cy - 21 * mm)) in front  # the cross's vertical arm
    # numbered ticks of the X scale: -10, -5, 0, +5, +10 mm around the spot behind the centre
    assert long_tick_xs(pdf, cy) == [pytest.approx(cx + k * mm, abs=0.01) for k in (-10, -5, 0, 5, 10)]
    row = cy + 20 * mm  # the X scale's numbers, above its ticks
    labels = {r.text: r for r in text_runs(pdf)[1] if r.text in ("+5", "-5") and abs(r.y - row) < 1 * mm}
    assert labels["+5"].x > cx > labels["-5"].x  # + reads to the right
    for page in (0, 1):
        for x, y in path_points(pdf, page):
            assert MARGIN - 0.01 <= x <= w - MARGIN + 0.01 and MARGIN - 0.01 <= y <= h - MARGIN + 0.01
        for run in text_runs(pdf)[page]:
            assert MARGIN - 0.01 <= run.x <= w - MARGIN and MARGIN - 0.01 <= run.y <= h - MARGIN


def test_back_offset_moves_only_the_back(run_cli, tmp_path):
    plain = calibrate(run_cli, tmp_path, "--paper", "a4", "--flip", "short")
    front, back = path_points(plain, 0), path_points(plain, 1)
    texts = text_runs(plain)
    assert viewer_duplex(plain) == "/DuplexFlipShortEdge"
    shifted = calibrate(run_cli, tmp_path, "--paper", "a4", "--flip", "short", "--back-offset", "1.5,-2")
    assert path_points(shifted, 0) == front
    moved = path_points(shifted, 1)
    assert len(moved) == len(back)
    for (x, y), (x2, y2) in zip(back, moved):
        assert x2 - x == pytest.approx(1.5 * mm, abs=0.01) and y2 - y == pytest.approx(-2 * mm, abs=0.01)
    shifted_texts = text_runs(shifted)
    for a, b in zip(texts[1], shifted_texts[1]):
        if a.text == b.text and "offset" not in a.text:
            assert b.x - a.x == pytest.approx(1.5 * mm, abs=0.01) and b.y - a.y == pytest.approx(-2 * mm, abs=0.01)


def test_stock_and_manual(run_cli, tmp_path):
    pdf = calibrate(run_cli, tmp_path, "--paper", "stock", "--card", "a7", "--flip", "manual")
    assert page_sizes(pdf) == [pytest.approx(CARD_SIZES["a7"])] * 2
    assert viewer_duplex(pdf) == "/Simplex"
    too_small = run_cli("calibrate", tmp_path, "--paper", "stock", "--card", "60x45mm")
    assert too_small.code == 2 and "too small" in too_small.err


def test_signed_back_offset_after_a_space(run_cli, tmp_path):
    """`calibrate --back-offset -1,2` (a negative X, written as the README's step 4 says)."""
    plain = path_points(calibrate(run_cli, tmp_path), 1)
    for value, (dx, dy) in (("-1,2", (-1, 2)), ("+1.5,-0.5", (1.5, -0.5))):
        moved = path_points(calibrate(run_cli, tmp_path, "--back-offset", value), 1)
        assert len(moved) == len(plain)
        for (x, y), (x2, y2) in zip(plain, moved):
            assert (x2 - x, y2 - y) == (pytest.approx(dx * mm, abs=0.01), pytest.approx(dy * mm, abs=0.01))
