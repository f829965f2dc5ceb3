"""The content model: what a workspace's YAML files may say.

Every content file is a mapping of *sections* (``interview``, ``stories``, ...). A
section that is a list (stories, projects, ...) may be spread over several files and is
concatenated in file-name order; a single section (interview, deck, sheet, principles)
may be given once. Unknown keys are errors ("catches typos"), and this module is also
the source of the JSON Schema that editors use for autocompletion.

Text fields marked *Markdown* accept inline Markdown (``**bold**``, ``*italic*``, lists).
"""

# No ``from __future__ import annotations`` here: pydantic would compile and evaluate every
# field's annotation text when each class is made (12 M instructions of every command's start).
import datetime as dt
import math
import re
from typing import Annotated, Any, Literal, get_args

from ..pydantic_seam import no_plugins

no_plugins()  # before the first model class is built (pydantic_seam says why)

from pydantic import (  # noqa: E402
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    WithJsonSchema,
    field_validator,
)

FRAMEWORK_SECTIONS: dict[str, tuple[str, ...]] = {
    "STAR": ("situation", "task", "action", "result"),
    "SPSIL": ("situation", "problem", "solution", "impact", "lessons"),
    "CARL": ("context", "action", "result", "learning"),
}
CARD_SETS = ("phases", "extras", "stories", "questions")
SheetSection = Literal["header", "timeline", "numbers", "principles", "questions", "reminders"]
SHEET_SECTIONS: tuple[SheetSection, ...] = get_args(SheetSection)


