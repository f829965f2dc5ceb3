"""The content's checks kept in the cache folder (``content.checkstore``): a run that takes them
again prints exactly what a run that checks (or one without any cache) prints, and every input
they depend on changed is a miss."""

from __future__ import annotations

import re

import pytest

from deckbuilder.coach import report as coach_report
from deckbuilder.content import checkstore
from deckbuilder.content import load as content_load

EXTRA_STORY = """\
  - id: late-release
    title: Shipping late on purpose
    label: Outage
    framework: STAR
    primary: [Ownership]
    strength: 2
    triggers: [held the release]
    sections:
      situation: A release was ready but untested.
      task: Decide whether to ship.
      action: I held it a day and tested it myself.
      result: Customers saw no bugs.
"""


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("cache")


@pytest.fixture
def calls(monkeypatch, cache_dir):
    """A cache folder of this module's own (each test's workspace has its own file in it), and
    how often the cross-checks and the coach's story checks ran since the last reset."""
    monkeypatch.setenv("DECKBUILDER_CACHE_DIR", str(cache_dir))
    counts = {"cross": 0, "coach": 0}
    cross, coach = content_load.cross_check, coach_report.coach_problems

    def counting_cross(*args, **kwargs):
        counts["cross"] += 1
        return cross(*args, **kwargs)

    def counting_coach(*args, **kwargs):
        counts["coach"] += 1
        return coach(*args, **kwargs)

    monkeypatch.setattr(content_load, "cross_check", counting_cross)
    monkeypatch.setattr(coach_report, "coach_problems", counting_coach)
    return counts


@pytest.fixture
def ws(make_workspace):
    root = make_workspace()
    stories = root / "content" / "stories.yaml"
    text = stories.read_text("utf-8")
    stories.write_text(text.replace("\nquestion_bank:", EXTRA_STORY + "\nquestion_bank:"), "utf-8")
    return root


def said(run_cli, ws, monkeypatch, cache: bool = True, *args: str) -> tuple[int, str, str]:
    """``check``'s status, its table and its problems, with the cache on or off."""
    if cache:
        monkeypatch.delenv("DECKBUILDER_NO_CACHE", raising=False)
    else:
        monkeypatch.setenv("DECKBUILDER_NO_CACHE", "1")
    result = run_cli("check", ws, *args)
    monkeypatch.delenv("DECKBUILDER_NO_CACHE", raising=False)
    return result.code, result.out, result.err


def reset(calls):
    calls.update(cross=0, coach=0)


def test_a_warm_check_says_what_a_cold_one_and_one_without_cache_say(ws, run_cli, calls, monkeypatch):
    cold = said(run_cli, ws, monkeypatch)
    assert calls == {"cross": 1, "coach": 1}
    assert "same label 'Outage'" in cold[2] and "[no-figure] story 'late-release'" in cold[2]
    reset(calls)
    warm = said(run_cli, ws, monkeypatch)
    assert calls == {"cross": 0, "coach": 0}  # both taken from the cache folder
    assert warm == cold
    reset(calls)
    assert said(run_cli, ws, monkeypatch, False) == cold
    assert calls == {"cross": 1, "coach": 1}
    assert kept_file(ws).is_file()


def kept_file(ws):
    store = checkstore.opened(ws, "")
    assert store is not None
    return checkstore.user_cache.cache_dir() / checkstore.KIND / store.lines.key


def test_a_line_added_moves_every_warning_as_a_fresh_check_does(ws, run_cli, calls, monkeypatch):
    before = said(run_cli, ws, monkeypatch)
    stories = ws / "content" / "stories.yaml"
    stories.write_text("# a new first line\n" + stories.read_text("utf-8"), "utf-8")
    reset(calls)
    after = said(run_cli, ws, monkeypatch)
    assert calls == {"cross": 1, "coach": 1}
    assert after == said(run_cli, ws, monkeypatch, False)
    moved = [line for line in before[2].splitlines() if line.startswith("content/stories.yaml:")]
    assert len(moved) >= 4
    for line in moved:  # every line named in it one lower, the one it starts with and any it quotes
        assert re.sub(r"stories\.yaml:(\d+)", lambda m: f"stories.yaml:{int(m.group(1)) + 1}", line) in after[2]


def test_a_check_switched_off_and_on_again(ws, run_cli, calls, monkeypatch):
    first = said(run_cli, ws, monkeypatch)
    (ws / "deckbuilder.toml").write_text('[checks]\noff = ["no-figure", "not-a-check"]\n', "utf-8")
    reset(calls)
    off = said(run_cli, ws, monkeypatch)
    assert calls["coach"] == 1 and calls["cross"] == 0  # the content's own checks do not read the settings
    assert "[no-figure]" not in off[2] and "unknown check 'not-a-check'" in off[2]
    assert off == said(run_cli, ws, monkeypatch, False)
    (ws / "deckbuilder.toml").write_text("\n" + (ws / "deckbuilder.toml").read_text("utf-8"), "utf-8")
    moved = said(run_cli, ws, monkeypatch)  # the same settings a line lower: the warning's line moves
    assert "deckbuilder.toml:3: warning: unknown check" in moved[2]
    assert moved == said(run_cli, ws, monkeypatch, False)
    (ws / "deckbuilder.toml").unlink()
    reset(calls)
    assert said(run_cli, ws, monkeypatch) == first
    assert calls == {"cross": 0, "coach": 0}  # the first run's, kept


