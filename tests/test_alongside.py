"""Drawing the packet in a second process while this one draws the rest: same files, same errors, nothing
left behind."""

from __future__ import annotations

import os

import pytest
from facecount import searches_here

from deckbuilder import alongside
from deckbuilder.build import BuildOptions, build
from deckbuilder.errors import UserError
from deckbuilder.outputs.registry import OUTPUTS
from deckbuilder.workspace import Workspace

forks = pytest.mark.skipif(not alongside.available(), reason="no fork or a single core: builds never fork here")


def leftovers(root):
    return sorted(p.name for p in (root / "output").iterdir() if p.name.endswith(".tmp"))


@forks
def test_parallel_build_writes_what_a_plain_loop_writes(make_workspace):
    one, two = make_workspace(name="one"), make_workspace(name="two")
    written_1, report_1 = build(Workspace.at(one), BuildOptions(paper="stock"), parallel=True)
    written_2, report_2 = build(Workspace.at(two), BuildOptions(paper="stock"), parallel=False)
    assert [p.name for p in written_1] == [p.name for p in written_2] == ["cards.pdf", "final-prep.pdf", "matrix.pdf",
                                                                         "packet.pdf"]
    for a, b in zip(written_1, written_2):
        assert a.read_bytes() == b.read_bytes(), a.name
    assert report_1.warnings == report_2.warnings and report_1.warnings  # the sheet's --paper stock warning


def fail_with(name, exc):
    """An output's draw that stages half a file, then fails."""
    def draw(plan, paths):
        paths[name].write_bytes(b"half a file")
        raise exc
    return draw


@forks
def test_an_error_in_the_cards_is_reported_even_when_the_packet_fails_too(make_workspace, monkeypatch):
    """A plain loop stops at the cards and never reaches the packet: so must the parallel build."""
    root = make_workspace()
    monkeypatch.setattr(OUTPUTS["packet"], "draw", fail_with("packet.pdf", UserError("the packet is broken")))
    monkeypatch.setattr(OUTPUTS["cards"], "draw", fail_with("cards.pdf", UserError("the cards are broken")))
    with pytest.raises(UserError, match="the cards are broken"):
        build(Workspace.at(root), BuildOptions())
    assert leftovers(root) == []


@forks
def test_the_packet_is_drawn_in_the_second_process(make_workspace, monkeypatch):
    """The packet (the longest drawing) is drawn alongside; the cards, the sheet and the matrix here."""
    import os

    root = make_workspace()
    drawn_by: dict[str, int] = {}
    for name in ("cards", "sheet", "matrix", "packet"):
        def draw(plan, paths, name=name, real=OUTPUTS[name].draw):
            drawn_by[name] = os.getpid()
            real(plan, paths)
            if name == "packet":  # the child's record reaches this process only as a file
                (root / "packet-pid").write_text(str(os.getpid()))
        monkeypatch.setattr(OUTPUTS[name], "draw", draw)
    build(Workspace.at(root), BuildOptions())
    assert drawn_by["cards"] == drawn_by["sheet"] == drawn_by["matrix"] == os.getpid()
    assert "packet" not in drawn_by and int((root / "packet-pid").read_text()) != os.getpid()


@forks
def test_an_error_in_the_second_process_is_reported_and_its_files_removed(make_workspace, monkeypatch):
    root = make_workspace()
    (root / "output" / "packet.pdf").write_bytes(b"the previous packet")
    monkeypatch.setattr(OUTPUTS["packet"], "draw", fail_with("packet.pdf", UserError("the packet is broken")))
    with pytest.raises(UserError, match="the packet is broken"):
        build(Workspace.at(root), BuildOptions())
    assert leftovers(root) == []
    assert (root / "output" / "packet.pdf").read_bytes() == b"the previous packet"
    assert not (root / "output" / "cards.pdf").exists()


