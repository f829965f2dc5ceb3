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
    """(file, line) of ``obj`` or of one of its keys, for error messages."""
    marks: Marks = obj._marks
    if keys:
        line = line_for(obj._path + tuple(keys), marks)
        return obj._file, line
    return obj._file, obj._line
