"""calibrate.pdf read back: the marks, the scales in millimetres, the offset on the back only."""

from __future__ import annotations

import re

import pytest
from pdfcheck import page_sizes, path_points, text_boxes, text_runs, viewer_duplex
from reportlab.lib.units import mm

from deckbuilder.layout.sizes import CARD_SIZES

MARGIN = 6 * mm
SCALE_LABEL = re.compile(r"^([+-]?\d+|X|Y)$")


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
    marks = [(a, b) for a, b in zip(texts[1], shifted_texts[1]) if SCALE_LABEL.match(a.text)]
    assert len(marks) == 12  # -10..+10 on each scale, and X and Y
    for a, b in marks:  # the scales' numbers move with their ticks
        assert a.text == b.text
        assert b.x - a.x == pytest.approx(1.5 * mm, abs=0.01) and b.y - a.y == pytest.approx(-2 * mm, abs=0.01)
    instructions = [r for r in shifted_texts[1] if not SCALE_LABEL.match(r.text)]
    assert instructions and {(r.x, r.y) for r in instructions} <= {(r.x, r.y) for r in texts[1]}  # they stay put


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


def text_and_marks(pdf, page: int):
    """The page's lines of text as boxes (x, baseline - descent, right, baseline + cap height)
    and the bounding box of its drawn marks, in points."""
    boxes = [(b.text, b.x, b.y - 0.25 * b.size, b.right, b.y + 0.75 * b.size) for b in text_boxes(pdf)[page]]
    points = path_points(pdf, page)
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return boxes, (min(xs), min(ys), max(xs), max(ys))


@pytest.mark.parametrize("args", [
    ("--paper", "stock"), ("--paper", "stock", "--card", "a7"),
    ("--paper", "stock", "--card", "a7", "--flip", "manual"),
    ("--paper", "stock", "--card", "4x6", "--back-offset", "-3,2"),
    ("--paper", "stock", "--card", "a6", "--flip", "short"),
    ("--back-offset", "-3,0"), ("--back-offset", "0,-3"), ("--back-offset", "20,20"), ("--back-offset", "-20,-20"),
    ("--paper", "a4", "--card", "4x6", "--flip", "manual", "--back-offset", "-5,5"),
])
def test_all_calibration_text_keeps_6_mm_from_the_edge_and_clear_of_the_marks(run_cli, tmp_path, args):
    """Stock has no sheet margin (the card is the page): the text sat 1 mm from its edge. And
    the back offset moved the back's instructions with the scales, 3 mm from the edge at -3,0."""
    pdf = calibrate(run_cli, tmp_path, *args)
    w, h = page_sizes(pdf)[0]
    for page in (0, 1):
        boxes, (mx0, my0, mx1, my1) = text_and_marks(pdf, page)
        assert mx0 >= MARGIN - 0.01 and mx1 <= w - MARGIN + 0.01 and my0 >= MARGIN - 0.01 and my1 <= h - MARGIN + 0.01
        for text, x0, y0, x1, y1 in boxes:
            where = f"page {page + 1}: {text!r} at {x0 / mm:.1f},{y0 / mm:.1f} mm"
            assert x0 >= MARGIN - 0.01 and x1 <= w - MARGIN + 0.01, where
            assert y0 >= MARGIN - 0.01 and y1 <= h - MARGIN + 0.01, where
            if not SCALE_LABEL.match(text) and "50 mm" not in text:  # instructions: clear of the cross and scales
                assert x1 < mx0 or x0 > mx1 or y1 < my0 or y0 > my1, where


def test_an_offset_that_pushes_the_scales_off_a_small_card_is_refused(run_cli, tmp_path):
    calibrate(run_cli, tmp_path, "--paper", "stock", "--card", "a7")
    result = run_cli("calibrate", tmp_path, "--paper", "stock", "--card", "a7", "--back-offset", "0,12")
    assert result.code == 2
    assert "--back-offset 0,12 on a7 card stock: the calibration marks moved by the back offset do not fit" \
        in result.err
    assert "letter or a4" in result.err


@pytest.mark.parametrize("paper", ["letter", "stock"])
def test_manual_flip_says_print_page_1_re_feed_print_page_2(run_cli, tmp_path, paper):
    """Without duplex there is no 'print both pages on one sheet, double-sided' to do."""
    result = run_cli("calibrate", tmp_path, "--paper", paper, "--flip", "manual")
    assert result.code == 0, result.err
    front = " ".join(r.text for r in text_runs(tmp_path / "output" / "calibrate.pdf")[0])
    assert "double-sided" not in front and "both pages" not in front
    if paper == "letter":
        assert "Print page 1 only, at 100%" in front and "Put the printed sheet back into the" in front
        assert "then print page 2, also at 100%" in front
    else:
        assert "manual: print page 1, re-feed, print page 2" in front
    assert "double-sided" not in result.out and "print page 1 at 100%" in result.out
    duplex = run_cli("calibrate", tmp_path, "--paper", paper)
    front = " ".join(r.text for r in text_runs(tmp_path / "output" / "calibrate.pdf")[0])
    assert "print it double-sided" in duplex.out
    assert ("Print both pages on one sheet, double-sided" in front) == (paper == "letter")


def test_calibrate_prints_on_the_paper_and_flip_deckbuilder_toml_builds_with(run_cli, make_workspace):
    """With the settings saved in the file, a bare 'calibrate' measures the printer the deck will use."""
    from reportlab.lib.pagesizes import A4

    ws = make_workspace({"deckbuilder.toml": '[print]\npaper = "a4"\nflip = "short"\n\n[output]\ndir = "prints"\n'})
    result = run_cli("calibrate", ws)
    assert result.code == 0, result.err
    assert "paper a4 (file)" in result.out and "--flip short" in result.out, result.out
    pdf = ws / "prints" / "calibrate.pdf"
    assert sorted(page_sizes(pdf)[0]) == pytest.approx(sorted(A4))
    assert "--flip long" in run_cli("calibrate", ws, "--flip", "long").out  # a flag still wins
    (ws / "deckbuilder.toml").write_text('[print]\nflip = "fold"\n', "utf-8")
    folded = run_cli("calibrate", ws)
    assert folded.code == 2 and "no back offset to measure" in folded.err, folded.err
