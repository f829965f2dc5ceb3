"""``python -m deckbuilder`` and the ``deckbuilder`` command (pyproject's entry point)."""

from .classcache import install

install()  # before the first dataclass is defined: see classcache

from .cli import run  # noqa: E402

if __name__ == "__main__":
    run()
