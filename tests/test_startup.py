"""What a command costs to start: only the modules it needs, and no plugin scan by pydantic."""

from __future__ import annotations

import os

from deckbuilder import cli


def _run(monkeypatch) -> str | None:
    """``cli.run()`` with the command and the process exit stubbed: the value pydantic would see."""
    seen: list[str | None] = []
    monkeypatch.setattr(cli.signal, "signal", lambda *args: None)
    monkeypatch.setattr(cli, "main", lambda: seen.append(os.environ.get("PYDANTIC_DISABLE_PLUGINS")) or 0)
    monkeypatch.setattr(cli, "exit_without_teardown", lambda code: None)
    monkeypatch.setattr(cli.classcache, "install", lambda: None)  # dataclasses stays as it is for other tests
    monkeypatch.setattr(cli.classcache, "save", lambda: None)
    cli.run()
    return seen[0]


def test_the_command_turns_pydantics_plugin_scan_off(monkeypatch):
    monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS", raising=False)
    assert _run(monkeypatch) == "__all__"


def test_a_users_own_pydantic_plugin_setting_is_kept(monkeypatch):
    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "some-plugin")
    assert _run(monkeypatch) == "some-plugin"


def _modules_after(workspace, *args: str, env: dict[str, str] | None = None) -> set[str]:
    """The modules a fresh interpreter has imported once ``deckbuilder ARGS WORKSPACE`` has run."""
    import json
    import os
    import subprocess
    import sys

    code = ("import contextlib, io, json, sys\n"
            "from deckbuilder.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
            f"    code = main({[*args, str(workspace)]!r})\n"
            "print(json.dumps([code, sorted(sys.modules)]))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, **(env or {})})
    assert done.returncode == 0, done.stderr
    status, modules = json.loads(done.stdout)
    assert status == 0
    return set(modules)


PLATYPUS_UNUSED = {"reportlab.platypus.paragraph", "reportlab.platypus.tables", "reportlab.platypus.doctemplate"}
OTHER_OUTPUTS = {f"deckbuilder.outputs.{name}" for name in ("sheet", "matrix", "loop", "packet")}


def test_check_plans_every_output_without_importing_what_draws(tmp_path, run_cli):
    assert run_cli("new", tmp_path / "ws").code == 0
    # Its content files (and the shipped principles, which a process reads once: this one may have
    # read them into another test's cache folder) read once by a process of their own: now in the cache.
    _modules_after(tmp_path / "ws", "check")
    modules = _modules_after(tmp_path / "ws", "check")
    assert modules >= OTHER_OUTPUTS  # every output was planned
    assert "reportlab.pdfgen.canvas" not in modules
    assert not PLATYPUS_UNUSED & modules
    assert "yaml" not in modules  # every content file (and the shipped principles) came from the cache
    assert "markdown_it" not in modules  # face sizes and the sheet's layout came from the cache: nothing set


def test_a_build_of_unchanged_cards_parses_no_markdown(tmp_path, run_cli):
    """Each face's size and drawing come from the cache folder, so markdown-it-py (20 ms to
    import) is not even imported; without the cache it is, and the cards are the same."""
    assert run_cli("new", tmp_path / "ws").code == 0
    _modules_after(tmp_path / "ws", "build", "--only", "cards")  # a process of its own fills the cache folder
    first = (tmp_path / "ws" / "output" / "cards.pdf").read_bytes()
    assert "markdown_it" not in _modules_after(tmp_path / "ws", "build", "--only", "cards")
    assert (tmp_path / "ws" / "output" / "cards.pdf").read_bytes() == first
    assert "markdown_it" in _modules_after(tmp_path / "ws", "build", "--only", "cards",
                                           env={"DECKBUILDER_NO_CACHE": "1"})
    assert (tmp_path / "ws" / "output" / "cards.pdf").read_bytes() == first


def test_building_some_outputs_imports_no_other_outputs_code_and_forks_after_drawings_imports(tmp_path, run_cli):
    """build --only cards,sheet draws the sheet in a forked process (alongside.py) when it can:
    reportlab's canvas is imported once, before the fork, not in each process."""
    import subprocess
    import sys

    assert run_cli("new", tmp_path / "ws").code == 0
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "deckbuilder", "build", "--only", "cards,sheet",
                           str(tmp_path / "ws")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    imported = [line.rpartition("|")[2].strip() for line in done.stderr.splitlines() if line.startswith("import time:")]
    assert (tmp_path / "ws" / "output" / "final-prep.pdf").is_file()
    assert imported.count("reportlab.pdfgen.canvas") == 1
    assert not (OTHER_OUTPUTS - {"deckbuilder.outputs.sheet"}) & set(imported)
    assert not PLATYPUS_UNUSED & set(imported)
    assert "PIL._imaging" not in imported  # Pillow's Image module is in place but never ran (cli.defer_pil)


def test_pillow_deferred_by_the_command_still_works_when_used():
    """What the command does to PIL.Image at start is invisible to code that uses it."""
    import subprocess
    import sys

    code = ("import sys\n"
            "from deckbuilder.cli import defer_pil\n"
            "defer_pil()\n"
            "from reportlab.lib.utils import ImageReader\n"
            "assert 'PIL._imaging' not in sys.modules\n"
            "from PIL import Image\n"
            "image = Image.new('RGB', (3, 2), 'red')\n"
            "assert isinstance(image, Image.Image) and ImageReader(image).getSize() == (3, 2)\n"
            "assert 'PIL._imaging' in sys.modules\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_a_one_shot_build_or_check_leaves_the_cycle_collector_off_watch_and_main_alone(monkeypatch, tmp_path):
    """Started by ``run`` (the process then ends), build and check do not switch the collector
    back on (its first pass would walk every object they made); anything else does."""
    import gc

    def collector_after(command: str, ending: bool) -> bool:
        monkeypatch.setattr(cli, "_ending", ending)
        args_run = []
        monkeypatch.setattr(cli.argparse.ArgumentParser, "parse_args",
                            lambda self, argv: cli.argparse.Namespace(command=command, run=args_run.append))
        gc.enable()
        try:
            cli.main([command])
            return gc.isenabled()
        finally:
            gc.enable()

    assert collector_after("build", ending=True) is False
    assert collector_after("check", ending=True) is False
    assert collector_after("watch", ending=True) is True
    assert collector_after("build", ending=False) is True  # main called in-process (tests, tools) keeps it on


def _fresh(code: str, env: dict[str, str]) -> list:
    import json
    import subprocess
    import sys

    base = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**base, **env})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


