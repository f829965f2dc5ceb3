"""packet.pdf read back: bookmarks and their pages, page order, metadata, text, size, cleanliness."""

from __future__ import annotations

import re
import shutil

import pikepdf
import pytest
from conftest import REPO
from pdfcheck import page_texts, unembedded_fonts
from pypdf import PdfReader


def outline_tree(reader: PdfReader, items=None, depth: int = 0) -> list[tuple[int, str, int]]:
    """(depth, title, 1-based page) for every bookmark, in order."""
    out = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            out += outline_tree(reader, item, depth + 1)
        else:
            out.append((depth, item.title, reader.get_destination_page_number(item) + 1))
    return out


@pytest.fixture(scope="module")
def user_packet(tmp_path_factory):
    """The repository's content built once (all outputs), for this module."""
    from deckbuilder.build import BuildOptions, build
    from deckbuilder.workspace import Workspace

    root = tmp_path_factory.mktemp("packet")
    shutil.copytree(REPO / "content", root / "content")
    build(Workspace.at(root), BuildOptions())
    return root


def test_bookmarks_nest_and_point_at_their_pages(user_packet):
    reader = PdfReader(str(user_packet / "output" / "packet.pdf"))
    tree = outline_tree(reader)
    top = [(title, page) for depth, title, page in tree if depth == 0]
    assert [t for t, _ in top] == ["Cover and contents", "Final-prep sheet", "Principle matrix",
                                   "Cards, front and back", "Stories in full"]
    assert top[:4] == [("Cover and contents", 1), ("Final-prep sheet", 2), ("Principle matrix", 3),
                       ("Cards, front and back", 4)]
    texts = page_texts(user_packet / "output" / "packet.pdf")
    children = [(title, page) for depth, title, page in tree if depth == 1]
    groups = [c for c in children if c[0].startswith(("Deep-dive phases", "Backup cards", "Story cards",
                                                       "Question-bank cards"))]
    assert [g[0] for g in groups] == ["Deep-dive phases (12)", "Backup cards (7)", "Story cards (43)",
                                      "Question-bank cards (59)"]
    for title, page in groups:
        assert title.split(" (")[0] in texts[page - 1]
    stories = [c for c in children if c not in groups]
    assert len(stories) == 43
    for title, page in stories:  # each story's bookmark lands on the page where its title is
        # the page sets the title's apostrophe as a typographer's one; the bookmark keeps the user's
        assert " ".join(title.split()) in " ".join(texts[page - 1].replace("\u2019", "'").split())
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"


def test_page_order_and_sizes(user_packet):
    reader = PdfReader(str(user_packet / "output" / "packet.pdf"))
    texts = page_texts(user_packet / "output" / "packet.pdf")
    assert "Contents" in texts[0]
    assert "Deep-dive: VTO" in texts[1]  # the final-prep sheet
    assert "Principles × stories" in texts[2]
    widths = [float(p.mediabox.width) for p in reader.pages]
    heights = [float(p.mediabox.height) for p in reader.pages]
    assert (widths[0], heights[0]) == (612, 792)  # cover: Letter portrait
    assert widths[2] > heights[2]  # the matrix is landscape
    assert widths[3] > heights[3]  # card pages are landscape, fronts beside backs
    assert "front" in texts[3] and "back" in texts[3]
    assert "1/121" in texts[3] and texts[3].count("1/121") == 2  # a card's front and back on one row


def link_targets(reader: PdfReader, page) -> list[int]:
    """1-based target page of every internal link on ``page``, in drawing order."""
    targets = []
    for annot in page.get("/Annots", []):
        annot = annot.get_object()
        dest = annot.get("/Dest") or annot.get("/A", {}).get("/D")
        if dest is not None:
            named = reader.named_destinations.get(str(dest)) if not isinstance(dest, list) else None
            page_ref = (named.page if named is not None else dest[0])
            targets.append(reader.get_page_number(page_ref.get_object() if hasattr(page_ref, "get_object")
                                                  else page_ref) + 1)
    return targets


def test_table_of_contents_lists_and_links_every_part_group_and_story(user_packet):
    reader = PdfReader(str(user_packet / "output" / "packet.pdf"))
    tree = outline_tree(reader)
    # the contents follow the bookmarks one for one (all but the cover's own), each a link to its page
    assert link_targets(reader, reader.pages[0]) == [page for _, title, page in tree if title != "Cover and contents"]
    cover = " ".join(page_texts(user_packet / "output" / "packet.pdf")[0].split())
    for _depth, title, _page in tree[1:]:
        shown = " ".join(title.split())
        assert shown in cover or shown[:20] in cover, title  # long titles are cut with an ellipsis
    assert "Deep-dive phases (12)" in cover and "Stories in full" in cover
    assert len(reader.pages[0].get("/Annots", [])) == 4 + 4 + 43


