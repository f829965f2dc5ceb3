"""The practice log and the cards' ids: ids survive edits and reordering, every grade is
committed when given, and the log's schema is versioned."""

from __future__ import annotations

import sqlite3

import pytest
from practicedata import cards_of

from deckbuilder.errors import UserError
from deckbuilder.practice import log as practice_log
from deckbuilder.practice.cards import slug
from deckbuilder.practice.log import SCHEMA_VERSION, log_path, open_log

STORIES = """\
stories:
  - id: alpha
    title: Alpha story
    label: Alpha
    primary: Ownership
    sections: {situation: S1, task: T1, action: A1, result: R1}
  - id: beta
    title: Beta story
    label: Beta
    primary: [Dive Deep]
    sections: {situation: S2, task: T2, action: A2, result: R2}
"""


def test_ids_come_from_names_not_positions(make_workspace):
    root = make_workspace()
    ids = [c.id for c in cards_of(root)]
    assert "story:outage-call" in ids and "phase:search-revamp:1" in ids
    assert len(ids) == len(set(ids))


def test_reordering_and_editing_keep_ids_and_change_only_the_edited_hash(make_workspace):
    root = make_workspace({"content/stories.yaml": STORIES})
    before = {c.id: c.content_hash for c in cards_of(root) if c.set == "stories"}
    first, second = STORIES.split("  - id: beta\n")
    edited = "stories:\n  - id: beta\n" + second.replace("action: A2", "action: A2 and more") + first.replace("stories:\n", "")
    (root / "content" / "stories.yaml").write_text(edited)
    after = {c.id: c.content_hash for c in cards_of(root) if c.set == "stories"}
    assert set(after) == set(before) == {"story:alpha", "story:beta"}
    assert after["story:alpha"] == before["story:alpha"]
    assert after["story:beta"] != before["story:beta"]


def test_long_texts_that_start_alike_get_different_slugs():
    start = "Tell me about a time when you had to make a decision "
    assert slug(start + "quickly") != slug(start + "slowly")
    assert slug("Bias for Action") == "bias-for-action"


def test_every_grade_is_on_disk_as_soon_as_it_is_given(tmp_path):
    log = open_log(tmp_path)
    log.record("story:a", 3, 95.5, "h1")
    # another connection (another process, after a kill) sees it without our closing anything
    rows = sqlite3.connect(log_path(tmp_path)).execute("SELECT card_id, grade, seconds FROM reviews").fetchall()
    assert rows == [("story:a", 3, 95.5)]
    log.record("story:a", None, 12, "h1")  # timed, not graded
    assert [r.grade for r in log.reviews()] == [3, None]
    log.close()


def test_a_grade_outside_1_to_4_is_refused(tmp_path):
    with open_log(tmp_path) as log, pytest.raises(ValueError):
        log.record("story:a", 5, 10, "h")


def test_an_old_log_is_migrated_and_a_newer_one_refused(tmp_path, monkeypatch):
    with open_log(tmp_path) as log:
        log.record("story:a", 3, 60, "h")
    assert sqlite3.connect(log_path(tmp_path)).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    # a next version: its migration runs once, on the existing rows
    monkeypatch.setattr(practice_log, "MIGRATIONS",
                        practice_log.MIGRATIONS + (("ALTER TABLE reviews ADD COLUMN note TEXT",),))
    monkeypatch.setattr(practice_log, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with open_log(tmp_path) as log:
        assert [r.card_id for r in log.reviews()] == ["story:a"]
    db = sqlite3.connect(log_path(tmp_path))
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    assert "note" in [row[1] for row in db.execute("PRAGMA table_info(reviews)")]
    db.close()
    monkeypatch.setattr(practice_log, "SCHEMA_VERSION", SCHEMA_VERSION)
    with pytest.raises(UserError, match="newer deckbuilder"):
        open_log(tmp_path)


def test_a_damaged_log_is_a_user_error_and_a_missing_one_is_not_created(tmp_path):
    with open_log(tmp_path, create=False) as log:
        assert log.reviews() == []
    assert not log_path(tmp_path).exists()
    log_path(tmp_path).parent.mkdir()
    log_path(tmp_path).write_bytes(b"not a database at all, just text" * 10)
    with pytest.raises(UserError, match="cannot be read"):
        open_log(tmp_path)


def test_target_time_is_the_story_or_phase_minutes_else_the_estimate_or_two(make_workspace):
    stories = STORIES.replace("    label: Beta\n", "    label: Beta\n    minutes: 2-3\n")
    root = make_workspace({"content/stories.yaml": stories})
    targets = {c.id: c.target_minutes for c in cards_of(root)}
    assert targets["story:alpha"] == 1  # a few words: the estimate's one-minute floor
    assert targets["story:beta"] == 3  # its own minutes; a range counts its upper end
    assert targets["phase:search-revamp:2"] == 5  # the starter's "4-5"
    assert all(t == 2 for i, t in targets.items() if i.startswith("question:"))
    words = " ".join(["word"] * 300)  # 300 more words: two more minutes at 150 a minute
    with_long_action = stories.replace("action: A1,", f"action: {words},", 1)
    assert with_long_action != stories
    longer = {c.id: c.target_minutes for c in cards_of(make_workspace({"content/stories.yaml": with_long_action},
                                                                      name="long"))}
    assert longer["story:alpha"] > 2  # no minutes of its own: its estimated telling time


def test_a_log_that_cannot_be_written_is_a_user_error(tmp_path):
    with open_log(tmp_path) as log:
        log.conn.execute("PRAGMA query_only = ON")  # stands in for a read-only disk
        with pytest.raises(UserError, match="cannot save the grade"):
            log.record("story:a", 3, 10, "h")
