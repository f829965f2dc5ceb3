"""``deckbuilder check``: the coverage table, the findings as warnings, --strict."""

from __future__ import annotations

import io
import re

from matrixdata import STORIES, stories_yaml

from deckbuilder.coach.checks import CHECKS
from deckbuilder.commands.check import ASCII, coverage_table, symbols_for
from deckbuilder.content.coverage import coverage
from deckbuilder.content.load import load_content
from deckbuilder.content.principles import PrincipleMatcher

BROAD = "Success and Scale Bring Broad Responsibility"


def one_gap() -> list:
    """The realistic stories with every gap closed but one: no story for BROAD."""
    stories = [s if s[0] != "fd-snapshot" else (s[0], s[1], s[2], s[3][:2]) for s in STORIES]  # 4 principles
    return stories + [("nvidia-demo", "Nvidia demo", ["Frugality"], [])]


def no_gap() -> list:
    return one_gap() + [("scale-privacy", "Privacy at scale", [BROAD], ["Earn Trust"]),
                        ("green-build", "Green build farm", ["Frugality"], [BROAD])]


def warnings(err: str) -> list[str]:
    """The coverage warnings (the coach's, coded "[code]", are tested in test_coach.py)."""
    return [line for line in err.splitlines()
            if "warning:" in line and "warning: [" not in line and " more [" not in line]


COACH_OFF = {"deckbuilder.toml": "[checks]\noff = " + str(list(CHECKS)).replace("'", '"') + "\n"}


def test_check_names_exactly_the_known_gap(make_workspace, run_cli):
    ws = make_workspace({"content/stories.yaml": stories_yaml(one_gap()), **COACH_OFF})
    result = run_cli("check", ws)
    assert result.code == 0, result.err
    assert warnings(result.err) == [f"warning: principle '{BROAD}' has no story"]
    assert "1 warning(s)" in result.out
    row = next(line for line in result.out.splitlines() if line.startswith("Broad Responsibility"))
    assert row.split() == ["Broad", "Responsibility"] + ["·"] * 26 + ["0", "✗", "0"]


def test_check_table_marks_agree_with_content(make_workspace, run_cli):
    ws = make_workspace({"content/stories.yaml": stories_yaml()})
    result = run_cli("check", ws)
    lines = result.out.splitlines()
    assert lines[0] == "Coverage: 16 principles x 25 stories"
    for k, (_, label, _, _) in enumerate(STORIES):  # labels staggered, one per line, whole
        assert lines[1 + k].endswith(label)
    content, _ = load_content(ws / "content")
    short = {p.name: p.short for p in content.principles.principles}
    matcher = PrincipleMatcher(content.principles)
    for sid, _, primary, secondary in STORIES:
        c = [s[0] for s in STORIES].index(sid)
        for names, symbol in ((primary, "●"), (secondary, "○")):
            for name in names:
                canonical = matcher.match(name)
                row = next(line for line in lines if line.startswith(short[canonical] + "  "))
                cells = row[22:22 + 2 * len(STORIES)]
                assert cells[2 * c] == symbol, (sid, canonical)
    assert sorted(warnings(result.err)) == sorted([
        f"warning: principle '{BROAD}' has no story",
        "content/stories.yaml:135: warning: principle 'Frugality' has only one story ('laptop-streamer', primary)",
        "content/stories.yaml:5: warning: story 'fd-snapshot' is mapped to 5 principles (more than 4)",
    ])
    totals = next(line for line in lines if line.startswith("principles per story"))
    assert totals.split()[3:] == ["5", "2", "2", "2", "3"] + ["2"] * 14 + ["1", "2", "2", "2", "2", "3"]
    flags = lines[lines.index(totals) + 1]
    assert flags.strip() == "▲" and flags.index("▲") == 22  # under the first column


def test_strict_fails_on_coverage_warnings_only(make_workspace, run_cli):
    gap = make_workspace({"content/stories.yaml": stories_yaml(one_gap())}, name="gap")
    assert run_cli("check", "--strict", gap).code == 2
    clean = make_workspace({"content/stories.yaml": stories_yaml(no_gap()), **COACH_OFF}, name="clean")
    result = run_cli("check", "--strict", clean)
    assert result.code == 0, result.err
    assert warnings(result.err) == [] and "0 warning(s)" in result.out