@forks
def test_a_bug_in_the_second_process_is_raised_as_itself(make_workspace, monkeypatch):
    root = make_workspace()
    monkeypatch.setattr(OUTPUTS["packet"], "draw", fail_with("packet.pdf", ZeroDivisionError("a bug in the packet")))
    with pytest.raises(ZeroDivisionError, match="a bug in the packet"):
        build(Workspace.at(root), BuildOptions())
    assert leftovers(root) == []


def test_the_cli_reports_a_second_process_error_like_any_other(make_workspace, monkeypatch, run_cli):
    root = make_workspace()
    broken = UserError("the packet is broken", file="content/x.yaml", line=3)
    monkeypatch.setattr(OUTPUTS["packet"], "draw", fail_with("packet.pdf", broken))
    result = run_cli("build", root)
    assert result.code == 2
    assert "content/x.yaml:3: the packet is broken" in result.err
    assert leftovers(root) == []


@forks
def test_the_deck_is_planned_alongside_and_its_faces_remembered_here(make_workspace, monkeypatch):
    """While the sheet and the matrix are planned here; the next build (``watch``) finds every face set."""
    from deckbuilder.outputs import faces

    monkeypatch.setattr(faces, "_FITTED", {})
    set_here = searches_here(monkeypatch)
    root = make_workspace()
    build(Workspace.at(root), BuildOptions())
    assert set_here == [] and faces.remembered()
    build(Workspace.at(root), BuildOptions(), parallel=False)
    assert set_here == []


def test_a_broken_story_template_does_not_come_before_the_plans_problems(make_workspace, run_cli):
    """The stories are laid out while the deck is planned, but an error there is met where a
    plain build meets it: when the packet is drawn, after every plan's problems."""
    from test_deck import LONG_ANSWER

    broken = {"templates/packet/story.md.j2": "{{ story.title }} {{ no_such_thing.at_all }}\n"}
    root = make_workspace(broken, name="broken")
    drawn = run_cli("build", root)
    assert drawn.code == 2 and "story.md.j2" in drawn.err and "too long" not in drawn.err
    deep = make_workspace(broken, name="both") / "content" / "deep-dive.yaml"
    start = "        answer: |\n          **p95 180 ms**"
    deep.write_text(deep.read_text().replace(start, "        answer: |\n" + LONG_ANSWER + "\n          **p95 180 ms**"))
    planned = run_cli("build", deep.parents[1])
    assert planned.code == 2 and "too long for a 3x5 card" in planned.err and "story.md.j2" not in planned.err


@forks
def test_watch_draws_everything_here(make_workspace, monkeypatch):
    """A forked process would not keep the drawings the next rebuild replays (render/replay.py)."""
    monkeypatch.setattr(alongside, "Alongside", None)  # a fork would fail here
    written, _ = build(Workspace.at(make_workspace()), BuildOptions(), again=True)
    assert [p.name for p in written] == ["cards.pdf", "final-prep.pdf", "matrix.pdf", "packet.pdf"]


@forks
def test_a_deck_plan_that_fails_alongside_is_planned_here(make_workspace, monkeypatch):
    """A second process that ends without a plan (one that cannot be pickled, say) costs time, not the build."""
    import os

    parent, real = os.getpid(), OUTPUTS["cards"].plan

    def plan(*args):
        if os.getpid() != parent:
            raise RuntimeError("cannot be sent back")
        return real(*args)

    monkeypatch.setattr(OUTPUTS["cards"], "plan", plan)
    one, two = make_workspace(name="one"), make_workspace(name="two")
    written_1, _ = build(Workspace.at(one), BuildOptions(), parallel=True)
    written_2, _ = build(Workspace.at(two), BuildOptions(), parallel=False)
    assert [p.read_bytes() for p in written_1] == [p.read_bytes() for p in written_2]


class _Unsendable:
    """Pickling it fails part-way, after the pickler has written a frame into the pipe (as a
    Ctrl-C while a 4 MB result is being written does)."""

    def __reduce__(self):
        raise KeyboardInterrupt


