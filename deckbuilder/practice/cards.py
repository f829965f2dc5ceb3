"""The deck as practice cards: the same faces as ``cards.pdf``, each with an id that survives edits.

The faces come from ``outputs.deck.collect_cards`` (so a drill, an Anki note and a printed
card show the same text); the ids come from what the user named: a story's id, a project's
id and a phase's number, a project's id and an extra's title, a question's principle and
text. Moving a story, renumbering the file order or rewording its answer keeps its id, so
its rehearsal history stays with it; the content hash tells when the text changed.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..coach.timing import telling_seconds
from ..content.model import Content, Item, Story
from ..outputs.deck import collect_cards, deck_label
from ..render.templates import Templates
from ..workspace import Workspace

MIN_STORY_MINUTES = 1.0  # the floor of a story's estimated target (see target_minutes)
DEFAULT_MINUTES = 2.0  # a story or question told in two minutes is the usual advice for a loop


@dataclass(frozen=True)
class PracticeCard:
    """One card to rehearse: its stable id, its Markdown faces, and what it is about."""

    id: str
    set: str
    title: str
    front: str
    back: str
    target_minutes: float
    principles: tuple[str, ...] = ()
    story: str | None = None  # the story's id, for a story card

    @property
    def content_hash(self) -> str:
        """Changes exactly when either face's text changes: how the log knows a card was edited."""
        return hashlib.sha256(f"{self.front}\0{self.back}".encode()).hexdigest()[:16]


def target_minutes(card_set: str, obj: Item | None = None) -> float:
    """The time a card should take to tell out loud, in minutes: the clock's warning line.

    A story: its own ``minutes`` when it has them, else its estimated telling time (its words
    at 150 a minute, the figure on its card back), but never under a minute: a story told in
    less is too thin to time against (coach check ``too-short``). A phase: its minutes (the
    upper end of a range such as "2-3"), else 2; a question or an extra: 2.
    """
    minutes = getattr(obj, "minutes", None) if card_set in ("stories", "phases") else None
    if minutes is None:
        if card_set == "stories" and isinstance(obj, Story):
            return max(MIN_STORY_MINUTES, telling_seconds(obj) / 60)
        return DEFAULT_MINUTES
    return float(getattr(minutes, "high", minutes))


def slug(text: str, limit: int = 40) -> str:
    """Lower-case words joined by '-', accents dropped: 'Bias for Action' -> 'bias-for-action'.

    Text longer than ``limit`` keeps a short hash of the whole, so two long questions that
    start alike still get different ids.
    """
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "x"
    if len(words) <= limit:
        return words
    digest = hashlib.sha1(" ".join(text.split()).encode()).hexdigest()[:6]
    return f"{words[:limit].rstrip('-')}-{digest}"


@dataclass(frozen=True)
class _Identity:
    set: str
    id: str
    target: float
    principles: tuple[str, ...]
    story: str | None = None


def _identities(content: Content) -> Iterator[_Identity]:
    """Every card's identity, in ``collect_cards``' order (one per card it makes)."""
    for card_set in content.deck.sets:
        if card_set == "phases":
            for project in content.projects:
                for phase in sorted(project.phases, key=lambda p: p.number):
                    yield _Identity("phases", f"phase:{project.id}:{phase.number}",
                                    target_minutes("phases", phase), ())
        elif card_set == "extras":
            for project in content.projects:
                for extra in project.extras:
                    yield _Identity("extras", f"extra:{project.id}:{slug(extra.title)}", target_minutes("extras"), ())
        elif card_set == "stories":
            for story in content.stories:
                yield _Identity("stories", f"story:{story.id}", target_minutes("stories", story),
                                tuple(story.primary) + tuple(story.secondary), story.id)
        elif card_set == "questions":
            for entry in content.question_bank:
                for question in entry.questions:
                    yield _Identity("questions", f"question:{slug(entry.principle, 24)}:{slug(question.text)}",
                                    target_minutes("questions"), (entry.principle,))


def practice_cards(content: Content, templates: Templates) -> list[PracticeCard]:
    """The deck's cards in deck order, with ids unique within the deck (a repeat gets '#2')."""
    faces = collect_cards(content, templates)
    identities = list(_identities(content))
    if len(faces) != len(identities) or any(f.set != i.set for f, i in zip(faces, identities)):
        raise RuntimeError("practice cards out of step with the deck's cards")  # our bug, status 1
    seen: dict[str, int] = {}
    cards = []
    for face, ident in zip(faces, identities):
        seen[ident.id] = seen.get(ident.id, 0) + 1
        card_id = ident.id if seen[ident.id] == 1 else f"{ident.id}#{seen[ident.id]}"
        cards.append(PracticeCard(card_id, face.set, face.title or face.name, face.front, face.back,
                                  ident.target, ident.principles, ident.story))
    return cards



@dataclass(frozen=True)
class Deck:
    """What every practice command starts from: the workspace, its content and its cards."""

    workspace: Workspace
    content: Content
    cards: list[PracticeCard]
    label: str


def load_deck(folder: str | Path | None) -> Deck:
    """Read a workspace the way ``check`` does (errors are the user's: status 2) and make its cards."""
    from ..build import load
    from ..errors import UserError

    workspace = Workspace.at(folder)
    content, report = load(workspace)
    templates = Templates(workspace.templates_dir, report)
    if problems := templates.compile_problems():
        raise UserError(problems)
    return Deck(workspace, content, practice_cards(content, templates), deck_label(content))
