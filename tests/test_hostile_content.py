"""Hostile content at scale: a table wider than a card, a huge text value, a paragraph of
tens of thousands of words with --split, ten thousand stories in check. Each is a user
error at its line (exit 2) or done in time linear in its size; never a crash or a hang."""

from __future__ import annotations

import re

import pytest
from hangguard import hang_guard
from pdfcheck import all_text

from deckbuilder.content.principles import builtin_set


def _table(columns: int, indent: str = "        ") -> str:
    row = "|" + "|".join(f"c{i}" for i in range(columns)) + "|"
    rule = "|" + "|".join("---" for _ in range(columns)) + "|"
    return "\n".join(indent + line for line in (row, rule, row))


def _story(section: str) -> str:
    return ("stories:\n  - id: wide\n    title: Wide\n    label: Wide\n    primary: [Ownership]\n"
            f"    sections:\n      situation: |\n{section}\n      task: b\n      action: c\n      result: d\n")


WIDE = {
    "95 columns in a block": (_story(_table(95)), 9, 95),
    "13 columns in a block": (_story(_table(13)), 9, 13),
    "no outer pipes": (_story("        " + " | ".join(f"h{i}" for i in range(40)) + "\n        "
                              + " | ".join("--" for _ in range(40)) + "\n        " + " | ".join("x" * 40)), 9, 40),
    "aligned columns": (_story("        |" + "|".join("a" for _ in range(20)) + "|\n        |"
                               + "|".join(":-:" for _ in range(20)) + "|"), 9, 20),
    "in a reminder": ("reminders:\n  - heading: Wide\n    items:\n      - |\n" + _table(30, "        ") + "\n", 6, 30),
}


@pytest.mark.parametrize("case", list(WIDE))
def test_a_table_wider_than_a_card_is_refused_at_its_line_by_check_and_build(make_workspace, run_cli, case):
    text, line, columns = WIDE[case]
    ws = make_workspace({"content/wide.yaml": text})
    for command in ("check", "build"):
        result = run_cli(command, ws)
        assert result.code == 2, (command, result.err)
        first = result.err.splitlines()[0]
        assert first == f"content/wide.yaml:{line}: this Markdown table has {columns} columns; a card or page holds " \
                        f"at most 12", first
        assert "\n    hint: " in result.err and "Traceback" not in result.err


@pytest.fixture(scope="module")
def twelve_columns_built(tmp_path_factory):
    """A 12-column table (the most allowed) built on the smallest card and on 3x5."""
    from argparse import Namespace

    from deckbuilder.build import BuildOptions, build
    from deckbuilder.commands.new import run as new
    from deckbuilder.workspace import Workspace

    root = tmp_path_factory.mktemp("twelve") / "ws"
    new(Namespace(dir=str(root)))
    (root / "content" / "wide.yaml").write_text(_story(_table(12)), "utf-8")
    front = root / "templates" / "cards" / "story-front.md.j2"
    front.parent.mkdir(parents=True, exist_ok=True)
    front.write_text("{{ story.title }}\n\n" + _table(12, "") + "\n\n" + "|".join(f"t{i}" for i in range(90))
                     + "\n" + "|".join("-" for _ in range(90)) + "\n", "utf-8")  # a template's tables: never refused
    built = []
    for card in ("a7", "3x5"):
        build(Workspace.at(root), BuildOptions(only=("cards",), card=card))
        built.append((card, (root / "output" / "cards.pdf").rename(root / f"cards-{card}.pdf")))
    return built


def test_the_widest_table_allowed_builds_and_a_templates_wider_one_is_fitted(twelve_columns_built):
    for card, pdf in twelve_columns_built:
        text = all_text(pdf)
        assert "c11" in text, card
        assert re.search(r"t0\s*·\s*t1\s*·\s*t2", text), card  # the template's 90 columns, a row to a line


def test_a_huge_text_value_is_refused_at_its_line(make_workspace, run_cli):
    ws = make_workspace({"content/huge.yaml": "reminders:\n  - heading: Huge\n    items:\n      - "
                                              + "word " * 12_000 + "\n"})
    result = run_cli("check", ws)
    assert result.code == 2
    assert result.err.startswith("content/huge.yaml:4: this value is 59,999 characters long; a text value is "
                                 "limited to 50,000\n    hint: "), result.err


