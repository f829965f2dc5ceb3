"""Hostile and careless input to the newer features (deckbuilder.toml, printer profiles,
--select's memory, the practice log, export, perforated stock): each is a user error (exit 2)
with the file and line and a hint, or a warning, never a traceback, a hang or a read or
write outside the workspace."""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

import pytest
from hangguard import hang_guard

from deckbuilder.errors import UserError


def _problem(exc: pytest.ExceptionInfo[UserError]):
    return exc.value.problems[0]


# ---------------------------------------------------------------- deckbuilder.toml

@pytest.mark.parametrize("text, line, fragment", [
    ("a = " + "[" * 5000 + "]" * 5000 + "\n", 1, "nested too deeply"),
    ("a = " + "{b = " * 3000 + "1" + "}" * 3000 + "\n", 1, "nested too deeply"),
    ('[print]\nback_offset = [25, 1]\n', 2, "more than 20 mm"),
    ('[print]\nback_offset = [nan, 1]\n', 2, "is not X,Y in mm"),
    ('[print]\nback_offset = [1e300, 1]\n', 2, "is not X,Y in mm"),
    ('[print]\nprinter = "../../etc/passwd"\n', 2, "is not a printer name"),
    ('[print]\nprinter = "a\\nb"\n', 2, r"'a\nb' is not a printer name"),
    ('[output]\ndir = "a\\u0000b"\n', 2, "is not a folder name"),
    ('[output]\ndir = "' + "a" * 5000 + '"\n', 2, "is not a folder name"),
    ('[print]\npaper = "caf\xe9"\n', 2, "not UTF-8 text (byte 0xe9"),
])
def test_settings_file_mistakes_name_their_line(tmp_path, text, line, fragment):
    from deckbuilder.config import load, resolve

    if "\xe9" in text:
        (tmp_path / "deckbuilder.toml").write_bytes(text.encode("latin-1"))
    else:
        (tmp_path / "deckbuilder.toml").write_text(text, "utf-8")
    with pytest.raises(UserError) as caught:
        resolve({}, tmp_path, load(tmp_path))
    problem = _problem(caught)
    assert (problem.file, problem.line) == ("deckbuilder.toml", line), problem.format()
    assert fragment in problem.message and problem.hint
    assert "\n" not in problem.message and len(problem.message) < 200


def test_settings_output_dir_of_an_unknown_users_home(tmp_path):
    from deckbuilder.config import load, resolve

    (tmp_path / "deckbuilder.toml").write_text('[output]\ndir = "~no-such-user-here/x"\n', "utf-8")
    with pytest.raises(UserError) as caught:
        resolve({}, tmp_path, load(tmp_path))
    assert _problem(caught).line == 2 and "is not a folder that can be used" in _problem(caught).message


def test_settings_file_too_big_is_refused_before_it_is_parsed(tmp_path):
    from deckbuilder.config import load

    (tmp_path / "deckbuilder.toml").write_text("[print]\n" + "".join(f"k{i} = 1\n" for i in range(40_000)), "utf-8")
    with pytest.raises(UserError) as caught:
        load(tmp_path)
    assert len(caught.value.problems) == 1 and "too big for a settings file" in _problem(caught).message


def test_a_byte_order_mark_from_notepad_is_not_an_error(tmp_path):
    from deckbuilder.config import load

    (tmp_path / "deckbuilder.toml").write_text('\ufeff[print]\npaper = "a4"\n', "utf-8")
    assert load(tmp_path).values == {"paper": "a4"}


def test_checks_table_does_not_stop_a_build(make_workspace, run_cli):
    """docs/coach.md puts [checks] in deckbuilder.toml: the print settings must leave it alone."""
    ws = make_workspace({"deckbuilder.toml": '[print]\npaper = "a4"\n\n[checks]\noff = ["too-short"]\n'})
    result = run_cli("build", "--only", "matrix", ws)
    assert result.code == 0, result.err
    assert "paper a4 (file)" in result.out


def test_settings_file_linked_from_outside_the_workspace_is_not_read(tmp_path):
    from deckbuilder.coach.settings import read_check_settings
    from deckbuilder.config import load

    outside = tmp_path / "secret.toml"
    outside.write_text('[print]\npaper = "a4"\n[checks]\noff = ["x"]\n', "utf-8")
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "deckbuilder.toml").symlink_to(outside)
    for read in (load, read_check_settings):
        with pytest.raises(UserError) as caught:
            read(ws)
        assert "link to a place outside the workspace" in _problem(caught).message


