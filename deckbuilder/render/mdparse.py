"""Markdown to markdown-it-py tokens, with the Rust parser where it is installed.

Parsing was a quarter of the work of laying out a deck (profiled: 0.25 s of a 2 s,
1,000-card build). ``markdown-it-pyrs`` is markdown-it ported to Rust: about 9x faster on
a deck's faces, but it gives a syntax tree rather than markdown-it-py's flat token stream.
:func:`parse` turns that tree into the very token stream markdown-it-py gives for the
fields the renderer reads (type, tag, attrs, content, children), so nothing downstream
knows which parser ran; ``tests/test_mdparse.py`` holds the two to parity over every text
field of the corpora. Where the Rust parser has no wheel (Python 3.13 and later, for now)
or ``DECKBUILDER_PURE_PYTHON_MARKDOWN`` is set, markdown-it-py parses directly.

The dialect, either way: CommonMark with tables and strikethrough, raw HTML off (a tag in a
story is text, never markup), and typographer's quotes and apostrophes in prose (never in
code). The quotes are set by markdown-it-py's own ``smartquotes`` and ``text_join`` rules on
the Rust parser's tokens too, so they come out the same.

This module imports markdown-it-py (about 20 ms), so it is itself imported where a text is
first parsed (``render.markup``, ``render.faceparts``): a build whose faces all come from the
cache folder parses nothing. Which parsers there are is ``render.parsers``'s, which is light.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core.smartquotes import smartquotes
from markdown_it.rules_core.state_core import StateCore
from markdown_it.rules_core.text_join import text_join
from markdown_it.token import Token

from .parsers import markdown_it_pyrs, rust_available  # noqa: F401  (rust_available: mdparse's API)

# Everything CommonMark has but raw HTML (markdown-it-py's {"html": False}), plus the two extensions.
_RUST_RULES = ["blockquote", "code", "fence", "heading", "lheading", "hr", "list", "paragraph", "reference",
               "autolink", "backticks", "emphasis", "entity", "escape", "image", "link", "newline",
               "strikethrough", "table"]


@cache
def python_parser() -> MarkdownIt:
    # smartquotes: typographer's quotes and apostrophes in prose; markdown-it leaves code alone.
    return MarkdownIt("commonmark", {"html": False, "typographer": True}).enable(
        ["table", "strikethrough", "smartquotes"])


@cache
def _rust_parser() -> Any:
    return markdown_it_pyrs.MarkdownIt("zero").enable_many(_RUST_RULES)


# Where the two parsers part ways, the text goes to markdown-it-py, which follows the current
# specification. The random parity test (tests/test_mdparse.py) found these, each rare in stories:
# - the Rust port follows an older CommonMark, where a symbol such as '→' (Unicode category S) is
#   not punctuation, so an emphasis delimiter next to one can pair up differently (``_u_→``);
# - link reference definitions (``[ref]: http://…``);
# - tables (where one ends), fenced code and double-backtick spans (trailing white space), runs of
#   ``~``, tabs in indentation, lazy lines after a block quote (any ``>``), setext headings (a line
#   of ``=`` or ``-``: where their source lines end), an empty list item, and a space other than
#   ASCII's at the start or end of a line or beside a plain space (markdown-it-py strips a no-break
#   space at the edge of a paragraph, a heading or a list item).
# What is left, the common case by far, is paragraphs, lists, headings, emphasis, links and
# `code`: on the user's deck, 94% of the faces.
_UNICODE_SPACE = "\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_SPEC_EDGE = re.compile(rf"\t|\||>|``|~~|\]:|(?:^| )[{_UNICODE_SPACE}]|[{_UNICODE_SPACE}](?: |$)"
                        r"|^ *(?:=+|-+|[*+]|\d+[.)]) *$", re.MULTILINE)
_BESIDE_DELIMITER = re.compile(r"[*_~]([^\x00-\x7f])|([^\x00-\x7f])[*_~]")


def needs_python_parser(text: str) -> bool:
    """Whether ``text`` holds anything the two parsers read differently (see above), or that
    the Rust port cannot read at all: a ``[`` with a backtick after it makes markdown-it-pyrs
    0.4 panic (found by fuzzing: every one of 592 panics in 100,000 random texts had both)."""
    bracket = text.find("[")
    if bracket >= 0 and "`" in text[bracket:]:
        return True
    if _SPEC_EDGE.search(text):
        return True
    return any(unicodedata.category(after or before).startswith("S")
               for after, before in _BESIDE_DELIMITER.findall(text))


def parse(text: str) -> list[Token]:
    """The markdown-it-py token stream of ``text``."""
    return parse_read(text)[0]


def parse_read(text: str) -> tuple[list[Token], bool]:
    """The markdown-it-py token stream of ``text``, and whether the Rust parser read it."""
    if not rust_available() or needs_python_parser(text):
        return python_parser().parse(text), False
    try:
        tree = _rust_parser().tree(text)
    except BaseException as exc:  # a Rust panic arrives as PanicException, a BaseException
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return python_parser().parse(text), False  # what the Rust port cannot read, markdown-it-py can
    state = StateCore("", python_parser(), {})
    tokens = _Tokens(text)
    state.tokens = tokens.blocks(tree.children)
    smartquotes(state)  # the core rules markdown-it-py runs after its own parse, in its order
    if tokens.special:  # text_join turns escapes and entities into text and joins it to the text beside;
        text_join(state)  # with none, adjacent text is already one token (``_Inline.text``)
    return state.tokens, True


def reads_as_its_heading(content: str) -> bool:
    """Whether the Rust parser reads ``"# " + content`` as a level-1 heading whose text is
    ``content`` (not so when, say, it ends with " #", a closing sequence), so that the heading
    an ATX line with that text made is that line's parse (``faceparts`` hands the focal line on)."""
    line = "# " + content
    return not needs_python_parser(line) and _ATX_CLOSE.sub("", _ATX_OPEN.sub("", line)).strip() == content


def moved_up(tokens: Sequence[Token], lines: int) -> list[Token]:
    """The tokens of some whole top-level blocks of a text the Rust parser read, as its parse of
    those blocks' lines alone, which start ``lines`` lines further down: each token with a map
    is copied with its map moved up, every other token (closings, inline children: no map) is
    shared, as the tokens of a parse are (read, never changed)."""
    out: list[Token] = []
    for token in tokens:
        if token.map is None:
            out.append(token)
        else:
            out.append(_token(token.type, token.tag, token.nesting, content=token.content, markup=token.markup,
                              attrs=dict(token.attrs), children=token.children, info=token.info,
                              token_map=[token.map[0] - lines, token.map[1] - lines], level=token.level,
                              block=token.block, hidden=token.hidden))
    return out


_BLOCK_TAGS = {"paragraph": "p", "blockquote": "blockquote", "bullet_list": "ul", "ordered_list": "ol",
               "list_item": "li", "thead": "thead", "tbody": "tbody", "trow": "tr"}
_INLINE_PAIRS = {"strong": ("strong", "strong"), "em": ("em", "em"), "strikethrough": ("s", "s")}
_NEWLINE = re.compile(b"\n")
_TRAILING_BLANK = b" \t\r\n"

# Reading a Rust node's ``name`` costs about 1.7 µs (its ``_rust_path`` 0.09 µs), as much as the
# rest of its translation: the name is the type's, so it is looked up once per type.
_NAMES: dict[str, str] = {}


def _name(node: Any) -> str:
    path = node._rust_path
    name = _NAMES.get(path) if path is not None else None
    if name is None:
        name = node.name
        if path is not None:
            _NAMES[path] = name
    return name


_new = object.__new__


def _token(kind: str, tag: str, nesting: int, content: str = "", markup: str = "",
           attrs: dict[str, Any] | None = None, children: list[Token] | None = None, info: str = "",
           token_map: list[int] | None = None, level: int = 0, block: bool = False, hidden: bool = False) -> Token:
    """``Token(kind, tag, nesting, ...)`` with every field set as its constructor sets it (a missing
    or empty ``attrs`` becomes a fresh dict, ``meta`` is a fresh dict), without the dataclass's
    ``__init__`` and ``__post_init__``: a deck's faces make some 80,000 tokens."""
    token = _new(Token)
    token.type = kind
    token.tag = tag
    token.nesting = nesting  # type: ignore[assignment]
    token.attrs = attrs or {}
    token.map = token_map
    token.level = level
    token.children = children
    token.content = content
    token.markup = markup
    token.info = info
    token.meta = {}
    token.block = block
    token.hidden = hidden
    return token


class _Tokens:
    """One walk over the Rust tree, writing the tokens markdown-it-py would have written.

    Each node's ``name`` (see ``_name``) and ``children`` (a new list of new objects on every
    read) are read once."""

    def __init__(self, text: str) -> None:
        self.out: list[Token] = []
        self.alignments: list[str] = []  # of the table being written
        self.level = 0
        self.special = False  # an escape or entity (text_special) was written: text_join has work
        self.source = text.encode("utf-8")  # the tree's positions are byte offsets into this
        self.line_starts = [0, *[match.end() for match in _NEWLINE.finditer(self.source)]]

    def map_of(self, span: tuple[int, int] | None) -> list[int] | None:
        """markdown-it-py's ``map``: [first line, line after the last] of a block's source span."""
        if not span:
            return None
        source = self.source
        start, end = span
        end = min(end, len(source))
        while end - 1 > start and source[end - 1] in _TRAILING_BLANK:  # blank lines after a block are not its own
            end -= 1
        return [bisect_right(self.line_starts, start) - 1, bisect_right(self.line_starts, max(end - 1, start))]

    def source_of(self, span: tuple[int, int] | None) -> str:
        if not span:
            return ""
        return self.source[span[0]:span[1]].decode("utf-8", errors="replace")

    def blocks(self, nodes: list[Any], in_head: bool = False, tight: bool = False) -> list[Token]:
        for node in nodes:
            self.block(node, in_head, tight)
        return self.out

    def open(self, kind: str, tag: str, span: tuple[int, int] | None, markup: str,
             attrs: dict[str, Any] | None = None, hidden: bool = False) -> list[int] | None:
        """The opening token; returns its map (the block's inline token has the same)."""
        token_map = self.map_of(span)
        self.out.append(_token(f"{kind}_open", tag, 1, markup=markup, attrs=attrs, token_map=token_map,
                               level=self.level, block=True, hidden=hidden))
        self.level += 1
        return token_map

    def close(self, kind: str, tag: str, markup: str, hidden: bool = False) -> None:
        self.level -= 1
        self.out.append(_token(f"{kind}_close", tag, -1, markup=markup, level=self.level, block=True, hidden=hidden))

    def standalone(self, kind: str, tag: str, span: tuple[int, int] | None, markup: str, content: str = "",
                   info: str = "") -> None:
        self.out.append(_token(kind, tag, 0, content=content, markup=markup, info=info, token_map=self.map_of(span),
                               level=self.level, block=True))

    def inline_block(self, children: list[Any], span: tuple[int, int] | None, token_map: list[int] | None,
                     heading: bool = False) -> None:
        """The inline token of a block. Its content, markdown-it-py's source of the block's text,
        is exact for a heading (the card design reads a front's focal line from it); for other
        blocks it is the block's source, list markers and all, which is all that reads it
        (smartquotes, to skip text without quotes) needs."""
        if heading:  # an ATX heading is one line: its own span is the line (setext ones go to markdown-it-py)
            line = self.source[span[0]:span[1]].decode("utf-8", errors="replace").split("\n")[0] if span else ""
            content = _ATX_CLOSE.sub("", _ATX_OPEN.sub("", line)).strip()
        else:
            content = "\n".join(line.lstrip() for line in self.source_of(span).split("\n")).strip()
        inline = _Inline()
        self.out.append(_token("inline", "", 0, content=content, children=inline.run(children),
                               token_map=None if token_map is None else list(token_map), level=self.level,
                               block=True))
        self.special = self.special or inline.special

    def paragraph(self, children: list[Any], span: tuple[int, int] | None, markup: str, hidden: bool) -> None:
        token_map = self.open("paragraph", "p", span, markup, hidden=hidden)
        self.inline_block(children, span, token_map)
        self.close("paragraph", "p", markup, hidden)

    def block(self, node: Any, in_head: bool, tight: bool) -> None:
        name = _name(node)
        meta = node.meta
        markup = str(meta.get("marker", ""))
        span = node.srcmap
        if name == "paragraph":
            self.paragraph(node.children, span, markup, tight)
        elif name in ("heading", "lheading"):
            tag = f"h{meta['level']}"
            token_map = self.open("heading", tag, span, markup)
            self.inline_block(node.children, span, token_map, heading=True)
            self.close("heading", tag, markup)
        elif name in ("bullet_list", "ordered_list"):
            attrs = {"start": meta["start"]} if name == "ordered_list" and meta.get("start", 1) != 1 else {}
            items = [(item, _name(item) == "list_item", item.children) for item in node.children]
            # A list is tight when its items hold their text without a paragraph node.
            is_tight = not any(_name(child) == "paragraph" for _, _, children in items for child in children)
            tag = _BLOCK_TAGS[name]
            self.open(name, tag, span, markup, attrs)
            for item, is_item, children in items:
                if is_item:
                    self.list_item(item, children, is_tight)
                else:
                    self.block(item, False, is_tight)
            self.close(name, tag, markup)
        elif name == "list_item":
            self.list_item(node, node.children, tight)
        elif name == "blockquote":
            self.open("blockquote", "blockquote", span, markup)
            self.blocks(node.children)
            self.close("blockquote", "blockquote", markup)
        elif name in ("fence", "code_block"):
            self.standalone(name, "code", span, str(meta.get("marker", "")) * int(meta.get("marker_len", 0) or 0),
                            content=meta.get("content", ""), info=meta.get("info", ""))
        elif name == "hr":
            self.standalone("hr", "hr", span, str(meta.get("marker", "")) * int(meta.get("marker_len", 3)))
        elif name == "table":
            self.alignments = list(meta.get("alignments", []))
            self.open("table", "table", span, markup)
            self.blocks(node.children)
            self.close("table", "table", markup)
        elif name in ("thead", "tbody"):
            self.open(name, name, span, markup)
            self.blocks(node.children, in_head=name == "thead")
            self.close(name, name, markup)
        elif name == "trow":
            self.open("tr", "tr", span, markup)
            self.cells(node.children, in_head)
            self.close("tr", "tr", markup)
        else:  # a block the renderer does not know: keep its text, as markdown-it-py's inline would
            self.paragraph(node.children, span, markup, False)

    def cells(self, cells: list[Any], in_head: bool) -> None:
        tag = "th" if in_head else "td"
        for column, cell in enumerate(cells):
            align = self.alignments[column] if column < len(self.alignments) else "none"
            attrs = {"style": f"text-align:{align}"} if align in ("left", "right", "center") else {}
            markup = str(cell.meta.get("marker", ""))
            span = cell.srcmap
            token_map = self.open(tag, tag, span, markup, attrs)
            self.inline_block(cell.children, span, token_map)
            self.close(tag, tag, markup)

    def list_item(self, node: Any, children: list[Any], tight: bool) -> None:
        markup = str(node.meta.get("marker", ""))
        self.open("list_item", "li", node.srcmap, markup)
        self.item(node, children, tight)
        self.close("list_item", "li", markup)

    def item(self, node: Any, children: list[Any], tight: bool) -> None:
        """A list item's blocks; in a tight list the item's bare inline nodes stand for a hidden
        paragraph, whose lines run from the item's start (or the block before) to the next block."""
        inline: list[Any] = []
        item_start, item_end = node.srcmap or (0, len(self.source))
        start = item_start

        def flush(end: int) -> None:
            if inline:
                self.paragraph(list(inline), (start, end), "", True)
                inline.clear()

        for child in children:
            if _name(child) in _INLINE_NAMES:
                inline.append(child)
            else:
                child_start, child_end = child.srcmap or (start, start)
                flush(child_start)
                self.block(child, False, tight)
                newline = self.source.find(b"\n", max(child_end - 1, 0))  # text after a block starts on a new line
                start = newline + 1 if newline >= 0 else child_end
        flush(item_end)


_ATX_OPEN = re.compile(r"^ {0,3}#{1,6}(?=[ \t]|$)")
_ATX_CLOSE = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")


_INLINE_NAMES = {"text", "text_special", "strong", "em", "strikethrough", "code_inline", "link", "image",
                 "autolink", "softbreak", "hardbreak"}


class _Inline:
    """Inline nodes as markdown-it-py's inline children before its core rules: adjacent text
    joined into one token (its fragments_join), escapes and entities kept as text_special
    (its text_join, run later, joins them)."""

    def __init__(self) -> None:
        self.out: list[Token] = []
        self.special = False  # a text_special token was written

    def run(self, nodes: list[Any]) -> list[Token]:
        for node in nodes:
            self.node(node)
        return self.out

    def text(self, content: str) -> None:
        out = self.out
        if out and out[-1].type == "text":
            out[-1].content += content
        else:
            out.append(_token("text", "", 0, content=content))

    def node(self, node: Any) -> None:
        name = _name(node)
        meta = node.meta
        if name == "text":
            self.text(meta.get("content", ""))
        elif name == "text_special":
            self.special = True
            self.out.append(_token("text_special", "", 0, content=meta.get("content", ""),
                                   markup=str(meta.get("markup", "")), info=str(meta.get("info", ""))))
        elif name in _INLINE_PAIRS:
            kind, tag = _INLINE_PAIRS[name]
            marker = str(meta.get("marker", ""))
            markup = marker * (2 if name in ("strong", "strikethrough") else 1)
            self.out.append(_token(f"{kind}_open", tag, 1, markup=markup))
            self.run(node.children)
            self.out.append(_token(f"{kind}_close", tag, -1, markup=markup))
        elif name == "code_inline":
            content = "".join(child.meta.get("content", "") for child in node.children)
            self.out.append(_token("code_inline", "code", 0, content=content))
        elif name in ("link", "autolink"):
            attrs: dict[str, Any] = {"href": meta.get("url", "")}
            if meta.get("title"):
                attrs["title"] = meta["title"]
            markup = "autolink" if name == "autolink" else ""
            self.out.append(_token("link_open", "a", 1, attrs=attrs, markup=markup))
            self.run(node.children)
            self.out.append(_token("link_close", "a", -1, markup=markup))
        elif name == "image":
            inner = _Inline()
            alt = inner.run(node.children)
            self.special = self.special or inner.special
            content = "".join(t.content for t in alt if t.type in ("text", "code_inline"))
            attrs = {"src": meta.get("url", ""), "alt": ""}
            if meta.get("title"):
                attrs["title"] = meta["title"]
            self.out.append(_token("image", "img", 0, attrs=attrs, content=content, children=alt))
        elif name == "softbreak":
            self.out.append(_token("softbreak", "br", 0))
        elif name == "hardbreak":
            self.out.append(_token("hardbreak", "br", 0))
        else:  # unknown inline node: its text
            self.run(node.children)
