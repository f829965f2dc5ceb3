"""final-prep.pdf, read back: one page, nothing under 7 pt, every trigger word, sections in
the user's order, the overrun said in words, and an honest failure when it cannot fit."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml
from pdfcheck import all_text, reader, text_runs, text_sizes, unembedded_fonts
from reportlab.pdfbase.pdfmetrics import stringWidth

from deckbuilder.build import load
from deckbuilder.content.model import Story
from deckbuilder.outputs.sheet import CEILING_PT, FLOOR_PT, MARGIN, best_story, plan_sheet, render_sections
from deckbuilder.render import fonts
from deckbuilder.render.templates import Templates
from deckbuilder.render.timeline import SLOT_LINE
from deckbuilder.sample import write_sample
from deckbuilder.workspace import Workspace

REPO = Path(__file__).resolve().parents[1]
SEEDLIKE = Path(__file__).parent / "data" / "seedlike"
LETTER, A4 = (612, 792), (595.2756, 841.8898)


def flat(text: str) -> str:
    """Text with every run of whitespace as one space: lines wrap wherever the column ends."""
    return re.sub(r"\s+", " ", text)


def seedlike(make_workspace, name: str = "seed", copies: int = 1) -> Path:
    """A workspace as large as the user's real notes (or ``copies`` times as large)."""
    root = make_workspace(starter=False, name=name)
    for source in SEEDLIKE.glob("*.yaml"):
        shutil.copy(source, root / "content" / source.name)
    interview = yaml.safe_load((SEEDLIKE / "interview.yaml").read_text("utf-8"))
    project_text = (SEEDLIKE / "vto.yaml").read_text("utf-8")
    for n in range(2, copies + 1):
        (root / "content" / f"vto{n}.yaml").write_text(
            project_text.replace("id: vto", f"id: vto{n}").replace("id: scott", f"id: scott{n}"), "utf-8")
        extra = {"questions_to_ask": interview["questions_to_ask"], "reminders": interview["reminders"]}
        (root / "content" / f"more{n}.yaml").write_text(yaml.safe_dump(extra, allow_unicode=True), "utf-8")
    return root


def build_sheet(run_cli, root: Path, *args: str) -> Path:
    result = run_cli("build", root, "--only", "sheet", *args)
    assert result.code == 0, result.err
    return root / "output" / "final-prep.pdf"


def body_size(pdf: Path) -> float:
    """The most common font size on the page: the body size the fitting chose."""
    sizes = Counter(round(size, 2) for _, size in text_sizes(pdf))
    return sizes.most_common(1)[0][0]


