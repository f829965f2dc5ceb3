"""deckbuilder.toml and printer profiles: flag > file > printer > default, and mistakes in the file.

Read back from what a build prints (its settings line) and from the PDF it writes (page
size for the paper, back positions for the offset).
"""

from __future__ import annotations

import pytest
from pdfcheck import page_sizes
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from test_deck import faces

from deckbuilder.config import key_lines


def settings_line(out: str) -> str:
    (line,) = [line for line in out.splitlines() if line.startswith("settings: ")]
    return line


def test_the_settings_line_says_where_each_value_came_from(run_cli, make_workspace):
    ws = make_workspace({"deckbuilder.toml": """\
        # saved settings
        [print]
        paper = "a4"
        back_offset = [1.0, -0.5]
        printer = "office"
        """})
    assert run_cli("printer", "set", "office", "--back-offset", "2,2", "--flip", "short").code == 0
    result = run_cli("build", ws, "--only", "cards", "--order", "stack")
    assert result.code == 0, result.err
    line = settings_line(result.out)
    for part in ("paper a4 (file)", "card 3x5 (default)", "flip short (printer 'office')",
                 "back offset 1,-0.5 (file)", "order stack (flag)", "split off (default)", "output output/ (default)"):
        assert part in line, line
    pdf = ws / "output" / "cards.pdf"
    assert page_sizes(pdf)[0] == pytest.approx((A4[1], A4[0]))  # 3x5 on A4 goes landscape
    # the flag beats the file, which beats the printer
    flagged = run_cli("build", ws, "--only", "cards", "--paper", "letter", "--back-offset", "0,0", "--flip", "long")
    assert "paper letter (flag)" in settings_line(flagged.out) and "flip long (flag)" in settings_line(flagged.out)
    assert page_sizes(pdf)[0] == pytest.approx((LETTER[1], LETTER[0]))
    plain = faces(pdf)
    # the printer beats the default: without the file's offset, the profile's applies
    (ws / "deckbuilder.toml").write_text('[print]\nprinter = "office"\n', "utf-8")
    profiled = run_cli("build", ws, "--only", "cards", "--flip", "long")
    assert "back offset 2,2 (printer 'office')" in settings_line(profiled.out)
    shifted = faces(pdf)
    for key, (_page, x, y) in plain.items():
        d = 2 * mm if key[1] == "back" else 0.0
        assert shifted[key][1:] == (pytest.approx(x + d, abs=0.01), pytest.approx(y + d, abs=0.01))
    # --printer on the command line beats the file's printer
    assert run_cli("printer", "set", "home", "--back-offset", "-1,0").code == 0
    other = run_cli("build", ws, "--only", "cards", "--printer", "home")
    assert "back offset -1,0 (printer 'home')" in settings_line(other.out)


@pytest.mark.parametrize("text, where, message", [
    ('[print]\npaper = "a5"\n', 2, "[print] paper: 'a5' is not one of"),
    ('[print]\npaper = "avery5388"\n', 2, "hint: did you mean 'avery-5388'?"),
    ('[checks]\noff = ["we-not-i"]\n\n[prnt]\n', 4, "tables [print], [output], [checks]"),
    ('[checks]\nof = ["we-not-i"]\n', 2, "unknown key 'of' in [checks]\n    hint: did you mean 'off'?"),
    ('[print]\n\npapr = "a4"\n', 3, "unknown key 'papr' in [print]\n    hint: did you mean 'paper'?"),
    ('[print]\nsplit = "yes"\n', 2, "[print] split: 'yes' is not true or false"),
    ('[print]\nback_offset = "1;2"\n', 2, "[print] back_offset: '1;2' is not X,Y in mm"),
    ('[print]\ncard = "huge"\n', 2, "[print] card: 'huge' is not a card size"),
    ('[printing]\npaper = "a4"\n', 1, "unknown table or key 'printing'"),
    ('# no table\npaper = "a4"\n', 2, "hint: 'paper' belongs under [print]: write [print] on the line above it"),
    ('[print]\nback_offset = "25,0"\n', 2, "more than 20 mm\n    hint: printers are off by a few mm"),
    ('[print]\npaper = a4\n', 2, "not valid TOML"),
    ('[checks]\noff = ["we-not-i"\n', 2, "not valid TOML: Unclosed array"),
    ('[print]\npaper = "a4"\n[print]\ncard = "a7"\n', 3, "[print] is declared twice\n    hint: write each table once"),
    ('[print]\nprinter = "nowhere"\n', 2, "no printer profile named 'nowhere'"),
])
def test_mistakes_in_the_file_are_file_line_errors(run_cli, make_workspace, text, where, message):
    ws = make_workspace({"deckbuilder.toml": text})
    result = run_cli("build", ws, "--only", "cards")
    assert result.code == 2, result.err
    assert f"deckbuilder.toml:{where}: " in result.err and message in result.err, result.err
    assert "\n    hint: " in result.err and "Traceback" not in result.err
    assert not (ws / "output" / "cards.pdf").exists()