def test_errors_fail_before_any_table(make_workspace, run_cli):
    text = stories_yaml(no_gap()).replace('stories: ["fd-bugs", "mz-demo"]', 'stories: ["fd-bug", "mz-demo"]')
    result = run_cli("check", make_workspace({"content/stories.yaml": text}))
    assert result.code == 2
    assert "unknown story id 'fd-bug'" in result.err and "did you mean 'fd-bugs'?" in result.err
    assert "Coverage:" not in result.out


def test_deep_dive_over_its_slot_is_a_warning_with_its_line(make_workspace, run_cli):
    ws = make_workspace({"content/stories.yaml": stories_yaml(no_gap()), **COACH_OFF})
    interview = (ws / "content" / "interview.yaml").read_text().replace("deep_dive_minutes: 20",
                                                                         "deep_dive_minutes: 10")
    (ws / "content" / "interview.yaml").write_text(interview)
    result = run_cli("check", ws)
    assert result.code == 0
    assert warnings(result.err) == ["content/deep-dive.yaml:10: warning: deep-dive 'search-revamp' plans 10-11 min, "
                                    "counting 11, over its 10-min slot by 1 min"]
    assert "deep-dive 'search-revamp': 10-11 min planned (counting 11), OVER the 10-min slot by 1 min" in result.out
    assert run_cli("check", "--strict", ws).code == 2


def test_deep_dive_that_fits_is_reported_not_warned(make_workspace, run_cli):
    result = run_cli("check", make_workspace({"content/stories.yaml": stories_yaml(no_gap())}))
    assert "deep-dive 'search-revamp': 10-11 min planned (counting 11), fits the 20-min slot" in result.out


def test_ascii_table_when_the_terminal_cannot_print_symbols(make_workspace):
    ws = make_workspace({"content/stories.yaml": stories_yaml()})
    content, _ = load_content(ws / "content")
    stream = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    assert symbols_for(stream) == ASCII
    text = "\n".join(coverage_table(coverage(content), symbols_for(stream)))
    text.encode("ascii")
    assert re.search(r"^Broad Responsibility +(\. ){25} +0 x +0$", text, re.M)


def test_starter_workspace_reports_its_gaps_without_failing(make_workspace, run_cli):
    result = run_cli("check", make_workspace())
    assert result.code == 0
    assert len([w for w in warnings(result.err) if "has no story" in w]) == 12
    assert len([w for w in warnings(result.err) if "only one story" in w]) == 4


def test_a_narrow_terminal_gets_the_grid_in_blocks_that_fit(monkeypatch, run_cli):
    """The user's 43 stories in 80 columns: every line fits, every label is printed whole once,
    every principle has a row in every block, and the row totals come with the last block."""
    from conftest import REPO

    monkeypatch.setenv("COLUMNS", "80")
    result = run_cli("check", REPO)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert max(len(line) for line in lines) <= 80
    content, _ = load_content(REPO / "content")
    for story in content.stories:
        assert sum(line.endswith("│ " + story.label) or line.strip() == story.label for line in lines) == 1, story.label
    rows = [line for line in lines if line.startswith("Ownership ")]
    assert len(rows) == len([line for line in lines if line.startswith("principles per story")]) >= 2
    marks = " ".join(row[22:].split(" " * 3)[0] for row in rows).split()
    assert len(marks) == len(content.stories)  # the blocks together hold every column once
    assert rows[-1].split()[-3:] != rows[0].split()[-3:] and rows[-1].split()[-1].isdigit()
    assert not rows[0].split()[-1].isdigit()


def test_long_custom_names_are_cut_so_the_grid_keeps_its_place():
    from deckbuilder.commands.check import NAME_LIMIT, Symbols, _cut

    name = "Be relentlessly and joyfully curious about every customer's unspoken problem"
    cut = _cut(name, NAME_LIMIT, Symbols())
    assert len(cut) <= NAME_LIMIT and cut.endswith("…") and name.startswith(cut[:-1])
    assert _cut("Ownership", NAME_LIMIT, Symbols()) == "Ownership"


def test_column_blocks_fit_the_width_and_cover_every_column_in_order():
    from deckbuilder.commands.check import column_blocks

    labels = [f"story {i}" * (1 + i % 3) for i in range(40)]
    blocks = column_blocks(labels, 2, 22, 80)
    assert [c for block in blocks for c in block] == list(range(40))
    for block in blocks:
        assert max(22 + 2 * k + len(labels[c]) for k, c in enumerate(block)) <= 80
    assert column_blocks(labels, 2, 22, None) == [range(40)]
    assert column_blocks(["x" * 200], 2, 22, 80) == [range(1)]  # one too-wide column still gets printed