def test_deeply_nested_settings_file_is_an_error_for_check_too(tmp_path):
    from deckbuilder.coach.settings import read_check_settings

    (tmp_path / "deckbuilder.toml").write_text("a = " + "[" * 5000 + "]" * 5000 + "\n", "utf-8")
    with pytest.raises(UserError) as caught:
        read_check_settings(tmp_path)
    assert "nested too deeply" in _problem(caught).message


# ---------------------------------------------------------------- printer profiles

def _profiles(text: str | bytes) -> Path:
    path = Path(os.environ["DECKBUILDER_CONFIG_DIR"]) / "printers.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, "utf-8")
    return path


@pytest.mark.parametrize("text, fragment", [
    ('printers = "x"\n', "'printers' must be a table"),
    ("printers = [1, 2]\n", "'printers' must be a table"),
    ("[printers.x]\nback_offset = 5\n", "printer 'x': back_offset 5 is not X,Y in mm"),
    ("[printers.x]\nback_offset = [1, 2]\n", "printer 'x': back_offset [1, 2] is not X,Y in mm"),
    ('[printers.x]\nback_offset = "50,50"\n', "printer 'x': back_offset 50,50 is more than 20 mm"),
    ('[printers.x]\nback_offset = "1,1"\nflip = "sideways"\n', "printer 'x': flip 'sideways' is not one of"),
    ('[printers.x]\nback_offset = "1,1"\nflip = 3\n', "printer 'x': flip 3 is not one of"),
    ('[printers."a/b\\nc"]\nback_offset = "1,1"\n', r"'a/b\nc' is not a usable printer name"),
    ('[printers."a\\"b"]\nback_offset = "1,1"\n', "is not a usable printer name"),
    ("a = " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
    ("# x\n" * 100_000, "too big for a settings file"),
])
def test_a_broken_profiles_file_is_a_user_error(text, fragment):
    from deckbuilder import printers

    path = _profiles(text)
    with pytest.raises(UserError) as caught:
        printers.load_all()
    problem = _problem(caught)
    assert problem.file == str(path) and fragment in problem.message, problem.format()
    assert "\n" not in problem.message and problem.hint


def test_a_profiles_file_that_is_a_folder_or_a_pipe(run_cli):
    path = Path(os.environ["DECKBUILDER_CONFIG_DIR"]) / "printers.toml"
    path.mkdir()
    for args in (("printer", "list"), ("printer", "set", "office", "--back-offset", "1,1")):
        result = run_cli(*args)
        assert result.code == 2 and "printers.toml: the printer profiles file is not a file" in result.err
    path.rmdir()
    if hasattr(os, "mkfifo"):
        os.mkfifo(path)  # reading a pipe would wait for a writer forever
        assert run_cli("printer", "list").code == 2


def test_a_config_dir_that_is_a_file_cannot_take_profiles(tmp_path, monkeypatch, run_cli):
    (tmp_path / "afile").write_text("x")
    monkeypatch.setenv("DECKBUILDER_CONFIG_DIR", str(tmp_path / "afile"))
    result = run_cli("printer", "set", "office", "--back-offset", "1,1")
    assert result.code == 2 and "cannot save the printer profiles" in result.err and "Traceback" not in result.err


def test_a_printer_name_with_a_newline_is_shown_escaped(run_cli):
    result = run_cli("printer", "set", "a\nb", "--back-offset", "1,1")
    assert result.code == 2 and result.err.startswith("'a\\nb' is not a usable printer name")


# ---------------------------------------------------------------- --select and .deckbuilder/cards.json

class _Card:
    def __init__(self, name: str) -> None:
        self.set, self.name, self.front, self.back, self.tags = "stories", name, "f", "b", frozenset({name})


def test_a_corrupted_deck_memory_counts_every_card_as_changed(tmp_path):
    from deckbuilder.selection import choose, memory_path, remembered_total

    path = memory_path(tmp_path)
    path.parent.mkdir()
    cards = [_Card("a"), _Card("b")]
    for junk in ("[" * 100_000 + "]" * 100_000, '{"total": true, "cards": []}', "[1, 2]", "\x00\xff"):
        path.write_text(junk, "utf-8")
        assert choose(cards, ["changed"], tmp_path)[0] == [0, 1]
        assert remembered_total(tmp_path) is None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX pipes")
def test_deck_memory_that_is_a_pipe_or_a_device_is_not_read(tmp_path):
    """A pipe would block the read for ever, /dev/zero never end it."""
    from deckbuilder.selection import memory_path, remembered

    path = memory_path(tmp_path)
    path.parent.mkdir()
    os.mkfifo(path)
    assert remembered(tmp_path) is None
    path.unlink()
    path.symlink_to("/dev/zero")
    assert remembered(tmp_path) is None


def test_deck_memory_linked_outside_the_workspace_is_neither_read_nor_written(tmp_path):
    from deckbuilder.selection import remember, remembered

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "cards.json").write_text('{"total": 2, "cards": {"stories: a": "x"}}', "utf-8")
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / ".deckbuilder").symlink_to(outside)
    assert remembered(ws) is None
    with pytest.raises(OSError):
        remember(ws, [_Card("a")], 1)
    assert (outside / "cards.json").read_text("utf-8").startswith('{"total": 2')