def _split_commas(value: Any) -> Any:
    """Let ``triggers: a, b, c`` mean the same as a YAML list, the way people write notes."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


def _one_or_many(value: Any) -> Any:
    """Let a single name stand where a list of names is expected."""
    if isinstance(value, str):
        return [value]
    return value


# The JSON Schema (schema.py) describes what a user may WRITE, so that editors do not
# underline content that builds. A BeforeValidator's schema is its json_schema_input_type
# alone: the lone-text form is spelled out here, and a minimum count given on the list type
# (not on the field) so that it reaches the schema as well as the validation.
_CommaLine = Annotated[str, WithJsonSchema({"type": "string", "description": "Comma-separated: 'a, b, c'."})]
_CommaLineNotEmpty = Annotated[str, WithJsonSchema(  # at least one word: not only commas and spaces
    {"type": "string", "pattern": r"[^\s,]", "description": "Comma-separated: 'a, b, c'."})]
_OneName = Annotated[str, WithJsonSchema({"type": "string", "pattern": r"\S", "description": "A single name."})]
_AtLeastOne = Annotated[list[str], Field(min_length=1)]

Words = Annotated[list[str], BeforeValidator(_split_commas, json_schema_input_type=_CommaLine | list[str])]
SomeWords = Annotated[_AtLeastOne, BeforeValidator(_split_commas,
                                                   json_schema_input_type=_CommaLineNotEmpty | _AtLeastOne)]
Names = Annotated[list[str], BeforeValidator(_one_or_many, json_schema_input_type=_OneName | list[str])]
SomeNames = Annotated[_AtLeastOne, BeforeValidator(_one_or_many, json_schema_input_type=_OneName | _AtLeastOne)]
Markdown = Annotated[str, Field(description="Text with inline Markdown (**bold**, *italic*, lists).")]
# A "check before you say it" note (any story, phase, extra or question): printed as a marked line
# on its card and on the sheet, and listed by `check` as a warning until it is removed.
VERIFY = ("Check before you say it: what the notes contradict or leave open. Printed as a marked line "
          "on the card and the sheet; 'deckbuilder check' warns until you remove it.")
Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=60,
                          description="Short identifier: letters, digits, '-', '_' or '.'.")]


class Item(BaseModel):
    """Base of every content object: no unknown keys, and it remembers where it came from."""

    # coerce_numbers_to_str: "title: 2024" means the text 2024, as a person would expect.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, str_min_length=1,
                              coerce_numbers_to_str=True)
    _file: str | None = PrivateAttr(default=None)
    _line: int | None = PrivateAttr(default=None)
    _path: tuple = PrivateAttr(default=())
    _marks: dict = PrivateAttr(default_factory=dict)


class Interviewer(Item):
    name: str
    role: str | None = None
    asks: Markdown | None = Field(None, description="What this interviewer asked for or will focus on.")
    principles: Names = Field([], description="Principles this interviewer will probe: "
                                              "the loop plan gives each a story.")
    minutes: int | None = Field(None, gt=0, le=600, description="Length of this interviewer's slot.")


class Interview(Item):
    company: str
    role: str | None = Field(None, description="The job title, if you know it.")
    candidate: str | None = None
    date: dt.date | None = Field(None, description="ISO date, e.g. 2025-10-09.")
    time: str | None = Field(None, description="Start time as written on the invite, e.g. '13:00' or '1:00 PM'.")
    timezone: str | None = Field(None, description="e.g. PDT, Europe/London.")
    total_minutes: int | None = Field(None, gt=0, le=600)
    deep_dive_minutes: int | None = Field(None, gt=0, le=600,
                                          description="Minutes set aside for the deep-dive project.")
    interviewers: list[Interviewer] = []

    def headline(self) -> str:
        """'Company, role' (or just the company when the role is not known)."""
        return f"{self.company}, {self.role}" if self.role else self.company


class Minutes(BaseModel):
    """A phase length: ``2`` or a range ``"2-3"`` exactly as people plan talks."""

    model_config = ConfigDict(extra="forbid")  # {low: 2, hihg: 3} is a typo, not a 2-minute phase

    low: float
    high: float

    def __str__(self) -> str:
        fmt = lambda x: f"{x:g}"  # noqa: E731 - tiny formatter
        return fmt(self.low) if self.low == self.high else f"{fmt(self.low)}-{fmt(self.high)}"


# "2", "2.5", "2-3", "2–3" (en dash), "2 min", "2 mins", "2-3 minutes". Shared with the JSON Schema.
MINUTES_TEXT = r"\s*(\d+(?:\.\d+)?)\s*(?:[-–]\s*(\d+(?:\.\d+)?))?\s*(?:min(?:ute)?s?)?\s*"
MINUTES_FORMS = "a number like 2, a range like \"2-3\", either with min, mins or minutes after it (\"12 mins\")"


def _parse_minutes(value: Any) -> Any:
    if isinstance(value, (Minutes, dict)):
        return value
    if isinstance(value, bool):
        raise ValueError(f"minutes must be {MINUTES_FORMS}")
    if isinstance(value, (int, float)):
        return {"low": value, "high": value}
    if isinstance(value, str):
        m = re.fullmatch(MINUTES_TEXT, value)
        if m:
            low = float(m.group(1))
            high = float(m.group(2) or m.group(1))
            if high >= low:
                return {"low": low, "high": high}
            raise ValueError(f"the range {value.strip()!r} is backwards: write the smaller number first, "
                             f"\"{m.group(2)}-{m.group(1)}\"")
    raise ValueError(f"minutes must be {MINUTES_FORMS}")


def _check_minutes(value: Minutes) -> Minutes:
    """NaN, infinity or nothing at all would end up as garbage in the timeline's drawing."""
    if not (math.isfinite(value.low) and math.isfinite(value.high)) or value.low <= 0 or value.high > 600:
        raise ValueError("minutes must be more than 0 and at most 600, like 2 or \"2-3\"")
    if value.high < value.low:
        raise ValueError("a range of minutes goes from the smaller to the larger, like \"2-3\"")
    return value


# What a user may write for minutes, as the schema shows it: a number, a range in text, or
# the {low, high} mapping the other two become. The text's pattern cannot say "high >= low"
# nor the 600 limit; a number's range it can.
_MinutesInput = (Annotated[float, Field(gt=0, le=600)]
                 | Annotated[str, WithJsonSchema({"type": "string", "pattern": f"^{MINUTES_TEXT}$",
                                                  "examples": ["2", "2-3", "2.5"]})]
                 | Minutes)
