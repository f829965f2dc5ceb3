"""The loop plan: a story (and a backup) for every question of every interviewer, never one
story as the main answer twice.

Interviewers compare notes in the debrief, so the same story told to two of them counts
once. Each (interviewer, principle) is a *slot*; a story can fill a slot when it names the
principle as primary or secondary. Every slot gets a story of its own (which also means no
interviewer hears one story for two of their principles), chosen to prefer primary over
secondary matches first and stronger stories second, over the whole loop at once: a greedy
pass, slot by slot, can give away the only story a later slot has. The problem is a small
assignment problem (a few interviewers times a few principles against tens of stories),
solved exactly with the Hungarian algorithm below, written out so that it needs no
dependency.

When some slot cannot get a story of its own, Hall's theorem says why: some principles are
asked more times than they have stories between them. ``Shortfall`` names them, the
numbers, and the two smallest fixes: that many more stories, or the least harmful repeat.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..content.model import Content, Interviewer, Story

SECONDARY_COST = 10  # a secondary match costs more than any difference of strength (at most 4)
UNFILLED_COST = 10_000  # more than every real cost of a loop together: fill as many slots as possible first
FORBIDDEN = 1_000_000  # a story that does not answer the principle


@dataclass(frozen=True)
class Slot:
    """One question of the loop: an interviewer (by position) and a principle they probe."""

    interviewer: int
    principle: str


@dataclass(frozen=True)
class Repeat:
    """A story told twice to fill a slot that cannot get its own: where else it is the answer."""

    story: Story
    other: Slot
    same_interviewer: bool
    slot: Slot | None = None  # the slot it fills (the question that has no story of its own)


@dataclass(frozen=True)
class Shortfall:
    """Principles asked more often than they have stories between them."""

    principles: tuple[str, ...]
    asked: int  # slots asking for them
    interviewers: tuple[str, ...]  # who asks
    stories: tuple[Story, ...]  # the stories that answer any of them
    repeat: Repeat | None  # the least harmful repeat that fills one unfilled slot

    @property
    def missing(self) -> int:
        return self.asked - len(self.stories)

    def message(self) -> str:
        """'principle 'X' is asked by 3 interviewers (A, B, C) but has 2 stories (x, y)'."""
        names = " and ".join(f"'{p}'" for p in self.principles)
        who = ", ".join(dict.fromkeys(self.interviewers))
        count = len(dict.fromkeys(self.interviewers))
        have = ", ".join(s.id for s in self.stories) or "none"
        if len(self.principles) == 1:
            asked = f"is asked by {count} interviewer{'s' if count != 1 else ''} ({who})"
            if self.asked != count:
                asked = f"is asked {self.asked} times by {who}"
            return (f"loop: principle {names} {asked} but has {len(self.stories)} "
                    f"stor{'y' if len(self.stories) == 1 else 'ies'} ({have}): {self.missing} short")
        return (f"loop: principles {names} are asked {self.asked} times ({who}) but have "
                f"{len(self.stories)} stor{'y' if len(self.stories) == 1 else 'ies'} between them ({have}): "
                f"{self.missing} short")

    def fix(self, names: list[str]) -> str:
        """The smallest change that covers the loop: more stories, or the least harmful repeat."""
        which = " or ".join(f"'{p}'" for p in self.principles)
        more = f"add {self.missing} more stor{'y' if self.missing == 1 else 'ies'} for {which} (primary or secondary)"
        if self.repeat is None:
            return more
        r = self.repeat
        held_by = names[r.other.interviewer]
        if r.same_interviewer:
            this = f"'{r.slot.principle}'" if r.slot else "this one"
            return (f"{more}, or let {held_by} hear '{r.story.label}' for both '{r.other.principle}' and "
                    f"{this} (one interviewer, so nobody compares notes)")
        return (f"{more}, or repeat '{r.story.label}' (strength {r.story.strength}), already "
                f"{held_by}'s answer for '{r.other.principle}' (the least harmful repeat)")


@dataclass
class LoopPlan:
    """Every slot with its main story and backup (None: nothing left / nothing at all)."""

    interviewers: list[Interviewer]
    slots: list[Slot]
    main: list[Story | None]
    backup: list[Story | None]
    repeats: dict[int, Repeat] = field(default_factory=dict)  # slot index -> the repeat filling it
    shortfalls: list[Shortfall] = field(default_factory=list)

    @property
    def covered(self) -> bool:
        return not self.shortfalls

    def by_interviewer(self) -> list[tuple[Interviewer, list[int]]]:
        """Each interviewer with the indices of their slots, in the content's order."""
        return [(person, [k for k, s in enumerate(self.slots) if s.interviewer == i])
                for i, person in enumerate(self.interviewers)]

    def names(self) -> list[str]:
        return [p.name for p in self.interviewers]


