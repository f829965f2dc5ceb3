"""The user's own content in content/: clean check, current schema, and the words that matter
spelled right in the built PDFs."""

from __future__ import annotations

import shutil

import pytest

from conftest import REPO
from deckbuilder.content.load import load_content
from deckbuilder.content.schema import SCHEMA_FILENAME, schema_text
from pdfcheck import all_text


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
    assert "L'Oréal" in text
    assert "→" in text


def test_build_gives_the_warnings_check_gives(user_build, run_cli):
    """The principle with only one story that check points out, build points out too, once."""
    root, _, report = user_build
    built = [p.format() for p in report.warnings]
    assert sum("has only one story" in w for w in built) == 1, built
    checked = run_cli("check", root)
    assert checked.code == 0, checked.err
    assert checked.err.strip().splitlines() == "\n".join(built).splitlines()
