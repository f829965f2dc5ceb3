"""The outputs deckbuilder can build.

Every output has the same public shape, described in ``outputs.base``: ``files``,
``plan(content, templates, options) -> Plan`` (everything but drawing: what would stop the
build is in the plan, not raised) and ``draw(plan, paths)``. ``outputs.registry.OUTPUTS``
is the table of them, in build order; ``NAMES`` are their names, for the command line's
help, which must not import every output (and reportlab) to print itself.
"""

from __future__ import annotations

NAMES: tuple[str, ...] = ("cards", "sheet", "matrix", "loop", "packet")
