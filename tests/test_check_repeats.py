"""``check`` works out what it prints once: the coverage analysis (the matrix plan's serves the
warnings and the table) and each story's words (the coach's length check); with the content's
warnings kept in the cache folder, neither for the warnings."""

from __future__ import annotations

from deckbuilder import alongside, build
from deckbuilder.coach import checks
from deckbuilder.outputs import matrix


def test_check_analyses_the_coverage_once_and_counts_each_story_once(run_cli, make_workspace, monkeypatch):
    monkeypatch.setattr(alongside, "available", lambda: False)  # everything in this process, counted
    ws = make_workspace()
    first = run_cli("check", ws)
    assert first.code == 0, first.err
    analyses: list[int] = []
    counted: list[str] = []
    real_coverage, real_words = build.coverage, checks.story_words
    monkeypatch.setattr(build, "coverage", lambda content: analyses.append(1) or real_coverage(content))
    monkeypatch.setattr(matrix, "coverage", lambda content: analyses.append(1) or real_coverage(content))
    monkeypatch.setattr(checks, "story_words", lambda story: counted.append(story.id) or real_words(story))
    monkeypatch.setenv("DECKBUILDER_NO_CACHE", "1")  # the content's warnings worked out, not kept ones
    again = run_cli("check", ws)
    assert (again.code, again.out, again.err) == (first.code, first.out, first.err)
    assert analyses == [1]
    assert counted and len(counted) == len(set(counted))
    analyses.clear()
    only = run_cli("check", ws, "--only", "sheet")  # no matrix planned: worked out for the warnings and the table
    assert only.code == 0 and "Coverage:" in only.out and len(analyses) == 2
    monkeypatch.delenv("DECKBUILDER_NO_CACHE")
    analyses.clear()
    counted.clear()
    kept = run_cli("check", ws, "--only", "sheet")  # the warnings kept (content.checkstore): for the table only
    assert (kept.code, kept.out, kept.err) == (only.code, only.out, only.err)
    assert len(analyses) == 1 and counted == []
