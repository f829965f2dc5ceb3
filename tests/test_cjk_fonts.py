"""Text in any script prints: what no bundled font has comes from the workspace's fonts/
folder or the system's fonts (TrueType, embedded and subset), read back from the PDF.

CI installs a CJK font (fonts-wqy-microhei, see .ci/run); without one these tests skip."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from notescorpus import NOTES
from pdfcheck import all_text, reader

from deckbuilder.render import fallback, fonts

HAS_CJK_FONT = fonts.font_for("退") not in (None, *fonts.FALLBACK_ORDER)
needs_cjk = pytest.mark.skipif(not HAS_CJK_FONT,
                               reason="no CJK font on this machine (apt-get install fonts-wqy-microhei)")


@needs_cjk
def test_a_cjk_story_imported_and_built_prints_its_characters(tmp_path, run_cli):
    ws = tmp_path / "ws"
    assert run_cli("import", NOTES / "15-chinese.md", ws).code == 0
    build = run_cli("build", ws, "--only", "cards")
    assert build.code == 0, build.err
    assert "no font has" not in build.err
    pdf = ws / "output" / "cards.pdf"
    text = all_text(pdf)
    for words in ("退款流程优化", "客户投诉减少了", "内存泄漏"):
        assert words in text
    embedded = set()
    for page in reader(pdf).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant.get("/FontDescriptor")
            if descriptor is not None and "/FontFile2" in descriptor.get_object():
                embedded.add(str(font["/BaseFont"]))
    # the fallback face is embedded (FontFile2: TrueType outlines) as a subset (a tag before its name)
    others = {name for name in embedded if not any(bundled in name for bundled in ("DejaVu", "Noto"))}
    assert others and all("+" in name for name in others), embedded


@needs_cjk
def test_workspace_fonts_come_first_and_links_out_are_never_read(tmp_path):
    system = fallback._state.system_fonts[0].path if fallback._state.system_fonts else None
    assert system is not None
    ws = tmp_path / "ws"
    (ws / "fonts").mkdir(parents=True)
    (ws / "fonts" / "outside.ttc").symlink_to(system)
    (ws / "fonts" / "notes.txt").write_text("not a font", "utf-8")
    try:
        fallback.use_workspace(ws)
        assert fallback._workspace_fonts() == []  # the link leads out of the workspace
        shutil.copy(system, ws / "fonts" / "cjk" f"{system.suffix}")
        fallback.use_workspace(None)
        fallback.use_workspace(ws)
        name = fallback.font_for(ord("退"))
        chosen = next(f for f in fallback._workspace_fonts() if f.name == name)
        assert chosen.path == (ws / "fonts" / f"cjk{system.suffix}").resolve()
    finally:
        fallback.use_workspace(None)


def test_a_character_no_font_has_names_a_free_cjk_font_when_it_is_cjk():
    assert "fonts-wqy-microhei" in fallback.missing_hint(["退"])
    assert "fonts/" in fallback.missing_hint(["\u0378"]) and "CJK" not in fallback.missing_hint(["\u0378"])


def test_the_union_of_charsets_has_what_any_of_them_has():
    union = fallback._union([fallback.Charset("20-7e a0 300-3ff"), fallback.Charset("7f-9f 350-500 1f600")])
    assert union.ranges() == [(0x20, 0xA0), (0x300, 0x500), (0x1F600, 0x1F600)]  # touching ranges join
    assert not fallback._union([]).has(0x41)


def test_a_fontconfig_charset_reads_as_the_ranges_it_names():
    charset = fallback.Charset("20-7e a0 100-17f not-a-range")
    assert [code for code in (0x1F, 0x20, 0x7E, 0x7F, 0xA0, 0xA1, 0xFF, 0x100, 0x17F, 0x180) if charset.has(code)] \
        == [0x20, 0x7E, 0xA0, 0x100, 0x17F]
    assert not fallback.Charset("").has(0x41)


def _sfnt(version: bytes) -> bytes:
    return version + bytes(8)


def _collection(*versions: bytes) -> bytes:
    """A .ttc whose faces' sfnt versions are ``versions`` (their tables left out)."""
    start = 12 + 4 * len(versions)
    offsets = b"".join((start + 12 * i).to_bytes(4, "big") for i in range(len(versions)))
    return b"ttcf\x00\x01\x00\x00" + len(versions).to_bytes(4, "big") + offsets + b"".join(map(_sfnt, versions))


