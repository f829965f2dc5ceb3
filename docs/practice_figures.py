"""Draw the README's practice figures: docs/img/drill.png and docs/img/practice.png.

    .venv/bin/python docs/practice_figures.py

drill.png is the drill screen at 80x24, drawn from rich's own rendering of it (the same
``screen`` the terminal shows) cell by cell in the bundled DejaVu Sans Mono, for a story
of the repository's content/: the front with the clock running, and the back past the
target. practice.png is page 1 of ``stats``' output/practice.pdf for the same content with
a made-up four weeks of practice (a seeded random log in a temporary copy: no real
rehearsal is shown). Needs Pillow and pdftoppm (poppler-utils); neither is a dependency.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from rich.console import Console
from rich.style import Style

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from deckbuilder.practice.cards import load_deck  # noqa: E402 - after the path is set
from deckbuilder.practice.drill import Session, screen  # noqa: E402
from deckbuilder.practice.log import Review, open_log  # noqa: E402

IMG = REPO / "docs" / "img"
FONTS = REPO / "deckbuilder" / "fonts"
SIZE = 15
BACKGROUND = (24, 26, 30)
FOREGROUND = (220, 220, 220)
STORY = "story:mz-ginger-stress"
BOX = {"─": (1, 1, 0, 0), "│": (0, 0, 1, 1), "╭": (0, 1, 0, 1), "╮": (1, 0, 0, 1), "╰": (0, 1, 1, 0), "╯": (1, 0, 1, 0)}


def colour(style: Style, background: bool) -> tuple[int, int, int] | None:
    c = style.bgcolor if background else style.color
    if c is None or c.is_default:
        return None
    t = c.get_truecolor()
    return (t.red, t.green, t.blue)


def draw_screen(console: Console, renderable, width: int, height: int) -> Image.Image:
    regular = ImageFont.truetype(str(FONTS / "DejaVuSansMono.ttf"), SIZE)
    bold = ImageFont.truetype(str(FONTS / "DejaVuSansMono-Bold.ttf"), SIZE)
    cell_w = round(regular.getlength("M"))
    cell_h = round(SIZE * 1.3)
    image = Image.new("RGB", (width * cell_w + 24, height * cell_h + 24), BACKGROUND)
    pen = ImageDraw.Draw(image)
    lines = console.render_lines(renderable, console.options.update(width=width, height=height), pad=True)
    for row, line in enumerate(lines[:height]):
        col = 0
        for segment in line:
            style = segment.style or Style()
            fg = colour(style, False) or FOREGROUND
            bg = colour(style, True)
            if style.reverse:
                fg, bg = bg or BACKGROUND, fg
            if style.dim:
                fg = tuple((a + b) // 2 for a, b in zip(fg, BACKGROUND))
            for char in segment.text:
                x, y = 12 + col * cell_w, 12 + row * cell_h
                if bg:
                    pen.rectangle([x, y, x + cell_w, y + cell_h], fill=bg)
                if char in BOX:  # box lines drawn to meet across the line spacing a font leaves
                    mx, my = x + cell_w // 2, y + cell_h // 2
                    left, right, up, down = BOX[char]
                    if left or right:
                        pen.line([x if left else mx, my, x + cell_w if right else mx, my], fill=fg)
                    if up or down:
                        pen.line([mx, y if up else my, mx, y + cell_h if down else my], fill=fg)
                else:
                    pen.text((x, y + 2), char, font=bold if style.bold else regular, fill=fg)
                if style.underline and char != " ":
                    pen.line([x, y + cell_h - 3, x + cell_w, y + cell_h - 3], fill=fg)
                col += 1
    return image


def drill_png() -> None:
    deck = load_deck(REPO)
    card = next(c for c in deck.cards if c.id == STORY)
    with tempfile.TemporaryDirectory() as tmp:
        log = open_log(Path(tmp))
        session = Session([*deck.cards[:6], card], log, {})
        console = Console(width=80, height=24, color_system="truecolor", force_terminal=True)
        front = draw_screen(console, screen(session, 6, 102.0, False, 80, 24), 80, 24)
        back = draw_screen(console, screen(session, 6, 137.0, True, 80, 24), 80, 24)
        log.close()
    both = Image.new("RGB", (front.width * 2 + 16, front.height), (255, 255, 255))
    both.paste(front, (0, 0))
    both.paste(back, (front.width + 16, 0))
    both.save(IMG / "drill.png", optimize=True)


def practice_png() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        shutil.copytree(REPO / "content", root / "content")
        deck = load_deck(root)
        rng = random.Random(20)
        now = dt.datetime.now(dt.timezone.utc)
        reviews = []
        for card in deck.cards:
            if (card.set != "stories" and rng.random() < 0.6) or rng.random() < 0.2:
                continue
            for _ in range(rng.randint(1, 5)):
                at = now - dt.timedelta(days=rng.randint(0, 27), hours=rng.random() * 5)
                reviews.append(Review(card.id, at, rng.choice([1, 2, 3, 3, 3, 4, None]),
                                      card.target_minutes * 60 * rng.uniform(0.6, 1.4), card.content_hash))
        with open_log(root) as log:
            log.record_many(reviews)
        subprocess.run([sys.executable, "-m", "deckbuilder", "stats", str(root)], check=True, cwd=REPO,
                       stdout=subprocess.DEVNULL)
        subprocess.run(["pdftoppm", "-r", "110", "-png", "-f", "1", "-l", "1", "-singlefile",
                        str(root / "output" / "practice.pdf"), str(IMG / "practice")], check=True)


if __name__ == "__main__":
    drill_png()
    practice_png()
    print("wrote docs/img/drill.png and docs/img/practice.png")
