"""cards.pdf read back: every back behind its own front, labels, floors, errors, orders.

The duplex rule is restated here from the physical model (not imported from the code
under test): turning a sheet over its long edge mirrors left-right on a portrait page and
top-bottom on a landscape page; the short edge is the other way round.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from pdfcheck import Run, page_sizes, path_points, text_boxes, text_runs, text_sizes, viewer_duplex
from reportlab.lib.units import mm

from deckbuilder.layout.sizes import CARD_SIZES
from deckbuilder.outputs.faces import SHEET_PADDING, STOCK_PADDING

LABEL = "Example"  # the starter deck's label
POSITION = re.compile(r"^(\d+)/(\d+)$")
MARGIN = 6 * mm
TOLERANCE = 0.5 * mm

# One more bank question turns the starter's 7 cards (a partly filled second sheet of 4)
# into 8 (two full sheets).
EIGHTH_CARD = """\
question_bank:
  - principle: Earn Trust
    questions:
      - text: Tell me about a time you won over a sceptical team.
        stories: [api-disagreement]
"""
LONG_ANSWER = "\n".join(f"          - point {i}: a fairly long line of answer text that goes on and on" for i in range(60))


def lengthen_phase_3(ws: Path) -> None:
    """Phase 3's answer, 60 long lines longer: too long for any card, so --split continues it."""
    path = ws / "content" / "deep-dive.yaml"
    start = "        answer: |\n          **p95 180 ms**"
    assert start in path.read_text()
    path.write_text(path.read_text().replace(start, "        answer: |\n" + LONG_ANSWER + "\n          **p95 180 ms**"))


def build(run_cli, ws: Path, *args: str) -> Path:
    result = run_cli("build", ws, "--only", "cards", *args)
    assert result.code == 0, result.err
    return ws / "output" / "cards.pdf"


def faces(pdf: Path | list[list[Run]], pad: float = SHEET_PADDING) -> dict[tuple[int, str], tuple[int, float, float]]:
    """(card number, side) -> (page index, x, y of the card's lower-left corner), from the labels.

    A face's footer has the deck label at its left and ``n/N`` at its right, on one
    baseline ``pad`` above the card's bottom edge and ``pad`` in from its left edge.
    """
    found: dict[tuple[int, str], tuple[int, float, float]] = {}
    pages = text_runs(pdf) if isinstance(pdf, Path) else pdf
    for index, runs in enumerate(pages):
        for run in runs:
            m = POSITION.match(run.text)
            if not m:
                continue
            left = [r for r in runs if r.text.startswith(LABEL) and abs(r.y - run.y) < 0.01 and r.x < run.x]
            assert left, f"n/N {run.text} on page {index + 1} has no deck label beside it"
            corner = max(left, key=lambda r: r.x)
            side = "front" if index % 2 == 0 else "back"
            key = (int(m.group(1)), side)
            assert key not in found, f"{run.text} appears twice as a {side}"
            found[key] = (index, corner.x - pad, corner.y - pad)
    return found


def expected_back(x: float, y: float, card: tuple[float, float], sheet: tuple[float, float], flip: str):
    (w, h), (sw, sh) = card, sheet
    portrait = sw <= sh
    if (flip == "long") == portrait:
        return sw - x - w, y
    return x, sh - y - h


