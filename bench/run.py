"""The deckbuilder benchmark: wall time and peak memory, with the floor measured in the same run.

    python bench/run.py                 # 3 repeats, writes docs/benchmarks.md
    python bench/run.py --repeats 5 --no-write

Every measurement is a fresh process (so start-up and imports count, as they do for a user),
timed from the outside; peak memory is the child's maximum resident set size from wait4().
The checkout is byte-compiled first and children may write bytecode, as after ``pip install``:
otherwise every run would pay for compiling deckbuilder's source, which no user does.

The floor draws the very same card texts with reportlab's bare canvas on the very same
sheets — the page size, the number of pages and the card rectangles of the deck's own
imposition — one drawString per source line in one font at one size: no Markdown, no
wrapping, no fitting. It pays for start-up, reportlab and the font as we do, so the ratio
says what our layout costs on top of putting the same text on the same pages at all.
These machines are noisy: compare ratios within one run, and read medians. The two commands
of the ratios the targets compare (a deck and its floor, ``check`` and the full build; not the
5,000-card deck and the 1,000-card one) are run in turn, ABBA, rather than one's repeats and
then the other's: this machine's speed drifts by
as much as 1.5x within a minute, and a ratio of two medians taken a minute apart measured the
drift (1,000 cards: 1.55x from back-to-back runs, 1.34x alternated, in the same quarter hour).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

# Children import this checkout's deckbuilder, installed or not, from bytecode (see above).
CACHE = Path(tempfile.gettempdir()) / "deckbench-cache"  # main() puts it in the run's scratch folder
CHILD_ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
             "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}

TARGETS = {  # issue 19, the second round
    "full": "user content, all outputs, fresh process: <= 0.5 s",
    "ratio": "1,000-card deck: <= 1.5x the floor",
    "growth": "5,000 cards: <= 5x the 1,000-card time",
    "memory": "peak memory at 5,000 cards: <= 250 MB",
    "watch": "watch rebuild after a one-line edit: <= 0.15 s",
    "check": "check of user content, fresh process: <= 0.3 s",
    "check-share": "check on user content (every output planned, nothing drawn): <= 60% of the full build",
    "help": "deckbuilder --help, fresh process: <= 0.15 s",
}

FLOOR_SCRIPT = textwrap.dedent("""
    import json, sys
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    pages, font_file, out, pagesize = json.load(open(sys.argv[1]))
    pdfmetrics.registerFont(TTFont("Body", font_file))
    canvas = Canvas(out, pagesize=pagesize, initialFontName="Body", invariant=1)
    for page in pages:
        for x, top, face in page:
            canvas.setFont("Body", 9)
            y = top - 20
            for line in face.splitlines():
                canvas.drawString(x + 12, y, line)
                y -= 11
        canvas.showPage()
    canvas.save()
""")

WATCH_SCRIPT = textwrap.dedent("""
    import json, os, sys, time
    from deckbuilder.build import BuildOptions
    from deckbuilder.commands.watch import Watcher
    from deckbuilder.workspace import Workspace
    import contextlib, io
    root = sys.argv[1]
    watcher = Watcher(Workspace.at(root), BuildOptions())
    with contextlib.redirect_stdout(io.StringIO()):
        watcher.rebuild()
    # A one-line edit a user makes: a word added to the first story's title, which is
    # printed on its card, in the matrix and on the sheet.
    path = os.path.join(root, "content", "stories.yaml")
    original = open(path, encoding="utf-8").read()
    lines = original.splitlines(keepends=True)
    at = next(n for n, line in enumerate(lines) if line.lstrip().startswith("title:"))
    times = []
    for i in range(5):
        edited = lines[:at] + [lines[at].rstrip("\\n") + f" v{i + 2}\\n"] + lines[at + 1:]
        text = "".join(edited)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        st = os.stat(path)
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + (i + 1) * 1_000_000_000))
        started = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            ok = watcher.poll()
        times.append(time.perf_counter() - started)
        assert ok is True, "the rebuild did not happen"
        if hasattr(watcher, "tidy"):  # as the watch loop does while it waits for the next save
            watcher.tidy()
    print(json.dumps(times))