def test_deck_memory_that_cannot_be_written_is_a_warning_after_the_pdfs(built_workspace, run_cli):
    import shutil

    shutil.rmtree(built_workspace / ".deckbuilder")
    (built_workspace / ".deckbuilder").write_text("not a folder", "utf-8")
    result = run_cli("build", "--only", "cards", built_workspace)
    assert result.code == 0, result.err
    assert ".deckbuilder/cards.json: warning: cannot record this deck for --select changed" in result.err


def test_many_unknown_selections_make_one_short_line(tmp_path):
    from deckbuilder.selection import choose

    with pytest.raises(UserError) as caught:
        choose([_Card("a")], [f"nope{i}" for i in range(5000)] + ["a\x01b"], tmp_path)
    assert "and 4996 more: no card matches" in _problem(caught).message
    assert len(_problem(caught).message) < 200


# ---------------------------------------------------------------- the practice log

def _log(tmp_path: Path, *rows: tuple) -> Path:
    from deckbuilder.practice.log import log_path, open_log

    open_log(tmp_path).close()
    conn = sqlite3.connect(log_path(tmp_path))
    conn.executemany("INSERT INTO reviews (card_id, reviewed_at, grade, seconds, content_hash) VALUES (?, ?, ?, ?, ?)",
                     rows)
    conn.commit()
    conn.close()
    return log_path(tmp_path)


@pytest.mark.parametrize("row", [
    ("story:a", "not a date", 3, 5.0, "h"),
    (b"\x00\xff", "2026-01-01T00:00:00+00:00", 3, 5.0, "h"),
    ("story:a", "2026-01-01T00:00:00+00:00", 3, 1e308, "h"),
])
def test_a_review_row_we_never_wrote_is_a_user_error_naming_it(tmp_path, row):
    from deckbuilder.practice.log import open_log

    _log(tmp_path, row)
    with open_log(tmp_path, create=False) as log, pytest.raises(UserError) as caught:
        log.reviews()
    assert "row 1" in _problem(caught).message and "DELETE FROM reviews WHERE id = 1" in _problem(caught).hint


def test_a_log_of_another_shape_is_refused(tmp_path):
    from deckbuilder.practice.log import log_path, open_log

    log_path(tmp_path).parent.mkdir()
    conn = sqlite3.connect(log_path(tmp_path))
    conn.execute("CREATE TABLE reviews (x)")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with pytest.raises(UserError) as caught:
        open_log(tmp_path)
    assert "not one deckbuilder wrote" in _problem(caught).message


def test_a_log_linked_outside_the_workspace_is_refused(tmp_path):
    from deckbuilder.practice.log import PracticeLog, log_path, open_log

    PracticeLog(tmp_path / "outside.sqlite").close()
    ws = tmp_path / "ws"
    log_path(ws).parent.mkdir(parents=True)
    log_path(ws).symlink_to(tmp_path / "outside.sqlite")
    with pytest.raises(UserError) as caught:
        open_log(ws)
    assert "link to a place outside the workspace" in _problem(caught).message
    log_path(ws).unlink()
    log_path(ws).symlink_to(tmp_path / "not-there-yet.sqlite")  # would be created outside
    with pytest.raises(UserError):
        open_log(ws)
    assert not (tmp_path / "not-there-yet.sqlite").exists()


# ---------------------------------------------------------------- export

def test_export_onto_a_folder_is_a_user_error(tmp_path):
    from deckbuilder.practice.export import write_csv

    (tmp_path / "Deck.csv").mkdir()
    with pytest.raises(UserError) as caught:
        write_csv([], "Deck", tmp_path)
    assert "Deck.csv is a folder" in _problem(caught).message
    assert [p.name for p in tmp_path.iterdir()] == ["Deck.csv"]


# ---------------------------------------------------------------- perforated stock builds every PDF

@pytest.mark.skipif(sys.platform == "win32", reason="one platform is enough for this")
def test_perforated_stock_builds_the_sheet_and_matrix_on_its_sheet(make_workspace, run_cli):
    from pypdf import PdfReader

    ws = make_workspace()
    result = run_cli("build", "--only", "sheet,matrix", "--paper", "avery-l7414", ws)
    assert result.code == 0, result.err
    page = PdfReader(ws / "output" / "final-prep.pdf").pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)  # A4


