"""Perforated card stock: the cards land on the maker's perforations, the backs behind them.

The published geometry is restated here from the makers' templates (see docs/printing.md),
not imported from the code under test: card size, the first card's distance from the
sheet's top-left corner, and the pitch from one card to the next.
"""

from __future__ import annotations

import pytest
from pdfcheck import page_sizes, path_points, text_boxes
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import inch, mm
from test_deck import expected_back, faces

from deckbuilder.layout.impose import impose
from deckbuilder.layout.stock import STOCKS, stock_sheet_grid

TOLERANCE = 0.5 * mm

# name: (sheet, card w, card h, cols, rows, left, top, pitch x, pitch y), all in points
PUBLISHED = {
    "avery-5388": (LETTER, 5 * inch, 3 * inch, 1, 3, 1.75 * inch, 1 * inch, 5 * inch, 3 * inch),
    "avery-5389": (LETTER, 6 * inch, 4 * inch, 1, 2, 1.25 * inch, 1.25 * inch, 6 * inch, 4.5 * inch),
    "avery-l7414": (A4, 90 * mm, 52 * mm, 2, 5, 42.51, 52.44, 255.1, 147.4),
    "zweckform-c32015": (A4, 85 * mm, 54 * mm, 2, 4, 17 * mm, 31.5 * mm, 91 * mm, 60 * mm),
}


def published_rects(name: str) -> list[tuple[float, float, float, float]]:
    """(x, y, w, h) of every card, PDF coordinates (origin bottom left), reading order."""
    (_sw, sh), w, h, cols, rows, left, top, px, py = PUBLISHED[name]
    return [(left + c * px, sh - top - r * py - h, w, h) for r in range(rows) for c in range(cols)]


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_presets_are_the_published_geometry(name):
    grid = stock_sheet_grid(STOCKS[name])
    assert (grid.sheet_w, grid.sheet_h) == pytest.approx(PUBLISHED[name][0])
    assert grid.cut_lines() == []
    for slot, (x, y, w, h) in enumerate(published_rects(name)):
        r = grid.slot_rect(slot)
        assert max(abs(r.x - x), abs(r.y - y), abs(r.w - w), abs(r.h - h)) <= TOLERANCE, (name, slot)
    for p in impose(grid.slots, grid, "long"):  # a long-edge flip of a portrait sheet mirrors left-right
        assert p.back.x == pytest.approx(grid.sheet_w - p.front.right) and p.back.y == pytest.approx(p.front.y)


@pytest.fixture(scope="module")
def stock_pdfs(tmp_path_factory):
    from conftest import STARTER

    from deckbuilder.cli import main

    built = {}
    for name in ("avery-5388", "zweckform-c32015"):
        ws = tmp_path_factory.mktemp(name) / "ws"
        (ws / "content").mkdir(parents=True)
        for source in STARTER.glob("*.yaml"):
            (ws / "content" / source.name).write_text(source.read_text("utf-8"), "utf-8")
        for flip in ("long", "short"):
            assert main(["build", str(ws), "--only", "cards", "--paper", name, "--flip", flip]) == 0
            target = ws / "output" / f"cards-{flip}.pdf"
            (ws / "output" / "cards.pdf").rename(target)
            built[(name, flip)] = target
    return built


@pytest.mark.parametrize("name", ["avery-5388", "zweckform-c32015"])
@pytest.mark.parametrize("flip", ["long", "short"])
def test_stock_pdf_cards_sit_on_the_perforations_and_backs_behind_fronts(stock_pdfs, name, flip):
    pdf = stock_pdfs[(name, flip)]
    (sw, sh), w, h, *_ = PUBLISHED[name]
    sizes = page_sizes(pdf)
    assert all(size == pytest.approx((sw, sh)) for size in sizes)
    rects = published_rects(name)
    found = faces(pdf)
    count = len(found) // 2
    assert count == 7  # the starter deck
    worst = 0.0
    for n in range(1, count + 1):
        page, fx, fy = found[(n, "front")]
        slot = (n - 1) % len(rects)
        assert page == 2 * ((n - 1) // len(rects))
        x, y, _, _ = rects[slot]
        worst = max(worst, abs(fx - x), abs(fy - y))
        back_page, bx, by = found[(n, "back")]
        ex, ey = expected_back(fx, fy, (w, h), (sw, sh), flip)
        assert back_page == page + 1
        assert abs(bx - ex) <= TOLERANCE and abs(by - ey) <= TOLERANCE
    assert worst <= TOLERANCE, worst / mm
    # No cut lines: the perforations are the cuts. What is drawn (a back's rule under its running
    # title) stays inside a card, never crossing the sheet's margins as a cut line would.
    inside = [(x, y, x + w, y + h) for x, y, _, _ in rects]
    inside += [(sw - x - w, y, sw - x, y + h) for x, y, _, _ in rects]  # backs mirrored for a long-edge turn
    inside += [(x, sh - y - h, x + w, sh - y) for x, y, _, _ in rects]  # and for a short-edge turn
    for index in range(len(sizes)):
        for px, py in path_points(pdf, index):
            assert any(x0 - 0.5 <= px <= x1 + 0.5 and y0 - 0.5 <= py <= y1 + 0.5 for x0, y0, x1, y1 in inside), \
                (index, px, py)


@pytest.mark.parametrize("name", ["avery-5388", "zweckform-c32015"])
def test_stock_text_stays_inside_a_safe_margin_of_its_card(stock_pdfs, name):
    """Every line of text at least 3 mm inside the perforations of the card it is on."""
    pdf = stock_pdfs[(name, "long")]
    rects = published_rects(name)
    safe = 3 * mm
    for index, boxes in enumerate(text_boxes(pdf)):
        for box in boxes:
            inside = [r for r in rects if r[0] + safe - 0.01 <= box.x and box.right <= r[0] + r[2] - safe + 0.01
                      and r[1] + safe - 0.01 <= box.y <= r[1] + r[3] - safe + 0.01]
            assert inside, f"page {index + 1}: {box.text!r} at {box.x / mm:.1f},{box.y / mm:.1f} mm"
