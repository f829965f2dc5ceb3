"""The JSON Schema of a content file, for editor autocompletion.

``deckbuilder new`` writes it next to the YAML files and puts a
``# yaml-language-server: $schema=...`` line at the top of each, so editors with the
YAML language server (VS Code, Neovim, ...) complete keys and flag typos as you type.
"""

from __future__ import annotations

import json

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from .model import ContentFile

SCHEMA_FILENAME = "deckbuilder.schema.json"
MODELINE = f"# yaml-language-server: $schema={SCHEMA_FILENAME}"


class _InputSchema(GenerateJsonSchema):
    """The schema of what a content file may say, as written, not as deckbuilder stores it.

    Editors underline whatever the schema rejects, so it must accept every form the model
    takes in. The model's own before-validators say theirs with ``json_schema_input_type``
    (model.py); this adds the one that lives in the config: ``coerce_numbers_to_str`` makes
    ``title: 2024`` the text "2024", which pydantic's generator leaves out. A number is
    shown as allowed wherever text is; minLength, maxLength and pattern apply to strings
    only, so they stay as strict as before for text.
    """

    def str_schema(self, schema: core_schema.StringSchema) -> JsonSchemaValue:
        json_schema = super().str_schema(schema)
        if self.mode == "validation" and schema.get("coerce_numbers_to_str", self._config.coerce_numbers_to_str):
            json_schema["type"] = ["string", "number"]
        return json_schema


def json_schema() -> dict:
    schema = ContentFile.model_json_schema(mode="validation", schema_generator=_InputSchema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