def loop_interviewers(content: Content) -> list[Interviewer]:
    """The interviewers of the loop: those who list principles (none: there is no loop)."""
    if content.interview is None:
        return []
    return [p for p in content.interview.interviewers if p.principles]


def cost(story: Story, principle: str) -> int:
    """What it costs to answer ``principle`` with ``story``: primary first, then strength."""
    if principle in story.primary:
        return 5 - story.strength
    if principle in story.secondary:
        return SECONDARY_COST + 5 - story.strength
    return FORBIDDEN


def plan_loop(content: Content) -> LoopPlan | None:
    """The best plan for the loop in ``content``, or None when no interviewer lists principles."""
    people = loop_interviewers(content)
    if not people:
        return None
    slots = [Slot(i, principle) for i, person in enumerate(people) for principle in dict.fromkeys(person.principles)]
    stories = content.stories
    assignment = assign_slots([slot.principle for slot in slots], stories)
    main: list[Story | None] = [stories[c] if c < len(stories) else None for c in assignment]
    plan = LoopPlan(people, slots, main, [None] * len(slots))
    plan.shortfalls = shortfalls(plan, stories)
    for k in range(len(slots)):
        if main[k] is None:
            repeat = least_harmful_repeat(plan, stories, k)
            if repeat:
                plan.repeats[k] = repeat
    plan.shortfalls = [replace(f, repeat=next((r for k, r in plan.repeats.items()
                                               if slots[k].principle in f.principles), None))
                       for f in plan.shortfalls]
    for k, repeat in plan.repeats.items():
        main[k] = repeat.story
    ranked: dict[str, list[Story]] = {}
    plan.backup = [choose_backup(plan, stories, k, ranked) for k in range(len(slots))]
    return plan


def choose_backup(plan: LoopPlan, stories: list[Story], k: int,
                  ranked: dict[str, list[Story]] | None = None) -> Story | None:
    """The slot's next best story: one no other interviewer hears as a main answer if any,
    then primary over secondary and stronger first (the first in the files among equals).
    ``ranked`` keeps each principle's stories best first between calls, so that a loop of
    hundreds of questions does not rank thousands of stories once per question."""
    slot = plan.slots[k]
    ranked = {} if ranked is None else ranked
    if slot.principle not in ranked:
        answers = [(c, n, s) for n, s in enumerate(stories) if (c := cost(s, slot.principle)) < FORBIDDEN]
        ranked[slot.principle] = [s for _, _, s in sorted(answers, key=lambda a: (a[0], a[1]))]
    told_elsewhere = {id(s) for j, s in enumerate(plan.main) if s is not None and plan.slots[j].interviewer
                      != slot.interviewer}
    candidates = [s for s in ranked[slot.principle] if s is not plan.main[k]]
    return next((s for s in candidates if id(s) not in told_elsewhere), candidates[0] if candidates else None)


def least_harmful_repeat(plan: LoopPlan, stories: list[Story], k: int) -> Repeat | None:
    """For an unfilled slot: the story to tell a second time that does least harm. A repeat to
    the same interviewer harms least (nobody compares notes); then the best match."""
    slot = plan.slots[k]
    best: tuple[tuple[bool, int], Repeat] | None = None
    for j, story in enumerate(plan.main):
        if story is None or cost(story, slot.principle) >= FORBIDDEN:
            continue
        other = plan.slots[j]
        same = other.interviewer == slot.interviewer
        key = (not same, cost(story, slot.principle))
        if best is None or key < best[0]:
            best = (key, Repeat(story, other, same, slot))
    return best[1] if best else None