MinutesField = Annotated[Minutes, BeforeValidator(_parse_minutes, json_schema_input_type=_MinutesInput),
                         AfterValidator(_check_minutes)]


class Phase(Item):
    number: int = Field(gt=0)
    title: str
    minutes: MinutesField | None = None
    triggers: SomeWords = Field(description="Memory trigger words for the card front.")
    summary: Markdown | None = Field(None, description="One line: the phase in a sentence.")
    answer: Markdown = Field(description="The full answer, condensed to cue-card form.")
    verify: Markdown | None = Field(None, description=VERIFY)


class Extra(Item):
    """Backup material for follow-up questions: a card of its own, not part of the timing."""

    title: str
    triggers: Words = []
    answer: Markdown
    verify: Markdown | None = Field(None, description=VERIFY)


class Project(Item):
    id: Id
    title: str
    label: str | None = Field(None, max_length=24, description="Short name for card labels.")
    summary: Markdown | None = None
    minutes: int | None = Field(None, gt=0, le=600, description="Slot length; defaults to interview.deep_dive_minutes.")
    phases: list[Phase] = []
    extras: list[Extra] = []
    numbers: list[str] = Field([], description="Key numbers to quote, e.g. '93% success (vs 23%)'.")

    def planned_minutes(self) -> tuple[float, float]:
        """Sum of the phases' minutes as (low, high); a range like "2-3" counts both ends."""
        low = sum(p.minutes.low for p in self.phases if p.minutes)
        high = sum(p.minutes.high for p in self.phases if p.minutes)
        return low, high


def _any_case(word: str) -> str:
    """A JSON Schema pattern for a word of letters in any case (JSON Schema has no flags)."""
    return "".join(f"[{c.upper()}{c.lower()}]" for c in word)


# Story._upper takes any case and surrounding spaces; the exact names stay first, for completion.
_FrameworkInput = (Literal["STAR", "SPSIL", "CARL", "free"]
                   | Annotated[str, WithJsonSchema({"type": "string", "pattern": (
                       r"^\s*(" + "|".join(_any_case(f) for f in (*FRAMEWORK_SECTIONS, "free")) + r")\s*$")})])


class Story(Item):
    id: Id
    title: str
    label: str = Field(max_length=24, description="Short label for a matrix column, e.g. 'FD DSP'.")
    framework: Literal["STAR", "SPSIL", "CARL", "free"] = "STAR"
    sections: dict[str, Markdown] = Field(description="Framework sections in order, e.g. situation/task/action/result.")
    primary: SomeNames = Field(description="Principles this story answers best.")
    secondary: Names = []
    strength: int = Field(3, ge=1, le=5, description="How strong the story is, 1 (weak) to 5 (best).")
    minutes: MinutesField | None = None  # how long it takes to tell: drill's target (2 when absent)
    triggers: Words = []
    numbers: list[str] = []
    notes: Markdown | None = None
    judgement: Names = Field([], description="Principles of primary/secondary that you added on your own judgement "
                                             "(a guess the notes do not make); the sheet prefers the notes' own tags.")
    headline: Names = Field([], description="Principles for which the sheet shows this story as the best one, "
                                            "whatever the other stories' strength.")
    verify: Markdown | None = Field(None, description=VERIFY)
    checks_off: Words = Field([], description="Coach checks not to run on this story, e.g. 'we-not-i'.")

    @field_validator("framework", mode="before", json_schema_input_type=_FrameworkInput)
    @classmethod
    def _upper(cls, value: Any) -> Any:
        if isinstance(value, str):
            return "free" if value.strip().lower() == "free" else value.strip().upper()
        return value


class Principle(Item):
    name: str
    short: str | None = Field(None, max_length=24, description="Abbreviation for narrow places.")
    aliases: list[str] = Field([], description="Other names people use for it, accepted in tags.")
    description: Markdown | None = None


class PrincipleSet(Item):
    name: str
    principles: list[Principle] = Field(min_length=1)


