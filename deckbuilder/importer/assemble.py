"""From what the parser found to content the model accepts: ids, labels, principles,
frameworks, the question bank, and a home for every piece of text.

Notes are messy, and an import that fails is worse than one that needs tidying, so an
item that would not pass ``deckbuilder check`` is repaired or demoted here, and the
report says so:

- a story whose labels do not make a complete STAR / SPSIL / CARL set becomes
  ``framework: free`` with the sections it has;
- a tag that names no principle (even approximately) moves into the story's notes; a
  story left with no principle at all becomes notes of the nearest story;
- a bank question under a heading that is not a principle becomes notes, unless the same
  question appears under a principle elsewhere in the notes;
- a phase without trigger words gets some from its bold phrases; phase numbers written
  twice are renumbered;
- every id is a unique slug and every label at most 24 characters.

Unrecognised text goes to the nearest story's notes, or, inside a deep-dive project, to
a "Notes" card of that project; text above the first item (a preamble) is kept as
comments at the end of the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from ..content.model import FRAMEWORK_SECTIONS, AskQuestion, Extra, Interview, Phase, PrincipleSet, ReminderGroup
from .draft import DProject, DQuestion, DStory, DText, ParsedNotes
from .parse import derived_triggers
from .report import FileReport
from .tags import TagMatcher
from .text import LABEL_MAX, derive_label, shorten, slugify, unique

NOTES_TITLE = "Notes"


@dataclass
class Taken:
    """Ids, labels and single sections already used in the workspace (and by earlier
    notes files of the same import), so that new ones never collide."""

    project_ids: set[str] = field(default_factory=set)
    story_ids: set[str] = field(default_factory=set)
    story_labels: set[str] = field(default_factory=set)
    interview_in: str | None = None  # the file that already has 'interview:'
    sheet_in: str | None = None  # the file that already has 'sheet:'


@dataclass
class StoryEntry:
    """A story as it will be written, and the notes gathered for it (joined at the end)."""

    data: dict[str, Any]  # the story's fields, in the order written
    notes: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.data["id"]


@dataclass
class BankItem:
    """A bank question being gathered from the places the notes mention it."""

    text: str
    line: int  # where it is first written
    stories: list[str] = field(default_factory=list)  # story ids
    hints: list[str] = field(default_factory=list)  # short answers and story names, printed after the text

    def as_yaml(self) -> dict[str, Any]:
        item: dict[str, Any] = {"text": f"{self.text} — *{'; '.join(self.hints)}*" if self.hints else self.text}
        if self.stories:
            item["stories"] = self.stories
        return item


@dataclass
class Assembled:
    data: dict[str, Any]  # the content file, section by section
    trailer: list[str]  # text with no item to hang on, written as comments at the end
    story_lines: dict[str, int]  # story id -> line in the notes, for the fit report
    phase_lines: dict[tuple[str, int], int]


class Assembler:
    def __init__(self, parsed: ParsedNotes, report: FileReport, taken: Taken, principle_set: PrincipleSet,
                 notes_text: str, target: str) -> None:
        self.parsed = parsed
        self.report = report
        self.taken = taken
        self.principle_set = principle_set
        self.tags = TagMatcher(principle_set)
        self.notes_text = notes_text
        self.target = target
        self.story_ids: dict[int, str] = {}  # id(DStory) -> id
        self.index_title: dict[int, str] = {}  # id(DStory) -> the index name that titles it
        self.story_data: dict[int, StoryEntry] = {}  # id(DStory) -> the story as written
        self.project_data: dict[int, dict] = {}
        self.notes_extras: dict[int, list[str]] = {}  # id(DProject) -> notes texts
        self.trailer: list[str] = []
        self.story_lines: dict[str, int] = {}
        self.phase_lines: dict[tuple[str, int], int] = {}

    def run(self) -> Assembled:
        data: dict[str, Any] = {}
        interview = self.interview()
        if interview:
            data["interview"] = interview
        projects = [self.project(p) for p in self.parsed.projects]
        stories, homeless = self.stories()
        bank, more_homeless = self.question_bank()
        homeless += more_homeless
        asks = [a for a in (self.ask(x) for x in self.parsed.asks) if a]
        reminders = [r for r in (self.reminder(x) for x in self.parsed.reminders) if r]
        self.place(homeless + self.parsed.unrecognised + [n for p in self.parsed.projects for n in p.notes])
        for project, draft in zip(projects, self.parsed.projects):
            texts = self.notes_extras.get(id(draft))
            if texts:
                project["extras"].append({"title": NOTES_TITLE, "answer": "\n\n".join(texts)})
            if not project["extras"]:
                del project["extras"]
        for entry in stories:
            if entry.notes:
                entry.data["notes"] = "\n\n".join(entry.notes)
        for key, value in (("projects", projects), ("stories", [e.data for e in stories]), ("question_bank", bank),
                           ("questions_to_ask", asks), ("reminders", reminders)):
            if value:
                data[key] = value
        return Assembled(data, self.trailer, self.story_lines, self.phase_lines)

    # ------------------------------------------------------------ interview

    def interview(self) -> dict | None:
        found = self.parsed.interview
        if not found:
            return None
        merged: dict[str, Any] = {}
        for item in found:
            for key, value in vars(item.fields).items():
                if value is not None and key not in merged:
                    merged[key] = value
        line = found[0].start
        deep = merged.get("deep_dive_minutes")
        if len(self.parsed.projects) == 1 and deep:
            self.parsed.projects[0].minutes = deep
        if self.taken.interview_in:
            self.report.change(line, f"interview header not written: {self.taken.interview_in} already has "
                                     "'interview:' (a workspace has one)"
                                     + ("; the deep-dive length is kept as the project's minutes" if deep else ""))
            return None
        if not merged.get("company"):
            merged["company"] = self.guess_company()
            self.report.change(line, f"interview: no company in the notes; wrote '{merged['company']}' "
                                     f"(edit it in {self.target})")
        if not merged.get("role"):
            self.report.change(line, f"interview: no role in the notes; add 'role:' in {self.target} if you know it")
        order = ("company", "role", "candidate", "date", "time", "timezone", "total_minutes", "deep_dive_minutes")
        interview = {key: merged[key] for key in order if merged.get(key) is not None}
        try:
            Interview.model_validate(interview)
        except ValidationError as exc:
            bad = {str(err["loc"][0]) for err in exc.errors()}
            for key in bad:
                self.report.change(line, f"interview: dropped {key}={interview.pop(key)!r} ({_first_error(exc)})")
        self.taken.interview_in = self.target
        return interview

    def guess_company(self) -> str:
        """The principle set's company ('Amazon' for Amazon's principles) when the notes
        mention it; else a placeholder to edit."""
        first = self.principle_set.name.split()[0] if self.principle_set.name else ""
        if first and re.search(rf"\b{re.escape(first)}\b", self.notes_text):
            return first
        return "(company)"

    # ------------------------------------------------------------ projects

    def project(self, draft: DProject) -> dict:
        label = derive_label(draft.title)
        pid = unique(slugify(label), self.taken.project_ids)
        project: dict[str, Any] = {"id": pid, "title": draft.title or "Project", "label": label}
        if draft.minutes and 0 < draft.minutes <= 600:
            project["minutes"] = draft.minutes
        project["phases"] = [self.phase(pid, p) for p in self.renumbered(draft)]
        project["extras"] = [self.extra(e) for e in draft.extras]
        self.project_data[id(draft)] = project
        return project

    def renumbered(self, draft: DProject) -> list:
        numbers = [p.number for p in draft.phases]
        if len(set(numbers)) == len(numbers):
            return draft.phases
        for n, phase in enumerate(draft.phases, start=1):
            if phase.number != n:
                self.report.change(phase.start, f"phase {phase.number} renumbered {n}: phase numbers in "
                                                f"'{draft.title}' were written twice")
                phase.number = n
        return draft.phases

    def phase(self, project_id: str, draft) -> dict:
        triggers = draft.triggers
        if not triggers:
            triggers = derived_triggers(draft.title, draft.answer)
            self.report.change(draft.start, f"phase {draft.number} '{draft.title}' has no trigger line; "
                                            f"triggers derived: {', '.join(triggers)}")
        answer = draft.answer
        if not answer:
            answer = draft.title
            self.report.change(draft.start,
                               f"phase {draft.number} '{draft.title}' has no text; its title is the answer")
        phase: dict[str, Any] = {"number": draft.number, "title": draft.title}
        if draft.minutes:
            phase["minutes"] = _minutes(draft.minutes)
        phase["triggers"] = triggers
        phase["answer"] = answer
        try:
            Phase.model_validate(phase)
        except ValidationError as exc:  # e.g. minutes "5-3": keep the phase, drop what is wrong
            for err in exc.errors():
                key = str(err["loc"][0])
                if key == "minutes":
                    self.report.change(draft.start, f"phase {draft.number}: minutes {phase.pop('minutes')!r} "
                                                    f"dropped ({err['msg']})")
        self.phase_lines[(project_id, draft.number)] = draft.start
        return phase

    def extra(self, draft) -> dict:
        extra: dict[str, Any] = {"title": draft.title or NOTES_TITLE}
        if draft.triggers:
            extra["triggers"] = draft.triggers
        extra["answer"] = draft.answer
        Extra.model_validate(extra)
        return extra

    # ------------------------------------------------------------ stories

    def stories(self) -> tuple[list[StoryEntry], list[DText]]:
        """Stories that make it, and the text of those demoted to notes."""
        titles = self.index_titles()
        asked = {id(q.story): q.text for q in self.parsed.questions if q.story is not None and q.principle is None}
        out, homeless = [], []
        for draft in self.parsed.stories:
            if id(draft) in titles:
                draft.title = shorten(titles[id(draft)], 90)
            if not draft.primary and draft.secondary:
                draft.primary, draft.secondary = draft.secondary[:1], draft.secondary[1:]
            if not draft.primary:
                indexed = self.indexed_principles(draft)
                draft.primary, draft.secondary = indexed[:1], indexed[1:]
            if not draft.primary and asked.get(id(draft)):
                named = self.principle_named_in(asked[id(draft)])
                if named:
                    draft.primary = [named]
                    self.report.change(draft.start, f"story '{shorten(draft.title, 50)}' is under no principle; "
                                                    f"tagged {named}, which its question names")
            if not draft.primary:
                why = (f"its tags ({', '.join(draft.unknown_tags)}) name no principle" if draft.unknown_tags
                       else "it has no principle tag and is not under a principle heading")
                homeless.append(DText(draft.start, draft.end, _story_as_text(draft),
                                      f"story '{draft.title}' demoted: {why}; add a tag like (Ownership) "
                                      "to its heading to import it as a story"))
                continue
            out.append(self.story(draft))
        return out, homeless

    def indexed_principles(self, draft: DStory) -> list[str]:
        """The principles a ``| Principle | Story | Backup |`` table gives the story: those
        where it is the main story first, then those where it is a backup."""
        main: list[str] = []
        backup: list[str] = []
        for entry in self.parsed.story_index:
            for i, name in enumerate(entry.names):
                if name_fit(name, draft.title) >= 0.8 and name_fit(draft.title, name) >= 0.5:
                    (main if i == 0 else backup).append(entry.principle)
        return list(dict.fromkeys(main + backup))

    def index_titles(self) -> dict[int, str]:
        """The story name an index gives for a question (``[Deadline](#...)(MZdemo, FD
        bugs)``), as the title of the story written under that question elsewhere in the
        notes, by story; see ``title_from_index`` for which name, if any. The names not
        used as a title stay on the question's card as hints (``question_bank``)."""
        by_key: dict[str, list[str]] = {}
        for q in self.parsed.questions:
            if q.from_index and q.names:
                by_key.setdefault(q.key, []).extend(n for n in q.names if n not in by_key.get(q.key, []))
        found: dict[int, str] = {}
        for q in self.parsed.questions:
            if q.story is not None and q.key in by_key and id(q.story) not in found:
                name = self.title_from_index(q.story, by_key[q.key])
                if name:
                    found[id(q.story)] = name
                    self.index_title[id(q.story)] = name
        return found

    def title_from_index(self, story: DStory, names: list[str]) -> str | None:
        """Which of the names an index gives for a question titles the story written
        under it, or None (the story keeps its heading, the question, as its title):

        - an answer that is a list of several instances, each led by a bold name (``-
          **DSP model** ...``, ``- **IMX681 face detection model** ...``), is not one
          story, so a name of one of them does not title the card;
        - a name is a candidate only if some of its words are in the story (``Dong and
          Altumview when I was Junior`` over an answer about hiring interns names another
          story);
        - of several names (``(Temporal Filtering, adding latency delay)(Gesture detection
          demo no device ...)``: one per story), the one with the largest share of its words
          in the story, if no other name has as large a share.

        The last two compare words, so they are a heuristic; the report says whenever a name
        is not used."""
        if several_instances(story):
            self.report.change(story.start, f"story '{shorten(story.title, 50)}': the index names it "
                                            f"{_names(names)}, but its answer lists several instances; "
                                            "kept its question as its title, the name(s) on the question's card")
            return None
        text = " ".join(story.sections.values())
        scores = sorted(((name_fit(name, text), i) for i, name in enumerate(names)), reverse=True)
        best, i = scores[0]
        if best == 0:
            self.report.change(story.start, f"story '{shorten(story.title, 50)}': the index names it "
                                            f"{_names(names)}, but no word of {'it' if len(names) == 1 else 'them'} "
                                            "is in the story; kept its question as its title, the name(s) on the "
                                            "question's card")
            return None
        if len(scores) > 1 and scores[1][0] == best:
            self.report.change(story.start, f"story '{shorten(story.title, 50)}': the index names {_names(names)} "
                                            "for its question and they fit the story equally; kept its question as "
                                            "its title, the names on the question's card")
            return None
        if len(names) > 1:
            others = [n for n in names if n != names[i]]
            self.report.change(story.start, f"story '{shorten(names[i], 50)}': of the names the index gives for its "
                                            f"question, this one fits the story; {_names(others)} kept on the "
                                            "question's card")
        return names[i]

    def story(self, draft: DStory) -> StoryEntry:
        sid = unique(slugify(draft.title), self.taken.story_ids)
        label = unique(derive_label(draft.title), self.taken.story_labels, sep=" ")
        if len(label) > LABEL_MAX:
            label = unique(label[: LABEL_MAX - 3].strip(), self.taken.story_labels, sep=" ")
        framework, sections = self.framework(draft)
        story: dict[str, Any] = {"id": sid, "title": draft.title, "label": label, "framework": framework,
                                 "primary": draft.primary}
        if draft.secondary:
            story["secondary"] = [p for p in draft.secondary if p not in draft.primary]
        if draft.triggers:
            story["triggers"] = draft.triggers
        story["sections"] = sections
        notes = list(draft.notes)
        if draft.unknown_tags:
            notes.append(f"*Tags not matched to a principle:* {', '.join(draft.unknown_tags)}")
            self.report.change(draft.start, f"story '{sid}': tag(s) {', '.join(repr(t) for t in draft.unknown_tags)} "
                                            "match no principle; moved into its notes")
        entry = StoryEntry(story, notes)
        self.story_ids[id(draft)] = sid
        self.story_data[id(draft)] = entry
        self.story_lines[sid] = draft.start
        self.report.frameworks[framework] = self.report.frameworks.get(framework, 0) + 1
        return entry

    def framework(self, draft: DStory) -> tuple[str, dict[str, str]]:
        """The framework whose sections the story has exactly; else free, with a reason."""
        keys = list(draft.sections)
        if not draft.labelled:
            return "free", dict(draft.sections)
        for name, expected in FRAMEWORK_SECTIONS.items():
            if set(keys) == set(expected):
                return name, {k: draft.sections[k] for k in expected}
        hinted = [f for f in draft.frameworks if f in FRAMEWORK_SECTIONS]
        best = hinted[0] if hinted else max(FRAMEWORK_SECTIONS,
                                                      key=lambda n: len(set(keys) & set(FRAMEWORK_SECTIONS[n])))
        expected = FRAMEWORK_SECTIONS[best]
        missing = [s for s in expected if s not in keys]
        extra = [k for k in keys if k not in expected]
        reasons = []
        if missing:
            empty = [m for m in missing if m in draft.empty_sections]
            reasons.append(f"no {', '.join(missing)}" + (f" ({', '.join(empty)} left empty)" if empty else ""))
        if extra:
            reasons.append(f"extra section(s) {', '.join(extra)}")
        self.report.change(draft.start, f"story '{draft.title}': closest to {best} but {'; '.join(reasons)}; "
                                        "kept as framework free with its sections")
        return "free", dict(draft.sections)

    # ------------------------------------------------------------ question bank

    def question_bank(self) -> tuple[list[dict], list[DText]]:
        questions = self.parsed.questions
        home: dict[str, DQuestion] = {}  # key -> the question written in the body, under a principle
        for q in questions:
            if not q.from_index and q.principle and q.key not in home:
                home[q.key] = q
        entries: dict[str, list[BankItem]] = {}
        by_principle_key: dict[tuple[str, str], BankItem] = {}
        homeless: list[DText] = []
        for q in questions:
            target = home.get(q.key) if q.from_index else None
            principle = target.principle if target else q.principle
            if principle is None and q.hint:  # | Question | Answer | naming a story: the story's principle
                named = self.story_named(q.hint)
                if named is not None:
                    principle, q.story = named.primary[0], named
                    q.hint = ""
            if principle is None:
                principle = self.principle_named_in(q.text)
                if principle is not None:
                    self.report.change(q.start, f"question '{shorten(q.text, 50)}' is under no principle; put under "
                                                f"{principle}, which it names")
            if principle is None:
                homeless.append(DText(q.start, q.end, _question_as_text(q),
                                      f"question under '{q.written_under}', which is not a principle: kept as notes"))
                continue
            if target is not None and q.principle and q.principle != target.principle and target.story is not None:
                told = self.story_data.get(id(target.story))
                if told and q.principle not in told.data["primary"] \
                        and q.principle not in told.data.get("secondary", []):
                    told.data.setdefault("secondary", []).append(q.principle)
            entry_key = (principle, q.key)
            item = by_principle_key.get(entry_key)
            if item is None:
                item = BankItem((target or q).text, q.start)
                by_principle_key[entry_key] = item
                entries.setdefault(principle, []).append(item)
            story_id = self.story_ids.get(id(q.story)) if q.story is not None else None
            if story_id and story_id not in item.stories:
                item.stories.append(story_id)
            for hint in ([q.hint] if q.hint else []) + (q.names if q.story is None else []):
                if hint and hint not in item.hints:
                    item.hints.append(hint)
        bank = []
        for principle, items in entries.items():
            for item in items:
                if item.stories:
                    item.hints = [h for h in item.hints if not self.names_a_story(h, item.stories)]
            bank.append({"principle": principle, "questions": [item.as_yaml() for item in items]})
        return bank, homeless

    def principle_named_in(self, text: str) -> str | None:
        """See ``TagMatcher.named_in``."""
        return self.tags.named_in(text)

    def story_named(self, text: str) -> DStory | None:
        """The imported story whose title ``text`` names (most of the title's words are in
        it), when exactly one is."""
        found = [d for d in self.parsed.stories if id(d) in self.story_data and name_fit(d.title, text) >= 0.6]
        return found[0] if len(found) == 1 else None

    def names_a_story(self, hint: str, story_ids: list[str]) -> bool:
        """The hint is the index name that titles one of these stories (so it is on their cards)."""
        named = {self.index_title.get(key) for key, sid in self.story_ids.items() if sid in story_ids}
        titles = {s.data["title"] for s in self.story_data.values() if s.id in story_ids}
        return hint in named or any(hint in title for title in titles)

    # ------------------------------------------------------------ questions to ask, reminders

    def ask(self, draft) -> dict | None:
        ask: dict[str, Any] = {"text": draft.text}
        if draft.to:
            ask["to"] = draft.to
        if draft.note:
            ask["note"] = draft.note
        try:
            AskQuestion.model_validate(ask)
        except ValidationError:
            return None
        return ask

    def reminder(self, draft) -> dict | None:
        group = {"heading": draft.heading or "Reminders", "items": draft.items}
        try:
            ReminderGroup.model_validate(group)
        except ValidationError:
            return None
        return group

    # ------------------------------------------------------------ a home for every text

    def place(self, texts: list[DText]) -> None:
        """Each text goes to the item that contains it, else the nearest one (the earlier
        one on a tie): a story's notes, or a project's Notes card.

        Except a preamble: text that ends more than PREAMBLE_GAP lines before the first
        item (an index of stories, "Why Amazon?", general advice) is about all of them, not
        about the first; in that story's notes it would print under it in the packet. It is
        kept as comments at the end of the file instead.
        """
        homes: list[tuple[int, int, str, Any]] = []
        for draft in self.parsed.stories:
            if id(draft) in self.story_data:
                homes.append((draft.start, draft.end, "story", draft))
        for project in self.parsed.projects:
            homes.append((project.start, project.end, "project", project))
        first_item = min((h[0] for h in homes), default=None)
        for text in sorted(texts, key=lambda t: t.start):
            if text.change:
                self.report.change(text.start, text.change)
            candidates = [h for h in homes if not (h[0] == text.start and h[1] == text.end)]
            if first_item is not None and text.end < first_item - PREAMBLE_GAP:
                candidates = []
            if not candidates:
                self.trailer.append(f"From notes line {text.start}:")
                self.trailer += text.text.splitlines() + [""]
                self.report.kept(text.start, text.end, text.text, f"a comment at the end of {self.target}",
                                 comment=True, numbers=text.numbers)
                continue
            home = min(candidates, key=lambda h: _distance(h, text))
            kind, draft = home[2], home[3]
            if kind == "story":
                entry = self.story_data[id(draft)]
                entry.notes.append(text.text)
                where = f"notes of story '{entry.id}'"
            else:
                self.notes_extras.setdefault(id(draft), []).append(text.text)
                where = f"the '{NOTES_TITLE}' card of project '{self.project_data[id(draft)]['id']}'"
            self.report.kept(text.start, text.end, text.text, where, numbers=text.numbers)


