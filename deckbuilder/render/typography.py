"""Line-breaking and typographer's rules for prose, applied to text runs before they are set.

Why here and not in the templates: the rules are about how text breaks into lines, which
no template can see, and they must hold for the user's own templates too.

- A separator that joins two items (`` · ``, `` — ``, `` → ``) is tied to the word before it
  by a no-break space, so it never begins a line; a line that would end with a middle dot
  drops it (``richtext`` does that when drawing), since the line break already separates,
  and a line that would end with an arrow or a dash breaks before the word that carries it.
- A number stays with its unit or the word it counts (``2 days``, ``6 Teams``, ``10K+ images``).
- Section labels are marked by ``label`` (a template filter) and drawn in grey capitals,
  so they can never run into bold text after them.
Curly quotes come from markdown-it's smartquotes rule, which leaves code alone.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"
LABEL_OPEN, LABEL_CLOSE = "\ue000", "\ue001"  # private-use marks around a section label
SEPARATORS = ("·", "—", "→")
DROPPED_AT_LINE_END = "·"  # a middle dot at a line's end says nothing the break does not
JOINERS = (NBSP + "→", NBSP + "—")  # a word ending so is kept with the next word: no line ends on them

_SEPARATOR = re.compile(r" +([·—→])(?= )")
_NUMBER_UNIT = re.compile(r"(?<![\w.])(\d[\d.,]*[%+KkMmBbx×]{0,2}) (?=[A-Za-z%€$£µ°][\w%/°-]{0,14}\b)")
_LABEL = re.compile(f"{LABEL_OPEN}(.*?){LABEL_CLOSE}", re.DOTALL)
URL_BREAK_AFTER = "/.-"


def prose(text: str) -> str:
    """``text`` with no-break spaces where a line must not break (see the module docstring)."""
    if " " not in text:
        return text
    text = _SEPARATOR.sub(lambda m: NBSP + m.group(1), text)
    return _NUMBER_UNIT.sub(lambda m: m.group(1) + NBSP, text)


def label(name: object) -> str:
    """A section label for a card's back (the ``label`` template filter): ``Situation`` -> a
    run drawn in grey capitals. The marks are private-use characters no text contains."""
    return f"{LABEL_OPEN}{str(name).replace('_', ' ').strip()}{LABEL_CLOSE}"


def split_labels(text: str) -> list[tuple[str, bool]]:
    """``text`` as (piece, is_label) pieces, labels in capitals."""
    if LABEL_OPEN not in text:
        return [(text, False)]
    out: list[tuple[str, bool]] = []
    at = 0
    for match in _LABEL.finditer(text):
        if match.start() > at:
            out.append((text[at:match.start()], False))
        out.append((match.group(1).upper(), True))
        at = match.end()
    if at < len(text):
        out.append((text[at:], False))
    return [(piece.replace(LABEL_OPEN, "").replace(LABEL_CLOSE, ""), is_label) for piece, is_label in out]


_LIST_START = re.compile(r"^\s{0,3}(?:[-+*]|\d{1,9}[.)])\s")


def is_markdown_list(text: object) -> bool:
    """Whether a section's text is written as a Markdown list (the ``md_list`` template test):
    such a section prints as a list under its label, not with its first item run in."""
    return bool(_LIST_START.match(str(text or "")))


def url_break(text: str, room_end: int) -> int:
    """Where to cut a word too long for a line (a URL): just after the last ``/``, ``.`` or
    ``-`` before ``room_end``, or at ``room_end`` when there is none."""
    for i in range(room_end - 1, 0, -1):
        if text[i - 1] in URL_BREAK_AFTER:
            return i
    return room_end
