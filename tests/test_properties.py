"""Property: any Unicode in any text field either builds or is a user error — never a crash,
and never a PDF that qpdf's checker (via pikepdf) rejects.

Every text field of the content model gets random text (test_every_text_field_is_drawn
keeps it so when the model grows a field). The text is drawn non-blank and within length
limits, so that most examples get past the checks and really build the four PDFs; one
example in five then puts arbitrary text (empty, spaces, anything) into one field, for
the path that must end in a user error rather than a crash.
"""

from __future__ import annotations

import shutil
import typing

import pikepdf
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from deckbuilder.build import BuildOptions, build
from deckbuilder.content.model import ContentFile
from deckbuilder.errors import UserError
from deckbuilder.workspace import Workspace

CHARS = st.characters(exclude_categories=("Cs",))
ANY_TEXT = st.text(CHARS, max_size=40)


def text(max_size: int = 40) -> st.SearchStrategy[str]:
    """Random text the model takes: not blank (it strips and wants one character)."""
    return st.text(CHARS, min_size=1, max_size=max_size).filter(str.strip)


TEXT, SHORT = text(), text(24)  # SHORT: labels and short names, at most 24 characters
WORDS = st.lists(TEXT, min_size=1, max_size=3)
ID = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,15}", fullmatch=True)


@st.composite
def principle_set(draw) -> dict:
    """A set of one principle, so that its random names cannot clash with another's."""
    return {"name": draw(TEXT), "principles": [{"name": draw(TEXT), "short": draw(SHORT),
                                                "aliases": draw(WORDS), "description": draw(TEXT)}]}


@st.composite
def content(draw) -> dict:
    principles = draw(principle_set())
    principle = principles["principles"][0]
    story_ids = draw(st.lists(ID, min_size=2, max_size=2, unique=True))
    # a free-form story names its own sections: the names are text too (kept apart once stripped)
    free_sections = dict(draw(st.lists(st.tuples(text(20), TEXT), min_size=1, max_size=3,
                                       unique_by=lambda pair: pair[0].strip())))
    data = {
        "interview": {"company": draw(TEXT), "role": draw(TEXT), "candidate": draw(TEXT), "time": draw(TEXT),
                      "timezone": draw(TEXT), "total_minutes": 60, "deep_dive_minutes": 30,
                      "interviewers": [{"name": draw(TEXT), "role": draw(TEXT), "asks": draw(TEXT),
                                        "principles": [principle["name"]], "minutes": 45}]},
        "deck": {"label": draw(SHORT)},
        "principles": principles,
        "projects": [{"id": draw(ID), "title": draw(TEXT), "label": draw(SHORT), "summary": draw(TEXT),
                      "numbers": draw(WORDS),
                      "phases": [{"number": 1, "title": draw(TEXT), "minutes": 2, "triggers": draw(WORDS),
                                  "summary": draw(TEXT), "answer": draw(TEXT), "verify": draw(TEXT)}],
                      # a comma-separated line, as people write it; it may split into no words at all
                      "extras": [{"title": draw(TEXT), "triggers": draw(TEXT), "answer": draw(TEXT),
                                  "verify": draw(TEXT)}]}],
        "stories": [
            {"id": story_ids[0], "title": draw(TEXT), "label": draw(SHORT), "primary": [principle["name"]],
             "secondary": principle["aliases"][:1], "triggers": draw(WORDS), "numbers": draw(WORDS),
             "notes": draw(TEXT), "checks_off": draw(WORDS),
             "sections": {k: draw(TEXT) for k in ("situation", "task", "action", "result")},
             "judgement": [principle["name"]], "headline": principle["name"], "verify": draw(TEXT)},
            {"id": story_ids[1], "title": draw(TEXT), "label": draw(SHORT), "framework": "free",
             "primary": principle["short"], "sections": free_sections},  # own section names
        ],
        "question_bank": [{"principle": principle["name"], "questions": [{"text": draw(TEXT), "stories": story_ids,
                                                                           "judgement": story_ids[1],
                                                                           "verify": draw(TEXT)}]}],
        "questions_to_ask": [{"text": draw(TEXT), "to": draw(TEXT), "note": draw(TEXT), "verify": draw(TEXT)}],
        "reminders": [{"heading": draw(TEXT), "items": draw(WORDS)}],
    }
    if draw(st.integers(0, 4)) == 0:  # one field in five examples: any text at all
        leaves = list(_text_leaves(data))
        parent, key = leaves[draw(st.integers(0, len(leaves) - 1))]
        parent[key] = draw(ANY_TEXT)
    return data


def _text_leaves(node, parent=None, key=None):
    """(container, key) of every text value in a content document."""
    if isinstance(node, dict):
        for k, value in node.items():
            yield from _text_leaves(value, node, k)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _text_leaves(value, node, i)
    elif isinstance(node, str):
        yield parent, key


def _text_fields(model: type[BaseModel], prefix: str = "") -> set[str]:
    """Dotted paths of every field of the model whose values hold text ('stories.title')."""
    found: set[str] = set()
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        types = {t for t in _flatten(field.annotation)}
        models = [t for t in types if isinstance(t, type) and issubclass(t, BaseModel)]
        for sub in models:
            found |= _text_fields(sub, path + ".")
        if str in types:
            found.add(path)
    return found


def _flatten(annotation) -> typing.Iterator:
    """The types inside an annotation: list[X], dict[str, X], X | None, Annotated[X, ...]."""
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is typing.Annotated:
        yield from _flatten(args[0])
    elif args:
        for arg in args[1:] if typing.get_origin(annotation) is dict else args:
            yield from _flatten(arg)
    else:
        yield annotation


def _drawn_fields(data: dict, prefix: str = "") -> set[str]:
    found: set[str] = set()
    for key, value in data.items():
        path = f"{prefix}{key}"
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict) and key != "sections":
                found |= _drawn_fields(item, path + ".")
            elif isinstance(item, (str, dict)):
                found.add(path)
    return found


@settings(max_examples=3, deadline=None)
@given(data=content())
def test_every_text_field_is_drawn(data):
    """The strategy covers every text field of the model; a new field must be added to it."""
    assert _text_fields(ContentFile) - _drawn_fields(data) == set()


# Twenty examples in two tests of ten, which the suite's two workers run side by side (one test
# of twenty was the longest in the suite, a fifth of its time).
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=content())
def test_any_text_builds_or_is_a_user_error(tmp_path_factory, data):
    builds_or_is_a_user_error(tmp_path_factory, data)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=content())
def test_any_other_text_builds_or_is_a_user_error(tmp_path_factory, data):
    builds_or_is_a_user_error(tmp_path_factory, data)


def builds_or_is_a_user_error(tmp_path_factory, data) -> None:
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
