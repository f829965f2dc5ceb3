"""Doing part of a build in a second process while this one does the rest.

A build plans every output first, then draws them. On two cores the packet, the longest
drawing (its stories laid out, every card face drawn again at reading scale), is drawn in
a second process while this one draws the cards, the sheet, the matrix and the loop
(``build.ALONGSIDE``); before that, ``build`` and ``check`` plan the deck there while this
one plans the rest, and a large deck has half its faces set there (``outputs.fitmany``).
The second process is a fork, so it starts with everything this one has (the content, the
imports, the fonts, the plans made so far) for a few milliseconds. It
writes its own staged files and sends back only what the build needs to finish: which
files it staged, the warnings it added, what its work returned, and how it failed if it
did. Where fork is missing (Windows), unsafe (macOS) or pointless (one core), nothing
forks and the build is the plain loop it always was.
"""

from __future__ import annotations

import os
import pickle
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem, UserError

_serial: ContextVar[bool] = ContextVar("deckbuilder_serial", default=False)
_in_child = False  # set in the forked process: it never forks again (two cores are busy already)


def available() -> bool:
    """Fork exists, is safe to use here, there is a second core to run on, this is not the
    second process already, and the work in progress was not asked to stay in one (``serial``)."""
    if _in_child or _serial.get() or not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    return len(os.sched_getaffinity(0)) > 1


@contextmanager
def serial() -> Iterator[None]:
    """Nothing forks within this block (``build(parallel=False)``)."""
    token = _serial.set(True)
    try:
        yield
    finally:
        _serial.reset(token)


@dataclass
class _Result:
    staged: dict[str, Path]
    problems: list[Problem]  # warnings the outputs added
    user_error: list[Problem] | None = None
    value: object = None  # what ``work`` returned (picklable), handed back by ``join``
    failure: BaseException | None = None
    failure_text: str = ""


class Alongside:
    """Runs ``work`` in a forked child; ``join`` waits for it and takes over what it did.

    ``work`` gets nothing and changes the (forked copy of the) build context: it stages
    files and adds warnings there. The child never returns into the caller's code: it
    reports through a pipe and leaves with ``os._exit``.
    """

    def __init__(self, work: Callable[[], object], staged: dict[str, Path], problems: list[Problem]) -> None:
        self.staged, self.problems = staged, problems
        before = (set(staged), len(problems))
        read_end, write_end = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child
            global _in_child
            _in_child = True
            os.close(read_end)
            code = 0
            try:
                result = self._run(work, *before)
                with os.fdopen(write_end, "wb") as pipe:
                    pickle.dump(result, pipe)
            except BaseException:  # noqa: BLE001 - nothing may escape a forked child
                code = 1  # the parent reports a child without a result; leave no staged files behind
                for name, path in staged.items():
                    if name not in before[0]:
                        path.unlink(missing_ok=True)
            finally:
                os._exit(code)
        os.close(write_end)
        self.read_end = read_end
        self.joined = False

    def _run(self, work: Callable[[], object], staged_before: set[str], problems_before: int) -> _Result:
        result = _Result({}, [])
        try:
            result.value = work()
        except UserError as exc:
            result.user_error = exc.problems
        except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
            result.failure_text = traceback.format_exc()
            try:
                pickle.dumps(exc)
                result.failure = exc
            except Exception:  # noqa: BLE001 - an exception that cannot travel travels as text
                result.failure = RuntimeError(f"{type(exc).__name__}: {exc}")
        result.staged = {k: v for k, v in self.staged.items() if k not in staged_before}
        result.problems = self.problems[problems_before:]
        return result

    def join(self, keep_outcome: bool = True) -> object:
        """Wait for the child and take over its staged files (always: so that a failed build
        removes them). With ``keep_outcome``, also its warnings and its failure, raised here;
        without (this process failed first), the child's outcome is dropped as a plain
        loop would never have got that far. Returns what ``work`` returned."""
        if self.joined:
            return None
        result = self._wait()
        self.joined = True
        if result is None:
            if keep_outcome:
                raise RuntimeError("the process building outputs alongside this one ended without a result")
            return None
        self.staged.update(result.staged)
        if not keep_outcome:
            return None
        self.problems.extend(result.problems)
        if result.user_error is not None:
            raise UserError(result.user_error)
        if result.failure is not None:
            if hasattr(result.failure, "add_note") and result.failure_text:
                result.failure.add_note("in the process building outputs alongside:\n" + result.failure_text)
            raise result.failure
        return result.value

    def value_or_none(self) -> object:
        """What ``work`` returned, or None when the child failed: for work the child does only
        as a head start, which this process then does itself (meeting a bug there again, where
        it happens). A Ctrl-C is not a failure of the child: it is raised here as ever."""
        try:
            return self.join()
        except Exception:  # noqa: BLE001 - the caller does the work here instead
            return None

    def _wait(self) -> _Result | None:
        """What the child sent, once it has ended; None if it failed or sent nothing whole. A
        Ctrl-C reaches the child too, which then ends quickly; the wait goes on to the end and
        the interrupt is raised after."""
        chunks: list[bytes] = []
        interrupted: KeyboardInterrupt | None = None
        at_end = False
        status = -1
        sent: _Result | None = None
        while True:
            try:
                if not at_end:
                    chunk = os.read(self.read_end, 1 << 16)
                    if chunk:
                        chunks.append(chunk)
                        continue
                    at_end = True
                    os.close(self.read_end)
                    reap_ended()
                    ended, status = os.waitpid(self.pid, os.WNOHANG)
                    if ended:
                        break
                    # Still ending (the system frees its memory: 3-7 ms a build waited): a whole
                    # result says it ended well (it writes one only when its work is done, and one
                    # cut short does not load), so this process goes on and reaps it later.
                    sent = _unpickled(b"".join(chunks))
                    if sent is not None:
                        _ENDING.append(self.pid)
                        status = 0
                        break
                status = os.waitpid(self.pid, 0)[1]
                break
            except ChildProcessError:  # already reaped elsewhere: its status is unknown, the bytes decide
                status = 0
                break
            except KeyboardInterrupt as exc:
                interrupted = exc
        if sent is None and status == 0:  # else it failed, maybe part-way
            sent = _unpickled(b"".join(chunks))
        result = sent if status == 0 else None
        if interrupted is not None:  # through writing its result (a Ctrl-C while pickling), and removed its files
            if result is not None:  # keep its staged files, so that they are removed with ours
                self.staged.update(result.staged)
            self.joined = True
            raise interrupted
        return result


_ENDING: list[int] = []  # second processes that sent their whole result and were still ending


def reap_ended() -> None:
    """Reap the second processes of ``_ENDING`` that have ended since: called at every join and
    by ``watch`` between saves (a watch whose later rebuilds fork nothing joins no more, and
    would keep a zombie all session); a one-shot command's are reaped by the system when it
    exits."""
    for pid in list(_ENDING):
        try:
            if os.waitpid(pid, os.WNOHANG)[0] == 0:
                continue
        except ChildProcessError:
            pass
        _ENDING.remove(pid)


def _unpickled(data: bytes) -> _Result | None:
    """The child's result, or None for nothing or a part of one."""
    if not data:
        return None
    try:
        result = pickle.loads(data)
    except Exception:  # noqa: BLE001 - cut off: the child ended while writing it
        return None
    return result if isinstance(result, _Result) else None