def positions_of(pdf: Path | list[list[Run]]) -> list[str]:
    pages = text_runs(pdf) if isinstance(pdf, Path) else pdf
    return [r.text for page in pages for r in page if POSITION.match(r.text)]


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("card", ["3x5", "a7"])
@pytest.mark.parametrize("count", [7, 8])  # partly filled last sheet, full last sheet
def test_every_back_lands_behind_its_own_front(run_cli, make_workspace, paper, card, count):
    ws = make_workspace({"content/more.yaml": EIGHTH_CARD} if count == 8 else None)
    card_wh = CARD_SIZES[card]
    floor = 7.0 if card == "3x5" else 6.5
    worst = 0.0
    for flip in ("long", "short"):
        pdf = build(run_cli, ws, "--paper", paper, "--card", card, "--flip", flip)
        sizes = page_sizes(pdf)
        sheet = sizes[0]
        assert set(sizes) == {sheet} and sheet[0] > sheet[1]  # 3x5 and A7 both go 2x2 on a landscape sheet
        assert len(sizes) == 2 * math.ceil(count / 4)
        assert viewer_duplex(pdf) == ("/DuplexFlipLongEdge" if flip == "long" else "/DuplexFlipShortEdge")
        runs = text_runs(pdf)  # read once: text extraction is most of this test's time
        found = faces(runs)
        labels = positions_of(runs)
        assert len(labels) == 2 * count and all(p.endswith(f"/{count}") for p in labels)
        for n in range(1, count + 1):
            front_page, fx, fy = found[(n, "front")]
            back_page, bx, by = found[(n, "back")]
            assert front_page % 2 == 0 and back_page == front_page + 1  # front odd page, back the page after
            ex, ey = expected_back(fx, fy, card_wh, sheet, flip)
            worst = max(worst, abs(ex - bx), abs(ey - by))
            assert abs(ex - bx) <= TOLERANCE and abs(ey - by) <= TOLERANCE, (flip, n, (ex, ey), (bx, by))
            for x, y in ((fx, fy), (bx, by)):  # the whole card inside the 6 mm margin
                assert x >= MARGIN - 0.01 and x + card_wh[0] <= sheet[0] - MARGIN + 0.01
                assert y >= MARGIN - 0.01 and y + card_wh[1] <= sheet[1] - MARGIN + 0.01
        assert len(found) == 2 * count
        for index in range(len(sizes)):
            points = path_points(pdf, index)
            if index % 2:  # no cut lines on the backs: only the rules drawn inside a card (its running title's)
                cards_here = [(x, y) for page, x, y in found.values() if page == index]
                assert all(any(cx + 1 <= x <= cx + card_wh[0] - 1 and cy + 1 <= y <= cy + card_wh[1] - 1
                               for cx, cy in cards_here) for x, y in points)
            else:
                assert points and all(MARGIN - 0.01 <= x <= sheet[0] - MARGIN + 0.01
                                      and MARGIN - 0.01 <= y <= sheet[1] - MARGIN + 0.01 for x, y in points)
        assert min(r.size for page in runs for r in page) >= floor
    assert worst < 0.01  # in points: the backs are exact, the 0.5 mm is the test's allowance


def test_back_offset_moves_the_backs_and_only_the_backs(run_cli, make_workspace):
    ws = make_workspace()
    for paper, flip in (("letter", "long"), ("a4", "short")):
        plain = faces(build(run_cli, ws, "--paper", paper, "--flip", flip))
        shifted = faces(build(run_cli, ws, "--paper", paper, "--flip", flip, "--back-offset", "1.5,-0.75"))
        assert plain.keys() == shifted.keys()
        for key, (page, x, y) in plain.items():
            page2, x2, y2 = shifted[key]
            assert page == page2
            dx, dy = (1.5 * mm, -0.75 * mm) if key[1] == "back" else (0.0, 0.0)
            assert x2 - x == pytest.approx(dx, abs=0.01) and y2 - y == pytest.approx(dy, abs=0.01)


@pytest.mark.parametrize("value, expected", [("-1,2", (-1, 2)), ("+1.5,-0.5", (1.5, -0.5)), ("-2.5,-1", (-2.5, -1))])
def test_signed_back_offsets_are_taken_as_written(run_cli, make_workspace, value, expected):
    """A negative X (half of all printers need one) and the "+5" of the calibration scale's
    labels, written after --back-offset with a space, as the README shows them."""
    ws = make_workspace()
    plain = faces(build(run_cli, ws))
    shifted = faces(build(run_cli, ws, "--back-offset", value))
    for key, (_page, x, y) in plain.items():
        dx, dy = (expected[0] * mm, expected[1] * mm) if key[1] == "back" else (0.0, 0.0)
        assert shifted[key][1:] == (pytest.approx(x + dx, abs=0.01), pytest.approx(y + dy, abs=0.01))


