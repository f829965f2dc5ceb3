"""The coach's story checks and the telling-time estimate: each check fires on a story written
to trip it and stays quiet on one written not to; the estimate agrees with words counted by hand."""

from __future__ import annotations

import textwrap

import pytest

from deckbuilder.coach.checks import CHECKS, coach_findings, coach_problems
from deckbuilder.coach.settings import read_check_settings
from deckbuilder.coach.timing import WORDS_PER_MINUTE, clock, count_words, telling_seconds
from deckbuilder.content.load import load_content
from deckbuilder.content.model import Story
from deckbuilder.errors import UserError

FILLER = " ".join(["then I checked the logs again and wrote down what I saw"] * 18)  # 216 words: about 1:30


def story(sid: str, **fields: str) -> str:
    """A STAR story in YAML whose fields default to ones that pass every check."""
    values = dict(primary="[Ownership]", strength="4", triggers="[on PTO, 2 weeks]", numbers="[]",
                  situation="The release was due in 2 weeks.", task="Ship face detection for snapshots.",
                  action=f"I exported the model myself; {FILLER}.", result="Shipped on time to 40M+ users.")
    values.update(fields)
    return textwrap.indent(textwrap.dedent(f"""\
        - id: {sid}
          title: Story {sid}
          label: {sid}
          primary: {values["primary"]}
          strength: {values["strength"]}
          triggers: {values["triggers"]}
          numbers: {values["numbers"]}
          sections:
            situation: "{values["situation"]}"
            task: "{values["task"]}"
            action: "{values["action"]}"
            result: "{values["result"]}"
        """), "  ")


TRIPS = {  # code -> (a story that trips it, as story() fields)
    "no-figure": dict(result="Shipped on time and the PM was happy."),
    "we-not-i": dict(action=f"We exported our model and we fixed it; {FILLER.replace(' I ', ' we ')}."),
    "too-short": dict(action="I exported the model."),
    "too-long": dict(action=f"I exported the model; {FILLER} {FILLER} {FILLER}."),
    "no-triggers": dict(triggers="[]"),
}


@pytest.fixture(scope="module")
def findings(tmp_path_factory):
    """One workspace with a story tripping each check, a clean one, and the cross-story cases."""
    root = tmp_path_factory.mktemp("coach")
    (root / "content").mkdir()
    stories = [story("clean", primary="[Ownership, Frugality]")]
    stories += [story(code, **fields) for code, fields in TRIPS.items()]
    stories += [story("fig-a", numbers='["50% faster turnaround (vs 20%)"]'),
                story("fig-b", numbers='["40% faster turnarounds"]'),
                story("fig-c", numbers='["50% faster turnaround"]'),  # agrees with fig-a
                story("weak-1", primary="[Dive Deep]", strength="2"),
                story("weak-2", primary="[Dive Deep]", strength="1"),
                story("weak-off", primary="[Think Big]", strength="1"),  # a strong secondary does not count
                story("strong", primary="[Frugality]", strength="2")]  # Frugality also has 'clean' (4)
    (root / "content" / "stories.yaml").write_text("stories:\n" + "".join(stories), "utf-8")
    content, report = load_content(root / "content", root)
    assert report.problems == []
    return content, coach_findings(content)


def codes_for(findings: list, sid: str) -> set[str]:
    return {f.code for f in findings if getattr(f.owner, "id", None) == sid}


@pytest.mark.parametrize("code", list(TRIPS))
def test_each_story_check_fires_on_its_story_and_nowhere_else(findings, code):
    _, found = findings
    assert codes_for(found, code) == {code}
    assert codes_for(found, "clean") == set()


def test_figures_quoted_two_ways_are_flagged_once_with_both(findings):
    _, found = findings
    differ = [f for f in found if f.code == "figures-differ"]
    assert len(differ) == 1
    assert differ[0].owner.id == "fig-b"
    assert "40%" in differ[0].message and "50%" in differ[0].message and "fig-a" in differ[0].message


def test_a_principle_with_only_weak_primary_stories(findings):
    _, found = findings
    weak = sorted(f.message for f in found if f.code == "weak-only")
    assert len(weak) == 2
    assert "'Dive Deep'" in weak[0] and "'weak-1' (2), 'weak-2' (1)" in weak[0]
    assert "'Think Big'" in weak[1]
    assert not any("Frugality" in m for m in weak)  # 'clean' is strong there


def test_warnings_carry_file_line_code_and_why(findings):
    content, _ = findings
    problem = next(p for p in coach_problems(content) if "[no-triggers]" in p.message)
    assert problem.file == "content/stories.yaml" and problem.line
    assert problem.severity == "warning" and problem.hint == CHECKS["no-triggers"]


