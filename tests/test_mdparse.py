"""The Rust Markdown parser stands in for markdown-it-py only where both give the same tokens.

Parity is checked on what the renderer and the card design read (type, tag, nesting, attrs,
content, children, and a block's level and source lines; an empty text token is nothing to
draw, a fence's trailing newlines are stripped before drawing, and a list's lines are never
read), over every text field of the shipped content and starter, every card face built
from them, the seed notes when present, and 3,000 random mixes of Markdown's sharp edges.
"""

from __future__ import annotations

import random

import pytest
import yaml
from conftest import REPO
from facecount import searches_here

from deckbuilder.render import mdparse

pytestmark = pytest.mark.skipif(not mdparse.rust_available(), reason="markdown-it-pyrs has no wheel for this Python")

SHARP_EDGES = [
    "**b**", "*i*", "_u_", "__s__", "~~x~~", "~y~", "`c`", "``a`b``", '[l](http://x "t")', "![im](u 'tt')",
    "<http://a.b>", "<b>h</b>", "&amp;", "&copy;", "&#35;", "\\*", "\\\n", "  \n", "\n", "\n\n", "# ", "## ", "- ",
    "* ", "1. ", "3) ", "> ", "    ", "```\n", "```py\n", "| a | b |\n|:--|--:|\n| 1 | 2 |\n", "---\n", "===\n",
    "word", "two words", " ", "\t", "é", "→", "≈", "€", "·", "—", "\u00a0", "日本", "😀", "[ref]", "[ref]: http://r\n",
    "a_b_c", "**a*", "*a**", "***", "___x___", "x|y", "\\|", "1\\. ", "+ ", "-  ", "   - ",
    '"', "'", "it's", '"quoted"', "'single'", '\\"', "\\'", "&quot;", "90's", "O'Brien",
]


# markdown-it-py counts the blank lines after a list into its map; nothing reads a list's map
LIST_OPENINGS = ("bullet_list_open", "ordered_list_open", "list_item_open")


def projection(tokens) -> list:
    out: list = []
    heading = False
    for token in tokens:
        if token.type == "text" and not token.content:
            continue
        content = token.content
        if token.type == "inline" and token.map and not heading:  # a paragraph's source: read by nothing
            content = ""
        heading = token.type == "heading_open"
        if token.type == "fence":
            content = content.rstrip("\n")
        where = None if token.type in LIST_OPENINGS or token.nesting == -1 else token.map
        item = [token.type, token.tag, token.nesting, {k: str(v) for k, v in (token.attrs or {}).items()},
                content, token.hidden, where, token.level if token.block else None]
        if token.children is not None:
            item.append(projection(token.children))
        out.append(item)
    return out


def strings(data):
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings(value)


def corpus() -> list[str]:
    texts: list[str] = []
    for path in [*REPO.glob("content/*.yaml"), *REPO.glob("deckbuilder/starter/*.yaml")]:
        texts += strings(yaml.safe_load(path.read_text("utf-8")))
    seeds = REPO.parent / "shared" / "seeds"
    for path in [*seeds.glob("*.txt"), *(REPO / "tests" / "data").rglob("*.md")]:
        text = path.read_text("utf-8", errors="replace")
        texts += [text, *text.split("\n\n")]
    return texts


def assert_parity(texts: list[str]) -> None:
    differing = [t for t in texts if projection(mdparse.python_parser().parse(t)) != projection(mdparse.parse(t))]
    assert not differing, f"{len(differing)} of {len(texts)} texts parse differently, e.g. {differing[0]!r}"


def test_parity_on_every_text_field_and_card_face(user_workspace_cards):
    assert_parity(corpus() + user_workspace_cards)


def test_parity_on_random_mixes_of_sharp_edges():
    rng = random.Random(20261203)
    assert_parity(["".join(rng.choice(SHARP_EDGES) for _ in range(rng.randint(1, 14))) for _ in range(3_000)])


def test_the_common_case_takes_the_fast_path(user_workspace_cards):
    """The router must not send everything to markdown-it-py (then the speed-up would be a no-op)."""
    fast = [t for t in user_workspace_cards if not mdparse.needs_python_parser(t)]
    assert len(fast) >= 0.9 * len(user_workspace_cards)
    assert mdparse.needs_python_parser("_u_→") and not mdparse.needs_python_parser("**2\u00a0min**\u00a0· x")


