"""Making imported cards fit, so that ``deckbuilder build`` works straight away.

``build`` refuses a card face that does not fit even at the smallest font size (it
never drops text). Notes are written for reading, not for 3x5 cards, so after assembly
every card face is rendered with the workspace's templates and measured exactly as the
deck does it (``outputs.faces``), on the default card:

- a phase (or backup card) whose answer is too long keeps what fits, and the rest goes
  on backup cards titled ``5. ARCHITECTURE (cont.)`` that follow the phases in the deck;
- a story whose back is too long has its longest sections shortened on the card (ending
  in "…"), and its full sections are kept word for word in its notes;
- a question or a phase front that is too long is shortened the same way.

Nothing is dropped: whatever leaves a card is in another card or in the notes, and the
report lists every case.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from ..content.model import BankEntry, BankQuestion, Extra, Interview, Phase, Project, Story
from ..options import DEFAULT_CARD, Card
from ..outputs.faces import Overflow, face_style, fit_face
from ..render.templates import Templates
from .report import FileReport
from .text import indent_of, is_list_item, shorten


@dataclass(frozen=True)
class Chunk:
    text: str
    tight: bool  # joins the previous chunk with a single newline (same list or paragraph)


class CardFitter:
    """Renders faces with the workspace's templates and measures them as the deck does
    (``outputs.faces.fit_face``, which caches, so the build that follows re-measures
    nothing in the same process)."""

    def __init__(self, templates: Templates, principles: list[str], card: str = DEFAULT_CARD) -> None:
        self.templates = templates
        self.principles = principles
        self.style = face_style(*Card.parse(card).size, stock=False)

    def ratio(self, markdown: str, side: str = "back") -> float:
        """Height the face needs at the floor size over the height it has (<= 1 fits)."""
        face = fit_face(markdown, self.style, side)
        if isinstance(face, Overflow):
            return face.ratio
        body_w, body_h = self.style.body
        return min(1.0, face.block.height_at(self.style.floor, body_w) / body_h)

    def fits(self, markdown: str, side: str = "back") -> bool:
        return not isinstance(fit_face(markdown, self.style, side), Overflow)

    # ------------------------------------------------------------ faces, as the deck renders them

    def phase_faces(self, phase: dict, project: dict, interview: dict | None) -> tuple[str, str]:
        ctx = dict(phase=Phase.model_validate(phase), project=_project_model(project),
                   interview=Interview.model_validate(interview) if interview else None)
        return (self.templates.render("cards/phase-front.md.j2", **ctx),
                self.templates.render("cards/phase-back.md.j2", **ctx))

    def extra_faces(self, extra: dict, project: dict) -> tuple[str, str]:
        ctx = dict(extra=Extra.model_validate(extra), project=_project_model(project))
        return (self.templates.render("cards/extra-front.md.j2", **ctx),
                self.templates.render("cards/extra-back.md.j2", **ctx))

    def story_faces(self, story: dict) -> tuple[str, str]:
        ctx = dict(story=Story.model_validate(story), principles=self.principles)
        return (self.templates.render("cards/story-front.md.j2", **ctx),
                self.templates.render("cards/story-back.md.j2", **ctx))

    def question_front(self, question: dict, principle: str) -> str:
        entry = BankEntry.model_validate({"principle": principle, "questions": [question]})
        return self.templates.render("cards/question-front.md.j2", question=BankQuestion.model_validate(question),
                                     entry=entry, stories=[])

    # ------------------------------------------------------------ packing long text over cards

    def pack(self, text: str, ratio_for: Callable[[int, str], float]) -> list[str]:
        """Split ``text`` into card-sized pieces; ``ratio_for(i, piece)`` measures piece
        number ``i`` on its card (<= 1 fits). Paragraphs stay whole when they can, then
        list items, then sentences, then words."""
        queue = split_chunks(text)
        cards: list[str] = []
        while queue:
            index = len(cards)
            lo = largest_prefix(queue, partial(ratio_for, index))
            while 1 < lo < len(queue) and _is_label(queue[lo - 1].text):
                lo -= 1  # "**Why This Design:**" goes with the list it heads
            if lo == 0:
                finer = split_finer(queue[0])
                if len(finer) == 1:  # a single word longer than a card: nothing else to do
                    cards.append(join(queue[:1]))
                    queue = queue[1:]
                else:
                    queue = finer + queue[1:]
                continue
            cards.append(join(queue[:lo]))
            queue = [Chunk(queue[lo].text, False)] + queue[lo + 1:] if lo < len(queue) else []
        return cards


def largest_prefix(chunks: list[Chunk], ratio: Callable[[str], float]) -> int:
    """How many chunks from the start fit one card.

    Measuring is the slow part (a Markdown parse and a reportlab wrap), so instead of
    a plain binary search each measurement's overflow ratio estimates where the card
    fills up (text height grows about linearly with length): two to four measurements
    instead of six to eight."""
    sizes = [0]
    for chunk in chunks:
        sizes.append(sizes[-1] + len(chunk.text) + 1)
    fits, fails = 0, len(chunks) + 1  # known: `fits` chunks fit, `fails` chunks do not
    k = len(chunks)
    while fails - fits > 1:
        r = ratio(join(chunks[:k]))
        if r <= 1.0:
            fits = k
        else:
            fails = k
        if fails - fits <= 1:
            break
        target = sizes[k] / max(r, 1e-6)
        guess = max(j for j in range(len(sizes)) if sizes[j] <= target) if target >= sizes[1] else 0
        k = min(max(guess, fits + 1), fails - 1)
    return fits


def _is_label(text: str) -> bool:
    """A line that heads what follows it (``**Why This Design:**``, ``Workflow:``)."""
    text = text.strip()
    return "\n" not in text and len(text) < 80 and (text.endswith(":") or text.endswith(":**"))


def _project_model(project: dict) -> Project:
    return Project.model_validate({k: v for k, v in project.items() if k not in ("phases", "extras")})


def split_chunks(text: str) -> list[Chunk]:
    """Paragraphs (blank-line separated), each split further into list items."""
    chunks: list[Chunk] = []
    for para in re.split(r"\n\s*\n", text.strip()):
        items = _items(para)
        for i, item in enumerate(items):
            chunks.append(Chunk(item, i > 0))
    return chunks


def _items(para: str) -> list[str]:
    """A paragraph's top-level list items (each with its nested lines), or the paragraph."""
    lines = para.split("\n")
    if not any(is_list_item(line) for line in lines):
        return [para]
    base = min(indent_of(line) for line in lines if is_list_item(line))
    items: list[list[str]] = []
    for line in lines:
        if not items or (is_list_item(line) and indent_of(line) <= base):
            items.append([line])
        else:
            items[-1].append(line)
    return ["\n".join(item) for item in items]


