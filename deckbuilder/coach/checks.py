"""The checks a coach makes on every story: deterministic rules, each with a code and a why.

Every finding is a warning (``file:line: warning: [code] ...`` plus the one-line why as the
hint), so a story that trips one still builds. A workspace switches a check off with
``[checks] off = ["code"]`` in deckbuilder.toml, a story with ``checks_off: code``. The
rules are plain text rules, no model and no network, so the same files always give the
same warnings, and each warning says what it counted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..content.load import where
from ..content.model import Content, Item, Story
from ..errors import Problem
from .timing import WORDS_PER_MINUTE, clock, story_words, target_minutes, telling_seconds

# code -> the one-line why printed with each warning (and listed in docs/coach.md).
CHECKS: dict[str, str] = {
    "no-figure": "interviewers remember numbers: say what changed and by how much",
    "we-not-i": "the interviewer is hiring you: say what *you* did, not what the team did",
    "too-short": "a story under half its target is a summary, not an example: add the situation or the result",
    "too-long": "past 1.5 times its target the interviewer stops listening: cut the situation first",
    "no-triggers": "the card front shows trigger words to jog your memory: without them it is a title only",
    "figures-differ": "a figure quoted two ways sounds made up: settle on one",
    "weak-only": "this principle has only weak stories (strength 1-2): strengthen one or find a better one",
}
CODES = tuple(CHECKS)

THIN_SHARE = 0.5  # below half the target: too short (1 minute of the default 2)
LONG_SHARE = 1.5  # above one and a half times it: too long (3 minutes of 2)
WEAK = 2  # strength at or below this is weak
WE_AT_LEAST = 2  # one "we" in a line of notes is not yet "mostly we"

RESULT_SECTIONS = ("result", "results", "impact", "outcome", "outcomes")
ACTION_SECTIONS = ("action", "actions", "solution")

# A figure: a digit, or a number spoken as a word. "one" is left out: "no one", "one of us".
_NUMBER_WORDS = ("zero two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty "
                 "sixty seventy eighty ninety hundred hundreds thousand thousands million millions billion "
                 "billions dozen dozens half twice double doubled triple tripled halved percent")
_FIGURE = re.compile(r"\d|\b(?:" + "|".join(_NUMBER_WORDS.split()) + r")\b", re.IGNORECASE)
_SINGULAR = re.compile(r"\b(?:i|me|my|mine|myself|i['’](?:m|ve|d|ll))\b", re.IGNORECASE)
_PLURAL = re.compile(r"\b(?:we|us|our|ours|ourselves|we['’](?:re|ve|d|ll))\b", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    """One check's finding: which check, about which object and key, and what it saw."""

    code: str
    owner: Item
    key: tuple[str | int, ...]
    message: str

    def problem(self) -> Problem:
        try:
            file, line = where(self.owner, *self.key) if self.key else where(self.owner)
        except (AttributeError, KeyError, TypeError, IndexError):  # no line mark: the object's own line
            file, line = getattr(self.owner, "_file", None), getattr(self.owner, "_line", None)
        return Problem(file, line, f"[{self.code}] {self.message}", CHECKS[self.code], severity="warning")


def has_figure(text: str) -> bool:
    """Whether ``text`` quotes a figure: a digit or a number word (two, hundred, twice, ...)."""
    return bool(_FIGURE.search(text))


def pronoun_counts(text: str) -> tuple[int, int]:
    """(first person singular, first person plural) words in ``text``: I/me/my vs we/us/our."""
    return len(_SINGULAR.findall(text)), len(_PLURAL.findall(text))


def _sections(story: Story, names: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(key, text) for key, text in story.sections.items() if key.lower() in names]


def check_story(story: Story) -> list[Finding]:
    """Every per-story finding (not the checks that compare stories)."""
    found: list[Finding] = []
    for key, text in _sections(story, RESULT_SECTIONS):
        if not has_figure(text):
            found.append(Finding("no-figure", story, ("sections", key),
                                 f"story '{story.id}': the {key} has no figure in it"))
    actions = _sections(story, ACTION_SECTIONS)
    singular, plural = pronoun_counts(" ".join(text for _, text in actions))
    if plural > singular and plural >= WE_AT_LEAST:
        where_key: tuple[str | int, ...] = ("sections", actions[0][0]) if actions else ()
        found.append(Finding("we-not-i", story, where_key,
                             f"story '{story.id}': the {actions[0][0]} says we/us/our {plural} time(s) "
                             f"and I/me/my {singular}"))
    words = story_words(story)  # counted once: most of this check's time
    seconds, target = telling_seconds(story, words=words), target_minutes(story)
    told = f"about {clock(seconds)} to tell ({words} words at {WORDS_PER_MINUTE}/min)"
    if seconds < THIN_SHARE * target * 60:
        found.append(Finding("too-short", story, ("sections",),
                             f"story '{story.id}' takes {told}, under half its {target:g}-min target"))
    elif seconds > LONG_SHARE * target * 60:
        found.append(Finding("too-long", story, ("sections",),
                             f"story '{story.id}' takes {told}, over 1.5 times its {target:g}-min target"))
    if not story.triggers:
        found.append(Finding("no-triggers", story, (), f"story '{story.id}' has no trigger words for its card front"))
    return found


