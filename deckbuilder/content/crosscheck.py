"""Cross-checks: what spans files (ids, principle names, story references, framework
sections, characters no font has), on content that is already normalised.

Checking never rewrites what it checks: ``normalise`` runs first, in one pass, and spells
every principle the way the set does; ``cross_check`` then only reports.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..errors import Report
from .explain import key_text
from .model import FRAMEWORK_SECTIONS, Content, Item
from .principles import PrincipleMatcher, did_you_mean, normalise
from .sources import where
from .yamlload import MAX_FILE_BYTES, KeyPath


class Unseen:
    """What the content may hold that could not be read: cross checks must not call a story
    id unknown because the story that defines it has a typo of its own."""

    def __init__(self) -> None:
        self.story_ids: set[str] = set()
        self.principles = False  # a custom principle set may be among what was not read
        self.anything = False

    def note_item(self, section: str, raw: Any) -> None:
        self.anything = True
        if section == "stories" and isinstance(raw, dict) and raw.get("id") is not None:
            self.story_ids.add(str(raw["id"]))
        if section == "principles":
            self.principles = True

    def note_unreadable(self, path: Path) -> None:
        """A file that is not even YAML: guess from its text what it defines."""
        self.anything = True
        try:
            with open(path, "rb") as stream:  # at most what a content file may hold: a huge one is not read whole
                text = stream.read(MAX_FILE_BYTES).decode("utf-8", errors="replace")
        except OSError:
            self.principles = True
            return
        self.story_ids.update(re.findall(r"^[\s-]*id:\s*['\"]?([^'\"\s#]+)", text, re.MULTILINE))
        if re.search(r"^principles\s*:", text, re.MULTILINE):
            self.principles = True


# A story's fields that name principles: its tags, the ones marked as a guess, the ones it is pinned for.
STORY_PRINCIPLE_FIELDS = ("primary", "secondary", "judgement", "headline")


def normalise_content(content: Content) -> None:
    """Spell every principle a story or a bank entry names the way the principle set does
    (case, '&' for 'and', aliases), in one pass before anything is checked. A name that
    matches none is left as written, for ``cross_check`` to report."""
    matcher = PrincipleMatcher(content.principles)
    for story in content.stories:
        for field in STORY_PRINCIPLE_FIELDS:
            names = getattr(story, field)
            names[:] = [matcher.match(written) or written for written in names]
    for person in content.interview.interviewers if content.interview else []:
        person.principles[:] = [matcher.match(written) or written for written in person.principles]
    for entry in content.question_bank:
        entry.principle = matcher.match(entry.principle) or entry.principle


def cross_check(content: Content, report: Report, unseen: Unseen | None = None) -> bool:
    """Checks that span files: ids, principle names, story references, framework sections.
    It reports and changes nothing: run ``normalise_content`` first.

    With ``unseen`` (parts of the content that could not be read), a principle name or story
    id that may be defined there is not reported as unknown. True when what it said depends
    on the content and the bundled fonts only: no text has a character that only a workspace
    or system font has, or none (``checkstore`` keeps only such a result).
    """
    unseen = unseen or Unseen()
    _check_principle_names(content, report)
    matcher = PrincipleMatcher(content.principles)
    _check_unique_ids(content.stories, "story", report)
    _check_unique_ids(content.projects, "project", report)
    _check_unique_labels(content.stories, report)
    for story in content.stories:
        for field in STORY_PRINCIPLE_FIELDS:
            names = getattr(story, field)
            split = _split_at_commas(names, matcher, story, field, report)
            for i, written in enumerate(names):
                if i not in split:
                    _canonical_principle(written, matcher, story, (field, i), report, unseen)
        _check_sections(story, report)
    for person in content.interview.interviewers if content.interview else []:
        for i, written in enumerate(person.principles):
            _canonical_principle(written, matcher, person, ("principles", i), report, unseen)
    for entry in content.question_bank:
        _canonical_principle(entry.principle, matcher, entry, ("principle",), report, unseen)
        for question in entry.questions:
            for i, story_id in enumerate(question.stories):
                if content.story(story_id) is None and story_id not in unseen.story_ids:
                    guess = did_you_mean(story_id, [s.id for s in content.stories])
                    file, line = where(question, "stories", i)
                    report.error(file, line, f"unknown story id '{story_id}'",
                                 f"did you mean '{guess}'?" if guess else "story ids are listed under 'stories:'",
                                 "question_bank")
    for project in content.projects:
        seen: dict[int, Any] = {}
        for phase in project.phases:
            if phase.number in seen:
                file, line = where(phase, "number")
                report.error(file, line, f"phase number {phase.number} is used twice in project '{project.id}'",
                             "number phases 1, 2, 3, ... in speaking order")
            seen[phase.number] = phase
    bundled = _check_glyphs(content, report)
    from .headline import check_marks  # local: headline.py imports this module's neighbours

    check_marks(content, report)
    return bundled


def _check_principle_names(content: Content, report: Report) -> None:
    """Two principles of a custom set must not share a name, short name or alias (after
    folding case and '&'): the second could never be matched and would always look uncovered."""
    owner: dict[str, Any] = {}
    for principle in content.principles.principles:
        for written in {principle.name, principle.short or "", *principle.aliases} - {""}:
            key = normalise(written)
            first = owner.setdefault(key, principle)
            if first is not principle:
                file, line = where(principle)
                report.error(file, line, f"principle '{principle.name}' has the name '{written}', which "
                             f"'{first.name}' already uses", "give every principle its own names and aliases",
                             "principles")


def _check_unique_ids(items: list, kind: str, report: Report) -> None:
    first: dict[str, Item] = {}
    for item in items:
        if item.id in first:
            f0, l0 = where(first[item.id])
            file, line = where(item, "id")
            report.error(file, line, f"duplicate {kind} id '{item.id}' (first used at {f0}:{l0})",
                         f"give each {kind} its own id")
        else:
            first[item.id] = item


def _check_unique_labels(stories: list, report: Report) -> None:
    """Labels head the matrix columns: two stories with one label make two columns nobody can
    tell apart. A warning, not an error: the night before, a build should still go through."""
    first: dict[str, Any] = {}
    for story in stories:
        key = " ".join(story.label.casefold().split())
        if key in first:
            f0, l0 = where(first[key], "label")
            file, line = where(story, "label")
            report.warn(file, line, f"stories '{first[key].id}' and '{story.id}' have the same label "
                        f"'{story.label}' (first at {f0}:{l0})",
                        "labels head the matrix columns; give each story its own", "stories")
        else:
            first[key] = story


def _canonical_principle(written: str, matcher: PrincipleMatcher, obj: Item, keys: tuple,
                         report: Report, unseen: Unseen) -> str | None:
    canonical = matcher.match(written)
    if canonical or unseen.principles:
        return canonical
    guess = matcher.closest(written)
    file, line = where(obj, *keys)
    report.error(file, line, f"unknown principle '{written}'",
                 f"did you mean '{guess}'?" if guess else "principles are:" + "".join(f"\n      {name}"
                                                                                    for name in matcher.names))
    return None


def _split_at_commas(names: list[str], matcher: PrincipleMatcher, story: Item, field: str,
                     report: Report) -> set[int]:
    """A principle whose name has commas in it ("Meta, Metamates, Me"), written unquoted in a
    flow list, reaches us as several names; say so once, and which places it took."""
    taken: set[int] = set()
    for start in range(len(names)):
        for end in range(len(names), start + 1, -1):
            joined = ", ".join(names[start:end])
            canonical = matcher.match(joined)
            if canonical and not taken & set(range(start, end)):
                file, line = where(story, field, start)
                report.error(file, line, f"the principle '{canonical}' was split at its commas into "
                             + ", ".join(f"'{n}'" for n in names[start:end]),
                             f"YAML splits a [...] list at every comma: put the name in quotes, "
                             f"e.g. {field}: [\"{canonical}\"]")
                taken |= set(range(start, end))
    return taken


def _check_sections(story: Any, report: Report) -> None:
    expected = FRAMEWORK_SECTIONS.get(story.framework)
    if expected is None:
        if not story.sections:
            file, line = where(story, "sections")
            report.error(file, line, f"story '{story.id}' has no sections", "add at least one 'name: text' section")
        return
    for key in story.sections:
        if key.lower() not in expected:
            guess = did_you_mean(key, expected)
            file, line = where(story, "sections", key)
            report.error(file, line, f"'{key}' is not a {story.framework} section",
                         f"did you mean '{guess}'?" if guess else
                         f"{story.framework} sections are {', '.join(expected)}; or set framework: free")
    present = {k.lower() for k in story.sections}
    missing = [s for s in expected if s not in present]
    if missing:
        file, line = where(story, "sections")
        report.error(file, line, f"story '{story.id}' is missing {story.framework} section(s): {', '.join(missing)}",
                     "add them, or set framework: free for your own section names")


def iter_texts(obj: Any, owner: Item | None = None, rel: KeyPath = ()) -> Iterator[tuple[Item | None, KeyPath, str]]:
    """Every text value in the content, with the nearest content object holding it and the
    key path from that object (so a warning can point at the right file and line)."""
    if isinstance(obj, BaseModel):
        if isinstance(obj, Item):
            owner, rel = obj, ()
        for field in type(obj).model_fields:
            yield from iter_texts(getattr(obj, field), owner, rel + (field,))
    elif isinstance(obj, dict):
        for key, value in obj.items():
            yield from iter_texts(value, owner, rel + (key,))
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            yield from iter_texts(value, owner, rel + (i,))
    elif isinstance(obj, str):
        yield owner, rel, obj


def _check_glyphs(content: Content, report: Report) -> bool:
    """Warn about characters no font (bundled, the workspace's fonts/, the system's) can draw,
    naming file, line and character, and for CJK a free font to install. True when every
    character is a bundled font's (or dropped as invisible): no other font was looked at."""
    from ..render.fallback import missing_hint
    from ..render.fonts import body_covers, bundled_covers, uncovered  # local: the font tables are only needed here

    bundled = True
    for owner, key, text in iter_texts(content):
        if body_covers(text):  # nearly every text: nothing to say, and no other font looked at
            continue
        bundled = bundled and bundled_covers(text)
        missing = uncovered(text)
        if not missing:
            continue
        file, line = where(owner, *key) if owner is not None else (None, None)
        chars = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in missing)
        report.warn(file, line, f"no font has {chars}; it will be left out of the PDFs", missing_hint(missing),
                    key_text(owner._path + key) if owner is not None else None)
    return bundled
