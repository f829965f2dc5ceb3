"""The rendering pipeline, checked by reading the PDFs back: escaping, fonts, templates."""

from __future__ import annotations

import io

import pytest
from pdfcheck import all_text, font_names, unembedded_fonts
from pypdf import PdfReader

from deckbuilder.render import fonts
from deckbuilder.render.markup import TextStyle, to_flowables
from deckbuilder.render.pdf import Meta, draw_stack, new_canvas

TRICKY = ["<5% error rate", "AT&T", "a<b && c>d", "<unit 5>", "<script>alert(1)</script>", "L'Oréal → 93%"]


def render_markdown(text: str) -> PdfReader:
    """Draw Markdown on one page and read it back."""
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, (600, 800), Meta(title="test"))
    draw_stack(canvas, to_flowables(text, TextStyle(10)), 20, 780, 560)
    canvas.showPage()
    canvas.save()
    return PdfReader(io.BytesIO(buffer.getvalue()))


@pytest.mark.parametrize("text", TRICKY)
def test_plain_text_prints_literally(text):
    # the one change allowed: an apostrophe in prose prints as the typographer's ’ (docs/design.md)
    assert text.replace("'", "\u2019") in render_markdown(text).pages[0].extract_text()


def test_markdown_emphasis_and_lists():
    reader = render_markdown("**bold** and *italic*\n\n- one\n- two\n\n1. first\n2. second")
    text = reader.pages[0].extract_text()
    for piece in ("bold and italic", "• one", "• two", "1. first", "2. second"):
        assert piece in text
    page_fonts = {str(f.get_object()["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert any(name.endswith("DejaVuSans-Bold") for name in page_fonts)
    assert any(name.endswith("DejaVuSans-Oblique") for name in page_fonts)


def test_javascript_links_are_dropped_and_safe_links_kept():
    reader = render_markdown("[evil](javascript:alert(1)) and [docs](https://example.com/x)")
    page = reader.pages[0]
    uris = [a.get_object()["/A"]["/URI"] for a in page.get("/Annots", []) if "/A" in a.get_object()]
    assert uris == ["https://example.com/x"]
    assert "javascript" not in str(uris)


def test_fallback_fonts_print_arrows_accents_and_check_marks():
    reader = render_markdown("→ é — “quoted” ✅ ❌")
    text = reader.pages[0].extract_text()
    for char in "→é—“”✅❌":
        assert char in text
    page_fonts = {str(f.get_object()["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert any("NotoEmoji" in name for name in page_fonts)


def test_every_font_in_a_build_is_embedded(make_workspace, run_cli):
    ws = make_workspace({"content/extra.yaml": """\
        reminders:
          - heading: Marks
            items: ["Done ✅ / not done ❌ → next"]
        questions_to_ask:
          - text: "L'Oréal → ✅"
        """})
    assert run_cli("build", ws).code == 0
    for pdf in (ws / "output").glob("*.pdf"):
        assert unembedded_fonts(pdf) == set(), pdf
        assert not any("Helvetica" in name for name in font_names(pdf)), pdf


def test_character_no_font_has_is_a_warning_with_location(make_workspace, run_cli):
    # U+0378 and U+0379 are unassigned: no font on any machine has them
    ws = make_workspace({"content/odd.yaml": """\
        stories:
          - id: kanji
            title: Learning \u0378\u0379
            label: Kanji
            primary: [Learn and Be Curious]
            sections: {situation: a, task: b, action: c, result: d}
        """})
    check = run_cli("check", ws)
    assert check.code == 0
    assert "content/odd.yaml:3: warning: no font has '\u0378' (U+0378), '\u0379' (U+0379)" in check.err
    assert "stories[0].title" in check.err
    build = run_cli("build", ws)
    assert build.code == 0
    assert "Learning" in all_text(ws / "output" / "cards.pdf")
    assert run_cli("check", "--strict", ws).code == 2


def test_uncovered_ignores_invisible_presentation_selectors():
    assert fonts.uncovered("⚠️ ok") == []  # U+FE0F after the sign is an invisible selector
    assert fonts.uncovered("\u0378") == ["\u0378"]


def test_workspace_template_overrides_builtin_file_by_file(make_workspace, run_cli):
    ws = make_workspace({"templates/cards/story-front.md.j2": "OVERRIDDEN {{ story.title }}\n"})
    assert run_cli("build", ws).code == 0
    text = " ".join(all_text(ws / "output" / "cards.pdf").split())  # a big front may wrap the title
    assert "OVERRIDDEN The Friday outage call" in text
    assert "WHY — the problem" in text  # phase cards still use the built-in template


def test_template_with_undefined_name_points_at_the_template_line(make_workspace, run_cli):
    ws = make_workspace({"templates/cards/story-front.md.j2": "line one\n{{ story.titel }}\n"})
    result = run_cli("build", ws)
    assert result.code == 2
    assert "templates/cards/story-front.md.j2:2: template uses an undefined name" in result.err
    assert "Traceback" not in result.err


def test_template_syntax_error(make_workspace, run_cli):
    ws = make_workspace({"templates/cards/story-back.md.j2": "ok\n{% for x in %}\n"})
    result = run_cli("build", ws)
    assert result.code == 2
    assert "templates/cards/story-back.md.j2:2: template syntax error" in result.err


@pytest.mark.parametrize("expression", ["''.__class__.__mro__", "story.__class__.__init__.__globals__",
                                        "story.__init__.__globals__"])
def test_sandbox_refuses_python_internals(make_workspace, run_cli, expression):
    ws = make_workspace({"templates/cards/story-front.md.j2": "{{ " + expression + " }}\n"})
    result = run_cli("build", ws)
    assert result.code == 2
    assert "templates/cards/story-front.md.j2:1:" in result.err
    assert "Traceback" not in result.err


def test_builds_are_byte_identical(make_workspace, run_cli):
    ws = make_workspace()
    assert run_cli("build", ws).code == 0
    first = {p.name: p.read_bytes() for p in (ws / "output").glob("*.pdf")}
    assert run_cli("build", ws).code == 0
    second = {p.name: p.read_bytes() for p in (ws / "output").glob("*.pdf")}
    assert first == second


def test_emoji_above_the_basic_plane_copy_and_search_as_themselves(tmp_path):
    """ToUnicode must map U+1F680 as a surrogate pair, or viewers extract garbage."""
    import io

    from pypdf import PdfReader

    from deckbuilder.render.markup import TextStyle, to_flowables
    from deckbuilder.render.pdf import Block, Meta, new_canvas

    buffer = io.BytesIO()
    canvas = new_canvas(buffer, (400, 200), Meta(title="t"))
    Block(to_flowables("GOOD LUCK! 🎮🚀 → L'Oréal", TextStyle(12))).draw_at(canvas, 10, 20, 180, 380)
    canvas.showPage()
    canvas.save()
    reader = PdfReader(io.BytesIO(buffer.getvalue()))
    text = reader.pages[0].extract_text()
    assert "🎮🚀" in text and "→ L\u2019Oréal" in text
    cmaps = [font.get_object()["/ToUnicode"].get_object().get_data().decode()
             for font in reader.pages[0]["/Resources"]["/Font"].values()]
    assert any("<D83DDE80>" in cmap for cmap in cmaps)  # 🚀 as UTF-16BE