LOADS_CONTENT = ("import json, sys\n"
                 "from deckbuilder.content.model import Minutes\n"
                 "minutes = str(Minutes.model_validate({'low': 2, 'high': 3}))\n"
                 "import pydantic.plugin._loader as loader\n"
                 "print(json.dumps(['importlib.metadata' in sys.modules, list(loader.get_plugins()),\n"
                 "                  loader.PYDANTIC_ENTRY_POINT_GROUP, minutes]))\n")


def test_with_every_pydantic_plugin_off_its_loader_imports_nothing():
    """``pydantic_seam.no_plugins``: with the switch the command sets, the content model is built
    without pydantic's plugin loader importing importlib.metadata; the stub finds no plugin, as
    pydantic's own would, and hands on what else is asked of it from pydantic's own."""
    from deckbuilder import pydantic_seam

    assert pydantic_seam.verify() == []
    assert _fresh(LOADS_CONTENT, {"PYDANTIC_DISABLE_PLUGINS": "__all__"}) == [False, [], "pydantic", "2-3"]


def test_a_users_own_plugin_setting_gets_pydantics_own_loader():
    imported_metadata, plugins, group, minutes = _fresh(LOADS_CONTENT, {"PYDANTIC_DISABLE_PLUGINS": "some-plugin"})
    assert imported_metadata and group == "pydantic" and minutes == "2-3"


def test_help_imports_no_command_s_heavy_modules():
    """``deckbuilder --help`` makes every command's parser, so each command module is imported:
    what they need to run waits in ``run`` (their imports cost more than the help's whole start)."""
    modules = set(_fresh("import contextlib, io, json, sys\n"
                         "from deckbuilder.cli import main\n"
                         "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
                         "    main(['--help'])\n"
                         "print(json.dumps(sorted(sys.modules)))\n", {}))
    assert "deckbuilder.commands.watch" in modules  # the parsers were made
    heavy = {"pydantic", "reportlab.pdfbase", "reportlab.pdfgen", "jinja2", "yaml", "markdown_it", "sqlite3",
             "deckbuilder.alongside", "pickle"}
    assert not heavy & modules


def test_a_workspace_without_a_practice_log_never_loads_sqlite(tmp_path, run_cli):
    """Every build asks the practice log which stories went unrehearsed; with no log there is
    nothing to read, so SQLite is not loaded. Once ``drill`` has written one, it is."""
    from deckbuilder.practice.log import open_log, utc_now

    assert run_cli("new", tmp_path / "ws").code == 0
    assert "sqlite3" not in _modules_after(tmp_path / "ws", "check")
    with open_log(tmp_path / "ws") as log:
        log.record("story:nope", 3, 10.0, "x", utc_now())
    assert "sqlite3" in _modules_after(tmp_path / "ws", "check")