class BankQuestion(Item):
    text: Markdown
    stories: Names = Field([], description="Ids of the stories that answer this question.")
    judgement: Names = Field([], description="Story ids of 'stories' linked on your own judgement (a guess the notes "
                                             "do not make).")
    verify: Markdown | None = Field(None, description=VERIFY)


class BankEntry(Item):
    principle: str
    questions: list[BankQuestion] = Field(min_length=1)


class AskQuestion(Item):
    text: Markdown
    to: str | None = Field(None, description="Whom to ask, e.g. 'all three'.")
    note: Markdown | None = None
    verify: Markdown | None = Field(None, description=VERIFY)


class ReminderGroup(Item):
    heading: str
    items: list[Markdown] = Field(min_length=1)


class DeckSettings(Item):
    label: str | None = Field(None, max_length=24, description="Printed on every card with its n/N position.")
    sets: list[Literal["phases", "extras", "stories", "questions"]] = Field(
        ["phases", "extras", "stories", "questions"], description="Which card sets go in, in this order.")


class SheetSettings(Item):
    sections: list[SheetSection] = Field(
        list(SHEET_SECTIONS), description="Which sections the one-page sheet shows, in this order.")


class PracticeSettings(Item):
    """How rehearsal (``deckbuilder drill``, logged in .deckbuilder/) feeds back into check and print."""

    stale_days: int = Field(14, ge=1, le=3650, description="check warns about a story not rehearsed for this many "
                                                           "days (only once there is a practice log).")
    sheet_marks: int = Field(0, ge=0, le=100,
                             description="The sheet marks this many least-rehearsed stories (0: none).")
    matrix_recency: bool = Field(False,
                                 description="Shade each story's matrix column by how recently it was rehearsed.")


class ContentFile(Item):
    """One YAML file in content/. Every section is optional; lists merge across files."""

    model_config = ConfigDict(extra="forbid", title="deckbuilder content file")

    interview: Interview | None = None
    deck: DeckSettings | None = None
    sheet: SheetSettings | None = None
    practice: PracticeSettings | None = None
    principles: PrincipleSet | None = Field(None, description="Your own principle set; Amazon's 16 when absent.")
    projects: list[Project] = []
    stories: list[Story] = []
    question_bank: list[BankEntry] = []
    questions_to_ask: list[AskQuestion] = []
    reminders: list[ReminderGroup] = []


SINGLE_SECTIONS = ("interview", "deck", "sheet", "principles", "practice")
LIST_SECTIONS = ("projects", "stories", "question_bank", "questions_to_ask", "reminders")


class Content(BaseModel):
    """The whole workspace after merging and cross-checking: what every output reads."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    interview: Interview | None = None
    deck: DeckSettings = DeckSettings()
    sheet: SheetSettings = SheetSettings()
    practice: PracticeSettings = PracticeSettings()
    principles: PrincipleSet
    projects: list[Project] = []
    stories: list[Story] = []
    question_bank: list[BankEntry] = []
    questions_to_ask: list[AskQuestion] = []
    reminders: list[ReminderGroup] = []
    _stories_by_id: dict[str, Story] | None = PrivateAttr(default=None)
    # story id -> last rehearsal (None: never), from the practice log; None when there is no log
    _rehearsed: dict[str, dt.datetime | None] | None = PrivateAttr(default=None)

    def story(self, story_id: str) -> Story | None:
        """The story with this id. Indexed on first use: every bank question looks up its
        stories, and a coach's bank of thousands would make a linear search quadratic."""
        if self._stories_by_id is None:
            self._stories_by_id = {}
            for story in self.stories:
                self._stories_by_id.setdefault(story.id, story)  # the first wins, as before
        return self._stories_by_id.get(story_id)

    def principle_names(self) -> list[str]:
        return [p.name for p in self.principles.principles]

    def project_minutes(self, project: Project) -> int | None:
        """The slot a deep-dive must fit in: its own, else the interview's."""
        if project.minutes:
            return project.minutes
        return self.interview.deep_dive_minutes if self.interview else None
