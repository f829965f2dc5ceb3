"""Bundled fonts, registered once, with per-character fallback.

reportlab's built-in fonts cover Latin-1 only and it has no automatic fallback: a
character the font lacks is drawn as a box or swapped silently. So every PDF uses the
bundled DejaVu Sans family (embedded and subset), and text runs are split by which
bundled font covers each character: DejaVu Sans first, then Noto Sans Symbols 2, then
Noto Emoji (a monochrome emoji font, so ✅ and ❌ print on a laser printer). Code is set
in DejaVu Sans Mono, with the same fallback for what it lacks (``split_code_runs``).
A character none of them has is looked for in the workspace's ``fonts/`` folder and the
system's fonts (``fallback.py``: Chinese, Japanese, Korean ...); one no font has is left
out, and content checking warns about it.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics

from . import fallback
from .fontcache import load_ttfont
from .reportlab_seam import CMapMaker, format_objects_faster, wrap_to_unicode_cmap

BODY = "Deck"  # DejaVu Sans; reportlab picks the bold/italic faces via the family mapping
BODY_BOLD = "Deck-Bold"
BODY_ITALIC = "Deck-Italic"
BODY_BOLD_ITALIC = "Deck-BoldItalic"
SYMBOLS = "DeckSymbols"
EMOJI = "DeckEmoji"
MONO = "DeckMono"  # DejaVu Sans Mono, for `code` and fenced blocks: columns line up as typed
MONO_BOLD = "DeckMono-Bold"

_FILES = {
    BODY: "DejaVuSans.ttf",
    BODY_BOLD: "DejaVuSans-Bold.ttf",
    BODY_ITALIC: "DejaVuSans-Oblique.ttf",
    BODY_BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
    SYMBOLS: "NotoSansSymbols2-Regular.ttf",
    EMOJI: "NotoEmoji-Regular.ttf",
    MONO: "DejaVuSansMono.ttf",
    MONO_BOLD: "DejaVuSansMono-Bold.ttf",
}
FALLBACK_ORDER = (BODY, SYMBOLS, EMOJI)
BUNDLED = frozenset(_FILES)

# Invisible characters that only steer shaping or emoji presentation: drop them quietly.
_IGNORABLE = {0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, *range(0xFE00, 0xFE10)}


def _utf16_hex(code: int) -> str:
    """A code point as the UTF-16BE hex a ToUnicode CMap needs (a surrogate pair above U+FFFF)."""
    return chr(code).encode("utf-16-be", "surrogatepass").hex().upper()


def _to_unicode_cmap(original: CMapMaker, fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap, with characters above U+FFFF written as surrogate pairs.

    reportlab 5.1 writes every code as ``<%04X>``, so an emoji such as U+1F680 comes out as
    the odd-length ``<1F680>``: viewers then copy and search it as garbage ("Ἰ"). The PDF
    reference wants UTF-16BE there. Same CMap otherwise, so nothing else changes.
    """
    lines = original(fontname, subset).split("\n")
    start = lines.index(f"{len(subset)} beginbfchar") + 1
    lines[start:start + len(subset)] = [f"<{i:02X}> <{_utf16_hex(code)}>" for i, code in enumerate(subset)]
    return "\n".join(lines)


wrap_to_unicode_cmap(_to_unicode_cmap)
format_objects_faster()  # the same bytes as reportlab's own formatting, sooner (reportlab_seam)


def font_dir() -> Path:
    return Path(str(resources.files("deckbuilder").joinpath("fonts")))


# Registered up front: every output uses them. The others are registered on first use
# (``ensure``): reading a TTF costs 5-25 ms of parsing in reportlab (half that from the user's
# cache, fontcache.py), and most decks never set bold italics or need a symbol the body font lacks.
_UP_FRONT = (BODY, BODY_BOLD, BODY_ITALIC)