def test_a_principle_set_of_the_content_changed(ws, run_cli, calls, monkeypatch):
    said(run_cli, ws, monkeypatch)
    custom = """\
    principles:
      name: Ours
      principles:
        - name: Ownership
        - name: Bias for Action
        - name: Earn Trust
        - name: Have Backbone; Disagree and Commit
    """
    (ws / "content" / "principles.yaml").write_text(custom, "utf-8")
    reset(calls)
    ours = said(run_cli, ws, monkeypatch)
    assert calls["cross"] == 1 and ours == said(run_cli, ws, monkeypatch, False)
    assert "Customer Obsession" not in ours[1] + ours[2]
    (ws / "content" / "principles.yaml").write_text(custom.replace("Earn Trust", "Earn Trusts"), "utf-8")
    failed = said(run_cli, ws, monkeypatch)
    assert failed[0] == 2 and "unknown principle 'Earn Trust'" in failed[2]
    reset(calls)
    assert said(run_cli, ws, monkeypatch) == failed == said(run_cli, ws, monkeypatch, False)
    assert calls["cross"] == 1  # the uncached run's: the error itself was kept


def test_a_damaged_or_foreign_file_is_a_miss(ws, run_cli, calls, monkeypatch):
    first = said(run_cli, ws, monkeypatch)
    kept = kept_file(ws)
    blob = bytearray(kept.read_bytes())
    at = blob.index(b"same label")
    blob[at] ^= 0x20  # a flipped bit in a warning's text
    kept.write_bytes(bytes(blob))
    reset(calls)
    assert said(run_cli, ws, monkeypatch) == first
    assert calls == {"cross": 1, "coach": 1}
    kept.write_bytes(kept.read_bytes()[:-40])  # cut short
    reset(calls)
    assert said(run_cli, ws, monkeypatch) == first
    assert calls == {"cross": 1, "coach": 1}


def test_a_line_of_the_file_that_is_not_problems_is_a_miss(ws, run_cli, calls, monkeypatch):
    first = said(run_cli, ws, monkeypatch)
    store = checkstore.opened(ws, "any")
    assert store is not None
    for name in list(store.lines.lines):
        store.lines.add(name + b'[[["content/stories.yaml","8","made up",null,null,"warning"]]]')
    store.lines.flush()
    reset(calls)
    assert said(run_cli, ws, monkeypatch) == first
    assert calls == {"cross": 1, "coach": 1}


def test_another_code_is_another_file(ws, run_cli, calls, monkeypatch):
    first = said(run_cli, ws, monkeypatch)
    monkeypatch.setattr(checkstore, "code_fingerprint", lambda: "another version of deckbuilder")
    reset(calls)
    assert said(run_cli, ws, monkeypatch) == first
    assert calls == {"cross": 1, "coach": 1}


def test_a_character_no_bundled_font_has_is_checked_every_time(ws, run_cli, calls, monkeypatch):
    stories = ws / "content" / "stories.yaml"
    stories.write_text(stories.read_text("utf-8").replace("Customers saw no bugs.", "Customers saw no bugs \U000f0001."),
                       "utf-8")
    first = said(run_cli, ws, monkeypatch)
    assert "no font has" in first[2] and "U+F0001" in first[2]
    reset(calls)
    assert said(run_cli, ws, monkeypatch) == first
    assert calls == {"cross": 1, "coach": 0}  # which fonts this machine has is not in the key


def test_rehearsal_warnings_are_made_every_time_in_their_place(ws, run_cli, calls, monkeypatch):
    from deckbuilder.errors import Problem
    from deckbuilder.practice import feedback

    said(run_cli, ws, monkeypatch)
    stale = Problem("content/stories.yaml", 2, "story 'outage-call' has never been rehearsed", severity="warning")
    monkeypatch.setattr(feedback, "stale_warnings", lambda content: [stale])
    reset(calls)
    warm = said(run_cli, ws, monkeypatch)
    assert calls == {"cross": 0, "coach": 0}
    assert warm == said(run_cli, ws, monkeypatch, False)
    lines = warm[2].splitlines()
    rehearsed = lines.index(stale.format())
    assert rehearsed < next(i for i, line in enumerate(lines) if "[too-short]" in line)  # before the coach's
    assert rehearsed > next(i for i, line in enumerate(lines) if "has only one story" in line)  # after coverage


def test_build_prints_the_same_warnings_and_pdfs_warm(ws, run_cli, calls, monkeypatch):
    # a symbol and an emoji: the glyph check (skipped when kept) no longer registers their fonts first
    stories = ws / "content" / "stories.yaml"
    stories.write_text(stories.read_text("utf-8").replace("Customers saw no bugs.", "Customers saw no bugs \u2705 \U0001f846."),
                       "utf-8")

    def build() -> tuple[int, str, dict[str, bytes]]:
        result = run_cli("build", ws, "--only", "cards,matrix")
        return result.code, result.err, {p.name: p.read_bytes() for p in (ws / "output").glob("*.pdf")}

    cold = build()
    reset(calls)
    warm = build()
    assert calls == {"cross": 0, "coach": 0}
    assert warm == cold and "[no-figure]" in warm[1] and len(warm[2]) == 2
    monkeypatch.setenv("DECKBUILDER_NO_CACHE", "1")
    assert build() == cold