# ---------------------------------------------------------------- the loop solver at scale

def test_sparse_loop_solver_gives_exactly_what_the_full_matrix_gives():
    """plan_loop leaves out the cells a story cannot fill; on random loops (ties included: costs
    repeat) every slot still gets the very column the Hungarian algorithm on the full matrix gives."""
    import random

    from loopref import hungarian

    from deckbuilder.coach.loop import FORBIDDEN, UNFILLED_COST, cost, sparse_hungarian

    rng = random.Random(17)
    for _ in range(400):
        n, s = rng.randint(1, 9), rng.randint(0, 9)
        full = [[rng.choice([0, 1, 2, 3, 10, 11, 14, FORBIDDEN, FORBIDDEN]) for _ in range(s)] + [UNFILLED_COST] * n
                for _ in range(n)]
        rows = [[(j, c) for j, c in enumerate(row) if c < FORBIDDEN] for row in full]
        expected = hungarian(full)
        assert sparse_hungarian(rows, s + n) == expected, full
        stories_only = [[(j, c) for j, c in row if j < s] for row in rows]
        assert sparse_hungarian(stories_only, s + n, s, UNFILLED_COST) == expected, full
    assert cost  # the loop's own costs are covered by test_loop's plans


def test_a_large_loop_is_planned_quickly():
    """30 interviewers x 10 principles against 5,000 stories (half a minute before)."""
    import random

    from deckbuilder.coach.loop import plan_loop
    from deckbuilder.content.model import Content, Interview, Interviewer, Story
    from deckbuilder.content.principles import builtin_set

    names = ["Customer Obsession", "Ownership", "Invent and Simplify", "Are Right, A Lot", "Learn and Be Curious",
             "Hire and Develop the Best", "Insist on the Highest Standards", "Think Big", "Bias for Action",
             "Frugality", "Earn Trust", "Dive Deep", "Deliver Results", "Have Backbone; Disagree and Commit"]
    rng = random.Random(3)
    stories = [Story.model_construct(id=f"s{k}", title=f"S {k}", label=f"S{k}", strength=rng.randint(1, 5),
                                     primary=[rng.choice(names)], secondary=rng.sample(names, 2))
               for k in range(5000)]  # built without validation: 5,000 stories validated take a second
    people = [Interviewer(name="Sam" if k % 2 else f"I{k}", principles=rng.sample(names, 10)) for k in range(30)]
    content = Content(principles=builtin_set(), interview=Interview(company="X", interviewers=people), stories=stories)
    with hang_guard():  # 0.9 s when measured; bench/run.py times it
        plan = plan_loop(content)
    assert plan is not None and plan.covered and len({id(s) for s in plan.main}) == 300


def test_a_locked_log_is_not_called_broken(tmp_path, monkeypatch):
    """Another drill writing the log holds a lock: the hint must not tell the user to move a good log away."""
    from deckbuilder.practice import log as practice_log

    _log(tmp_path)
    holder = sqlite3.connect(practice_log.log_path(tmp_path), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    real_connect = sqlite3.connect
    monkeypatch.setattr(practice_log.sqlite3, "connect", lambda path, timeout=5: real_connect(path, timeout=0.05))
    try:
        with pytest.raises(UserError) as caught:
            practice_log.open_log(tmp_path)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "locked" in _problem(caught).message
    assert "let it finish" in _problem(caught).hint and "move the file away" not in _problem(caught).hint


@pytest.mark.parametrize("flag", ["--out", "--printer"])
def test_an_empty_out_or_printer_flag_is_refused(make_workspace, run_cli, flag):
    """'--out ""' wrote the PDFs into the current folder; '--printer ""' was silently ignored."""
    ws = make_workspace()
    result = run_cli("build", "--only", "matrix", flag, "", ws)
    assert result.code == 2 and result.err.startswith(f"{flag} is empty"), result.err
    assert not (ws / "output" / "matrix.pdf").exists()


def test_a_loop_too_long_for_its_page_names_the_interviewers_line(make_workspace, run_cli):
    names = ["Ownership", "Dive Deep", "Frugality", "Earn Trust", "Think Big", "Bias for Action", "Deliver Results",
             "Customer Obsession", "Invent and Simplify", "Learn and Be Curious"]
    people = "".join(f"    - name: P{i}\n      principles: [{', '.join(names)}]\n" for i in range(12))
    ws = make_workspace({"content/interview.yaml": "interview:\n  company: Acme\n  interviewers:\n" + people})
    result = run_cli("build", "--only", "loop", ws)
    assert result.code == 2 and result.err.startswith("content/interview.yaml:3: the loop plan needs "), result.err
