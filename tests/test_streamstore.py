"""Page streams compressed by the last build, kept in the cache folder (``outputs.streamstore``):
a warm build takes them and writes the very PDFs an uncached build writes; a damaged or
planted stream is compressed again; an output with more pages than the store keeps keeps none."""

from __future__ import annotations

import base64
import zlib

import pytest

from deckbuilder import cache as user_cache
from deckbuilder.build import BuildOptions, build
from deckbuilder.outputs import streamstore
from deckbuilder.workspace import Workspace


@pytest.fixture
def stores(monkeypatch, tmp_path):
    """A cache folder of this test's own, and every store a build opens (to read what it did)."""
    monkeypatch.setenv("DECKBUILDER_CACHE_DIR", str(tmp_path / "cache"))
    made: list[streamstore.Store] = []
    init = streamstore.Store.__init__

    def remembering(self, key):
        init(self, key)
        made.append(self)

    monkeypatch.setattr(streamstore.Store, "__init__", remembering)
    return made


def pdfs(root):
    return {path.name: path.read_bytes() for path in sorted((root / "output").glob("*.pdf"))}


def built(root, **options):
    build(Workspace.at(root), BuildOptions(**options), parallel=False)
    return pdfs(root)


def test_a_warm_build_takes_every_stream_and_writes_the_same_pdfs(make_workspace, stores, monkeypatch):
    root = make_workspace()
    cold = built(root)
    assert stores and all(store.taken == 0 for store in stores)
    assert sum(store.asked for store in stores) >= len(cold)  # a stream a page at least
    stores.clear()
    warm = built(root)
    assert {store.taken for store in stores} != {0}
    assert all(store.taken == store.asked for store in stores)
    monkeypatch.setenv("DECKBUILDER_NO_CACHE", "1")
    assert warm == cold == built(root)


def test_an_edit_compresses_only_the_pages_it_changed(make_workspace, stores):
    root = make_workspace()
    built(root)
    stories = root / "content" / "stories.yaml"
    text = stories.read_text("utf-8")
    at = text.index("title:")
    stories.write_text(text[:at] + text[at:].replace("\n", " (edited)\n", 1), "utf-8")
    stores.clear()
    built(root)
    asked, taken = sum(s.asked for s in stores), sum(s.taken for s in stores)
    assert 0 < asked - taken < asked / 2


def test_a_stream_that_does_not_decompress_to_the_page_is_compressed_again(make_workspace, stores,
                                                                           monkeypatch):
    root = make_workspace()
    cold = built(root)
    store = streamstore.Store(streamstore.file_key(root.resolve(), "cards"))
    assert store.kept is not None and store.kept.lines
    planted = zlib.compress(b"BT (not this page) Tj ET")
    for name in list(store.kept.lines):  # every kept stream replaced by another page's bytes
        store.kept.add(name + base64.b64encode(planted))
    store.kept.add(next(iter(store.kept.lines))[:user_cache.NAME] + b"!!not base64!!")
    assert store.flush()
    stores.clear()
    warm = built(root)
    cards = next(s for s in stores if s.kept is not None and s.kept.key == store.kept.key)
    assert cards.asked and cards.taken == 0
    assert warm == cold


def test_an_output_with_more_streams_than_kept_keeps_none(make_workspace, stores, monkeypatch):
    monkeypatch.setattr(streamstore, "MAX_ENTRIES", 3)
    root = make_workspace()
    cold = built(root, only=("cards",))
    (store,) = stores
    assert store.asked > 3 and store.kept is None
    assert user_cache.read(streamstore.KIND, streamstore.file_key(root.resolve(), "cards")) is None
    stores.clear()
    assert built(root, only=("cards",)) == cold
    assert stores[0].taken == 0


def test_watch_and_no_cache_open_no_store(make_workspace, stores, monkeypatch):
    root = make_workspace()
    build(Workspace.at(root), BuildOptions(), parallel=False, again=True)
    assert stores == []
    monkeypatch.setenv("DECKBUILDER_NO_CACHE", "1")
    built(root)
    assert stores == []


def test_a_planted_stream_that_inflates_past_the_page_is_not_inflated_whole(make_workspace, stores):
    """A few bytes that would inflate to 64 MB, planted under a page's name: refused after one
    byte more than the page (``_decompresses_to``), the page compressed again."""
    root = make_workspace()
    cold = built(root, only=("cards",))
    store = streamstore.Store(streamstore.file_key(root.resolve(), "cards"))
    assert store.kept is not None
    bomb = zlib.compress(b"\0" * (64 << 20), 9)
    assert len(bomb) < 100_000
    for name in list(store.kept.lines):
        store.kept.add(name + base64.b64encode(bomb))
    assert store.flush()
    stores.clear()
    assert built(root, only=("cards",)) == cold
    assert stores[0].asked and stores[0].taken == 0
    assert not streamstore._decompresses_to(bomb, b"\0" * 10)
    assert streamstore._decompresses_to(zlib.compress(b"page"), b"page")
    assert not streamstore._decompresses_to(zlib.compress(b"page") + b"extra", b"page")
