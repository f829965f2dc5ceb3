"""Fonts beyond the bundled ones, for characters none of them has (Chinese, Japanese,
Korean, and other scripts DejaVu lacks).

Looked for in this order, each only when a character needs it:

1. the workspace's ``fonts/`` folder (``.ttf``, ``.ttc``, ``.otf`` files, in name order);
   a file that resolves outside the workspace (a link leading out) is not read;
2. the system's fonts: fontconfig's best match for the character where it exists (Linux,
   BSD), then the other fonts it lists as having it, in its order of preference
   (``_system_candidates``); else the usual folders on macOS and Windows.

Only fonts with TrueType outlines are used (reportlab cannot embed PostScript/CFF outlines);
like the bundled fonts they are embedded and subset. A character that no font covers is
left out of the PDFs, and ``check`` names it (``missing_hint`` says what to install).
"""

from __future__ import annotations

import os
import shutil
import sys
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError

from .fontcache import load_ttfont

FONT_SUFFIXES = (".ttf", ".ttc", ".otf")
MAX_FACES = 8  # faces read from one .ttc collection
_FOLDERS = {
    "darwin": ("/System/Library/Fonts", "/Library/Fonts", "~/Library/Fonts"),
    "win32": (os.path.join(os.environ.get("WINDIR", r"C:\Windows"), "Fonts"),
              os.path.join(os.environ.get("LOCALAPPDATA", ""), r"Microsoft\Windows\Fonts")),
}


@dataclass(frozen=True)
class Fallback:
    name: str  # as registered with reportlab
    path: Path
    coverage: frozenset[int]


class _State:
    """The fonts read so far: the workspace's (all, read on first need) and the system's
    (one at a time, as characters ask for them)."""

    def __init__(self) -> None:
        self.workspace: Path | None = None
        self.workspace_fonts: list[Fallback] | None = None
        self.system_fonts: list[Fallback] = []
        self.asked: dict[int, str | None] = {}  # code point -> font name (None: nothing has it)


_state = _State()
_registered: dict[tuple[str, int], Fallback | None] = {}  # process-wide: reportlab registers a name once


def use_workspace(root: Path | None) -> None:
    """The workspace whose ``fonts/`` folder comes first (None: system fonts only). Called as
    each build reads its content: fontconfig's list is read again if the build needs it, and
    fontconfig is asked again after it failed. What a character was found in, or that no font
    has it, stays for the process: ``watch`` keeps faces set and drawn with it, which must
    agree with its warnings (a font added while it runs is used once it is started again)."""
    global _listing, _fontconfig_failed
    _listing, _fontconfig_failed = None, False
    resolved = root.resolve() if root is not None else None
    if resolved != _state.workspace:
        system = _state.system_fonts
        _state.__init__()  # type: ignore[misc]
        _state.workspace = resolved
        _state.system_fonts = system  # system fonts do not depend on the workspace


def font_for(code: int) -> str | None:
    """The name of a fallback font that has ``code``, registering it on first use; None
    when no font on this machine has it."""
    if code in _state.asked:
        return _state.asked[code]
    found = None
    for font in _workspace_fonts() + _state.system_fonts:
        if code in font.coverage:
            found = font.name
            break
    if found is None:
        found = _new_system_font(code)
    _state.asked[code] = found
    return found


def _workspace_fonts() -> list[Fallback]:
    if _state.workspace_fonts is None:
        _state.workspace_fonts = []
        root = _state.workspace
        folder = root / "fonts" if root is not None else None
        if folder is not None and folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.suffix.lower() not in FONT_SUFFIXES:
                    continue
                real = path.resolve()
                if root is None or not real.is_relative_to(root) or not real.is_file():
                    continue  # a link out of the workspace is never read
                _state.workspace_fonts += _faces(real)
    return _state.workspace_fonts


def _new_system_font(code: int) -> str | None:
    for path, index in _system_candidates(code):
        if not _truetype_outlines(path, index):
            continue
        font = _load(path, index)
        if font is not None and font not in _state.system_fonts:
            _state.system_fonts.append(font)
        if font is not None and code in font.coverage:
            return font.name
    return None


