"""The import's report is honest: where the lines went, the largest blocks kept only as
comments, a plain warning when little was recognised, never a bare OK over empty PDFs;
``--dry-run`` writes nothing; a notes file's name never decides where its content goes."""

from __future__ import annotations

import textwrap

import yaml
from notescorpus import NOTES


def test_notes_with_nothing_recognised_warn_and_never_say_ok(tmp_path, run_cli):
    notes = tmp_path / "diary.md"
    notes.write_text(textwrap.dedent("""\
        # Random thoughts

        The weather was nice today and I had a long walk by the river.
        Coffee afterwards, then some reading.

        ## Misc
        More musings about nothing in particular here.
        """), "utf-8")
    result = run_cli("import", notes, tmp_path / "ws")
    assert result.code == 0
    assert "check: OK" not in result.out and "build: OK" not in result.out
    assert f"warning: only 0% of the lines of {notes} were recognised" in result.out
    assert f"warning: nothing in {notes} was recognised" in result.out
    assert f"largest blocks kept as comments: {notes}:1-4 (3 lines), {notes}:6-7 (2 lines)" in result.out
    assert "lines: 0 of 5 (0%) recognised; 0 kept as notes of the nearest item, 5 only as comments" in result.out


def test_the_report_gives_the_share_of_lines_in_content(tmp_path, run_cli):
    notes = NOTES / "01-lp-headings.md"
    result = run_cli("import", notes, tmp_path / "ws")
    assert result.code == 0, result.err
    assert "4 stories, 6 bank questions" in result.out
    # the title and the remark above the first principle are about the whole file: comments
    assert ("lines: 23 with text; 21 (91%) into content (0 of them as notes, not recognised), 2 (9%) kept only "
            "as comments") in result.out
    assert f"largest blocks kept as comments: {notes}:1-3 (2 lines)" in result.out
    assert "warning:" not in result.out
    assert "check: OK" in result.out


def test_dry_run_prints_the_report_and_writes_nothing(tmp_path, run_cli):
    ws = tmp_path / "ws"
    result = run_cli("import", "--dry-run", NOTES / "02-bold-star.md", ws)
    assert result.code == 0, result.err
    assert "would import 1 notes file(s)" in result.out and "3 stories" in result.out
    assert f"dry run: nothing written; without --dry-run this writes {ws / 'content' / 'imported-02-bold-star.yaml'}" \
        in result.out
    assert not ws.exists()


def test_notes_named_sheet_keep_their_stories(tmp_path, run_cli):
    """imported-sheet.yaml is the sheet's section list when the notes overflow a page; notes
    named sheet.md used to be written there and lose their stories to it."""
    notes = tmp_path / "sheet.md"
    notes.write_bytes((NOTES / "13-numbered.md").read_bytes())
    ws = tmp_path / "ws"
    result = run_cli("import", notes, ws)
    assert result.code == 0, result.err
    data = yaml.safe_load((ws / "content" / "imported-sheet-2.yaml").read_text("utf-8"))
    assert len(data["stories"]) == 4
    sheet = ws / "content" / "imported-sheet.yaml"
    assert not sheet.exists() or "stories" not in yaml.safe_load(sheet.read_text("utf-8"))
    assert run_cli("check", ws).code == 0


def test_characters_no_font_has_are_named_in_the_import_report(tmp_path, run_cli):
    """Text the PDFs will leave out is named when importing, not only by a later check
    (U+0378 is unassigned: no font anywhere has it)."""
    notes = tmp_path / "notes.md"
    notes.write_text("## Ownership\n\n### Config rewrite (Ownership)\nS: I took over \u0378 the config.\n"
                     "T: Keep it up.\nA: Rewrote it.\nR: No outages.\n", "utf-8")
    result = run_cli("import", notes, tmp_path / "ws")
    assert result.code == 0, result.err
    assert "warning: no font on this machine has '\u0378' (U+0378); they will be left out of the PDFs" in result.out
