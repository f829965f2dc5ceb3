"""The coverage analysis, on content built in code (so also content load.py would reject)."""

from __future__ import annotations

from deckbuilder.content.coverage import MAX_PRINCIPLES_PER_STORY, Kind, Mark, coverage
from deckbuilder.content.model import BankEntry, BankQuestion, Content, Interview, Phase, Project, Story
from deckbuilder.content.principles import builtin_set

NAMES = [p.name for p in builtin_set().principles]


def story(sid: str, primary: list[str], secondary: list[str] = ()) -> Story:
    return Story(id=sid, title=sid, label=sid.upper(), sections={"situation": "s", "task": "t", "action": "a",
                                                                 "result": "r"},
                 primary=list(primary), secondary=list(secondary))


def content(stories: list[Story], **extra) -> Content:
    return Content(principles=builtin_set(), stories=stories, **extra)


def kinds(cov) -> list[tuple[Kind, str]]:
    return [(f.kind, f.subject) for f in cov.findings]


def full_cover() -> list[Story]:
    """Every principle covered by exactly two stories, no story on more than two."""
    return [story(f"s{i}", [NAMES[i]], [NAMES[(i + 1) % 16]]) for i in range(16)]


def test_grid_totals_and_marks():
    cov = coverage(content([story("a", ["Ownership"], ["Dive Deep", "Frugality"]), story("b", ["Dive Deep"])]))
    own, dive, frug = NAMES.index("Ownership"), NAMES.index("Dive Deep"), NAMES.index("Frugality")
    assert [r.name for r in cov.rows] == NAMES
    assert [c.label for c in cov.columns] == ["A", "B"]
    assert cov.mark(own, 0) is Mark.PRIMARY
    assert cov.mark(dive, 0) is Mark.SECONDARY
    assert cov.mark(dive, 1) is Mark.PRIMARY
    assert cov.mark(own, 1) is None
    assert cov.column_totals == [3, 1]
    assert cov.row_totals[dive] == 2 and cov.row_totals[frug] == 1 and sum(cov.row_totals) == 4


def test_fully_covered_content_has_no_findings():
    assert coverage(content(full_cover())).findings == []


def test_each_kind_of_gap_is_found_once():
    stories = full_cover()
    stories[0] = story("s0", [NAMES[0]], [])  # NAMES[1] now has only s1
    stories[15] = story("s15", [NAMES[15]], [])  # NAMES[0] now has only s0
    stories.append(story("wide", NAMES[2:2 + MAX_PRINCIPLES_PER_STORY + 1]))
    stories.append(story("nowhere", ["Not A Principle"]))  # load.py rejects this; coverage must not crash
    cov = coverage(content(stories))
    assert kinds(cov) == [(Kind.SINGLE, NAMES[0]), (Kind.SINGLE, NAMES[1]),
                          (Kind.OVERUSED, "wide"), (Kind.UNMAPPED, "nowhere")]
    assert "only one story ('s0', primary)" in cov.findings[0].message
    assert "5 principles" in cov.findings[2].message


def test_exactly_four_principles_is_not_overused():
    stories = full_cover() + [story("four", NAMES[:4])]
    assert coverage(content(stories)).findings == []


def test_uncovered_principle():
    stories = [s for s in full_cover() if NAMES[3] not in s.primary + s.secondary]
    cov = coverage(content(stories))
    assert (Kind.UNCOVERED, NAMES[3]) in kinds(cov)
    assert cov.row_totals[3] == 0


def test_primary_wins_over_a_repeated_secondary():
    cov = coverage(content([story("a", ["Ownership"], ["Ownership"])]))
    assert cov.mark(NAMES.index("Ownership"), 0) is Mark.PRIMARY
    assert cov.column_totals == [1]


def test_bank_questions_per_principle_and_missing_story_reference():
    bank = [BankEntry(principle="Ownership", questions=[BankQuestion(text="q1", stories=["s1"]),
                                                        BankQuestion(text="q2", stories=["ghost"])]),
            BankEntry(principle="Dive Deep", questions=[BankQuestion(text="q3")]),
            BankEntry(principle="Ownership", questions=[BankQuestion(text="q4")])]
    cov = coverage(content(full_cover(), question_bank=bank))
    assert cov.bank_questions[NAMES.index("Ownership")] == 3
    assert cov.bank_questions[NAMES.index("Dive Deep")] == 1
    assert sum(cov.bank_questions) == 4
    assert kinds(cov) == [(Kind.MISSING_STORY, "ghost")]


def test_deep_dive_range_counts_its_upper_bound():
    def project(pid: str, minutes: list, slot: int | None = None) -> Project:
        phases = [Phase(number=i + 1, title=f"p{i}", minutes=m, triggers=["t"], answer="a")
                  for i, m in enumerate(minutes)]
        return Project(id=pid, title=pid, phases=phases, minutes=slot)

    projects = [project("fits", [5, "4-5"]),  # 9-10 in 10
                project("over", [5, "5-6"]),  # 10-11 in 10: the upper bound is over
                project("own-slot", [10, 5], slot=15),
                project("untimed", [None, 3], slot=None)]
    cov = coverage(content(full_cover(), projects=projects, interview=Interview(company="c", role="r",
                                                                                    deep_dive_minutes=10)))
    assert kinds(cov) == [(Kind.OVER_SLOT, "over")]
    over = cov.deep_dives[1]
    assert (over.low, over.high, over.slot, over.over) == (10, 11, 10, 1)
    assert "10-11 min, counting 11, over its 10-min slot by 1 min" in cov.findings[0].message
    assert cov.deep_dives[2].slot == 15 and cov.deep_dives[2].over == 0
    assert (cov.deep_dives[3].phases, cov.deep_dives[3].timed_phases) == (2, 1)


def test_no_slot_is_not_a_finding():
    project = Project(id="p", title="p", phases=[Phase(number=1, title="t", minutes=99, triggers=["t"],
                                                       answer="a")])
    cov = coverage(content(full_cover(), projects=[project]))
    assert cov.findings == [] and cov.deep_dives[0].slot is None


def test_repeated_hints_are_given_once():
    cov = coverage(content([story("a", ["Ownership"])]))
    uncovered = [f for f in cov.findings if f.kind is Kind.UNCOVERED]
    assert len(uncovered) == 15
    assert uncovered[0].hint and all(f.hint is None for f in uncovered[1:])