def test_key_lines_finds_keys_under_their_tables():
    text = '# c\n[print]\npaper = "a4"  # x\n"card" = "a7"\n\n[output]\ndir = "out"\n'
    assert key_lines(text) == {("print", "paper"): 3, ("print", "card"): 4, ("output", "dir"): 7}


def test_new_writes_a_commented_file_that_changes_nothing(run_cli, tmp_path):
    ws = tmp_path / "fresh"
    assert run_cli("new", ws).code == 0
    text = (ws / "deckbuilder.toml").read_text("utf-8")
    assert "[print]" in text and "[output]" in text and "avery-5388" in text
    result = run_cli("build", ws, "--only", "cards")
    assert result.code == 0
    assert "paper letter (default)" in settings_line(result.out)


def test_the_checks_table_the_coach_reads_is_no_mistake_for_build(run_cli, make_workspace):
    """[checks] off (docs/coach.md) and the print settings live in the same file: build takes both."""
    ws = make_workspace({"deckbuilder.toml": '[print]\npaper = "a4"\n\n[checks]\noff = ["we-not-i", "no-figure"]\n'})
    result = run_cli("build", ws, "--only", "cards")
    assert result.code == 0, result.err
    assert "paper a4 (file)" in settings_line(result.out)
    assert run_cli("check", ws).code == 0


def test_a_card_that_does_not_fit_the_stock_is_refused(run_cli, make_workspace):
    ws = make_workspace({"deckbuilder.toml": '[print]\npaper = "avery-5388"\ncard = "a7"\n'})
    result = run_cli("build", ws, "--only", "cards")
    assert result.code == 2 and "deckbuilder.toml:3: card a7 does not fit avery-5388" in result.err, result.err


def test_printer_profiles_set_list_remove(run_cli, make_workspace):
    assert run_cli("printer", "list").out.strip().startswith("no printer profiles")
    assert run_cli("printer", "set", "office", "--back-offset", "1.5,-0.5").code == 0
    assert run_cli("printer", "set", "office", "--back-offset", "+1,-2", "--flip", "short").code == 0  # replaces
    listed = run_cli("printer", "list").out
    assert "office: back offset 1,-2, flip short" in listed
    bad = run_cli("printer", "set", "bad name", "--back-offset", "1,1")
    assert bad.code == 2 and "not a usable printer name" in bad.err
    typo = run_cli("printer", "remove", "ofice")
    assert typo.code == 2 and "hint: did you mean 'office'?" in typo.err and "printer set" not in typo.err, typo.err
    assert "did you mean 'office'?" in run_cli("build", make_workspace(), "--printer", "Offic").err
    assert run_cli("printer", "remove", "office").code == 0
    missing = run_cli("printer", "remove", "office")
    assert missing.code == 2 and "no printer profile named 'office'" in missing.err


def test_calibrate_ends_with_the_printer_set_command(run_cli, make_workspace):
    ws = make_workspace()
    result = run_cli("calibrate", ws, "--flip", "short", "--back-offset", "1.5,-0.5")
    assert result.code == 0, result.err
    last = result.out.strip().splitlines()[-1]
    assert "deckbuilder printer set NAME --back-offset 1.5,-0.5 --flip short" in last
    command = last.split("with: ", 1)[1].split("   ")[0].split()[1:]
    assert run_cli(*[("office" if w == "NAME" else w) for w in command]).code == 0  # it runs as printed
    assert "office: back offset 1.5,-0.5, flip short" in run_cli("printer", "list").out


