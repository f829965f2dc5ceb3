"""Markdown edge cases, read back from PDFs or measured: tables, tabs, odd lists."""

from __future__ import annotations

import io

from pypdf import PdfReader

from deckbuilder.render.markup import FlexTable, TextStyle, to_flowables
from deckbuilder.render.pdf import Block, Meta, new_canvas


def page_text(markdown: str, width: float = 300) -> str:
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, (width + 40, 800), Meta(title="t"))
    Block(to_flowables(markdown, TextStyle(10))).draw_at(canvas, 10, 20, 780, width)
    canvas.showPage()
    canvas.save()
    return PdfReader(io.BytesIO(buffer.getvalue())).pages[0].extract_text()


def test_table_is_resized_at_every_width():
    """Fitting measures one table at several widths; it must not keep the first one."""
    table = next(f for f in to_flowables("| a | b |\n|---|---|\n| " + "word " * 40 + "| x |", TextStyle(10))
                 if isinstance(f, FlexTable))
    wide, _ = table.wrap(600, 1e6)
    narrow, _ = table.wrap(200, 1e6)
    assert wide > 400 and narrow <= 200 + 1e-6


def test_a_long_unbroken_cell_does_not_break_the_table():
    url = "https://example.com/" + "a" * 150
    text = page_text(f"| what | where |\n|---|---|\n| docs | {url} |", width=250)
    assert "docs" in text and "example.com" in text


def test_tabs_print_as_spaces_not_boxes():
    assert "Step one" in page_text("Step\tone").replace("    ", " ")


def test_an_empty_list_item_keeps_its_bullet_to_itself():
    text = page_text("- a\n-\n\nafter the list")
    assert "• after" not in text and "after the list" in text


def test_ordered_lists_keep_their_start_number():
    assert "0. zero" in page_text("0. zero\n1. one")
    assert "7. seven" in page_text("7. seven\n8. eight")


def test_headings_of_every_level_and_quotes_and_code_print():
    text = page_text("### three\n\n###### six\n\n> quoted\n\n```\ncode <b>\n```")
    for piece in ("three", "six", "quoted", "code <b>"):
        assert piece in text


def test_a_table_embeds_only_our_fonts(tmp_path):
    """reportlab's Table sets its default font (Helvetica, not embedded) unless told otherwise."""
    from tests.pdfcheck import font_names, unembedded_fonts

    buffer = io.BytesIO()
    canvas = new_canvas(buffer, (400, 400), Meta(title="t"))
    Block(to_flowables("| metric | before |\n|---|---|\n| p99 | 40 ms |", TextStyle(10))).draw_at(canvas, 10, 20, 380, 300)
    canvas.showPage()
    canvas.save()
    pdf = tmp_path / "table.pdf"
    pdf.write_bytes(buffer.getvalue())
    assert "p99" in PdfReader(pdf).pages[0].extract_text()
    assert unembedded_fonts(pdf) == set()
    assert not any("Helvetica" in name for name in font_names(pdf))
