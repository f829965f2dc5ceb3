"""Fold-over sheets, --select and --out, read back from the PDFs.

Fold-over is restated from paper folding: a pair's back is its front mirrored across the
fold line, so the two touch along it; side by side the back is upright (fold about a
vertical line, then turn the card like a book page), stacked it is turned a half turn.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pdfcheck import Run, page_sizes, path_points, text_runs
from reportlab.lib.units import mm
from test_deck import EIGHTH_CARD, LABEL, positions_of

from deckbuilder.layout.fold import fold_sheet
from deckbuilder.layout.impose import MARGIN
from deckbuilder.layout.sizes import CARD_SIZES, PAPER_SIZES
from deckbuilder.outputs.faces import SHEET_PADDING

POSITION = re.compile(r"^(\d+)/(\d+)$")
TOLERANCE = 0.5 * mm


def corners(pages: list[list[Run]], card: tuple[float, float]) -> dict[int, list[tuple[int, float, float, bool]]]:
    """n -> [(page, x, y, upright)] of each face's card rectangle (lower-left corner), from its footer:
    upright, the deck label is left of n/N on the baseline ``pad`` above the card's bottom; turned a
    half turn, it is right of n/N, ``pad`` below the card's top and ``pad`` in from its right edge."""
    w, h = card
    pad = SHEET_PADDING
    found: dict[int, list[tuple[int, float, float, bool]]] = {}
    for index, runs in enumerate(pages):
        for run in runs:
            m = POSITION.match(run.text)
            if not m:
                continue
            same_line = [r for r in runs if r.text.startswith(LABEL) and abs(r.y - run.y) < 0.01]
            left = [r for r in same_line if r.x < run.x]
            right = [r for r in same_line if r.x > run.x]
            if left:
                label = max(left, key=lambda r: r.x)
                found.setdefault(int(m.group(1)), []).append((index, label.x - pad, label.y - pad, True))
            else:
                label = min(right, key=lambda r: r.x)
                found.setdefault(int(m.group(1)), []).append((index, label.x + pad - w, label.y + pad - h, False))
    return found


def build(run_cli, ws: Path, *args: str) -> str:
    result = run_cli("build", ws, "--only", "cards", *args)
    assert result.code == 0, result.err
    return result.out + result.err


def test_fold_geometry_pairs_touch_along_the_fold_inside_the_margin():
    for paper in ("letter", "a4"):
        for card in ("3x5", "4x6", "a6", "a7"):
            w, h = CARD_SIZES[card]
            sheet = fold_sheet(*PAPER_SIZES[paper], w, h, MARGIN)  # every named size fits at least once
            for slot in range(sheet.slots):
                pair = sheet.pair(slot)
                if sheet.arrangement == "side":
                    assert pair.back.x == pytest.approx(pair.front.right) and pair.back.y == pytest.approx(pair.front.y)
                    assert pair.fold == pytest.approx((pair.front.right, pair.front.y, pair.front.right, pair.front.top))
                    assert not pair.back_rotated
                else:
                    assert pair.back.top == pytest.approx(pair.front.y) and pair.back.x == pytest.approx(pair.front.x)
                    assert pair.back_rotated
                for r in (pair.front, pair.back):
                    assert r.x >= MARGIN - 0.01 and r.right <= sheet.sheet_w - MARGIN + 0.01
                    assert r.y >= MARGIN - 0.01 and r.top <= sheet.sheet_h - MARGIN + 0.01


@pytest.mark.parametrize("card, arrangement", [("3x5", "side"), ("4x6", "stacked")])
def test_fold_puts_front_and_back_on_one_page_placed_for_the_fold(run_cli, make_workspace, card, arrangement):
    ws = make_workspace()
    build(run_cli, ws, "--flip", "fold", "--card", card)
    pdf = ws / "output" / "cards.pdf"
    w, h = CARD_SIZES[card]
    pages = text_runs(pdf)
    found = corners(pages, (w, h))
    assert sorted(found) == list(range(1, 8))
    for n, faces in found.items():
        assert len(faces) == 2 and faces[0][0] == faces[1][0], (n, faces)  # both faces on one page
        page = faces[0][0]
        if arrangement == "side":  # front left, back right against it, both upright
            (_, fx, fy, up1), (_, bx, by, up2) = sorted(faces, key=lambda f: f[1])
            assert up1 and up2
            assert abs(bx - (fx + w)) <= TOLERANCE and abs(by - fy) <= TOLERANCE
            fold = [(fx + w, fy), (fx + w, fy + h)]
        else:  # front above, back below against it, turned a half turn
            (_, bx, by, up_back), (_, fx, fy, up_front) = sorted(faces, key=lambda f: f[2])
            assert up_front and not up_back
            assert abs(bx - fx) <= TOLERANCE and abs(by - (fy - h)) <= TOLERANCE
            fold = [(fx, fy), (fx + w, fy)]
        points = path_points(pdf, page)
        for x, y in fold:  # the fold line runs along the edge the two faces share
            assert any(abs(px - x) <= TOLERANCE and abs(py - y) <= TOLERANCE for px, py in points), (n, x, y)
    sheet = page_sizes(pdf)[0]
    assert (sheet[0] > sheet[1]) == (arrangement == "side")  # 3x5 pairs: landscape Letter; 4x6: portrait
    runs_card_1 = pages[found[1][0][0]]
    cue = [r for r in runs_card_1 if "slow search" in r.text]
    front = min(found[1], key=lambda f: f[1]) if arrangement == "side" else max(found[1], key=lambda f: f[2])
    assert cue and all(front[1] <= r.x <= front[1] + w and front[2] <= r.y <= front[2] + h for r in cue)


