"""Property: any Unicode in any text field either builds or is a user error — never a crash,
and never a PDF that qpdf's checker (via pikepdf) rejects."""

from __future__ import annotations

import shutil

import pikepdf
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deckbuilder.build import BuildOptions, build
from deckbuilder.errors import UserError
from deckbuilder.workspace import Workspace

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
WORDS = st.lists(TEXT, min_size=1, max_size=3)


@st.composite
def content(draw) -> dict:
    return {
        "interview": {"company": draw(TEXT), "role": draw(TEXT), "total_minutes": 60, "deep_dive_minutes": 30},
        "deck": {"label": draw(st.text(max_size=24))},
        "projects": [{"id": "p", "title": draw(TEXT), "numbers": [draw(TEXT)],
                      "phases": [{"number": 1, "title": draw(TEXT), "minutes": 2, "triggers": draw(WORDS),
                                  "summary": draw(TEXT), "answer": draw(TEXT)}]}],
        "stories": [{"id": "s", "title": draw(TEXT), "label": draw(st.text(max_size=24)),
                     "primary": ["Ownership"], "triggers": draw(WORDS), "numbers": [draw(TEXT)],
                     "sections": {k: draw(TEXT) for k in ("situation", "task", "action", "result")}}],
        "question_bank": [{"principle": "Ownership", "questions": [{"text": draw(TEXT), "stories": ["s"]}]}],
        "questions_to_ask": [{"text": draw(TEXT)}],
        "reminders": [{"heading": draw(TEXT), "items": [draw(TEXT)]}],
    }


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=content())
def test_any_text_builds_or_is_a_user_error(tmp_path_factory, data):
    root = tmp_path_factory.mktemp("prop")
    (root / "content").mkdir()
    (root / "content" / "all.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    try:
        written, _ = build(Workspace.at(root), BuildOptions())
    except UserError as exc:
        assert exc.problems and all(p.message for p in exc.problems)
        return
    assert written
    for pdf in written:
        with pikepdf.open(pdf) as document:
            assert document.check_pdf_syntax() == [], pdf.name
    shutil.rmtree(root)
