"""Open questions: the ``verify:`` notes ("check before you say it") and where they are.

Any story, phase, extra, bank question or question to ask may carry one. The templates
print it as a marked line on the card back and on the sheet; ``deckbuilder check`` lists
every one as a warning, so that none is forgotten until the user settles it and deletes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import Problem
from .load import where
from .model import Content, Item

MARK = "⚠"  # printed before the note on cards and the sheet (DejaVu Sans has it)
LABEL = "Check before you say it:"


@dataclass(frozen=True)
class OpenQuestion:
    """One ``verify:`` note and the item carrying it."""

    item: Item
    kind: str  # "story", "phase", ...
    name: str  # how check names the item: "story 'hal'", "phase 12 of 'vto'"
    text: str


def open_questions(content: Content) -> Iterator[OpenQuestion]:
    """Every ``verify:`` note in the content, in content order."""
    for project in content.projects:
        for phase in project.phases:
            if phase.verify:
                yield OpenQuestion(phase, "phase", f"phase {phase.number} of '{project.id}'", phase.verify)
        for extra in project.extras:
            if extra.verify:
                yield OpenQuestion(extra, "extra", f"extra '{extra.title}' of '{project.id}'", extra.verify)
    for story in content.stories:
        if story.verify:
            yield OpenQuestion(story, "story", f"story '{story.id}'", story.verify)
    for entry in content.question_bank:
        for question in entry.questions:
            if question.verify:
                yield OpenQuestion(question, "question", f"question '{_short(question.text)}'", question.verify)
    for n, ask in enumerate(content.questions_to_ask, 1):
        if ask.verify:
            yield OpenQuestion(ask, "question to ask", f"question to ask {n}", ask.verify)


def verify_problems(content: Content) -> list[Problem]:
    """One warning per open question, at the line of its ``verify:`` key."""
    problems = []
    for q in open_questions(content):
        file, line = where(q.item, "verify")
        problems.append(Problem(file, line, f"check before you say it, {q.name}: {_plain(q.text)}",
                                "settle it against your notes, fix the text, then delete the verify: line",
                                None, "warning"))
    return problems


def _plain(markdown: str) -> str:
    """The note as one line of terminal text: emphasis marks dropped, spaces folded."""
    return " ".join(re.sub(r"[*`]", "", markdown).split())


def _short(text: str, limit: int = 48) -> str:
    plain = _plain(text)
    return plain if len(plain) <= limit else plain[:limit - 1].rstrip() + "…"
