"""stats and output/practice.pdf on a seeded log: reviews, last rehearsal, time against target, due."""

from __future__ import annotations

import datetime as dt

import pytest
from pdfcheck import page_texts
from practicedata import NOW, cards_of, seed

from deckbuilder.build import load
from deckbuilder.practice.log import log_path, open_log
from deckbuilder.practice.stats import compute
from deckbuilder.workspace import Workspace

# (card, days ago, grade, seconds): the outage story three times, 130 s on average against 120
REVIEWS = [("story:outage-call", 10, 3, 150.0), ("story:outage-call", 3, 3, 140.0),
           ("story:outage-call", 1, None, 100.0), ("phase:search-revamp:1", 2, 1, 200.0)]


@pytest.fixture
def seeded(make_workspace):
    root = make_workspace()
    seed(root, REVIEWS, cards_of(root))
    return root


def test_rows_per_story_and_principle(seeded):
    cards = cards_of(seeded)
    content, _ = load(Workspace.at(seeded))
    with open_log(seeded) as log:
        stats = compute(content, cards, log.reviews(), NOW)
    outage = next(r for r in stats.stories if r.name == "Outage")
    assert (outage.reviews, outage.avg_seconds, outage.target_seconds, outage.over) == (3, 130.0, 120.0, True)
    assert outage.last == NOW - dt.timedelta(days=1)
    other = next(r for r in stats.stories if r.name != "Outage")
    assert (other.reviews, other.last, other.avg_seconds, other.new) == (0, None, None, 1)
    ownership = next(r for r in stats.principles if r.name == "Ownership")
    assert (ownership.reviews, ownership.new) == (3, ownership.cards - 1)  # its story, and its bank questions
    assert stats.total_reviews == 4
    # the phase graded Again two days ago is due again; everything never graded is new
    assert stats.due_now >= 1 and stats.new == len(cards) - 2


def test_stats_command_prints_tables_and_draws_the_chart(seeded, run_cli):
    result = run_cli("stats", seeded)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    outage = next(line for line in lines if line.startswith("Outage"))
    assert outage.split() == ["Outage", "yesterday", "3", "2:10", "/", "2:00", "over", "0", "0"]
    assert next(line for line in lines if line.startswith("Ownership")).split()[1:3] == ["yesterday", "3"]
    assert "never" in next(line for line in lines if line.startswith("API"))
    assert all(len(line) <= 80 for line in lines)
    (page,) = page_texts(seeded / "output" / "practice.pdf")
    assert "2:10 / 2:00 · 3x" in page and "not rehearsed yet" in page and "last 28 days" in page


def test_no_log_means_nothing_rehearsed_and_no_log_created(make_workspace, run_cli):
    root = make_workspace()
    result = run_cli("stats", root, "--no-chart")
    assert result.code == 0, result.err
    assert "0 reviews logged" in result.out
    assert not log_path(root).exists() and not (root / "output" / "practice.pdf").exists()
