"""Which story answers which principle, and what needs attention before the loop.

A pure analysis of a checked ``Content``: no printing, no drawing. Both the text table
of ``deckbuilder check`` and ``output/matrix.pdf`` are views of the one ``Coverage``
computed here, so the page and the report can never disagree.

Findings are *warnings*: a principle without a story is a gap in the preparation, not a
mistake in the files. They carry ``file:line`` where the content gives one, so that an
editor can jump to the story or project concerned.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

from ..errors import Problem
from .kinds import Kind, Mark
from .load import where
from .model import Content, Item, Project

MAX_PRINCIPLES_PER_STORY = 4  # more than this and one story is stretched over too many answers


@dataclass(frozen=True)
class Finding:
    """One thing that needs attention; ``subject`` is the principle name, story or project id."""

    kind: Kind
    subject: str
    message: str
    hint: str | None = None
    file: str | None = None
    line: int | None = None

    def problem(self) -> Problem:
        """As a warning in the shape ``check`` prints (``file:line: warning: ...``)."""
        return Problem(self.file, self.line, self.message, self.hint, None, "warning")


@dataclass(frozen=True)
class Column:
    """One story as a column of the grid."""

    id: str
    label: str


@dataclass(frozen=True)
class Row:
    """One principle as a row of the grid."""

    name: str
    short: str


@dataclass(frozen=True)
class DeepDive:
    """A deep-dive's planned minutes against the slot it has to fit in."""

    id: str
    title: str
    low: float
    high: float  # what counts against the slot: a "2-3" phase counts 3
    slot: int | None
    phases: int
    timed_phases: int

    @property
    def over(self) -> float:
        """Minutes over the slot (0 when it fits or no slot is known)."""
        return max(0.0, self.high - self.slot) if self.slot else 0.0

    def planned(self) -> str:
        fmt = lambda x: f"{x:g}"  # noqa: E731 - tiny formatter
        return fmt(self.low) if self.low == self.high else f"{fmt(self.low)}-{fmt(self.high)}"


@dataclass(frozen=True)
class Coverage:
    """The principle x story grid with its totals and findings."""

    rows: list[Row]
    columns: list[Column]
    cells: dict[tuple[int, int], Mark]  # (row index, column index) -> mark; absent = empty
    bank_questions: list[int]  # per row
    deep_dives: list[DeepDive]
    findings: list[Finding] = field(default_factory=list)

    def mark(self, row: int, column: int) -> Mark | None:
        return self.cells.get((row, column))

    @cached_property
    def row_totals(self) -> list[int]:
        """Stories per principle (primary or secondary); counted once (views ask per row)."""
        totals = [0] * len(self.rows)
        for r, _ in self.cells:
            totals[r] += 1
        return totals

    @cached_property
    def column_totals(self) -> list[int]:
        """Principles per story (primary or secondary); counted once (views ask per column)."""
        totals = [0] * len(self.columns)
        for _, c in self.cells:
            totals[c] += 1
        return totals

    @cached_property
    def _by_subject(self) -> dict[tuple[bool, str], list[Finding]]:
        """Row findings (True) and column findings (False) by subject: one pass over the
        findings, not one per row and column (10,000 stories made that 10**8 steps)."""
        index: dict[tuple[bool, str], list[Finding]] = {}
        for f in self.findings:
            if f.kind in (Kind.UNCOVERED, Kind.SINGLE):
                index.setdefault((True, f.subject), []).append(f)
            elif f.kind in (Kind.OVERUSED, Kind.UNMAPPED):
                index.setdefault((False, f.subject), []).append(f)
        return index

    def row_findings(self, row: int) -> list[Finding]:
        return self._by_subject.get((True, self.rows[row].name), [])

    def column_findings(self, column: int) -> list[Finding]:
        return self._by_subject.get((False, self.columns[column].id), [])

    def problems(self) -> list[Problem]:
        return [f.problem() for f in self.findings]


def _loc(obj: Item, *keys: str | int) -> tuple[str | None, int | None]:
    """``where`` that tolerates objects built in code (no source recorded)."""
    try:
        return where(obj, *keys)
    except (AttributeError, TypeError):
        return None, None


