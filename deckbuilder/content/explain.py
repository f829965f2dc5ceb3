"""Pydantic's validation errors in plain words: ``file:line: message`` and a hint.

The words live in tables keyed by pydantic's error type, not in a ladder of ifs: a new
kind of error is a new row. A missing key next to its own misspelling is one mistake,
reported once as the misspelt key (``explained_by_typo``).
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from ..errors import Report
from .model import ContentFile
from .principles import did_you_mean
from .sources import line_for
from .yamlload import KeyPath, Marks


def explained_by_typo(err: Mapping[str, Any], errors: Sequence[Mapping[str, Any]]) -> bool:
    """A missing key next to an unknown key that is its misspelling ('titel' for 'title')
    is one mistake, reported once as the unknown key with its 'did you mean'."""
    if err["type"] != "missing":
        return False
    parent, wanted = tuple(err["loc"][:-1]), str(err["loc"][-1])
    return any(other["type"] == "extra_forbidden" and tuple(other["loc"][:-1]) == parent
               and did_you_mean(str(other["loc"][-1]), [wanted]) for other in errors)


def key_text(loc: KeyPath) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


_PLAIN_WORDS = {
    "string_too_short": ("is empty", "write something here, or leave the key out if it is optional"),
    "too_short": ("needs at least one item", "add an item as a line starting with '- '"),
}

_TYPE_WORDS = {
    "string_type": "expected text",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_parsing": "expected a number",
    "bool_parsing": "expected true or false",
    "list_type": "expected a list (lines starting with '- ')",
    "dict_type": "expected a mapping (lines of 'key: value')",
    "model_type": "expected a mapping (lines of 'key: value')",
    "model_attributes_type": "expected a mapping (lines of 'key: value')",
    "date_from_datetime_parsing": "expected a date like 2025-10-09",
    "date_parsing": "expected a date like 2025-10-09",
}


_BOUND_WORDS = {"less_than_equal": "at most", "less_than": "less than",
                "greater_than_equal": "at least", "greater_than": "more than"}

YAML_BOOLEAN_HINT = "YAML reads yes/no/on/off/true/false as true or false: put the text in quotes, e.g. \"No\""
DATE_HINT = "write it year-month-day, which no reader can take the wrong way: 2026-10-09 is 9 October 2026"

# Where a whole section has the wrong shape, the hint shows the right one.
SHAPE_HINTS: dict[KeyPath, str] = {
    ("principles",): "principles: is a named set of principles, each a 'name:', like this:\n"
                     "      principles:\n"
                     "        name: My values\n"
                     "        principles:\n"
                     "          - name: Ownership\n"
                     "          - name: Frugality",
}

Explanation = tuple[str, "str | None", "str | None"]  # message, hint, key path


def report_pydantic(err: Mapping[str, Any], marks: Marks, name: str, report: Report) -> None:
    """One pydantic error as ``file:line: message`` with a hint, in the words of the tables above."""
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    kind = err["type"]
    if kind in _TYPE_WORDS and err.get("input", "") is None:  # "answer:" with nothing after it
        kind = "string_too_short"
    message, hint, key = _EXPLAIN.get(kind, _wrong_value)(err, kind, loc)
    report.error(name, line_for(loc, marks), message, hint, key)


def _unknown_key(err: Mapping[str, Any], kind: str, loc: KeyPath) -> Explanation:
    field = str(loc[-1])
    allowed = _allowed_keys(loc[:-1])
    guess = did_you_mean(field, allowed) if allowed else None
    hint = f"did you mean '{guess}'?" if guess else (f"allowed keys here: {', '.join(allowed)}" if allowed else None)
    return f"unknown key '{field}'", hint, key_text(loc)


def _missing_key(err: Mapping[str, Any], kind: str, loc: KeyPath) -> Explanation:
    return f"missing required key '{loc[-1]}'", f"add '{loc[-1]}:' here", key_text(loc[:-1]) or None


def _plain(err: Mapping[str, Any], kind: str, loc: KeyPath) -> Explanation:
    message, hint = _PLAIN_WORDS[kind]
    return (f"'{loc[-1]}' {message}" if loc else message), hint, key_text(loc)


def _out_of_bounds(err: Mapping[str, Any], kind: str, loc: KeyPath) -> Explanation:
    limit = next(iter(err.get("ctx", {}).values()), "?")
    description = _field_description(loc)
    hint = f"{loc[-1]}: {description[0].lower()}{description[1:]}" if description else None
    return f"'{loc[-1]}' must be {_BOUND_WORDS[kind]} {limit}, got {err.get('input')!r}", hint, key_text(loc)


def _wrong_value(err: Mapping[str, Any], kind: str, loc: KeyPath) -> Explanation:
    """A value of the wrong type or form: what was expected, what was given, and a hint."""
    message = _TYPE_WORDS.get(kind) or err["msg"].removeprefix("Value error, ")
    given = err.get("input")
    if kind in _TYPE_WORDS and given is not None and not isinstance(given, (dict, list)):
        message += f", got {given!r}"
    elif kind in _TYPE_WORDS and isinstance(given, (dict, list)):
        message += f", got a {'list' if isinstance(given, list) else 'mapping'}"
    hint = SHAPE_HINTS.get(loc) if kind in _TYPE_WORDS else None
    if hint is None:
        make_hint = _HINTS.get(kind) or next((h for prefix, h in _HINT_PREFIXES.items() if kind.startswith(prefix)),
                                             None)
        hint = make_hint(err) if make_hint else None
    return message, hint, key_text(loc)


def _literal_hint(err: Mapping[str, Any]) -> str | None:
    given = err.get("input")
    if not isinstance(given, str):
        return None
    choices = [c.strip(" '") for c in err.get("ctx", {}).get("expected", "").replace(" or ", ", ").split(",")]
    guess = did_you_mean(given, [c for c in choices if c])
    return f"did you mean '{guess}'?" if guess else None


# pydantic's error type -> how to put it in words (anything else: ``_wrong_value``).
_EXPLAIN: dict[str, Callable[[Mapping[str, Any], str, KeyPath], Explanation]] = {
    "extra_forbidden": _unknown_key,
    "missing": _missing_key,
    **dict.fromkeys(_PLAIN_WORDS, _plain),
    **dict.fromkeys(_BOUND_WORDS, _out_of_bounds),
}

# pydantic's error type (or the start of it) -> the hint for a wrong value of that type.
_HINTS: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    "string_type": lambda err: YAML_BOOLEAN_HINT if isinstance(err.get("input"), bool) else None,
    "literal_error": _literal_hint,
    "string_pattern_mismatch": lambda err: "use letters, digits, '-', '_' or '.', starting with a letter or digit",
    "string_too_long": lambda err: "shorten it",
}
_HINT_PREFIXES: dict[str, Callable[[Mapping[str, Any]], str | None]] = {"date_": lambda err: DATE_HINT}


def _field_description(loc: KeyPath) -> str | None:
    """The model's description of the field at ``loc`` (what it means, its range), if any."""
    model = _model_at(loc[:-1]) if loc and isinstance(loc[-1], str) else None
    field = model.model_fields.get(str(loc[-1])) if model else None
    return field.description if field else None


def _allowed_keys(loc: KeyPath) -> list[str]:
    """Field names of the model found at ``loc`` inside a content file, for 'did you mean'."""
    model = _model_at(loc)
    return list(model.model_fields) if model else []


def _model_at(loc: KeyPath) -> type[BaseModel] | None:
    """The model found at ``loc`` inside a content file, or None where there is none."""
    model: Any = ContentFile
    for part in loc:
        model = _unwrap(model)
        if isinstance(part, int):
            args = typing.get_args(model)
            model = args[0] if args else None
        elif isinstance(model, type) and issubclass(model, BaseModel) and part in model.model_fields:
            model = model.model_fields[part].annotation
        else:
            return None
    model = _unwrap(model)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """Strip Optional[...] and Annotated[...] down to the model or list type."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation
