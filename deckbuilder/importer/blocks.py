"""Splitting notes into lines, blocks and a tree of heading sections.

Everything after this step works on these three shapes, never on raw text:

- a ``Line`` knows its number in the notes file and what it looks like (heading, rule,
  blank, text or code), with blockquote markers (``> ``) and Obsidian callout markers
  (``> [!important]``) already taken off, since notes use them as decoration;
- a ``Block`` is a heading line, a rule, or a run of text lines between blank lines
  (a fenced code block is one block however many blank lines it holds);
- a ``Section`` is a heading with the blocks under it and its sub-sections. A heading
  written as a list item (``- #### Tell me about ...``) is a heading too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .storylines import is_table_row, row_as_label

_QUOTE = re.compile(r"^\s*(?:>\s?)+")
_CALLOUT = re.compile(r"^\s*\[![A-Za-z-]+\][+-]?\s*$")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_LIST_HEADING = re.compile(r"^\s*[-*+]\s+(#{1,6})\s+(.*?)\s*#*\s*$")
_EMPTY_HEADING = re.compile(r"^\s*(?:[-*+]\s+)?#{1,6}\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
_EMPTY_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
# HTML that notes exported from web editors carry: a line of only &nbsp; or <br> separates
# (a rule), a <br> at the end of a line is a line end, an &nbsp; inside a line a space.
_HTML_SEPARATOR = re.compile(r"^(?:&nbsp;|<br ?/?>|\s)+$", re.IGNORECASE)
_TRAILING_BR = re.compile(r"(?:<br ?/?>\s*)+$", re.IGNORECASE)
# "=== Story A: title" (a plain-text heading)
# GitHub's collapsible sections: <details> opens and closes a story, <summary> is its title.
_DETAILS = re.compile(r"^\s*</?details\b[^>]*>\s*$", re.IGNORECASE)
_SUMMARY = re.compile(r"^\s*<summary>\s*(?P<title>.*?)\s*</summary>\s*$", re.IGNORECASE)
# Notes saved as HTML: <h1>-<h6> are headings, <b>/<strong> bold, <i>/<em> italics; <p> and
# the like only wrap lines.
_HTML_HEADING = re.compile(r"^\s*<h(?P<level>[1-6])[^>]*>(?P<title>.*?)</h[1-6]>\s*$", re.IGNORECASE)
_HTML_BOLD = re.compile(r"</?(?:b|strong)>", re.IGNORECASE)
_HTML_ITALIC = re.compile(r"</?(?:i|em)>", re.IGNORECASE)
_HTML_WRAP = re.compile(r"</?(?:p|div|span|li|ul|ol)(?:\s[^>]*)?>", re.IGNORECASE)
_EQUALS_HEADING = re.compile(r"^\s*={2,}\s+(?P<title>[^=\s].*?)\s*=*\s*$")


@dataclass(frozen=True)
class Line:
    number: int  # 1-based, in the notes file
    text: str  # without blockquote markers
    kind: str  # "heading", "rule", "blank", "text", "code"
    level: int = 0  # heading level
    title: str = ""  # heading text


@dataclass
class Block:
    kind: str  # "heading", "rule", "text", "code"
    lines: list[Line]

    @property
    def start(self) -> int:
        return self.lines[0].number

    @property
    def end(self) -> int:
        return self.lines[-1].number


@dataclass
class Section:
    heading: Line | None  # None for the part of the file before the first heading
    level: int
    body: list[Block] = field(default_factory=list)  # blocks before the first sub-section
    children: list[Section] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.heading.title if self.heading else ""

    @property
    def start(self) -> int:
        if self.heading:
            return self.heading.number
        return self.body[0].start if self.body else (self.children[0].start if self.children else 1)

    @property
    def end(self) -> int:
        if self.children:
            return self.children[-1].end
        if self.body:
            return self.body[-1].end
        return self.start

    def has_text(self) -> bool:
        return any(block.kind in ("text", "code") for block in self.body)


def classify(number: int, raw: str, in_code: bool) -> tuple[Line, bool]:
    """One line of notes as a Line, and whether a code fence is open after it."""
    text = raw.rstrip().replace("\t", "    ")
    if _FENCE.match(text):
        return Line(number, text, "code"), not in_code
    if in_code:
        return Line(number, text, "code"), True
    text = _QUOTE.sub("", text)
    if text.strip() and (_HTML_SEPARATOR.match(text) or _DETAILS.match(text)):
        return Line(number, text, "rule"), False
    m = _SUMMARY.match(text)
    if m:
        text = f"**{m.group('title')}**" if m.group("title") else ""
    if "<" in text:
        heading = _HTML_HEADING.match(text)
        if heading:
            title = _HTML_WRAP.sub("", heading.group("title"))
            return Line(number, text, "heading", int(heading.group("level")), title), False
        text = _HTML_ITALIC.sub("*", _HTML_BOLD.sub("**", _HTML_WRAP.sub("", text)))
    if "<br" in text.lower():
        text = _TRAILING_BR.sub("", text).rstrip()
    text = text.replace("&nbsp;", " ")
    m = _EQUALS_HEADING.match(text)
    if m:
        return Line(number, text, "heading", 3, m.group("title")), False
    if not text.strip() or _CALLOUT.match(text) or _EMPTY_ITEM.match(text) or _EMPTY_HEADING.match(text):
        return Line(number, "", "blank"), False
    m = _HEADING.match(text) or _LIST_HEADING.match(text)
    if m:
        title = re.sub(r"^[-*+]\s+", "", m.group(2)).strip()  # "- #### - Tell me ..." as some notes have
        return Line(number, text, "heading", len(m.group(1)), title), False
    if _RULE.match(text):
        return Line(number, text, "rule"), False
    return Line(number, text, "text"), False


def split_lines(lines: list[str]) -> list[Line]:
    out, in_code = [], False
    for number, raw in enumerate(tabs_as_table(lines), start=1):
        line, in_code = classify(number, raw, in_code)
        out.append(line)
    return label_rows(setext(out))


def tabs_as_table(lines: list[str]) -> list[str]:
    """Rows pasted from a spreadsheet (two or more lines with the same number of tabs) as a
    Markdown table, header row and separator included (the separator takes no line of its
    own: it is written after the header on the same line number's text)."""
    out = list(lines)
    i = 0
    while i < len(out):
        tabs = out[i].count("\t")
        j = i
        while j < len(out) and tabs and out[j].count("\t") == tabs and not out[j].lstrip().startswith(("|", "```")):
            j += 1
        if j - i >= 2:
            for k in range(i, j):
                out[k] = "| " + " | ".join(cell.strip() for cell in out[k].split("\t")) + " |"
            out[i] = out[i] + "\x00"  # a header: read_table needs no separator row after it
            i = j
        else:
            i += 1
    return out


_SETEXT = re.compile(r"^\s{0,3}=+\s*$")


def setext(lines: list[Line]) -> list[Line]:
    """A line underlined with ``===`` is a heading (a line over ``---`` stays a rule:
    notes use it between stories far more often than as a heading)."""
    out = list(lines)
    for i in range(1, len(out)):
        if out[i].kind == "text" and _SETEXT.match(out[i].text) and out[i - 1].kind == "text":
            prev = out[i - 1]
            out[i - 1] = Line(prev.number, f"# {prev.text.strip()}", "heading", 1, prev.text.strip())
            out[i] = Line(out[i].number, "", "blank")
    return out


def label_rows(lines: list[Line]) -> list[Line]:
    """A story written as a table, one row per section (``| **Situation** | text |``), as
    the labelled lines it stands for (``Situation: text``); its header and separator rows
    become blank. Other tables stay as they are."""
    out = list(lines)
    i = 0
    while i < len(out):
        if out[i].kind != "text" or not is_table_row(out[i].text):
            i += 1
            continue
        j = i
        while j < len(out) and out[j].kind == "text" and is_table_row(out[j].text):
            j += 1
        labels = [row_as_label(line.text) for line in out[i:j]]
        if sum(1 for label in labels if label) >= 2:
            for k, label in enumerate(labels):
                line = out[i + k]
                out[i + k] = Line(line.number, label, "text") if label else Line(line.number, "", "blank")
        i = j
    return out


def split_blocks(lines: list[Line]) -> list[Block]:
    """Headings and rules alone; text and code runs up to the next blank line or heading."""
    blocks: list[Block] = []
    current: list[Line] = []

    def flush() -> None:
        if current:
            kind = "code" if all(line.kind == "code" for line in current) else "text"
            blocks.append(Block(kind, list(current)))
            current.clear()

    for line in lines:
        if line.kind == "code":
            if current and current[-1].kind != "code":
                flush()
            current.append(line)
        elif line.kind in ("heading", "rule"):
            flush()
            blocks.append(Block(line.kind, [line]))
        elif line.kind == "blank":
            flush()
        else:
            if current and current[-1].kind == "code":
                flush()
            current.append(line)
    flush()
    return blocks


def build_tree(blocks: list[Block]) -> Section:
    """Nest sections by heading level; the root holds what comes before any heading."""
    root = Section(None, 0)
    stack = [root]
    for block in blocks:
        if block.kind == "heading":
            line = block.lines[0]
            while stack[-1].level >= line.level:
                stack.pop()
            section = Section(line, line.level)
            stack[-1].children.append(section)
            stack.append(section)
        else:  # the deepest open section is always the latest heading, so it has no sub-sections yet
            stack[-1].body.append(block)
    return root


def parse_tree(lines: list[str]) -> Section:
    return build_tree(split_blocks(split_lines(lines)))
