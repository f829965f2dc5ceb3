"""Repairing mojibake in imported notes, one line at a time.

Notes pass through editors and email clients that read UTF-8 bytes as a legacy
encoding and save the result as UTF-8 again: ``→`` becomes ``â†’`` (read as
Windows-1252) or ``‚Üí`` (read as Mac Roman). ftfy reverses the Windows-1252 kind
well but leaves the Mac Roman kind alone, so each line goes through ftfy first and then
through a Mac Roman reversal of its own.

The reversal works on runs of non-ASCII characters: a run is re-encoded as Mac Roman
and decoded as UTF-8, one UTF-8 character (2 to 4 bytes) at a time, and a decoded
character is kept only if it is one that such text plausibly held (Latin letters,
punctuation, arrows, symbols, emoji). Correct text stays as it is: ``Łódź`` cannot be
encoded as Mac Roman at all, and ``—`` or ``é`` alone are not valid UTF-8 when re-read.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import ftfy
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


def _plausible(char: str, nbytes: int) -> bool:
    """Whether ``char``, decoded from ``nbytes`` of mojibake, is something notes contain.

    Two-byte UTF-8 covers Greek, Cyrillic, Hebrew ... too, but a *correct* pair such as
    ``“é`` re-reads as a Cyrillic letter; Mac Roman mojibake of two bytes in real notes
    is an accented Latin letter or Latin-1 punctuation, so only those are accepted.
    """
    code = ord(char)
    category = unicodedata.category(char)
    if category in ("Cc", "Cs", "Co", "Cn"):
        return False
    if nbytes == 2:
        return 0xA0 <= code <= 0x24F
    return True


def _reverse_mac_roman_run(run: str) -> str:
    """Decode every Mac Roman mojibake sequence inside a run of non-ASCII characters."""
    out: list[str] = []
    i = 0
    while i < len(run):
        for length in (4, 3, 2):
            chunk = run[i:i + length]
            if len(chunk) < length:
                continue
            try:
                decoded = chunk.encode("mac_roman").decode("utf-8")
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
    return _NON_ASCII_RUN.sub(lambda m: _reverse_mac_roman_run(m.group(0)), line)


def repair_line(line: str) -> tuple[str, str | None]:
    """The repaired line and the kind of mojibake it had (None when it was fine).

    The kind is MAC_ROMAN when either ftfy or our reversal decoded Mac Roman,
    WINDOWS_1252 when ftfy decoded that, its sloppy variant or Latin-1 (the same bytes
    for accented letters), OTHER for anything else ftfy fixed.
    """
    if line.isascii():
        return line, None
    fixed, steps = ftfy.fix_and_explain(line, _FTFY)
    kind = None
    if fixed != line:
        encodings = {arg for step, arg in (steps or []) if step == "encode"}
        kind = MAC_ROMAN if "macroman" in encodings else (
            WINDOWS_1252 if any("windows-1252" in e or e == "latin-1" for e in encodings) else OTHER)
    reversed_ = reverse_mac_roman(fixed)
    if reversed_ != fixed:
        kind = MAC_ROMAN
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
    """Notes as text: UTF-8 (with or without BOM), else Windows-1252, else Mac Roman."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("mac_roman")
