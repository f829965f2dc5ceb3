"""Setting a large deck's faces in two processes: the same PDF as one process, half the faces set here."""

from __future__ import annotations

import os

import pytest
from facecount import searches_here

from deckbuilder import alongside
from deckbuilder.build import BuildOptions, build
from deckbuilder.outputs import faces, fitmany, fitstore
from deckbuilder.workspace import Workspace

forks = pytest.mark.skipif(not alongside.available(), reason="no fork or a single core: builds never fork here")


@pytest.fixture
def nothing_remembered(monkeypatch):
    """No face set by earlier tests (nor stored: ``fitstore``), and every deck counts as large."""
    monkeypatch.setattr(faces, "_FITTED", {})
    monkeypatch.setattr(fitstore, "store_for", lambda style: None)
    monkeypatch.setattr(fitmany, "AT_LEAST", 2)


def cards_pdf(root, parallel: bool) -> bytes:
    written, _ = build(Workspace.at(root), BuildOptions(only=("cards",)), parallel=parallel)
    return written[0].read_bytes()


@forks
def test_a_large_deck_is_set_in_two_processes_into_the_same_pdf(make_workspace, nothing_remembered, monkeypatch):
    here = searches_here(monkeypatch)
    two = cards_pdf(make_workspace(name="two"), parallel=True)
    distinct = len(set(here))
    assert distinct >= 1 and len(here) == distinct  # each face set once...
    monkeypatch.setattr(faces, "_FITTED", {})
    here.clear()
    one = cards_pdf(make_workspace(name="one"), parallel=False)
    assert distinct < len(here) <= 3 * distinct  # ...and here a share of them, about half
    assert two == one


@forks
def test_the_faces_set_alongside_are_remembered_here(make_workspace, nothing_remembered, monkeypatch):
    """The packet's cards and the next ``watch`` rebuild find them set, as if set here."""
    root = make_workspace()
    cards_pdf(root, parallel=True)
    here = searches_here(monkeypatch)
    cards_pdf(root, parallel=True)
    assert here == []


@forks
def test_a_failed_second_process_leaves_the_faces_to_this_one(make_workspace, nothing_remembered, monkeypatch):
    parent = os.getpid()

    def broken(*key):
        if os.getpid() != parent:
            raise ZeroDivisionError("a bug in the second process")
        return faces.set_to_fit(*key)

    monkeypatch.setattr(fitmany, "set_to_fit", broken)
    two = cards_pdf(make_workspace(name="two"), parallel=True)
    monkeypatch.setattr(faces, "_FITTED", {})
    assert two == cards_pdf(make_workspace(name="one"), parallel=False)


def test_nothing_forks_where_a_build_is_told_not_to():
    with alongside.serial():
        assert not alongside.available()


@forks
def test_a_large_deck_is_planned_here_to_set_its_faces_in_two_processes(make_workspace, nothing_remembered,
                                                                         monkeypatch):
    """A full build plans a small deck in the second process, a large one here (where its faces can be shared out)."""
    here = searches_here(monkeypatch)
    build(Workspace.at(make_workspace()), BuildOptions())
    assert here  # this process set its share
