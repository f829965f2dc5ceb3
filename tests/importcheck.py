"""Running ``deckbuilder import`` on small notes snippets and reading the result back."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass
class Imported:
    data: dict
    out: str
    workspace: Path
    text: str  # the YAML file as written

    def stories(self) -> dict[str, dict]:
        return {s["title"]: s for s in self.data.get("stories", [])}

    def story(self, title: str) -> dict:
        return self.stories()[title]

    def bank(self) -> dict[str, list[dict]]:
        return {e["principle"]: e["questions"] for e in self.data.get("question_bank", [])}

    def project(self) -> dict:
        (project,) = self.data["projects"]
        return project


def import_snippet(tmp_path: Path, run_cli, notes: str, *, name: str = "notes.md", workspace: str = "ws",
                   args: tuple = ()) -> Imported:
    """Import ``notes`` (dedented) into a workspace under tmp_path; the import must succeed."""
    path = tmp_path / name
    path.write_text(textwrap.dedent(notes), "utf-8")
    ws = tmp_path / workspace
    result = run_cli("import", path, ws, *args)
    assert result.code == 0, result.err + result.out
    target = ws / "content" / f"imported-{path.stem}.yaml"
    text = target.read_text("utf-8")
    return Imported(yaml.safe_load(text) or {}, result.out, ws, text)
