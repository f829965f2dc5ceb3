"""A guard against a test that never ends, not a speed target.

Some tests feed pathological input (a 20,000-word face, a line of 5,000 spaces, a 30 x 5,000
loop) that once took minutes or hung. They assert the work done, or only the result; the
guard stops one that hangs, far above any normal time, so CI reports a failure instead of
waiting forever. How fast these cases run is measured in ``bench/`` (docs/benchmarks.md),
never asserted here: a busy machine must not fail the suite.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

HANG_SECONDS = 120


@contextmanager
def hang_guard(seconds: int = HANG_SECONDS) -> Iterator[None]:
    """Fail the test if the block has not ended after ``seconds`` (where SIGALRM exists)."""
    if not hasattr(signal, "SIGALRM") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def hung(signum: int, frame: object) -> None:
        raise AssertionError(f"still running after {seconds} s: this input hangs")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
