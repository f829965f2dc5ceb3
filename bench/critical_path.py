"""How long a deckbuilder command would take on an idle two-core machine, from CPU clocks.

    python bench/critical_path.py build WORKSPACE [--only cards]     # one run, in this process

On a shared machine loaded by other work, the wall time of a build that forks says more
about the neighbours than about the build: both processes wait for a core. This runs the
command once and adds up CPU time instead: this process's, plus, for each forked process
(``deckbuilder.alongside``), how much longer it worked than this one did meanwhile. That is
the wall time the command would take with two idle cores (start-up and imports included);
without a fork it is this process's CPU time. Prints both, in seconds.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    from deckbuilder import alongside
    from deckbuilder.errors import Problem

    forks: list[tuple[float, str]] = []  # (this process's CPU from fork to join, the child's CPU file)
    started: dict[int, tuple[float, str]] = {}
    real_init, real_join = alongside.Alongside.__init__, alongside.Alongside.join

    def init(self: alongside.Alongside, work: Callable[[], object], staged: dict[str, Path],
             problems: list[Problem]) -> None:
        fd, path = tempfile.mkstemp(prefix="deckbuilder-critical-")
        os.close(fd)

        def timed() -> object:
            clock = time.process_time()
            try:
                return work()
            finally:
                Path(path).write_text(str(time.process_time() - clock))

        real_init(self, timed, staged, problems)
        started[id(self)] = (time.process_time(), path)

    def join(self: alongside.Alongside, keep_outcome: bool = True) -> object:
        if id(self) in started:
            clock, path = started.pop(id(self))
            forks.append((time.process_time() - clock, path))
        return real_join(self, keep_outcome)

    alongside.Alongside.__init__, alongside.Alongside.join = init, join  # type: ignore[method-assign]
    from deckbuilder.cli import main as deckbuilder

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            deckbuilder(sys.argv[1:])
        except SystemExit:
            pass
    own = time.process_time()
    critical = own
    for here, path in forks:
        text = Path(path).read_text()
        Path(path).unlink()
        critical += max(0.0, float(text or 0) - here)
    print(f"critical path {critical:.3f} s, this process's CPU {own:.3f} s, {len(forks)} fork(s)")


if __name__ == "__main__":
    main()
