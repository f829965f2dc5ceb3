"""The compiled dataclass methods kept in the cache folder (deckbuilder/classcache.py): a second
process compiles none of them, its classes are the ones compiling would give, and anything wrong
with the stored table costs only the compilations it saved."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from deckbuilder import cache, classcache

# Each deckbuilder dataclass's generated methods, as what their code objects are made of.
_CLASSES = r"""
def generated_methods():
    import dataclasses, sys
    import deckbuilder.build, deckbuilder.cli, deckbuilder.outputs.packet
    classes = {}
    for name, module in sorted(sys.modules.items()):
        if not name.startswith("deckbuilder"):
            continue
        for cls in vars(module).values():
            if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == name:
                methods = {}
                for method in ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__"):
                    code = getattr(vars(cls).get(method), "__code__", None)
                    if code is not None:
                        methods[method] = [code.co_code.hex(), repr(code.co_consts), list(code.co_names),
                                           list(code.co_varnames), code.co_filename, code.co_flags,
                                           code.co_firstlineno]
                classes[f"{name}.{cls.__qualname__}"] = methods
    return classes
"""
_PROBE = _CLASSES + r"""
import json
from deckbuilder import classcache
classcache.install()
classes = generated_methods()
classcache.save()
print(json.dumps({"installed": classcache._installed, "compiled": classcache._added, "classes": classes}))
"""


def _probe(folder: Path) -> dict:
    environment = {**os.environ, "DECKBUILDER_CACHE_DIR": str(folder)}
    done = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, env=environment,
                          timeout=60, check=True)
    return json.loads(done.stdout)


def test_second_process_compiles_nothing_and_gets_the_same_classes(tmp_path):
    first = _probe(tmp_path)
    second = _probe(tmp_path)
    assert first["installed"] and second["installed"]
    assert first["compiled"] > 100  # deckbuilder's own classes at least: the table was empty
    assert second["compiled"] == 0  # every method came from the table
    namespace: dict = {}
    exec(_CLASSES, namespace)
    assert "exec" not in dataclasses.__dict__  # not installed in this process
    everywhere = namespace["generated_methods"]()  # this process: compiled by dataclasses itself
    plain = {name: everywhere[name] for name in first["classes"]}  # (other tests import more modules)
    assert len(plain) > 50
    assert first["classes"] == plain == second["classes"]


@pytest.fixture
def hooked(tmp_path, monkeypatch):
    """classcache installed in this process with an empty table, undone afterwards."""
    monkeypatch.setenv(cache.ENV, str(tmp_path))
    monkeypatch.delenv(cache.OFF_ENV, raising=False)
    for name, value in (("_installed", False), ("_table", {}), ("_used", set()), ("_added", 0)):
        monkeypatch.setattr(classcache, name, value)

    def install() -> None:
        monkeypatch.setattr(classcache, "_installed", False)
        classcache.install()

    yield install
    dataclasses.__dict__.pop("exec", None)  # back to the built-in for the rest of the suite


def _define() -> type:
    @dataclasses.dataclass(frozen=True)
    class Point:
        x: int = 1
        y: list[int] = dataclasses.field(default_factory=list)

    return Point


def test_an_edited_class_is_a_new_entry(hooked):
    """The key is the generated source: a class whose fields change gets its own code, and the
    stored code runs with each class's own namespace (its defaults), not another's."""
    hooked()

    @dataclasses.dataclass(frozen=True)
    class One:
        a: int = 1

    compiled = classcache._added

    @dataclasses.dataclass(frozen=True)
    class Two:  # the same source text as One's methods, other defaults
        a: int = 2

    assert classcache._added == compiled  # nothing new to compile
    assert One() == One(1) and Two() == Two(2) and One().a == 1 and Two().a == 2
    assert repr(Two()).endswith("Two(a=2)")
    with pytest.raises(dataclasses.FrozenInstanceError):
        Two().a = 3  # type: ignore[misc]

    @dataclasses.dataclass(frozen=True)
    class Three:
        a: int = 1
        b: str = "x"

    assert classcache._added > compiled
    assert Three() == Three(1, "x")


def test_a_damaged_table_is_compiled_again(hooked, tmp_path):
    hooked()
    _define()
    compiled = classcache._added
    assert compiled and classcache._table
    classcache.save()
    table = next((tmp_path / classcache.KIND).iterdir())
    classcache._table.clear()
    hooked()
    assert len(classcache._table) == compiled  # read back whole

    data = bytearray(table.read_bytes())
    data[len(data) // 2] ^= 0xFF
    table.write_bytes(bytes(data))
    classcache._table.clear()
    hooked()
    assert not classcache._table  # nothing usable was read
    point = _define()
    assert point() == point(1, []) and point(2).x == 2  # and nothing failed


def test_off_when_the_cache_is_off(hooked, monkeypatch):
    monkeypatch.setenv(cache.OFF_ENV, "1")
    hooked()
    assert not classcache._installed and "exec" not in dataclasses.__dict__