def split_finer(chunk: Chunk) -> list[Chunk]:
    """One chunk in smaller pieces: its lines, else its sentences, else two halves by
    words, else (a single very long word) two halves by characters."""
    lines = chunk.text.split("\n")
    if len(lines) > 1:
        return [Chunk(line, chunk.tight if i == 0 else True) for i, line in enumerate(lines)]
    sentences = re.split(r"(?<=[.!?;])\s+", chunk.text)
    if len(sentences) > 1:
        return [Chunk(s, chunk.tight if i == 0 else True) for i, s in enumerate(sentences)]
    words = chunk.text.split(" ")
    if len(words) > 1:
        half = len(words) // 2
        return [Chunk(" ".join(words[:half]), chunk.tight), Chunk(" ".join(words[half:]), True)]
    if len(chunk.text) > 20:  # one "word" taller than a card (a pasted hash or URL): cut it
        half = len(chunk.text) // 2
        return [Chunk(chunk.text[:half], chunk.tight), Chunk(chunk.text[half:], True)]
    return [chunk]


def join(chunks: list[Chunk]) -> str:
    out = ""
    for i, chunk in enumerate(chunks):
        if i:
            out += "\n" if chunk.tight else "\n\n"
        out += chunk.text
    lines = out.split("\n")
    lead = indent_of(lines[0])
    if lead >= 4:  # a nested item at the top of a card would read as a code block
        lines = [line[min(lead, indent_of(line)):] for line in lines]
    return "\n".join(lines)


# ---------------------------------------------------------------- the fitting passes

def fit_content(data: dict[str, Any], fitter: CardFitter, report: FileReport,
                phase_lines: dict[tuple[str, int], int], story_lines: dict[str, int]) -> None:
    interview = data.get("interview")
    for project in data.get("projects", []):
        fit_project(project, interview, fitter, report, phase_lines)
    for story in data.get("stories", []):
        fit_story(story, fitter, report, story_lines.get(story["id"]))
    for entry in data.get("question_bank", []):
        for question in entry["questions"]:
            fit_question(question, entry["principle"], fitter, report)


def fit_project(project: dict, interview: dict | None, fitter: CardFitter, report: FileReport,
                phase_lines: dict[tuple[str, int], int]) -> None:
    continued: list[dict] = []
    for phase in project["phases"]:
        line = phase_lines.get((project["id"], phase["number"]))
        name = f"{phase['number']}. {phase['title']}"
        front, back = fitter.phase_faces(phase, project, interview)
        if not fitter.fits(front, "front"):
            _shorten_phase_front(phase, project, interview, fitter, report, line)
        if fitter.fits(back):
            continue
        extra_title = f"{name} (cont.)"

        def ratio_for(i: int, piece: str, phase: dict[str, Any] = phase, extra_title: str = extra_title) -> float:
            if i == 0:
                return fitter.ratio(fitter.phase_faces({**phase, "answer": piece}, project, interview)[1])
            return fitter.ratio(fitter.extra_faces({"title": extra_title, "answer": piece}, project)[1])

        pieces = fitter.pack(phase["answer"], ratio_for)
        phase["answer"] = pieces[0]
        extras = [{"title": extra_title if i == 1 else f"{name} (cont. {i})", "answer": piece}
                  for i, piece in enumerate(pieces[1:], start=1)]
        continued += extras
        report.fit(line, f"phase {name}: answer too long for one card; continues on {len(extras)} backup "
                         f"card(s) '{extra_title}'")
    own: list[dict] = []
    for extra in project.get("extras", []):
        own += fit_extra(extra, project, fitter, report)
    if continued or own:
        project["extras"] = continued + own