def test_fold_refuses_a_card_too_big_for_it(run_cli, make_workspace):
    ws = make_workspace()
    result = run_cli("build", ws, "--only", "cards", "--flip", "fold", "--card", "200x120mm", "--paper", "a4")
    assert result.code == 2 and "do not fit on a4 paper" in result.err and "hint:" in result.err


def test_select_prints_only_the_chosen_cards_with_their_deck_labels(run_cli, make_workspace):
    ws = make_workspace()
    build(run_cli, ws, "--select", "outage-call")
    pdf = ws / "output" / "cards-selection.pdf"
    assert positions_of(pdf) == ["4/7", "4/7"]  # its front and its back, numbered as in the whole deck
    assert not (ws / "output" / "cards.pdf").exists()  # the whole deck is not replaced by a selection
    build(run_cli, ws, "--select", "principle:ownership,phases")
    assert sorted(set(positions_of(pdf))) == ["1/7", "2/7", "3/7", "4/7", "6/7"]
    bad = run_cli("build", ws, "--only", "cards", "--select", "no-such-story")
    assert bad.code == 2 and "--select no-such-story: no card matches" in bad.err and "outage-call" in bad.err


def test_select_takes_the_principle_names_the_content_takes_and_guesses_a_typo(run_cli, make_workspace):
    """principle:backbone (a short form accepted in content) selects; a misspelt id gets a did-you-mean."""
    ws = make_workspace()
    pdf = ws / "output" / "cards-selection.pdf"
    build(run_cli, ws, "--select", "principle:backbone")  # api-disagreement: Have Backbone; Disagree and Commit
    backbone = sorted(set(positions_of(pdf)))
    build(run_cli, ws, "--select", "api-disagreement")
    assert backbone and set(positions_of(pdf)) <= set(backbone)
    bad = run_cli("build", ws, "--only", "cards", "--select", "outage-cal,principle:ownrship")
    assert bad.code == 2, bad.err
    assert "did you mean 'outage-call' for 'outage-cal'?" in bad.err, bad.err
    assert "did you mean 'principle:Ownership' for 'principle:ownrship'?" in bad.err, bad.err
    none = run_cli("build", ws, "--only", "cards", "--select", "principle:think big")
    assert none.code == 2 and "no printed card is about 'Think Big' yet" in none.err, none.err
    ignored = run_cli("build", ws, "--only", "sheet", "--select", "outage-call")
    assert ignored.code == 2 and "--select picks cards, but --only sheet builds no cards" in ignored.err, ignored.err


def test_select_changed_is_what_changed_since_the_deck_was_last_written(run_cli, make_workspace):
    ws = make_workspace()
    first = build(run_cli, ws, "--select", "changed")  # nothing remembered: every card
    assert "every card counts as changed" in first
    assert len(set(positions_of(ws / "output" / "cards-selection.pdf"))) == 7
    build(run_cli, ws)  # the whole deck: remembered
    (ws / "output" / "cards-selection.pdf").unlink()
    quiet = build(run_cli, ws, "--select", "changed")
    assert "no card changed" in quiet and not (ws / "output" / "cards-selection.pdf").exists()
    story = ws / "content" / "stories.yaml"
    text = story.read_text("utf-8")
    assert "outage" in text
    path = next(p for p in (ws / "content").glob("*.yaml") if "rolled back alone" in p.read_text("utf-8"))
    path.write_text(path.read_text("utf-8").replace("rolled back alone", "rolled back on my own"), "utf-8")
    build(run_cli, ws, "--select", "changed")
    labels = set(positions_of(ws / "output" / "cards-selection.pdf"))
    assert "4/7" in labels and "1/7" not in labels
    (ws / "content" / "more.yaml").write_text(EIGHTH_CARD, "utf-8")  # the deck grows: N changes
    grown = build(run_cli, ws, "--select", "changed")
    assert "the deck has 8 cards now, 7 when it was last written whole" in grown
    labels = set(positions_of(ws / "output" / "cards-selection.pdf"))
    assert {"4/8", "7/8"} <= labels and "1/8" not in labels  # the edited story, the new question


def test_out_writes_elsewhere_creates_it_and_refuses_a_file(run_cli, make_workspace, tmp_path):
    ws = make_workspace()
    target = tmp_path / "prints" / "today"
    out = build(run_cli, ws, "--out", str(target))
    assert (target / "cards.pdf").is_file() and not (ws / "output" / "cards.pdf").exists()
    assert f"wrote {target / 'cards.pdf'}" in out
    (ws / "deckbuilder.toml").write_text('[output]\ndir = "pdfs"\n', "utf-8")
    out = build(run_cli, ws)
    assert (ws / "pdfs" / "cards.pdf").is_file() and "output pdfs/ (file)" in out
    (tmp_path / "afile").write_text("x")
    refused = run_cli("build", ws, "--only", "cards", "--out", str(tmp_path / "afile"))
    assert refused.code == 2 and "is a file, not a folder" in refused.err


def test_only_loop_without_a_loop_says_what_makes_one(run_cli, make_workspace):
    """--only loop on content with no interviewer principles: say why nothing was built."""
    result = run_cli("build", make_workspace(), "--only", "loop")
    assert result.code == 0 and "nothing to build; loop.pdf is written only when an interviewer lists" in result.err