@pytest.fixture(scope="module")
def user_workspace_cards() -> list[str]:
    from deckbuilder.build import load
    from deckbuilder.outputs.deck import collect_cards
    from deckbuilder.render.templates import Templates
    from deckbuilder.workspace import Workspace

    workspace = Workspace.at(REPO)
    content, _ = load(workspace)
    return [face for card in collect_cards(content, Templates(workspace.templates_dir))
            for face in (card.front, card.back)]


def test_pure_python_and_rust_builds_are_byte_identical(tmp_path, monkeypatch, run_cli):
    """Every face set afresh by each parser: nothing remembered from the other's build, in this
    process or in the cache folder (a face's stored size would hide a parser that reads it
    otherwise)."""
    import shutil

    from deckbuilder.outputs import faces
    from deckbuilder.render import markup

    monkeypatch.setenv("DECKBUILDER_NO_CACHE", "1")
    searched = searches_here(monkeypatch)
    outputs = {}
    for mode in ("rust", "python"):
        ws = tmp_path / mode
        shutil.copytree(REPO / "content", ws / "content")
        if mode == "python":
            monkeypatch.setenv("DECKBUILDER_PURE_PYTHON_MARKDOWN", "1")
        markup.parse.cache_clear()
        markup._flowables.cache_clear()
        faces.forget()
        searched.clear()
        assert run_cli("build", ws, "--only", "cards").code == 0
        assert len(searched) > 200, (mode, len(searched))  # content/'s 242 faces, each set by this parser
        outputs[mode] = (ws / "output" / "cards.pdf").read_bytes()
    assert outputs["rust"] == outputs["python"]


def test_texts_the_rust_port_cannot_read_never_reach_it():
    """markdown-it-pyrs 0.4 panics on a '[' with a backtick after it (a user's '[v2` that night');
    such text goes to markdown-it-py and prints as written."""
    for text in ["[`", "wrote the runbook [v2` that night", "[x`]", "a [\n\n`b"]:
        assert mdparse.needs_python_parser(text)
        assert mdparse.parse(text) and projection(mdparse.parse(text)) == projection(mdparse.python_parser().parse(text))


def test_no_text_sent_to_the_rust_port_makes_it_panic():
    rng = random.Random(7)
    pieces = [*SHARP_EDGES, "[", "]", "(", ")", "`", "<", "!", "\\", "*", "_", "#", "\n", " ", "a", "-", ";", ":"]
    sent = 0
    for _ in range(5_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        if not mdparse.needs_python_parser(text):
            sent += 1
            mdparse._rust_parser().tree(text)  # a panic would raise PanicException here
    assert sent > 1_000


def _every_field(tokens) -> list:
    import dataclasses

    return [[(f.name, _every_field(value) if f.name == "children" and value is not None else value)
             for f in dataclasses.fields(token) for value in [getattr(token, f.name)]] for token in tokens]


def test_a_face_body_cut_from_the_faces_tokens_is_its_own_parse(user_workspace_cards):
    """faceparts hands on the body's and the focal line's tokens cut from the face's
    (markup.prime): every field of every token is what parsing that text alone gives, on the
    shipped faces and on random ones with and without a focal line, a running title and a tag."""
    from deckbuilder.render import faceparts, markup

    rng = random.Random(19)
    edges = [e for e in SHARP_EDGES if not mdparse.needs_python_parser(e)] + ["\n\n", "- ", "1. ", "\n- a\n",
                                                                              "  - b\n", "\n\n  c", "# h\n"]

    def some() -> str:
        return "".join(rng.choice(edges) for _ in range(rng.randint(0, 10)))

    faces = list(user_workspace_cards)
    for _ in range(700):
        head = rng.choice(["", "# ", "###### ", "\n# ", "\n\n###### "]) + some().replace("\n", " ") + rng.choice(
            ["", " #", " # #", " \\#", " x ##"])
        tail = rng.choice(["", "\n###### " + some().replace("\n", " "), "\n\n###### tag\n\n"])
        faces.append(head + rng.choice(["\n", "\n\n", ""]) + some() + tail)
    primed = 0
    for face in faces:
        for side in ("front", "back"):
            markup.parse.cache_clear()
            faceparts.face_parts.cache_clear()
            markup._PRIMED.clear()
            parts = faceparts.face_parts(face, side)
            for text in (parts.body, faceparts.FOCAL_PREFIX + parts.focal):  # build_focal sets "# " + focal
                if text in markup._PRIMED:
                    primed += 1
                    assert _every_field(markup.parse(text)) == _every_field(mdparse.parse(text)), (face, side, text)
    assert primed > 900
    markup.parse.cache_clear()
    faceparts.face_parts.cache_clear()
