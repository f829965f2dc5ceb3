"""``check`` plans every output as ``build`` does, without drawing: the same problems, at once."""

from __future__ import annotations

import re

from test_deck import LONG_ANSWER


def problem_lines(err: str) -> list[str]:
    """What was printed before the closing 'deckbuilder: N problems' line."""
    lines = err.splitlines()
    return lines[: next(i for i, line in enumerate(lines) if line.startswith("deckbuilder: "))]


def test_check_stops_where_build_stops_and_names_every_problem(run_cli, make_workspace):
    """A face too long for its card, a sheet over one page, a matrix too wide: all at once."""
    ws = make_workspace()
    deep = ws / "content" / "deep-dive.yaml"
    start = "        answer: |\n          **p95 180 ms**"
    deep.write_text(deep.read_text().replace(start, "        answer: |\n" + LONG_ANSWER + "\n          **p95 180 ms**"))
    items = "\n".join(f"      - reminder number {i} with a few more words to take up room" for i in range(400))
    (ws / "content" / "reminders.yaml").write_text(f"reminders:\n  - heading: Too many\n    items:\n{items}\n")
    stories = "".join(f"""
  - id: extra-{i}
    title: Extra story {i}
    label: Extra {i}
    framework: free
    primary: [Ownership]
    sections: {{what: Did a thing.}}""" for i in range(60))
    (ws / "content" / "more-stories.yaml").write_text("stories:" + stories + "\n")

    checked = run_cli("check", ws)
    built = run_cli("build", ws)
    assert checked.code == built.code == 2
    problems = problem_lines(checked.err)
    assert problems == problem_lines(built.err)
    assert re.match(r"content/deep-dive\.yaml:\d+: the back of phase 3 'IMPACT' of search-revamp \(card 3/67\) "
                    r"is \d+% too long for a 3x5 card", problems[0]), problems
    assert any("final-prep.pdf does not fit on one page" in line for line in problems), problems
    assert any("the principle matrix has 62 story columns, but at most" in line for line in problems), problems
    assert "content OK" not in checked.out and "Coverage" not in checked.out
    assert list((ws / "output").iterdir()) == []


def test_check_takes_the_build_print_options(run_cli, make_workspace):
    """A face that fits a 4x6 card but not a 3x5 one: check says so for the card it is asked about."""
    ws = make_workspace()
    deep = ws / "content" / "deep-dive.yaml"
    start = "        answer: |\n          **p95 180 ms**"
    longer = "\n".join(LONG_ANSWER.splitlines()[:20])
    deep.write_text(deep.read_text().replace(start, "        answer: |\n" + longer + "\n          **p95 180 ms**"))
    small = run_cli("check", ws)
    large = run_cli("check", ws, "--card", "4x6")
    assert small.code == 2 and "too long for a 3x5 card" in small.err
    assert large.code == 0, large.err


def test_every_output_plans_in_the_same_shape(make_workspace):
    """The registry's outputs: a plan says which of the output's files it writes; a plan with
    problems writes none; planning draws nothing."""
    from deckbuilder.build import plan_workspace
    from deckbuilder.options import PrintOptions
    from deckbuilder.outputs import NAMES
    from deckbuilder.outputs.base import Plan
    from deckbuilder.outputs.registry import OUTPUTS
    from deckbuilder.workspace import Workspace

    ws = make_workspace()
    planned = plan_workspace(Workspace.at(ws), PrintOptions(flip="manual"))
    assert tuple(OUTPUTS) == NAMES == tuple(planned.plans)
    for name, plan in planned.plans.items():
        assert isinstance(plan, Plan) and plan.ok
        assert set(plan.files) <= set(OUTPUTS[name].files), name
        assert plan.files or name == "loop", name  # loop.pdf only when interviewers list principles
    assert planned.plans["cards"].files == ("cards-fronts.pdf", "cards-backs.pdf")
    assert list((ws / "output").iterdir()) == []


def test_check_plans_a_deck_in_one_process_and_a_build_alongside(make_workspace, run_cli, monkeypatch):
    """Planning a deck whose faces and texts are kept costs less than a fork (build.build_plans
    has the figures): ``check`` forks nothing for a deck of this size; ``build`` still plans
    the deck in a second process and draws the packet in one."""
    from deckbuilder import alongside

    forks: list[str] = []
    real = alongside.Alongside

    def counted(work, *args, **kwargs):
        forks.append(getattr(work, "__qualname__", "?"))
        return real(work, *args, **kwargs)

    monkeypatch.setattr(alongside, "Alongside", counted)
    monkeypatch.setattr(alongside, "available", lambda: True)
    ws = make_workspace()
    assert run_cli("check", ws).code == 0
    assert forks == []
    assert run_cli("build", ws).code == 0
    assert len(forks) == 2 and "plan_decks" in forks[0]