def test_calibrate_takes_a_stock_and_turns_the_sheet_as_its_deck(run_cli, make_workspace):
    ws = make_workspace()
    assert run_cli("calibrate", ws, "--paper", "avery-5388").code == 0
    assert page_sizes(ws / "output" / "calibrate.pdf") == [pytest.approx(LETTER)] * 2  # portrait, as the stock


def test_watch_prints_the_settings_line_first(run_cli, make_workspace, monkeypatch):
    from deckbuilder.commands import watch

    def stop(seconds):
        raise KeyboardInterrupt

    monkeypatch.setattr(watch.time, "sleep", stop)
    ws = make_workspace({"deckbuilder.toml": '[print]\norder = "stack"\n'})
    result = run_cli("watch", ws, "--only", "cards", "--card", "a7")
    assert result.code == 0, result.err
    first = result.out.splitlines()[0]
    assert first.startswith("settings: ") and "card a7 (flag)" in first and "order stack (file)" in first


def test_resolve_takes_each_setting_from_the_first_source_that_has_it(tmp_path):
    """flag > file > printer > default, setting by setting, without building anything."""
    from deckbuilder import printers
    from deckbuilder.config import resolve

    printers.save_all({"p": {"back_offset": "2,2", "flip": "short"}})
    (tmp_path / "deckbuilder.toml").write_text('[print]\nprinter = "p"\nflip = "manual"\ncard = "a7"\n', "utf-8")
    got = resolve({"card": "4x6"}, tmp_path)
    assert got.values["card"] == "4x6" and got.sources["card"] == "flag"
    assert got.values["flip"] == "manual" and got.sources["flip"] == "file"
    assert got.values["back_offset"] == "2,2" and got.sources["back_offset"] == "printer 'p'"
    assert got.values["order"] == "deck" and got.sources["order"] == "default"
    assert resolve({"flip": "long"}, tmp_path).sources["flip"] == "flag"


def test_one_file_holds_print_settings_and_coach_checks(run_cli, make_workspace):
    """deckbuilder.toml is one file with several readers: [checks] (the coach's) must not stop a
    build, and [print] must not stop check; each table still does its own job."""
    ws = make_workspace({"deckbuilder.toml": '[print]\npaper = "a4"\n\n[checks]\noff = ["too-short", "no-figure"]\n'})
    built = run_cli("build", ws, "--only", "cards")
    assert built.code == 0, built.err
    assert sorted(page_sizes(ws / "output" / "cards.pdf")[0]) == pytest.approx(sorted(A4), abs=0.5)  # either way round
    checked = run_cli("check", ws)
    assert checked.code == 0, checked.err
    assert "[too-short]" not in checked.out + checked.err and "[no-figure]" not in checked.out + checked.err
    wrong = make_workspace({"deckbuilder.toml": "[prnt]\npaper = \"a4\"\n"}, name="typo")
    refused = run_cli("build", wrong)
    assert refused.code == 2 and refused.err.startswith("deckbuilder.toml:1:") and "[checks]" in refused.err


def test_check_reports_the_files_mistakes_with_the_contents(run_cli, make_workspace):
    """A clean check should mean the build starts: check names deckbuilder.toml's mistakes too."""
    ws = make_workspace({"deckbuilder.toml": '[print]\npaper = "avery5388"\nprinter = "nowhere"\n',
                         "content/more.yaml": "stories:\n  - id: x\n    titel: X\n"})
    result = run_cli("check", ws)
    assert result.code == 2 and "Traceback" not in result.err
    assert "deckbuilder.toml:2: [print] paper: 'avery5388'" in result.err, result.err
    assert "content/more.yaml:3: " in result.err, result.err
    (ws / "content" / "more.yaml").unlink()
    result = run_cli("check", ws)
    assert result.code == 2 and "deckbuilder.toml:2: " in result.err, result.err
    (ws / "deckbuilder.toml").write_text('[print]\npaper = "avery-5388"\n', "utf-8")
    assert run_cli("check", ws).code == 0