def shortfalls(plan: LoopPlan, stories: list[Story]) -> list[Shortfall]:
    """Why slots are unfilled: from each unfilled slot, the slots and stories reachable by
    alternating paths (answers -> the slot holding it -> its answers ...) form a set of
    principles asked more often than they have stories (Hall's theorem)."""
    holder = {id(s): k for k, s in enumerate(plan.main) if s is not None}
    found: list[Shortfall] = []
    reached_all: set[int] = set()
    for start, story in enumerate(plan.main):
        if story is not None or start in reached_all or any(plan.slots[start].principle in f.principles
                                                             for f in found):
            continue
        reached, answers, queue = {start}, {}, [start]
        while queue:
            k = queue.pop()
            for s in stories:
                if cost(s, plan.slots[k].principle) < FORBIDDEN and id(s) not in answers:
                    answers[id(s)] = s
                    j = holder.get(id(s))
                    if j is not None and j not in reached:
                        reached.add(j)
                        queue.append(j)
        reached_all |= reached
        principles = tuple(dict.fromkeys(plan.slots[k].principle for k in sorted(reached)))
        asked = [k for k, slot in enumerate(plan.slots) if slot.principle in principles]
        found.append(Shortfall(principles, len(asked), tuple(plan.names()[plan.slots[k].interviewer] for k in asked),
                               tuple(answers.values()), None))
    return found


def assign_slots(principles: list[str], stories: list[Story]) -> list[int]:
    """The column of each slot (asking ``principles[k]``) in the loop's cost matrix, exactly as
    the dense Hungarian algorithm (``tests/loopref.py``) on the full matrix (stories, then one
    "unfilled" column per slot) gives it,
    without building that matrix: a story that does not answer a slot's principle is left out
    of the slot's row. Such a cell (FORBIDDEN) is never on a shortest augmenting path while an
    unfilled column is free (it costs more than any path through one), so leaving it out
    changes nothing, and each step then looks at a slot's own stories instead of every column:
    30 interviewers x 10 principles against 5,000 stories take well under a second, not half a
    minute (tested against the dense one on random loops)."""
    n, s = len(principles), len(stories)
    columns: dict[str, list[tuple[int, int]]] = {}
    for principle in dict.fromkeys(principles):
        columns[principle] = [(j, c) for j, story in enumerate(stories) if (c := cost(story, principle)) < FORBIDDEN]
    return sparse_hungarian([columns[p] for p in principles], s + n, s, UNFILLED_COST)


def sparse_hungarian(rows: list[list[tuple[int, int]]], m: int, spare: int | None = None,
                     spare_cost: int = 0) -> list[int]:
    """The Hungarian algorithm for a matrix given by each row's (column, cost) cells, the others never
    chosen; the same steps in Dijkstra form (distances kept per column, potentials updated once
    per row), so the same ties go the same way: the lowest column among equals.

    Columns from ``spare`` on are "unfilled" columns, each costing ``spare_cost`` in every row
    (not listed in ``rows``). A row reaches the ones already taken, and of the free ones only
    the first: free ones all cost the same and have never moved their potential, so the first
    is the one a tie gives, and reaching it ends the search."""
    import heapq

    spare = m if spare is None else spare
    taken: list[int] = []  # the spare columns (1-based) with an owner, in the order taken
    next_free = spare + 1  # spare columns are taken lowest first, so the free ones are those after

    n = len(rows)
    u, v = [0.0] * (n + 1), [0.0] * (m + 1)
    owner = [0] * (m + 1)  # 1-based rows and columns, as in the dense form; column 0 is the root
    way = [0] * (m + 1)
    for row in range(1, n + 1):
        owner[0] = row
        dist: dict[int, float] = {0: 0.0}
        used: list[int] = []
        done: set[int] = set()
        heap: list[tuple[float, int]] = []
        j0 = 0
        while True:
            done.add(j0)
            used.append(j0)
            i0, d0 = owner[j0], dist[j0]
            cells = rows[i0 - 1]
            if spare < m:
                cells = cells + [(j - 1, spare_cost) for j in taken] + [(next_free - 1, spare_cost)] * (next_free <= m)
            for column, c in cells:
                j = column + 1
                if j in done:
                    continue
                current = d0 + c - u[i0] - v[j]
                if current < dist.get(j, float("inf")):
                    dist[j], way[j] = current, j0
                    heapq.heappush(heap, (current, j))
            while True:
                d, j1 = heapq.heappop(heap)
                if j1 not in done and dist[j1] == d:
                    break
            j0 = j1
            if owner[j0] == 0:
                break
        total = dist[j0]
        if j0 == next_free:
            taken.append(j0)
            next_free += 1
        for j in used:
            u[owner[j]] += total - dist[j]
            v[j] -= total - dist[j]
        while j0:
            j1 = way[j0]
            owner[j0] = owner[j1]
            j0 = j1
    result = [0] * n
    for j in range(1, m + 1):
        if owner[j]:
            result[owner[j] - 1] = j - 1
    return result