def test_a_back_offset_that_is_not_a_pair_is_still_a_clear_error(run_cli, make_workspace):
    ws = make_workspace()
    for value in ("-1", "1;2", "+x,2", "-1,2,3"):
        result = run_cli("build", ws, "--only", "cards", "--back-offset", value)
        assert result.code == 2 and "is not X,Y in mm" in result.err, (value, result.err)
    with pytest.raises(SystemExit) as forgotten:  # argparse's own message for a missing value
        run_cli("build", ws, "--only", "cards", "--back-offset", "--split")
    assert forgotten.value.code == 2


def test_an_offset_that_costs_cards_per_sheet_says_so(run_cli, make_workspace):
    """0,6.8 on 3x5 Letter keeps 4 cards per sheet and the fronts where they were; 14,0 is
    more than the 13.4 mm of spare room across, so it costs 2 of them, with a warning."""
    ws = make_workspace()
    plain = faces(build(run_cli, ws))
    result = run_cli("build", ws, "--only", "cards", "--back-offset", "0,6.8")
    assert result.code == 0 and "--back-offset" not in result.err  # (the starter's coverage warnings are there)
    pdf = ws / "output" / "cards.pdf"
    assert len(page_sizes(pdf)) == 4  # 7 cards, 4 per sheet: 2 sheets
    assert {k: v for k, v in faces(pdf).items() if k[1] == "front"} == \
        {k: v for k, v in plain.items() if k[1] == "front"}
    costly = run_cli("build", ws, "--only", "cards", "--back-offset", "14,0")
    assert costly.code == 0
    assert "warning: --back-offset 14,0 leaves room for 2 cards per sheet instead of 4" in costly.err
    assert "up to 13.4 mm in X and 51.5 mm in Y" in costly.err
    assert len(page_sizes(pdf)) == 8


def test_stock_is_one_card_per_page_at_card_size(run_cli, make_workspace):
    ws = make_workspace()
    pdf = build(run_cli, ws, "--paper", "stock", "--card", "a7", "--back-offset", "1,1")
    sizes = page_sizes(pdf)
    assert len(sizes) == 14 and all(size == pytest.approx(CARD_SIZES["a7"]) for size in sizes)
    found = faces(pdf, STOCK_PADDING)
    for n in range(1, 8):
        assert found[(n, "front")] == (2 * n - 2, pytest.approx(0, abs=0.01), pytest.approx(0, abs=0.01))
        assert found[(n, "back")][1:] == (pytest.approx(1 * mm, abs=0.01), pytest.approx(1 * mm, abs=0.01))
    assert all(path_points(pdf, i) == [] for i in range(0, len(sizes), 2))  # no cut lines on stock
    for i in range(1, len(sizes), 2):  # a back's only drawing is its running title's rule, inside the margin
        assert all(MARGIN <= x <= sizes[i][0] - MARGIN and MARGIN <= y <= sizes[i][1] - MARGIN
                   for x, y in path_points(pdf, i))


def assert_text_inside(pdf: Path, margin: float = MARGIN) -> None:
    """Every line of text on every page, from its start to its end and from its baseline to
    the top of its capitals, at least ``margin`` from the page edge."""
    for index, ((w, h), boxes) in enumerate(zip(page_sizes(pdf), text_boxes(pdf))):
        for box in boxes:
            where = f"page {index + 1}: {box.text!r} at {box.x / mm:.1f},{box.y / mm:.1f} mm"
            assert box.x >= margin - 0.01 and box.right <= w - margin + 0.01, where
            assert box.y >= margin - 0.01 and box.y + 0.73 * box.size <= h - margin + 0.01, where


@pytest.mark.parametrize("card, offset", [("3x5", "10,-4"), ("3x5", "2,0"), ("a7", "-5,5"), ("a7", "-3,-12")])
def test_stock_backs_keep_the_printers_margin_when_shifted(run_cli, make_workspace, card, offset):
    """On stock the card is the page: a shifted back gives up the offset's size of its text
    area on the side it moves towards, so nothing prints into the 6 mm the printer cannot reach."""
    ws = make_workspace()
    pdf = build(run_cli, ws, "--paper", "stock", "--card", card, "--back-offset", offset)
    assert_text_inside(pdf)
    dx, dy = (float(v) * mm for v in offset.split(","))
    shifted = faces(pdf, STOCK_PADDING)
    plain = faces(build(run_cli, ws, "--paper", "stock", "--card", card), STOCK_PADDING)
    for (n, side), (page, x, y) in plain.items():  # the label still starts where the offset puts it
        if side == "back":
            assert shifted[(n, side)][1:] == (pytest.approx(max(dx, 0), abs=0.01), pytest.approx(max(dy, 0), abs=0.01))
        else:
            assert shifted[(n, side)] == (page, x, y)


