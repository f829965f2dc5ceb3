"""``deckbuilder new DIR``: a workspace that builds at once, ready to be filled in."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("new", help="start a new workspace with example content",
                       description="Create DIR with content/ (a small worked example to edit), templates/ "
                                   "(put overrides here) and output/. Refuses to touch an existing content/.")
    p.add_argument("dir", help="folder to create")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from importlib import resources  # tempfile, random...: not for every command's --help

    from ..content.schema import MODELINE, SCHEMA_FILENAME, schema_text
    from ..errors import UserError
    from ..paths import write_files
    from ..render.templates import builtin_template_dir

    root = Path(args.dir)
    if (root / "content").exists():
        raise UserError(f"{root / 'content'} already exists", file=str(root),
                        hint="choose a new folder; deckbuilder new never overwrites content")
    starter = Path(str(resources.files("deckbuilder").joinpath("starter")))
    try:
        (root / "content").mkdir(parents=True)
    except OSError as exc:
        raise UserError(f"cannot create {root / 'content'}: {exc.strerror}", file=str(root),
                        hint="give the path of a new folder (not an existing file)") from None
    files = [(root / "content" / source.name, f"{MODELINE}\n{source.read_text('utf-8')}")
             for source in sorted(starter.glob("*.yaml"))]
    files.append((root / "content" / SCHEMA_FILENAME, schema_text()))
    (root / "templates").mkdir(exist_ok=True)
    readme = ("# Template overrides\n\n"
              "Copy a file from the built-in templates into this folder, keeping its relative path, and edit it.\n"
              "Your copy replaces the built-in one of the same name; everything else keeps the default.\n\n"
              f"Built-in templates: {builtin_template_dir()}\n")
    files.append((root / "templates" / "README.md", readme))
    write_files([(path, text.encode("utf-8")) for path, text in files], [root])  # never through a link leading out
    (root / "output").mkdir(exist_ok=True)
    from ..config import FILENAME, TEMPLATE

    if not (root / FILENAME).exists():  # print settings, all commented out: the defaults apply until edited
        (root / FILENAME).write_text(TEMPLATE, "utf-8")
    print(f"created {root}/ with content/, templates/, output/ and {FILENAME}")
    print(f"next: edit {root}/content/*.yaml, then run: deckbuilder build {root}")
    return 0
