"""What the size search decided, kept in the user's cache folder (``outputs.fitstore``): a
fresh process sets no unchanged face, says the same and draws the same bytes; an edited face,
other layout code or other fonts set faces again; a damaged or foreign file is a miss that is
written again; DECKBUILDER_NO_CACHE=1 sets every face."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from facecount import searches_here
from test_deck import lengthen_phase_3

from deckbuilder import alongside
from deckbuilder.outputs import faces, fitstore


@pytest.fixture
def searched(tmp_path, monkeypatch) -> list[tuple]:
    """A cache folder of this test's own, everything in this process (so every face set is
    counted), and the faces set by the size search from now on."""
    monkeypatch.setenv("DECKBUILDER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(alongside, "available", lambda: False)
    keys = searches_here(monkeypatch)
    new_process(monkeypatch)
    yield keys
    fitstore.forget()


def new_process(monkeypatch) -> None:
    """What a fresh process knows: no face remembered, no store read."""
    monkeypatch.setattr(faces, "_FITTED", {})
    fitstore.forget()


def stored_files(tmp_path: Path) -> dict[str, bytes]:
    folder = tmp_path / "cache" / fitstore.KIND
    return {p.name: p.read_bytes() for p in folder.glob("*.json")} if folder.is_dir() else {}


def test_a_warm_check_sets_no_face_and_says_the_same(run_cli, make_workspace, searched, monkeypatch, tmp_path):
    ws = make_workspace()
    cold = run_cli("check", ws)
    assert cold.code == 0, cold.err
    assert len(searched) > 10 and len(stored_files(tmp_path)) == 1
    new_process(monkeypatch)
    searched.clear()
    warm = run_cli("check", ws)
    assert searched == []
    assert (warm.code, warm.out, warm.err) == (cold.code, cold.out, cold.err)
    assert not any(isinstance(f, faces.SetFace) and isinstance(f.block, faces.LazyBlock) and f.block.is_set
                   for f in faces.remembered().values())  # check never set a stored face's text


def test_a_face_too_long_fails_a_warm_check_at_its_line(run_cli, make_workspace, searched, monkeypatch):
    ws = make_workspace()
    lengthen_phase_3(ws)
    cold = run_cli("check", ws)
    assert cold.code == 2 and re.search(r"content/deep-dive\.yaml:\d+: the back of phase 3 .* too long", cold.err)
    new_process(monkeypatch)
    searched.clear()
    warm = run_cli("check", ws)
    assert searched == []
    assert (warm.code, warm.err) == (cold.code, cold.err)


def test_a_warm_build_writes_the_same_pdfs(run_cli, make_workspace, searched, monkeypatch):
    def pdfs(ws: Path) -> dict[str, str]:
        result = run_cli("build", ws)
        assert result.code == 0, result.err
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (ws / "output").glob("*.pdf")}

    cold = pdfs(make_workspace(name="cold"))
    new_process(monkeypatch)
    searched.clear()
    warm = pdfs(make_workspace(name="warm"))
    assert searched == []
    assert "cards.pdf" in warm and "packet.pdf" in warm and warm == cold


def test_an_edited_face_is_set_again_and_stored(run_cli, make_workspace, searched, monkeypatch, tmp_path):
    ws = make_workspace()
    assert run_cli("check", ws).code == 0
    deep = ws / "content" / "deep-dive.yaml"
    assert "**p95 180 ms**" in deep.read_text()
    deep.write_text(deep.read_text().replace("**p95 180 ms**", "**p95 170 ms**"))
    new_process(monkeypatch)
    searched.clear()
    assert run_cli("check", ws).code == 0
    assert [(side, "p95 170 ms" in text) for text, _, side in searched] == [("back", True)]
    new_process(monkeypatch)
    searched.clear()
    assert run_cli("check", ws).code == 0
    assert searched == []


@pytest.mark.parametrize("changed", ["layout_fingerprint", "font_identity", "parser_identity"])
def test_other_layout_code_or_fonts_set_every_face_again(run_cli, make_workspace, searched, monkeypatch, changed):
    ws = make_workspace()
    assert run_cli("check", ws).code == 0
    everything = len(searched)
    new_process(monkeypatch)
    searched.clear()
    monkeypatch.setattr(fitstore, changed, lambda: "something else")
    assert run_cli("check", ws).code == 0
    assert len(searched) == everything


def test_a_damaged_or_foreign_file_is_ignored_and_written_again(run_cli, make_workspace, searched, monkeypatch,
                                                                 tmp_path):
    ws = make_workspace()
    assert run_cli("check", ws).code == 0
    everything = len(searched)
    (name, good), = stored_files(tmp_path).items()
    path = tmp_path / "cache" / fitstore.KIND / name
    header, payload = good.split(b"\n", 2)[1:]
    other_key = fitstore.MAGIC + header.replace(name[:-5].encode(), b"0" * 40) + b"\n" + payload
    flipped = good[:-10] + bytes([good[-10] ^ 1]) + good[-9:]  # the CRC no longer matches
    for bad in (b"not json at all", good[:len(good) // 2], flipped, other_key):
        path.write_bytes(bad)
        new_process(monkeypatch)
        searched.clear()
        assert run_cli("check", ws).code == 0
        assert len(searched) == everything
        assert path.read_bytes() == good  # written again, as it was


def test_a_wrong_entry_is_one_face_set_again(run_cli, make_workspace, searched, monkeypatch, tmp_path):
    ws = make_workspace()
    assert run_cli("check", ws).code == 0
    (name, _), = stored_files(tmp_path).items()
    entries = fitstore.load(name[:-5])
    first = next(iter(entries))
    entries[first] = ["s", "large", 0.0, False, True, "", ""]
    fitstore.user_cache.write(fitstore.KIND, name, fitstore.encode(name[:-5], entries))
    new_process(monkeypatch)
    searched.clear()
    assert run_cli("check", ws).code == 0
    assert len(searched) == 1


def test_no_cache_sets_every_face(run_cli, make_workspace, searched, monkeypatch, tmp_path):
    ws = make_workspace()
    assert run_cli("check", ws).code == 0
    everything = len(searched)
    monkeypatch.setenv("DECKBUILDER_NO_CACHE", "1")
    for _ in range(2):
        new_process(monkeypatch)
        searched.clear()
        assert run_cli("check", ws).code == 0
        assert len(searched) == everything


def test_a_stored_face_rebuilds_as_the_search_set_it():
    """The face from the store draws from the same flowables, at the same sizes."""
    style = faces.face_style(*faces.CARD_SIZES["3x5"], False)
    markdown = "# The focal line\n\nSome **body** text\n\n- a point\n\n###### principle · 2 min"
    searched = faces.set_to_fit(markdown, style, "front")
    assert isinstance(searched, faces.SetFace) and searched.focal is not None
    rebuilt = faces.face_of_entry(markdown, "front", faces.entry_of(searched))
    assert isinstance(rebuilt, faces.SetFace) and isinstance(rebuilt.block, faces.LazyBlock)
    assert (rebuilt.size, rebuilt.focal_size, rebuilt.tag, rebuilt.caption) == (
        searched.size, searched.focal_size, searched.tag, searched.caption)
    assert rebuilt.focal is not None
    body_w, _ = style.body
    assert rebuilt.block.height_at(rebuilt.size, body_w) == searched.block.height_at(searched.size, body_w)
    assert rebuilt.focal.height_at(rebuilt.focal_size, body_w) == searched.focal.height_at(searched.focal_size, body_w)
    over = faces.Overflow(float("inf"), 0, wide=True)
    assert faces.face_of_entry("x", "back", faces.entry_of(over)) == over


@pytest.mark.skipif(not alongside.available(), reason="no fork or a single core: builds never fork here")
def test_a_large_warm_deck_sets_its_text_in_two_processes_into_the_same_pdf(run_cli, make_workspace, tmp_path,
                                                                            monkeypatch):
    from deckbuilder.outputs import fitmany

    monkeypatch.setenv("DECKBUILDER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(fitmany, "AT_LEAST", 2)  # every deck counts as large
    dealt: list[int] = []
    real_deal = fitmany._deal_blocks
    monkeypatch.setattr(fitmany, "_deal_blocks", lambda blocks: dealt.append(len(blocks)) or real_deal(blocks))
    new_process(monkeypatch)
    pdfs = []
    for name in ("cold", "warm"):
        ws = make_workspace(name=name)
        assert run_cli("build", ws, "--only", "cards").code == 0
        pdfs.append((ws / "output" / "cards.pdf").read_bytes())
        new_process(monkeypatch)
    fitstore.forget()
    assert dealt and pdfs[0] == pdfs[1]  # the warm build's stored faces were set in two processes


def test_the_parsers_name_the_file(monkeypatch, tmp_path):
    """Another Markdown parser (a new version; markdown-it-py alone) may read a face otherwise:
    what the other one set is not used. markdown-it-py's version is read from its source
    (``render.parsers``: a warm build does not import it), and it is the version it has."""
    import importlib.machinery

    import markdown_it

    from deckbuilder.render import mdparse, parsers

    assert parsers.markdown_it_version() == markdown_it.__version__
    usual = fitstore.parser_identity()
    monkeypatch.setenv("DECKBUILDER_PURE_PYTHON_MARKDOWN", "1")
    python_only = fitstore.parser_identity()
    assert (python_only != usual) == (mdparse.markdown_it_pyrs is not None)
    newer = tmp_path / "markdown_it" / "__init__.py"  # the package as a new release would install it
    newer.parent.mkdir()
    newer.write_text('"""A Python port of Markdown-It"""\n__version__ = "99.0.0"\n')
    spec = importlib.machinery.ModuleSpec("markdown_it", None, origin=str(newer))
    monkeypatch.setattr(parsers.importlib.util, "find_spec", lambda name: spec)
    parsers.markdown_it_version.cache_clear()
    try:
        assert fitstore.parser_identity() != python_only
        assert parsers.markdown_it_version() == "99.0.0"
        newer.write_text("from .main import MarkdownIt\n")  # no version line: asked of the package itself
        parsers.markdown_it_version.cache_clear()
        assert parsers.markdown_it_version() == markdown_it.__version__
    finally:
        parsers.markdown_it_version.cache_clear()