def test_stock_refuses_an_offset_that_leaves_the_backs_too_little_room(run_cli, make_workspace):
    ws = make_workspace()
    before = build(run_cli, ws, "--paper", "stock", "--card", "40x40mm", "--split").read_bytes()
    result = run_cli("build", ws, "--only", "cards", "--paper", "stock", "--card", "40x40mm", "--split",
                     "--back-offset", "8,0")
    assert result.code == 2
    assert "--back-offset 8,0 is too large for 40x40mm card stock" in result.err
    assert (ws / "output" / "cards.pdf").read_bytes() == before


def test_manual_duplex_writes_fronts_and_backs(run_cli, make_workspace):
    ws = make_workspace({"content/more.yaml": EIGHTH_CARD})
    result = run_cli("build", ws, "--only", "cards", "--flip", "manual")
    assert result.code == 0, result.err
    out = ws / "output"
    assert not (out / "cards.pdf").exists()
    fronts, backs = out / "cards-fronts.pdf", out / "cards-backs.pdf"
    assert viewer_duplex(fronts) == viewer_duplex(backs) == "/Simplex"
    front_pages, back_pages = text_runs(fronts), text_runs(backs)
    assert len(front_pages) == len(back_pages) == 2

    def numbers(runs: list[Run]) -> set[str]:
        return {r.text for r in runs if POSITION.match(r.text)}

    # backs in the fronts' order (the documented re-feeding assumption)
    assert [numbers(p) for p in back_pages] == [numbers(p) for p in front_pages]
    sheet = page_sizes(fronts)[0]
    for _n, ((fx, fy), (bx, by)) in faces_pairwise(fronts, backs).items():
        ex, ey = expected_back(fx, fy, CARD_SIZES["3x5"], sheet, "long")  # manual = a long-edge turn
        assert abs(ex - bx) <= TOLERANCE and abs(ey - by) <= TOLERANCE


def faces_pairwise(fronts: Path, backs: Path) -> dict[int, tuple[tuple[float, float], tuple[float, float]]]:
    def corners(pdf: Path) -> dict[int, tuple[float, float]]:
        out = {}
        for runs in text_runs(pdf):
            for run in runs:
                m = POSITION.match(run.text)
                if m:
                    left = max((r for r in runs if r.text.startswith(LABEL) and abs(r.y - run.y) < 0.01
                                and r.x < run.x), key=lambda r: r.x)
                    out[int(m.group(1))] = (left.x - SHEET_PADDING, left.y - SHEET_PADDING)
        return out

    f, b = corners(fronts), corners(backs)
    assert f.keys() == b.keys()
    return {n: (f[n], b[n]) for n in f}


def test_stack_order_cuts_into_deck_order(run_cli, make_workspace):
    extra = EIGHTH_CARD + "".join(f"      - text: Another question number {i}?\n        stories: [outage-call]\n"
                                  for i in range(2))
    ws = make_workspace({"content/more.yaml": extra})  # 10 cards: 3 sheets of 4 slots
    pdf = build(run_cli, ws, "--order", "stack")
    pages = text_runs(pdf)
    fronts = pages[0::2]
    assert len(fronts) == 3
    slot_cards: list[list[int]] = []  # per sheet, the card numbers in slot (reading) order
    for runs in fronts:
        labels = sorted((r for r in runs if POSITION.match(r.text)), key=lambda r: (-round(r.y), r.x))
        slot_cards.append([int(POSITION.match(r.text).group(1)) for r in labels])
    # reading order on a sheet with gaps only at the end: slot j is the j-th label while the
    # sheet is full; cut the stack (sheet 1 on top) and put the piles on one another
    piles = [[sheet[j] for sheet in slot_cards if j < len(sheet)] for j in range(4)]
    assert [n for pile in piles for n in pile] == list(range(1, 11))


def test_over_long_face_is_an_error_and_keeps_the_previous_deck(run_cli, make_workspace):
    ws = make_workspace()
    before = build(run_cli, ws).read_bytes()
    deep = (ws / "content" / "deep-dive.yaml").read_text()
    long_deep = deep.replace("        answer: |\n          **p95 180 ms**",
                             "        answer: |\n" + LONG_ANSWER + "\n          **p95 180 ms**")
    assert long_deep != deep
    (ws / "content" / "deep-dive.yaml").write_text(long_deep)
    result = run_cli("build", ws, "--only", "cards")
    assert result.code == 2
    assert "deep-dive.yaml:" in result.err
    assert "the back of phase 3 'IMPACT' of search-revamp (card 3/7)" in result.err
    assert re.search(r"is \d+% too long for a 3x5 card even at 7 pt: about \d+ lines too many", result.err)
    assert "--split" in result.err and "Traceback" not in result.err
    assert (ws / "output" / "cards.pdf").read_bytes() == before
    assert [p.name for p in (ws / "output").iterdir() if p.name.endswith(".tmp")] == []


def test_split_continues_on_cards_marked_cont(run_cli, make_workspace):
    ws = make_workspace()
    lengthen_phase_3(ws)
    pdf = build(run_cli, ws, "--split")
    labels = positions_of(pdf)
    total = int(labels[0].split("/")[1])
    assert total > 7 and len(labels) == 2 * total
    runs = [r for page in text_runs(pdf) for r in page]
    cont = [r for r in runs if r.text == f"{LABEL} · cont."]
    assert len(cont) == 2 * (total - 7)  # both faces of every continuation card
    text = " ".join(r.text for r in runs)
    assert "point 0:" in text and "point 59:" in text and "p95 180 ms" in text  # nothing lost
    assert min(size for _, size in text_sizes(pdf)) >= 7.0
    # the continuation cards' fronts name the card and say "(cont.)"; the cue is on its own card only
    fronts = " ".join(r.text for page in text_runs(pdf)[0::2] for r in page)
    assert fronts.count("3. IMPACT (cont.)") == total - 7
    assert fronts.count("180 ms") == 1


def footers(pdf: Path) -> list[tuple[str, float, float, str]]:
    """Every face's footer: (its left text, where that ends, where n/N starts, n/N)."""
    found = []
    for boxes in text_boxes(pdf):
        for box in boxes:
            if POSITION.match(box.text):
                left = sorted((b for b in boxes if abs(b.y - box.y) < 0.01 and b.x < box.x  # not a story's "≈ 2:10"
                               and not b.text.startswith("≈")), key=lambda b: -b.x)[:1]
                found.append((left[0].text if left else "", left[0].right if left else -1.0, box.x, box.text))
    return found


@pytest.mark.parametrize("card, label", [("40x40mm", None), ("60x40mm", "W" * 24), ("a7", "W" * 24),
                                         ("40x40mm", "Amazon SDE loop · Oct 9")])
def test_footer_label_gives_way_to_n_of_N(run_cli, make_workspace, card, label):
    """n/N prints whole on every face and nothing overlaps it: a label too long for the room
    left is cut short with an ellipsis ("· cont." keeps its place after it)."""
    ws = make_workspace({"content/more.yaml": EIGHTH_CARD})
    if label:
        interview = ws / "content" / "interview.yaml"
        interview.write_text(interview.read_text().replace("label: Example", f'label: "{label}"'))
    lengthen_phase_3(ws)  # makes continuation cards
    pdf = build(run_cli, ws, "--card", card, "--split")
    label = label or LABEL
    rows = footers(pdf)
    total = int(rows[0][3].split("/")[1])
    assert total > 8  # continuation cards among them
    assert sorted(int(r[3].split("/")[0]) for r in rows) == sorted(list(range(1, total + 1)) * 2)
    assert {r[3] for r in rows} == {f"{n}/{total}" for n in range(1, total + 1)}  # whole, as n/N
    size = min(b.size for page in text_boxes(pdf) for b in page if POSITION.match(b.text))
    marked = 0
    for left, end, start, position in rows:
        assert end <= start - 0.7 * size, (left, position)  # a clear gap before n/N
        shown = left.removesuffix(" · cont.")
        marked += left.endswith(" · cont.") or shown == "cont."
        assert shown == label or (shown.endswith("\u2026") and label.startswith(shown[:-1])), left
        if card == "60x40mm" and label == "W" * 24:
            assert shown != label  # 24 W's (154 pt at 6.5 pt) never fit beside n/N on a 60 mm card
    assert marked == 2 * (total - 8)  # both faces of every continuation card say so
    assert_no_text_crosses_a_cut_line(pdf)