def count(data: dict, report: FileReport) -> None:
    counts = report.counts
    counts["interview"] = 1 if "interview" in data else 0
    counts["projects"] = len(data.get("projects", []))
    counts["phases"] = sum(len(p["phases"]) for p in data.get("projects", []))
    counts["extras"] = sum(len(p.get("extras", [])) for p in data.get("projects", []))
    counts["stories"] = len(data.get("stories", []))
    counts["bank questions"] = sum(len(e["questions"]) for e in data.get("question_bank", []))
    counts["questions to ask"] = len(data.get("questions_to_ask", []))
    counts["reminder groups"] = len(data.get("reminders", []))


PREAMBLE_GAP = 2  # lines: a heading or remark right above the first item still belongs to it


def _distance(home: tuple, text: DText) -> tuple[int, int, int]:
    """Inside an item first (the smallest), then the nearest, then the earlier one."""
    start, end = home[0], home[1]
    if start <= text.start and text.end <= end:
        return (0, end - start, 0)
    gap = text.start - end if end < text.start else start - text.end
    return (1, gap, 0 if end < text.start else 1)


def _minutes(text: str) -> Any:
    if re.fullmatch(r"\d+", text):
        return int(text)
    if re.fullmatch(r"\d+\.\d+", text):
        return float(text)
    return text


