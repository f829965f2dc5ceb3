"""What the card templates rendered, kept in the user's cache folder by everything it depends on.

Every build and check renders each card's two templates through the sandbox (``Templates.render``),
about 60 µs a face: 0.12 s of a warm 1,000-card build, most of it repeated for cards that did not
change. A render is a pure function of the template files, the code that makes the sandbox and
its filters, and the values it is given; so its text is kept under a hash of all three and
taken again when they are the same.

The values: content objects (pydantic models, whose fields are all a template can read: the
sandbox refuses names starting with ``_``, and properties and methods are computed from fields
by code that is in the key) go in as their JSON dump and the dump of the fields the content set
(``model_fields_set``), lists and plain values as themselves; a render given anything else is
not kept. The template files: the bytes of every built-in template and of every file in the
workspace's ``templates/``, linked folders inside the workspace included (a file too big to be
a template, which no render can load, by its size and time: it is never read). The code: this
module, the sandbox's (``sandbox.py``, ``limits.py``, ``templates.py``, ``typography.py``), the
files that define the environment's filters and tests, the content model's package,
MarkupSafe's, and the versions of Python, Jinja and pydantic. A render that fails is never kept
(its error comes from rendering), nor one that read the clock or drew at random
(``sandbox.unkeyed_reads``), nor the texts of a block during which a template file changed.

One file (``cache.KeptLines``, kind ``rendered``) per set of templates and code and per part
(the deck's cards, the packet's stories): a line per render, its name then its text as JSON.
``DECKBUILDER_NO_CACHE`` renders every time.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .. import cache as user_cache
from .limits import MAX_TEMPLATE_BYTES
from .sandbox import unkeyed_reads
from .template_cache import defining_files

if TYPE_CHECKING:
    from .templates import Templates

KIND = "rendered"
MAGIC = b"deckbuilder rendered templates\n"
MAX_LINES = 24_000  # a deck of 5,000 cards renders 10,000 templates: two such decks
_CODE = ("sandbox.py", "limits.py", "templates.py", "typography.py")
_env_keys: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()  # the key each environment was used with


class Render(Protocol):
    def __call__(self, name: str, **context: Any) -> str: ...


@contextmanager
def kept(templates: Templates, part: str) -> Iterator[Render]:
    """A ``render(name, **context)`` for this block that takes a kept text where the templates,
    the code and the values are the same, and renders (and keeps) it otherwise; what was
    rendered is written when the block ends without an error, in ``part``'s file (each
    part's own: a file keeps what its last run used, and another part's run would drop it)."""
    if user_cache.cache_dir() is None:
        yield templates.render
        return
    renders = _Renders(templates, part)
    yield renders.render
    if _set_key(templates) == renders.key:  # a template edited while this block rendered: its texts may be either
        renders.lines.flush()


class _Renders:
    def __init__(self, templates: Templates, part: str) -> None:
        self.templates = templates
        self.key = _set_key(templates)
        if _env_keys.setdefault(templates.env, self.key) != self.key:
            # the same environment (one per state of templates/ by the files' times and sizes) for
            # other bytes: a file edited within a clock tick, which Jinja (it looks at the time)
            # would not load again; its old text would be kept under the new bytes' key
            templates.forget_compiled()
            _env_keys[templates.env] = self.key
        file = hashlib.sha256(f"{self.key}\0{part}".encode()).hexdigest()[:40]
        self.lines = user_cache.KeptLines(KIND, file, MAGIC, MAX_LINES)
        self.models: dict[int, tuple[object, str]] = {}  # a content object's dump, by identity (kept alive)

    def render(self, name: str, **context: Any) -> str:
        values = [f"{key}={text}" for key in sorted(context)
                  if (text := self._value(context[key])) is not None]
        if len(values) != len(context):  # something that is not content: rendered every time
            return self.templates.render(name, **context)
        digest = hashlib.blake2b(f"{self.key}\0{name}\0{chr(0).join(values)}".encode("utf-8", "surrogatepass"),
                                 digest_size=user_cache.NAME // 2).hexdigest().encode()
        line = self.lines.get(digest)
        if line is not None:
            try:
                text = json.loads(line[user_cache.NAME:])
            except (ValueError, RecursionError):  # a line nested too deeply for json: a miss
                text = None
            if isinstance(text, str):
                return text
        unkeyed = unkeyed_reads()
        text = self.templates.render(name, **context)
        if unkeyed_reads() != unkeyed:  # read the clock or drew at random: not a function of the key
            return text
        self.lines.add(digest + json.dumps(text, ensure_ascii=False).encode("utf-8", "surrogatepass"))
        return text

    def _value(self, value: Any) -> str | None:
        """``value`` as text that is the same exactly when a template would read the same in it;
        None for a value that cannot be told that way."""
        known = self.models.get(id(value))
        if known is not None and known[0] is value:  # a content object told before (most are, for a card's two faces)
            return known[1]
        if value is None or isinstance(value, (str, int, float, bool)):
            return f"{type(value).__name__}:{value!r}"
        if isinstance(value, (list, tuple)):
            if all(type(item) is str for item in value):  # names: the usual list, told at once
                return f"{type(value).__name__}:{value!r}"
            parts = [self._value(item) for item in value]
            return None if None in parts else f"{type(value).__name__}[{','.join(parts)}]"  # type: ignore[arg-type]
        from pydantic import BaseModel

        if isinstance(value, BaseModel):
            try:  # and the fields the content spelled out (``model_fields_set``), which a template may read
                dump = (value.model_dump_json() + "\0" + value.model_dump_json(exclude_unset=True)).encode(
                    "utf-8", "surrogatepass")
            except Exception:  # noqa: BLE001 - a value the dump cannot write: rendered every time
                return None
            kind = f"{type(value).__module__}.{type(value).__qualname__}"  # a short text for a long dump
            known = self.models[id(value)] = (value, f"{kind}:{hashlib.blake2b(dump, digest_size=16).hexdigest()}")
            return known[1]
        return None


def _set_key(templates: Templates) -> str:
    """A hash of the template files, the code and the versions a render depends on."""
    digest = hashlib.sha256(_code_key(tuple(defining_files(templates.env))).encode())
    for folder in (templates.builtin_dir, templates.workspace_dir):
        if folder is not None:
            root = folder if folder == templates.builtin_dir else folder.parent  # where the loader reads (_Loader)
            files = sorted(_files(folder, root))
            digest.update(f"{folder == templates.builtin_dir}:{len(files)}\0".encode())
            for parts, path, inside in files:
                digest.update("/".join(parts).encode("utf-8", "surrogatepass") + b"\0")
                if not inside:  # the loader refuses it: never read
                    digest.update(b"\0outside\0")
                    continue
                try:
                    size, mtime_ns = _size_and_time(path)
                except OSError:
                    digest.update(b"\0unreadable\0")
                    continue
                if size > MAX_TEMPLATE_BYTES:  # never read (a render that loads it fails): its size
                    digest.update(f"\0too big {size} {mtime_ns}\0".encode())
                else:
                    user_cache.add_files(digest, [Path(path)])
    return digest.hexdigest()


def _size_and_time(path: str) -> tuple[int, int]:
    status = os.stat(path)
    return status.st_size, status.st_mtime_ns


def _files(folder: Path, root: Path) -> list[tuple[tuple[str, ...], str, bool]]:
    """Every file under ``folder`` (its path's parts below ``folder``, its path, and whether it
    is inside ``root``, every link on the way followed), through linked folders that stay
    inside ``root`` too (the loader follows them), each folder once (a link back up would
    loop); a linked folder that leads out of ``root`` is not entered (the loader refuses what
    is in it, and a link to / would walk the whole disk).

    Only a link is resolved (``os.path.realpath``, a system call per part of the path): a file
    or folder that is not one is where its folder is. Resolving every file took 4 ms of each
    of the four keys a ``watch`` rebuild works out; this takes about a tenth of that."""
    real_root = os.path.realpath(root)

    def inside(real: str) -> bool:
        return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)

    found: list[tuple[tuple[str, ...], str, bool]] = []
    seen: set[tuple[int, int]] = set()
    real_folder = os.path.realpath(folder)
    if not inside(real_folder):
        return found
    pending: list[tuple[tuple[str, ...], str]] = [((), str(folder))]
    while pending:
        parts, top = pending.pop()
        try:
            status = os.stat(top)
            if (status.st_dev, status.st_ino) in seen:
                continue
            seen.add((status.st_dev, status.st_ino))
            entries = list(os.scandir(top))
        except OSError:
            continue
        for entry in entries:
            try:
                linked = entry.is_symlink()
                is_dir, is_file = entry.is_dir(), entry.is_file()  # each through a link, as the loader reads
            except OSError:
                continue
            within = not linked or inside(os.path.realpath(entry.path))
            if is_dir:
                if within:
                    pending.append(((*parts, entry.name), entry.path))
            elif is_file:
                found.append(((*parts, entry.name), entry.path, within))
    return found


@cache
def _code_key(filter_files: tuple[str, ...]) -> str:
    import jinja2
    import markupsafe
    import pydantic

    here = Path(__file__).resolve().parent
    model = here.parent / "content"
    # pydantic's: a template may print a content object (its repr) or call its methods
    digest = hashlib.sha256(f"{sys.version}|{jinja2.__version__}|{pydantic.VERSION}".encode())
    user_cache.add_files(digest, [Path(__file__).resolve(), *(here / name for name in _CODE), Path(markupsafe.__file__),
                                  *sorted(model.glob("*.py")), *sorted(map(Path, filter_files))])
    return digest.hexdigest()