def test_switched_off_for_the_workspace_and_per_story(make_workspace, run_cli):
    stories = "stories:\n" + story("a", result="Shipped.") + story("b", result="Shipped.") + \
        "    checks_off: no-figure, we-noti\n"
    ws = make_workspace({"content/stories.yaml": stories}, starter=False)
    result = run_cli("check", ws)
    assert "story 'a': the result has no figure" in result.err
    assert "story 'b': the result has no figure" not in result.err
    assert "unknown check 'we-noti'" in result.err and "did you mean 'we-not-i'?" in result.err
    (ws / "deckbuilder.toml").write_text('[print]\nflip = "short"\n\n[checks]\noff = ["no-figure"]\n'
                                         '\n[output]\ndir = "pdfs"\n', "utf-8")  # others' tables: left alone
    result = run_cli("check", ws)
    assert result.code == 0 and "[no-figure]" not in result.err


def test_a_broken_settings_file_is_a_user_error_with_its_line(make_workspace, run_cli):
    ws = make_workspace({"deckbuilder.toml": '[checks]\noff = "we-not-i\n'})
    result = run_cli("check", ws)
    assert result.code == 2 and result.err.startswith("deckbuilder.toml:2: ")
    (ws / "deckbuilder.toml").write_text("[checks]\noff = [1, 2]\n", "utf-8")
    result = run_cli("check", ws)
    assert result.code == 2 and "deckbuilder.toml:2: checks.off must be a list of check codes" in result.err
    (ws / "deckbuilder.toml").write_text("[checks]\noff = ['too-short']\n", "utf-8")
    assert read_check_settings(ws, tuple(CHECKS)).off == {"too-short"}
    (ws / "deckbuilder.toml").write_text('[checks]\noff = "too-short, we-not-i"\n', "utf-8")  # as checks_off takes it
    settings = read_check_settings(ws, tuple(CHECKS))
    assert settings.off == {"too-short", "we-not-i"} and not settings.problems
    with pytest.raises(UserError):
        (ws / "deckbuilder.toml").write_text("checks = 3\n", "utf-8")
        read_check_settings(ws)


# ---------------------------------------------------------------- telling time

HAND_COUNTED = [  # (sections, words counted by hand; symbols such as → and — are not words)
    ({"situation": "**DRI for face detection** on the glasses; FD promised for video only.",  # 12
      "task": "Enable FD for snapshot → 2 weeks to ZBB.",  # 8
      "action": "I exported the CPU model to the DSP and fixed the unsupported operators myself.",  # 14
      "result": "Shipped on time; 40M+ users got it in 2 weeks."}, 44),  # 10
    ({"situation": "We'd a *backlog* of 1,200 tickets — and no on-call rota.",  # 10
      "task": "Get the backlog under control.",  # 5
      "action": "- I wrote the rota\n- I paired with **two** juniors\n- I didn't wait for approval",  # 14
      "result": "Backlog down 80% in 3 months (from 1,200 to 240)."}, 39),  # 10
    ({"Context": "The team's build took 45 min; nobody owned it.",  # 9
      "What I did": "Profiled it → cached the Docker layers → split the tests in 4 shards.",  # 12
      "Impact": "Builds now take 9 min, 5x faster: [details](https://example.com/ci)."}, 29),  # 8
]


@pytest.mark.parametrize("sections, words", HAND_COUNTED)
def test_telling_time_is_within_ten_percent_of_a_hand_count(sections, words):
    s = Story(id="s", title="t", label="l", framework="free", sections=sections, primary=["Ownership"])
    by_hand = words * 60 / WORDS_PER_MINUTE
    assert abs(telling_seconds(s) - by_hand) <= 0.10 * by_hand


def test_what_counts_as_a_figure():
    from deckbuilder.coach.checks import has_figure, pronoun_counts

    assert all(has_figure(t) for t in ("cut by 40%", "zero client breakage", "twice as fast", "10K+ images"))
    assert not any(has_figure(t) for t in ("Shipped on time.", "no one complained", "the PM was happy"))
    assert pronoun_counts("I led it; we shipped; our team and I'm proud; me, us") == (3, 3)


def test_clock_rounds_to_five_seconds():
    assert [clock(s) for s in (0, 62, 130, 178, 601)] == ["0:00", "1:00", "2:10", "3:00", "10:00"]
    assert count_words("→ — · **a** *b*") == 2


def test_many_warnings_of_one_code_are_counted_not_printed():
    """Ten thousand '[too-short]' lines would bury everything else: five are shown, the rest counted;
    other warnings and every error are printed in full."""
    import io

    from deckbuilder.errors import Problem, print_problems

    problems = [Problem("content/s.yaml", i, f"[too-short] story 's{i}' takes about 0:05 to tell", "add more",
                        severity="warning") for i in range(1, 13)]
    problems += [Problem("content/s.yaml", 99, "principle 'X' has no story", None, severity="warning"),
                 Problem("content/s.yaml", 100, "[too-short] not a warning but an error")]
    out = io.StringIO()
    print_problems(problems, out)
    text = out.getvalue()
    assert text.count("warning: [too-short]") == 5
    assert "warning: 7 more [too-short] warnings like these" in text and 'off = ["too-short"]' in text
    assert "principle 'X' has no story" in text and "not a warning but an error" in text
