"""Walking the section tree of a notes file and handing each part to its recogniser.

A section is, in this order of preference:

1. a **deep-dive project** when some of its sub-sections are phase headings
   (``### PHASE 1: WHY - The Problem (2 min)``); its other sub-sections, and the
   sections that follow it at the same level, become backup cards (extras) unless they
   are recognised as something else;
2. **questions for the interviewers** or **reminders**, by their heading;
3. a **story** when its heading carries principle tags (``(Customer Obsession|Ownership)``)
   or its text is labelled (``S:`` / ``**Situation**`` / ``(*Task*)``);
4. a **principle section** when its heading names a principle (``Ownesrship``,
   ``Backbone for action``): its sample questions, index links and the questions under it
   go to the question bank, and stories under it take the principle;
5. an **interview question** (``- #### Tell me about a time ...``) inside a principle
   section: a bank question, with a story when an answer is written under it;
6. otherwise a plain container, whose text goes through the line recognisers
   (interview header lines, index links) and is kept as unrecognised when none applies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .blocks import Block, Line, Section
from .draft import (
    DAsk,
    DExtra,
    DIndexEntry,
    DInterview,
    DPhase,
    DProject,
    DQuestion,
    DReminders,
    DStory,
    DText,
    ParsedNotes,
)
from .recognise import (
    PhaseHeading,
    StoryParts,
    ask_item,
    framework_sections,
    group_label,
    heading_tags,
    index_link,
    inline_marker_sections,
    interview_line,
    is_asks_heading,
    is_question,
    is_question_item,
    is_reminders_heading,
    phase_heading,
    question_key,
    sample_questions_label,
    section_word,
    strip_question_prefix,
    trigger_line,
)
from .storylines import (
    Tags,
    answer_line,
    plain_title,
    question_line,
    read_table,
    story_stub,
    story_title,
    tag_line,
    title_line,
)
from .tags import TagMatcher
from .text import (
    clean_title,
    indent_of,
    is_list_item,
    markdown_body,
    shorten,
    strip_list_marker,
)

HINT_MAX = 160  # an answer shorter than this stays on the question card as a hint, not a story


@dataclass(frozen=True)
class Ctx:
    principle: str | None = None
    project: DProject | None = None
    also: tuple[str, ...] = ()  # more principles named with it (``OWNERSHIP / DELIVER RESULTS``)

    def principles(self) -> list[str]:
        return [self.principle, *self.also] if self.principle else []


@dataclass
class Segment:
    """Part of a section's text: a story's title line (or None before the first one) and
    the blocks up to the next title line, rule or separator."""

    title: Line | None
    title_text: str
    blocks: list[Block]


def parse_sections(root: Section, tags: TagMatcher, default_title: str) -> ParsedNotes:
    parser = Parser(tags, default_title)
    parser.visit_root(root)
    return parser.out


def with_blanks(blocks: list[Block]) -> list[Line]:
    """The lines of ``blocks`` with a blank line between blocks, as they were written."""
    out: list[Line] = []
    for block in blocks:
        if out:
            out.append(Line(block.start, "", "blank"))
        out += block.lines
    return out


def descendant_lines(section: Section) -> list[Line]:
    """Body lines of a section and of all its sub-sections (their headings included)."""
    out = with_blanks(section.body)
    for child in section.children:
        if out:
            out.append(Line(child.start, "", "blank"))
        if child.heading is not None:
            out.append(child.heading)
        out += descendant_lines(child)
    return out


def as_markdown(lines: list[Line]) -> tuple[list[str], str]:
    """Trigger words and card-ready Markdown from notes lines: headings inside become bold
    lines (a card has one title), rules become paragraph breaks."""
    triggers: list[str] = []
    out: list[str] = []
    for line in lines:
        if line.kind == "heading":
            out += ["", f"**{clean_title(line.title)}**", ""]
        elif line.kind in ("rule", "blank"):
            out.append("")
        elif line.kind == "text" and (found := trigger_line(line.text)) is not None:
            triggers += [t for t in found if t not in triggers]
        else:
            out.append(line.text.replace("\x00", ""))  # the mark of a pasted table's header (blocks.tabs_as_table)
    return triggers, markdown_body(out)


class Parser:
    def __init__(self, tags: TagMatcher, default_title: str) -> None:
        self.tags = tags
        self.default_title = default_title
        self.out = ParsedNotes()

    # ------------------------------------------------------------ dispatch

    def visit_root(self, root: Section) -> None:
        if self.is_project(root):
            self.project(root, Ctx())
        else:
            self.container(root, Ctx())

    def visit(self, section: Section, ctx: Ctx) -> Ctx:
        """Recognise one section; returns the context for the sections after it."""
        title = section.title
        if self.is_project(section):
            return self.project(section, ctx)
        if is_asks_heading(title):
            self.asks(section)
            return ctx
        if is_reminders_heading(title):
            self.reminders(section)
            return ctx
        tags = heading_tags(title, self.tags.split_tag_group)
        if tags.principles or tags.unknown:
            self.story_section(section, ctx, tags.title, tags.principles, tags.unknown, tags.frameworks)
            return ctx
        principle = self.tags.match(tags.title) if tags.title else None
        if principle:
            self.keep_bracketed(section, tags.title, tags.frameworks, tags.bracketed)
            self.container(section, replace(ctx, principle=principle), heading_is_text=False)
            return ctx
        if is_question(title) and (ctx.principle or (ctx.project is None and self.tags.named_in(title))):
            self.question_section(section, ctx)  # under no principle: assemble puts it under the one it names
            return ctx
        if self.labelled_children(section):
            self.story_section(section, ctx, tags.title, [], [], tags.frameworks)
            return ctx
        if self.story_parts(self.untagged(with_blanks(section.body))[0]) and not self.titled(section):
            self.story_section(section, ctx, tags.title, [], [], tags.frameworks)
            return ctx
        if ctx.project is not None:
            self.extras(section, ctx)
            return ctx
        if ctx.principle and not section.children and not self.titled(section) \
                and narrative(as_markdown(with_blanks(section.body))[1], tags.title):
            self.story_section(section, ctx, tags.title, [], [], tags.frameworks)  # a story told under a principle
            return ctx
        self.keep_bracketed(section, tags.title, tags.frameworks, tags.bracketed)
        self.container(section, ctx, heading_is_text=not tags.bracketed)
        return ctx

    @staticmethod
    def is_project(section: Section) -> bool:
        return any(phase_heading(child.title) for child in section.children)

    # ------------------------------------------------------------ containers and their text

    def container(self, section: Section, ctx: Ctx, heading_is_text: bool = True) -> None:
        """A section that is only structure: its own text goes through the line
        recognisers; its sub-sections are visited in turn."""
        self.body(section, ctx, heading_is_text)
        sub = ctx
        for child in section.children:
            sub = self.visit(child, sub)

    def body(self, section: Section, ctx: Ctx, heading_is_text: bool = True) -> None:
        """A section's own text: stories led by a title line (see ``segments``), labelled
        stories block by block, tables, then the line recognisers; what is left is kept as
        unrecognised, with the heading for context. A bold line naming a principle
        (``**Ownership**``) is a heading for what follows it."""
        pending: list[Line] = []
        heading = section.heading if heading_is_text else None

        def flush() -> None:
            if pending:
                self.unrecognised(([heading] if heading else []) + pending, ctx, section)
                pending.clear()

        expecting = False  # after a "Sample Questions:" line, list items are questions
        asks_next = False  # after a "Questions to ask" line alone, the next block's list items are questions to ask
        for segment in self.segments(section.body):
            if segment.title is not None:
                title_line_ = segment.title
                named = self.principle_header(segment.title, None) or [self.principle_line(segment.title_text) or ""]
                principle = named[0]
                if principle:
                    flush()
                    ctx = replace(ctx, principle=principle, also=tuple(n for n in named[1:] if n))
                    expecting = False
                    blocks = segment.blocks
                elif self.titled_story(segment, ctx):
                    flush()
                    expecting = False
                    continue
                else:
                    blocks = [Block("text", [title_line_])] + segment.blocks
            else:
                blocks = segment.blocks
            for block in blocks:
                if block.kind == "rule":
                    continue
                if asks_next and self.asks_list(block):  # "**Questions to ask**", a blank line, the list
                    asks_next = False
                    flush()
                    continue
                asks_next = (block.kind == "text" and len(block.lines) == 1 and block.lines[0].kind == "text"
                             and asks_label(block.lines[0].text))
                if block.kind == "text" and ctx.principle and self.question_answer(block, ctx, section):
                    flush()
                    expecting = False
                    continue
                if block.kind == "text" and ctx.principle:
                    block = self.take_questions(block, ctx, section)
                    if not block.lines:
                        continue
                parts = self.story_parts(block.lines) if block.kind == "text" else None
                if parts:
                    flush()
                    self.body_story(block, parts, ctx)
                    expecting = False
                    continue
                if block.kind == "text" and self.table(block, ctx):
                    flush()
                    continue
                if block.kind == "text" and ctx.principle and self.paragraph_story(block, ctx):
                    flush()
                    continue
                if pending and pending[-1].number + 1 != block.start:  # pieces of a block cut at a title: together
                    pending.append(Line(block.start, "", "blank"))
                asking = False  # after a "QUESTIONS TO ASK" line, list items are questions to ask
                for line in block.lines:
                    if line.kind == "text" and asks_label(line.text):
                        asking = True
                        continue
                    if asking and line.kind == "text" and is_list_item(line.text):
                        found = ask_item(line.text)
                        if found:
                            self.out.asks.append(DAsk(line.number, line.number, found.text, found.to, found.note))
                            continue
                    asking = False
                    used, expecting = self.body_line(line, ctx, section, expecting)
                    if not used:
                        pending.append(line)
                if pending and pending[-1].kind == "blank":
                    pending.pop()
        flush()
        if heading is not None and section.level and not section.body and not section.children:
            self.unrecognised([heading], ctx, section)  # a heading with nothing under it is text too

    def principle_arrow_question(self, text: str) -> tuple[str, str] | None:
        """``- Ownership → tell me about a time ...``: a question aimed at the principle before the arrow."""
        if not is_list_item(text) or indent_of(text) >= 2:
            return None
        m = _ARROW_QUESTION.match(strip_list_marker(text))
        if not m or not is_question_item("- " + m["question"]):
            return None
        principle = self.tags.match(m["principle"].strip())
        return (principle, m["question"].strip()) if principle else None

    def asks_list(self, block: Block) -> bool:
        """A block of list items that are all questions to ask: taken as such."""
        items = [line for line in block.lines if line.kind == "text"]
        found = [ask_item(line.text) if is_list_item(line.text) else None for line in items]
        if block.kind != "text" or not items or not all(found):
            return False
        for line, ask in zip(items, found):
            assert ask is not None
            self.out.asks.append(DAsk(line.number, line.number, ask.text, ask.to, ask.note))
        return True

    def body_line(self, line: Line, ctx: Ctx, section: Section, expecting: bool) -> tuple[bool, bool]:
        """One line through the line recognisers: (whether it was used, whether sample
        questions continue after it)."""
        if line.kind != "text":
            return False, False
        if (fields := interview_line(line.text)) is not None:
            self.out.interview.append(DInterview(line.number, line.number, fields))
            return True, False
        link = index_link(line.text)
        if link is not None and link.question != link.text:  # a link to a section is not a question
            self.out.questions.append(DQuestion(line.number, line.number, ctx.principle, self.heading_name(section),
                                                link.question, link.key, link.names, from_index=True))
            return True, False
        if sample_questions_label(line.text):
            return True, True
        if (aimed := self.principle_arrow_question(line.text)) is not None:  # "• Ownership → tell me about ..."
            self.out.questions.append(DQuestion(line.number, line.number, aimed[0], self.heading_name(section),
                                                aimed[1], question_key(aimed[1])))
            return True, False
        if ctx.principle and not expecting and is_question_item(line.text):
            text = strip_list_marker(line.text)
            self.out.questions.append(DQuestion(line.number, line.number, ctx.principle,
                                                self.heading_name(section), text, question_key(text)))
            return True, False
        stub = story_stub(line.text)
        if not stub and ctx.principle:
            stub = told_in_a_bullet(line.text)
        if stub and ctx.principle:
            principles = ctx.principles()
            title = re.split(r"\s+[-–—]\s+|:\s", stub, maxsplit=1)[0] if told_in_a_bullet(line.text) else stub
            story = DStory(line.number, line.number, shorten(story_title(title), 80), principles[:1], principles[1:],
                           sections={"answer": stub}, labelled=False)
            self.out.stories.append(story)
            return True, False
        if expecting and is_list_item(line.text):
            if indent_of(line.text) < 2 and ctx.principle:
                text = strip_list_marker(line.text)
                self.out.questions.append(DQuestion(line.number, line.number, ctx.principle,
                                                    self.heading_name(section), text, question_key(text)))
                return True, True
            return False, True  # a bullet under a question: kept as text
        return False, False

    # ------------------------------------------------------------ stories led by a title line, tables

    def segments(self, blocks: list[Block]) -> list[Segment]:
        """Cut a section's blocks at story title lines (``title_line``, ``plain_title``)
        and at rules (``---``, ``***``, ``&nbsp;``, ``<br>``)."""
        out = [Segment(None, "", [])]
        for block in merge_answers(blocks):
            if block.kind == "rule":
                if out[-1].title is not None or out[-1].blocks:
                    out.append(Segment(None, "", []))
                out[-1].blocks.append(block)
                continue
            if block.kind != "text":
                out[-1].blocks.append(block)
                continue
            current: list[Line] = []
            for k, line in enumerate(block.lines):
                following = block.lines[k + 1].text if k + 1 < len(block.lines) else None
                title = title_line(line.text)
                if title is None and k == 0 and _STORY_LABEL.match(line.text):  # **Story:** X, then its labels
                    title = story_stub(line.text)
                if title is None and not current and self.principle_header(line, following):
                    title = line.text.strip()
                if title is None and not current:
                    title = plain_title(line.text, following, self.tags)
                if title is None and k == 0 and (asks_label(line.text) or sample_questions_label(line.text)):
                    out.append(Segment(None, "", []))  # a story ends where questions (to ask, or to prepare) start
                if title is None:
                    current.append(line)
                    continue
                if current:
                    out[-1].blocks.append(Block("text", current))
                    current = []
                out.append(Segment(line, title, []))
            if current:
                out[-1].blocks.append(Block("text", current))
        return [segment for segment in out if segment.title is not None or segment.blocks]

    def paragraph_story(self, block: Block, ctx: Ctx) -> bool:
        """A paragraph under a principle that tells a story in the first person, with no title
        or labels ("When I was on the checkout team, a customer wrote ..."): a free story
        titled by its first sentence."""
        if any(is_list_item(line.text) or line.kind != "text" or index_link(line.text) or "](#" in line.text
               for line in block.lines):
            return False
        text = " ".join(line.text.strip() for line in block.lines)
        if len(text) < 200 or not narrative(text, "") or len(_FIRST_PERSON.findall(text)) < 3:
            return False
        principles = ctx.principles()
        first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
        story = DStory(block.start, block.end, shorten(first, 60), principles[:1], principles[1:],
                       sections={"answer": markdown_body([line.text for line in block.lines])}, labelled=False)
        self.out.stories.append(story)
        return True

    def titled(self, section: Section) -> bool:
        """The section's text holds stories with title lines of their own (it is a list of
        stories, not one)."""
        return any(seg.title is not None and not self.principle_line(seg.title_text)
                   for seg in self.segments(section.body))

    def principle_line(self, title: str) -> str | None:
        """A title line that only names a principle (``**Bias for Action**``)."""
        text = re.sub(r"^\d+[.)]\s*", "", clean_title(title))
        return self.tags.matcher.match(text)

    def principle_header(self, line: Line, following: str | None) -> list[str]:
        """A plain line heading what follows in notes without headings: only principle names,
        in capitals or ending in a colon (``OWNERSHIP / DELIVER RESULTS``, ``Dive Deep:``),
        alone or above a list. Its principles, or []."""
        text = line.text.strip()
        if is_list_item(line.text) or not (text.isupper() or text.endswith(":")):
            return []
        if following is not None and not (is_list_item(following) or question_line(following)):
            return []
        found = tag_line(text.rstrip(":"), self.tags)
        return found.principles if found and not found.unknown else []

    def untagged(self, lines: list[Line]) -> tuple[list[Line], Tags]:
        """Lines without their tag lines (``Best for: ...``, ``#ownership``), and the tags."""
        found = Tags()
        kept = []
        for line in lines:
            tags = tag_line(line.text, self.tags) if line.kind == "text" else None
            if tags:
                found.add(tags)
            else:
                kept.append(line)
        return kept, found

    def titled_story(self, segment: Segment, ctx: Ctx) -> bool:
        """A story from a title line and the text under it: labelled sections make it a
        framework story; plain text makes it a free story when it has a principle (tagged,
        or under a principle). Returns False when it is not a story."""
        assert segment.title is not None
        written = re.sub(r"\[([^\[\]]*)\]", r"(\1)", segment.title_text)  # [LP, LP] after a title: tags
        heading = heading_tags(written, self.tags.split_tag_group)
        lines, tags = self.untagged(with_blanks(segment.blocks))
        tags.add(Tags(heading.principles, heading.unknown, heading.frameworks))
        triggers = [t for line in lines if line.kind == "text" for t in (trigger_line(line.text) or [])]
        lines = [line for line in lines if not (line.kind == "text" and trigger_line(line.text))]
        parts = self.story_parts(lines)
        principles = tags.principles or ctx.principles()
        _, answer = as_markdown(lines)
        if not parts and not (principles and (answer or tags)):
            return False
        if not parts and not tags and not narrative(answer, story_title(heading.title)):
            return False  # advice under a principle ("**Understanding Ownership**", "**Structure your answer**")
        end = segment.blocks[-1].end if segment.blocks else segment.title.number
        title = story_title(heading.title) or "Story"
        if ctx.principle and not tags and is_question(title):  # **Tell me about a time ...** and its answer
            self.asked(segment.title.number, end, strip_question_prefix(title), parts, lines, ctx,
                       segment.title_text)
            return True
        story = DStory(segment.title.number, end, title, principles[:1],
                       principles[1:], tags.unknown, tags.frameworks, triggers=triggers)
        if parts:
            self.fill_story(story, parts)
        else:
            story.sections = {"answer": answer or story.title}
            story.labelled = False
        self.out.stories.append(story)
        return True

    def asked(self, start: int, end: int, text: str, parts: StoryParts | None, lines: list[Line], ctx: Ctx,
              under: str) -> None:
        """A bank question with the answer written under it: a story when labelled, long, or
        said to be one (``My story: ...``), else a hint on the question's card."""
        question = DQuestion(start, end, ctx.principle, "", text, question_key(text))
        told = next((story_stub(line.text) for line in lines if line.kind == "text" and line.text.strip()), None)
        if told:
            lines = [Line(line.number, told, "text") if story_stub(line.text) == told else line for line in lines]
        _, answer = as_markdown(lines)
        if parts or len(answer) > HINT_MAX or told:
            self.answer_story(question, start, end, text, ctx, parts, answer)
        elif answer:
            question.hint = " ".join(answer.split())
        self.out.questions.append(question)

    def question_answer(self, block: Block, ctx: Ctx, section: Section) -> bool:
        """``Q: ...`` then ``A: ...`` lines under a principle: a bank question and its answer."""
        asked = question_line(block.lines[0].text)
        if asked is None:
            return False
        rest = block.lines[1:]
        if rest and answer_line(rest[0].text) is not None:
            rest = [Line(rest[0].number, answer_line(rest[0].text) or "", "text")] + rest[1:]
        parts = self.story_parts(rest)
        self.asked(block.start, block.end, asked, parts, rest, ctx, self.heading_name(section))
        return True

    def labelled_children(self, section: Section) -> StoryParts | None:
        """A story whose sections are sub-headings (``#### Situation``, ``#### Task``)."""
        if len(section.children) < 2 or not all(section_word(c.title) or c.title.strip() in ("S", "T", "A", "R")
                                                for c in section.children):
            return None
        lines: list[str] = []
        for child in section.children:
            lines.append(f"{clean_title(child.title)}:")
            lines += [line.text for line in descendant_lines(child)]
        return framework_sections(lines)

    def table(self, block: Block, ctx: Ctx) -> bool:
        """A Markdown table of stories (one column per framework section), of questions
        (``| Question | Answer |``) or of which story goes with which principle
        (``| Principle | Story | Backup |``); False for any other table."""
        table = read_table([(line.number, line.text) for line in block.lines])
        if table is None:
            return False
        principle_col = table.column("principle", "lp", "leadership principle", "principles", "lps", "tags", "tag")
        story_col = table.column("story", "stories", "title", "name", "example", "project")
        sections = table.section_columns()
        question_col = table.column("question", "questions", "q")
        if len(sections) >= 2:
            for number, cells in table.rows:
                written = cells[principle_col] if principle_col is not None else ""
                found, fws, unknown = self.tags.split_tag_group(written) if written else ([], [], [])
                principles = found or ([ctx.principle] if ctx.principle else [])
                title = cells[story_col] if story_col is not None else shorten(cells[min(sections)], 60)
                story = DStory(number, number, title or "Story", principles[:1], principles[1:], unknown, fws)
                story.sections = {name: cells[i] for i, name in sections.items() if cells[i]}
                self.out.stories.append(story)
                asked = cells[question_col] if question_col is not None else ""
                if asked:  # | LP | Question | Situation | ... |: the question this story answers
                    self.out.questions.append(DQuestion(number, number, story.primary[0] if story.primary else None,
                                                        "a table of stories", asked, question_key(asked),
                                                        story=story))
            return True
        if question_col is not None:
            answer_col = next((i for i in range(len(table.header)) if i not in (question_col, principle_col)), None)
            for number, cells in table.rows:
                text = cells[question_col]
                if not text:
                    continue
                found = self.tags.split_tag_group(cells[principle_col])[0] if principle_col is not None else []
                principle = found[0] if found else ctx.principle
                hint = cells[answer_col] if answer_col is not None else ""
                self.out.questions.append(DQuestion(number, number, principle, "a table of questions", text,
                                                    question_key(text), hint=hint))
            return True
        if principle_col is not None and story_col is not None:
            others = [i for i in range(len(table.header)) if i not in (principle_col, story_col)]
            told = [i for i in others if sum(len(cells[i]) for _, cells in table.rows) >= 60 * len(table.rows)]
            if told:  # | LP | Story | What happened |: the stories themselves, told in a column
                for number, cells in table.rows:
                    found, fws, unknown = self.tags.split_tag_group(cells[principle_col])
                    principles = found or ctx.principles()
                    answer = "\n\n".join(cells[i] for i in others if cells[i])
                    if not answer:
                        continue
                    story = DStory(number, number, cells[story_col] or shorten(answer, 60), principles[:1],
                                   principles[1:], unknown, fws, sections={"answer": answer}, labelled=False)
                    self.out.stories.append(story)
                return True
            for number, cells in table.rows:
                principle = self.tags.match(cells[principle_col])
                names = [cells[story_col]] + [cells[i] for i in others if cells[i]]
                if principle and any(names):
                    self.out.story_index.append(DIndexEntry(number, number, principle, [n for n in names if n]))
            return True
        return False

    def heading_name(self, section: Section) -> str:
        """A heading without its tags and bracketed lists, as the report names it."""
        return heading_tags(section.title, self.tags.split_tag_group).title if section.heading else "(top of the file)"

    def keep_bracketed(self, section: Section, title: str, frameworks: list[str], names: list[str]) -> None:
        """An index heading lists story names (``Ownesrship(STAR) [AEC issue DNN, ...]``);
        they name no story text, so they are kept as a note."""
        if names:
            fw = f" ({', '.join(frameworks)})" if frameworks else ""
            self.out.unrecognised.append(DText(section.start, section.start,
                                               f"*{title}{fw}:* {', '.join(names)}"))

    def unrecognised(self, lines: list[Line], ctx: Ctx, section: Section) -> None:
        numbers = [line.number for line in lines if line.kind != "blank"]
        if not numbers:
            return
        _, text = as_markdown(lines)
        if not text:
            return
        self.out.unrecognised.append(DText(min(numbers), max(numbers), text, numbers=tuple(numbers)))

    # ------------------------------------------------------------ projects and phases

    def project(self, section: Section, ctx: Ctx) -> Ctx:
        title = clean_title(section.title) or self.default_title
        project = DProject(section.start, section.end, title)
        self.out.projects.append(project)
        pctx = replace(ctx, project=project)
        self.project_body(section, project, pctx)
        for child in section.children:
            heading = phase_heading(child.title)
            if heading:
                project.phases.append(self.phase(child, heading))
            else:
                self.visit(child, pctx)
        return pctx

    def project_body(self, section: Section, project: DProject, ctx: Ctx) -> None:
        """Text between a project heading and its first phase: header lines, else notes."""
        before = len(self.out.unrecognised)
        self.body(section, ctx, heading_is_text=False)
        project.notes += self.out.unrecognised[before:]
        del self.out.unrecognised[before:]

    def phase(self, section: Section, heading: PhaseHeading) -> DPhase:
        triggers, answer = as_markdown(descendant_lines(section))
        return DPhase(section.start, section.end, heading.number, heading.title, heading.minutes, triggers, answer)

    def extras(self, section: Section, ctx: Ctx) -> None:
        """A section inside or after a project that is nothing else: a backup card."""
        project = ctx.project
        assert project is not None, "extras are only parsed inside or after a project"
        if section.has_text():
            triggers, answer = as_markdown(with_blanks(section.body))
            end = section.body[-1].end
            if answer:
                project.extras.append(DExtra(section.start, end, clean_title(section.title), triggers, answer))
            elif triggers:  # a card needs an answer: its title, or (a heading of emoji only) its triggers
                title = clean_title(section.title)
                project.extras.append(DExtra(section.start, end, title, triggers, title or ", ".join(triggers)))
        elif not section.children:
            self.unrecognised([section.heading] if section.heading else [], ctx, section)
        sub = ctx
        for child in section.children:
            sub = self.visit(child, sub)

    # ------------------------------------------------------------ stories and questions

    def answer_story(self, question: DQuestion, start: int, end: int, text: str, ctx: Ctx,
                     parts: StoryParts | None, answer: str) -> None:
        """A question's answer that is a story of its own (labelled, or too long for a hint),
        titled by the question and linked from it."""
        story = DStory(start, end, shorten(text, 80), [ctx.principle] if ctx.principle else [])
        if parts:
            self.fill_story(story, parts)
        else:
            story.sections = {"answer": answer}
            story.labelled = False
        question.story = story
        self.out.stories.append(story)

    @staticmethod
    def story_parts(lines: list[Line]) -> StoryParts | None:
        texts = [line.text for line in lines if line.kind != "heading"]
        return inline_marker_sections("\n".join(texts)) or framework_sections(texts)

    def story_section(self, section: Section, ctx: Ctx, title: str, principles: list[str], unknown: list[str],
                      frameworks: list[str]) -> None:
        lines, tags = self.untagged(with_blanks(section.body))
        lines = self.closing_questions(lines, ctx, section)
        principles = principles + [p for p in tags.principles if p not in principles]
        unknown = unknown + tags.unknown
        triggers = [t for line in lines if line.kind == "text" for t in (trigger_line(line.text) or [])]
        lines = [line for line in lines if not (line.kind == "text" and trigger_line(line.text))]
        parts = self.story_parts(lines) or self.labelled_children(section)
        if not principles and ctx.principle:
            principles = [ctx.principle]
        end = section.body[-1].end if section.body else section.start
        if parts and not section.body and section.children:
            end = section.end
        story = DStory(section.start, end, story_title(title or section.title) or "Story", principles[:1],
                       principles[1:], unknown, frameworks + tags.frameworks, triggers=triggers)
        if parts:
            self.fill_story(story, parts)
        else:
            _, answer = as_markdown(lines)
            if answer:
                story.sections = {"answer": answer}
                story.labelled = False
        if story.sections:
            self.out.stories.append(story)
        else:
            self.unrecognised(([section.heading] if section.heading else []) + lines, ctx, section)
        if parts is not None and not self.story_parts(lines):
            return  # the sub-sections were its framework sections
        sub = ctx
        for child in section.children:
            sub = self.visit(child, sub)

    def closing_questions(self, lines: list[Line], ctx: Ctx, section: Section) -> list[Line]:
        """A story under its own heading that ends in ``Likely questions:`` and nothing but question
        items (an Obsidian ``> [!question]`` callout): those are the principle's bank questions, not
        part of the story's last section. The story's lines are returned without them."""
        start = next((i for i, line in enumerate(lines) if line.kind == "text" and not is_list_item(line.text)
                      and sample_questions_label(line.text)), None)
        if start is None or not ctx.principle:
            return lines
        rest = [line for line in lines[start + 1:] if line.kind == "text" and line.text.strip()]
        if not rest or not all(is_question_item(line.text) for line in rest):
            return lines
        for line in rest:
            asked = strip_list_marker(line.text)
            self.out.questions.append(DQuestion(line.number, line.number, ctx.principle,
                                                self.heading_name(section), asked, question_key(asked)))
        return lines[:start]

    @staticmethod
    def fill_story(story: DStory, parts: StoryParts) -> None:
        story.sections = dict(parts.sections)
        story.empty_sections = list(parts.empty)
        story.notes += [text for text in (parts.preamble, parts.postscript) if text]

    def take_questions(self, block: Block, ctx: Ctx, section: Section) -> Block:
        """Question bullets inside a block that also holds a story (``- Questions:`` with
        nested ``- Tell me about ...`` items, then ``- Story: ...`` with its labels) become
        bank questions; the rest of the block is returned. A block with no labelled story
        is left whole (the line recognisers take its questions)."""
        if not self.story_parts(block.lines):
            return block
        kept: list[Line] = []
        for line in block.lines:
            text = line.text
            if line.kind == "text" and is_list_item(text) and (is_question_item(text, nested=True)):
                asked = strip_list_marker(text)
                self.out.questions.append(DQuestion(line.number, line.number, ctx.principle,
                                                    self.heading_name(section), asked, question_key(asked)))
            elif not (line.kind == "text" and sample_questions_label(strip_list_marker(text))):
                kept.append(line)
        return Block(block.kind, kept) if len(kept) != len(block.lines) else block

    def body_story(self, block: Block, parts: StoryParts, ctx: Ctx) -> None:
        """A labelled story inside a principle section's text, with no heading of its own:
        its title is the line naming it (``- Story: ...``), else the start of its situation."""
        first = next(iter(parts.sections.values()))
        title = shorten(first.split(". ")[0].split("\n")[0], 60)
        lead = parts.preamble.splitlines()[0] if parts.preamble else ""
        named = story_stub(lead) or (lead.strip().strip("*_").strip() if re.fullmatch(r"\s*(\*\*|__)[^*_]+\1\s*", lead)
                                     else None)
        if named:
            title = shorten(named, 80)
            parts.preamble = "\n".join(parts.preamble.splitlines()[1:]).strip()
        story = DStory(block.start, block.end, title, [ctx.principle] if ctx.principle else [])
        self.fill_story(story, parts)
        self.out.stories.append(story)

    def question_section(self, section: Section, ctx: Ctx) -> None:
        text = strip_question_prefix(clean_title(section.title))
        key = question_key(text)  # before any continuation line, so an index link to it still matches
        lines = with_blanks(section.body)
        first = next((line for line in lines if line.kind != "blank"), None)
        if first is not None and first.kind == "text" and not is_list_item(first.text) \
                and first.text.strip().endswith("?") and len(first.text) < 120:
            text = f"{text} {first.text.strip()}"
            lines = lines[lines.index(first) + 1:]
        question = DQuestion(section.start, section.end, ctx.principle, "", text, key)
        parts = self.story_parts(lines)
        _, answer = as_markdown(lines)
        if parts or len(answer) > HINT_MAX:
            self.answer_story(question, section.start, section.body[-1].end if section.body else section.start,
                              text, ctx, parts, answer)
        elif answer:
            question.hint = "; ".join((strip_list_marker(line) if is_list_item(line) else line.strip()).lstrip("-* ")
                                      for line in answer.splitlines() if line.strip())
        self.out.questions.append(question)
        sub = ctx
        for child in section.children:
            sub = self.visit(child, sub)

    # ------------------------------------------------------------ questions to ask, reminders

    def asks(self, section: Section) -> None:
        for line in descendant_lines(section):
            if line.kind != "text":
                continue
            found = ask_item(line.text)
            if found:
                self.out.asks.append(DAsk(line.number, line.number, found.text, found.to, found.note))
            else:
                self.out.unrecognised.append(DText(line.number, line.number, line.text.strip()))

    def reminders(self, section: Section) -> None:
        """Reminder groups: one per sub-heading and per bold label line (``**Strategy:**``)."""

        def walk(sec: Section, heading: str, top: bool) -> None:
            group = DReminders(sec.start, sec.start, heading, [])
            for line in with_blanks(sec.body):
                if line.kind in ("blank", "rule"):
                    continue
                label = group_label(line.text) if line.kind == "text" else None
                if label:
                    if group.items:
                        self.out.reminders.append(group)
                        heading = label
                    else:  # "### Flexibility" then "**Watch cues:**": keep both words
                        heading = label if top or group.heading != heading else f"{heading}: {label}"
                    group = DReminders(line.number, line.number, heading, [])
                    continue
                item = strip_list_marker(line.text) if is_list_item(line.text) else line.text.strip()
                if item:
                    group.items.append(item)
                    group.end = line.number
            if group.items:
                self.out.reminders.append(group)
            for child in sec.children:
                walk(child, clean_title(child.title), False)

        walk(section, clean_title(section.title), True)


_STORY_LABEL = re.compile(r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?(?:my\s+)?story(?:\*\*|__)?\s*[:：]", re.IGNORECASE)


def told_in_a_bullet(text: str) -> str | None:
    """A top-level bullet under a principle that tells a story in a line (``* Pager noise -
    cut alerts from 40/wk to 8/wk ..., I did this on my own time``): a name, a dash or colon,
    then at least 60 characters told in the first person, never addressed to "you"."""
    if not is_list_item(text) or indent_of(text) >= 2:
        return None
    body = strip_list_marker(text)
    parts = re.split(r"\s+[-–—]\s+|:\s", body, maxsplit=1)
    if len(parts) < 2 or len(parts[1]) < 60 or len(parts[0]) > 80:
        return None
    if _FIRST_PERSON.search(parts[1]) and not _SECOND_PERSON.search(body):
        return body
    return None


_ARROW_QUESTION = re.compile(r"^(?P<principle>[^→]{2,40}?)\s*(?:→|->)\s*(?P<question>\S.*)$")


def asks_label(text: str) -> bool:
    """A line on its own that heads questions to ask (``QUESTIONS TO ASK``, ``**Questions for them:**``),
    in notes that do not use headings."""
    stripped = clean_title(text.strip())
    return (not is_list_item(text) and 0 < len(stripped) <= 60 and is_asks_heading(stripped)
            and not stripped.endswith("?"))


def merge_answers(blocks: list[Block]) -> list[Block]:
    """A ``Q: ...`` line alone, then a block starting ``A: ...``: one block, question and answer."""
    out: list[Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if (prev is not None and prev.kind == "text" and block.kind == "text" and len(prev.lines) == 1
                and question_line(prev.lines[0].text) is not None and answer_line(block.lines[0].text) is not None):
            out[-1] = Block("text", prev.lines + block.lines)
        else:
            out.append(block)
    return out


_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|i'd|me|my|we|we're|we've|our|us)\b|[我私저제]", re.IGNORECASE)
_SECOND_PERSON = re.compile(r"\b(?:you|your|you're|yours)\b", re.IGNORECASE)


def narrative(text: str, title: str) -> bool:
    """Whether untagged text under a title is a story someone tells (in the first person,
    more "I"/"we" than "you") rather than advice about answering (``**Structure your
    answer**``) or a question; a story needs some length too."""
    if len(text) < 40 or title.rstrip().endswith(("?", "？")):
        return False
    # a quotation (a principle's own wording: "... we accept that ...") is not the user's story
    text = _QUOTED.sub(" ", "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(('"', "“"))))
    mine = len(_FIRST_PERSON.findall(text))
    return mine >= 2 and mine > len(_SECOND_PERSON.findall(text))


_QUOTED = re.compile(r'"[^"]*"|“[^”]*”')


_BOLD_RUN = re.compile(r"\*\*(?P<text>[^*]+?)\*\*(?P<after>:?)")


def derived_triggers(title: str, answer: str, limit: int = 4) -> list[str]:
    """Trigger words for a phase whose notes have none: its bold phrases that are not
    labels (``**Problems:**``), else the parts of its title."""
    found: list[str] = []
    for m in _BOLD_RUN.finditer(answer):
        phrase = m.group("text").strip()
        if not phrase or phrase.endswith(":") or m.group("after") or len(phrase) > 40:
            continue
        if phrase.lower() not in (f.lower() for f in found):
            found.append(phrase)
        if len(found) == limit:
            break
    return found or [w.strip() for w in re.split(r" - |, ", clean_title(title)) if w.strip()][:limit]