@cache
def register_fonts() -> None:
    """Register the bundled body fonts with reportlab (once per process)."""
    for name in _UP_FRONT:
        ensure(name)
    for bold in (0, 1):
        for italic in (0, 1):
            face = [[BODY, BODY_ITALIC], [BODY_BOLD, BODY_BOLD_ITALIC]][bold][italic]
            addMapping(BODY, bold, italic, face)
            # The fallback fonts have one face; <b>/<i> around them must not look for another.
            addMapping(SYMBOLS, bold, italic, SYMBOLS)
            addMapping(EMOJI, bold, italic, EMOJI)


@cache
def ensure(name: str) -> str:
    """Register the bundled font ``name`` if it is not yet; returns the name."""
    pdfmetrics.registerFont(load_ttfont(name, font_dir() / _FILES[name]))
    return name


@cache
def _coverage(font_name: str) -> frozenset[int]:
    register_fonts()
    face = pdfmetrics.getFont(ensure(font_name)).face
    return frozenset(face.charToGlyph)


def font_for(char: str) -> str | None:
    """The first bundled font that has ``char``, else a workspace or system font that has
    it (``fallback.font_for``), or None."""
    code = ord(char)
    for name in FALLBACK_ORDER:
        if code in _coverage(name):
            return name
    register_fonts()
    return fallback.font_for(code)


def use_workspace(root: Path | None) -> None:
    """Fonts in ``root/fonts/`` come before the system's for what no bundled font has."""
    fallback.use_workspace(root)


def is_ignorable(char: str) -> bool:
    code = ord(char)
    return code in _IGNORABLE or (code < 0x20 and char not in "\t\n\r")


def uncovered(text: str) -> list[str]:
    """Characters in ``text`` that no bundled font can draw (each listed once)."""
    if _body_chars().issuperset(text):  # the common case, checked at C speed (every text is checked)
        return []
    body = _coverage(BODY)
    missing: list[str] = []
    for char in text:
        if ord(char) in body or char in "\t\n\r" or is_ignorable(char):
            continue
        if font_for(char) is None and char not in missing:
            missing.append(char)
    return missing


def body_covers(text: str) -> bool:
    """Whether the body font has every character of ``text`` (the common case, at C speed)."""
    return _body_chars().issuperset(text)


def bundled_covers(text: str) -> bool:
    """Whether every character of ``text`` is drawn in a bundled font or dropped as invisible:
    what ``uncovered`` says of it then depends on no workspace or system font."""
    if _body_chars().issuperset(text):
        return True
    # each character the body font lacks, once (a text with one emoji asked this of every letter)
    return all(char in "\t\n\r" or is_ignorable(char) or any(ord(char) in _coverage(name) for name in FALLBACK_ORDER)
               for char in set(text).difference(_body_chars()))


@cache
def _body_chars() -> frozenset[str]:
    return frozenset(chr(code) for code in _coverage(BODY))


def split_code_runs(text: str, mono: str) -> list[tuple[str, str]]:
    """``split_runs`` for code: what the monospace font ``mono`` has is set in it; the rest
    (DejaVu Sans Mono has about half of DejaVu Sans's characters) falls back as body text
    does, so nothing in code is dropped that body text would print."""
    cover = _coverage(mono)
    runs: list[tuple[str, str]] = []
    for font, piece in split_runs(text):
        if font != BODY:
            runs.append((font, piece))
            continue
        for char in piece:
            font = mono if ord(char) in cover or char in "\n\t" else BODY
            if runs and runs[-1][0] == font:
                runs[-1] = (font, runs[-1][1] + char)
            else:
                runs.append((font, char))
    return runs


def split_runs(text: str) -> list[tuple[str, str]]:
    """Split text into (font name, run) pieces; characters no font has are dropped."""
    if _body_chars().issuperset(text):  # the common case, checked at C speed
        return [(BODY, text)] if text else []
    body = _coverage(BODY)
    runs: list[tuple[str, str]] = []
    for char in text:
        if ord(char) in body or char in "\n\t":
            font = BODY
        elif is_ignorable(char):
            continue
        else:
            found = font_for(char)
            if found is None:
                continue
            font = found
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + char)
        else:
            runs.append((font, char))
    return runs
