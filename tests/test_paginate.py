"""Pagination of long text: splits between lines, never strands a heading or its bookmark."""

from reportlab.platypus import Spacer

from deckbuilder.render.markup import TextStyle, to_flowables
from deckbuilder.render.paginate import Anchor, paginate
from deckbuilder.render.pdf import stack_height


def test_everything_is_placed_once_and_each_page_fits():
    flowables = to_flowables("\n\n".join(f"Paragraph {i} " + "word " * 60 for i in range(12)), TextStyle(10))
    pages = paginate(flowables, 300, 200)
    assert len(pages) > 3
    for page in pages:
        assert stack_height(page, 300) <= 200 + 1e-6
    text = " ".join(w.text for page in pages for f in page for word in f.words if word for w in word)
    assert text.count("Paragraph") == 12
    assert text.count("word") == 12 * 60  # split paragraphs lose no word


def test_heading_and_anchor_move_to_the_next_page_together():
    filler = Spacer(10, 170)
    heading = to_flowables("## A heading", TextStyle(10))[0]
    body = to_flowables("body " * 200, TextStyle(10))[0]
    anchor = Anchor("k", "A heading", 1)
    pages = paginate([filler, anchor, heading, body], 300, 200)
    assert pages[0] == [filler]
    assert pages[1][:2] == [anchor, heading]
