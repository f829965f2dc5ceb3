"""What the build tells the user about the deck's type: cards that needed the smallest
step of the scale, and questions with no story whose backs are left for a handwritten answer.

Warnings, not errors: every card printed. They say what to shorten (a face at the floor is
harder to read across a table than its neighbours) and what is still missing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..content.load import where
from ..content.model import Content
from ..errors import Warns
from .faces import FaceStyle, has_text

if TYPE_CHECKING:
    from .deck import Printed

SHOWN = 8  # names listed in the warning; the rest are counted


def warn_smallest_step(report: Warns, printed: list[Printed], style: FaceStyle, back_style: FaceStyle) -> None:
    """One warning naming the cards whose front or back needed the scale's smallest step."""
    names: list[str] = []
    total = len(printed)
    for n, card in enumerate(printed, start=1):
        for side, face, face_style in (("front", card.front, style), ("back", card.back, back_style)):
            steps = face_style.scale.steps(side)
            if len(steps) > 1 and face.size <= steps[-1] and has_text(face) and not face.cont:
                names.append(f"{card.source.name} ({side}, card {n}/{total})")
    if not names:
        return
    shown = "; ".join(names[:SHOWN]) + (f"; and {len(names) - SHOWN} more" if len(names) > SHOWN else "")
    floor = style.scale.floor
    report.warn(None, None, f"{len(names)} card face{'s' if len(names) != 1 else ''} needed the smallest text "
                            f"size ({floor:g} pt): {shown}",
                hint="shorten them to get the next size up "
                     f"({style.scale.front[-2] if len(style.scale.front) > 1 else floor:g} pt on fronts, "
                     f"{back_style.scale.back[-2] if len(back_style.scale.back) > 1 else floor:g} pt on backs), "
                     "or use a larger --card")


def warn_unanswered(report: Warns, content: Content) -> None:
    """A bank question with no story linked: its card's back gets ruled lines, never an instruction."""
    if "questions" not in content.deck.sets:
        return
    for entry in content.question_bank:
        for question in entry.questions:
            if any(content.story(i) for i in question.stories):
                continue
            try:
                file, line = where(question)
            except (AttributeError, KeyError, TypeError, IndexError):
                file, line = None, None
            short = question.text if len(question.text) < 60 else question.text[:57] + "..."
            report.warn(file, line, f"question '{short}' has no story: its card's back is printed with ruled "
                                    "lines to write an answer on",
                        hint="add story ids under this question in the question bank")