def _fake_fontconfig(tmp_path, monkeypatch, best: str) -> Path:
    """Font files (their first bytes only) and an fc-match that prints ``best`` as its best
    match for any character and lists them all with their charsets; returns the file where
    each call writes 'best' or 'listing'. The loader is the test's (``covers``)."""
    files = {"cff.otf": _sfnt(b"OTTO"), "cjk.ttc": _collection(b"OTTO", b"\x00\x01\x00\x00"),
             "broken.ttf": _sfnt(b"true"), "runes.ttf": _sfnt(b"\x00\x01\x00\x00"), "latin.ttf": _sfnt(b"true")}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    listing = [("cff.otf", 0, "16a0-16ff"), ("cjk.ttc", 0, "16a0-16ff"), ("broken.ttf", 0, "16a0-16ff"),
               ("cjk.ttc", 1, "16a0-16ff 4e00-9fff"), ("runes.ttf", 0, "16a0-16ff"), ("latin.ttf", 0, "20-7e")]
    calls = tmp_path / "calls"
    fake = tmp_path / "fc-match"
    fake.write_text("#!/bin/sh\n"
                    f"if [ \"$1\" = -s ]; then echo listing >> '{calls}'\n"
                    + "".join(f"echo '{tmp_path / name}|{index}|{charset}'\n" for name, index, charset in listing)
                    + f"else echo best >> '{calls}'; echo '{tmp_path / best}|0'; fi\n", "utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(fallback.shutil, "which", lambda name: str(fake) if name == "fc-match" else None)
    monkeypatch.setattr(fallback, "_state", fallback._State())
    monkeypatch.setattr(fallback, "_listing", None)
    return calls


def _fake_loader(monkeypatch) -> list[tuple[str, int]]:
    loaded: list[tuple[str, int]] = []
    covers = {("cjk.ttc", 1): range(0x4E00, 0xA000), ("runes.ttf", 0): range(0x16A0, 0x1700),
              ("latin.ttf", 0): range(0x20, 0x7F)}

    def load(path, index, quiet=True):
        loaded.append((path.name, index))
        cover = covers.get((path.name, index))  # broken.ttf: None, as a damaged file loads
        return None if cover is None else fallback.Fallback(f"{path.stem}{index}", path, frozenset(cover))

    monkeypatch.setattr(fallback, "_load", load)
    return loaded


def test_a_best_match_that_has_the_characters_costs_one_fontconfig_call(tmp_path, monkeypatch):
    calls = _fake_fontconfig(tmp_path, monkeypatch, best="runes.ttf")
    loaded = _fake_loader(monkeypatch)
    assert [fallback.font_for(code) for code in (0x16A0, 0x16C7, 0x16F0)] == ["runes0"] * 3
    assert loaded == [("runes.ttf", 0)] and calls.read_text("utf-8").split() == ["best"]


def test_an_unusable_best_match_gives_way_to_fontconfigs_list_read_once(tmp_path, monkeypatch):
    """fontconfig prefers a CFF font (reportlab cannot embed it; Debian's Noto CJK is one): it
    is passed over from its first bytes, never read whole, and so is every other CFF face;
    the fonts fontconfig lists as having the character are tried in its order, one that fails
    to load giving way to the next; from then on the list answers alone, so characters no
    font has cost no process each (they cost one fc-match each before)."""
    calls = _fake_fontconfig(tmp_path, monkeypatch, best="cff.otf")
    loaded = _fake_loader(monkeypatch)
    assert [fallback.font_for(code) for code in (0x16A0, 0x16C7, 0x16F0)] == ["runes0"] * 3
    # cff.otf and the .ttc's first face are CFF: never loaded; broken.ttf fails; the .ttc's
    # TrueType face (no rune in reportlab's eyes) is read and kept for what it has
    assert loaded == [("broken.ttf", 0), ("cjk.ttc", 1), ("runes.ttf", 0)]
    assert fallback.font_for(0x4E00) == "cjk1" and len(loaded) == 3  # a font already read has it
    assert [fallback.font_for(code) for code in range(0x13000, 0x13020)] == [None] * 32
    assert len(loaded) == 3  # no font's charset has them: nothing is read for them
    assert fallback.font_for(0x41) == "latin0"
    assert calls.read_text("utf-8").split() == ["best", "listing"]


def test_a_failed_list_leaves_the_best_match_to_answer(tmp_path, monkeypatch):
    """fontconfig's list failing (a non-zero exit, a time-out) is no list: every character
    still asks for its best match, as before the list existed."""
    calls = _fake_fontconfig(tmp_path, monkeypatch, best="runes.ttf")
    fake = tmp_path / "fc-match"
    fake.write_text(fake.read_text("utf-8").replace("else echo best", "exit 1\nelse echo best"), "utf-8")
    loaded = _fake_loader(monkeypatch)
    assert fallback.font_for(0x13000) is None  # the best match (runes) lacks it, and the list fails
    assert fallback.font_for(0x13001) is None
    assert fallback.font_for(0x16A0) == "runes0"  # the font the best match gave
    assert calls.read_text("utf-8").split() == ["best", "listing", "best"] and set(loaded) == {("runes.ttf", 0)}


def test_a_font_file_named_in_another_encoding_is_listed_like_any_other(tmp_path, monkeypatch):
    calls = _fake_fontconfig(tmp_path, monkeypatch, best="cff.otf")
    odd = os.fsencode(tmp_path) + b"/caf\xe9.ttf"
    with open(odd, "wb") as file:
        file.write(_sfnt(b"true"))
    fake = tmp_path / "fc-match"
    line = b"printf '" + odd + b"|0|13000-1300f\\n'\n"
    fake.write_bytes(fake.read_bytes().replace(b"echo listing >> ", line + b"echo listing >> "))
    loaded = _fake_loader(monkeypatch)
    assert fallback.font_for(0x13000) is None  # the fake loader has nothing for it: read, not crashed on
    assert loaded[-1] == (os.fsdecode(odd).rsplit("/", 1)[1], 0)
    assert calls.read_text("utf-8").split() == ["best", "listing"]


def test_each_build_reads_fontconfigs_list_again(tmp_path, monkeypatch):
    """A font installed while ``watch`` runs is found by the next build: reading the content
    (``use_workspace``) forgets the list."""
    calls = _fake_fontconfig(tmp_path, monkeypatch, best="cff.otf")
    _fake_loader(monkeypatch)
    assert fallback.font_for(0x13000) is None
    fallback.use_workspace(None)
    assert fallback.font_for(0x13001) is None
    assert calls.read_text("utf-8").split() == ["best", "listing", "best", "listing"]


def test_a_fontconfig_that_fails_is_asked_once_a_build_not_once_a_character(tmp_path, monkeypatch):
    """fc-match timing out or finding no font at all (an empty fontconfig) cost a process per
    character, 180 for the Chinese notes: after one failure, the rest of the build asks nothing."""
    calls = _fake_fontconfig(tmp_path, monkeypatch, best="runes.ttf")
    fake = tmp_path / "fc-match"
    fake.write_text(f"#!/bin/sh\necho called >> '{calls}'\nexit 1\n", "utf-8")
    _fake_loader(monkeypatch)
    assert [fallback.font_for(code) for code in range(0x4E00, 0x4E26)] == [None] * 38
    assert calls.read_text("utf-8").split() == ["called"]
    fallback.use_workspace(None)  # the next build asks again
    assert fallback.font_for(0x4E26) is None
    assert calls.read_text("utf-8").split() == ["called"] * 2


def test_a_font_file_named_in_another_encoding_loads_through_the_cache(tmp_path, monkeypatch):
    """Its name, decoded as the file system's, is in the cache's key (it failed to encode, and
    the font was dropped as unusable, only with the cache on)."""
    from deckbuilder.render import fontcache

    monkeypatch.setenv("DECKBUILDER_CACHE_DIR", str(tmp_path / "cache"))
    odd = os.fsdecode(os.fsencode(tmp_path) + b"/caf\xe9.ttf")
    shutil.copy(fonts.font_dir() / "DejaVuSansMono.ttf", odd)
    for _ in range(2):  # parsed and kept, then read from the cache
        font = fontcache.load_ttfont("OddlyNamedMono", odd)
        assert ord("a") in font.face.charToGlyph
    assert len(list((tmp_path / "cache").rglob("*"))) > 1
