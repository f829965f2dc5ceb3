"""A card face's Markdown cut into the parts the card design places: focal line, body, tag, running title.

Templates stay plain Markdown; the roles are read from where a heading stands:
- on a front, a level-1 heading that opens the face is the **focal line**: drawn bold at
  the deck's focal size with its first baseline at the same height on every card;
- on a front, a level-6 heading that closes the face is the **tag**: one small grey line
  in the card's bottom-left corner (the principles, the minutes);
- on a back, a level-6 heading that opens the face is the **running title**: the card's
  title repeated small above a rule, as printed Anki cards do.
Everything else is the body, set at one step of the deck's scale.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from .markup import parse, prime

if TYPE_CHECKING:
    from markdown_it.token import Token

FOCAL_PREFIX = "# "  # a focal line is set as a level-1 heading of its text (``outputs.faces.build_focal``)


@dataclass(frozen=True)
class FaceParts:
    focal: str  # Markdown of the focal line ("" for none)
    body: str  # Markdown of the rest
    tag: str  # plain text of the front's corner tag ("" for none)
    caption: str  # plain text of the back's running title ("" for none)


def plain_text(inline: Token) -> str:
    """The text of an inline token without its Markdown marks (emphasis, links, code ticks)."""
    out: list[str] = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" ")
    return "".join(out).strip()


def _top_blocks(tokens: tuple[Token, ...]) -> list[int]:
    return [i for i, tok in enumerate(tokens) if tok.level == 0 and tok.nesting >= 0 and tok.map is not None]


@lru_cache(maxsize=4096)
def face_parts(markdown: str, side: str) -> FaceParts:
    """The parts of one face (remembered: the size search and the packet ask for the same faces)."""
    from . import mdparse  # imported once a face is parsed (``render.markup``)

    tokens = parse(markdown)
    lines = markdown.split("\n")
    blocks = _top_blocks(tokens)
    start, end = 0, len(lines)
    first_token, end_token = 0, len(tokens)  # the body's tokens
    focal_line = 0
    focal = tag = caption = ""
    if blocks:
        first = tokens[blocks[0]]
        if first.type == "heading_open" and first.map:
            if side == "front" and first.tag == "h1":
                focal = tokens[blocks[0] + 1].content.strip()
                focal_line = first.map[0]
                start, first_token = first.map[1], blocks[0] + 3  # after heading_open, inline, heading_close
            elif side == "back" and first.tag == "h6":
                caption = plain_text(tokens[blocks[0] + 1])
                start, first_token = first.map[1], blocks[0] + 3
        last = tokens[blocks[-1]]
        if (side == "front" and last.type == "heading_open" and last.tag == "h6" and last.map
                and len(blocks) > 1 and last.map[0] >= start):
            tag = plain_text(tokens[blocks[-1] + 1])
            end, end_token = last.map[0], blocks[-1]
    lines_of_body = "\n".join(lines[start:end])
    body = lines_of_body.strip("\n")
    if tokens.by_rust and body != markdown:
        # The body is whole top-level blocks of the face, cut at ATX headings (the Rust parser reads
        # no setext heading, link reference or lazy line), so its own parse is the face's tokens
        # between the two headings, on lines counted from the body's first: ``mdparse.moved_up``.
        # The body's lines are lines of the face, so nothing in it sends it to markdown-it-py that
        # would not have sent the face (``needs_python_parser``). tests/test_mdparse.py holds the
        # two to equality.
        skipped = start + len(lines_of_body) - len(lines_of_body.lstrip("\n"))
        prime(body, mdparse.moved_up(tokens[first_token:end_token], skipped))
    if tokens.by_rust and focal and mdparse.reads_as_its_heading(focal):
        # The focal line is set from "# " + its text (``outputs.faces.build_focal``): the face's heading.
        prime(FOCAL_PREFIX + focal, mdparse.moved_up(tokens[blocks[0]:blocks[0] + 3], focal_line))
    return FaceParts(focal, body, tag, caption)
