"""Writing imported content as YAML people can read and edit, and what the workspace
already holds (ids, the interview, a custom principle set) so that new files fit in.

The files of one import are written all or nothing (``paths.write_files``): a full disk or
a link planted in content/ leaves the workspace as it was."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from ..content.load import content_files
from ..content.model import PrincipleSet
from ..content.schema import MODELINE, SCHEMA_FILENAME, schema_text
from ..content.yamlload import load_yaml
from ..errors import UserError
from ..paths import require_inside, write_files
from .assemble import Taken

_FLOW_KEYS = {"triggers", "primary", "secondary", "stories", "sections"}


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:  # never &id001 / *id001 in user files
        return True


class _Flow(list):
    """A short list written on one line: ``triggers: [a, b, c]``."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _flow(dumper: yaml.SafeDumper, value: list) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(_Flow, _flow)


def _flowed(value: Any, key: str | None = None) -> Any:
    if isinstance(value, dict):
        return {k: _flowed(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [_flowed(v) for v in value]
        if key in _FLOW_KEYS and all(isinstance(v, str) for v in items):
            return _Flow(items)
        return items
    return value


def yaml_text(data: dict[str, Any], source: str, trailer: list[str], about: str | None = None) -> str:
    """A content file: modeline, where it came from, the sections, then any unplaced text
    as comments (kept, but out of the way)."""
    about = about or f"Imported from {source} by 'deckbuilder import'. Edit freely: this file is yours now."
    head = [MODELINE, f"# {about}", "", ""]
    body = yaml.dump(_flowed(data), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False) if data else "{}\n"
    tail: list[str] = []
    if trailer:
        tail = ["", "# Text from the notes that belongs to no one story or project (general notes, or no item in the",
                "# notes to hold it). Comments never print: move what you want on a card into a story's notes."]
        tail += [f"# {line}".rstrip() for line in trailer]
    return "\n".join(head) + body + ("\n".join(tail) + "\n" if tail else "")


def read_existing(content_dir: Path, skip: set[Path]) -> tuple[Taken, PrincipleSet | None]:
    """Ids, labels, the interview's file and a custom principle set from the workspace's
    content files (files about to be replaced with --force are left out)."""
    taken = Taken()
    principles = None
    for folder in (content_dir, content_dir.parent / "templates"):  # before anything is read or copied
        if os.path.lexists(folder):
            require_inside(folder, [content_dir.parent], "folder")
    if not content_dir.is_dir():
        return taken, None
    for path in content_files(content_dir):
        if path.resolve() in skip:
            continue
        try:
            data, _ = load_yaml(path, path.name)
        except UserError:
            continue  # 'check' will report it; the import need not fail on it
        if not isinstance(data, dict):
            continue
        for project in _dicts(data.get("projects")):
            if isinstance(project.get("id"), str):
                taken.project_ids.add(project["id"].lower())
        for story in _dicts(data.get("stories")):
            if isinstance(story.get("id"), str):
                taken.story_ids.add(story["id"].lower())
            if isinstance(story.get("label"), str):
                taken.story_labels.add(story["label"].lower())
        shown = f"content/{path.relative_to(content_dir)}"
        if data.get("interview") is not None and taken.interview_in is None:
            taken.interview_in = shown
        if data.get("sheet") is not None and taken.sheet_in is None:
            taken.sheet_in = shown
        if isinstance(data.get("principles"), dict):
            try:
                principles = PrincipleSet.model_validate(data["principles"])
            except ValueError:
                pass
    return taken, principles


def _dicts(value: Any) -> list[dict]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


TEMPLATES_README = (
    "# Template overrides\n\n"
    "Copy a file from the built-in templates into this folder, keeping its relative path, and edit it.\n"
    "Your copy replaces the built-in one of the same name; everything else keeps the default.\n")


def write_workspace(root: Path, outputs: list[tuple[Path, str]], force: bool) -> list[Path]:
    """Create content/, templates/ and output/ as needed and write the new files, all of
    them or none; files that exist are left alone unless ``force`` (the imported YAML files
    only). Nothing is written through a link that leads out of the workspace (exit 2)."""
    made = [folder for folder in (root, root / "content", root / "templates", root / "output")
            if not os.path.lexists(folder)]
    (root / "content").mkdir(parents=True, exist_ok=True)
    (root / "templates").mkdir(exist_ok=True)
    (root / "output").mkdir(exist_ok=True)
    files: list[tuple[Path, bytes]] = []
    schema = root / "content" / SCHEMA_FILENAME
    if not os.path.lexists(schema):
        files.append((schema, schema_text().encode("utf-8")))
    readme = root / "templates" / "README.md"
    if not os.path.lexists(readme):
        files.append((readme, TEMPLATES_README.encode("utf-8")))
    files += [(root / "content" / target.name, text.encode("utf-8")) for target, text in outputs]
    try:
        return write_files(files, [root])
    except BaseException:
        for folder in reversed(made):  # a workspace this import started is not left half made
            try:
                folder.rmdir()
            except OSError:
                pass
        raise
