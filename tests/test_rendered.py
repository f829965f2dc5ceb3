"""What the card templates rendered, kept in the cache folder (``render.rendered``): a warm run
renders no card template and makes the same cards; an edited story renders only its own; an
edited template (even one edited within a clock tick, at the same size), a failed render, a
value that is not content and a damaged file all render again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from deckbuilder.build import load
from deckbuilder.outputs.deck import collect_cards
from deckbuilder.render import rendered
from deckbuilder.render.templates import Templates
from deckbuilder.workspace import Workspace

FRONT = "cards/story-front.md.j2"


def cards(ws: Path) -> list[tuple[str, str]]:
    workspace = Workspace.at(ws)
    content, report = load(workspace)
    return [(card.front, card.back) for card in collect_cards(content, Templates(workspace.templates_dir, report))]


def uncached(ws: Path, monkeypatch) -> list[tuple[str, str]]:
    with monkeypatch.context() as patch:
        patch.setenv("DECKBUILDER_NO_CACHE", "1")
        return cards(ws)


def test_a_warm_run_renders_no_card_template_and_makes_the_same_cards(make_workspace, renders, monkeypatch):
    ws = make_workspace()
    cold = cards(ws)
    assert len(renders) == 2 * len(cold) > 10
    renders.clear()
    assert cards(ws) == cold == uncached(ws, monkeypatch)
    assert len(renders) == 2 * len(cold)  # the uncached run's own, none from the warm one


def test_an_edited_story_renders_only_its_own_two_templates(make_workspace, renders, monkeypatch):
    ws = make_workspace()
    cards(ws)
    stories = ws / "content" / "stories.yaml"
    text = stories.read_text("utf-8")
    at = text.index("title:")
    stories.write_text(text[:at] + "title: Edited tonight," + text[at + len("title:"):], "utf-8")
    renders.clear()
    warm = cards(ws)
    # the story's own card, and the question cards that print its title on their backs
    assert sorted(set(renders)) == ["cards/question-back.md.j2", "cards/question-front.md.j2",
                                    "cards/story-back.md.j2", "cards/story-front.md.j2"]
    assert renders.count("cards/story-front.md.j2") == 1 and len(renders) < len(warm)
    assert warm == uncached(ws, monkeypatch)
    assert any("Edited tonight," in front for front, _ in warm)


def test_a_template_edited_within_a_clock_tick_at_the_same_size_renders_again(make_workspace, renders):
    """In a new process (one Jinja environment per state of templates/ is kept for a process,
    told apart by the files' times and sizes): the kept texts are told apart by the bytes."""
    from deckbuilder.render import templates

    ws = make_workspace()
    override = ws / "templates" / FRONT
    override.parent.mkdir(parents=True)
    override.write_text("# {{ story.title }}\n\nAAAA\n", "utf-8")
    first = cards(ws)
    status = override.stat()
    override.write_text("# {{ story.title }}\n\nBBBB\n", "utf-8")
    os.utime(override, ns=(status.st_atime_ns, status.st_mtime_ns))
    templates._environment.cache_clear()  # a new process
    templates._facts.cache_clear()
    renders.clear()
    second = cards(ws)
    assert renders  # rendered again
    assert any("AAAA" in front for front, _ in first) and any("BBBB" in front for front, _ in second)
    assert not any("AAAA" in front for front, _ in second)


def test_a_failed_render_is_not_kept(make_workspace, renders):
    from deckbuilder.errors import UserError

    ws = make_workspace()
    override = ws / "templates" / FRONT
    override.parent.mkdir(parents=True)
    override.write_text("# {{ story.titel }}\n", "utf-8")
    with pytest.raises(UserError):
        cards(ws)
    renders.clear()
    with pytest.raises(UserError):
        cards(ws)  # failed again, by rendering: nothing was kept
    assert renders[-1] == FRONT


def test_a_value_that_is_not_content_is_rendered_every_time(tmp_path, renders, monkeypatch):
    class Opaque:
        title, triggers, primary, secondary = "opaque", ["x"], ["Ownership"], []

    templates = Templates(None)
    for _ in range(2):
        with rendered.kept(templates, "cards") as render:
            assert render(FRONT, story=Opaque(), principles=[]).startswith("# opaque")
    assert renders == [FRONT, FRONT]


def test_a_damaged_line_renders_again_and_no_cache_keeps_nothing(make_workspace, renders, tmp_path, monkeypatch):
    ws = make_workspace()
    cold = cards(ws)
    [path] = sorted((tmp_path / "cache" / rendered.KIND).iterdir())
    from deckbuilder import cache

    lines = cache.unpack_lines(rendered.MAGIC, path.name, path.read_bytes())
    damaged = [line[:cache.NAME] + [b"[1]", b'{"a":"b"}', b'"cut short', b"\xff"][n % 4] for n, line in enumerate(lines)]
    path.write_bytes(b"".join(cache.pack_lines(rendered.MAGIC, path.name, damaged)))
    renders.clear()
    assert cards(ws) == cold
    assert len(renders) == 2 * len(cold)
    path.unlink()
    monkeypatch.setenv("DECKBUILDER_NO_CACHE", "1")
    cards(ws)
    assert not path.exists()
