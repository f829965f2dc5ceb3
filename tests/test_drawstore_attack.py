"""Attacks on the kept face drawings (``outputs.drawstore``): each test is a case where a warm
build must still write a plain build's bytes (DECKBUILDER_NO_CACHE=1), or where a cache file
that is whole (its checksum right) but not what this code writes must be a miss, not a crash."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from deckbuilder import alongside
from deckbuilder import cache as user_cache
from deckbuilder.build import BuildOptions, build
from deckbuilder.outputs import drawstore, faces, fitstore
from deckbuilder.workspace import Workspace


@pytest.fixture
def own_cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("DECKBUILDER_CACHE_DIR", str(folder))
    monkeypatch.setattr(alongside, "available", lambda: False)
    new_process(monkeypatch)
    yield folder
    fitstore.forget()


def new_process(monkeypatch) -> None:
    monkeypatch.setattr(faces, "_FITTED", {})
    fitstore.forget()


def pdfs(ws: Path) -> dict[str, str]:
    written, _ = build(Workspace.at(ws), BuildOptions(only=("cards",)))
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in written}


def uncached(ws: Path, tmp_path: Path, monkeypatch) -> dict[str, str]:
    copy = tmp_path / f"uncached-{len(list(tmp_path.glob('uncached-*')))}"
    shutil.copytree(ws / "content", copy / "content")
    with monkeypatch.context() as patch:
        patch.setenv("DECKBUILDER_NO_CACHE", "1")
        new_process(patch)
        return pdfs(copy)


def ascii_readable(monkeypatch, value: int) -> None:
    """What a process started with RL_ttfAsciiReadable=VALUE (or a ~/.reportlab_settings that
    says so) has: reportlab's new font subsets start with printable ASCII at its own codes, or not."""
    from reportlab import rl_config
    from reportlab.pdfbase import pdfmetrics

    from deckbuilder.render import fonts

    monkeypatch.setattr(rl_config, "ttfAsciiReadable", value)
    for name in drawstore.bundled():
        monkeypatch.setattr(pdfmetrics.getFont(fonts.ensure(name)), "_asciiReadable", value)


def test_a_drawing_made_where_new_subsets_start_otherwise_is_not_replayed(make_workspace, own_cache, monkeypatch,
                                                                          tmp_path):
    """reportlab's ttfAsciiReadable (RL_ttfAsciiReadable, ~/.reportlab_settings) decides the
    codes a font's characters have in a document's first subset; a drawing whose font had no
    subset yet was replayed without its codes being checked, and wrote the wrong characters
    (a build showed '1q' for '1.' and 'GxCI' for '1/30')."""
    ws = make_workspace()
    pdfs(ws)
    new_process(monkeypatch)
    ascii_readable(monkeypatch, 0)
    assert pdfs(ws) == uncached(ws, tmp_path, monkeypatch)


def _rewrite(folder: Path, change) -> int:
    """Rewrite every kept drawing with ``change(data)``, the file whole (its checksum right); the
    operators written as they are, whatever they hold (not through ``drawstore.encoded``)."""
    changed = 0
    for path in (folder / drawstore.KIND).iterdir():
        lines = user_cache.unpack_lines(drawstore.MAGIC, path.name, path.read_bytes())
        out = []
        for line in lines:
            data = drawstore.decoded(line[2 * drawstore.NAME:])
            changed += change(data)
            code, *rest = data
            out.append(line[:2 * drawstore.NAME] + json.dumps(rest, separators=(",", ":")).encode()
                       + drawstore.OPERATORS + code.replace("\n", drawstore.LINE).encode("utf-8", "surrogatepass"))
        path.write_bytes(b"".join(user_cache.pack_lines(drawstore.MAGIC, path.name, out)))
    return changed


def _next_after_off_by_one(data) -> bool:
    uses = [use for use in data[3] if use[7]]  # a font it gave new characters codes in (data as drawn)
    for use in uses:
        use[8] += 1
    return bool(uses)


def test_a_whole_file_whose_drawing_is_out_of_step_is_a_miss_not_a_crash(make_workspace, own_cache, monkeypatch):
    """A line whose next code after the drawing is not what its characters give (a file this
    code did not write, its checksum made right) made ``Drawing.replay``'s assert fire after
    it had changed the document: an internal error (status 1) on every build until the
    cache folder was deleted."""
    ws = make_workspace()
    cold = pdfs(ws)
    assert _rewrite(own_cache, _next_after_off_by_one) > 0
    new_process(monkeypatch)
    assert pdfs(ws) == cold


def _surrogate_in_operators(data) -> bool:
    data[0] += "\n% \ud800"  # JSON may hold a lone surrogate (as \ud800); a PDF page cannot
    return True


def test_a_whole_file_whose_operators_are_not_text_a_page_holds_is_a_miss_not_a_crash(make_workspace, own_cache,
                                                                                       monkeypatch):
    """Operators with a lone surrogate (a JSON text may hold one, escaped) were put on the
    page: writing the PDF raised UnicodeEncodeError, an internal error on every build."""
    ws = make_workspace()
    cold = pdfs(ws)
    assert _rewrite(own_cache, _surrogate_in_operators) > 0
    new_process(monkeypatch)
    assert pdfs(ws) == cold