# ---------------------------------------------------------------- compact lines for the sheet

@dataclass(frozen=True)
class SheetRow:
    """One interviewer on the one-page sheet: "Tyler · 45 min: Ownership → FD DSP · ..."."""

    name: str
    role: str | None
    minutes: int | None
    asks: str | None
    items: tuple[str, ...]  # "principle → story label" (with "(repeat)" when it is one)


def sheet_rows(content: Content) -> list[SheetRow]:
    """The loop as one compact row per interviewer, or no rows when there is no loop."""
    plan = plan_loop(content)
    if plan is None:
        return []
    short = {p.name: p.short for p in content.principles.principles if p.short}
    rows = []
    for person, indices in plan.by_interviewer():
        items = []
        for k in indices:
            story = plan.main[k]
            told = (story.label + (" (repeat)" if k in plan.repeats else "")) if story else "no story"
            items.append(f"{short.get(plan.slots[k].principle, plan.slots[k].principle)} → {told}")
        rows.append(SheetRow(person.name, person.role, person.minutes, person.asks, tuple(items)))
    return rows


# ---------------------------------------------------------------- text for check

def plan_lines(plan: LoopPlan, width: int = 100, short: dict[str, str] | None = None) -> list[str]:
    """The plan as a text table: interviewer, principle (its ``short`` name where it has
    one), story (label and title), backup."""
    short = short or {}
    filled = sum(1 for s in plan.main if s is not None)
    head = (f"Loop plan: {len(plan.interviewers)} interviewer(s), {len(plan.slots)} question(s), "
            + ("every one with its own story" if plan.covered else f"{len(plan.repeats)} repeat(s), "
               f"{len(plan.slots) - filled} without any story"))
    rows = [("interviewer", "principle", "story", "backup")]
    for person, indices in plan.by_interviewer():
        who = person.name + (f" ({person.minutes} min)" if person.minutes else "")
        for n, k in enumerate(indices):
            story, backup = plan.main[k], plan.backup[k]
            text = f"{story.label}: {story.title}" if story else "(no story)"
            if k in plan.repeats:
                text = "REPEAT " + text
            principle = short.get(plan.slots[k].principle, plan.slots[k].principle)
            rows.append((who if n == 0 else "", principle, text, backup.label if backup else "-"))
    widths = [max(len(r[c]) for r in rows) for c in range(3)]
    widths[1] = min(widths[1], 28)
    room = max(20, width - widths[0] - widths[1] - 6 - max(len(r[3]) for r in rows))
    widths[2] = min(widths[2], room)
    lines = ["", head]
    for row in rows:
        cells = [_cut(row[c], widths[c]).ljust(widths[c]) for c in range(3)]
        lines.append("  ".join(cells) + "  " + row[3])
    return [line.rstrip() for line in lines]


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 3].rstrip() + "..."
