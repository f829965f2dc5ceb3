"""Setting card faces: floors, ceilings, whole words, splitting (no PDF written)."""

from __future__ import annotations

from reportlab.lib.units import mm

from deckbuilder.layout.sizes import CARD_SIZES
from deckbuilder.outputs.faces import (FLOOR_PT, SMALL_FLOOR_PT, Overflow, SetFace, face_style, fit_face,
                                       floor_for, split_face)
from deckbuilder.render.pdf import stack_height


def words_on_lines(face: SetFace, width: float) -> list[str]:
    words = []
    for flowable in face.flowables:
        flowable.wrap(width, 1e9)
        for line in flowable.blPara.lines:
            items = line[1] if isinstance(line, tuple) else line.words
            words += [getattr(w, "text", w) for w in items]
    return words


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
    assert any(w.startswith("Lambda/SageMaker") for w in words_on_lines(face, style.body[0]))


def test_fronts_grow_backs_stop_and_overflow_is_measured():
    style = face_style(*CARD_SIZES["3x5"], stock=False)
    front = fit_face("**Title**\n\n# two cues", style, "front")
    back = fit_face("one short answer", style, "back")
    assert isinstance(front, SetFace) and front.size == 22.0
    assert isinstance(back, SetFace) and back.size == 12.0
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
        assert stack_height(part.flowables, body_w) <= body_h + 0.5
    words = [w for part in parts for w in words_on_lines(part, body_w)]
    assert words.count("words") == 12 * 40 and words.count("Paragraph") == 12  # nothing lost or doubled