def test_every_page_after_the_cover_links_back_to_the_contents(user_packet):
    reader = PdfReader(str(user_packet / "output" / "packet.pdf"))
    texts = page_texts(user_packet / "output" / "packet.pdf")
    footed = [n for n, text in enumerate(texts, start=1) if n > 1 and "Contents" in text and f"{n} / " in text]
    assert len(footed) >= len(reader.pages) - 3  # the sheet and the matrix are full pages without a footer
    for n in footed:
        assert 1 in link_targets(reader, reader.pages[n - 1]), n


def test_metadata_text_and_cleanliness(user_packet):
    path = user_packet / "output" / "packet.pdf"
    meta = PdfReader(str(path)).metadata
    assert meta.title == "Interview prep packet — Amazon"
    assert "Amazon" in meta["/Keywords"] and meta.subject
    text = "\n".join(page_texts(path))
    for literal in ("→", "L\u2019Oréal", "<5%", "Third-party expensive"):
        assert literal in text, literal
    assert path.stat().st_size < 1_000_000
    assert unembedded_fonts(path) == set()
    with pikepdf.open(path) as pdf:
        assert pdf.check_pdf_syntax() == []


def test_only_packet_builds_just_the_packet_and_is_reproducible(make_workspace, run_cli):
    ws = make_workspace()
    assert run_cli("build", "--only", "packet", ws).code == 0
    assert sorted(p.name for p in (ws / "output").glob("*.pdf")) == ["packet.pdf"]
    first = (ws / "output" / "packet.pdf").read_bytes()
    assert run_cli("build", "--only", "packet", ws).code == 0
    assert (ws / "output" / "packet.pdf").read_bytes() == first
    meta = PdfReader(str(ws / "output" / "packet.pdf")).metadata
    assert meta.author == "Your Name"


def test_no_story_page_ends_on_a_section_name_or_a_title(user_packet):
    from deckbuilder.content.load import load_content

    content, _ = load_content(user_packet / "content")
    names = {key.capitalize() for story in content.stories for key in story.sections} | {"Notes"}
    titles = {" ".join(story.title.split()) for story in content.stories}
    texts = page_texts(user_packet / "output" / "packet.pdf")
    first_story_page = next(i for i, t in enumerate(texts) if content.stories[0].title.split(" — ")[0] in t
                            and "Answers best" in t)
    checked = 0
    for text in texts[first_story_page:]:
        lines = [line.strip() for line in text.splitlines()
                 if line.strip() and "Contents" not in line and not re.fullmatch(r"\d+ / \d+", line.strip())]
        assert lines[-1] not in names, lines[-3:]
        assert " ".join(lines[-1].split()) not in titles, lines[-3:]
        checked += 1
    assert checked >= 10


def test_the_stories_laid_out_ahead_are_taken_once_by_the_packet_of_that_content(make_workspace, monkeypatch):
    """``build`` lays the stories out while the deck is planned (``packet.lay_out_stories``); the
    packet drawn next, in a process forked from that one, takes those pages instead of
    laying them out again, once, and only for the very content, templates and paper."""
    from deckbuilder.build import load
    from deckbuilder.options import PrintOptions
    from deckbuilder.outputs import packet
    from deckbuilder.render.templates import Templates
    from deckbuilder.workspace import Workspace

    workspace = Workspace.at(make_workspace())
    content, report = load(workspace)
    templates = Templates(workspace.templates_dir, report)
    laid_out = []
    real = packet._story_pages
    monkeypatch.setattr(packet, "_story_pages", lambda *args: laid_out.append(args) or real(*args))
    size = packet.paper_size(PrintOptions().sheet_paper)
    packet.lay_out_stories(content, templates, PrintOptions())
    assert len(laid_out) == 1
    first = packet.story_pages(content, templates, size)
    assert len(laid_out) == 1 and first[0].anchored[0][:2] == ("stories", "Stories in full")
    assert packet.story_pages(content, templates, size) is not first and len(laid_out) == 2  # once only
    packet.lay_out_stories(content, templates, PrintOptions())
    other, _ = load(workspace)  # the same files read again: other objects, laid out afresh
    packet.story_pages(other, templates, size)
    assert len(laid_out) == 4
