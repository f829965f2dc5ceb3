"""Repairing mojibake in imported notes, one line at a time.

Notes pass through editors and email clients that read UTF-8 bytes as a legacy
encoding and save the result as UTF-8 again: ``→`` becomes ``â†’`` (read as
Windows-1252) or ``‚Üí`` (read as Mac Roman). Each line goes through

1. ftfy, which reverses the Windows-1252 kind well (and some Mac Roman), unless its fix
   would bring in characters notes do not plausibly hold (see ``_believable``);
2. our own reversals of what ftfy leaves: Mac Roman, most of which ftfy does not touch
   (``‚Üí`` stays), and a few Windows-1252 sequences (see ``reverse_windows_1252``).

The reversals work on runs of non-ASCII characters: a run is re-encoded as the legacy
encoding and decoded as UTF-8, one UTF-8 character (2 to 4 bytes) at a time, and a
decoded character is kept only if it is one that such text plausibly held (Latin
letters, punctuation, arrows, symbols, emoji). Correct text stays as it is: ``Łódź``
cannot be encoded as Mac Roman at all, and ``—`` or ``é`` alone are not valid UTF-8
when re-read. What is left alone on purpose: a lone two-byte Windows-1252 sequence that
ftfy finds ambiguous (``Ä…`` may be a word ending in Ä and an ellipsis).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import ftfy
import ftfy.bad_codecs  # noqa: F401 - registers 'sloppy-windows-1252' (undefined bytes kept, as browsers do)
from ftfy import TextFixerConfig

# Only undo wrong decodings: keep curly quotes, ligatures, widths, HTML entities and
# Unicode normalisation exactly as the user wrote them.
_FTFY = TextFixerConfig(
    unescape_html=False, remove_terminal_escapes=False, fix_latin_ligatures=False,
    fix_character_width=False, uncurl_quotes=False, fix_line_breaks=False,
    normalization=None, explain=True,
)
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


WINDOWS_1252, MAC_ROMAN, OTHER = "windows-1252", "mac_roman", "other"


@dataclass
class RepairStats:
    """What the repair did to one file: the lines it changed, by kind of mojibake."""

    by_kind: dict[str, list[int]] = field(default_factory=dict)

    def add(self, kind: str, line: int) -> None:
        self.by_kind.setdefault(kind, []).append(line)

    @property
    def lines(self) -> list[int]:
        return sorted({n for numbers in self.by_kind.values() for n in numbers})


# What Mac Roman mojibake in real notes turns back into, by UTF-8 sequence length.
# Two bytes: Latin-1 punctuation and Latin letters with accents (U+00A0-U+017F). Greek,
# Cyrillic, Hebrew ... are two bytes too, but a *correct* pair such as ``“é`` or ``«é``
# re-reads as one of those, so they are refused. Three bytes: punctuation, arrows,
# symbols, dingbats, CJK punctuation, variation selectors, full-width forms. Four bytes:
# emoji.
_PLAUSIBLE = {
    2: ((0xA0, 0x17F),),
    3: ((0x2000, 0x2BFF), (0x2E00, 0x2E7F), (0x3000, 0x303F), (0xFE00, 0xFE0F), (0xFF00, 0xFFEF)),
    4: ((0x1F000, 0x1FAFF),),
}


def _plausible(char: str, nbytes: int) -> bool:
    """Whether ``char``, decoded from ``nbytes`` of Mac Roman mojibake, is something
    notes contain (see _PLAUSIBLE)."""
    code = ord(char)
    if unicodedata.category(char) in ("Cc", "Cs", "Co", "Cn"):
        return False
    return any(low <= code <= high for low, high in _PLAUSIBLE.get(nbytes, ()))


def _ftfy(line: str) -> tuple[str, list]:
    """ftfy's fix of a line, cut back to the last round of decoding that is believable.

    ftfy decodes again as long as the result still looks like mojibake, and sometimes
    one round too many (``ÃœÂ°`` becomes ``Ü°`` and then Syriac ``ܰ``); or it reads two
    correct characters as mojibake of one (``×‘`` as Hebrew ``ב``)."""
    fixed, steps = ftfy.fix_and_explain(line, _FTFY)
    steps = list(steps or [])
    if fixed == line or _believable(line, fixed):
        return fixed, steps
    cuts = [i + 1 for i, (step, _) in enumerate(steps) if step == "decode" and i + 1 < len(steps)]
    for cut in reversed(cuts):
        try:
            shorter = ftfy.apply_plan(line, [(step[0], step[1]) for step in steps[:cut]])
        except (UnicodeError, ValueError):
            continue
        if shorter != line and _believable(line, shorter):
            return shorter, steps[:cut]
    return line, []


def _believable(line: str, fixed: str) -> bool:
    """Whether a fix brings in only characters notes plausibly hold, or else four or
    more letters of one script: real mojibake of Cyrillic or Greek text comes in whole
    words; a coincidence in correct text gives one or two odd letters, often of mixed
    scripts (``”é»à—é`` read as Mac Roman mojibake gives ``ӎȈю``)."""
    strange = [c for c in fixed if c not in line and ord(c) >= 0x80
               and not any(_plausible(c, n) for n in (2, 3, 4))]
    if not strange:
        return True
    scripts = {unicodedata.name(c, "?").split()[0] for c in strange}
    return len(strange) >= 4 and len(scripts) == 1 and all(unicodedata.category(c).startswith("L") for c in strange)


def _reverse_run(run: str, encoding: str, lengths: tuple[int, ...], two_byte_leads: str | None = None) -> str:
    """Decode every mojibake sequence of ``lengths`` characters inside a run of non-ASCII
    characters, one UTF-8 character at a time, keeping only plausible results."""
    out: list[str] = []
    i = 0
    if two_byte_leads:
        lengths = (*lengths, 2)
    while i < len(run):
        for length in lengths:
            chunk = run[i:i + length]
            if len(chunk) < length or (length == 2 and two_byte_leads and chunk[0] not in two_byte_leads
                                       and not 0x80 <= ord(chunk[1]) <= 0x9F):  # a C1 control is never text
                continue
            try:
                decoded = chunk.encode(encoding).decode("utf-8")
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
            if len(decoded) == 1 and _plausible(decoded, length):
                out.append(decoded)
                i += length
                break
        else:
            out.append(run[i])
            i += 1
    return "".join(out)


def reverse_mac_roman(line: str) -> str:
    """``line`` with UTF-8-read-as-Mac-Roman sequences turned back into their characters."""
    return _NON_ASCII_RUN.sub(lambda m: _reverse_run(m.group(0), "mac_roman", (4, 3, 2)), line)


def reverse_windows_1252(line: str) -> str:
    """UTF-8 sequences read as Windows-1252 that ftfy leaves, such as ``âš\xa0`` for ⚠
    (the no-break space makes ftfy unsure) or a lone ``Â°``. Of the two-byte ones only
    those starting ``Â`` or ``Ã`` (Latin-1 letters and signs), or ending in a C1 control
    character (``Å\x81`` for Ł), are taken; ``Ä…`` for ą is ftfy's call alone, since it
    is too often correct text."""
    return _NON_ASCII_RUN.sub(lambda m: _reverse_run(m.group(0), "sloppy-windows-1252", (4, 3), "ÂÃ"), line)


def _reverse_runs(line: str) -> tuple[str, set[str]]:
    """Both reversals, run by run; where both decode something, the one that explains
    more of the run wins (Mac Roman mojibake can contain a sequence that also reads as
    Windows-1252 mojibake of something else, and the other way round)."""
    kinds: set[str] = set()

    def one(m: re.Match) -> str:
        run = m.group(0)
        mac, win = reverse_mac_roman(run), reverse_windows_1252(run)
        if mac == run and win == run:
            return run
        if win != run and (mac == run or len(win) < len(mac)):
            kinds.add(WINDOWS_1252)
            return win
        kinds.add(MAC_ROMAN)
        return mac

    return _NON_ASCII_RUN.sub(one, line), kinds


def repair_line(line: str) -> tuple[str, str | None]:
    """The repaired line and the kind of mojibake it had (None when it was fine).

    The kind is MAC_ROMAN when either ftfy or our reversal decoded Mac Roman,
    WINDOWS_1252 when ftfy decoded that, its sloppy variant or Latin-1 (the same bytes
    for accented letters), OTHER for anything else ftfy fixed.
    """
    if line.isascii():
        return line, None
    fixed, steps = _ftfy(line)
    kind = None
    if fixed != line:
        encodings = {arg for step, arg in (steps or []) if step == "encode"}
        kind = MAC_ROMAN if "macroman" in encodings else (
            WINDOWS_1252 if any("windows-1252" in e or e == "latin-1" for e in encodings) else OTHER)
    reversed_, kinds = _reverse_runs(fixed)
    if kinds:
        kind = MAC_ROMAN if MAC_ROMAN in kinds else WINDOWS_1252
    return reversed_, kind


def repair_lines(lines: list[str]) -> tuple[list[str], RepairStats]:
    """Repair every line; line numbers in the stats are 1-based."""
    stats = RepairStats()
    out = []
    for number, line in enumerate(lines, start=1):
        fixed, kind = repair_line(line)
        if kind:
            stats.add(kind, number)
        out.append(fixed)
    return out, stats


def decode_bytes(raw: bytes) -> str:
    """Notes as text (see ``decode_notes``)."""
    return decode_notes(raw)[0]


def decode_notes(raw: bytes) -> tuple[str, list[int]]:
    """Notes as text, and the (1-based) lines that were not UTF-8.

    UTF-8 (with or without BOM) as a whole when it is; else line by line, so that one
    stray byte (a Windows-1252 apostrophe pasted into a UTF-8 file) spoils one line, not
    the file: each line is UTF-8 when it decodes as such, else Windows-1252, else Mac Roman.
    """
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    lines: list[str] = []
    legacy: list[int] = []
    for number, chunk in enumerate(raw.split(b"\n"), start=1):
        try:
            lines.append(chunk.decode("utf-8"))
            continue
        except UnicodeDecodeError:
            legacy.append(number)
        try:
            lines.append(chunk.decode("cp1252"))
        except UnicodeDecodeError:
            lines.append(chunk.decode("mac_roman"))
    return "\n".join(lines), legacy
