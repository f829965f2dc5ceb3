"""The ``deckbuilder`` command line: parsing, exit statuses and printing problems.

Exit status 0: done. 2: the user's input needs fixing (printed as ``file:line: message``
with a hint, never a traceback). 1: a bug in deckbuilder.
"""

from __future__ import annotations

import argparse
import errno
import gc
import os
import re
import signal
import sys

from . import classcache
from .commands import build, calibrate, check, drill, export, import_, new, printer, sample, stats, watch
from .errors import EXIT_BUG, EXIT_OK, EXIT_USER, UserError, print_problems

__all__ = ["EXIT_BUG", "EXIT_OK", "EXIT_USER", "main", "print_problems", "run"]

# Each command is a module in deckbuilder.commands with add_parser(subparsers) and run(args);
# their heavy imports wait inside run(), so loading them all to make the parser stays quick.
COMMANDS = {"build": build, "check": check, "import": import_, "new": new, "watch": watch, "sample": sample,
            "calibrate": calibrate, "printer": printer, "drill": drill, "stats": stats, "export": export}

# Commands that run with the cycle collector off (``build.collector_paused``) and, started by
# ``run``, end the process when they return: see ``main``.
COLLECTOR_STAYS_OFF = ("build", "check")
_ending = False  # set by ``run``: the process ends without teardown once ``main`` returns

EXIT_PIPE = 141  # 128 + SIGPIPE: what a shell reports for a tool whose reader closed the pipe

# Options whose value is a signed number pair such as "-1,2" (--back-offset X,Y). argparse
# knows a value may start with "-" only when it is a plain number ("-1"), so "-1,2" would be
# taken for an unknown option and the command would fail with "expected one argument".
SIGNED_PAIR_OPTIONS = ("--back-offset",)
LOOKS_SIGNED = re.compile(r"\s*[-+\u2212]\s*[\d.]")  # "-1,2", "+1.5,-0.5", "\u22123,0" (a typographic minus)


def attach_signed_values(argv: list[str]) -> list[str]:
    """``--back-offset -1,2`` rewritten as ``--back-offset=-1,2``, which argparse reads as meant.

    Only a value that starts like a signed number is attached (a forgotten value followed by
    another option still gets argparse's own message), also for an abbreviation argparse
    would accept (``--back -1,2``); nothing after ``--`` is touched.
    """
    out: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            out.extend(argv[i:])
            break
        takes_pair = len(arg) >= 3 and any(name.startswith(arg) for name in SIGNED_PAIR_OPTIONS)
        if takes_pair and i + 1 < len(argv) and LOOKS_SIGNED.match(argv[i + 1]):
            out.append(f"{arg}={argv[i + 1]}")
            i += 2
            continue
        out.append(arg)
        i += 1
    return out


def version() -> str:
    """The installed distribution's version (pyproject.toml is the one place it is written)."""
    from importlib import metadata  # 50 ms of imports: only when the version is asked for

    try:
        return metadata.version("deckbuilder")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"


