"""User mistakes give `file:line: message`, a hint, exit status 2 and no traceback."""

from __future__ import annotations

import re

import pytest


def assert_user_error(result, file: str, line: int, *fragments: str) -> None:
    assert result.code == 2, (result.out, result.err)
    assert "Traceback" not in result.err
    assert re.search(rf"^{re.escape(file)}:{line}: ", result.err, re.M), result.err
    for fragment in fragments:
        assert fragment in result.err, result.err


def test_yaml_syntax_error(make_workspace, run_cli):
    ws = make_workspace({"content/broken.yaml": """\
        stories:
          - id: x
            title: Phase 1: Why
            label: [unclosed
        """})
    result = run_cli("check", ws)
    assert_user_error(result, "content/broken.yaml", 3, "YAML syntax error", "must be quoted")


def test_a_key_that_lost_its_indentation_is_named_not_called_a_colon_to_quote(make_workspace, run_cli):
    """'task:' two spaces short makes YAML read the next key as part of task's value; the
    error is at 'action:', and the hint names both lines instead of suggesting quotes."""
    ws = make_workspace({"content/broken.yaml": """\
        stories:
          - id: x
            title: X
            sections:
              situation: a
            task: b
              action: c
        """})
    result = run_cli("check", ws)
    assert_user_error(result, "content/broken.yaml", 7, "'action:' is indented more than 'task:' on line 6")
    assert "must be quoted" not in result.err


def test_wrong_type(make_workspace, run_cli):
    ws = make_workspace({"content/bad.yaml": """\
        stories:
          - id: typed
            title: Wrong type
            label: Typed
            strength: very
            primary: [Ownership]
            sections: {situation: a, task: b, action: c, result: d}
        """})
    assert_user_error(run_cli("check", ws), "content/bad.yaml", 5, "expected a whole number", "stories[0].strength")


def test_a_number_out_of_range_says_the_limit_and_what_the_field_means(make_workspace, run_cli):
    ws = make_workspace({"content/bad.yaml": """\
        stories:
          - id: strong
            title: Too strong
            label: Strong
            strength: 7
            primary: [Ownership]
            sections: {situation: a, task: b, action: c, result: d}
        """})
    result = run_cli("check", ws)
    assert_user_error(result, "content/bad.yaml", 5, "'strength' must be at most 5, got 7 (at stories[0].strength)",
                      "hint: strength: how strong the story is, 1 (weak) to 5 (best).")
    assert "Input should be" not in result.err


@pytest.mark.parametrize("written", ["10/9/2026", "Oct 9, 2026", "2026-13-01"])
def test_a_date_in_another_form_says_which_form(make_workspace, run_cli, written):
    ws = make_workspace({"content/when.yaml": f"interview:\n  company: Acme\n  date: {written}\n"})
    assert_user_error(run_cli("check", ws), "content/when.yaml", 3,
                      f"expected a date like 2025-10-09, got '{written}' (at interview.date)",
                      "hint: write it year-month-day")


def test_unknown_key_suggests_the_right_one(make_workspace, run_cli):
    ws = make_workspace({"content/bad.yaml": """\
        stories:
          - id: typo
            titel: A typo
            label: Typo
            primary: [Ownership]
            sections: {situation: a, task: b, action: c, result: d}
        """})
    result = run_cli("check", ws)
    assert_user_error(result, "content/bad.yaml", 3, "unknown key 'titel'", "did you mean 'title'?")
    assert "missing required key 'title'" not in result.err  # one mistake, reported once


def test_unknown_principle_suggests_closest(make_workspace, run_cli):
    ws = make_workspace({"content/bad.yaml": """\
        stories:
          - id: misspelt
            title: Misspelt principle
            label: Misspelt
            primary: [Ownesrship]
            sections: {situation: a, task: b, action: c, result: d}
        """})
    assert_user_error(run_cli("check", ws), "content/bad.yaml", 5, "unknown principle 'Ownesrship'",
                      "did you mean 'Ownership'?")


