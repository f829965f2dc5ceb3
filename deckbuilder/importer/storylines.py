"""Recognisers for stories written without a heading of their own: their title lines,
their tag lines, the stub of a story named in one line, and tables.

Notes often give each story a bold line (``**Checkout latency**``), a numbered item
(``1) search relevance regression``) or a short plain line followed by its tags, and
write its tags on a line of their own (``Best for: Dive Deep, Ownership``, ``LPs: ...``,
``#ownership #dive-deep``, or just ``Customer Obsession, Dive Deep``). These functions
say what a line is; ``parse`` decides where it goes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .recognise import section_label, section_word
from .tags import TagMatcher
from .text import clean_title, is_list_item, strip_markup

# ---------------------------------------------------------------- tag lines

_TAG_LINE = re.compile(  # matched against the stripped line
    r"^(?:[-*+] +)?(?:\*\*|__|\*|_)?(?:best for|good for|use for|lps?|leadership principles?|"
    r"principles?|tags?|tagged|themes?|covers)(?: (?:covered|used|shown|demonstrated|hit|tested))?"
    r"(?:\*\*|__|\*|_)? ?[:：][\s*_:：]*(?P<rest>\S.*)$",
    re.IGNORECASE)
_HASHTAG = re.compile(r"#([^\W\d_][\w'’-]*)")


@dataclass
class Tags:
    principles: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    frameworks: list[str] = field(default_factory=list)

    def add(self, other: Tags) -> None:
        self.principles += [p for p in other.principles if p not in self.principles]
        self.unknown += [u for u in other.unknown if u not in self.unknown]
        self.frameworks += [f for f in other.frameworks if f not in self.frameworks]

    def __bool__(self) -> bool:
        return bool(self.principles or self.unknown)


def hashtags(text: str, tags: TagMatcher) -> Tags | None:
    """``#ownership #dive-deep``: a line of hashtags only, as tags."""
    words = text.split()
    if not words or not all(_HASHTAG.fullmatch(w) for w in words):
        return None
    found = Tags()
    for word in words:
        written = word[1:].replace("-", " ").replace("_", " ")
        name = tags.match(written)
        if name and name not in found.principles:
            found.principles.append(name)
        elif not name:
            found.unknown.append(word)
    return found if found.principles else None


def tag_line(text: str, tags: TagMatcher) -> Tags | None:
    """A line that only gives a story's principles: ``Best for: A, B``, ``LPs: A / B``,
    ``Tags: A``, ``#a #b``, or the names alone (``Customer Obsession, Dive Deep``)."""
    stripped = strip_markup(text.strip()).strip("_")  # _Ownership, Dive Deep_
    if not stripped or len(stripped) > 160:
        return None
    m = _TAG_LINE.match(" ".join(text.split()))
    if m:
        rest = strip_markup(m.group("rest")).strip(" []().")
        found = hashtags(rest, tags)
        if found:
            return found
        principles, frameworks, unknown = tags.split_tag_group(rest)
        return Tags(principles, unknown, frameworks) if principles or unknown else None
    found = hashtags(stripped, tags)
    if found:
        return found
    if is_list_item(text) or section_label(text) or stripped.endswith((".", "?", "？", "。")):
        return None
    if len(stripped) > 100 or len(stripped.split()) > 12:  # a sentence, not a list of names
        return None
    body = stripped.strip(" []()")
    principles, frameworks, unknown = tags.split_tag_group(body)
    if principles and not unknown and all(tags.matcher.match(part) or tags.match(part, 4)
                                          for part in re.split(r"\s*[,|/;]\s*", body) if part):
        return Tags(principles, [], frameworks)
    return None


# ---------------------------------------------------------------- titles of stories

_BOLD_TITLE = re.compile(r"^\s{0,3}(?:(?P<num>\d+[.)]|[-*+])\s+)?(?:\*\*|__)(?P<title>[^*_\s][^*]*?)(?:\*\*|__)"
                         r"(?P<after>.*)$")