def _words(n: int) -> str:
    vocabulary = ["alpha", "**bold**", "*it*", "a", "longerword", "`code`", "12,345", "tail."]
    return " ".join(vocabulary[(i * 7) % len(vocabulary)] for i in range(n))


def test_split_deals_a_long_paragraph_in_linear_time(monkeypatch):
    """20,000 words (about 85 cards): every word measured and broken into lines a bounded
    number of times, not once per card dealt before it (the old dealing re-measured and
    re-broke the whole rest at every card: 3 s for 16,000 words, minutes for 200,000)."""
    from deckbuilder.layout.sizes import CARD_SIZES
    from deckbuilder.outputs.faces import face_style, split_face
    from deckbuilder.render.richtext import RichText

    work = {"measured": 0, "broken": 0}
    measure, greedy = RichText._measure_words, RichText._greedy

    def counted_measure(self):
        work["measured"] += len(self.words)
        measure(self)

    def counted_greedy(self, avail):
        work["broken"] += len(self.words)
        return greedy(self, avail)

    monkeypatch.setattr(RichText, "_measure_words", counted_measure)
    monkeypatch.setattr(RichText, "_greedy", counted_greedy)
    words = 20_000
    with hang_guard():
        faces = split_face(_words(words), face_style(*CARD_SIZES["3x5"], False), "back")
    assert faces is not None and len(faces) > 50
    assert work["measured"] <= 2 * words, work
    assert work["broken"] <= 40 * words, work  # a break per size tried, and one per card-sized piece


@pytest.mark.parametrize("text", [
    _words(600),
    "- " + _words(500) + "\n- second item\n- third",
    "line one  \n" * 40 + _words(400),
    "# Head\n\n" + "\n\n".join(_words(120) for _ in range(4)),
])
def test_split_deals_exactly_as_splitting_one_rest_at_a_time(text, monkeypatch):
    """The one-pass dealing makes the same faces as the general split applied to each rest."""
    from deckbuilder.layout.sizes import CARD_SIZES
    from deckbuilder.outputs.faces import build_face, face_style, split_parts
    from deckbuilder.render.richtext import RichText

    width, height = face_style(*CARD_SIZES["3x5"], False).body

    def shape(parts):
        return [[(len(getattr(f, "words", [])), getattr(f, "bullet", None), f.getSpaceBefore(), f.getSpaceAfter())
                 for f in part] for part in parts]

    for scale in (0.8, 1.0, 1.4):
        fast = shape(split_parts(build_face(text, "back"), width / scale, height / scale))
        with monkeypatch.context() as m:
            m.delattr(RichText, "split_all")
            slow = shape(split_parts(build_face(text, "back"), width / scale, height / scale))
        assert fast == slow and len(fast) > 1


def _many(n: int):
    """A checked Content with ``n`` stories over the 16 principles, built without YAML."""
    from deckbuilder.content.model import Content, Story

    names = [p.name for p in builtin_set().principles]
    stories = [Story.model_construct(id=f"s{i}", title=f"Story {i}", label=f"S{i}", primary=[names[i % 16]],
                                     secondary=[names[(i + 5) % 16]]) for i in range(n)]  # no validation: fast
    return Content(principles=builtin_set(), stories=stories)


def test_coverage_of_ten_thousand_stories_is_linear_and_summarised():
    from deckbuilder.commands.check import MAX_GRID_COLUMNS, coverage_table
    from deckbuilder.content.coverage import coverage

    content = _many(10_000)
    with hang_guard():  # was 39 s: the column totals were counted again for every column; bench/run.py times it
        cov = coverage(content)
        lines = coverage_table(cov, width=None)
    assert len(content.stories) > MAX_GRID_COLUMNS
    assert lines[0] == "Coverage: 16 principles x 10000 stories"
    assert lines[1].startswith("(too many stories for a grid here")
    assert max(len(line) for line in lines) < 120 and len(lines) < 30
    assert any(re.match(r"^Ownership\s+1250\s+0$", line) for line in lines), lines


def test_a_terminal_too_narrow_for_the_blocks_gets_the_summary():
    from deckbuilder.commands.check import coverage_table
    from deckbuilder.content.coverage import coverage

    cov = coverage(_many(150))
    assert coverage_table(cov, width=None)[1].startswith("   ")  # 150 columns in one grid: it fits a file
    narrow = coverage_table(cov, width=60)
    assert narrow[1].startswith("(too many stories for a grid here") and max(len(line) for line in narrow) < 100
