"""Ways a kept card text (``render.rendered``) differed from what the same workspace renders with
no cache: a template read something the key does not name (today's date, a random pick, which
fields the YAML spelled out, a file in a linked folder of templates/), or the kept text came from
an older compiled template; and a planted line that is deeply nested JSON crashed the build."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from test_rendered import FRONT, cards, uncached

from deckbuilder.render import rendered, templates
from deckbuilder.render.templates import Templates


def new_process() -> None:
    templates._environment.cache_clear()
    templates._facts.cache_clear()


def fronts(ws: Path) -> str:
    return "\n".join(front for front, _ in cards(ws))


def test_a_template_in_a_linked_folder_inside_the_workspace_is_in_the_key(make_workspace, renders, monkeypatch):
    """templates/cards is a link to a folder of the workspace (allowed: it does not lead out);
    Path.rglob does not go into linked folders, so the key missed the files the loader reads."""
    ws = make_workspace({"shared/story-front.md.j2": "# {{ story.title }}\n\nAAAA\n"})
    (ws / "templates").mkdir()
    (ws / "templates" / "cards").symlink_to(ws / "shared", target_is_directory=True)
    for name in os.listdir(templates.builtin_template_dir() / "cards"):
        if name != "story-front.md.j2":
            (ws / "shared" / name).write_bytes((templates.builtin_template_dir() / "cards" / name).read_bytes())
    assert "AAAA" in fronts(ws)
    (ws / "shared" / "story-front.md.j2").write_text("# {{ story.title }}\n\nBBBBBB\n", "utf-8")
    new_process()
    warm = cards(ws)
    assert warm == uncached(ws, monkeypatch)


def test_a_template_that_reads_todays_date_is_not_kept(make_workspace, renders, monkeypatch):
    """``interview.date.today()`` (a date's class method, which the sandbox lets a template
    call): a countdown to the interview printed the first build's day for ever."""
    if not hasattr(time, "tzset"):
        pytest.skip("needs time.tzset")
    ws = make_workspace({"templates/cards/phase-front.md.j2":
                         "# {{ phase.title }}\n\ntoday: {{ interview.date.today() }}\n"})
    try:
        monkeypatch.setenv("TZ", "Etc/GMT+12")  # 26 hours apart: never the same date
        time.tzset()
        cards(ws)
        monkeypatch.setenv("TZ", "Etc/GMT-14")
        time.tzset()
        assert cards(ws) == uncached(ws, monkeypatch)
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_template_that_picks_at_random_is_rendered_every_time(make_workspace, renders):
    """``|random`` and ``lipsum()``: without a cache every build draws again; a kept text froze
    the first draw."""
    ws = make_workspace({f"templates/{FRONT}": "# {{ story.title }}\n\n{{ ['a', 'b', 'c'] | random }}\n",
                         "templates/cards/phase-front.md.j2": "# {{ phase.title }}\n\n{{ lipsum(1, false, 5, 6) }}\n"})
    cards(ws)
    renders.clear()
    cards(ws)
    assert FRONT in renders and "cards/phase-front.md.j2" in renders


def test_which_fields_the_yaml_spelled_out_is_in_the_key(make_workspace, renders, monkeypatch):
    """``story.model_fields_set`` (and ``model_dump(exclude_unset=True)``) tell a field written
    out at its default from one left out; the JSON dump does not."""
    ws = make_workspace({f"templates/{FRONT}": "# {{ story.title }}\n\nset: {{ story.model_fields_set | sort | "
                                               "join(' ') }}\n"})
    assert "framework" in fronts(ws)
    stories = ws / "content" / "stories.yaml"
    stories.write_text(stories.read_text("utf-8").replace("    framework: STAR\n", "", 1), "utf-8")
    assert cards(ws) == uncached(ws, monkeypatch)


def test_a_template_edited_in_the_same_clock_tick_during_watch_does_not_poison_the_cache(
        make_workspace, renders, monkeypatch):
    """In one process (watch) the Jinja environment for the same times and sizes of templates/
    is kept, and Jinja reloads a template only when its time changed: the old text was then
    kept under the new bytes' key, and every later build (a new process) printed it."""
    ws = make_workspace({f"templates/{FRONT}": "# {{ story.title }}\n\nAAAA\n"})
    override = ws / "templates" / FRONT
    cards(ws)
    status = override.stat()
    override.write_text("# {{ story.title }}\n\nBBBB\n", "utf-8")
    os.utime(override, ns=(status.st_atime_ns, status.st_mtime_ns))
    cards(ws)  # watch's rebuild
    new_process()
    later = cards(ws)
    assert later == uncached(ws, monkeypatch)
    assert any("BBBB" in front for front, _ in later)


