"""Markup that note apps add when they export, undone line by line before anything is read.

Google Docs' Markdown export escapes every punctuation mark it could mean (``\\*\\*Situation:\\*\\*``,
``1\\.``, ``row\\_id``); Obsidian writes titled callouts (``> [!info] Situation`` with the body in
``> `` lines), ``[[wikilinks]]`` and task boxes (``- [ ] question``); bullet journals and Apple Notes
start items with ``•`` (a list item, or a story's title when lines indented under it follow).
Each becomes the plain form the recognisers already read, one line for one line, so reported line numbers stay right.
A callout with no title (``> [!note]`` alone) is a plain quote box and is left as it is.
"""

from __future__ import annotations

import re

_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~>])")
_CALLOUT = re.compile(r"^\s*>\s*\[!\w+\][+-]?\s+(?P<title>\S.*?)\s*$")
_QUOTED = re.compile(r"^\s*>\s?")
_WIKILINK = re.compile(r"\[\[(?:[^\]|]*\|)?([^\]|]+)\]\]")
_BULLET = re.compile(r"^(\s*)[•◦▪‣]\s+")
_TASK_BOX = re.compile(r"^(\s*[-*+]\s+)\[[ xX]\]\s+")


def undo_export_markup(lines: list[str]) -> list[str]:
    """The lines without export escapes, titled callouts' quote marks, wikilinks and task boxes."""
    out: list[str] = []
    in_callout = False
    for number, line in enumerate(lines):
        bullet = _BULLET.match(line)
        if bullet:
            line = _BULLET.sub(r"\1" if _opens_indented(lines, number, len(bullet[1])) else r"\1- ", line, count=1)
        line = _ESCAPED.sub(r"\1", line) if "\\" in line else line
        callout = _CALLOUT.match(line)
        if callout:
            title = callout["title"]
            out.append(title if title.endswith((":", "?")) else title + ":")
            in_callout = True
            continue
        if in_callout and _QUOTED.match(line):
            line = _QUOTED.sub("", line, count=1)
        else:
            in_callout = False
        if "[[" in line:
            line = _WIKILINK.sub(r"\1", line)
        out.append(_TASK_BOX.sub(r"\1", line))
    return out


def _opens_indented(lines: list[str], number: int, indent: int) -> bool:
    """Whether the next line with text is indented deeper than the bullet on line ``number``."""
    following = next((lines[i] for i in range(number + 1, len(lines)) if lines[i].strip()), "")
    return len(following) - len(following.lstrip()) > indent