class _VersionAction(argparse.Action):
    """argparse's 'version' action, with the version looked up only when it is asked for."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=str(kwargs.get("help", "")))

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        print(f"deckbuilder {version()}")
        parser.exit()


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="deckbuilder",
        description="Build printable interview-prep cards, a one-page sheet, a principle matrix and a "
                    "coach packet from YAML stories.",
    )
    parser.add_argument("--version", action=_VersionAction, help="print deckbuilder's version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for command in COMMANDS.values():
        command.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # a terminal that cannot show '→' must not turn into a crash
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    parser = make_parser()
    args = parser.parse_args(attach_signed_values(list(sys.argv[1:] if argv is None else argv)))
    if _ending and args.command in COLLECTOR_STAYS_OFF:
        # A build or check pauses the cycle collector while it works; switched back on, the
        # collector's first pass walks every object the command made (all young, none ever
        # collected): 0.11 s of a 1,000-card build, spent just before the process ends, which
        # frees nothing (os._exit). Left off, the command ends as soon as it has printed.
        gc.disable()
    try:
        return int(args.run(args) or 0)
    except UserError as exc:
        print_problems(exc.problems)
        count = len(exc.problems)
        if exc.outputs_changed:
            outcome = "some PDFs were replaced (see above)"
        elif args.command in ("build", "watch"):  # the folder --out or [output] dir named, once known
            outcome = f"the PDFs in {getattr(args, 'output_shown', 'output/')} are unchanged"
        else:
            outcome = "nothing was written"
        print(f"deckbuilder: {count} problem{'s' if count != 1 else ''} to fix; {outcome}.", file=sys.stderr)
        return EXIT_USER
    except KeyboardInterrupt as exc:
        written = getattr(exc, "written", None)  # interrupted after a build moved its PDFs into place
        done = f"{', '.join(p.name for p in written)} written" if written else "nothing was written"
        print(f"deckbuilder: interrupted; {done}.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # 'deckbuilder stats | head': the reader has gone, as for any Unix tool
        _silence_stdout()
        return EXIT_PIPE
    except OSError as exc:
        if exc.errno not in ENVIRONMENT_ERRNOS:
            return _bug(exc)
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"{where}{exc.strerror or exc}\n    hint: {ENVIRONMENT_ERRNOS[exc.errno]}", file=sys.stderr)
        outcome = ("nothing was imported (no file written, none left half written)" if args.command == "import"
                   else f"the PDFs in {getattr(args, 'output_shown', 'output/')} are unchanged")
        print(f"deckbuilder: the machine refused a file operation; {outcome}.", file=sys.stderr)
        return EXIT_USER
    except Exception as exc:  # noqa: BLE001 - the one place bugs are caught and reported
        return _bug(exc)
    except BaseException as exc:  # a native library's panic (pyo3's PanicException is no Exception)
        if isinstance(exc, (SystemExit, GeneratorExit)):
            raise
        return _bug(exc)


# A full disk or a read-only folder is the machine's answer, not our bug: status 2 and what to do.
ENVIRONMENT_ERRNOS = {
    errno.ENOSPC: "free some disk space, then build again",
    errno.EDQUOT: "you are over your disk quota; free some space, then build again",
    errno.EROFS: "this folder is on a read-only disk; copy the workspace somewhere you can write",
    errno.EACCES: "check the permissions of the workspace and its output/ folder",
    errno.EPERM: "check the permissions of the workspace and its output/ folder",
}


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that the final flush does not fail on the closed pipe again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file descriptor (a test's capture)
        pass


def _bug(exc: BaseException) -> int:
    if os.environ.get("DECKBUILDER_DEBUG"):
        import traceback  # linecache, tokenize, textwrap: only to print a bug

        traceback.print_exception(exc)
    print(f"deckbuilder: internal error ({type(exc).__name__}: {exc}). This is a bug in deckbuilder, "
          "not in your files; nothing was written. Run again with DECKBUILDER_DEBUG=1 to see the "
          "traceback and report it.", file=sys.stderr)
    return EXIT_BUG


def _stop_on_signal(signum: int, frame: object) -> None:
    """SIGTERM/SIGHUP (a closed terminal, a killed job) unwind like Ctrl-C, so the staged
    temporary files are removed on the way out instead of left in output/."""
    raise KeyboardInterrupt


# pydantic looks for plugins by reading the entry points of every installed distribution
# when it builds its first model (10-30 ms of every start, measured); deckbuilder uses
# none. Its documented switch (docs.pydantic.dev, Concepts > Plugins > Disabling Plugins)
# is read then, not at import; a value the user set is left as it is.
PYDANTIC_PLUGINS_OFF = ("PYDANTIC_DISABLE_PLUGINS", "__all__")


def defer_pil() -> None:
    """Let Pillow's ``PIL.Image`` load only when something uses it.

    reportlab imports it whenever it starts (``reportlab.lib.utils``), for bitmap images,
    which deckbuilder never draws: 45 M instructions, about 1% of a ``check``, measured.
    The standard library's ``importlib.util.LazyLoader`` puts the module in place and runs
    it on its first attribute access, so anything that does use it gets the real module.
    Done once, by the process's entry point, before anything imports reportlab; nothing is
    done if the module is already imported or cannot be found.
    """
    import importlib.util

    if "PIL.Image" in sys.modules:
        return
    try:
        spec = importlib.util.find_spec("PIL.Image")
    except (ImportError, ValueError):
        return
    if spec is None or spec.loader is None:
        return
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules["PIL.Image"] = module
    sys.modules["PIL"].Image = module  # type: ignore[attr-defined]  # `from PIL import Image` finds it
    spec.loader.exec_module(module)


def run() -> None:
    global _ending
    _ending = True
    classcache.install()  # done already when started as the command or with python -m (__main__.py)
    os.environ.setdefault(*PYDANTIC_PLUGINS_OFF)
    defer_pil()
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _stop_on_signal)
    code = main()
    classcache.save()  # what this process compiled that the table lacked
    exit_without_teardown(code)


def exit_without_teardown(code: int) -> None:
    """End the process once everything is written, skipping the interpreter's teardown.

    By the time ``main`` returns every PDF has been written, flushed, closed and moved into
    place, and no deckbuilder code runs at exit (no atexit hooks, no finalisers that write).
    What is left is Python freeing every object of a build one by one and a last garbage
    collection: 0.35-0.4 s of a 2 s 1,000-card build, measured. So flush what the user is
    to read and leave. ``DECKBUILDER_TEARDOWN=1`` keeps the normal exit (for profilers and
    leak checkers that report at exit).
    """
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can reach the reader anyway
            pass
    if os.environ.get("DECKBUILDER_TEARDOWN"):
        sys.exit(code)
    os._exit(code)


if __name__ == "__main__":
    run()
