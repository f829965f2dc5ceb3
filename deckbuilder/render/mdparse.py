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
"""

from __future__ import annotations

import os
import re
import unicodedata
from bisect import bisect_right
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core.smartquotes import smartquotes
from markdown_it.rules_core.state_core import StateCore
from markdown_it.rules_core.text_join import text_join
from markdown_it.token import Token

markdown_it_pyrs: Any
try:  # an optional speed-up: see pyproject.toml for where it has wheels
    import markdown_it_pyrs
except ImportError:  # pragma: no cover - depends on the platform
    markdown_it_pyrs = None

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


def rust_available() -> bool:
    return markdown_it_pyrs is not None and not os.environ.get("DECKBUILDER_PURE_PYTHON_MARKDOWN")


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
    if not rust_available() or needs_python_parser(text):
        return python_parser().parse(text)
    try:
        tree = _rust_parser().tree(text)
    except BaseException as exc:  # a Rust panic arrives as PanicException, a BaseException
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return python_parser().parse(text)  # what the Rust port cannot read, markdown-it-py can
    state = StateCore("", python_parser(), {})
    state.tokens = _Tokens(text).blocks(tree.children)
    smartquotes(state)  # the core rules markdown-it-py runs after its own parse, in its order
    text_join(state)
    return state.tokens


_BLOCK_TAGS = {"paragraph": "p", "blockquote": "blockquote", "bullet_list": "ul", "ordered_list": "ol",
               "list_item": "li", "thead": "thead", "tbody": "tbody", "trow": "tr"}
_INLINE_PAIRS = {"strong": ("strong", "strong"), "em": ("em", "em"), "strikethrough": ("s", "s")}


class _Tokens:
    """One walk over the Rust tree, writing the tokens markdown-it-py would have written."""

    def __init__(self, text: str) -> None:
        self.out: list[Token] = []
        self.alignments: list[str] = []  # of the table being written
        self.level = 0
        self.source = text.encode("utf-8")  # the tree's positions are byte offsets into this
        self.line_starts = [0, *(i + 1 for i, byte in enumerate(self.source) if byte == 0x0A)]

    def map_of(self, nodes: list[Any]) -> list[int] | None:
        """markdown-it-py's ``map``: [first line, line after the last] of the nodes' source."""
        spans = _spans(nodes)
        if not spans:
            return None
        start, end = min(s[0] for s in spans), min(max(s[1] for s in spans), len(self.source))
        while end - 1 > start and self.source[end - 1] in b" \t\r\n":  # blank lines after a block are not its own
            end -= 1
        return [bisect_right(self.line_starts, start) - 1, bisect_right(self.line_starts, max(end - 1, start))]

    def source_of(self, nodes: list[Any]) -> str:
        spans = _spans(nodes)
        if not spans:
            return ""
        return self.source[min(s[0] for s in spans):max(s[1] for s in spans)].decode("utf-8", errors="replace")

    def blocks(self, nodes: list[Any], in_head: bool = False, tight: bool = False) -> list[Token]:
        for node in nodes:
            self.block(node, in_head, tight)
        return self.out

    def pair(self, kind: str, tag: str, node: Any, inner: Any, attrs: dict[str, Any] | None = None,
             hidden: bool = False) -> None:
        opening = Token(f"{kind}_open", tag, 1, attrs=attrs or {}, markup=str(node.meta.get("marker", "")),
                        map=self.map_of([node]), level=self.level)
        opening.hidden = hidden
        opening.block = True
        self.out.append(opening)
        self.level += 1
        inner()
        self.level -= 1
        closing = Token(f"{kind}_close", tag, -1, markup=opening.markup, level=self.level)
        closing.hidden = hidden
        closing.block = True
        self.out.append(closing)

    def standalone(self, token: Token, node: Any) -> None:
        token.map, token.level, token.block = self.map_of([node]), self.level, True
        self.out.append(token)

    def inline_block(self, children: list[Any], block: list[Any], heading: bool = False) -> None:
        """The inline token of a block. Its content, markdown-it-py's source of the block's text,
        is exact for a heading (the card design reads a front's focal line from it); for other
        blocks it is the block's source, list markers and all, which is all that reads it
        (smartquotes, to skip text without quotes) needs."""
        if heading:  # an ATX heading is one line: its own span is the line (setext ones go to markdown-it-py)
            span = block[0].srcmap
            line = self.source[span[0]:span[1]].decode("utf-8", errors="replace").split("\n")[0] if span else ""
            content = _ATX_CLOSE.sub("", _ATX_OPEN.sub("", line)).strip()
        else:
            content = "\n".join(line.lstrip() for line in self.source_of(block).split("\n")).strip()
        token = Token("inline", "", 0, children=_Inline().run(children), content=content,
                      map=self.map_of(block), level=self.level)
        token.block = True
        self.out.append(token)

    def block(self, node: Any, in_head: bool, tight: bool) -> None:
        name = node.name
        meta = node.meta
        if name == "paragraph":
            self.pair("paragraph", "p", node, lambda: self.inline_block(node.children, [node]), hidden=tight)
        elif name in ("heading", "lheading"):
            tag = f"h{meta['level']}"
            self.pair("heading", tag, node, lambda: self.inline_block(node.children, [node], heading=True))
        elif name in ("bullet_list", "ordered_list"):
            attrs = {"start": meta["start"]} if name == "ordered_list" and meta.get("start", 1) != 1 else {}
            # A list is tight when its items hold their text without a paragraph node.
            is_tight = not any(child.name == "paragraph" for item in node.children for child in item.children)
            self.pair(name, _BLOCK_TAGS[name], node, lambda: self.blocks(node.children, tight=is_tight), attrs)
        elif name == "list_item":
            self.pair("list_item", "li", node, lambda: self.item(node, tight))
        elif name == "blockquote":
            self.pair("blockquote", "blockquote", node, lambda: self.blocks(node.children))
        elif name in ("fence", "code_block"):
            self.standalone(Token(name, "code", 0, content=meta.get("content", ""), info=meta.get("info", ""),
                                  markup=str(meta.get("marker", "")) * int(meta.get("marker_len", 0) or 0)), node)
        elif name == "hr":
            self.standalone(Token("hr", "hr", 0, markup=str(meta.get("marker", "")) * int(meta.get("marker_len", 3))),
                            node)
        elif name == "table":
            self.alignments = list(meta.get("alignments", []))
            self.pair("table", "table", node, lambda: self.blocks(node.children))
        elif name in ("thead", "tbody"):
            self.pair(name, name, node, lambda: self.blocks(node.children, in_head=name == "thead"))
        elif name == "trow":
            self.pair("tr", "tr", node, lambda: self.cells(node.children, in_head))
        else:  # a block the renderer does not know: keep its text, as markdown-it-py's inline would
            self.pair("paragraph", "p", node, lambda: self.inline_block(node.children, [node]))

    def cells(self, cells: list[Any], in_head: bool) -> None:
        tag = "th" if in_head else "td"
        for column, cell in enumerate(cells):
            align = self.alignments[column] if column < len(self.alignments) else "none"
            attrs = {"style": f"text-align:{align}"} if align in ("left", "right", "center") else {}
            self.pair(tag, tag, cell, lambda cell=cell: self.inline_block(cell.children, [cell]), attrs)

    def item(self, node: Any, tight: bool) -> None:
        """A list item's blocks; in a tight list the item's bare inline nodes stand for a hidden
        paragraph, whose lines run from the item's start (or the block before) to the next block."""
        inline: list[Any] = []
        item_start, item_end = node.srcmap or (0, len(self.source))
        start = item_start

        def flush(end: int) -> None:
            if inline:
                run, span = list(inline), _Span(start, end)
                self.pair("paragraph", "p", span, lambda: self.inline_block(run, [span]), hidden=True)
                inline.clear()

        for child in node.children:
            if child.name in _INLINE_NAMES:
                inline.append(child)
            else:
                child_start, child_end = getattr(child, "srcmap", None) or (start, start)
                flush(child_start)
                self.block(child, False, tight)
                newline = self.source.find(b"\n", max(child_end - 1, 0))  # text after a block starts on a new line
                start = newline + 1 if newline >= 0 else child_end
        flush(item_end)


_ATX_OPEN = re.compile(r"^ {0,3}#{1,6}(?=[ \t]|$)")
_ATX_CLOSE = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")


def _spans(nodes: list[Any]) -> list[tuple[int, int]]:
    """The tree's source spans (byte offsets) of block nodes. (Inline nodes' spans can be off:
    an emphasis or a text node may point past its block; nothing here reads them.)"""
    return [node.srcmap for node in nodes if getattr(node, "srcmap", None)]


class _Span:
    """A stand-in node for the lines of a tight list item's text (which the tree leaves without a block)."""

    meta: dict[str, Any] = {}

    def __init__(self, start: int, end: int) -> None:
        self.srcmap = (start, end)


_INLINE_NAMES = {"text", "text_special", "strong", "em", "strikethrough", "code_inline", "link", "image",
                 "autolink", "softbreak", "hardbreak"}


class _Inline:
    """Inline nodes as markdown-it-py's inline children before its core rules: adjacent text
    joined into one token (its fragments_join), escapes and entities kept as text_special
    (its text_join, run later, joins them)."""

    def __init__(self) -> None:
        self.out: list[Token] = []

    def run(self, nodes: list[Any]) -> list[Token]:
        for node in nodes:
            self.node(node)
        return self.out

    def text(self, content: str) -> None:
        if self.out and self.out[-1].type == "text":
            self.out[-1].content += content
        else:
            self.out.append(Token("text", "", 0, content=content))

    def node(self, node: Any) -> None:
        name = node.name
        meta = node.meta
        if name == "text":
            self.text(meta.get("content", ""))
        elif name == "text_special":
            self.out.append(Token("text_special", "", 0, content=meta.get("content", ""),
                                  markup=str(meta.get("markup", "")), info=str(meta.get("info", ""))))
        elif name in _INLINE_PAIRS:
            kind, tag = _INLINE_PAIRS[name]
            marker = str(meta.get("marker", ""))
            markup = marker * (2 if name in ("strong", "strikethrough") else 1)
            self.out.append(Token(f"{kind}_open", tag, 1, markup=markup))
            self.run(node.children)
            self.out.append(Token(f"{kind}_close", tag, -1, markup=markup))
        elif name == "code_inline":
            content = "".join(child.meta.get("content", "") for child in node.children)
            self.out.append(Token("code_inline", "code", 0, content=content))
        elif name in ("link", "autolink"):
            attrs: dict[str, Any] = {"href": meta.get("url", "")}
            if meta.get("title"):
                attrs["title"] = meta["title"]
            self.out.append(Token("link_open", "a", 1, attrs=attrs, markup="autolink" if name == "autolink" else ""))
            self.run(node.children)
            self.out.append(Token("link_close", "a", -1, markup="autolink" if name == "autolink" else ""))
        elif name == "image":
            alt = _Inline().run(node.children)
            content = "".join(t.content for t in alt if t.type in ("text", "code_inline"))
            attrs = {"src": meta.get("url", ""), "alt": ""}
            if meta.get("title"):
                attrs["title"] = meta["title"]
            self.out.append(Token("image", "img", 0, attrs=attrs, content=content, children=alt))
        elif name == "softbreak":
            self.out.append(Token("softbreak", "br", 0))
        elif name == "hardbreak":
            self.out.append(Token("hardbreak", "br", 0))
        else:  # unknown inline node: its text
            self.run(node.children)
