"""Source positions: every content object knows the file and line it was read from.

``attach_sources`` records them once a file is validated; ``where`` reads them back for a
message (``file:line``), also for one key or list item of an object.
"""

from __future__ import annotations

from typing import Any

from .model import Item
from .yamlload import KeyPath, Marks


def line_for(loc: KeyPath, marks: Marks) -> int | None:
    for cut in range(len(loc), -1, -1):
        if loc[:cut] in marks:
            return marks[loc[:cut]]
    return None


def attach_sources(obj: Any, path: KeyPath, marks: Marks, name: str) -> None:
    """Record on every content object which file and line it came from."""
    if isinstance(obj, Item):
        obj._file, obj._line, obj._path, obj._marks = name, line_for(path, marks), path, marks
        for field in type(obj).model_fields:
            attach_sources(getattr(obj, field), path + (field,), marks, name)
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            attach_sources(item, path + (i,), marks, name)


def where(obj: Item, *keys: str | int) -> tuple[str | None, int | None]:
    """(file, line) of ``obj`` or of one of its keys, for error messages (and for every card:
    ``outputs.deck``). Read from the model's private values at once: each ``obj._marks`` goes
    through pydantic's ``__getattr__``, three of them about 7 µs a call."""
    private = obj.__pydantic_private__
    if private is None:  # a model made without its private values: their defaults
        private = {"_file": None, "_line": None, "_path": (), "_marks": {}}
    if keys:
        return private["_file"], line_for(private["_path"] + tuple(keys), private["_marks"])
    return private["_file"], private["_line"]
