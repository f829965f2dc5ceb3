"""Markdown edge cases, read back from PDFs or measured: tables, tabs, odd lists."""

from __future__ import annotations

import io

from pypdf import PdfReader

from deckbuilder.render.flextable import FlexTable
from deckbuilder.render.markup import TextStyle, to_flowables
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


def _runs_with_fonts(markdown: str, width: float = 300) -> list[tuple[str, str, float, float]]:
    """(text, font, x, y) of every text run drawn for ``markdown``, read back from the PDF."""
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, (width + 40, 800), Meta(title="t"))
    Block(to_flowables(markdown, TextStyle(10))).draw_at(canvas, 10, 20, 780, width)
    canvas.showPage()
    canvas.save()
    runs: list[tuple[str, str, float, float]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip("\n") and font_dict:
            runs.append((text, str(font_dict["/BaseFont"]).split("+")[-1], tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]))
    PdfReader(io.BytesIO(buffer.getvalue())).pages[0].extract_text(visitor_text=visit)
    return runs


def test_inline_code_prints_in_the_monospace_font_and_bold_code_in_bold_mono():
    runs = _runs_with_fonts("Set `aec_enable = 1` and **`--force`** then run.")
    fonts = {text.strip(): font for text, font, _, _ in runs if text.strip()}
    assert fonts["aec_enable = 1"] == "DejaVuSansMono"
    assert fonts["--force"] == "DejaVuSansMono-Bold"
    assert fonts["Set"] == "DejaVuSans"


def test_text_without_code_does_not_use_the_monospace_font():
    runs = _runs_with_fonts("Plain **bold** and *italic* text, a list:\n\n- one\n- two")
    assert runs and not any("Mono" in font for _, font, _, _ in runs)


def test_a_fenced_block_keeps_its_lines_and_indentation_in_monospace():
    code = "sensor.configure(\n    aec_enable=1,      # was 0\n    exposure_ms=8.3,   # one frame\n)"
    runs = [r for r in _runs_with_fonts(f"Before:\n\n```python\n{code}\n```\n\nAfter.") if "Mono" in r[1]]
    lines = [text.replace("\u00a0", " ") for text, _, _, _ in runs]
    assert [line.rstrip() for line in lines] == code.split("\n")  # every line, spaces and all
    ys = [y for _, _, _, y in runs]
    assert ys == sorted(ys, reverse=True) and len(set(ys)) == len(ys)  # one line each, top to bottom
    assert lines[1].index("#") == lines[2].index("#")  # the comments line up (same column, monospace)
    body_x = next(x for text, font, x, _ in _runs_with_fonts("Before:") if text.strip())
    assert runs[0][2] > body_x + 5  # the block is set in from the text around it


def test_a_long_code_line_wraps_inside_the_width():
    width = 200.0
    line = "x = compute(" + ", ".join(f"argument_{i}" for i in range(30)) + ")"
    runs = [r for r in _runs_with_fonts(f"```\n{line}\n```", width=width) if "Mono" in r[1]]
    assert len(runs) > 2
    assert "".join(text.strip() for text, _, _, _ in runs).replace(" ", "") == line.replace(" ", "")
    advance = 0.602 * 10  # DejaVu Sans Mono: every character is 0.602 em wide
    assert all(x + len(text.rstrip()) * advance <= 10 + width + 0.5 for text, _, x, _ in runs)


def test_characters_the_monospace_font_lacks_fall_back_like_body_text():
    from deckbuilder.render import fonts

    fonts.register_fonts()
    missing = next(chr(c) for c in sorted(fonts._coverage(fonts.BODY) - fonts._coverage(fonts.ensure(fonts.MONO)))
                   if c > 0x2000 and chr(c).isprintable())
    runs = _runs_with_fonts(f"`a{missing}b ✅`")
    by_font = {}
    for text, font, _, _ in runs:
        by_font[font] = by_font.get(font, "") + text
    assert missing in by_font["DejaVuSans"] and "a" in by_font["DejaVuSansMono"]
    assert "✅" in by_font["NotoEmoji-Regular"]
