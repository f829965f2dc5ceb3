"""export anki / csv: one note per card of cards.pdf, GUIDs that survive a second export and
an edit, faces escaped, tags from sets and principles."""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import zipfile

import pytest
from pdfcheck import page_texts


def notes(apkg) -> list[tuple[str, str, str]]:
    """(guid, fields, tags) of every note in the package's collection."""
    with zipfile.ZipFile(apkg) as z, open(apkg.with_suffix(".anki2"), "wb") as out:
        out.write(z.read("collection.anki2"))
    db = sqlite3.connect(apkg.with_suffix(".anki2"))
    rows = db.execute("SELECT guid, flds, tags FROM notes ORDER BY id").fetchall()
    db.close()
    return rows


@pytest.fixture
def exported(built_workspace, run_cli):
    result = run_cli("export", "anki", built_workspace)
    assert result.code == 0, result.err
    (apkg,) = (built_workspace / "output").glob("*.apkg")
    return built_workspace, apkg


def test_one_note_per_printed_card_with_the_same_guids_next_time(exported, run_cli):
    root, apkg = exported
    first = notes(apkg)
    db = sqlite3.connect(apkg.with_suffix(".anki2"))
    decks = json.loads(db.execute("SELECT decks FROM col").fetchone()[0])
    db.close()
    label = re.search(r"^(.*?) 1/\d", page_texts(root / "output" / "cards.pdf")[0], re.MULTILINE)  # "Example 1/7"
    assert label and label.group(1).strip() in {d["name"] for d in decks.values()}
    total = int(re.search(r"\b1/(\d+)\b", page_texts(root / "output" / "cards.pdf")[0]).group(1))
    assert len(first) == total
    assert len({guid for guid, _, _ in first}) == total
    # edit a story's text: a second export keeps every GUID, and the edit reaches its note
    stories = root / "content" / "stories.yaml"
    stories.write_text(stories.read_text().replace("situation: Payments", "situation: Edited, payments", 1))
    assert run_cli("export", "anki", root).code == 0
    second = notes(apkg)
    assert [g for g, _, _ in second] == [g for g, _, _ in first]
    assert sum("Edited, payments" in f for _, f, _ in second) == 1 and not any("Edited, payments" in f for _, f, _ in first)


def test_faces_are_escaped_html_and_tags_name_set_and_principle(exported, run_cli):
    root, apkg = exported
    stories = root / "content" / "stories.yaml"
    stories.write_text(stories.read_text().replace("situation: Payments", "situation: <b>AT&T</b> payments", 1))
    assert run_cli("export", "anki", root).code == 0
    fields = [f for _, f, _ in notes(apkg) if "AT&amp;T" in f]
    assert len(fields) == 1 and "&lt;b&gt;AT&amp;T&lt;/b&gt;" in fields[0] and "<b>AT" not in fields[0]
    tags = [t.split() for _, _, t in notes(apkg)]
    assert all(any(s in ts for s in ("phases", "extras", "stories", "questions")) for ts in tags)
    assert any("Ownership" in ts for ts in tags)


def test_csv_has_plain_front_back_rows(built_workspace, run_cli):
    result = run_cli("export", "csv", built_workspace)
    assert result.code == 0, result.err
    (path,) = (built_workspace / "output").glob("*.csv")
    rows = list(csv.reader(path.open(encoding="utf-8")))
    assert rows and all(len(r) == 2 and r[0] and r[1] for r in rows)
    assert not any("**" in r[0] or r[0].startswith("#") for r in rows)


def test_export_of_a_broken_workspace_writes_nothing(make_workspace, run_cli):
    root = make_workspace({"content/stories.yaml": "stories:\n  - id: x\n"})
    result = run_cli("export", "anki", root)
    assert result.code == 2 and "stories.yaml:" in result.err
    assert list((root / "output").iterdir()) == []


@pytest.mark.parametrize("form", ["anki", "csv"])
def test_an_empty_deck_is_refused_not_written_as_an_empty_file(make_workspace, run_cli, form):
    from conftest import STARTER

    interview = (STARTER / "interview.yaml").read_text("utf-8").replace("sets: [phases, stories, questions]", "sets: []")
    root = make_workspace({"content/interview.yaml": interview})
    result = run_cli("export", form, root)
    assert result.code == 2 and "no cards to export" in result.err
    assert list((root / "output").iterdir()) == []
