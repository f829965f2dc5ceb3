"""The outputs deckbuilder can build, by name.

Each output is a module with ``FILES`` (the names it writes into output/) and
``build(ctx: BuildContext) -> None``, which renders into ``ctx.stage(name)`` paths.
Modules are imported only when their output is built, so a command pays for what it uses.
Adding an output is adding a module here and a folder of templates.
"""

from __future__ import annotations

import importlib
from types import ModuleType

# name -> module, in build order (the packet reads what the others staged).
OUTPUTS: dict[str, str] = {
    "cards": "deckbuilder.outputs.deck",
    "sheet": "deckbuilder.outputs.sheet",
    "matrix": "deckbuilder.outputs.matrix",
    "loop": "deckbuilder.outputs.loop",
    "packet": "deckbuilder.outputs.packet",
}


def module(name: str) -> ModuleType:
    return importlib.import_module(OUTPUTS[name])