def test_build_reports_the_files_mistakes_with_the_contents_as_check_does(run_cli, make_workspace):
    """check and build on the same mistakes list the same problems: a build that stops at
    deckbuilder.toml must not hide the content's mistakes until the next run."""
    ws = make_workspace({"deckbuilder.toml": '[print]\norder = "stak"\n',
                         "content/more.yaml": "stories:\n  - id: x\n    titel: X\n"})
    checked, built = run_cli("check", ws), run_cli("build", ws)
    assert checked.code == built.code == 2 and "Traceback" not in built.err
    assert "deckbuilder.toml:2: [print] order: 'stak'" in built.err, built.err
    assert "content/more.yaml:3: " in built.err, built.err
    problems = [line for line in checked.err.splitlines() if not line.startswith("deckbuilder: ")]
    assert problems == [line for line in built.err.splitlines() if not line.startswith("deckbuilder: ")]
    watched = run_cli("watch", ws)  # stops before its first build, on the same problems
    assert watched.code == 2 and problems == [line for line in watched.err.splitlines()
                                              if not line.startswith("deckbuilder: ")], watched.err


def test_a_refused_build_names_the_output_folder_it_left_alone(run_cli, make_workspace):
    """'the PDFs in output/ are unchanged' is wrong when [output] dir or --out sends them elsewhere."""
    ws = make_workspace({"deckbuilder.toml": '[output]\ndir = "pdfs"\n',
                         "content/more.yaml": "stories:\n  - id: x\n    titel: X\n"})
    assert run_cli("build", ws).err.rstrip().endswith("the PDFs in pdfs/ are unchanged."), run_cli("build", ws).err
    assert run_cli("build", ws, "--out", str(ws / "elsewhere")).err.rstrip().endswith(
        "the PDFs in elsewhere/ are unchanged.")


def test_fold_on_stock_is_refused_where_it_was_said(run_cli, make_workspace):
    """flip = "fold" with a stock from the file: the error points at the file's line, not at a flag never typed."""
    ws = make_workspace({"deckbuilder.toml": '[print]\npaper = "avery-5388"\nflip = "fold"\n'})
    result = run_cli("build", ws, "--only", "cards")
    assert result.code == 2, result.err
    assert result.err.startswith('deckbuilder.toml:3: flip = "fold" needs plain paper, not paper = "avery-5388"')
    assert run_cli("check", ws).code == 2
    flagged = run_cli("build", ws, "--only", "cards", "--flip", "fold", "--paper", "stock")
    assert flagged.code == 2 and flagged.err.startswith("--flip fold needs plain paper, not --paper stock")
    assert run_cli("build", ws, "--only", "cards", "--paper", "letter").code == 0


def test_a_perforated_stock_builds_every_pdf_the_pages_on_its_sheet_size(run_cli, make_workspace):
    """paper = "avery-l7414" in the file must not stop the sheet, matrix and packet (they are pages, not cards)."""
    ws = make_workspace({"deckbuilder.toml": '[print]\npaper = "avery-l7414"\n'})
    result = run_cli("build", ws)
    assert result.code == 0, result.err
    for name in ("cards", "final-prep", "matrix", "packet"):
        assert (ws / "output" / f"{name}.pdf").is_file(), name
    assert page_sizes(ws / "output" / "final-prep.pdf")[0] == pytest.approx(A4)  # the stock's sheet is A4
    assert page_sizes(ws / "output" / "matrix.pdf")[0] == pytest.approx((A4[1], A4[0]))


def test_stats_and_export_write_into_the_output_dir_the_file_names(run_cli, make_workspace):
    """[output] dir moves every file deckbuilder writes, not only build's: practice.pdf and the exports too."""
    ws = make_workspace({"deckbuilder.toml": '[output]\ndir = "prints"\n'})
    stats = run_cli("stats", ws)
    assert stats.code == 0, stats.err
    assert "wrote prints/practice.pdf" in stats.out, stats.out
    for fmt in ("csv", "anki"):
        result = run_cli("export", fmt, ws)
        assert result.code == 0 and "wrote prints/" in result.out, result.err
    assert sorted(p.suffix for p in (ws / "prints").iterdir()) == [".apkg", ".csv", ".pdf"]
    assert not list((ws / "output").iterdir())
