"""The design system (issue 15), measured on the PDFs built from the user's content/ and on
small workspaces: a few sizes per deck, fronts with a focal line on one baseline, backs with
labels and lists, line-breaking rules, print marks and the print-at-100% preference."""

from __future__ import annotations

import re
import shutil
from collections import Counter

import pytest
from conftest import REPO
from pdfcheck import Run, path_points, reader, text_runs, texts_and_runs

from deckbuilder.render import typography

POSITION = re.compile(r"^\d+/\d+$")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """content/ built once for this module with the defaults (Letter, 3x5, long-edge flip)."""
    from deckbuilder.build import BuildOptions, build
    from deckbuilder.workspace import Workspace

    root = tmp_path_factory.mktemp("design")
    shutil.copytree(REPO / "content", root / "content")
    _, report = build(Workspace.at(root), BuildOptions())
    return root / "output", report


def read_once(pdf) -> tuple[list[str], list[list[Run]]]:
    """Every page's text and its positioned runs, from one extraction pass per page."""
    return texts_and_runs(pdf)


@pytest.fixture(scope="module")
def cards(built):
    """cards.pdf read once for the module."""
    out, _ = built
    return read_once(out / "cards.pdf")


def _sizes(runs, parity: int) -> Counter:
    return Counter(round(run.size, 2) for page in runs[parity::2] for run in page)


def test_fronts_and_backs_use_a_few_sizes_for_the_whole_deck(cards):
    _, runs = cards
    fronts, backs = _sizes(runs, 0), _sizes(runs, 1)
    assert len(fronts) <= 5, sorted(fronts)  # footer included
    assert len(backs) <= 6, sorted(backs)
    assert min(fronts) >= 7.0 and min(backs) >= 7.0


def test_no_line_begins_or_ends_with_a_middle_dot(built, cards):
    out, _ = built
    sheet = [page.extract_text() or "" for page in reader(out / "final-prep.pdf").pages]
    for name, texts in (("cards.pdf", cards[0]), ("final-prep.pdf", sheet)):
        for number, page_text in enumerate(texts, start=1):
            for line in page_text.splitlines():
                text = line.strip(" \u00a0")
                assert not text.startswith("·") and not text.endswith("·"), (name, number, line)


def test_cards_ask_the_print_dialog_for_100_percent(built):
    out, _ = built
    prefs = reader(out / "cards.pdf").trailer["/Root"]["/ViewerPreferences"].get_object()
    assert str(prefs["/PrintScaling"]) == "/None" and str(prefs["/Duplex"]) == "/DuplexFlipLongEdge"


def _front_cards(pages):
    """Every front: its n/N run (on the footer's baseline) and the runs above it in the same card."""
    for index in range(0, len(pages), 2):
        runs = pages[index]
        for position in (r for r in runs if POSITION.match(r.text)):
            left = max(r.x for r in runs if abs(r.y - position.y) < 0.01 and r.x < position.x)
            mine = [r for r in runs if left - 1 <= r.x <= position.x and position.y < r.y < position.y + 216]
            yield position, mine


def test_every_front_has_its_focal_line_on_the_same_baseline(cards):
    heights = set()
    for position, mine in _front_cards(cards[1]):
        top = max(mine, key=lambda r: r.y)
        heights.add(round(top.y - position.y, 1))
    assert len(heights) == 1, heights  # measured from each card's own footer


def test_no_placeholder_and_no_free_and_unanswered_questions_are_warned(built, cards):
    _, report = built
    text = " ".join(cards[0])
    assert "No story linked" not in text and "add story ids" not in text
    assert not re.search(r"\bfree\b", text)  # the framework name is never printed
    unanswered = [p for p in report.warnings if "has no story" in p.message]
    assert unanswered and all(p.file and p.line for p in unanswered)


def test_cut_marks_are_solid_black_half_points_in_the_margin(built):
    out, _ = built
    pdf = out / "cards.pdf"
    content = reader(pdf).pages[0].get_contents().get_data().decode("latin-1")
    assert re.search(r"0 0 0 RG\s+(?:[\d.]+ [\d.]+ [\d.]+ RG\s+)?\.5 w|0 0 0 RG\s+0?\.5 w", content) or \
        ("0 0 0 RG" in content and ".5 w" in content)
    points = path_points(pdf, 0)
    assert points and min(y for _, y in points) < 30  # the run-outs reach into the bottom margin


STAR_LISTS = {"content/stories.yaml": """\
    stories:
      - id: lists
        title: A story told in bullets
        label: Bullets
        framework: STAR
        primary: [Ownership]
        sections:
          situation: "We had **two weeks** left."
          task: "Ship the migration."
          action: |
            - Built a migration dashboard
            - Wrote the rollback plan
          result: |
            - **Shipped** on time
            - Zero incidents
    """}


