"""Messages a new user ran into: each says what is wrong and what to write instead."""

from __future__ import annotations

import re

MEMO_SET = """\
    principles:
      name: Meta values
      principles:
        - name: Move Fast
        - name: Meta, Metamates, Me
    """


def phase_with_minutes(minutes: str) -> dict[str, str]:
    return {"content/p.yaml": f"""\
        projects:
          - id: p
            title: P
            phases:
              - number: 1
                title: One
                minutes: {minutes}
                triggers: [a]
                answer: b
        """}


def test_minutes_take_mins_and_say_which_forms_they_take(make_workspace, run_cli):
    assert run_cli("check", make_workspace(phase_with_minutes("12 mins"), name="mins")).code == 0
    result = run_cli("check", make_workspace(phase_with_minutes("12 hrs"), name="hrs"))
    assert result.code == 2
    assert 'content/p.yaml:7: minutes must be a number like 2, a range like "2-3"' in result.err
    assert "12 mins" in result.err


def test_a_backwards_range_says_it_is_backwards(make_workspace, run_cli):
    result = run_cli("check", make_workspace(phase_with_minutes('"5-3"')))
    assert result.code == 2
    assert "content/p.yaml:7: the range '5-3' is backwards: write the smaller number first, \"3-5\"" in result.err


def test_a_principle_with_commas_in_a_flow_list_says_to_quote_it(make_workspace, run_cli):
    ws = make_workspace({"content/principles.yaml": MEMO_SET, "content/stories.yaml": """\
        stories:
          - id: s
            title: S
            label: S
            primary: [Meta, Metamates, Me]
            secondary: [Frugality]
            sections: {situation: a, task: b, action: c, result: d}
        """})
    result = run_cli("check", ws)
    assert result.code == 2
    assert ("content/stories.yaml:5: the principle 'Meta, Metamates, Me' was split at its commas into 'Meta', "
            "'Metamates', 'Me'") in result.err
    assert 'put the name in quotes, e.g. primary: ["Meta, Metamates, Me"]' in result.err
    assert "unknown principle 'Meta'" not in result.err
    # the valid names, one per line: a name with commas in it is not lost in the list
    assert re.search(r"unknown principle 'Frugality'\n    hint: principles are:\n +Move Fast\n +Meta, Metamates, Me\n",
                     result.err), result.err


def test_principles_as_a_plain_list_shows_the_right_shape(make_workspace, run_cli):
    result = run_cli("check", make_workspace({"content/principles.yaml": "principles:\n  - Ownership\n"}))
    assert result.code == 2
    assert "content/principles.yaml:1: expected a mapping" in result.err
    assert "principles:\n        name: My values\n        principles:\n          - name: Ownership" in result.err


def test_naming_the_content_folder_suggests_its_workspace(make_workspace, run_cli):
    ws = make_workspace()
    result = run_cli("build", ws / "content")
    assert result.code == 2
    assert f"hint: name the workspace that holds it: {ws}" in result.err


def test_sample_help_prints_plain_percentages(run_cli, capsys):
    import pytest

    with pytest.raises(SystemExit):
        run_cli("sample", "--help")
    out = capsys.readouterr().out
    assert "10% deep-dive" in " ".join(out.split()) and "%%" not in out
