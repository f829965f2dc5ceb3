"""The published JSON Schema against the model: editors (yaml-language-server) underline what
the schema rejects, so it must accept every form deckbuilder reads, and still reject what
deckbuilder rejects wherever a JSON Schema can say so."""

from __future__ import annotations

import copy

import jsonschema
import pytest
from conftest import REPO, STARTER
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from deckbuilder.content.model import ContentFile
from deckbuilder.content.schema import json_schema
from deckbuilder.content.yamlload import load_yaml

VALIDATOR = jsonschema.Draft202012Validator(json_schema())

# The YAML a user edits with the schema attached: the repository's own content and what
# 'deckbuilder new' starts a workspace with.
CONTENT_FILES = sorted((REPO / "content").glob("*.yaml")) + sorted(STARTER.glob("*.yaml"))


def schema_errors(data) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(data)]


def model_accepts(data) -> bool:
    try:
        ContentFile.model_validate(data)
    except ValidationError:
        return False
    return True


def test_the_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(json_schema())


def test_there_are_content_files_to_check():
    names = {p.name for p in CONTENT_FILES}
    assert {"deep-dive.yaml", "stories.yaml", "interview.yaml"} <= names
    assert len([p for p in CONTENT_FILES if p.parent == STARTER]) >= 3


@pytest.mark.parametrize("path", CONTENT_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_content_and_starter_file_passes_the_schema(path):
    # load_yaml reads as the language server does (YAML 1.2): dates and 13:00 stay text.
    data, _ = load_yaml(path)
    assert schema_errors(data) == []


BASE = {
    "interview": {"company": "Acme", "interviewers": [{"name": "Ann", "role": "EM"}]},
    "projects": [{"id": "p", "title": "Project", "phases": [
        {"number": 1, "title": "Why", "triggers": ["slow"], "answer": "Because."}]}],
    "stories": [{"id": "s", "title": "Story", "label": "S", "primary": ["Ownership"],
                 "sections": {"situation": "a", "task": "b", "action": "c", "result": "d"}}],
}


def changed(path: str, value) -> dict:
    """BASE with the value at a dotted path ('stories.0.primary') replaced (or added)."""
    data = copy.deepcopy(BASE)
    *parents, last = path.split(".")
    node = data
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    node[int(last) if last.isdigit() else last] = value
    return data


def test_the_base_document_is_valid():
    assert model_accepts(BASE) and schema_errors(BASE) == []


ACCEPTED = [
    ("projects.0.phases.0.minutes", 2),
    ("projects.0.phases.0.minutes", 2.5),
    ("projects.0.phases.0.minutes", "2-3"),
    ("projects.0.phases.0.minutes", "4 - 5"),
    ("projects.0.phases.0.minutes", "2–3"),  # en dash
    ("projects.0.phases.0.minutes", "3 min"),
    ("projects.0.phases.0.minutes", "2-3 minutes"),
    ("projects.0.phases.0.minutes", {"low": 2, "high": 3}),
    ("projects.0.phases.0.triggers", "slow search, 12% drop-off, on-call pain"),
    ("projects.0.phases.0.triggers", "one"),
    ("projects.0.phases.0.triggers", [2024, "launch"]),
    ("stories.0.triggers", ""),
    ("stories.0.primary", "Ownership"),
    ("stories.0.secondary", "Deliver Results"),
    ("stories.0.framework", "star"),
    ("stories.0.framework", " Spsil "),
    ("stories.0.framework", "FREE"),
    ("stories.0.title", 2024),
    ("stories.0.label", 2024),
    ("stories.0.id", 42),
    ("stories.0.numbers", [93, "2 days"]),
    ("stories.0.sections.result", 3.5),
    ("interview.timezone", "Europe/London"),
    ("interview.time", "13:00"),
    ("interview.date", "2025-10-09"),
    ("interview.interviewers.0.asks", 1),
    ("question_bank", [{"principle": "Ownership", "questions": [{"text": "Tell me", "stories": "s"}]}]),
]


@pytest.mark.parametrize(("path", "value"), ACCEPTED, ids=[f"{p}={v!r}" for p, v in ACCEPTED])
def test_forms_the_model_accepts_pass_the_schema(path, value):
    data = changed(path, value)
    assert model_accepts(data), "the model should take this form; the list is out of date"
    assert schema_errors(data) == []


# Only what a JSON Schema can say: types, enums, ranges, lengths, patterns, required and
# unknown keys. A range "3-2" or a duplicate id the model alone refuses ('deckbuilder check').
REJECTED = [
    ("stories.0.titel", "typo"),  # unknown key
    ("sheets", {"sections": ["header"]}),  # unknown section
    ("interview.interviewers.0.email", "a@b.c"),
    ("stories.0.strength", 9),
    ("stories.0.strength", 0),
    ("stories.0.strength", 2.5),
    ("projects.0.phases.0.minutes", "abc"),
    ("projects.0.phases.0.minutes", "2 hours"),
    ("projects.0.phases.0.minutes", 0),
    ("projects.0.phases.0.minutes", 601),
    ("projects.0.phases.0.minutes", True),
    ("projects.0.phases.0.triggers", []),
    ("projects.0.phases.0.triggers", " , ,"),
    ("projects.0.phases.0.triggers", 2024),
    ("stories.0.primary", []),
    ("stories.0.primary", ""),
    ("stories.0.primary", 7),
    ("stories.0.label", "x" * 25),
    ("stories.0.id", "has space"),
    ("stories.0.title", ""),
    ("stories.0.title", True),
    ("stories.0.title", ["a list"]),
    ("stories.0.framework", "STARS"),
    ("stories.0.sections", ["situation"]),
    ("deck", {"sets": ["cover"]}),
    ("interview.total_minutes", 0),
    ("interview", {"role": "EM"}),  # company is required
]


@pytest.mark.parametrize(("path", "value"), REJECTED, ids=[f"{p}={v!r}"[:60] for p, v in REJECTED])
def test_what_the_model_rejects_the_schema_rejects(path, value):
    data = changed(path, value)
    assert not model_accepts(data), "the model should refuse this; the list is out of date"
    assert schema_errors(data) != []


MINUTES_CHARS = "0123456789.-– minutesh,"


@settings(max_examples=300, deadline=None)
@given(value=st.one_of(st.text(MINUTES_CHARS, max_size=12), st.integers(-5, 700),
                       st.floats(-5, 700, allow_nan=False)))
def test_any_minutes_the_model_accepts_pass_the_schema(value):
    """The minutes pattern is the parser's own regex; this keeps the two from drifting."""
    data = changed("projects.0.phases.0.minutes", value)
    if model_accepts(data):
        assert schema_errors(data) == []


@settings(max_examples=200, deadline=None)
@given(value=st.one_of(st.text(",  ab1\t", max_size=8), st.lists(st.one_of(st.text("ab1 ", max_size=3),
                                                                           st.integers()), max_size=3)),
       field=st.sampled_from(["projects.0.phases.0.triggers", "stories.0.triggers",
                              "stories.0.primary", "stories.0.secondary"]))
def test_any_list_or_line_the_model_accepts_passes_the_schema(field, value):
    data = changed(field, value)
    if model_accepts(data):
        assert schema_errors(data) == []


ANY_CASE = st.sampled_from(["STAR", "SPSIL", "CARL", "free"]).flatmap(
    lambda word: st.tuples(*[st.sampled_from([c.lower(), c.upper()]) for c in word]).map("".join))


@settings(max_examples=100, deadline=None)
@given(value=st.tuples(st.text(" \t", max_size=2), ANY_CASE, st.text(" \t", max_size=2)).map("".join))
def test_a_framework_in_any_case_passes_the_schema(value):
    data = changed("stories.0.framework", value)
    assert model_accepts(data)
    assert schema_errors(data) == []