def test_star_sections_written_as_lists_print_as_lists(run_cli, make_workspace):
    ws = make_workspace(STAR_LISTS)
    assert run_cli("build", ws, "--only", "cards").code == 0
    pages = reader(ws / "output" / "cards.pdf").pages
    backs = "\n".join(pages[i].extract_text() for i in range(1, len(pages), 2))
    lines = [line.strip() for line in backs.splitlines()]
    assert "ACTION" in lines and "RESULT" in lines  # the label alone on its line, the list under it
    at = lines.index("ACTION")
    assert lines[at + 1] == "• Built a migration dashboard" and lines[at + 2] == "• Wrote the rollback plan"
    assert any(line.startswith("SITUATION We had") for line in lines)  # a paragraph runs in after its label
    assert "Action:" not in backs and "- Built" not in backs


def test_prose_rules():
    nbsp = typography.NBSP
    assert typography.prose("took 2 days and 6 Teams") == f"took 2{nbsp}days and 6{nbsp}Teams"
    assert typography.prose("a · b — c → d") == f"a{nbsp}· b{nbsp}— c{nbsp}→ d"
    assert typography.prose("v1.2 build") == "v1.2 build"  # a version is not a number with a unit
    assert typography.is_markdown_list("- a\n- b") and not typography.is_markdown_list("a - b")


def test_curly_quotes_in_prose_never_in_code():
    from deckbuilder.render.markup import TextStyle, to_flowables

    (paragraph,) = to_flowables("It's \"done\" with `x = 'a'`", TextStyle(10))
    text = " ".join("".join(p.text for p in word) for word in paragraph.words)
    assert "It\u2019s \u201cdone\u201d" in text and "'a'" in text


def test_a_url_breaks_only_after_a_slash_dot_or_hyphen():
    from deckbuilder.render.markup import TextStyle, to_flowables

    url = "https://example.com/a-very-long-path/with-many/segments/and.more/index.html"
    (paragraph,) = to_flowables(url, TextStyle(10))
    paragraph.wrap(120, 1e9)
    lines = ["".join(p.text for word in line for p in word) for line in paragraph._lines]
    assert len(lines) > 1 and "".join(lines) == url
    assert all(line[-1] in "/.-" for line in lines[:-1]), lines


def test_headings_are_balanced():
    from deckbuilder.render.markup import TextStyle, to_flowables

    (heading,) = to_flowables("# Tell me about a time you disagreed with your manager", TextStyle(10))
    heading.wrap(260, 1e9)
    widths = [sum(p.width for word in line for p in word) for line in heading._lines]
    assert len(widths) == 2 and min(widths) > 0.6 * max(widths)  # not one word left alone


def test_the_sheet_has_three_levels_and_says_when_it_is_small(built):
    out, report = built
    runs = text_runs(out / "final-prep.pdf")[0]
    sizes = Counter(round(r.size, 2) for r in runs)
    body = sizes.most_common(1)[0][0]
    bars = {round(r.size, 2) for r in runs if r.text.startswith(("Key numbers", "Questions to ask"))}
    subs = {round(r.size, 2) for r in runs if r.text.startswith(("Strategy", "Confidence"))}
    assert body >= 7.0 and bars and subs and min(bars) > body and min(subs) > body
    content = reader(out / "final-prep.pdf").pages[0].get_contents().get_data().decode("latin-1")
    assert "1 1 1 rg" in content  # the section bars are reversed out: white text on a filled bar
    small = [p for p in report.warnings if "final-prep.pdf is set at" in p.message]
    assert (body < 8.0) == bool(small)
    if small:
        assert "the longest sections take:" in small[0].message


def test_a_heading_keeps_at_least_two_of_its_items_in_its_column():
    from deckbuilder.outputs.sheet import glue_units
    from deckbuilder.render.markup import TextStyle, to_flowables

    flowables = to_flowables("### Strategy\n\n- one\n- two\n- three\n- four\n\n### Next\n\n- five", TextStyle(8))
    units = glue_units(flowables)
    assert [len(u) for u in units] == [3, 1, 3]  # heading + 2 items; an item; heading + item glued to the last


def test_the_packet_shows_cards_at_full_size_in_one_orientation(built):
    out, _ = built
    pdf = out / "packet.pdf"
    pages = reader(pdf).pages
    texts, runs = read_once(pdf)
    assert min(r.size for page in runs for r in page) >= 7.0
    card_pages = [p for p, text in zip(pages, texts) if "\nfront\n" in text[:300] and "back" in text[:300]]
    assert card_pages and {(float(p.mediabox.width) > float(p.mediabox.height)) for p in card_pages} == {True}


