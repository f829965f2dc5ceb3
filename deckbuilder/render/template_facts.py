"""What parsing and compiling the workspace's templates found, kept between processes.

``check`` and ``build`` look the workspace's templates over before rendering anything: which
templates each one includes, imports or extends (for the "overrides nothing" warning and for
``check``'s compile pass) and whether every template a build uses compiles. That is a Jinja
parse of every file, twice over in ``check``: about 40 ms of CPU for 17 templates, even when
the compiled code comes from the template cache. The answers only change when a file in
templates/ does, so they are kept in the user's cache folder (``deckbuilder.cache``, kind
``template-facts``, one file per workspace) under a key of everything they depend on:

* every file in templates/: its name and bytes (a file too big to be a template: its size,
  which is all that is read of it), so any edit, added or removed file is a miss;
* the names of the built-in templates, the workspace's and the built-in folder's paths;
* what the template cache's fingerprint covers (Python, Jinja, the environment's options, the
  sandbox's and the filters' source), and the source of the modules that find these facts.

What is kept is facts, never verdicts that depend on anything else: each template's
references, and "compiles" only when compiling found nothing wrong (a problem is found again
every time, with its message made afresh). Warnings are still made in every run from the files'
text: characters no font has (which depends on the fonts installed) and misplaced overrides.
The text is read once, with the bytes the key is made from, so the facts kept are always those
of the bytes under that key; "compiles" is kept only when the files read the same after
compiling as before.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from functools import cache as once
from pathlib import Path
from typing import Any

import jinja2

from .. import cache
from .limits import MAX_TEMPLATE_BYTES
from .template_cache import TemplateCache, fingerprint

KIND = "template-facts"
MAGIC = b"deckbuilder template facts 1\n"
_SOURCES = ("template_facts.py", "template_warnings.py")  # templates.py, sandbox.py, limits.py: in fingerprint()

Files = dict[str, bytes | int | None]  # a file's bytes; its size if too big to be a template; None: unreadable


class TemplateFacts:
    """The workspace's templates as read once, and what parsing and compiling them found,
    from the cache folder when a run before saw the same files."""

    def __init__(self, workspace_dir: Path, builtin_dir: Path, overrides: frozenset[tuple[str, int, int]],
                 env: jinja2.Environment) -> None:
        self.workspace_dir, self.builtin_dir = workspace_dir, builtin_dir
        self.builtins = frozenset(path.relative_to(builtin_dir).as_posix() for path in builtin_dir.rglob("*.j2"))
        self.names = sorted(Path(name).as_posix() for name, _, _ in overrides)
        self.files = _read(workspace_dir, self.names)
        self._texts: dict[str, str | None] = {}
        self.key = self._key(env.bytecode_cache) if cache.cache_dir() is not None else None
        self._kept: dict[str, Any] = self._load()

    def text(self, name: str) -> str | None:
        """The template's text as Jinja's loader reads it (UTF-8, universal newlines), or None
        when it is unreadable, not UTF-8 or too big (refused when it is loaded)."""
        if name not in self._texts:
            raw = self.files.get(name)
            try:
                text = raw.decode("utf-8") if isinstance(raw, bytes) else None
            except UnicodeDecodeError:
                text = None
            self._texts[name] = text.replace("\r\n", "\n").replace("\r", "\n") if text is not None else None
        return self._texts[name]

    def references(self, find: Any) -> dict[str, list[str] | None]:
        """Each template's references (None: it could not be parsed): kept ones, else
        ``find()``'s, which are then kept."""
        refs = self._kept.get("refs")
        if isinstance(refs, dict):
            return refs
        refs = find()
        self._kept["refs"] = refs
        self._save()
        return refs

    def known_references(self) -> dict[str, list[str] | None]:
        """The references found so far (kept, or found in this process), without parsing."""
        refs = self._kept.get("refs")
        return refs if isinstance(refs, dict) else {}

    def compiles(self) -> bool:
        """True when an earlier run compiled these very files and found nothing wrong."""
        return self._kept.get("compiles") is True

    def remember_compiles(self) -> None:
        """Keep "compiles": only when every file still reads as it did before compiling (an
        edit meanwhile must not get a clean result kept under the old bytes' key)."""
        if self.key is not None and _read(self.workspace_dir, self.names) == self.files:
            self._kept["compiles"] = True
            self._save()

    def _key(self, bytecode_cache: jinja2.BytecodeCache | None) -> str | None:
        if not isinstance(bytecode_cache, TemplateCache):
            return None  # no compiled-code fingerprint to build on: nothing kept
        digest = hashlib.sha256(MAGIC)
        digest.update(fingerprint(bytecode_cache.options, bytecode_cache.sources) + b"\0")
        digest.update(_own_source().encode() + b"\0")
        for part in (str(self.workspace_dir), str(self.builtin_dir), *sorted(self.builtins)):
            digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
        for name, raw in sorted(self.files.items()):
            digest.update(b"\0file\0" + name.encode("utf-8", "surrogatepass") + b"\0")
            if isinstance(raw, bytes):
                digest.update(b"bytes %d\0" % len(raw) + raw)
            else:
                digest.update(b"too big %d\0" % raw if isinstance(raw, int) else b"unreadable\0")
        return digest.hexdigest()

    def _entry(self) -> str:
        """One cache file per workspace (and built-in folder): a new state replaces the old one."""
        return hashlib.sha256(f"{self.workspace_dir}|{self.builtin_dir}".encode("utf-8", "surrogatepass")
                              ).hexdigest()[:40]

    def _load(self) -> dict[str, Any]:
        if self.key is None:
            return {}
        data = cache.read(KIND, self._entry())
        header = MAGIC + self.key.encode() + b"\n"
        if data is None or not data.startswith(header) or len(data) < len(header) + 4:
            return {}
        body = data[len(header) + 4:]
        if data[len(header):len(header) + 4] != zlib.crc32(body).to_bytes(4, "big"):
            return {}  # damaged
        try:
            kept = json.loads(body)
        except ValueError:
            return {}
        return kept if _well_formed(kept) else {}

    def _save(self) -> None:
        if self.key is not None:
            body = json.dumps(self._kept, sort_keys=True).encode()
            cache.write(KIND, self._entry(), MAGIC + self.key.encode() + b"\n" + zlib.crc32(body).to_bytes(4, "big")
                        + body)


def _read(folder: Path, names: list[str]) -> Files:
    """Every file's bytes (a file over the template limit: its size, unread)."""
    files: Files = {}
    for name in names:
        path = folder / name
        try:
            size = path.stat().st_size
            if size > MAX_TEMPLATE_BYTES:
                files[name] = size
                continue
            raw = path.read_bytes()
        except OSError:
            files[name] = None
            continue
        files[name] = raw if len(raw) <= MAX_TEMPLATE_BYTES else len(raw)
    return files


def _well_formed(kept: Any) -> bool:
    """A kept entry of the shape this module writes (anything else is a miss)."""
    if not isinstance(kept, dict) or not set(kept) <= {"refs", "compiles"}:
        return False
    refs = kept.get("refs", {})
    return isinstance(kept.get("compiles", False), bool) and isinstance(refs, dict) and all(
        isinstance(name, str) and (value is None or isinstance(value, list) and all(isinstance(n, str) for n in value))
        for name, value in refs.items())


@once
def _own_source() -> str:
    """A hash of the modules whose code finds the facts (and the messages made from them)."""
    digest = hashlib.sha256()
    cache.add_files(digest, [Path(__file__).with_name(module) for module in _SOURCES])
    return digest.hexdigest()