def assert_no_text_crosses_a_cut_line(pdf: Path) -> None:
    boxes = text_boxes(pdf)
    for index in range(0, len(boxes), 2):  # the fronts carry the cut lines; backs mirror them
        points = path_points(pdf, index)
        columns = {round(a[0], 2) for a, b in zip(points[0::2], points[1::2]) if abs(a[0] - b[0]) < 0.01}
        assert columns
        for box in boxes[index]:
            assert not any(box.x + 0.01 < c < box.right - 0.01 for c in columns), (box.text, sorted(columns))


def test_faces_use_the_room_they_have(run_cli, make_workspace):
    """Short faces take the scale's largest step, larger cards a larger scale, and nothing is
    set at a size outside the scale (render.design)."""
    from deckbuilder.outputs.faces import face_style

    ws = make_workspace()
    for card in ("3x5", "4x6"):
        scale = face_style(*CARD_SIZES[card], stock=False).scale
        pdf = build(run_cli, ws, "--card", card)
        front_sizes = {round(s, 2) for _, s in text_sizes(pdf, 0)}
        back_sizes = {round(s, 2) for _, s in text_sizes(pdf, 1)}
        assert scale.focal in front_sizes and scale.front[0] in front_sizes and scale.back[0] in back_sizes
        assert front_sizes <= {scale.focal, scale.small, *scale.front}
        assert back_sizes <= {scale.small, *scale.back}
        if card == "4x6":
            assert scale.front[0] > 13.0 and scale.back[0] > 10.0  # not the 3x5 scale with white space under it


def test_switching_between_duplex_and_manual_names_the_older_files(run_cli, make_workspace):
    """The older kind stays (nothing of the user's is deleted) but the build says it is old."""
    ws = make_workspace()
    assert run_cli("build", ws, "--only", "cards").code == 0
    before = (ws / "output" / "cards.pdf").read_bytes()
    manual = run_cli("build", ws, "--only", "cards", "--flip", "manual")
    assert manual.code == 0
    assert "output/cards.pdf: left from an earlier build" in manual.err + manual.out
    assert (ws / "output" / "cards.pdf").read_bytes() == before
    duplex = run_cli("build", ws, "--only", "cards")
    assert "output/cards-fronts.pdf and output/cards-backs.pdf: left from an earlier build" in duplex.err + duplex.out
    again = run_cli("build", ws, "--only", "cards", "--flip", "manual")
    assert "left from an earlier build" in again.err + again.out  # cards.pdf was rewritten, still there
    (ws / "output" / "cards.pdf").unlink()
    quiet = run_cli("build", ws, "--only", "cards", "--flip", "manual")
    assert "left from an earlier build" not in quiet.err + quiet.out


def test_no_cards_to_build_says_the_old_cards_pdf_is_old(run_cli, make_workspace):
    """deck.sets: [] builds no cards; the cards.pdf of an earlier build stays (it is the user's
    file) but must not pass for this build's."""
    ws = make_workspace()
    before = build(run_cli, ws).read_bytes()
    interview = ws / "content" / "interview.yaml"
    interview.write_text(interview.read_text().replace("sets: [phases, stories, questions]", "sets: []"))
    for args in (("--only", "cards"), ()):
        result = run_cli("build", ws, *args)
        assert result.code == 0, result.err
        assert re.search(r"interview\.yaml:\d+: warning: no cards to build \(deck\.sets is empty\); "
                         r"output/cards\.pdf is left from an earlier build", result.err), result.err
    assert (ws / "output" / "cards.pdf").read_bytes() == before
    (ws / "output" / "cards.pdf").unlink()
    quiet = run_cli("build", ws, "--only", "cards")
    assert quiet.code == 0 and "no cards to build" not in quiet.err and "nothing to build" in quiet.err
