"""The user's own content in content/: clean check, current schema, and the words that matter
spelled right in the built PDFs."""

from __future__ import annotations

import io
import re
import shutil

import pytest
from conftest import REPO
from pdfcheck import all_text, reader

from deckbuilder.content.load import load_content
from deckbuilder.content.schema import SCHEMA_FILENAME, schema_text
from deckbuilder.errors import print_problems


@pytest.fixture(scope="module")
def user_build(tmp_path_factory):
    """A copy of the repository's workspace, built once for this module."""
    from deckbuilder.build import BuildOptions, build
    from deckbuilder.workspace import Workspace

    root = tmp_path_factory.mktemp("user")
    shutil.copytree(REPO / "content", root / "content")
    written, report = build(Workspace.at(root), BuildOptions())
    return root, written, report


def test_user_content_checks_without_warnings():
    content, report = load_content(REPO / "content", REPO)
    assert report.problems == []
    vto = next(p for p in content.projects if p.id == "vto")
    assert len(vto.phases) == 12
    assert len(content.stories) >= 30


def test_published_schema_is_current():
    """Editors autocomplete from this file, so it must match the model. If this fails after a model
    change, regenerate it: python -c "from deckbuilder.content.schema import schema_text;
    open('content/deckbuilder.schema.json', 'w').write(schema_text())"."""
    assert (REPO / "content" / SCHEMA_FILENAME).read_text("utf-8") == schema_text()


def test_content_has_no_mojibake_left():
    for path in (REPO / "content").glob("*.yaml"):
        text = path.read_text("utf-8")
        for broken in ("‚Üí", "√©", "â†’", "Ã©", "â€", "üìã"):
            assert broken not in text, (path.name, broken)


def test_cards_carry_every_phase_trigger_and_repaired_characters(user_build):
    root, written, _ = user_build
    text = " ".join(all_text(root / "output" / "cards.pdf").split())
    content, _ = load_content(root / "content", root)
    for phase in content.projects[0].phases:
        for trigger in phase.triggers:
            assert " ".join(trigger.split()) in text, trigger
    assert "L\u2019Oréal" in text  # repaired, and its apostrophe set as a typographer's one
    assert "→" in text


# ---------------------------------------------------------------- issue 22: the notes' own words

_STRAIGHT = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def _squash(text: str) -> str:
    """Text without any white space (PDF extraction breaks lines and splits runs where it likes)
    and with straight quotes (the cards set typographer's quotes in prose; the notes have straight ones)."""
    return re.sub(r"\s+", "", text).translate(_STRAIGHT)


def _card_faces(pdf, wanted: str) -> list[str]:
    """The text of every card face on the pages that contain ``wanted``, one string per face, in
    the order it is drawn: the default 3x5-on-Letter sheet holds a 2x2 grid, so a face is a
    quarter of the page."""
    faces = []
    for page in reader(pdf).pages:
        if wanted not in (page.extract_text() or ""):
            continue
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        quarters: dict[tuple[bool, bool], list[str]] = {}

        def visit(text, cm, tm, font_dict, font_size, quarters=quarters, mid=(width / 2, height / 2)):
            x, y = tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if text.strip():
                quarters.setdefault((x > mid[0], y > mid[1]), []).append(text)
        page.extract_text(visitor_text=visit)
        faces += ["".join(runs) for runs in quarters.values()]
    return faces


def test_drifted_facts_read_back_as_the_notes_say(user_build):
    root, _, _ = user_build
    cards = _squash(all_text(root / "output" / "cards.pdf"))
    sheet = " ".join(all_text(root / "output" / "final-prep.pdf").split())
    packet = _squash(all_text(root / "output" / "packet.pdf"))
    # Hal: the candidate's "we", and the notes' own words for the reading they contradict
    assert _squash("Then we fired the lady and he came back to work.") in cards
    assert _squash('"would not come back if the girl would have been fired"') in cards
    assert "comebackotherwise" not in cards and "Theladywasfired" not in cards
    # only question 1 is marked "to all three" in the notes
    asks = sheet[sheet.index("Questions to ask"):sheet.index("Final reminders")]
    assert asks.count("(to all three)") == 1 and asks.index("(to all three)") < asks.index("2.")
    # 9 lipsticks each is round 1's figure only
    assert "Experiments: 40 participants, 9 lipsticks each (round 1) → 80 (round 2)" in sheet
    assert "participants, 9 lipsticks each" not in sheet.replace("40 participants, 9 lipsticks each (round 1)", "")
    # gesture-fp-failure's Ownership and the bank's "taught yourself a skill" -> dong-cpp are guesses
    page = packet[packet.index(_squash("Gesture FP · SPSIL")):]
    assert _squash("My guess, not in the notes: Ownership") in page[:page.index("Situation")]
    guessed = _squash("Difficult feedback — get to Dong's level (my guess)")
    assert cards.count(guessed) == 1
    assert re.search(_squash("Teaching myself programming") + ".{0,200}" + re.escape(guessed), cards)


def test_every_contradiction_is_a_marked_line_on_its_card_back_and_in_check(user_build, run_cli):
    from deckbuilder.content.verify import open_questions

    root, _, _ = user_build
    content, _ = load_content(root / "content", root)
    found = {q.name: q for q in open_questions(content)}
    assert set(found) == {"story 'hal'", "story 'math-tutor'", "story 'xin-best'", "phase 11 of 'vto'",
                          "phase 12 of 'vto'"}
    faces = [_squash(f) for f in _card_faces(root / "output" / "cards.pdf", "Check before you say it")]
    result = run_cli("check", root)
    assert result.code == 0, result.err
    for name, q in found.items():
        title = q.item.title if q.kind == "story" else f"{q.item.number}. {q.item.title}"
        marked = _squash("⚠ Check before you say it: " + re.sub(r"[*`]", "", q.text)[:40])
        assert any(_squash(title) in face and marked in face[face.index(_squash(title)):] for face in faces), name
        line = re.search(rf"^(content/[\w.-]+):(\d+): warning: check before you say it, {re.escape(name)}: ",
                         result.err, re.MULTILINE)
        assert line, name
        source = (root / line.group(1)).read_text("utf-8").splitlines()[int(line.group(2)) - 1]
        assert source.strip().startswith("verify:"), source


def test_dive_deep_headline_is_a_story_the_notes_tie_to_it(user_build):
    root, _, _ = user_build
    content, _ = load_content(root / "content", root)
    sheet = " ".join(all_text(root / "output" / "final-prep.pdf").split())
    line = sheet[sheet.index("Dive Deep:") + len("Dive Deep:"):]
    story = next(s for s in content.stories if line.strip().startswith(s.title))
    assert "Dive Deep" in story.primary + story.secondary
    assert "Dive Deep" not in story.judgement or "Dive Deep" in story.headline
    assert story.id != "cms-gdrive"  # the guess that used to win on file order


def test_build_gives_the_warnings_check_gives(user_build, run_cli):
    """The principle with only one story that check points out, build points out too, once."""
    root, _, report = user_build
    built = [p.format() for p in report.warnings]
    assert sum("has only one story" in w for w in built) == 1, built
    checked = run_cli("check", root)
    assert checked.code == 0, checked.err
    printed = io.StringIO()
    print_problems(report.warnings, printed)  # as build prints them: many of one coach code counted
    assert checked.err.strip().splitlines() == printed.getvalue().strip().splitlines()
