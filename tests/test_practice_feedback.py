"""Rehearsal fed back into check, the sheet and the matrix (practice: settings)."""

from __future__ import annotations

import pytest
from pdfcheck import page_texts
from pikepdf import Pdf
from practicedata import cards_of, seed

SETTINGS = "practice:\n  stale_days: 7\n  sheet_marks: 1\n  matrix_recency: true\n"


@pytest.fixture
def rehearsed(make_workspace):
    """The outage story told 2 days ago, the API story 20 days ago."""
    root = make_workspace({"content/practice.yaml": SETTINGS})
    seed(root, [("story:outage-call", 2, 3, 100.0), ("story:api-disagreement", 20, 3, 100.0)], cards_of(root))
    return root


def test_check_warns_about_stories_not_rehearsed_within_the_days_set(rehearsed, run_cli):
    result = run_cli("check", rehearsed)
    assert result.code == 0
    warnings = [line for line in result.err.splitlines() if "rehearsed" in line]
    assert len(warnings) == 1 and "story 'api-disagreement' was last rehearsed 20 days ago" in warnings[0]
    assert warnings[0].startswith("content/stories.yaml:")
    (rehearsed / "content" / "practice.yaml").write_text("practice:\n  stale_days: 30\n")
    assert "rehearsed" not in run_cli("check", rehearsed).err


def test_no_log_no_warnings(make_workspace, run_cli):
    assert "rehearsed" not in run_cli("check", make_workspace()).err


def test_the_sheet_marks_the_least_rehearsed_story_and_the_matrix_shades_the_fresh_one(rehearsed, run_cli):
    assert run_cli("build", rehearsed, "--only", "sheet,matrix").code == 0
    (sheet,) = page_texts(rehearsed / "output" / "final-prep.pdf")
    assert "Disagreeing on the API contract (3/5) ↻" in sheet and "↻ least rehearsed" in sheet
    outage = sheet[sheet.index("The Friday outage call"):]
    assert not outage[:outage.index(")") + 3].count("↻")  # the story told 2 days ago is not marked
    # only the fresh story's column is shaded: one translucent fill state in the page
    with Pdf.open(rehearsed / "output" / "matrix.pdf") as pdf:
        states = pdf.pages[0].Resources.get("/ExtGState", {})
        alphas = sorted(float(s.get("/ca", 1)) for s in states.values() if float(s.get("/ca", 1)) < 1)
    assert len(alphas) == 1 and 0 < alphas[0] < 0.28
