"""The loop plan: an exact assignment where a greedy one fails, and a clear reason when none exists."""

from __future__ import annotations

import itertools
import random

import pytest
from loopref import (
    hungarian,  # the dense reference; the sparse solver the product uses matches it (test_hostile_features)
)

from deckbuilder.coach.loop import FORBIDDEN, cost, plan_lines, plan_loop
from deckbuilder.content.model import Content, Interview, Interviewer, Story
from deckbuilder.content.principles import builtin_set

OWN, DIVE, FRUG = "Ownership", "Dive Deep", "Frugality"


def story(sid: str, primary: list[str], secondary: list[str] = (), strength: int = 3) -> Story:
    return Story(id=sid, title=f"Story {sid}", label=sid.upper(), sections={"situation": "s", "task": "t",
                 "action": "a", "result": "r"}, primary=primary, secondary=list(secondary), strength=strength)


def loop(people: dict[str, list[str]], stories: list[Story]) -> Content:
    interview = Interview(company="Acme", interviewers=[Interviewer(name=n, principles=p) for n, p in people.items()])
    return Content(principles=builtin_set(), interview=interview, stories=stories)


def greedy(content: Content) -> list[Story | None]:
    """What a slot-by-slot greedy choice gives: the best story not yet used, in reading order."""
    used, chosen = set(), []
    for person in content.interview.interviewers:
        for principle in person.principles:
            options = [s for s in content.stories if s.id not in used and cost(s, principle) < FORBIDDEN]
            best = min(options, key=lambda s: cost(s, principle), default=None)
            chosen.append(best)
            if best:
                used.add(best.id)
    return chosen


def mains(plan) -> list[str | None]:
    return [s.id if s else None for s in plan.main]


def test_exact_covers_a_loop_that_greedy_cannot():
    content = loop({"Ana": [OWN], "Bo": [DIVE]}, [story("x", [OWN, DIVE], strength=5), story("y", [OWN])])
    assert greedy(content)[1] is None  # greedy gives Ana the best story and leaves Bo nothing
    plan = plan_loop(content)
    assert plan.covered and mains(plan) == ["y", "x"]
    assert [b.id if b else None for b in plan.backup] == ["x", None]


def test_exact_keeps_every_answer_primary_where_greedy_falls_back_to_a_secondary():
    content = loop({"Ana": [OWN], "Bo": [DIVE]},
                   [story("x", [OWN, DIVE], strength=5), story("y", [OWN], strength=4), story("w", [FRUG], [DIVE], 5)])
    assert [s.id for s in greedy(content)] == ["x", "w"]
    assert mains(plan_loop(content)) == ["y", "x"]


def test_hungarian_agrees_with_brute_force_on_random_loops():
    rng = random.Random(21)
    for _ in range(150):
        rows, cols = rng.randint(1, 4), rng.randint(1, 6)
        matrix = [[rng.choice([0, 1, 3, 10, 12, FORBIDDEN]) for _ in range(cols)] + [10_000] * rows
                  for _ in range(rows)]
        got = hungarian(matrix)
        assert len(set(got)) == rows
        best = min(sum(matrix[r][c] for r, c in enumerate(p)) for p in itertools.permutations(range(len(matrix[0])),
                                                                                               rows))
        assert sum(matrix[r][c] for r, c in enumerate(got)) == best


def test_an_impossible_loop_names_the_principle_and_the_shortfall():
    content = loop({"Ana": [FRUG], "Bo": [FRUG, OWN], "Cy": [FRUG]},
                   [story("f1", [FRUG], strength=4), story("f2", [OWN], [FRUG]), story("o1", [OWN])])
    plan = plan_loop(content)
    assert not plan.covered and len(plan.shortfalls) == 1
    short = plan.shortfalls[0]
    assert short.message() == ("loop: principle 'Frugality' is asked by 3 interviewers (Ana, Bo, Cy) but has "
                               "2 stories (f1, f2): 1 short")
    fix = short.fix(plan.names())
    assert fix.startswith("add 1 more story for 'Frugality'")
    assert "repeat 'F1' (strength 4), already Ana's answer for 'Frugality'" in fix
    told = [s.id for s in plan.main]
    assert told.count("f1") == 2 and "o1" in told  # the repeat fills the gap; Ownership still gets its own
    assert "REPEAT F1" in "\n".join(plan_lines(plan))


def test_a_repeat_to_the_same_interviewer_is_the_least_harmful():
    content = loop({"Ana": [OWN, DIVE], "Bo": [FRUG]}, [story("x", [OWN, DIVE]), story("f", [FRUG])])
    fix = plan_loop(content).shortfalls[0].fix(["Ana", "Bo"])
    assert "let Ana hear 'X' for both 'Ownership' and 'Dive Deep'" in fix  # which question, by name


def test_a_principle_with_no_story_at_all():
    plan = plan_loop(loop({"Ana": [FRUG]}, [story("o", [OWN])]))
    assert plan.main == [None]
    assert plan.shortfalls[0].message().endswith("has 0 stories (none): 1 short")


def test_no_loop_without_principles():
    assert plan_loop(loop({"Ana": []}, [story("o", [OWN])])) is None


@pytest.fixture
def impossible_ws(make_workspace):
    interview = (
        "interview:\n  company: Acme\n  interviewers:\n"
        "    - {name: Ana, principles: [Frugality]}\n    - {name: Bo, principles: [frugality], minutes: 45}\n")
    return make_workspace({"content/interview.yaml": interview, "deckbuilder.toml": "[checks]\noff = []\n"})


def test_check_warns_with_the_interviewers_line(impossible_ws, run_cli):
    result = run_cli("check", impossible_ws)
    assert result.code == 0
    assert result.err.count("[loop-repeat]") == 1
    assert ("content/interview.yaml:4: warning: [loop-repeat] loop: principle 'Frugality' is asked by "
            "2 interviewers (Ana, Bo) but has 0 stories (none): 2 short") in result.err
    assert "Loop plan: 2 interviewer(s), 2 question(s)" in result.out
    assert "Bo (45 min)" in result.out


def test_a_principle_listed_twice_by_one_interviewer_is_a_warning_not_a_silent_drop():
    from deckbuilder.coach.report import listed_twice

    plan = plan_loop(loop({"Ana": [OWN, DIVE, OWN], "Bo": [DIVE]}, [story("o", [OWN]), story("d", [DIVE]),
                                                                   story("e", [DIVE])]))
    assert len(plan.slots) == 3  # planned once
    (problem,) = listed_twice(plan)
    assert problem.severity == "warning" and "Ana lists 'Ownership' twice; it is planned once" in problem.message