def test_a_story_splits_with_three_lines_on_each_side_or_moves_whole():
    from deckbuilder.render.keeplines import KeepLines
    from deckbuilder.render.markup import TextStyle, to_flowables
    from deckbuilder.render.paginate import paginate

    story = to_flowables("## Title\n\n" + "\n\n".join("word " * 60 for _ in range(3)), TextStyle(10))
    filler = to_flowables("filler " * 400, TextStyle(10))
    for room_lines in range(1, 30):  # the story starts at every height of a page
        lines = [f for f in filler]
        pages = paginate(lines[:1] + [KeepLines(story)], 300, 12.2 * (room_lines + 25))
        parts = [f for page in pages for f in page if isinstance(f, KeepLines)]
        for part in parts:
            part.wrap(300, 1e9)
            counted = sum(len(f._lines) for f in part.flowables if hasattr(f, "words"))
            assert counted >= 3
            assert not part.flowables[-1].getKeepWithNext() or part is parts[-1]  # no page ends on the title


def test_the_matrix_fills_the_page_height_and_its_legend_lists_only_marks_present(built):
    out, _ = built
    pdf = out / "matrix.pdf"
    runs = text_runs(pdf)[0]
    height = float(reader(pdf).pages[0].mediabox.height)
    top = max(r.y + 0.76 * r.size for r in runs)
    bottom = min(r.y - 0.24 * r.size for r in runs)
    assert (top - bottom) / height >= 0.8
    text = reader(pdf).pages[0].extract_text()
    assert "principle with only one story" in text  # Success and Scale has one story in content/
    assert "story on more than 4 principles" not in text and "no story, or story on no principle" not in text


def test_cards_too_wide_to_stand_side_by_side_stack_at_full_size():
    from reportlab.lib.pagesizes import LETTER, landscape

    from deckbuilder.layout.reading import reading_grid, stacked_grid
    from deckbuilder.layout.sizes import CARD_SIZES
    from deckbuilder.outputs.packet import CARD_PAGE_MARGIN

    assert reading_grid(*landscape(LETTER), *CARD_SIZES["3x5"], CARD_PAGE_MARGIN).scale == 1.0
    assert reading_grid(*landscape(LETTER), *CARD_SIZES["4x6"], CARD_PAGE_MARGIN).scale < 1.0
    grid = stacked_grid(*LETTER, *CARD_SIZES["4x6"], CARD_PAGE_MARGIN)
    assert grid is not None and grid.scale == 1.0 and grid.rows >= 1
    front, back = grid.fronts[0], grid.backs[0]
    assert back.top < front.y and front.y >= CARD_PAGE_MARGIN and back.y >= CARD_PAGE_MARGIN


def test_no_line_ends_on_an_arrow_or_a_dash_that_joins_two_items():
    from deckbuilder.render.markup import TextStyle, to_flowables

    (paragraph,) = to_flowables("Catalog → my extraction → 3D team → technical artists → Customer UX "
                                "— and then some more words → done", TextStyle(10))
    for width in range(170, 400, 7):  # wide enough for any word with its arrow and the next word
        paragraph.wrap(width, 1e9)
        lines = [" ".join("".join(p.text for p in word) for word in line) for line in paragraph._lines]
        assert not any(line.endswith(("→", "—")) or line.startswith(("→", "—")) for line in lines), lines


def test_a_column_opening_under_a_heading_repeats_it_and_has_room_for_it():
    from deckbuilder.layout.columns import Unit, pack
    from deckbuilder.outputs.sheet import Part, Section, build_blocks
    from deckbuilder.render.continued import CONT, heading_text

    assert pack([Unit(10), Unit(10, 2, lead=5), Unit(10, 2, lead=5)], 22)[0] == [0, 2]  # 10+2+10, then 5+10
    assert pack([Unit(10), Unit(10, 2, lead=5), Unit(10, 2, lead=5)], 22)[1] == 22
    markdown = "### Strategy\n\n" + "\n".join(f"- point number {i} of the strategy" for i in range(12))
    built = build_blocks([Section("reminders", (Part("flow", markdown),))], 2, 8.0, 500)
    (block,) = built.blocks
    leads = [heading_text(lead[0]) for lead in block.leads if lead]
    assert leads and set(leads) == {f"Strategy {CONT}"}
    assert [bool(lead) for lead in block.leads][:1] == [False]  # the heading's own unit repeats nothing
