"""What the parser found in one notes file, before ids, labels and validation.

Every item remembers the lines it came from, so the report can say "line 35: ..." and
unrecognised text can be put on the nearest item.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .recognise import InterviewFields


@dataclass
class Draft:
    """Base: the line span of an item in the notes file."""

    start: int
    end: int


@dataclass
class DPhase(Draft):
    number: int
    title: str
    minutes: str | None
    triggers: list[str]
    answer: str


@dataclass
class DExtra(Draft):
    title: str
    triggers: list[str]
    answer: str


@dataclass
class DProject(Draft):
    title: str
    phases: list[DPhase] = field(default_factory=list)
    extras: list[DExtra] = field(default_factory=list)
    minutes: int | None = None
    notes: list[DText] = field(default_factory=list)


@dataclass
class DStory(Draft):
    title: str
    primary: list[str]
    secondary: list[str] = field(default_factory=list)
    unknown_tags: list[str] = field(default_factory=list)
    frameworks: list[str] = field(default_factory=list)  # written next to the tags, e.g. (SPSIL)
    sections: dict[str, str] = field(default_factory=dict)
    empty_sections: list[str] = field(default_factory=list)
    triggers: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    labelled: bool = True  # False: no framework labels found, the body is one 'answer'


@dataclass
class DQuestion(Draft):
    principle: str | None  # canonical, None when the heading above is not a principle
    written_under: str  # the heading it was found under, for the report
    text: str
    key: str
    names: list[str] = field(default_factory=list)  # story names from an index
    hint: str = ""  # a short answer written under the question
    story: DStory | None = None
    from_index: bool = False


@dataclass
class DAsk(Draft):
    text: str
    to: str | None
    note: str | None


@dataclass
class DReminders(Draft):
    heading: str
    items: list[str]


@dataclass
class DInterview(Draft):
    fields: InterviewFields


@dataclass
class DText(Draft):
    """Text no recogniser claimed; it goes on the nearest item as notes."""

    text: str
    change: str = ""  # what the report says was changed when this text was made (a demoted story), if anything
    numbers: tuple[int, ...] = ()  # the lines it holds, when not every line from start to end


@dataclass
class DIndexEntry(Draft):
    """A row of a ``| Principle | Story | Backup |`` table: the principle each named story
    is for (the story itself is written elsewhere in the notes)."""

    principle: str
    names: list[str]  # the stories named for it, the main one first


@dataclass
class ParsedNotes:
    projects: list[DProject] = field(default_factory=list)
    stories: list[DStory] = field(default_factory=list)
    questions: list[DQuestion] = field(default_factory=list)
    asks: list[DAsk] = field(default_factory=list)
    reminders: list[DReminders] = field(default_factory=list)
    interview: list[DInterview] = field(default_factory=list)
    unrecognised: list[DText] = field(default_factory=list)
    story_index: list[DIndexEntry] = field(default_factory=list)
    events: list[tuple[int, str]] = field(default_factory=list)  # (line, what the parser did)