def test_a_kept_line_of_deeply_nested_json_is_a_miss(make_workspace, renders, tmp_path):
    """A whole file (the checksum right) whose line is JSON nested too deeply to read: json
    raises RecursionError, which crashed the build (status 1); it is a miss like any other."""
    from deckbuilder import cache

    ws = make_workspace()
    cold = cards(ws)
    [path] = sorted((tmp_path / "cache" / rendered.KIND).iterdir())
    lines = cache.unpack_lines(rendered.MAGIC, path.name, path.read_bytes())
    hostile = [line[:cache.NAME] + b"[" * 200_000 for line in lines]
    path.write_bytes(b"".join(cache.pack_lines(rendered.MAGIC, path.name, hostile)))
    os.chmod(path, 0o600)
    assert cards(ws) == cold


def test_an_imported_templates_state_does_not_carry_from_one_render_to_the_next(make_workspace, renders,
                                                                                monkeypatch):
    """Jinja keeps one module per imported template for the process: a namespace set at its
    top counted the cards rendered before (a render was not a function of its values), and a
    story edited after a warm run printed 1 where the uncached build printed its place."""
    ws = make_workspace({"templates/count.md.j2": "{% set ns = namespace(n=0) %}{% macro bump() %}"
                                                  "{% set ns.n = ns.n + 1 %}{{ ns.n }}{% endmacro %}",
                         f"templates/{FRONT}": '{% import "count.md.j2" as c %}# {{ story.title }}\n\n'
                                               "card {{ c.bump() }}\n"})
    cards(ws)
    stories = ws / "content" / "stories.yaml"
    stories.write_text(stories.read_text("utf-8").replace("Disagreeing on the API", "Disagreeing on an API"), "utf-8")
    new_process()
    assert cards(ws) == uncached(ws, monkeypatch)


def test_the_key_reads_nothing_outside_the_workspace_through_a_chain_of_links(make_workspace, renders, tmp_path,
                                                                              monkeypatch):
    """templates/cards links to a folder of the workspace, which links out (``links_leading_out``
    looks at templates/ only, and the loader refuses the file when it is asked for it): the key
    neither reads the file outside nor walks the folder outside."""
    from deckbuilder import cache

    outside = tmp_path / "elsewhere"
    (outside / "deep").mkdir(parents=True)
    (outside / "deep" / "secret.md.j2").write_text("secret\n", "utf-8")
    ws = make_workspace({"shared/story-front.md.j2": "# {{ story.title }}\n"})
    (ws / "shared" / "out").symlink_to(outside, target_is_directory=True)
    (ws / "shared" / "out.md.j2").symlink_to(outside / "deep" / "secret.md.j2")
    (ws / "templates").mkdir()
    (ws / "templates" / "cards").symlink_to(ws / "shared", target_is_directory=True)
    read: list[Path] = []
    add_files = cache.add_files

    def recording(digest, paths):
        paths = list(paths)
        read.extend(paths)
        add_files(digest, paths)

    monkeypatch.setattr(cache, "add_files", recording)
    rendered._set_key(Templates(ws / "templates"))
    assert read and not [p for p in read if Path(os.path.realpath(p)).is_relative_to(outside)]


def test_a_template_that_reads_which_fields_were_set_is_rendered_every_time(make_workspace, renders):
    """``model_fields_set`` is a set of names: printed, its order changes from process to
    process (string hashing is salted), so a kept text froze one order."""
    ws = make_workspace({f"templates/{FRONT}": "# {{ story.title }}\n\n{{ story.model_fields_set | join(' ') }}\n"})
    cards(ws)
    renders.clear()
    cards(ws)
    assert FRONT in renders


def test_the_files_the_key_reads_resolve_only_links_and_never_walk_out_or_loop(tmp_path):
    """``rendered._files`` resolves only links (a plain file is where its folder is): a link to a
    file outside is listed as outside (never read), a linked folder outside is not entered, a
    link back up is walked once, and a linked folder inside is walked under its own name."""
    root = tmp_path / "ws"
    (root / "templates" / "cards").mkdir(parents=True)
    (root / "shared").mkdir()
    outside = tmp_path / "outside"
    (outside / "deep").mkdir(parents=True)
    (outside / "deep" / "secret.md.j2").write_text("secret")
    (root / "templates" / "cards" / "front.md.j2").write_text("front")
    (root / "shared" / "back.md.j2").write_text("back")
    (root / "templates" / "linked").symlink_to(root / "shared", target_is_directory=True)
    (root / "templates" / "cards" / "up").symlink_to(root / "templates", target_is_directory=True)
    (root / "templates" / "away").symlink_to(outside, target_is_directory=True)
    (root / "templates" / "leak.md.j2").symlink_to(outside / "deep" / "secret.md.j2")
    found = {"/".join(parts): inside for parts, _, inside in rendered._files(root / "templates", root)}
    assert found == {"cards/front.md.j2": True, "linked/back.md.j2": True, "leak.md.j2": False}
    # the templates folder itself a link out: nothing under it is listed
    (root / "templates2").symlink_to(outside, target_is_directory=True)
    assert rendered._files(root / "templates2", root) == []