def test_principle_names_tolerate_case_and_ampersand(make_workspace, run_cli):
    ws = make_workspace({"content/ok.yaml": """\
        stories:
          - id: loose-names
            title: Loosely written principles
            label: Loose
            primary: [customer obsession, Invent & Simplify, are right a lot]
            sections: {situation: a, task: b, action: c, result: d}
        """})
    assert run_cli("check", ws).code == 0


def test_unknown_story_reference(make_workspace, run_cli):
    ws = make_workspace({"content/bank.yaml": """\
        question_bank:
          - principle: Ownership
            questions:
              - text: A question
                stories: [outage-cal]
        """})
    assert_user_error(run_cli("check", ws), "content/bank.yaml", 5, "unknown story id 'outage-cal'",
                      "did you mean 'outage-call'?")


def test_duplicate_story_id(make_workspace, run_cli):
    ws = make_workspace({"content/more.yaml": """\
        stories:
          - id: outage-call
            title: Same id again
            label: Again
            primary: [Ownership]
            sections: {situation: a, task: b, action: c, result: d}
        """})
    # Files merge in name order, so the starter's stories.yaml comes second.
    assert_user_error(run_cli("check", ws), "content/stories.yaml", 3, "duplicate story id 'outage-call'",
                      "first used at content/more.yaml:2")


def test_two_stories_with_one_label_are_named_but_do_not_fail(make_workspace, run_cli):
    ws = make_workspace({"content/more.yaml": """\
        stories:
          - id: second-outage
            title: Another outage
            label: outage
            primary: [Ownership]
            sections: {situation: a, task: b, action: c, result: d}
        """})
    result = run_cli("check", ws)
    assert result.code == 0, result.err
    assert ("content/stories.yaml:5: warning: stories 'second-outage' and 'outage-call' have the same label"
            in result.err + result.out)
    assert "first at content/more.yaml:4" in result.err + result.out
    assert run_cli("check", "--strict", ws).code == 2


def test_all_problems_are_reported_at_once(make_workspace, run_cli):
    ws = make_workspace({
        "content/a.yaml": "stories:\n  - id: a\n    titel: x\n",
        "content/b.yaml": "interviewz: {}\n",
    })
    result = run_cli("check", ws)
    assert result.code == 2
    assert "content/a.yaml:3: unknown key 'titel'" in result.err
    assert "content/b.yaml:1: unknown key 'interviewz'" in result.err
    assert "did you mean 'interview'?" in result.err


def test_duplicate_yaml_key(make_workspace, run_cli):
    ws = make_workspace({"content/dup.yaml": "deck:\n  label: one\n  label: two\n"})
    assert_user_error(run_cli("check", ws), "content/dup.yaml", 3, "duplicate key 'label'")


def test_single_section_given_twice(make_workspace, run_cli):
    ws = make_workspace({"content/zz.yaml": "deck:\n  label: again\n"})
    assert_user_error(run_cli("check", ws), "content/zz.yaml", 1, "'deck' is already given in content/interview.yaml")


def test_missing_framework_section(make_workspace, run_cli):
    ws = make_workspace({"content/s.yaml": """\
        stories:
          - id: half
            title: Half a story
            label: Half
            primary: Ownership
            sections:
              situation: a
              tsak: b
        """})
    result = run_cli("check", ws)
    assert result.code == 2
    assert "content/s.yaml:8: 'tsak' is not a STAR section" in result.err
    assert "did you mean 'task'?" in result.err
    assert "missing STAR section(s): task, action, result" in result.err


def test_times_stay_text(make_workspace, run_cli):
    """YAML 1.1 would read 13:00 as 780; a person means a time."""
    from deckbuilder.content.load import load_content

    ws = make_workspace({"content/interview.yaml": """\
        interview:
          company: Acme
          role: SDE
          time: 13:00
        """})
    content, _ = load_content(ws / "content", ws)
    assert content.interview.time == "13:00"


