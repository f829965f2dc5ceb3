"""The JSON Schema of a content file, for editor autocompletion.

``deckbuilder new`` writes it next to the YAML files and puts a
``# yaml-language-server: $schema=...`` line at the top of each, so editors with the
YAML language server (VS Code, Neovim, ...) complete keys and flag typos as you type.
"""

from __future__ import annotations

import json

from .model import ContentFile

SCHEMA_FILENAME = "deckbuilder.schema.json"
MODELINE = f"# yaml-language-server: $schema={SCHEMA_FILENAME}"


def json_schema() -> dict:
    schema = ContentFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
