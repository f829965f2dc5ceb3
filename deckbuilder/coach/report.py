"""What ``check`` adds as a coach: the story warnings and the loop plan (or why there is none)."""

from __future__ import annotations

from pathlib import Path

from ..content.load import where
from ..content.model import Content
from ..errors import Problem
from .checks import CHECKS, CODES, coach_problems
from .loop import LoopPlan, plan_lines, plan_loop
from .settings import read_check_settings

LOOP_CODE = "loop-repeat"
LOOP_WHY = "interviewers compare notes in the debrief: the same story told twice counts once"


def coach_warnings(root: Path, content: Content) -> list[Problem]:
    """The coach's warnings (story checks, a loop that repeats a story), less those the
    workspace's deckbuilder.toml switches off: ``check``, ``build`` and ``watch`` all print them."""
    settings = read_check_settings(root, (*CODES, LOOP_CODE))
    problems = [*settings.problems, *coach_problems(content, settings.off)]
    plan = plan_loop(content)
    if plan is not None:
        problems += listed_twice(plan)
        if LOOP_CODE not in settings.off:
            problems += loop_problems(plan)
    return problems


def loop_lines(content: Content, width: int | None = None) -> list[str]:
    """The loop plan as a text table, for ``check`` to print (nothing without a loop)."""
    plan = plan_loop(content)
    if plan is None:
        return []
    short = {p.name: p.short for p in content.principles.principles if p.short}
    return plan_lines(plan, width or 100, short)


def listed_twice(plan: LoopPlan) -> list[Problem]:
    """A principle an interviewer lists twice (often a paste, or a short name and a full one)
    is planned once: say so, where the second one is, rather than drop it without a word."""
    problems = []
    for person in plan.interviewers:
        seen: set[str] = set()
        for index, principle in enumerate(person.principles):
            if principle in seen:
                try:
                    file, line = where(person, "principles", index)
                except (AttributeError, KeyError, TypeError, IndexError):
                    file, line = None, None
                problems.append(Problem(file, line, f"loop: {person.name} lists '{principle}' twice; "
                                                    "it is planned once",
                                        "delete the second one, or name the principle you meant",
                                        severity="warning"))
            seen.add(principle)
    return problems


def loop_problems(plan: LoopPlan) -> list[Problem]:
    """One warning per shortfall, at the first interviewer asking for its principles."""
    problems = []
    names = plan.names()
    for short in plan.shortfalls:
        person = next(p for p in plan.interviewers if set(p.principles) & set(short.principles))
        index = next(i for i, p in enumerate(person.principles) if p in short.principles)
        try:
            file, line = where(person, "principles", index)
        except (AttributeError, KeyError, TypeError, IndexError):
            file, line = None, None
        problems.append(Problem(file, line, f"[{LOOP_CODE}] {short.message()}",
                                f"{short.fix(names)}; {LOOP_WHY}", severity="warning"))
    return problems


ALL_CODES = {**CHECKS, LOOP_CODE: LOOP_WHY}  # every code with its why, for the docs and the tests
