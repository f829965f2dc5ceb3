"""The methods ``@dataclass`` writes, compiled once per user rather than once per process.

``@dataclass`` writes each class's ``__init__``, ``__repr__``, ``__eq__`` (and, frozen,
``__setattr__``, ``__delattr__``, ``__hash__``) as Python source and compiles it with
``exec``. For the classes a ``check`` imports (deckbuilder's 127, pydantic's, reportlab's)
that is over 600 compilations, about 45 ms of every start: a third of the time deckbuilder's
own modules take to import, measured. The source depends only on the class and the compiled
code only on the source and the interpreter, so this keeps a table source -> code in the
user's cache folder (``deckbuilder.cache``) and gives the ``dataclasses`` module an ``exec``
that looks the source up before compiling it. Nothing else changes: the code is what
``exec`` would have compiled (same file name, same ``__future__`` flags, same interpreter),
run with the same namespaces.

The table is stored with ``marshal``, as Python's own ``__pycache__`` stores compiled modules,
under a name that says which interpreter compiled it, and read only from the private cache
folder, as the compiled templates are (``render/template_cache.py``). Anything unexpected in
it reads as an empty table.
"""

from __future__ import annotations
import __future__

import builtins
import dataclasses
import importlib.util
import marshal
import sys
import types
import zlib
from typing import Any

from . import cache

KIND = "classes"
MAX_ENTRIES = 5000  # a table grown past this (classes edited many times) starts again from this run's
_FUTURE_FLAGS = 0
for _feature in __future__.all_feature_names:
    _FUTURE_FLAGS |= getattr(__future__, _feature).compiler_flag

_table: dict[tuple[int, str], types.CodeType] = {}
_used: set[tuple[int, str]] = set()
_added = 0
_installed = False


def install() -> None:
    """Give ``dataclasses`` the caching ``exec``, with the table stored by an earlier process.
    Called once by the command-line entry point, before anything defines a dataclass."""
    global _installed
    if _installed or cache.cache_dir() is None:
        return
    _table.update(_stored())
    dataclasses.exec = _exec  # type: ignore[attr-defined]  # a module global: found before the built-in
    _installed = True


def save() -> None:
    """Store the table if this process compiled anything it did not have (a class new or edited)."""
    if not _installed or not _added:
        return
    table = _table if len(_table) <= MAX_ENTRIES else {key: _table[key] for key in _used}
    body = marshal.dumps(table)
    cache.write(KIND, _file_name(), zlib.crc32(body).to_bytes(4, "big") + body)


def _exec(source: Any, globals: Any = None, locals: Any = None, /, *args: Any, **kwargs: Any) -> None:
    """``exec`` as the ``dataclasses`` module calls it, with source text compiled once per user."""
    global _added
    caller = sys._getframe(1)
    if globals is None:  # the caller's namespaces, as the built-in would take them
        globals = caller.f_globals
        locals = caller.f_locals if locals is None else locals
    if type(source) is not str or args or kwargs:
        return builtins.exec(source, globals, locals, *args, **kwargs)
    key = (caller.f_code.co_flags & _FUTURE_FLAGS, source)
    code = _table.get(key)
    if code is None:
        code = compile(source, "<string>", "exec", flags=key[0], dont_inherit=True)
        _table[key] = code
        _added += 1
    _used.add(key)
    return builtins.exec(code, globals, locals)


def _file_name() -> str:
    """Which interpreter compiled the table: another one (an upgrade) reads another file."""
    return f"{sys.implementation.cache_tag}-{importlib.util.MAGIC_NUMBER.hex()}.marshal"


def _stored() -> dict[tuple[int, str], types.CodeType]:
    data = cache.read(KIND, _file_name())
    if data is None or len(data) < 4 or zlib.crc32(data[4:]).to_bytes(4, "big") != data[:4]:
        return {}
    try:
        table = marshal.loads(data[4:])
    except (EOFError, ValueError, TypeError):
        return {}
    if not isinstance(table, dict):
        return {}
    return {key: code for key, code in table.items()
            if isinstance(key, tuple) and len(key) == 2 and type(key[0]) is int and type(key[1]) is str
            and type(code) is types.CodeType}
