"""Compiled Jinja templates kept between processes, in the user's cache folder.

Compiling the 17 built-in templates is 40-60 ms of every build; Jinja can keep the compiled
code (``bytecode_cache=``) and does the bookkeeping: it asks for a template by its name and
file, and gives the checksum of the source it has just read, so an edited template is
compiled again. This store writes the code with ``marshal`` after a header that names this
deckbuilder's sandbox (:func:`fingerprint`), the source's checksum and the code's CRC-32, and
reads it back only when all three match. Jinja's own ``FileSystemBytecodeCache`` is not used: it unpickles the
checksum, raises on a damaged file and on a folder it cannot write.

The files live in the user's cache folder (``deckbuilder.cache``), never in a workspace: what
runs in the sandbox is what deckbuilder compiled, not what a shared folder could plant.
"""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import marshal
import sys
import types
import zlib
from functools import cache as once
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

from .. import cache

KIND = "templates"
MAGIC = b"deckbuilder template cache 1\n"
_REWRITERS = ("sandbox.py", "limits.py", "templates.py")  # they make the environment and rewrite templates


@once
def fingerprint(options: str, sources: tuple[str, ...] = ()) -> bytes:
    """What the compiled code depends on besides the template's source: Python's bytecode
    version, Jinja's version, the environment's options, the source of the modules that
    rewrite templates before compiling (the sandbox's checks are put into the code), and the
    source of ``sources``, the files that define the environment's filters, tests and
    finalize (Jinja runs them on constant arguments while compiling and puts the result in
    the code: ``{{ "why" | label }}`` is compiled to the label's text)."""
    digest = hashlib.sha256()
    for part in (importlib.util.MAGIC_NUMBER, sys.version.encode(), jinja2.__version__.encode(), options.encode()):
        digest.update(part + b"\0")
    cache.add_files(digest, [Path(__file__).with_name(module) for module in _REWRITERS])
    cache.add_files(digest, [Path(source) for source in sources])
    return digest.hexdigest().encode()


class TemplateCache(jinja2.BytecodeCache):
    """Jinja's bytecode cache, kept in the user's cache folder; every failure is a miss."""

    def __init__(self, options: str, sources: tuple[str, ...] = ()) -> None:
        self.options, self.sources = options, sources

    def _header(self, bucket: Bucket) -> bytes:
        return MAGIC + fingerprint(self.options, self.sources) + b"\n" + str(bucket.checksum).encode() + b"\n"

    def load_bytecode(self, bucket: Bucket) -> None:
        data = cache.read(KIND, bucket.key)
        header = self._header(bucket)
        if data is None or not data.startswith(header) or len(data) < len(header) + 4:
            return
        body = memoryview(data)[len(header) + 4:]
        if data[len(header):len(header) + 4] != zlib.crc32(body).to_bytes(4, "big"):
            return  # damaged: a flipped bit must not change what a template does
        try:
            code = marshal.loads(body)
        except Exception:  # noqa: BLE001 - a damaged file is a miss
            return
        if isinstance(code, types.CodeType):
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            body = marshal.dumps(bucket.code)
            cache.write(KIND, bucket.key, self._header(bucket) + zlib.crc32(body).to_bytes(4, "big") + body)

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return hashlib.sha256(f"{name}|{filename}".encode()).hexdigest()[:40]


def template_cache(env: jinja2.Environment) -> TemplateCache | None:
    """The cache for ``env``, made and set up (filters, finalize) before its first template
    is loaded; None when caching is off. Everything of ``env`` that changes the generated code
    goes into the fingerprint, so two environments never share compiled code by mistake."""
    if cache.cache_dir() is None:
        return None
    options = (type(env).__module__, type(env).__qualname__, env.block_start_string, env.block_end_string,
               env.variable_start_string, env.variable_end_string, env.comment_start_string,
               env.comment_end_string, env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks,
               env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline, repr(env.autoescape),
               env.optimized, sorted(env.extensions), env.is_async, getattr(env.finalize, "__qualname__", None),
               sorted(env.filters), sorted(env.tests), sorted(getattr(env, "intercepted_binops", ())),
               sorted(getattr(env, "intercepted_unops", ())))
    return TemplateCache(repr(options), defining_files(env))


def defining_files(env: jinja2.Environment) -> tuple[str, ...]:
    """The source files of the environment's filters, tests and finalize (unwrapped: the
    sandbox wraps every filter), whose code may run at compile time; built-in functions have
    none (Python's version covers them)."""
    files = set()
    for function in (*env.filters.values(), *env.tests.values(), env.finalize):
        code = getattr(inspect.unwrap(function), "__code__", None) if function is not None else None
        if code is not None:
            files.add(code.co_filename)
    return tuple(sorted(files))
