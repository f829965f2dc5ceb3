"""Which story heads each principle on the sheet, and how guessed tags are kept apart.

A story's ``judgement:`` lists the principles of its ``primary``/``secondary`` that the user
added on their own judgement (a guess the notes do not make); a bank question's
``judgement:`` lists the story ids it links on a guess. ``headline:`` pins a story as the
sheet's best story for the principles it names.

The best story for a principle is chosen by these rules, in order (the first that tells two
stories apart decides):

1. a story pinned with ``headline:`` for the principle;
2. a tag from the notes over one listed under ``judgement:`` (a guess);
3. a ``primary`` tag over a ``secondary`` one;
4. the higher ``strength``;
5. the story that more of the question bank's questions for that principle link (not
   counting links marked ``judgement:``): the notes' own index names it for the principle;
6. the story that comes first in the content (file-name order, then order in the file).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from ..errors import Problem, Report
from .model import BankEntry, Content, Story
from .sources import where

Match = Literal["primary", "secondary"]


@dataclass(frozen=True)
class Pick:
    """The story chosen for one principle, and what the choice rests on."""

    story: Story | None
    match: Match | None = None
    guessed: bool = False  # the story's tag for this principle is under judgement:
    pinned: bool = False  # the user pinned it with headline:


def bank_links(principle: str, bank: Iterable[BankEntry]) -> dict[str, int]:
    """How many of the bank's questions for ``principle`` link each story id (guessed links left out)."""
    counts: dict[str, int] = {}
    for entry in bank:
        if entry.principle != principle:
            continue
        for question in entry.questions:
            for story_id in dict.fromkeys(question.stories):
                if story_id not in question.judgement:
                    counts[story_id] = counts.get(story_id, 0) + 1
    return counts


def pick(principle: str, stories: Sequence[Story], bank: Iterable[BankEntry] = ()) -> Pick:
    """The best story for ``principle`` by the rules in this module's docstring."""
    links = bank_links(principle, bank)
    best: tuple | None = None
    chosen = Pick(None)
    for order, story in enumerate(stories):
        primary = principle in story.primary
        if not primary and principle not in story.secondary:
            continue
        pinned, guessed = principle in story.headline, principle in story.judgement
        key = (pinned, not guessed, primary, story.strength, links.get(story.id, 0), -order)
        if best is None or key > best:
            best = key
            chosen = Pick(story, "primary" if primary else "secondary", guessed, pinned)
    return chosen


def picks(content: Content) -> dict[str, Pick]:
    """Every principle of the content's set, in order, with its pick."""
    return {p.name: pick(p.name, content.stories, content.question_bank) for p in content.principles.principles}


def check_marks(content: Content, report: Report) -> None:
    """Errors for marks that cannot mean anything: a guess or pin on a principle the story does
    not name, a principle pinned by two stories, a guessed link to a story the question does not list."""
    pinned_by: dict[str, Story] = {}
    known = set(content.principle_names())  # a name outside the set is already reported as unknown
    for story in content.stories:
        tags = set(story.primary) | set(story.secondary)
        misspelt = not tags <= known  # reported as unknown: the name it stands for may be the one marked here
        for field in ("judgement", "headline"):
            for i, name in enumerate(getattr(story, field)):
                if name not in tags and name in known and not misspelt:
                    file, line = where(story, field, i)
                    report.error(file, line, f"'{name}' is under {field}: but not among the primary or "
                                 f"secondary principles of story '{story.id}'",
                                 f"add it to primary: or secondary:, or take it out of {field}:", "stories")
        for name in story.headline:
            first = pinned_by.setdefault(name, story)
            if first is not story:
                f0, l0 = where(first, "headline")
                file, line = where(story, "headline")
                report.error(file, line, f"'{name}' is pinned as headline by story '{first.id}' ({f0}:{l0}) "
                             f"and by '{story.id}'", "the sheet shows one story per principle: keep one pin",
                             "stories")
    story_ids = {story.id for story in content.stories}
    for entry in content.question_bank:
        for question in entry.questions:
            misspelt = not set(question.stories) <= story_ids  # as above, for a story id reported as unknown
            for i, story_id in enumerate(question.judgement):
                if story_id not in question.stories and not misspelt:
                    file, line = where(question, "judgement", i)
                    report.error(file, line, f"'{story_id}' is under judgement: but not among this question's "
                                 "stories", "add it to stories:, or take it out of judgement:", "question_bank")


def headline_problems(content: Content) -> list[Problem]:
    """Warnings for every principle whose best story on the sheet rests on a guessed tag."""
    problems = []
    for principle, chosen in picks(content).items():
        story = chosen.story
        if story is None or not chosen.guessed:
            continue
        file, line = where(story, "judgement")
        if chosen.pinned:
            hint = (f"you pinned it (headline:); once you are sure it answers {principle}, "
                    f"take '{principle}' out of judgement:")
        else:
            hint = (f"no story the notes tie to {principle}: confirm this one and take '{principle}' out of "
                    f"judgement:, or pin another with headline: [{principle}]")
        problems.append(Problem(file, line, f"the sheet's best story for {principle} is '{story.id}', "
                                f"tagged {principle} on your own judgement only", hint, None, "warning"))
    return problems