def _system_candidates(code: int) -> Iterator[tuple[Path, int]]:
    """Font files that may have ``code``, best first. With fontconfig: its best match for the
    character, one ``fc-match`` (a text in Chinese asks once: the font found has the rest);
    when that font cannot be used (it lacks the character, or has CFF outlines, which
    reportlab cannot embed), every font fontconfig lists as having it, in its order of
    preference, and from then on the list alone, read once a build: a text in a script no
    font has asked fontconfig once for every character. Without fontconfig, every font in the
    usual folders (read once each; ``_load`` remembers them)."""
    fc = shutil.which("fc-match")
    if fc is None:
        yield from _folder_fonts()
        return
    global _fontconfig_failed
    if _fontconfig_failed:  # it failed (timed out, say) this build: not once more a character
        return
    tried: list[tuple[Path, int]] = []
    if not _listing:  # not read yet, or fontconfig listed nothing: its best match, as ever
        best = _fc_match(fc, "-f", "%{file}|%{index}\n", f":charset={code:x}")
        if not best:
            _fontconfig_failed = True
            return
        for line in best.splitlines():
            file, _, face = line.rpartition("|")
            if (entry := _font_file(file, face)) is not None:
                tried.append(entry)
                yield entry
    listing = _fontconfig_listing(fc)
    if not _anyone_has(listing, code):  # most of what is asked here: a character no font has
        return
    for path, index, charset in listing:
        if charset.has(code) and (path, index) not in tried:
            yield path, index


def _font_file(file: str, index: str) -> tuple[Path, int] | None:
    """A font file and face as fontconfig names them, or None for what is not a font file we read."""
    return (Path(file), int(index)) if file and Path(file).suffix.lower() in FONT_SUFFIXES and index.isdigit() else None


def _folder_fonts() -> Iterator[tuple[Path, int]]:
    folders = _FOLDERS.get(sys.platform, ("/usr/share/fonts", "/usr/local/share/fonts", "~/.fonts"))
    for folder in folders:
        base = Path(folder).expanduser()
        if base.is_dir():
            yield from ((p, -1) for p in sorted(base.rglob("*")) if p.suffix.lower() in FONT_SUFFIXES)


