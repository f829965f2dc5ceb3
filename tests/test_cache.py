"""The per-user cache (parsed fonts, compiled templates) saves time and changes nothing else:
the same PDFs with or without it, a damaged or foreign file is a miss that is written again,
a folder that cannot be written is skipped, and nothing is written outside it."""

from __future__ import annotations

import copy
import io
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

import pytest

from deckbuilder import cache
from deckbuilder.render import fallback, fontcache, fonts, reportlab_seam, richtext, template_cache, templates

BUNDLED = fonts.font_dir() / "DejaVuSans.ttf"
CJK_TEXT = "退款流程"


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()} if folder.exists() else {}


@pytest.fixture
def fresh_fonts():
    """reportlab keeps the first font registered under a name (and under a face's PostScript
    name), and deckbuilder registers each once per process: this lets a test register fonts
    again, and puts everything back afterwards for the tests that follow in this process."""
    from reportlab.pdfbase import pdfmetrics

    saved = (dict(pdfmetrics._fonts), dict(pdfmetrics._dynFaceNames), dict(fallback._registered),
             {k: copy.copy(v) for k, v in vars(fallback._state).items()}, dict(richtext._WIDTHS))

    def forget(names) -> None:
        for name in names:
            font = pdfmetrics._fonts.pop(name, None)
            if font is not None and getattr(font, "face", None) is not None:
                pdfmetrics._dynFaceNames.pop(font.face.name, None)
        fonts.ensure.cache_clear()
        fonts.register_fonts.cache_clear()
        fonts._coverage.cache_clear()
        fallback._registered.clear()
        fallback._state.__init__()
        richtext._WIDTHS.clear()
        templates._environment.cache_clear()

    yield forget
    for live, old in zip((pdfmetrics._fonts, pdfmetrics._dynFaceNames, fallback._registered,
                          vars(fallback._state), richtext._WIDTHS), saved):
        live.clear()
        live.update(old)
    fonts.ensure.cache_clear()
    fonts.register_fonts.cache_clear()
    fonts._coverage.cache_clear()  # it registers (ensure) what it covers: a font dropped above is registered again
    templates._environment.cache_clear()