""")


STRESS_SCRIPT = textwrap.dedent("""
    # Inputs that once took minutes (the tests assert their results and the work they do,
    # never their time): each timed once, in one process.
    import json, random, time
    from deckbuilder.coach.loop import plan_loop
    from deckbuilder.commands.check import coverage_table
    from deckbuilder.content.coverage import coverage
    from deckbuilder.content.model import Content, Interview, Interviewer, Story
    from deckbuilder.content.principles import builtin_set
    from deckbuilder.layout.sizes import CARD_SIZES
    from deckbuilder.outputs.faces import face_style, split_face
    names = [p.name for p in builtin_set().principles]
    rng = random.Random(3)
    stories = [Story.model_construct(id=f"s{k}", title=f"S {k}", label=f"S{k}", strength=rng.randint(1, 5),
                                     primary=[rng.choice(names)], secondary=rng.sample(names, 2))
               for k in range(10_000)]
    times = {}
    people = [Interviewer(name=f"I{k}", principles=rng.sample(names, 10)) for k in range(30)]
    content = Content(principles=builtin_set(), interview=Interview(company="X", interviewers=people),
                      stories=stories[:5000])
    started = time.perf_counter(); plan_loop(content); times["loop"] = time.perf_counter() - started
    content = Content(principles=builtin_set(), stories=stories)
    started = time.perf_counter(); coverage_table(coverage(content), width=None)
    times["coverage"] = time.perf_counter() - started
    words = " ".join(f"word{k % 97}" for k in range(20_000))
    started = time.perf_counter(); split_face(words, face_style(*CARD_SIZES["3x5"], False), "back")
    times["split"] = time.perf_counter() - started
    print(json.dumps(times))
""")


@dataclass
class Sample:
    seconds: float
    peak_mb: float
    cpu: float = 0.0  # user + system seconds of the process and its children (a build forks)


def run_child(argv: list[str], cwd: Path | None = None, cache: Path | None = None) -> Sample:
    """Run a command; wall time from outside, peak RSS from wait4 (Linux: KiB), CPU time of the
    process and the children it waited for. ``cache``: the cache folder it uses (default: the
    run's own, shared by every child, never the user's)."""
    env = {**CHILD_ENV, "DECKBUILDER_CACHE_DIR": str(cache or CACHE)}
    # stderr goes to a file, not a pipe: a build's warnings (a 1,000-card sample has hundreds)
    # would fill a pipe nobody reads until the child ends, and the child would wait forever.
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        before = os.times()
        process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        after = os.times()
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            err = errors.read().decode(errors="replace")
            raise SystemExit(f"benchmark command failed ({process.returncode}): {' '.join(argv)}\n{err}")
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return Sample(elapsed, usage.ru_maxrss / 1024, cpu)


def median(samples: list[Sample]) -> Sample:
    return Sample(statistics.median(s.seconds for s in samples), max(s.peak_mb for s in samples),
                  statistics.median(s.cpu for s in samples))


def alternated(first: list[str], second: list[str], repeats: int) -> tuple[Sample, Sample]:
    """Both commands' medians, run in turn (first, second, second, first, ...): each pair in
    the same moment of the machine's drifting speed, so their ratio is the commands'."""
    runs: tuple[list[Sample], list[Sample]] = ([], [])
    for i in range(repeats):
        for which in ((0, 1) if i % 2 == 0 else (1, 0)):
            runs[which].append(run_child((first, second)[which]))
    return median(runs[0]), median(runs[1])


def cold(argv: list[str], scratch: Path, repeats: int) -> Sample:
    """``argv`` with an empty cache folder each time: a first build after installing."""
    samples = []
    for i in range(repeats):
        folder = scratch / f"cold-cache-{i}"
        samples.append(run_child(argv, cache=folder))
        shutil.rmtree(folder, ignore_errors=True)
    return median(samples)


def edited_build(root: Path, i: int) -> Sample:
    """``--only cards`` after a word is added to the first story's title (on its front, and in
    the deck's running order nothing else moves): the build after a user's typical edit."""
    path = root / "content" / "stories.yaml"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    at = next(n for n, line in enumerate(lines) if line.lstrip().startswith("title:"))
    lines[at] = lines[at].rstrip("\n") + f" edit{i}\n"
    path.write_text("".join(lines), "utf-8")
    return run_child(deckbuilder("build", str(root), "--only", "cards"))


def deckbuilder(*args: str) -> list[str]:
    return [sys.executable, "-m", "deckbuilder", *args]


def floor_pages(root: Path) -> tuple[list[list[tuple[float, float, str]]], tuple[float, float]]:
    """Every page the deck prints (default options), as (x, top, Markdown of the face) per card
    on it, and the page size: the deck's own cards and imposition, for the floor to draw."""
    from deckbuilder.build import BuildOptions, load
    from deckbuilder.layout.impose import impose, sheet_count
    from deckbuilder.outputs.deck import collect_cards
    from deckbuilder.outputs.sheets import sheet_grid
    from deckbuilder.render.templates import Templates
    from deckbuilder.workspace import Workspace

    options = BuildOptions()
    workspace = Workspace.at(root)
    content, _ = load(workspace)
    cards = collect_cards(content, Templates(workspace.templates_dir))
    width, height = options.card.size
    grid = sheet_grid(options.paper, width, height, (0.0, 0.0), options.card.name)
    pages: list[list[tuple[float, float, str]]] = []
    assert options.flip != "fold", "the floor draws the default duplex deck"
    placements = impose(len(cards), grid, options.flip, options.order)
    for sheet in range(sheet_count(len(cards), grid.slots)):
        on_sheet = [p for p in placements if p.sheet == sheet]
        pages.append([(p.front.x, p.front.top, cards[p.card].front) for p in on_sheet])
        pages.append([(p.back.x, p.back.top, cards[p.card].back) for p in on_sheet])
    return pages, (grid.sheet_w, grid.sheet_h)


def floor_command(root: Path, scratch: Path) -> list[str]:
    """The command that draws ``root``'s deck at the floor (its job written to ``scratch``)."""
    from deckbuilder.render.fonts import font_dir

    pages, pagesize = floor_pages(root)
    job = scratch / f"floor-{root.name}.json"
    job.write_text(json.dumps([pages, str(font_dir() / "DejaVuSans.ttf"),
                               str(scratch / f"floor-{root.name}.pdf"), pagesize]))
    script = scratch / "floor.py"
    script.write_text(FLOOR_SCRIPT)
    return [sys.executable, str(script), str(job)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    scratch = Path(tempfile.mkdtemp(prefix="deckbench-"))
    global CACHE
    CACHE = scratch / "cache"  # fonts and templates cached by the first child, reused by the rest
    os.environ["DECKBUILDER_CACHE_DIR"] = str(CACHE)  # floor_pages loads content here: not the user's folder
    env_note = (f"{platform.python_implementation()} {platform.python_version()}, "
                f"{os.cpu_count()} cores, {platform.machine()}")
    # As pip does at install time; __pycache__/ is ignored by git.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "deckbuilder")], env=CHILD_ENV,
                   check=True, stdout=subprocess.DEVNULL)
    from deckbuilder.outputs import NAMES as OUTPUTS

    try:
        user = scratch / "user"
        user.mkdir()
        shutil.copytree(REPO / "content", user / "content")
        (user / "output").mkdir()
        full_cold = cold(deckbuilder("build", str(user)), scratch, args.repeats)
        check_cold = cold(deckbuilder("check", str(user)), scratch, args.repeats)
        run_child(deckbuilder("build", str(user)))  # fills the run's cache
        full, check = alternated(deckbuilder("build", str(user)), deckbuilder("check", str(user)), args.repeats)
        help_ = median([run_child(deckbuilder("--help")) for _ in range(args.repeats)])

        rows = []
        extra: dict[str, Sample] = {}
        for n in sizes:
            root = scratch / f"sample{n}"
            run_child(deckbuilder("sample", str(root), "--cards", str(n)))
            if n == 1000:  # what the cache folder saves: the first build, and one after an edit
                extra["cold"] = cold(deckbuilder("build", str(root), "--only", "cards"), scratch, args.repeats)
            run_child(deckbuilder("build", str(root), "--only", "cards"))  # its cache filled
            deck, floor = alternated(deckbuilder("build", str(root), "--only", "cards"), floor_command(root, scratch),
                                     args.repeats)
            rows.append((n, deck, floor))
            if n == 1000:
                extra["edited"] = median([edited_build(root, i) for i in range(args.repeats)])

        watch_script = scratch / "watch.py"
        watch_script.write_text(WATCH_SCRIPT)
        out = subprocess.run([sys.executable, str(watch_script), str(user)], capture_output=True, text=True,
                             env={**CHILD_ENV, "DECKBUILDER_CACHE_DIR": str(CACHE)}, check=True)
        watch_times = json.loads(out.stdout)
        watch = statistics.median(watch_times)
        stress_script = scratch / "stress.py"
        stress_script.write_text(STRESS_SCRIPT)
        out = subprocess.run([sys.executable, str(stress_script)], capture_output=True, text=True,
                             env={**CHILD_ENV, "DECKBUILDER_CACHE_DIR": str(CACHE)}, check=True)
        stress = json.loads(out.stdout)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    by_n = {n: (deck, floor) for n, deck, floor in rows}
    lines = [
        f"Run on {time.strftime('%Y-%m-%d')} — {env_note}; median of {args.repeats} fresh processes per row "
        "(peak memory: the largest of them). CPU: user + system time of the process and the one it forks.",
        "Every row runs with the cache folder filled by an earlier command, as every build after a",
        "user's first does, but the three marked 'empty cache', which start from an empty one.",
        "",
        "| measurement | wall time | CPU | peak memory | floor (bare canvas) | ratio to floor | per card |",
        "|---|---:|---:|---:|---:|---:|---:|",
        f"| user `content/`, full build, empty cache | {full_cold.seconds:.2f} s | {full_cold.cpu:.2f} s | "
        f"{full_cold.peak_mb:.0f} MB | | | |",
        f"| user `content/`, `check`, empty cache | {check_cold.seconds:.2f} s | {check_cold.cpu:.2f} s | "
        f"{check_cold.peak_mb:.0f} MB | | | |",
        f"| user `content/`, full build ({', '.join(OUTPUTS)}) | {full.seconds:.2f} s | {full.cpu:.2f} s | "
        f"{full.peak_mb:.0f} MB | | | |",
        (f"| user `content/`, `check` | {check.seconds:.2f} s ({check.seconds / full.seconds:.0%} of the build) | "
         f"{check.cpu:.2f} s | {check.peak_mb:.0f} MB | | | |"),
    ]
    for n, deck, floor in rows:
        lines.append(f"| `--only cards`, {n:,} cards | {deck.seconds:.2f} s | {deck.cpu:.2f} s | "
                     f"{deck.peak_mb:.0f} MB | {floor.seconds:.2f} s | {deck.seconds / floor.seconds:.2f}x | "
                     f"{deck.seconds / n * 1000:.2f} ms |")
    for key, text in (("cold", "empty cache"), ("edited", "one story's title edited since the last build")):
        if key in extra:
            sample = extra[key]
            lines.append(f"| `--only cards`, 1,000 cards, {text} | {sample.seconds:.2f} s | {sample.cpu:.2f} s | "
                         f"{sample.peak_mb:.0f} MB | | | |")
    lines.append(f"| `watch`, user `content/`, rebuild after a one-line edit (median of 5) | {watch:.3f} s "
                 "| | | | | |")
    lines.append(f"| loop plan, 30 interviewers x 10 principles over 5,000 stories (in process) | "
                 f"{stress['loop']:.2f} s | | | | | |")
    lines.append(f"| coverage and check's table, 10,000 stories (in process) | {stress['coverage']:.2f} s | | | | | |")
    lines.append(f"| one 20,000-word face split over cards (in process) | {stress['split']:.2f} s | | | | | |")
    lines.append(f"| `deckbuilder --help` | {help_.seconds:.3f} s | {help_.cpu:.3f} s | {help_.peak_mb:.0f} MB | | | |")
    lines += ["", "Targets:", ""]
    verdicts = {"full": full.seconds <= 0.5, "watch": watch <= 0.15, "check": check.seconds <= 0.3,
                "check-share": check.seconds <= 0.6 * full.seconds, "help": help_.seconds <= 0.15}
    if 1000 in by_n:
        deck, floor = by_n[1000]
        verdicts["ratio"] = deck.seconds <= 1.5 * floor.seconds
    if 1000 in by_n and 5000 in by_n:
        verdicts["growth"] = by_n[5000][0].seconds <= 5 * by_n[1000][0].seconds
        verdicts["memory"] = by_n[5000][0].peak_mb <= 250
    for key, text in TARGETS.items():
        mark = "not measured" if key not in verdicts else "met" if verdicts[key] else "**missed**"
        lines.append(f"- {text} — {mark}")
    table = "\n".join(lines)
    print(table)
    if not args.no_write:
        doc = REPO / "docs" / "benchmarks.md"
        head = doc.read_text("utf-8").split("<!-- results -->")[0] if doc.exists() else "# Benchmarks\n\n"
        doc.write_text(head + "<!-- results -->\n" + table + "\n", "utf-8")
        print(f"\nwrote {doc.relative_to(REPO)}")


if __name__ == "__main__":
    main()