def fit_extra(extra: dict, project: dict, fitter: CardFitter, report: FileReport) -> list[dict]:
    front, back = fitter.extra_faces(extra, project)
    if not fitter.fits(front, "front") and extra.get("triggers"):
        extra["answer"] = f"*Triggers:* {', '.join(extra['triggers'])}\n\n{extra['answer']}"
        del extra["triggers"]
        report.fit(None, f"backup card '{extra['title']}': trigger words moved to its back to fit")
        back = fitter.extra_faces(extra, project)[1]
    if fitter.fits(back):
        return [extra]
    title = extra["title"]

    def ratio_for(i: int, piece: str) -> float:
        name = title if i == 0 else f"{title} (cont.)"
        return fitter.ratio(fitter.extra_faces({**extra, "title": name, "answer": piece}, project)[1])

    pieces = fitter.pack(extra["answer"], ratio_for)
    out = [{**extra, "answer": pieces[0]}]
    out += [{"title": f"{title} (cont.)" if i == 1 else f"{title} (cont. {i})", "answer": piece}
            for i, piece in enumerate(pieces[1:], start=1)]
    report.fit(None, f"backup card '{title}': too long for one card; continues on {len(pieces) - 1} more")
    return out


def _shorten_phase_front(phase: dict, project: dict, interview: dict | None, fitter: CardFitter,
                         report: FileReport, line: int | None) -> None:
    moved: list[str] = []
    while len(phase["triggers"]) > 1 and not fitter.fits(fitter.phase_faces(phase, project, interview)[0], "front"):
        moved.insert(0, phase["triggers"].pop())
    if moved:
        phase["answer"] = f"*More triggers:* {', '.join(moved)}\n\n{phase['answer']}"
        report.fit(line, f"phase {phase['number']}: {len(moved)} trigger word(s) moved to the back to fit the front")


def fit_story(story: dict, fitter: CardFitter, report: FileReport, line: int | None) -> None:
    front, back = fitter.story_faces(story)
    if not fitter.fits(front, "front"):
        full = story["title"]
        while len(story["title"]) > 20 and not fitter.fits(fitter.story_faces(story)[0], "front"):
            story["title"] = shorten(story["title"], len(story["title"]) * 2 // 3)
        _add_note(story, f"*Full title:* {full}")
        report.fit(line, f"story '{story['id']}': title shortened on the card (full title in its notes)")
        back = fitter.story_faces(story)[1]
    if fitter.fits(back):
        return
    original = dict(story["sections"])
    sections = story["sections"]
    floor = 40
    while not fitter.fits(fitter.story_faces(story)[1]):
        name = max(sections, key=lambda k: len(sections[k]))
        text = sections[name]
        if len(text) <= floor:
            break
        sections[name] = _cut(text, max(floor, len(text) * 2 // 3))
    shortened = [k for k in original if sections[k] != original[k]]
    full = "\n\n".join(f"**{k.capitalize()}:** {original[k]}" for k in shortened)
    _add_note(story, f"*Full text of the sections shortened on the card:*\n\n{full}")
    report.fit(line, f"story '{story['id']}': {', '.join(shortened)} shortened on the card "
                     "(full text in its notes)")


def fit_question(question: dict, principle: str, fitter: CardFitter, report: FileReport) -> None:
    if fitter.fits(fitter.question_front(question, principle), "front"):
        return
    full = question["text"]
    while len(question["text"]) > 40 and not fitter.fits(fitter.question_front(question, principle), "front"):
        question["text"] = shorten(question["text"], len(question["text"]) * 2 // 3)
    report.fit(None, f"question '{shorten(full, 50)}': shortened to fit its card")


def _cut(text: str, limit: int) -> str:
    """``text`` cut to about ``limit`` characters on a line or word boundary, ending in '…'."""
    lines = text.split("\n")
    kept, size = [], 0
    for line in lines:
        if size + len(line) > limit:
            break
        kept.append(line)
        size += len(line) + 1
    if kept and size > limit // 2:
        return "\n".join(kept).rstrip() + " …"
    return shorten(" ".join(text.split()), limit)


def _add_note(story: dict, text: str) -> None:
    story["notes"] = f"{story['notes']}\n\n{text}" if story.get("notes") else text
