"""drill: through a pseudo-terminal (keys in, screen out) and through plain lines; every grade
is in the log as soon as it is given, and a killed session keeps them."""

from __future__ import annotations

import io
import os
import signal
import sqlite3
import sys

import pexpect
import pytest
from practicedata import cards_of, seed

from deckbuilder.practice.log import log_path


def rows(root) -> list[tuple[str, int | None]]:
    if not log_path(root).exists():
        return []
    db = sqlite3.connect(log_path(root))
    found = db.execute("SELECT card_id, grade FROM reviews ORDER BY id").fetchall()
    db.close()
    return found


@pytest.fixture
def workspace(make_workspace):
    return make_workspace()


def spawn(root, *args: str) -> pexpect.spawn:
    return pexpect.spawn(sys.executable, ["-m", "deckbuilder", "drill", str(root), *args],
                         dimensions=(24, 80), encoding="utf-8", timeout=15,
                         env={"TERM": "xterm-256color", "PATH": "/usr/bin:/bin",
                              "DECKBUILDER_CACHE_DIR": os.environ["DECKBUILDER_CACHE_DIR"]})  # conftest's, not the user's


def test_a_drill_in_a_terminal_logs_one_row_per_grade(workspace):
    child = spawn(workspace, "--set", "stories")
    child.expect("1/2")
    child.expect("of 2:00")  # the clock against a story's default target
    child.send(" ")
    child.expect("grade it")
    child.send("3")
    child.expect("2/2")
    assert rows(workspace) == [("story:outage-call", 3)]  # on disk before the session ends
    child.send("\r")
    child.expect("grade it")
    child.send("1")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert rows(workspace) == [("story:outage-call", 3), ("story:api-disagreement", 1)]
    assert "2 cards rehearsed" in child.before


def test_a_session_killed_mid_way_keeps_every_grade_given(workspace):
    child = spawn(workspace)
    child.expect("1/")
    child.send(" ")
    child.expect("grade it")
    child.send("4")
    child.expect("2/")
    child.send(" ")
    child.expect("grade it")
    child.send("2")
    child.expect("3/")
    child.kill(signal.SIGKILL)  # no chance to clean up: a closed laptop, a killed terminal
    child.close()
    assert [grade for _, grade in rows(workspace)] == [4, 2]


def plain_drill(run_cli, monkeypatch, root, keys: str, *args: str):
    monkeypatch.setattr(sys, "stdin", io.StringIO(keys))
    return run_cli("drill", root, *args)


def test_plain_lines_when_not_a_terminal(workspace, run_cli, monkeypatch):
    result = plain_drill(run_cli, monkeypatch, workspace, "\n3\n\nx\n2\n", "--set", "stories")
    assert result.code == 0, result.err
    assert "[1/2] story:outage-call · new · target 2:00" in result.out
    assert "Recovered in 40 min" in result.out  # the back, as plain text
    assert "\x1b" not in result.out and "**" not in result.out
    assert rows(workspace) == [("story:outage-call", 3), ("story:api-disagreement", 2)]


def test_a_grade_typed_at_the_front_shows_the_back_and_grades(workspace, run_cli, monkeypatch):
    """`echo 3 | deckbuilder drill`: one line per card is enough."""
    result = plain_drill(run_cli, monkeypatch, workspace, "3\n4\n", "--set", "stories")
    assert result.code == 0, result.err
    assert "Recovered in 40 min" in result.out  # the back was shown before the grade was taken
    assert rows(workspace) == [("story:outage-call", 3), ("story:api-disagreement", 4)]


def test_timing_without_grading_logs_times_and_leaves_the_schedule(workspace, run_cli, monkeypatch):
    result = plain_drill(run_cli, monkeypatch, workspace, "\n\n\nq\n", "--time", "--set", "phases")
    assert result.code == 0, result.err
    assert [g for _, g in rows(workspace)] == [None, None]
    # the timed cards are still new for a graded drill
    result = plain_drill(run_cli, monkeypatch, workspace, "q\n", "--set", "phases")
    assert "[1/3] phase:search-revamp:1 · last" in result.out


def test_due_cards_come_before_new_ones_and_a_changed_card_says_so(workspace, run_cli, monkeypatch):
    cards = cards_of(workspace)
    seed(workspace, [("story:api-disagreement", 30, 3, 100)], [c for c in cards if c.id != "story:api-disagreement"])
    result = plain_drill(run_cli, monkeypatch, workspace, "q\n", "--set", "stories")
    first = result.out.split("\n[")[1]
    assert first.startswith("1/2] story:api-disagreement · last ")
    assert "changed since you last rehearsed it" in first


def test_filters_and_mistakes(workspace, run_cli, monkeypatch):
    result = plain_drill(run_cli, monkeypatch, workspace, "q\n", "--principle", "ownership")
    assert "[1/" in result.out and "story:outage-call" in result.out and "api-disagreement" not in result.out
    for args, words in ((["--set", "storys"], "did you mean stories"),
                        (["--principle", "Ownershp"], "did you mean 'Ownership'"),
                        (["--limit", "0"], "--limit"),
                        (["--principle", "Think Big"], "no card matches --principle 'Think Big'"),  # none at all:
                        (["--set", "extras"], "no card matches --set extras")):  # not "use --time" as if none due
        result = plain_drill(run_cli, monkeypatch, workspace, "", *args)
        assert result.code == 2 and words in result.err, result.err
    assert rows(workspace) == []  # quit before any grade, and the mistakes wrote nothing


def test_shuffle_mixes_within_due_and_within_new(workspace):
    import datetime as dt
    import random

    from deckbuilder.practice.log import Review
    from deckbuilder.practice.schedule import session

    cards = cards_of(workspace)
    long_ago = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
    reviews = [Review(c.id, long_ago, 3, 60, c.content_hash) for c in cards[:3]]
    now = dt.datetime(2021, 1, 1, tzinfo=dt.timezone.utc)
    plain = session(cards, reviews, now)
    assert {c.id for c in plain[:3]} == {c.id for c in cards[:3]} and plain[3:] == cards[3:]
    orders = {tuple(c.id for c in session(cards, reviews, now, shuffle=True, rng=random.Random(seed)))
              for seed in range(5)}
    assert len(orders) > 1
    assert all({*o[:3]} == {c.id for c in cards[:3]} for o in orders)  # due cards still first


def test_the_screen_fits_80x24_and_warns_past_the_target(make_workspace, tmp_path):
    from rich.console import Console

    from deckbuilder.practice.drill import Session, max_scroll, screen
    from deckbuilder.practice.log import open_log

    long_answer = "**Situation:** " + "a long part of the story told in many words, " * 60
    root = make_workspace({"content/extra.yaml": f"""\
        stories:
          - id: long
            title: A long story
            label: Long
            primary: Ownership
            framework: free
            minutes: 2
            sections: {{story: "{long_answer}"}}
        """})
    card = next(c for c in cards_of(root) if c.id == "story:long")
    with open_log(tmp_path) as log:
        drill = Session([card], log, {})
        console = Console(width=80, height=24, record=True, color_system=None)
        console.print(screen(drill, 0, 100, False))
        within = console.export_text()
        console.print(screen(drill, 0, 135, True, scroll=max_scroll(card, 80, 24)))
        over = console.export_text()
    for text in (within, over):
        assert len(text.splitlines()) == 24 and max(len(line) for line in text.splitlines()) <= 80
    assert "1:40  of 2:00" in within and "over by" not in within
    assert "2:15  of 2:00  over by 0:15" in over
    assert "(j/k scroll)" in over and "many words," in over.splitlines()[-4]  # scrolled to the end
