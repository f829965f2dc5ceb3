"""output/matrix.pdf, read back: one landscape page whose marks agree with the content."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from matrixdata import BANK, STORIES, many_stories, stories_yaml
from pdfcheck import reader, unembedded_fonts
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, LETTER

from deckbuilder.content.load import load_content

BROAD = "Success and Scale Bring Broad Responsibility"


@dataclass(frozen=True)
class Run:
    """One text-showing operation: its text, where its baseline starts, size and direction."""

    text: str
    x: float
    y: float
    size: float
    upright: bool  # turned 90 degrees, reading bottom to top


def runs(path: Path) -> list[Run]:
    """Every text run on page 1 with its position on the page (text matrix times CTM)."""
    out: list[Run] = []

    def visit(text, cm, tm, font_dict, font_size):
        if not text.strip():
            return
        a = tm[0] * cm[0] + tm[1] * cm[2]
        b = tm[0] * cm[1] + tm[1] * cm[3]
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = (a * a + b * b) ** 0.5
        out.append(Run(text.strip(), x, y, font_size * scale, abs(a) < 1e-6 and b > 0))

    PdfReader(str(path)).pages[0].extract_text(visitor_text=visit)
    return out


def build(make_workspace, run_cli, stories=STORIES, bank=BANK, *args: str, name: str = "ws") -> Path:
    ws = make_workspace({"content/stories.yaml": stories_yaml(stories, bank)}, name=name)
    result = run_cli("build", ws, "--only", "matrix", *args)
    assert result.code == 0, result.err
    return ws


def grid(path: Path, row_names: list[str], labels: list[str]) -> dict[tuple[str, str], str]:
    """(principle, label) -> symbol for every ● and ○ in the table, found by position alone."""
    found = runs(path)
    row_y = {r.text: r.y for r in found if r.text in row_names and not r.upright}
    assert set(row_y) == set(row_names), "every principle name is printed whole, on one line"
    col_x = {}
    for r in found:
        if r.upright and r.text in labels:
            col_x[r.text] = r.x - 0.73 * r.size / 2  # the baseline sits half a cap height right of centre
    assert set(col_x) == set(labels), "every story label is printed whole"
    pitch = min(abs(a - b) for a in row_y.values() for b in row_y.values() if a != b)
    cells: dict[tuple[str, str], str] = {}
    for r in found:
        if r.text not in ("●", "○"):
            continue
        principle, dy = min(((p, abs(y - r.y)) for p, y in row_y.items()), key=lambda t: t[1])
        if dy > pitch / 2:
            continue  # the legend's symbols, below the table
        centre = r.x + 0.87 * r.size / 2  # both dots are 0.87 em wide
        label, dx = min(((c, abs(x - centre)) for c, x in col_x.items()), key=lambda t: t[1])
        assert dx < 1.0, f"{r.text} at x={r.x:.1f} is not centred under any column"
        assert (principle, label) not in cells
        cells[(principle, label)] = r.text
    return cells


def expected(ws: Path) -> dict[tuple[str, str], str]:
    content, _ = load_content(ws / "content")
    want = {}
    for story in content.stories:
        for name in story.secondary:
            want[(name, story.label)] = "○"
        for name in story.primary:
            want[(name, story.label)] = "●"
    return want


def test_page_marks_agree_with_content(make_workspace, run_cli):
    ws = build(make_workspace, run_cli)
    pdf = ws / "output" / "matrix.pdf"
    content, _ = load_content(ws / "content")
    names = content.principle_names()
    assert len(reader(pdf).pages) == 1
    assert grid(pdf, names, [s[1] for s in STORIES]) == expected(ws)


def test_one_landscape_letter_page_then_a4_and_stock(make_workspace, run_cli):
    for paper, size in (("letter", LETTER), ("a4", A4), ("stock", LETTER)):
        ws = build(make_workspace, run_cli, STORIES, BANK, "--paper", paper, name=paper)
        pages = reader(ws / "output" / "matrix.pdf").pages
        assert len(pages) == 1
        box = pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (round(size[1]), round(size[0]))


def test_no_text_below_six_points_and_every_font_embedded(make_workspace, run_cli):
    ws = build(make_workspace, run_cli, many_stories(40), {})
    pdf = ws / "output" / "matrix.pdf"
    sizes = [r.size for r in runs(pdf)]
    assert min(sizes) >= 6.0
    assert unembedded_fonts(pdf) == set()
    assert len(reader(pdf).pages) == 1


def test_forty_stories_with_long_labels_all_in_place(make_workspace, run_cli):
    stories = many_stories(40)
    ws = build(make_workspace, run_cli, stories, {})
    content, _ = load_content(ws / "content")
    assert grid(ws / "output" / "matrix.pdf", content.principle_names(), [s[1] for s in stories]) == expected(ws)


def test_attention_marks_sit_in_their_row_and_column(make_workspace, run_cli):
    ws = build(make_workspace, run_cli)
    found = runs(ws / "output" / "matrix.pdf")
    content, _ = load_content(ws / "content")
    rows = content.principle_names() + ["Principles per story"]
    row_y = {r.text: r.y for r in found if not r.upright and r.text in rows}
    flags = [r for r in found if r.text in ("✗", "!", "▲")]
    legend_y = min(row_y.values()) - 20  # well below the last row

    def row_of(run: Run) -> str | None:
        near = [name for name, y in row_y.items() if abs(y - run.y) < 1 and name in
                (BROAD, "Frugality", "Principles per story")]
        return near[0] if near else None

    in_table = [f for f in flags if f.y > legend_y]
    assert sorted((f.text, row_of(f)) for f in in_table if f.text != "▲") == [("!", "Frugality"), ("✗", BROAD)]
    (over,) = [f for f in in_table if f.text == "▲"]
    label = next(r for r in found if r.upright and r.text == "FD snapshot")
    assert abs((over.x + 0.77 * over.size / 2) - (label.x - 0.73 * label.size / 2)) < 1.0
    assert over.y < row_y["Principles per story"]  # under the column total
    legend = [f.text for f in flags if f.y <= legend_y]
    assert sorted(legend) == ["!", "▲", "✗"]  # the legend explains each mark once


def test_totals_and_bank_questions_are_printed(make_workspace, run_cli):
    ws = build(make_workspace, run_cli)
    found = runs(ws / "output" / "matrix.pdf")
    row_y = {r.text: r.y for r in found if not r.upright}
    numbers_on = lambda name: [r.text for r in sorted(found, key=lambda r: r.x)  # noqa: E731
                               if abs(r.y - row_y[name]) < 0.01 and r.text.isdigit()]
    assert numbers_on("Bias for Action") == ["4", "3"]  # 4 stories, 3 bank questions
    assert numbers_on(BROAD) == ["0", "0"]
    assert numbers_on("Principles per story") == ["5", "2", "2", "2", "3"] + ["2"] * 14 + ["1", "2", "2", "2",
                                                                                           "2", "3"]


def test_too_many_stories_is_a_user_error_naming_how_many_fit(make_workspace, run_cli):
    ws = make_workspace({"content/stories.yaml": stories_yaml(many_stories(60), {})})
    result = run_cli("build", ws, "--only", "matrix")
    assert result.code == 2
    assert "the principle matrix has 60 story columns, but at most 54 fit across one letter page at 6 pt" \
        in result.err
    assert "--paper a4" in result.err
    assert not (ws / "output" / "matrix.pdf").exists()


@pytest.mark.parametrize("n", [41, 45])
def test_past_forty_long_labels_still_fit_while_there_is_room(make_workspace, run_cli, n):
    ws = build(make_workspace, run_cli, many_stories(n), {}, name=f"n{n}")
    assert min(r.size for r in runs(ws / "output" / "matrix.pdf")) >= 6.0


def test_builds_are_byte_identical(make_workspace, run_cli):
    ws = build(make_workspace, run_cli)
    first = (ws / "output" / "matrix.pdf").read_bytes()
    assert run_cli("build", ws, "--only", "matrix").code == 0
    assert (ws / "output" / "matrix.pdf").read_bytes() == first


def test_long_custom_principle_names_are_named_as_the_reason_columns_do_not_fit(make_workspace, run_cli):
    values = [f"Value {i}: " + "we hold ourselves to the very highest standard of care in all we do" for i in range(4)]
    principles = "principles:\n  name: Acme values\n  principles:\n" + "".join(
        f"    - name: {json.dumps(v)}\n" for v in values)
    stories = [(f"s{i:02d}", f"S{i:02d}", [values[i % 4]], []) for i in range(54)]  # 54 fit with Amazon's
    ws = make_workspace({"content/values.yaml": principles, "content/stories.yaml": stories_yaml(stories, {})})
    result = run_cli("build", ws, "--only", "matrix")
    assert result.code == 2, result.err
    assert "story columns, but at most" in result.err
    assert "the principle names take" in result.err and f"(longest: '{values[0]}')" in result.err
    assert "shorter names in principles:" in result.err