def _fc_match(fc: str, *args: str) -> str:
    """What ``fc-match ARGS`` prints, file names decoded as the file system's (a font file
    named in another encoding is listed as any other); nothing when it fails."""
    import subprocess  # only for a character no bundled font has

    try:
        done = subprocess.run([fc, *args], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return os.fsdecode(done.stdout) if done.returncode == 0 else ""


_OUTLINES: dict[tuple[Path, int], bool] = {}
_TRUETYPE = (b"\x00\x01\x00\x00", b"true")  # an sfnt's version for TrueType outlines ("OTTO": CFF)


def _truetype_outlines(path: Path, index: int) -> bool:
    """Whether face ``index`` (-1: the first) of the font file may have TrueType outlines, from
    its first bytes: reportlab reads a whole file before it finds CFF outlines it cannot embed,
    and Debian's Noto CJK is a few files of 20 MB holding ten CFF faces each, all of which
    fontconfig lists for every Chinese character. Unsure (a read that fails): True, and
    ``_load`` decides."""
    key = (path, max(index, 0))
    if key not in _OUTLINES:
        try:
            with open(path, "rb") as file:
                head = file.read(12)
                if head[:4] == b"ttcf" and len(head) == 12:
                    count = int.from_bytes(head[8:12], "big")
                    if key[1] >= count:
                        _OUTLINES[key] = False
                        return False
                    file.seek(12 + 4 * key[1])
                    file.seek(int.from_bytes(file.read(4), "big"))
                    head = file.read(4)
            _OUTLINES[key] = head[:4] in _TRUETYPE
        except (OSError, ValueError):
            _OUTLINES[key] = True
    return _OUTLINES[key]


class Charset:
    """A font's characters as fontconfig prints them ("20-7e a0-17f 2c7"), read on first use:
    a machine has hundreds of fonts and a lookup usually stops at the first few."""

    def __init__(self, text: str) -> None:
        self._text: str | None = text
        self._lows: list[int] = []
        self._highs: list[int] = []

    def ranges(self) -> list[tuple[int, int]]:
        """The (first, last) code points of each range, in order."""
        self._read()
        return list(zip(self._lows, self._highs))

    def has(self, code: int) -> bool:
        self._read()
        at = bisect_right(self._lows, code) - 1
        return at >= 0 and code <= self._highs[at]

    def _read(self) -> None:
        if self._text is None:
            return
        for part in self._text.split():
            low, _, high = part.partition("-")
            try:
                first, last = int(low, 16), int(high or low, 16)
            except ValueError:
                continue  # not a range: fontconfig's format changed; this part is skipped
            self._lows.append(first)
            self._highs.append(last)
        self._text = None


def _union(charsets: list[Charset]) -> Charset:
    """One charset with every character any of ``charsets`` has."""
    merged: list[tuple[int, int]] = []
    for first, last in sorted(r for charset in charsets for r in charset.ranges()):
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return Charset(" ".join(f"{first:x}-{last:x}" for first, last in merged))


_listing: list[tuple[Path, int, Charset]] | None = None  # ``_fontconfig_listing``'s, once read
_fontconfig_failed = False  # fc-match gave nothing for a best match: not asked again until the next build
_everything: tuple[list[tuple[Path, int, Charset]], Charset] | None = None  # the listing and its ``_union``


def _anyone_has(listing: list[tuple[Path, int, Charset]], code: int) -> bool:
    """Whether any font of ``listing`` has ``code``: one lookup in their union rather than one
    per font for every character no font has (2,775 fonts and 500 such characters: 1.4 million)."""
    global _everything
    if _everything is None or _everything[0] is not listing:
        _everything = (listing, _union(list({id(charset): charset for _, _, charset in listing}.values())))
    return _everything[1].has(code)


def _fontconfig_listing(fc: str) -> list[tuple[Path, int, Charset]]:
    """Every font fontconfig knows, in its order of preference, with its characters: one
    ``fc-match`` until the next build (``use_workspace``)."""
    global _listing
    if _listing is None:
        # -s: sorted by preference; -a: untrimmed, so a TrueType font is still listed after a
        # CFF one with the same characters. A file's name may hold '|': split from the right.
        listing = []
        charsets: dict[str, Charset] = {}  # one a distinct charset (a family's faces share theirs): read once
        for line in _fc_match(fc, "-s", "-a", "-f", "%{file}|%{index}|%{charset}\n").splitlines():
            file, index, text = (line.rsplit("|", 2) + ["", ""])[:3]
            if (entry := _font_file(file, index)) is not None:
                if text not in charsets:
                    charsets[text] = Charset(text)
                listing.append((*entry, charsets[text]))
        _listing = listing  # empty when fontconfig failed: each character then asks for its best match
    return _listing


def _faces(path: Path) -> list[Fallback]:
    """Every usable face of a font file (a .ttc holds several)."""
    if path.suffix.lower() != ".ttc":
        font = _load(path, 0)
        return [font] if font else []
    faces = []
    for index in range(MAX_FACES):
        try:
            font = _load(path, index, quiet=False)
        except TTFError:
            break
        if font:
            faces.append(font)
    return faces


def _load(path: Path, index: int, quiet: bool = True) -> Fallback | None:
    """Register one face with reportlab; None when it cannot be embedded (PostScript outlines,
    a damaged file). ``index`` -1: the first face of whatever the file is."""
    index = max(index, 0)
    key = (str(path), index)
    if key in _registered:
        return _registered[key]
    name = f"DeckFallback{len(_registered)}"
    try:
        font = load_ttfont(name, path, subfont_index=index)
    except (TTFError, OSError, ValueError, KeyError, IndexError) as exc:
        if not quiet and isinstance(exc, TTFError) and index:
            raise
        _registered[key] = None
        return None
    pdfmetrics.registerFont(font)
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(name, bold, italic, name)  # one face: <b>/<i> around it must not look for another
    fallback = Fallback(name, path, frozenset(font.face.charToGlyph))
    _registered[key] = fallback
    return fallback


# Free fonts that cover each script, to name in the warning about a character nothing has.
_SCRIPTS = (
    ((0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7AF), "Korean"),
    ((0x3040, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9F), "Japanese"),
    ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), "Chinese"),
)
CJK_FONT_HINT = ("install a free CJK font with TrueType outlines (Debian/Ubuntu: apt-get install fonts-wqy-microhei; "
                 "or WenQuanYi Micro Hei / Noto Sans CJK from their sites), or put its .ttf/.ttc file in the "
                 "workspace's fonts/ folder")


def is_cjk(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for *ranges, _ in _SCRIPTS for low, high in ranges) or 0x3000 <= code <= 0x303F


def missing_hint(chars: list[str]) -> str:
    """What to do about characters no font has: for CJK, a free font to install."""
    if any(is_cjk(c) for c in chars):
        return CJK_FONT_HINT
    return ("replace it with a plain character, put a font that has it (.ttf) in the workspace's fonts/ folder, "
            "or leave it if you do not need it printed")
