"""The starter workspace builds end to end (new -> check -> build)."""

from pdfcheck import all_text, unembedded_fonts


def test_new_check_build(tmp_path, run_cli):
    ws = tmp_path / "ws"
    assert run_cli("new", ws).code == 0
    assert (ws / "content" / "deckbuilder.schema.json").is_file()
    first_line = (ws / "content" / "stories.yaml").read_text().splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=deckbuilder.schema.json"
    check = run_cli("check", ws)
    assert check.code == 0, check.err
    result = run_cli("build", ws)
    assert result.code == 0, result.err
    cards = ws / "output" / "cards.pdf"
    text = all_text(cards)
    assert "WHY — the problem" in text
    assert "1/7" in text
    assert unembedded_fonts(cards) == set()


def test_new_refuses_existing_content(tmp_path, run_cli):
    ws = tmp_path / "ws"
    assert run_cli("new", ws).code == 0
    again = run_cli("new", ws)
    assert again.code == 2
    assert "already exists" in again.err


def test_sample_workspaces_have_exactly_n_cards_and_check(tmp_path, run_cli):
    from deckbuilder.build import load
    from deckbuilder.outputs.deck import collect_cards
    from deckbuilder.render.templates import Templates
    from deckbuilder.workspace import Workspace

    for n in (10, 1500):
        ws = tmp_path / f"s{n}"
        assert run_cli("sample", ws, "--cards", n).code == 0
        content, _ = load(Workspace.at(ws))
        assert len(collect_cards(content, Templates(None))) == n
    assert (tmp_path / "s1500" / "content" / "stories-001.yaml").is_file()  # long lists split into files


def test_version_prints_the_installed_version():
    import subprocess
    import sys
    from importlib import metadata

    result = subprocess.run([sys.executable, "-m", "deckbuilder", "--version"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"deckbuilder {metadata.version('deckbuilder')}"
    assert metadata.version("deckbuilder")[0].isdigit()


def test_a_real_process_exits_with_its_status_and_everything_written(tmp_path, run_cli):
    """The command ends without interpreter teardown (os._exit): what it printed through a pipe and
    the PDFs it wrote must all be there, and the status must be the command's own."""
    import subprocess
    import sys

    from pdfcheck import page_sizes

    ws = tmp_path / "ws"
    assert run_cli("new", ws).code == 0
    built = subprocess.run([sys.executable, "-m", "deckbuilder", "build", str(ws)], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    assert "cards.pdf" in built.stdout + built.stderr
    for name in ("cards.pdf", "final-prep.pdf", "matrix.pdf", "packet.pdf"):
        assert page_sizes(ws / "output" / name), name  # complete enough for a reader to open
    (ws / "content" / "broken.yaml").write_text("stories: [\n", "utf-8")
    broken = subprocess.run([sys.executable, "-m", "deckbuilder", "check", str(ws)], capture_output=True, text=True)
    assert broken.returncode == 2
    assert broken.stderr.startswith("content/broken.yaml:") and "problem to fix" in broken.stderr
