"""Setting card faces: floors, ceilings, whole words, splitting (no PDF written)."""

from __future__ import annotations

import io

from pypdf import PdfReader
from reportlab.lib.units import mm

from deckbuilder.layout.impose import Rect
from deckbuilder.layout.sizes import CARD_SIZES
from deckbuilder.outputs.faces import (
    FLOOR_PT,
    SMALL_FLOOR_PT,
    Overflow,
    SetFace,
    draw_face,
    face_style,
    fit_face,
    floor_for,
    split_face,
)
from deckbuilder.render.pdf import Meta, new_canvas


def words_on_lines(face: SetFace, style) -> list[str]:
    """The words of a face as a reader gets them from the drawn page, line by line."""
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, (style.width, style.height), Meta("t"))
    draw_face(canvas, Rect(0, 0, style.width, style.height), face, style, "L", "1/1")
    canvas.save()
    text = PdfReader(io.BytesIO(buffer.getvalue())).pages[0].extract_text()
    return [w for line in text.splitlines() for w in line.split(" ") if w]


def test_floors():
    assert floor_for(*CARD_SIZES["3x5"]) == FLOOR_PT == 7.0
    assert floor_for(*CARD_SIZES["4x6"]) == floor_for(*CARD_SIZES["a6"]) == FLOOR_PT
    assert floor_for(*CARD_SIZES["a7"]) == SMALL_FLOOR_PT == 6.5
    assert floor_for(90 * mm, 55 * mm) == SMALL_FLOOR_PT


def test_a_long_word_is_never_broken_inside():
    """reportlab would set this at a larger size by cutting 'Lambda/SageMaker' mid-word."""
    style = face_style(*CARD_SIZES["a7"], stock=False)
    face = fit_face("# Event-driven\u00a0· Step Functions\u00a0· Lambda/SageMaker\u00a0· CDK", style, "front")
    assert isinstance(face, SetFace)
    assert "Lambda/SageMaker\xa0·" in words_on_lines(face, style) or "Lambda/SageMaker" in words_on_lines(face, style)


def test_fronts_grow_backs_stop_and_overflow_is_measured():
    style = face_style(*CARD_SIZES["3x5"], stock=False)
    front = fit_face("**Title**\n\n# two cues", style, "front")
    back = fit_face("one short answer", style, "back")
    # a short face takes the scale's largest step: the deck's sizes, not a size of its own
    assert isinstance(front, SetFace) and front.size == style.scale.front[0] == 13.0
    assert isinstance(back, SetFace) and back.size == style.scale.back[0] == 10.0
    over = fit_face("\n".join(f"- line {i} of an answer that is far too long" for i in range(80)), style, "back")
    assert isinstance(over, Overflow) and over.ratio > 2 and over.lines > 20


def test_split_parts_fit_and_keep_everything():
    style = face_style(*CARD_SIZES["a7"], stock=False)
    text = "\n\n".join(f"Paragraph {i}: " + "words " * 40 for i in range(12))
    parts = split_face(text, style, "back")
    assert parts and len(parts) > 1
    assert [p.cont for p in parts] == [False] + [True] * (len(parts) - 1)
    body_w, body_h = style.body
    for part in parts:
        assert part.size >= style.floor
        assert part.block.height_at(part.size, body_w) <= body_h + 0.5
    words = [w for part in parts for w in words_on_lines(part, style)]
    assert words.count("words") == 12 * 40 and words.count("Paragraph") == 12  # nothing lost or doubled


def test_set_cards_reports_every_long_face_and_splits_fronts_too():
    import pytest

    from deckbuilder.errors import UserError
    from deckbuilder.outputs.deck import Card, set_cards

    style = face_style(*CARD_SIZES["3x5"], stock=False)
    long_text = "\n\n".join("a sentence that goes on " * 12 for _ in range(14))
    cards = [Card("phases", "phase 1 'A' of p", long_text, "short back", ("content/a.yaml", 3), ("content/a.yaml", 9)),
             Card("stories", "story 'b'", "front", long_text, ("content/b.yaml", 1), ("content/b.yaml", 5)),
             Card("stories", "story 'c'", "front", "back")]
    with pytest.raises(UserError) as caught:
        set_cards(cards, style, split=False, card_name="3x5")
    problems = caught.value.problems
    assert [(p.file, p.line) for p in problems] == [("content/a.yaml", 3), ("content/b.yaml", 5)]
    assert "the front of phase 1 'A' of p (card 1/3)" in problems[0].message
    assert "the back of story 'b' (card 2/3)" in problems[1].message
    printed = set_cards(cards, style, split=True, card_name="3x5")
    first = [p for p in printed if p.source is cards[0]]
    assert len(first) >= 2
    assert [p.front.cont for p in first] == [False] + [True] * (len(first) - 1)
    assert all(p.back.cont for p in first[1:]) and not first[0].back.cont
    assert printed[-1].source is cards[2] and not printed[-1].front.cont


