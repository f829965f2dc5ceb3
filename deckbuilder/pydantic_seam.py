"""The one place deckbuilder reaches into a private module of pydantic's.

The first time a model class is built, pydantic looks for plugins (packages that register a
``pydantic`` entry point to watch every validation): its ``pydantic.plugin._loader`` imports
``importlib.metadata`` when it is imported (with ``email``, ``zipfile``, ``csv`` and more),
then reads the metadata of every installed package. That was 36 M of the 1,242 M instructions
of a ``check`` of the user's content (callgrind), about 8 ms of every command that reads
content. The command turns pydantic's plugins off with pydantic's documented switch
(``PYDANTIC_DISABLE_PLUGINS``, ``cli.run``: a value the user set is kept), which its loader
reads only after that import. So ``no_plugins()``, called before the content model is defined,
puts a loader that finds none where pydantic imports its own, when the switch says all are
off (then pydantic's would find none either) and pydantic's is not imported already. Anything
else asked of that module is taken from pydantic's own, loaded then under another name.
``verify()`` says when pydantic no longer imports it as this expects (``tests/test_startup.py``):
then nothing is lost but the time.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import types
from typing import Any

LOADER = "pydantic.plugin._loader"
IMPORTED_AS = "from ._loader import get_plugins"  # in pydantic.plugin._schema_validator
ALL_OFF = ("__all__", "1", "true")  # the switch's values for which pydantic's loader finds no plugin


def no_plugins() -> None:
    """pydantic's plugin loader, finding none, without what it imports, where its switch turns
    every plugin off (see the module docstring)."""
    if LOADER in sys.modules or os.environ.get("PYDANTIC_DISABLE_PLUGINS") not in ALL_OFF:
        return
    stub = types.ModuleType(LOADER, "pydantic's plugin loader, finding none (deckbuilder.pydantic_seam)")
    vars(stub).update(get_plugins=_get_plugins, __getattr__=_from_pydantics_own)  # a module's __getattr__: PEP 562
    sys.modules[LOADER] = stub


def _get_plugins() -> tuple[()]:
    return ()


def _from_pydantics_own(name: str) -> Any:
    """What the stub does not have, from pydantic's own loader (loaded once, under another name);
    not what the import system asks any module (``__file__``, ``__path__``)."""
    if name.startswith("__"):
        raise AttributeError(name)
    own = sys.modules.get("deckbuilder._pydantic_plugin_loader")
    if own is None:
        spec = importlib.util.find_spec("pydantic.plugin")
        locations = list(spec.submodule_search_locations or []) if spec is not None else []
        found = importlib.util.spec_from_file_location("deckbuilder._pydantic_plugin_loader",
                                                       f"{locations[0]}/_loader.py") if locations else None
        if found is None or found.loader is None:
            raise AttributeError(name)
        own = importlib.util.module_from_spec(found)
        sys.modules[found.name] = own
        found.loader.exec_module(own)
    if name == "get_plugins":
        return _get_plugins
    return getattr(own, name)


def verify() -> list[str]:
    """What differs from what ``no_plugins`` expects of pydantic (nothing: an empty list)."""
    spec = importlib.util.find_spec("pydantic.plugin._schema_validator")
    if spec is None or spec.origin is None:
        return ["pydantic.plugin._schema_validator is gone"]
    with open(spec.origin, encoding="utf-8") as file:
        source = file.read()
    if IMPORTED_AS not in source:
        return [f"pydantic.plugin._schema_validator no longer says {IMPORTED_AS!r}"]
    return []