def text_origins(pdf: Path) -> list[tuple[str, float, float]]:
    """(text, x, y) of where every text run starts, on the page's own coordinates."""
    origins: list[tuple[str, float, float]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            origins.append((text, tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))

    reader(pdf).pages[0].extract_text(visitor_text=visit)
    return origins


def assert_one_good_page(pdf: Path, page_size: tuple[float, float]) -> None:
    pdf_reader = reader(pdf)
    assert len(pdf_reader.pages) == 1
    box = pdf_reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(page_size, abs=0.01)
    sizes = [size for _, size in text_sizes(pdf)]
    assert sizes and min(sizes) >= FLOOR_PT - 1e-6
    assert unembedded_fonts(pdf) == set()
    width, height = page_size
    for text, x, y in text_origins(pdf):  # nothing runs into the margins or off the page
        assert MARGIN - 0.5 <= x < width - MARGIN and MARGIN - 0.5 <= y <= height - MARGIN, text


def assert_all_triggers(pdf: Path, root: Path) -> None:
    content, _ = load(Workspace.at(root))
    text = flat(all_text(pdf))
    for project in content.projects:
        for phase in project.phases:
            assert f"{phase.number}. {flat(phase.title)}" in text
            for trigger in phase.triggers:
                assert flat(trigger) in text, trigger


def test_starter_sheet_is_one_page_with_every_trigger(make_workspace, run_cli):
    root = make_workspace()
    pdf = build_sheet(run_cli, root)
    assert_one_good_page(pdf, LETTER)
    assert_all_triggers(pdf, root)
    text = flat(all_text(pdf))
    for piece in ("Example Corp — Senior Software Engineer", "Thu 15 Jan 2026 · 10:00 PST", "60-min interview",
                  "20-min deep-dive", "p95 latency 900 ms → 180 ms", "Ownership: The Friday outage call (4/5)",
                  "What does success look like", "Numbers first, then the story.", "Fits: 9 min spare"):
        assert piece in text, piece
    assert body_size(pdf) == CEILING_PT  # little content: set large, not stretched


@pytest.mark.skipif(not (REPO / "content").is_dir(), reason="the repository has no content/ yet")
def test_repository_content_sheet_is_one_page_with_every_trigger(tmp_path, run_cli):
    root = tmp_path / "repo"
    shutil.copytree(REPO / "content", root / "content")
    if (REPO / "templates").is_dir():
        shutil.copytree(REPO / "templates", root / "templates")
    pdf = build_sheet(run_cli, root)
    assert_one_good_page(pdf, LETTER)
    assert_all_triggers(pdf, root)


def test_seedlike_volume_fits_comfortably_on_letter_and_a4(make_workspace, run_cli):
    root = seedlike(make_workspace)
    for paper, size in (("letter", LETTER), ("a4", A4)):
        pdf = build_sheet(run_cli, root, "--paper", paper)
        assert_one_good_page(pdf, size)
        assert_all_triggers(pdf, root)
        assert body_size(pdf) >= 9.0, paper  # a real sheet's volume reads at a comfortable size
    text = flat(all_text(pdf))
    assert "No story yet:" not in text  # every principle has a story in this workspace
    assert re.search(r"^2\. If you were starting today", all_text(pdf), re.M)  # each question its own paragraph
    assert "Fits: 1 min spare" in text and "counts its upper end" in text


def test_three_times_the_content_fails_listing_each_section(make_workspace, run_cli):
    root = seedlike(make_workspace, copies=3)
    previous = root / "output" / "final-prep.pdf"
    previous.write_bytes(b"%PDF previous build")
    result = run_cli("build", root, "--only", "sheet")
    assert result.code == 2
    message = flat(result.err)
    assert "does not fit on one page even at 7 pt" in message
    for section in ("header", "timeline", "numbers", "principles", "questions", "reminders"):
        assert re.search(rf"\b{section} \d+%", message), section
    total = int(re.search(r"total (\d+)% of the page", message).group(1))
    assert total > 100
    assert "sheet: sections:" in message  # says how to switch sections off
    assert previous.read_bytes() == b"%PDF previous build"
    assert "Traceback" not in result.err


def test_one_story_still_makes_a_full_size_page(make_workspace, run_cli):
    root = make_workspace({"content/stories.yaml": """\
        stories:
          - id: only
            title: The only story
            label: Only
            primary: [Customer Obsession]
            sections: {situation: s, task: t, action: a, result: r}
        """})
    pdf = build_sheet(run_cli, root)
    assert_one_good_page(pdf, LETTER)
    text = flat(all_text(pdf))
    assert "Customer Obsession: The only story (3/5)" in text
    assert "No story yet: Ownership, Invent and Simplify" in text
    assert body_size(pdf) == CEILING_PT


def test_phases_over_the_slot_are_called_out_beside_the_bar(make_workspace, run_cli):
    interview = (REPO / "deckbuilder" / "starter" / "interview.yaml").read_text("utf-8")
    root = make_workspace({"content/interview.yaml": interview.replace("deep_dive_minutes: 20",
                                                                       "deep_dive_minutes: 8")})
    text = flat(all_text(build_sheet(run_cli, root)))
    assert "OVER the slot by 3 min" in text  # 3 + 5 (upper end of "4-5") + 3 = 11 against 8
    assert "Phases plan 10-11 min against the 8-min slot" in text.replace("–", "-")
    assert "8-min slot ends" in text


@pytest.mark.parametrize("slot", [20, 60])
def test_every_phase_number_is_read_back_from_the_bar(make_workspace, run_cli, slot):
    # 60: phase 10's 2-minute segment once lost its number; 20: the slot-end line crossed phase 9's
    root = seedlike(make_workspace)
    interview = root / "content" / "interview.yaml"
    interview.write_text(interview.read_text("utf-8").replace("deep_dive_minutes: 30", f"deep_dive_minutes: {slot}"),
                         "utf-8")
    runs = text_runs(build_sheet(run_cli, root))[0]
    words = next(r for r in runs if r.text == f"{slot}-min slot ends")  # above the bar
    numbers = [r for r in runs if r.text.isdigit() and words.y - 5 * words.size < r.y < words.y]
    marks_y = min(r.y for r in numbers)  # the minute marks under the bar
    phases = {int(r.text): r for r in numbers if r.y > marks_y + 1}
    assert sorted(phases) == list(range(1, 13))
    assert min(r.size for r in phases.values()) >= FLOOR_PT - 1e-6
    # the slot-end line stands at the centre of its bold minute mark; no number reaches it
    mark = next(r for r in numbers if r.y == marks_y and r.text == str(slot))
    line = mark.x + stringWidth(mark.text, fonts.BODY_BOLD, mark.size) / 2
    for r in phases.values():
        right = r.x + stringWidth(r.text, fonts.BODY_BOLD, r.size)
        assert right < line - SLOT_LINE / 2 or r.x > line + SLOT_LINE / 2, r.text


def test_sections_follow_the_content_order_and_can_be_switched_off(make_workspace, run_cli):
    root = make_workspace({"content/sheet.yaml": "sheet:\n  sections: [reminders, header, questions]\n"})
    text = flat(all_text(build_sheet(run_cli, root)))
    assert text.index("Final reminders") < text.index("Example Corp") < text.index("Questions to ask")
    for gone in ("Key numbers", "Principle → best story", "Deep-dive:"):
        assert gone not in text


def test_a_workspace_template_replaces_one_section(make_workspace, run_cli):
    root = make_workspace({"templates/sheet/numbers.md.j2": """\
        ## Figures
        {% for group in numbers %}{% for n in group.numbers %}
        - **{{ n }}**
        {% endfor %}{% endfor %}
        """})
    text = flat(all_text(build_sheet(run_cli, root)))
    assert "Figures" in text and "Key numbers" not in text
    assert "3 teams, 8 engineers" in text
    assert "Principle → best story" in text  # the others keep the built-in templates


def test_stock_paper_prints_the_sheet_on_letter_with_a_warning(make_workspace, run_cli):
    root = make_workspace()
    result = run_cli("build", root, "--only", "sheet", "--paper", "stock")
    assert result.code == 0, result.err
    assert "sheet is on Letter" in result.out + result.err
    assert_one_good_page(root / "output" / "final-prep.pdf", LETTER)


def test_best_story_prefers_primary_then_strength():
    def story(sid: str, strength: int, primary: list[str], secondary: list[str] = ()) -> Story:
        return Story(id=sid, title=sid, label=sid, framework="free", sections={"x": "y"}, primary=primary,
                     secondary=list(secondary), strength=strength)

    stories = [story("weak-primary", 2, ["Ownership"]), story("strong-secondary", 5, ["Dive Deep"], ["Ownership"]),
               story("strong-primary", 4, ["Ownership"]), story("tie", 4, ["Ownership"])]
    assert best_story("Ownership", stories) == (stories[2], "primary")  # first of equals
    assert best_story("Dive Deep", stories) == (stories[1], "primary")
    assert best_story("Frugality", stories) == (None, None)
    assert best_story("Ownership", stories[1:2]) == (stories[1], "secondary")


def test_the_plan_can_be_inspected_without_a_pdf(make_workspace):
    workspace = Workspace.at(seedlike(make_workspace))
    content, _ = load(workspace)
    plan = plan_sheet(render_sections(content, Templates(workspace.templates_dir)))
    assert plan.fits and plan.built.columns in (2, 3)
    assert 0.85 <= plan.fill <= 1.0  # the largest size that fits leaves little of the page unused


@pytest.mark.parametrize("cards", [12, 60, 150])
def test_synthetic_workspaces_make_one_page_or_say_what_to_cut(tmp_path, run_cli, cards):
    """Content of any shape: either a good page with every trigger, or exit 2 with the listing."""
    root = tmp_path / f"sample{cards}"
    write_sample(root, cards, seed=cards)
    result = run_cli("build", root, "--only", "sheet")
    if result.code == 0:
        pdf = root / "output" / "final-prep.pdf"
        assert_one_good_page(pdf, LETTER)
        assert_all_triggers(pdf, root)
    else:
        assert result.code == 2 and re.search(r"timeline \d+%.*total \d+% of the page", flat(result.err))
        assert not (root / "output" / "final-prep.pdf").exists()
