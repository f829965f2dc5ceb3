"""loop.pdf built from the user's content/ with a loop added, read back: one page, every
interviewer named, no story the main answer under two interviewers; and where the loop
shows up elsewhere (the packet, the sheet, the story backs' telling time)."""

from __future__ import annotations

import re
import shutil
from collections import Counter

import pytest
from conftest import REPO, STARTER
from pdfcheck import page_texts, text_boxes
from pypdf import PdfReader

from deckbuilder.build import BuildOptions, build
from deckbuilder.coach.timing import clock, telling_seconds
from deckbuilder.content.load import load_content
from deckbuilder.workspace import Workspace

LOOP = {  # name -> (principles, minutes)
    "Tyler": (["Ownership", "Dive Deep"], 60),
    "Priya": (["Customer Obsession", "Earn Trust", "Have Backbone"], 45),
    "Sam": (["Bias for Action", "Deliver Results", "Ownership"], 45),
    "Lee": (["Invent and Simplify", "Frugality", "Learn and Be Curious"], None),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("loop") / "ws"
    shutil.copytree(REPO / "content", root / "content")
    interview = root / "content" / "interview.yaml"
    people = "".join(f"    - name: {name}\n      principles: [{', '.join(p)}]\n"
                     + (f"      minutes: {m}\n" if m else "") for name, (p, m) in LOOP.items())
    text = re.sub(r"  interviewers:\n(?:    .*\n|\s*#.*\n)+", "  interviewers:\n" + people, interview.read_text("utf-8"))
    interview.write_text(text, "utf-8")
    written, report = build(Workspace.at(root), BuildOptions(only=("sheet", "loop")))
    return root, {p.name: p for p in written}, report


def test_loop_pdf_is_one_page_naming_every_interviewer(built):
    _, pdfs, _ = built
    pages = page_texts(pdfs["loop.pdf"])
    assert len(pages) == 1
    for name, (_, minutes) in LOOP.items():
        assert name in pages[0]
        if minutes:
            assert f"{minutes} min" in pages[0]


def test_no_story_is_the_main_answer_under_two_interviewers(built):
    """Read back: interviewer names head the columns (bold, largest); main answers are the bold
    labels at body size; backups are smaller. Every question has one, and no label repeats."""
    root, pdfs, _ = built
    boxes = text_boxes(pdfs["loop.pdf"])[0]
    heads = sorted((b for b in boxes if b.text in LOOP), key=lambda b: b.x)
    assert [b.text for b in heads] == list(LOOP)
    body = heads[0].size / 1.35
    labels = {s.label for s in load_content(root / "content", root)[0].stories}
    mains = [b for b in boxes if "Bold" in b.font and abs(b.size - body) < 0.01 and b.text in labels]
    assert len(mains) == sum(len(p) for p, _ in LOOP.values())
    counts = Counter(b.text for b in mains)
    assert max(counts.values()) == 1, counts
    backups = [b for b in boxes if "Bold" in b.font and b.size < body - 0.5 and b.text in labels]
    assert len(backups) == len(mains)  # every question here has a second story


def test_a_full_sheet_gives_up_the_loop_lines_and_says_so(built):
    """The user's sheet is full at 7 pt: the loop's lines would push it past one page, so the
    sheet keeps its one page without them, and the build says where the plan is instead."""
    _, pdfs, report = built
    sheet = page_texts(pdfs["final-prep.pdf"])
    assert len(sheet) == 1
    assert "Tyler · 60 min: Ownership →" not in sheet[0]
    assert any("no room for the loop's line per interviewer" in p.message and "loop.pdf" in p.message
               for p in report.warnings)


def test_the_sheet_has_a_line_per_interviewer(make_workspace):
    interview = (STARTER / "interview.yaml").read_text("utf-8").replace(
        "      asks: Start with the customer problem.\n",
        "      asks: Start with the customer problem.\n      principles: [Ownership, Have Backbone]\n      minutes: 45\n")
    assert "principles:" in interview
    root = make_workspace({"content/interview.yaml": interview})
    written, report = build(Workspace.at(root), BuildOptions(only=("sheet",)))
    sheet = page_texts(written[0])
    line = " ".join(sheet[0].split())
    assert len(sheet) == 1 and "Sam (Engineering manager) · 45 min:" in line and "Ownership → Outage" in line
    assert not any("loop's line" in p.message for p in report.warnings)


def test_the_packet_has_the_loop_page(make_workspace):
    interview = (STARTER / "interview.yaml").read_text("utf-8").replace(
        "      asks: Start with the customer problem.\n",
        "      asks: Start with the customer problem.\n      principles: [Ownership, Have Backbone]\n")
    root = make_workspace({"content/interview.yaml": interview})
    written, _ = build(Workspace.at(root), BuildOptions(only=("packet",)))
    outline = [item.title for item in PdfReader(written[0]).outline if not isinstance(item, list)]
    assert outline.index("Loop plan") == outline.index("Principle matrix") + 1


def test_story_backs_show_their_telling_time(built_template):
    root = built_template
    content, _ = load_content(root / "content", root)
    text = " ".join(page.extract_text() for page in PdfReader(root / "output" / "cards.pdf").pages[1::2])  # backs
    notes = re.findall(r"≈ \d+:\d\d", text)
    assert notes and Counter(notes) == Counter(f"≈ {clock(telling_seconds(s))}" for s in content.stories)


def test_no_loop_no_loop_pdf(built_template):
    assert not (built_template / "output" / "loop.pdf").exists()


def test_an_old_loop_pdf_is_named_when_the_loop_is_gone(make_workspace):
    root = make_workspace({"output/loop.pdf": "old"})
    _, report = build(Workspace.at(root), BuildOptions(only=("loop",)))
    assert [w.message for w in report.warnings if "output/loop.pdf is left from an earlier build" in w.message]
    assert (root / "output" / "loop.pdf").read_text() == "old"


def test_a_loop_too_long_for_one_page_is_a_user_error():
    from test_loop import loop, story

    from deckbuilder.content.principles import builtin_set
    from deckbuilder.errors import UserError
    from deckbuilder.outputs.loop import loop_page

    names = [p.name for p in builtin_set().principles]
    stories = [story(f"s{i}", [names[i % 16]], strength=1 + i % 5) for i in range(160)]
    with pytest.raises(UserError, match=r"the loop plan needs \d+% of one letter page even at 6.5 pt"):
        loop_page(loop({f"P{i}": names for i in range(9)}, stories))
    assert loop_page(loop({f"P{i}": names[:3] for i in range(9)}, stories)) is not None  # 9 columns of 3 fit