def test_build_error_leaves_previous_output(make_workspace, run_cli):
    ws = make_workspace()
    assert run_cli("build", ws).code == 0
    before = {p.name: p.read_bytes() for p in (ws / "output").glob("*.pdf")}
    assert before
    (ws / "content" / "stories.yaml").write_text("stories:\n  - id: [\n", "utf-8")
    assert run_cli("build", ws).code == 2
    after = {p.name: p.read_bytes() for p in (ws / "output").glob("*.pdf")}
    assert after == before
    assert not [p for p in (ws / "output").iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("argv", [["build", "--card", "huge"], ["build", "--back-offset", "a,b"],
                                  ["build", "--only", "nonsense"]])
def test_bad_options_are_user_errors(make_workspace, run_cli, argv):
    ws = make_workspace()
    result = run_cli(*argv, ws)
    assert result.code == 2
    assert "Traceback" not in result.err
    assert "hint:" in result.err


@pytest.mark.parametrize("minutes", [".nan", ".inf", "-5", "0"])
def test_impossible_minutes_are_refused(make_workspace, run_cli, minutes):
    from test_messages import phase_with_minutes

    ws = make_workspace(phase_with_minutes(minutes))
    result = run_cli("check", ws)
    assert result.code == 2
    assert "content/p.yaml:7: minutes must" in result.err


def test_empty_text_is_named_as_empty(make_workspace, run_cli):
    ws = make_workspace({"content/p.yaml": """\
        projects:
          - id: p
            title: "   "
            phases:
              - number: 1
                title: One
                triggers: ""
                answer:
        """})
    result = run_cli("check", ws)
    assert result.code == 2
    assert "content/p.yaml:3: 'title' is empty" in result.err
    assert "content/p.yaml:7: 'triggers' needs at least one item" in result.err
    assert "content/p.yaml:8: 'answer' is empty" in result.err


def test_framework_is_case_insensitive(make_workspace, run_cli):
    ws = make_workspace({"content/s.yaml": """\
        stories:
          - id: mine
            title: My own sections
            label: Mine
            framework: Free
            primary: [Ownership]
            sections: {setup: a, twist: b}
          - id: spsil
            title: Lower-case framework
            label: Lower
            framework: spsil
            primary: [Ownership]
            sections: {situation: a, problem: b, solution: c, impact: d, lessons: e}
        """})
    assert run_cli("check", ws).code == 0


def test_custom_principles_must_not_share_names(make_workspace, run_cli):
    ws = make_workspace({
        "content/principles.yaml": """\
            principles:
              name: Acme values
              principles:
                - name: Customer First
                - name: Build to last
                - name: customer first
            """,
        "content/stories.yaml": None, "content/interview.yaml": None,
    })
    result = run_cli("check", ws)
    assert result.code == 2
    assert "content/principles.yaml:6: principle 'customer first' has the name 'customer first'" in result.err


def test_merge_keys_override_without_duplicate_errors(make_workspace, run_cli):
    ws = make_workspace({"content/m.yaml": """\
        stories:
          - &base
            id: m1
            title: Base story
            label: Base
            primary: [Ownership]
            sections: {situation: a, task: b, action: c, result: d}
          - <<: *base
            id: m2
            label: Copy
        """})
    assert run_cli("check", ws).code == 0


def test_numbers_where_text_is_expected_are_text(make_workspace, run_cli):
    from deckbuilder.content.load import load_content

    ws = make_workspace({"content/n.yaml": "reminders:\n  - heading: 2024\n    items: [93]\n"})
    content, _ = load_content(ws / "content", ws)
    assert content.reminders[-1].heading == "2024" and content.reminders[-1].items == ["93"]


def problem_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if re.match(r"^\S+:\d+: ", line)]


def test_a_wrong_value_does_not_hide_a_misspelt_principle_elsewhere(make_workspace, run_cli):
    ws = make_workspace()
    interview = ws / "content" / "interview.yaml"
    interview.write_text(re.sub(r"total_minutes: \d+", "total_minutes: sixty", interview.read_text()))
    stories = ws / "content" / "stories.yaml"
    stories.write_text(stories.read_text().replace("primary: [Ownership", "primary: [Ownesrship", 1))
    result = run_cli("check", ws)
    assert result.code == 2
    assert any("expected a whole number, got 'sixty'" in line for line in problem_lines(result.err))
    assert any("unknown principle 'Ownesrship'" in line for line in problem_lines(result.err)), result.err
    assert "did you mean 'Ownership'?" in result.err