def _pdf_with(forget, font, text: str) -> bytes:
    """A two-line PDF set in ``font`` (measured, subset and embedded by reportlab)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfgen.canvas import Canvas

    forget([font.fontName])
    pdfmetrics._dynFaceNames.pop(font.face.name, None)  # else the name is given the font registered first
    pdfmetrics.registerFont(font)
    assert pdfmetrics.getFont(font.fontName) is font
    out = io.BytesIO()
    canvas = Canvas(out, invariant=1)
    canvas.setFont(font.fontName, 11)
    canvas.drawString(20, 20, text)
    canvas.drawString(20, 40 + pdfmetrics.stringWidth(text, font.fontName, 11), text[::-1])
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _state(font, read: Iterable[str] = ()) -> dict[str, str]:
    """Every attribute of a font's face, exactly (repr tells 1 from 1.0), once those named in
    ``read`` were read (a face from the cache builds its glyph tables when first asked)."""
    for name in read:
        getattr(font.face, name)
    return {k: repr(v) for k, v in vars(font.face).items() if k != "_pdfScale"}


def _parse_forbidden(monkeypatch):
    """From here on a font must come from the cache: parsing one fails the test (a parse that
    fails, as the look for a face after a collection's last one does, is allowed)."""
    from reportlab.pdfbase import ttfonts

    parse = ttfonts.TTFont.__init__

    def refuse(self, *args, **kwargs):
        parse(self, *args, **kwargs)
        raise AssertionError(f"{args[1]} was parsed, not read from the cache")
    monkeypatch.setattr(ttfonts.TTFont, "__init__", refuse)


def _cjk_font() -> tuple[Path, int] | None:
    name = fonts.font_for(CJK_TEXT[0])
    found = [f for f in fallback._registered.values() if f is not None and f.name == name]
    if not found:
        return None
    index = next(i for (p, i), f in fallback._registered.items() if f is found[0])
    return found[0].path, index


def test_a_font_from_the_cache_is_the_font_reportlab_parses_and_prints_the_same_bytes(tmp_path, monkeypatch,
                                                                                      fresh_fonts):
    cases = [(BUNDLED, 0, "Résumé — naïve ½ ✓ Ωmega")]
    cjk = _cjk_font()
    if cjk is not None:  # a system fallback font (a .ttc collection), as a CJK story uses it
        cases.append((*cjk, CJK_TEXT))
    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    parsed = []
    for path, index, text in cases:
        font = fontcache.load_ttfont("CacheCheck", path, subfont_index=index)  # a miss: parsed, then stored
        parsed.append((_state(font), _pdf_with(fresh_fonts, font, text)))
    assert len(_files(tmp_path / "cache" / "fonts")) == len(cases)
    _parse_forbidden(monkeypatch)
    for (path, index, text), (state, pdf) in zip(cases, parsed):
        cached = fontcache.load_ttfont("CacheCheck", path, subfont_index=index)
        assert not {"charToGlyph", "charWidths", "glyphToChar", "hmetrics", "glyphPos"} & set(vars(cached.face))
        assert _state(cached, read=state) == state
        assert _pdf_with(fresh_fonts, cached, text) == pdf
        drawn = fontcache.load_ttfont("CacheCheck", path, subfont_index=index)
        assert _pdf_with(fresh_fonts, drawn, text) == pdf
        assert "glyphToChar" not in vars(drawn.face)  # read by reportlab's parser only: never built


def test_a_build_with_fonts_and_templates_from_the_cache_writes_the_same_pdfs(make_workspace, tmp_path, monkeypatch,
                                                                              fresh_fonts):
    from reportlab.pdfbase import pdfmetrics

    from deckbuilder.build import BuildOptions, build
    from deckbuilder.workspace import Workspace

    builtin = templates.builtin_template_dir() / "cards" / "story-front.md.j2"
    ws = make_workspace({"templates/cards/story-front.md.j2": builtin.read_text("utf-8")})  # a workspace's own
    story = ws / "content" / "stories.yaml"
    text = story.read_text("utf-8")
    cjk = _cjk_font()
    if cjk is not None:  # a fallback font from the workspace's fonts/ too (read as the system's are)
        story.write_text(text.replace("title: ", f"title: {CJK_TEXT} ", 1), "utf-8")
        (ws / "fonts").mkdir()
        shutil.copy(cjk[0], ws / "fonts" / f"cjk{cjk[0].suffix}")
    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    built, registered = [], []
    for _ in range(2):  # the first fills the cache, the second reads every font from it
        fresh_fonts([name for name in pdfmetrics.getRegisteredFontNames() if name.startswith("Deck")])
        build(Workspace.at(ws), BuildOptions(only=("cards",)))
        built.append(_files(ws / "output"))
        registered.append(pdfmetrics.getFont(fonts.BODY))
        _parse_forbidden(monkeypatch)
    assert registered[0] is not registered[1]  # the second build's fonts are the cache's
    if cjk is not None:
        assert any(f is not None and f.path.is_relative_to(ws) for f in fallback._registered.values())
    assert built[0] and built[0] == built[1]
    stored = _files(tmp_path / "cache")
    assert any(name.startswith("fonts/") for name in stored) and any(name.startswith("templates/") for name in stored)


def _with_header(entry: bytes, edit) -> bytes:
    """A font cache entry whose JSON header ``edit(header)`` changed, with the checksum made
    again (what the checks of the entry's form must catch, not the checksum)."""
    import json
    import struct
    import zlib

    start = len(fontcache.MAGIC) + 4
    (size,) = struct.unpack_from("<I", entry, len(fontcache.MAGIC))
    header = json.loads(entry[start:start + size])
    edit(header)
    text = json.dumps(header, separators=(",", ":")).encode()
    body = fontcache.MAGIC + struct.pack("<I", len(text)) + text + entry[start + size:-4]
    return body + zlib.crc32(body).to_bytes(4, "big")


def _point_widths_at(index: int):
    def edit(header) -> None:
        node = dict((k[1], v) for k, v in header["state"][1])["charWidths"]
        node[2] = index  # the widths' values: another array, or none
    return edit


@pytest.mark.parametrize("damage", ["empty", "truncated", "garbage", "foreign", "wrong shape", "a flipped bit",
                                    "writable by others", "a table's numbers missing", "a table's numbers of another type"])
def test_a_damaged_or_foreign_font_cache_file_is_a_miss_and_is_written_again(tmp_path, monkeypatch, damage):
    monkeypatch.setenv(cache.ENV, str(tmp_path))
    font = fontcache.load_ttfont("CacheCheck", BUNDLED)
    (entry,) = (tmp_path / "fonts").iterdir()
    good = entry.read_bytes()
    other = fontcache.encode({"name": "x"}, "another-key")
    if damage == "writable by others":  # another user could have put anything there
        if not hasattr(os, "geteuid"):
            pytest.skip("no file owners here")
        entry.chmod(0o666)
        font.face.charWidths[65] += 1  # so that the entry as stored cannot stand in for a parse
        entry.write_bytes(fontcache.encode(reportlab_seam.face_state(font), entry.name))
        font.face.charWidths[65] -= 1
        again = fontcache.load_ttfont("CacheCheck", BUNDLED)
        assert again.face.charWidths == font.face.charWidths
        assert entry.read_bytes() == good and entry.stat().st_mode & 0o777 == 0o600
        return
    entry.write_bytes({"empty": b"", "truncated": good[: len(good) // 2], "garbage": os.urandom(4096),
                       "foreign": other, "wrong shape": fontcache.encode({"name": 1}, entry.name),
                       "a flipped bit": good[:-1000] + bytes([good[-1000] ^ 4]) + good[-999:],
                       "a table's numbers missing": _with_header(good, _point_widths_at(999)),
                       "a table's numbers of another type": _with_header(good, _point_widths_at(0))}[damage])
    again = fontcache.load_ttfont("CacheCheck", BUNDLED)
    assert again.face.charWidths == font.face.charWidths and again.face.name == font.face.name
    assert entry.read_bytes() == good  # parsed again and stored again


def test_a_glyph_table_from_the_cache_is_built_when_first_read_or_parsed_if_it_cannot_be(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV, str(tmp_path))
    parsed = fontcache.load_ttfont("CacheCheck", BUNDLED)
    cached = fontcache.load_ttfont("CacheCheck", BUNDLED)
    assert "charWidths" not in vars(cached.face)
    assert cached.stringWidth("Résumé ½", 11) == parsed.stringWidth("Résumé ½", 11)
    assert cached.face.charWidths == parsed.face.charWidths and "charWidths" in vars(cached.face)
    decode = fontcache._decode

    def fails_for_widths(node, arrays):
        if node[0] == "dqd":
            raise ValueError("cannot be built")
        return decode(node, arrays)
    monkeypatch.setattr(fontcache, "_decode", fails_for_widths)  # what the checks on reading did not foresee
    unforeseen = fontcache.load_ttfont("CacheCheck", BUNDLED)
    assert unforeseen.face.charWidths == parsed.face.charWidths  # parsed from the font's bytes instead
    assert unforeseen.face.charToGlyph == parsed.face.charToGlyph


def test_a_cache_folder_that_cannot_be_written_is_skipped(tmp_path, monkeypatch, make_workspace, run_cli):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", "utf-8")
    monkeypatch.setenv(cache.ENV, str(blocker / "cache"))
    assert fontcache.load_ttfont("CacheCheck", BUNDLED).face.name == b"DejaVuSans"
    env = templates._environment.__wrapped__(None, templates.builtin_template_dir(), frozenset())
    assert env.get_template("cards/story-front.md.j2") is not None
    ws = make_workspace(starter=False, files={"content/stories.yaml": "stories: []\n"})
    assert run_cli("check", ws).code in (0, 2)  # the user's content decides, never the cache
    assert blocker.read_text("utf-8") == "not a folder"


def test_compiled_templates_are_reused_and_a_damaged_one_is_compiled_again(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV, str(tmp_path))
    folder = tmp_path / "ws" / "templates"
    folder.mkdir(parents=True)
    (folder / "extra.md.j2").write_text("{{ 6 * 7 }} front", "utf-8")

    def render(compile_allowed: bool = True) -> str:
        env = templates._environment.__wrapped__(folder, templates.builtin_template_dir(), frozenset())
        if not compile_allowed:
            monkeypatch.setattr(env, "compile", lambda *a, **k: pytest.fail("compiled, not read from the cache"))
        return env.get_template("extra.md.j2").render()

    assert render() == "42 front"
    (entry,) = (tmp_path / "templates").iterdir()
    compiled = entry.read_bytes()
    assert compiled.startswith(template_cache.MAGIC)
    assert render(compile_allowed=False) == "42 front"
    for damaged in (compiled[: len(compiled) - 40], compiled[:-60] + bytes([compiled[-60] ^ 1]) + compiled[-59:]):
        entry.write_bytes(damaged)
        assert render() == "42 front" and entry.read_bytes() == compiled
    (folder / "extra.md.j2").write_text("{{ 6 * 8 }} front", "utf-8")  # an edit: compiled again
    assert render() == "48 front" and entry.read_bytes() != compiled


def test_caching_turned_off_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    monkeypatch.setenv(cache.OFF_ENV, "1")
    fontcache.load_ttfont("CacheCheck", BUNDLED)
    templates._environment.__wrapped__(None, templates.builtin_template_dir(), frozenset()).get_template("cards/story-front.md.j2")
    monkeypatch.delenv(cache.OFF_ENV)
    monkeypatch.setenv(cache.ENV, "")
    assert cache.cache_dir() is None
    fontcache.load_ttfont("CacheCheck", BUNDLED)
    assert not (tmp_path / "cache").exists()


def test_nothing_is_written_outside_the_cache_folder(tmp_path, monkeypatch, make_workspace, run_cli):
    builtin = templates.builtin_template_dir() / "cards" / "story-front.md.j2"
    ws = make_workspace({"templates/cards/story-front.md.j2": builtin.read_text("utf-8") + "\n"})
    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    before = {p for p in tmp_path.rglob("*")}
    templates._environment.cache_clear()
    fontcache.load_ttfont("CacheCheck", BUNDLED)
    assert run_cli("check", ws).code == 0
    added = {p for p in tmp_path.rglob("*")} - before
    assert added and all(p.is_relative_to(tmp_path / "cache") for p in added), sorted(map(str, added))
    assert any(p.parent.name == "templates" for p in added)  # the workspace's template compiled into the cache


@pytest.mark.parametrize("xdg", [None, "", "/tmp/xdg-cache"])
def test_the_default_cache_folder_is_the_platforms(monkeypatch, xdg):
    import platformdirs

    monkeypatch.delenv(cache.ENV)
    if xdg is None:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    cache._platform_dir.cache_clear()
    try:
        assert cache.cache_dir() == Path(platformdirs.user_cache_dir("deckbuilder", appauthor=False))
    finally:
        cache._platform_dir.cache_clear()


def test_a_font_file_replaced_at_the_same_path_is_read_again(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    path = tmp_path / "fonts" / "mine.ttf"
    path.parent.mkdir()
    shutil.copy(fonts.font_dir() / "DejaVuSansMono.ttf", path)
    assert fontcache.load_ttfont("CacheCheck", path).face.name == b"DejaVuSansMono"
    shutil.copy(fonts.font_dir() / "NotoSansSymbols2-Regular.ttf", path)  # same name, same folder
    assert fontcache.load_ttfont("CacheCheck", path).face.name == b"NotoSansSymbols2-Regular"
    assert len(list((tmp_path / "cache" / "fonts").iterdir())) == 2


def test_a_hostile_template_compiled_from_the_cache_is_still_stopped_by_the_sandbox(tmp_path, monkeypatch):
    from jinja2.sandbox import SecurityError

    from deckbuilder.render.limits import LimitError

    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    folder = tmp_path / "ws" / "templates"
    folder.mkdir(parents=True)
    (folder / "reach.md.j2").write_text("{{ ''.__class__.__mro__ }}", "utf-8")
    (folder / "bomb.md.j2").write_text("{{ 'ab' * 10 ** 9 }}", "utf-8")  # the sandbox checks '*' before it runs
    for compile_allowed in (True, False):  # compiled, then from the cache
        env = templates._environment.__wrapped__(folder, templates.builtin_template_dir(), frozenset())
        if not compile_allowed:
            monkeypatch.setattr(env, "compile", lambda *a, **k: pytest.fail("compiled, not read from the cache"))
        with pytest.raises(SecurityError):
            env.get_template("reach.md.j2").render()
        with pytest.raises(LimitError):
            env.get_template("bomb.md.j2").render()


def test_code_compiled_outside_the_sandbox_is_never_run_in_it(tmp_path, monkeypatch):
    """Jinja keys compiled code by template name and file only: the fingerprint in each entry
    (the environment's options, the sandbox's source) keeps another environment's code out."""
    import jinja2

    from deckbuilder.render.limits import LimitError

    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    folder = tmp_path / "ws" / "templates"
    folder.mkdir(parents=True)
    (folder / "big.md.j2").write_text("{{ ('ab' * 10 ** 7) | length }}", "utf-8")
    plain = jinja2.Environment(loader=templates._Loader(folder, folder.parent))
    plain.bytecode_cache = template_cache.template_cache(plain)
    assert plain.get_template("big.md.j2").render() == "20000000"  # compiled without the sandbox's checks
    assert len(list((tmp_path / "cache" / "templates").iterdir())) == 1
    sandboxed = templates._environment.__wrapped__(folder, templates.builtin_template_dir(), frozenset())
    with pytest.raises(LimitError):
        sandboxed.get_template("big.md.j2").render()


def _shout(value: object) -> str:
    return f"{value}!"


def test_a_filter_changed_under_the_same_name_compiles_the_template_again(tmp_path, monkeypatch):
    """Jinja runs a filter on constant arguments while compiling and puts its result in the
    code: a filter whose code changed (deckbuilder upgraded, typography.label edited) under the
    same name must not bring back the result of its old code from the cache."""
    from deckbuilder.render import typography

    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    folder = tmp_path / "ws" / "templates"
    folder.mkdir(parents=True)
    (folder / "label.md.j2").write_text('{{ "why" | label }}', "utf-8")

    def render() -> str:
        env = templates._environment.__wrapped__(folder, templates.builtin_template_dir(), frozenset())
        return env.get_template("label.md.j2").render()

    assert render() == typography.label("why")
    monkeypatch.setattr(typography, "label", _shout)  # the filter's code changed, its name did not
    assert render() == "why!"


@pytest.mark.skipif(not __import__("sys").platform.startswith("linux"), reason="the XDG rule is Linux's")
def test_a_relative_xdg_cache_home_is_ignored_so_the_cache_is_never_the_current_folder(monkeypatch):
    """A relative XDG_CACHE_HOME (invalid by the XDG spec) would put the cache, compiled code
    this process runs, in the current folder: a downloaded workspace could carry it."""
    monkeypatch.delenv(cache.ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", ".")
    cache._platform_dir.cache_clear()
    try:
        assert cache.cache_dir() == Path(os.path.expanduser("~/.cache")) / "deckbuilder"
    finally:
        cache._platform_dir.cache_clear()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
@pytest.mark.parametrize("folder_mode", [0o700, 0o777])
def test_a_cache_entry_that_is_not_a_file_is_a_miss_not_a_hang(tmp_path, monkeypatch, folder_mode):
    """A named pipe at an entry's name (planted in a shared DECKBUILDER_CACHE_DIR by whoever
    can write there: the key of a built-in template is predictable) is never opened to wait
    for a writer: the build would hang."""
    from hangguard import hang_guard

    monkeypatch.setenv(cache.ENV, str(tmp_path))
    (tmp_path / "templates").mkdir(mode=0o700)
    os.mkfifo(tmp_path / "templates" / "entry", 0o600)
    os.chmod(tmp_path / "templates", folder_mode)
    with hang_guard(10):
        assert cache.read("templates", "entry") is None


def test_a_relative_cache_folder_turns_the_cache_off(monkeypatch):
    """It would be the current folder's (a workspace's): what is there would run as template code."""
    monkeypatch.setenv(cache.ENV, "cache-here")
    assert cache.cache_dir() is None
    monkeypatch.delenv(cache.ENV)
    monkeypatch.setattr(cache, "_platform_dir", lambda: Path("~/.cache/deckbuilder"))  # no home to expand '~'
    assert cache.cache_dir() is None


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="no file owners here")
def test_a_cache_file_others_can_read_was_not_written_here_and_is_a_miss(tmp_path, monkeypatch):
    """Every cache file is written 0600 (``cache.write``). A file that others may read arrived
    another way: a folder checked out of a shared repository or unpacked from someone's archive
    (files 0644, owned by whoever unpacked them) that DECKBUILDER_CACHE_DIR names by an
    absolute path. Its compiled code (classes, templates) must never run, so it is a miss."""
    monkeypatch.setenv(cache.ENV, str(tmp_path))
    assert cache.write("classes", "entry", b"code")
    assert cache.read("classes", "entry") == b"code"
    (tmp_path / "classes").chmod(0o755)
    (tmp_path / "classes" / "entry").chmod(0o644)
    assert cache.read("classes", "entry") is None
    (tmp_path / "classes" / "entry").chmod(0o600)
    assert cache.read("classes", "entry") == b"code"


def test_a_flipped_bit_in_a_font_entrys_metrics_is_a_miss(tmp_path, monkeypatch):
    """The font's scalars (ascent, descent, cap height, default width...) are in the entry's JSON
    header, which the checksum of the glyph tables did not cover: one flipped bit in a digit
    of the ascent ('927.7' -> '967.7') still read as JSON and set every line otherwise."""
    monkeypatch.setenv(cache.ENV, str(tmp_path))
    font = fontcache.load_ttfont("CacheCheck", BUNDLED)
    (entry,) = (tmp_path / "fonts").iterdir()
    good = entry.read_bytes()
    at = good.index(b'"ascent"],["n",') + len(b'"ascent"],["n",')
    assert good[at:at + 1].isdigit()
    entry.write_bytes(good[:at] + bytes([good[at] ^ 4]) + good[at + 1:])
    again = fontcache.load_ttfont("CacheCheck", BUNDLED)
    assert again.face.ascent == font.face.ascent
    assert entry.read_bytes() == good  # parsed again and stored again


def test_a_file_of_lines_reads_back_whole_or_not_at_all(tmp_path, monkeypatch):
    """``pack_lines``, written in pieces, reads back as the same lines; a flipped bit, a file cut
    short, another key or another kind is a ValueError, never a part of the lines."""
    monkeypatch.setenv("DECKBUILDER_CACHE_DIR", str(tmp_path / "cache"))
    lines = [b"first", b"", "Жёлудь \u2028".encode(), b"x" * 5000]
    assert cache.write("lines", "k", cache.pack_lines(b"magic\n", "k", lines)) is True
    blob = cache.read("lines", "k")
    assert blob is not None and cache.unpack_lines(b"magic\n", "k", blob) == lines
    assert cache.unpack_lines(b"magic\n", "k", b"".join(cache.pack_lines(b"magic\n", "k", []))) == []
    for bad, magic, key in [(blob[:-1], b"magic\n", "k"), (blob[:-3] + b"y" + blob[-2:], b"magic\n", "k"),
                            (blob, b"magic\n", "other"), (blob, b"other\n", "k")]:
        with pytest.raises(ValueError):
            cache.unpack_lines(magic, key, bad)


def test_a_kind_past_its_limits_loses_the_files_used_least_recently(tmp_path, monkeypatch):
    """Every content edit and every new version adds files: a kind over ``KEEP_FILES`` files
    is cut to three quarters, the least recently used first; what a run reads stays, as does
    the file just written, and a temporary left by a write that never finished goes."""
    import time

    monkeypatch.setenv("DECKBUILDER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("DECKBUILDER_NO_CACHE", raising=False)
    monkeypatch.setattr(cache, "KEEP_FILES", 8)
    folder = tmp_path / "cache" / "kind"
    week_ago = time.time() - 7 * 24 * 3600
    for i in range(8):
        assert cache.write("kind", f"old-{i}", b"x")
        os.utime(folder / f"old-{i}", (week_ago + i, week_ago + i))  # old-0 the least recently written
    assert cache.read("kind", "old-0") == b"x"  # read: marked used today
    left = folder / ".half-written.tmp"
    left.write_bytes(b"x")
    os.utime(left, (week_ago, week_ago))
    fresh = folder / ".being-written.tmp"  # another process writing right now
    fresh.write_bytes(b"x")
    assert cache.write("kind", "new", b"y")  # the ninth file: past the limit, cut to six besides it
    assert sorted(p.name for p in folder.iterdir()) == [".being-written.tmp", "new", "old-0", "old-4", "old-5",
                                                          "old-6", "old-7"]
    assert cache.read("kind", "new") == b"y"


def test_a_kind_past_its_bytes_is_cut_and_a_file_read_today_is_not_marked_again(tmp_path, monkeypatch):
    import time

    monkeypatch.setenv("DECKBUILDER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("DECKBUILDER_NO_CACHE", raising=False)
    monkeypatch.setattr(cache, "KEEP_BYTES", 1000)
    folder = tmp_path / "cache" / "kind"
    hour_ago = time.time() - 3600
    for i in range(4):
        assert cache.write("kind", f"f{i}", bytes(300))
        os.utime(folder / f"f{i}", (hour_ago + i, hour_ago + i))
    assert cache.read("kind", "f0") == bytes(300)
    assert os.stat(folder / "f0").st_mtime == pytest.approx(hour_ago)  # marked at most once a day
    assert cache.write("kind", "f4", bytes(300))  # 1,200 bytes besides it: down to 750, f0 first (read, not marked)
    assert sorted(p.name for p in folder.iterdir()) == ["f2", "f3", "f4"]