def coverage(content: Content) -> Coverage:
    """Analyse ``content``: the grid, totals, bank questions per principle and findings.

    Robust to content that did not pass the cross-checks (principle names outside the
    set are ignored, dangling story ids become findings) so it can never be the thing
    that crashes a report.
    """
    principles = content.principles.principles
    rows = [Row(p.name, p.short or p.name) for p in principles]
    index = {p.name: i for i, p in enumerate(principles)}
    columns = [Column(s.id, s.label) for s in content.stories]
    cells: dict[tuple[int, int], Mark] = {}
    # Where each (row, column) mark was written, to point a single-story finding at it.
    sources: dict[tuple[int, int], tuple[str | None, int | None]] = {}
    for c, story in enumerate(content.stories):
        for mark, names in ((Mark.PRIMARY, story.primary), (Mark.SECONDARY, story.secondary)):
            field_name = mark.value
            for i, name in enumerate(names):
                r = index.get(name)
                if r is None or (r, c) in cells:  # primary wins over a repeated secondary
                    continue
                cells[(r, c)] = mark
                sources[(r, c)] = _loc(story, field_name, i)

    bank = [0] * len(rows)
    for entry in content.question_bank:
        r = index.get(entry.principle)
        if r is not None:
            bank[r] += len(entry.questions)

    # A project without phases (backup material only) has no timing to check.
    deep_dives = [_deep_dive(content, p) for p in content.projects if p.phases]
    result = Coverage(rows, columns, cells, bank, deep_dives)
    result.findings.extend(_hint_once(_findings(content, result, sources)))
    return result


def _hint_once(findings: list[Finding]) -> list[Finding]:
    """Keep a hint only on the first finding that gives it: twelve identical hints bury the list."""
    seen: set[str] = set()
    out = []
    for f in findings:
        if f.hint in seen:
            f = replace(f, hint=None)
        elif f.hint:
            seen.add(f.hint)
        out.append(f)
    return out


def _deep_dive(content: Content, project: Project) -> DeepDive:
    low, high = project.planned_minutes()
    timed = sum(1 for p in project.phases if p.minutes)
    return DeepDive(project.id, project.title, low, high, content.project_minutes(project), len(project.phases), timed)


def _findings(content: Content, cov: Coverage,
              sources: dict[tuple[int, int], tuple[str | None, int | None]]) -> list[Finding]:
    found: list[Finding] = []
    principles = content.principles.principles
    row_totals, column_totals = cov.row_totals, cov.column_totals
    for r, principle in enumerate(principles):
        if row_totals[r] == 0:
            file, line = _loc(principle)
            found.append(Finding(Kind.UNCOVERED, principle.name, f"principle '{principle.name}' has no story",
                                 "tag a story with it under primary: or secondary:", file, line))
    only_story = {r: c for (r, c) in cov.cells if row_totals[r] == 1}
    for r, principle in enumerate(principles):
        if row_totals[r] == 1:
            c = only_story[r]
            story = content.stories[c]
            file, line = sources.get((r, c), (None, None))
            found.append(Finding(Kind.SINGLE, principle.name,
                                 f"principle '{principle.name}' has only one story ('{story.id}', "
                                 f"{cov.cells[(r, c)].value})",
                                 "a second story gives you a fallback when a follow-up asks for another example",
                                 file, line))
    for c, story in enumerate(content.stories):
        if column_totals[c] > MAX_PRINCIPLES_PER_STORY:
            file, line = _loc(story, "primary")
            found.append(Finding(Kind.OVERUSED, story.id,
                                 f"story '{story.id}' is mapped to {column_totals[c]} principles "
                                 f"(more than {MAX_PRINCIPLES_PER_STORY})",
                                 "keep the principles it answers best; interviewers notice one story told five times",
                                 file, line))
    for c, story in enumerate(content.stories):
        if column_totals[c] == 0:
            file, line = _loc(story)
            found.append(Finding(Kind.UNMAPPED, story.id, f"story '{story.id}' is mapped to no principle",
                                 "add the principles it answers under primary:", file, line))
    known = {s.id for s in content.stories}
    for entry in content.question_bank:
        for question in entry.questions:
            for i, sid in enumerate(question.stories):
                if sid not in known:
                    file, line = _loc(question, "stories", i)
                    found.append(Finding(Kind.MISSING_STORY, sid,
                                         f"question bank ({entry.principle}) refers to missing story '{sid}'",
                                         "story ids are listed under 'stories:'", file, line))
    for project, dive in zip([p for p in content.projects if p.phases], cov.deep_dives):
        if dive.over > 0:
            file, line = _loc(project, "phases")
            found.append(Finding(Kind.OVER_SLOT, project.id,
                                 f"deep-dive '{project.id}' plans {dive.planned()} min, counting {dive.high:g}, "
                                 f"over its {dive.slot}-min slot by {dive.over:g} min",
                                 "trim phases, or give the project a longer 'minutes:' if the slot really is longer",
                                 file, line))
    return found