def test_a_story_with_its_own_mistake_is_not_also_called_unknown(make_workspace, run_cli):
    ws = make_workspace()
    stories = ws / "content" / "stories.yaml"
    stories.write_text(stories.read_text().replace("strength: 4", "strength: 9", 1))  # outage-call, in the bank
    result = run_cli("check", ws)
    assert result.code == 2
    lines = problem_lines(result.err)
    assert len(lines) == 1 and "strength" in lines[0], result.err
    assert "unknown story id" not in result.err


def test_a_file_that_is_not_yaml_does_not_make_its_stories_unknown(make_workspace, run_cli):
    ws = make_workspace({
        "content/zz-broken.yaml": """\
            stories:
              - id: launch-day
                title: Launch: day one
                label: [unclosed
            """,
        "content/zz-bank.yaml": """\
            question_bank:
              - principle: Ownrship
                questions:
                  - text: Tell me about a launch
                    stories: [launch-day]
            """})
    result = run_cli("check", ws)
    assert result.code == 2
    lines = problem_lines(result.err)
    assert any(line.startswith("content/zz-broken.yaml:") for line in lines), result.err
    assert "unknown story id 'launch-day'" not in result.err
    assert any(line.startswith("content/zz-bank.yaml:2: unknown principle 'Ownrship'") for line in lines)


def test_a_broken_link_in_content_is_an_error(make_workspace, run_cli, tmp_path):
    ws = make_workspace()
    (ws / "content" / "more-stories.yaml").symlink_to(tmp_path / "moved-away.yaml")
    result = run_cli("build", ws)
    assert result.code == 2
    assert "content/more-stories.yaml: this file is a link to something that no longer exists" in result.err
    assert not list((ws / "output").glob("*.pdf"))


@pytest.mark.parametrize("minutes, message", [
    ("{low: 3, high: 2}", "from the smaller to the larger"),
    ("{low: 2, hihg: 3}", "hihg"),
])
def test_a_minutes_mapping_is_checked_like_the_text_range(make_workspace, run_cli, minutes, message):
    ws = make_workspace()
    dive = ws / "content" / "deep-dive.yaml"
    text = dive.read_text()
    first = re.search(r"minutes: .+", text)
    dive.write_text(text[:first.start()] + f"minutes: {minutes}" + text[first.end():])
    line = text[:first.start()].count("\n") + 1
    result = run_cli("check", ws)
    assert_user_error(result, "content/deep-dive.yaml", line, message)


def test_a_native_librarys_panic_is_reported_as_our_bug(run_cli, make_workspace, monkeypatch):
    """A Rust extension's panic derives from BaseException, not Exception: it must still end as
    status 1 with the 'bug in deckbuilder' line, not a raw traceback, and leave output/ as it was."""
    from deckbuilder.commands import build as build_command

    class PanicException(BaseException):  # what pyo3 raises when Rust code panics
        pass

    def panic(args):
        raise PanicException("index out of bounds: the len is 0 but the index is 1")

    ws = make_workspace()
    monkeypatch.setattr(build_command, "run", panic)
    result = run_cli("build", ws)
    assert result.code == 1
    assert "internal error (PanicException: index out of bounds" in result.err and "DECKBUILDER_DEBUG=1" in result.err
    assert not list((ws / "output").iterdir())


def test_a_reader_that_closes_the_pipe_is_no_bug(make_workspace):
    """'deckbuilder stats | head': when the reader goes, end quietly with 141 as Unix tools do,
    not 'internal error ... bug in deckbuilder' (status 1)."""
    import subprocess
    import sys

    ws = make_workspace()
    script = f'"{sys.executable}" -m deckbuilder stats "{ws}" --no-chart | true; echo "status=${{PIPESTATUS[0]}}" >&2'
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60)
    assert "status=141" in done.stderr and "internal error" not in done.stderr, done.stderr