_NUMBERED = re.compile(r"^\s?(?P<num>\d+[.)])\s+(?P<title>[^\s].{2,90})$")
# What may follow a bold title on its line: tag groups, a dash and tags, hashtags, <br>. Written so
# that a line is split into these parts one way only (no backtracking blow-up on long lines).
_AFTER_PART = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|[—–-]\s+[^—–\-(\[#<]*[^—–\-(\[#<\s]|#[\w-]+|<br\s*/?>")


def _only_tags_after(after: str) -> bool:
    """Whether the text after a bold title holds only tag groups, a dash and tags, hashtags or
    <br>: taken part by part from the left, each part the longest (linear: no backtracking)."""
    i = 0
    while True:
        while i < len(after) and after[i].isspace():
            i += 1
        if i == len(after):
            return True
        m = _AFTER_PART.match(after, i)
        if not m:
            return False
        i = m.end()
_STORY_PREFIX = re.compile(r"^(?:story|example)\s*(?:\d+|[A-Z](?=\s*[:.\-–—]))?\s*[:.\-–—]\s*|^\d+[.)]\s+"
                           r"|^(?:故事|例|ストーリー|사례|이야기)\s*[\d一二三四五六七八九十]*\s*[:：.、]\s*",
                           re.IGNORECASE)


def story_title(title: str) -> str:
    """A story's title without ``Story 2 –``, ``Story:`` or a list number in front."""
    return _STORY_PREFIX.sub("", clean_title(title), count=1).strip() or clean_title(title)


def title_line(text: str) -> str | None:
    """The title of a story led by this line, as written (tags included), or None: a bold
    line (``**Checkout latency**``, ``**Story 1 – X** (Ownership)``, ``1. **X** (A / B)``)
    or a numbered line (``1) search relevance regression``). A bold line ending in a colon
    is a group label, and a framework label (``**Situation**:``) is not a title."""
    if section_label(text):
        return None
    m = _BOLD_TITLE.match(text)
    if m and _only_tags_after(m.group("after")):
        title = m.group("title").strip()
        if title.endswith((":", "：")) or m.group("after").strip().startswith((":", "：")):
            return None
        return (title + " " + m.group("after").replace("<br>", "").strip()).strip()
    m = _NUMBERED.match(text)
    if m and not m.group("title").rstrip().endswith((".", "?", "？", "。", ":")) and len(m.group("title")) <= 90:
        return m.group("title").strip()
    return None


def plain_title(text: str, following: str | None, tags: TagMatcher) -> str | None:
    """A short plain line followed by a tag line or a framework label (``Kafka consumer lag
    incident`` over ``Best for: Dive Deep``): the title of the story below it."""
    stripped = text.strip()
    if (not stripped or following is None or is_list_item(text) or len(stripped) > 90
            or stripped.endswith((".", "?", ":", "。", "？")) or section_label(text) or tag_line(text, tags)):
        return None
    if tag_line(following, tags) or section_label(following):
        return stripped
    return None


# ---------------------------------------------------------------- a story named in one line

_STUB = re.compile(r"^\s*(?:--+|—|–|(?:[-*+]\s+)?(?:\*\*|__)?(?:my\s+)?story(?:\*\*|__)?\s*[:：](?:\*\*|__)?)\s*"
                   r"(?P<text>\S.*)$",
                   re.IGNORECASE)


def story_stub(text: str) -> str | None:
    """``-- config service rewrite`` or ``story: moved hot reads to a cache``: a story
    named in one line under a principle (a stub to fill in later)."""
    m = _STUB.match(text)
    return m.group("text").strip() if m else None


# ---------------------------------------------------------------- tables

_SEPARATOR_ROW = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")


def is_table_row(text: str) -> bool:
    text = text.rstrip("\x00")
    return text.lstrip().startswith("|") and text.rstrip().endswith("|") and text.count("|") >= 2


def table_cells(text: str) -> list[str]:
    inner = text.rstrip("\x00").strip()[1:-1]
    return [strip_markup(cell).strip() for cell in inner.split("|")]


def is_separator_row(text: str) -> bool:
    return bool(_SEPARATOR_ROW.match("".join(text.split())))


def row_as_label(text: str) -> str | None:
    """``| **Situation** | text |`` (a story written as a table, one row per section) as
    ``Situation: text``; None for other rows."""
    if not is_table_row(text) or is_separator_row(text):
        return None
    cells = table_cells(text)
    if len(cells) < 2:
        return None
    label = cells[0].rstrip(":：")
    rest = " ".join(c for c in cells[1:] if c)
    if label and (section_word(label) or (len(label) == 1 and label in "STARCLPI")) and rest:
        return f"{label}: {rest}"
    return None


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (line number, cells)

    def column(self, *words: str) -> int | None:
        """The first column whose header is one of ``words`` (lower case)."""
        for i, name in enumerate(self.header):
            key = name.lower().rstrip(":s ")
            if key in words or name.lower() in words:
                return i
        return None

    def section_columns(self) -> dict[int, str]:
        """Columns named for framework sections: words (``Situation``) or, when every one is
        a letter, the letters of STAR / CARL (``| S | T | A | R |``)."""
        found = {}
        for i, name in enumerate(self.header):
            word = section_word(name)
            if word:
                found[i] = word
        letters = {i: name.strip() for i, name in enumerate(self.header) if name.strip() in _LETTER_NAMES}
        if len(letters) >= 2 and not found:
            carl = "C" in letters.values() or "L" in letters.values()
            found = {i: (_CARL if carl else _STAR)[letter] for i, letter in letters.items()
                     if letter in (_CARL if carl else _STAR)}
        return found


_STAR = {"S": "situation", "T": "task", "A": "action", "R": "result"}
_CARL = {"C": "context", "A": "action", "R": "result", "L": "learning"}
_LETTER_NAMES = set(_STAR) | set(_CARL)


def read_table(lines: list[tuple[int, str]]) -> Table | None:
    """A Markdown table (header row, separator row, rows) from numbered lines."""
    pasted = lines[0][1].endswith("\x00")  # rows pasted from a spreadsheet: no separator row
    if len(lines) < 2 or not all(is_table_row(t) for _, t in lines) or not (pasted or is_separator_row(lines[1][1])):
        return None
    header = table_cells(lines[0][1])
    rows = [(n, table_cells(t)) for n, t in lines[1 if pasted else 2:] if not is_separator_row(t)]
    rows = [(n, cells + [""] * (len(header) - len(cells))) for n, cells in rows]
    return Table(header, rows)


# ---------------------------------------------------------------- questions written as Q: / A:

# Matched against the line with its runs of spaces made one (no backtracking over long runs).
_Q = re.compile(r"^(?:[-*+] )?(?:\*\*|__)?(?:q|question) ?\d* ?(?:\*\*|__)?(?:[:：.]| [-–—])[ *_]*"
                r"(?P<text>[^\s*_].*?)(?:\*\*|__)?$", re.IGNORECASE)
_A = re.compile(r"^(?:[-*+] )?(?:\*\*|__)?(?:a|answer|ans) ?(?:\*\*|__)?(?:[:：.]| [-–—])[ *_]*(?P<text>.*)$",
                re.IGNORECASE)


def question_line(text: str) -> str | None:
    """``Q: Tell me about ...`` / ``**Question:** ...`` -> the question."""
    m = _Q.match(" ".join(text.split()))
    return m.group("text").strip() if m else None


def answer_line(text: str) -> str | None:
    """``A: When our team ...`` / ``Answer: ...`` -> the answer's first line."""
    m = _A.match(" ".join(text.split()))
    return m.group("text").strip() if m else None