@forks
@pytest.mark.parametrize("keep_outcome", [True, False])
def test_a_result_cut_off_in_the_pipe_is_no_result(keep_outcome):
    """A child that wrote part of its result and then failed: join neither unpickles the
    part (an UnpicklingError would replace the error or Ctrl-C being reported) nor hangs."""
    child = alongside.Alongside(lambda: [b"x" * (1 << 20), _Unsendable()], {}, [])
    if keep_outcome:
        with pytest.raises(RuntimeError, match="without a result"):
            child.join()
    else:
        assert child.join(keep_outcome=False) is None


@forks
def test_a_broken_card_template_is_reported_before_a_broken_sheet_template(make_workspace, run_cli):
    """The deck is planned in the second process while the sheet is planned here; when both
    fail, the error reported is the cards' (first in a plain loop), as without the fork."""
    broken = {"templates/cards/story-front.md.j2": "{{ 1 / 0 }}\n",
              "templates/sheet/header.md.j2": "{{ no_such_thing.at_all }}\n"}
    root = make_workspace(broken)
    for command in ("build", "check"):
        result = run_cli(command, root)
        assert result.code == 2 and "story-front.md.j2" in result.err and "header.md.j2" not in result.err, command
    with pytest.raises(UserError, match="division"):
        build(Workspace.at(root), BuildOptions(), parallel=False)


def test_a_ctrl_c_after_the_pdfs_are_moved_into_place_does_not_say_nothing_was_written(make_workspace,
                                                                                          monkeypatch, run_cli):
    """The content's warnings are made after the commit; interrupted there, the PDFs are new."""
    import deckbuilder.build as build_module

    root = make_workspace()

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(build_module, "content_warnings", interrupted)
    result = run_cli("build", root, "--only", "cards")
    assert result.code == 130 and (root / "output" / "cards.pdf").is_file()
    assert "nothing was written" not in result.err and "cards.pdf" in result.err


@forks
@pytest.mark.parametrize("cache", ["off", "empty"])  # with the cache, the first build records each face as drawn
def test_a_font_first_needed_by_text_set_alongside_is_registered_where_it_is_drawn(make_workspace, tmp_path, cache):
    """The deck is planned in a forked process, which registers the bundled fonts its text
    needs there only; a question's *π* inside its bold focal line (bold italics, needed by no
    other output) was drawn here with a font never registered here: an internal error. A fresh
    process, so that no earlier test has registered the font already."""
    import subprocess
    import sys

    from pdfcheck import all_text

    ws = make_workspace({"content/question-bank.yaml": """
        question_bank:
          - principle: Ownership
            questions:
              - text: When did you own the *π* rollout end to end?
                stories: [outage-call]
        """})
    env = {**os.environ, "DECKBUILDER_NO_CACHE": "1"} if cache == "off" else \
        {**os.environ, "DECKBUILDER_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "deckbuilder", "build", str(ws), "--only", "cards,matrix"]  # the matrix: a fork
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "the *π* rollout" not in all_text(ws / "output" / "cards.pdf")
    assert "When did you own the π rollout" in " ".join(all_text(ws / "output" / "cards.pdf").split())


@forks
def test_a_whole_result_is_taken_without_waiting_for_the_child_to_end_and_the_child_is_reaped():
    """The second process's memory is freed by the system after it has sent its result (3-7 ms a
    build waited for): a whole result is taken at once, and the process reaped later, never
    left behind; a result cut short still waits for the process's status (the test above)."""
    import os
    import time

    child = alongside.Alongside(lambda: list(range(100_000)), {}, [])  # a result of a few hundred kB
    assert child.join() == list(range(100_000))
    for _ in range(200):  # the next join reaps it; here, as that would
        alongside.reap_ended()
        if child.pid not in alongside._ENDING:
            break
        time.sleep(0.01)
    assert child.pid not in alongside._ENDING
    with pytest.raises(ChildProcessError):  # reaped: no zombie is left
        os.waitpid(child.pid, os.WNOHANG)