def test_one_long_paragraph_splits_between_lines():
    style = face_style(*CARD_SIZES["a7"], stock=False)
    text = " ".join(f"word{i}" for i in range(700))
    assert isinstance(fit_face(text, style, "back"), Overflow)
    parts = split_face(text, style, "back")
    assert parts and len(parts) > 1
    body_w, body_h = style.body
    words = []
    for part in parts:
        assert part.block.height_at(part.size, body_w) <= body_h + 0.5
        words += words_on_lines(part, style)
    assert [w for w in words if w.startswith("word")] == [f"word{i}" for i in range(700)]


def test_continuation_fronts_show_the_title_marked_cont_not_a_fragment_of_the_cue():
    """A back that runs onto more cards than its front: the extra cards' fronts carry the
    card's title and "(cont.)" at a reading size, never a piece of the cue (the audit's
    40x40 card 14/291 repeated card 12's partial cue) nor the whole cue again."""
    from deckbuilder.outputs.deck import Card, set_cards

    style = face_style(40 * mm, 40 * mm, stock=False)
    cue = "# " + " · ".join(f"cue{i}" for i in range(40))  # too long for one 40 mm front
    answer = "\n\n".join(f"answer sentence number {i} goes on for a while" for i in range(60))
    cards = [Card("phases", "phase 7 'Rollout' of p", cue, answer, title="7. Rollout"),
             Card("stories", "story 's'", "# brief hint", answer, title="A story title")]
    printed = set_cards(cards, style, split=True, card_name="40x40mm")
    for card in cards:
        run = [p for p in printed if p.source is card]
        fronts = [words_on_lines(p.front, style) for p in run]
        own = 1 if card.front == "# brief hint" else len(split_face(card.front, style, "front"))
        assert len(run) > own  # the back needs more cards than the front
        if own > 1:  # the split front's own cards carry the whole cue, once, in order
            assert [w for front in fronts[:own] for w in front if w.startswith("cue")] == [f"cue{i}" for i in range(40)]
        for p, words in zip(run[own:], fronts[own:]):
            assert p.front.cont and p.front.side == "front"
            assert " ".join(words).startswith(card.title + " (cont.)"), words
            assert not any(w.startswith("cue") or w in ("brief", "hint") for w in words)
            assert p.front.size <= 12.0  # a reading size, not a cue's


def test_a_face_a_hair_too_long_is_not_called_0_percent_too_long():
    from deckbuilder.outputs.deck import Card, overflow_message

    card = Card("phases", "phase 8 'TESTING' of vto", "front", "back")
    message = overflow_message(Overflow(1.004, 1), card, "back", "8/121", "3x5", 7.0)
    assert "is 1% too long for a 3x5 card even at 7 pt: about 1 line too many" in message


def test_a_cue_split_over_three_cards_points_each_continuation_at_the_answer():
    """A one-card answer behind a cue split over several cards: each later card's back says
    how many cards back the answer is (the third card's is two back, not the card before,
    whose back is itself only a pointer)."""
    from deckbuilder.outputs.deck import Card, set_cards

    style = face_style(40 * mm, 40 * mm, stock=False)
    cue = "# " + " · ".join(f"cue{i}" for i in range(100))  # three 40 mm fronts at the floor
    cards = [Card("phases", "phase 1 'Why' of p", cue, "The short answer.", title="1. Why")]
    printed = set_cards(cards, style, split=True, card_name="40x40mm")
    assert len(printed) >= 3
    backs = [" ".join(words_on_lines(p.back, style)) for p in printed]
    assert backs[0].startswith("The short answer.")
    assert backs[1].startswith("The answer is on the back of the card before this one.")
    assert backs[2].startswith("The answer is on the back of the card two before this one.")