def _story_as_text(draft: DStory) -> str:
    parts = [f"**{draft.title}**"]
    for name, text in draft.sections.items():
        parts.append(f"*{name.capitalize()}:* {text}")
    parts += draft.notes
    if draft.unknown_tags:
        parts.append(f"*Tags:* {', '.join(draft.unknown_tags)}")
    return "\n\n".join(parts)


def _question_as_text(q: DQuestion) -> str:
    text = f"*{q.written_under}:* {q.text}"
    extra = q.names + ([q.hint] if q.hint else [])
    return text + (f" — {'; '.join(extra)}" if extra else "")


def _names(names: list[str]) -> str:
    return ", ".join(f"'{shorten(n, 40)}'" for n in names)


_INSTANCE = re.compile(r"^[-*+]\s+(?:\*\*|__)(?P<name>[^*_:]{2,60}?)(?:\*\*|__)\s*(?P<rest>.?)")


def several_instances(story: DStory) -> bool:
    """An unlabelled answer whose top-level list items are mostly led by a bold name, two
    or more of them (``- **DSP model** ...``): several stories answering one question. A
    bold label followed by a colon (``- **Definition**: ...``) is a label, not a name."""
    if story.labelled or "answer" not in story.sections:
        return False
    items = [line for line in story.sections["answer"].split("\n") if re.match(r"^[-*+]\s", line)]
    named = [m for m in map(_INSTANCE.match, items) if m and m.group("rest") != ":"]
    return len(named) >= 2 and 2 * len(named) >= len(items)


_SMALL_WORDS = set([
    "a", "an", "and", "the", "of", "to", "in", "on", "at", "for", "with", "by", "from", "as", "is", "was", "were",
    "be", "been", "it", "its", "this", "that", "these", "those", "i", "me", "my", "we", "our", "you", "your",
    "he", "she", "they", "them", "their", "his", "her", "so", "then", "than", "but", "or", "not", "no"
])


def name_fit(name: str, text: str) -> float:
    """The share of a story name's words found in ``text``: a word counts when the text
    has it, a word starting with its first five letters (``filter``/``filtering``), or,
    for five letters or more, has it with the spaces taken out (``MZdemo``/``MZ demo``)."""
    words = [w for w in re.findall(r"[a-z0-9]+", name.lower()) if w not in _SMALL_WORDS]
    if not words:
        return 0.0
    have = re.findall(r"[a-z0-9]+", text.lower())
    stems = {w[:5] for w in have}
    squashed = "".join(have)
    found = sum(1 for w in words if w[:5] in stems or (len(w) >= 5 and w in squashed))
    return found / len(words)


def _first_error(exc: ValidationError) -> str:
    errors = exc.errors()
    return errors[0]["msg"] if errors else "invalid"