# ---------------------------------------------------------------- figures quoted two ways

_FIGURE_TOKEN = re.compile(r"[~≈$€£]?\d[\d,.]*\s*(?:%|[kmb]\b\+?|x\b|×|\+)?", re.IGNORECASE)
def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STOP = _wordset("a an the of in on at to for by from with vs versus and or than over under about per "
                  "more less up down into across after before within our my")
_UNITS = _wordset("day days week weeks month months year years hour hours minute minutes min mins second "
                   "seconds sec ms")


@dataclass(frozen=True)
class Quote:
    """One figure quoted under ``numbers:``: the measure it is about, and the figure."""

    owner: Item
    index: int
    name: str  # "story 'x'" or "project 'y'"
    measure: frozenset[str]
    figure: str
    text: str


def measure_of(text: str) -> tuple[frozenset[str], str] | None:
    """(the words naming the measure, the first figure) of a quoted number, or None.

    ``"50% turnaround improvement (vs 20%)"`` -> ({"turnaround", "improvement"}, "50%"):
    what is in brackets is a comparison, not the measure; small words and time units are
    left out, and a plural 's' is dropped, so "images" and "image" name the same measure.
    """
    main = re.sub(r"\([^)]*\)", " ", text)
    figure = _FIGURE_TOKEN.search(main)
    if not figure:
        return None
    rest = _FIGURE_TOKEN.sub(" ", main).lower()
    words = {w[:-1] if len(w) > 3 and w.endswith("s") else w for w in re.findall(r"[^\W\d_]+", rest)}
    measure = frozenset(w for w in words if w not in _STOP and w not in _UNITS)
    if not measure:
        return None
    return measure, re.sub(r"\s+", "", figure.group(0)).rstrip(".,").lower()


def quotes(content: Content) -> list[Quote]:
    """Every figure quoted under a story's or a project's ``numbers:``."""
    found = []
    owners: list[tuple[Item, str, list[str]]] = [(s, f"story '{s.id}'", s.numbers) for s in content.stories]
    owners += [(p, f"project '{p.id}'", p.numbers) for p in content.projects]
    for owner, name, numbers in owners:
        for i, text in enumerate(numbers):
            parsed = measure_of(text)
            if parsed:
                found.append(Quote(owner, i, name, parsed[0], parsed[1], text))
    return found


def figures_differ(content: Content) -> list[Finding]:
    """Two stories (or a story and a project) quoting one measure with different figures."""
    found = []
    first: dict[frozenset[str], Quote] = {}
    for quote in quotes(content):
        earlier = first.setdefault(quote.measure, quote)
        if earlier is quote or earlier.owner is quote.owner or earlier.figure == quote.figure:
            continue
        f0, l0 = where(earlier.owner, "numbers", earlier.index)
        found.append(Finding("figures-differ", quote.owner, ("numbers", quote.index),
                             f"{quote.name} quotes '{quote.text}' but {earlier.name} quotes '{earlier.text}' "
                             f"({f0}:{l0}): {quote.figure} vs {earlier.figure} for "
                             f"'{' '.join(sorted(quote.measure))}'"))
    return found


def weak_only(content: Content) -> list[Finding]:
    """Principles that are some story's primary, where every such story is weak (strength 1-2)."""
    by_principle: dict[str, list[Story]] = {}
    for story in content.stories:
        for name in story.primary:
            by_principle.setdefault(name, []).append(story)
    found = []
    for name in content.principle_names():
        stories = by_principle.get(name, [])
        if stories and all(s.strength <= WEAK for s in stories):
            ids = ", ".join(f"'{s.id}' ({s.strength})" for s in stories)
            what = "story is" if len(stories) == 1 else "stories are"
            found.append(Finding("weak-only", stories[0], ("strength",),
                                 f"principle '{name}': its only primary {what} weak: {ids}"))
    return found


def coach_findings(content: Content, off: Iterable[str] = ()) -> list[Finding]:
    """Every finding of every check, minus the codes switched off for the workspace (``off``)
    or for the story the finding is about (its ``checks_off:``)."""
    switched_off = set(off)
    found: list[Finding] = []
    for story in content.stories:
        found += check_story(story)
    found += figures_differ(content)
    found += weak_only(content)
    return [f for f in found if f.code not in switched_off and f.code not in _story_off(f.owner)]


def _story_off(owner: Item) -> list[str]:
    return list(getattr(owner, "checks_off", []) or [])


def coach_problems(content: Content, off: Iterable[str] = ()) -> list[Problem]:
    """The findings as warnings, plus a warning for each unknown code in a story's checks_off."""
    from .settings import unknown_codes

    problems = [f.problem() for f in coach_findings(content, off)]
    for story in content.stories:
        if story.checks_off:
            file, line = where(story, "checks_off")
            problems += unknown_codes(story.checks_off, CODES, file, line)
    return problems
