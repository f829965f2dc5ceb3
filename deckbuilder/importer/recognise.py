"""Recognisers: one small function per convention found in real prep notes.

Each takes a heading title, a line, or a list of lines, and returns what it found (or
None). None of them knows about sections, ids or YAML; ``parse`` decides where their
findings go.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass, field

from ..content.principles import did_you_mean
from .text import (
    clean_title,
    indent_of,
    is_decoration,
    is_list_item,
    markdown_body,
    split_words_list,
    strip_emoji,
    strip_list_marker,
    strip_markup,
)

# ---------------------------------------------------------------- phases

_PHASE = re.compile(
    r"^(?:phase|step|part)\s+(?P<number>\d+)\s*[:.)\-–—]?\s*(?P<title>.*?)"
    r"\s*(?:\(\s*(?P<minutes>~?\d+(?:\.\d+)?(?:\s*[-–]\s*\d+(?:\.\d+)?)?)\s*(?:min(?:ute)?s?|m)\s*\))?\s*$",
    re.IGNORECASE)


@dataclass(frozen=True)
class PhaseHeading:
    number: int
    title: str
    minutes: str | None  # "2" or "2-3"


def phase_heading(title: str) -> PhaseHeading | None:
    """``PHASE 1: WHY - The Problem (2 min)`` -> 1, 'WHY - The Problem', '2'."""
    m = _PHASE.match(clean_title(title))
    if not m or int(m.group("number")) < 1:
        return None
    minutes = m.group("minutes")
    if minutes:
        minutes = re.sub(r"\s*[-–]\s*", "-", minutes.lstrip("~"))
    return PhaseHeading(int(m.group("number")), m.group("title").strip(" -–—:") or f"Phase {m.group('number')}",
                        minutes)


# ---------------------------------------------------------------- trigger lines

_TRIGGER = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?\s*(?:memory\s+)?triggers?(?:\s+words?)?\s*:?\s*(?:\*\*|__)?\s*:?\s*(?P<rest>.*)$",
    re.IGNORECASE)


def trigger_line(text: str) -> list[str] | None:
    """``**Trigger:** a, b, c`` or ``**Memory Trigger:** ...`` -> ['a', 'b', 'c']."""
    text = " ".join(text.split())  # runs of spaces made one: the pattern then never backtracks far
    m = _TRIGGER.match(text)
    if not m or not m.group("rest").strip():
        return None
    if ":" not in text.split(m.group("rest"))[0]:  # "Triggers" as a plain word starting a sentence
        return None
    words = split_words_list(m.group("rest"))
    return words or None


# ---------------------------------------------------------------- interview header

_HEADER = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:\*\*|__)\s*(?P<key>[A-Za-z][A-Za-z ]{1,40}?)\s*:\s*(?:\*\*|__)\s*(?P<value>.+)$"
    r"|^\s*(?:[-*+]\s+)?(?:\*\*|__)\s*(?P<key2>[A-Za-z][A-Za-z ]{1,40}?)\s*(?:\*\*|__)\s*:\s*(?P<value2>.+)$")
_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_DATE_WORDS = re.compile(r"\b(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})\b")
_DATE_ISO = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b")
_TIME = re.compile(r"\b(?P<time>\d{1,2}(?::\d{2})?\s*(?:[AaPp]\.?[Mm]\.?)|\d{1,2}:\d{2})(?:\s+(?P<tz>[A-Z]{2,5}))?\b")
_HOURS = re.compile(r"(?P<n>\d+(?:\.\d+)?)[\s-]*(?:hours?|hrs?|h)\b", re.IGNORECASE)
_MINUTES_FOR = re.compile(r"~?(?P<n>\d+)\s*(?:min(?:ute)?s?)\b(?P<rest>[^,;()]*)", re.IGNORECASE)


@dataclass
class InterviewFields:
    date: dt.date | None = None
    time: str | None = None
    timezone: str | None = None
    total_minutes: int | None = None
    deep_dive_minutes: int | None = None
    company: str | None = None
    role: str | None = None
    candidate: str | None = None


def header_field(text: str) -> tuple[str, str] | None:
    """``**Key:** value`` -> ('key', 'value'), lower-case key."""
    m = _HEADER.match(text)
    if not m:
        return None
    key = (m.group("key") or m.group("key2")).strip().lower()
    value = (m.group("value") or m.group("value2")).strip()
    return key, value


def interview_line(text: str) -> InterviewFields | None:
    """Header lines such as ``**Interview:** Oct 9, 2025, 1PM PDT`` or ``**Time:** 1 hour
    total, ~30 min for VTO project``; None for any other line."""
    kv = header_field(text)
    if not kv:
        return None
    key, value = kv
    value = strip_markup(value)
    found = InterviewFields()
    if key in ("company", "employer"):
        found.company = value
    elif key in ("role", "position", "job"):
        found.role = value
    elif key in ("candidate", "name"):
        found.candidate = value
    elif key in ("interview", "date", "when", "interview date", "time", "interview time", "interview time allocation",
                 "duration", "length", "timing"):
        _dates_and_times(value, found)
        _lengths(value, found)
    else:
        return None
    return found if any(v is not None for v in vars(found).values()) else None


def _dates_and_times(value: str, found: InterviewFields) -> None:
    m = _DATE_WORDS.search(value)
    if m and m.group("month")[:3].lower() in _MONTHS:
        try:
            found.date = dt.date(int(m.group("year")), _MONTHS[m.group("month")[:3].lower()], int(m.group("day")))
        except ValueError:
            pass
    m = _DATE_ISO.search(value)
    if m and found.date is None:
        try:
            found.date = dt.date(int(m.group("year")), int(m.group("month")), int(m.group("day")))
        except ValueError:
            pass
    rest = _DATE_WORDS.sub(" ", _DATE_ISO.sub(" ", value))
    m = _TIME.search(rest)
    if m:
        found.time = re.sub(r"\s+", " ", m.group("time")).strip()
        found.timezone = m.group("tz")


def _lengths(value: str, found: InterviewFields) -> None:
    hours = _HOURS.search(value)
    if hours:
        found.total_minutes = round(float(hours.group("n")) * 60)
    for m in _MINUTES_FOR.finditer(value):
        rest = m.group("rest").lower()
        if any(word in rest for word in ("project", "deep", "dive", "walkthrough")):
            found.deep_dive_minutes = int(m.group("n"))
        elif "total" in rest and found.total_minutes is None:
            found.total_minutes = int(m.group("n"))


# ---------------------------------------------------------------- stories: tags on headings

_GROUP = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")


@dataclass
class HeadingTags:
    title: str  # the heading without its tag group
    principles: list[str]
    frameworks: list[str]
    unknown: list[str]
    bracketed: list[str] = field(default_factory=list)  # [names] lists, as in an index heading


def heading_tags(title: str, split_group) -> HeadingTags:
    """Split ``CMS: Tags (Customer Obsession|Ownership)`` into its title and tags.

    ``split_group`` is TagMatcher.split_tag_group. A parenthesised group is a tag group
    when it names a principle or a framework, or separates words with '|'; other
    parentheses (``(2 min)``, ``(Only If Asked)``) stay in the title.
    """
    title = clean_title(title).replace("（", "(").replace("）", ")")
    principles: list[str] = []
    frameworks: list[str] = []
    unknown: list[str] = []
    bracketed: list[str] = []
    keep = title
    for m in _GROUP.finditer(title):
        if m.group(2) is not None:  # [Martin Story, Ginger Stress, ...]: story names, unless all are principles
            found, fws, missing = split_group(m.group(2))
            if found and not missing:
                principles += [p for p in found if p not in principles]
                frameworks += fws
            else:
                bracketed.extend(split_words_list(m.group(2)))
            keep = keep.replace(m.group(0), " ")
            continue
        found, fws, missing = split_group(m.group(1))
        if found or fws or "|" in m.group(1):
            principles += [p for p in found if p not in principles]
            frameworks += fws
            unknown += missing
            keep = keep.replace(m.group(0), " ")
    keep = re.sub(r"\s{2,}", " ", keep).strip(" :-–—")
    trailing = _TRAILING_TAGS.search(keep)  # "Warehouse outage — Customer Obsession"
    if trailing:
        found, fws, missing = split_group(trailing.group("rest"))
        if found and not missing:
            principles += [p for p in found if p not in principles]
            frameworks += fws
            keep = keep[: trailing.start()].strip(" :-–—")
    hashed = _TRAILING_HASHTAGS.search(keep)  # "Deploy script debt #ownership #dive-deep" (Obsidian, Bear)
    if hashed:
        words = [w[1:].replace("-", " ").replace("_", " ") for w in hashed.group(0).split()]
        found, fws, missing = split_group(", ".join(words))
        if found and not missing:
            principles += [p for p in found if p not in principles]
            frameworks += fws
            keep = keep[: hashed.start()].strip(" :-–—")
    return HeadingTags(keep, principles, frameworks, unknown, bracketed)


_TRAILING_HASHTAGS = re.compile(r"(?:\s#[A-Za-z][\w-]*)+$")
_TRAILING_TAGS = re.compile(r"\s[—–|-]\s+(?P<rest>(?:(?!\s[-—–|]\s).)+)$")


# ---------------------------------------------------------------- stories: framework sections

SECTION_WORDS = {
    "situation": "situation", "scenario": "situation", "background": "situation",
    "task": "task", "tasks": "task",
    "action": "action", "actions": "action",
    "result": "result", "results": "result", "outcome": "result", "outcomes": "result",
    "problem": "problem", "solution": "solution", "impact": "impact",
    "lessons": "lessons", "lesson": "lessons", "lessons learned": "lessons", "takeaway": "lessons",
    "takeaways": "lessons",
    "context": "context", "learning": "learning", "learnings": "learning",
    "reflection": "reflection",
    # plain-English labels (CAR: Challenge, Action, Result)
    "challenge": "problem", "the challenge": "problem", "the problem": "problem",
    "what i did": "action", "my actions": "action", "approach": "action", "my role": "task",
    # bullet-journal shorthand ("ctx → ...", "did → ...", "res → ...")
    "ctx": "context", "sit": "situation", "did": "action", "res": "result",
    "what i learned": "learning", "what i learnt": "learning", "learned": "learning", "key learning": "learning",
    # Chinese, Japanese and Korean labels, as people write them in notes in those languages
    "情境": "situation", "情况": "situation", "背景": "situation", "任务": "task", "行动": "action",
    "结果": "result", "成果": "result", "问题": "problem", "解决方案": "solution", "影响": "impact",
    "教训": "lessons", "收获": "lessons",
    "状況": "situation", "課題": "task", "タスク": "task", "行動": "action", "結果": "result", "学び": "learning",
    "상황": "situation", "과제": "task", "행동": "action", "결과": "result", "배운 점": "learning",
}
_LETTERS = {"S", "T", "A", "R", "C", "L", "P", "I"}
# A label is a word or two (Latin or CJK letters; ``S/T`` for two letters at once), then a colon
# (full-width too) or a dash or arrow with a space before it: ``Situation:``, ``Situation -``, ``**S** –``, ``did →``.
_LETTERS_CJK = r"A-Za-z\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af"
_LABEL_WORD = rf"[{_LETTERS_CJK}][{_LETTERS_CJK} /&]{{0,24}}?"
_BOLD_LABEL = re.compile(r"^(?:\*\*|__|\*|_)\s*(?P<label>" + _LABEL_WORD + r")\s*[:：]?\s*(?:\*\*|__|\*|_)\s*"
                         r"(?:[:：]|[-–—](?=\s|$))?\s*(?P<rest>.*)$")
_PLAIN_LABEL = re.compile(r"^(?P<label>" + _LABEL_WORD + r")\s*(?:[:：]|\s(?:[-–—→]|->)(?=\s))\s*(?P<rest>.*)$")
_INLINE_MARKER = re.compile(
    r"\(\s*\*{1,2}\s*(?P<label>" + "|".join(sorted(SECTION_WORDS, key=len, reverse=True)) + r")\s*\*{0,2}\s*\)",
    re.IGNORECASE)


def section_word(label: str) -> str | None:
    """A framework section name for a label as written: synonyms and typos allowed."""
    word = " ".join(label.lower().split())
    if word in SECTION_WORDS:
        return SECTION_WORDS[word]
    if len(word) >= 5 and " " not in word:
        guess = did_you_mean(word, list(SECTION_WORDS), cutoff=0.75)
        if guess:
            return SECTION_WORDS[guess]
    return None


# A label glossed in another language before its colon: "Situation (상황):", "**S（状况）**:".
_GLOSS = re.compile(rf"^(?P<label>[*_]{{0,2}}[{_LETTERS_CJK}]{{1,12}}) ?[(（][^()（）]{{1,20}}[)）]"
                    r"(?=[*_]{0,2} ?[:：])")
_BRACKET_LABEL = re.compile(r"^[【\[]\s*(?P<label>[^】\]]{1,24}?)\s*[】\]]\s*[:：]?\s*(?P<rest>.*)$")


def section_label(text: str) -> tuple[str, str] | None:
    """``- **Situation:** text``, ``Problem: text``, ``S: text``, ``**S** – text``,
    ``Situation - text``, ``状況: text``, ``S/T: text`` -> (name or letter, text)."""
    body = strip_list_marker(text) if is_list_item(text) else text.strip()
    if body and is_decoration(body[0]):  # "🟢 Situation: ..."
        body = strip_emoji(body)
    body = _GLOSS.sub(r"\g<label>", body, count=1)  # "Situation (상황): ..." -> "Situation: ..."
    m = _BRACKET_LABEL.match(body)  # 【情境】..., [Situation] ...
    if m:
        name = section_word(m.group("label").strip())
        if name:
            return name, m.group("rest").strip()
    for pattern in (_BOLD_LABEL, _PLAIN_LABEL):
        m = pattern.match(body)
        if not m:
            continue
        label = m.group("label").strip()
        if re.search(r"/|&|\band\b", label):  # S/T, Situation/Task, Situation & Task: the first holds both
            letters = [part.strip() for part in re.split(r"/|&|\band\b", label)]
            if all(len(x) == 1 and x in _LETTERS for x in letters):
                return letters[0], m.group("rest").strip()
            words = [section_word(x) for x in letters]
            if all(words) and words[0]:
                return words[0], m.group("rest").strip()
            continue
        if len(label) == 1 and label in _LETTERS:
            return label, m.group("rest").strip()
        name = section_word(label)
        if name:
            return name, m.group("rest").strip()
    return None


_LETTER_SETS = {
    "STAR": ({"S", "T", "A", "R"}, {"S": "situation", "T": "task", "A": "action", "R": "result"}),
    "CARL": ({"C", "A", "R", "L"}, {"C": "context", "A": "action", "R": "result", "L": "learning"}),
}


def _letters_to_words(order: list[str]) -> dict[str, str]:
    """Map single-letter labels to section names: S/T/A/R, C/A/R/L or S/P/S/I/L."""
    letters = set(order)
    for expected, mapping in _LETTER_SETS.values():
        if letters <= expected:
            return mapping
    mapping = {"S": "situation", "P": "problem", "I": "impact", "L": "lessons", "T": "task", "A": "action",
               "R": "result", "C": "context"}
    return mapping


@dataclass
class StoryParts:
    sections: dict[str, str]  # name -> Markdown, in the order written
    preamble: str = ""  # text before the first label
    postscript: str = ""  # text after the last inline marker
    empty: list[str] = field(default_factory=list)  # labels written with nothing after them


_INLINE_LABEL = re.compile(r"(?:(?<=^)|(?<=[\s.;,]))(?:\*\*)?(?:[STARCL]|Situation|Task|Action|Result|Context|Learning)"
                           r"(?:\*\*)?:(?:\*\*)?\s")


def split_inline_labels(lines: list[str]) -> list[str]:
    """A story condensed on one line (``S: ... T: ... A: ... R: ...``) as one line per label;
    a line with fewer than three labels stays as it is."""
    out: list[str] = []
    for line in lines:
        starts = [m.start() for m in _INLINE_LABEL.finditer(line)]
        if len(starts) < 3:
            out.append(line)
            continue
        cuts = [0, *starts, len(line)] if starts[0] > 0 else [*starts, len(line)]
        out += [line[a:b].strip() for a, b in itertools.pairwise(cuts) if line[a:b].strip()]
    return out


def framework_sections(lines: list[str]) -> StoryParts | None:
    """Labelled lines (STAR ``S:`` lines, SPSIL ``**Situation**`` bullets, ``Problem:``
    bullets, CARL) as sections; continuation lines belong to the label above them.
    None unless at least two labels have text."""
    lines = split_inline_labels(lines)
    raw: dict[str, list[str]] = {}
    order: list[str] = []
    preamble: list[str] = []
    current: str | None = None
    label_indent = 0
    label_is_item = False
    s_count = 0
    for line in lines:
        found = section_label(line) if line.strip() else None
        if found:
            name, rest = found
            if name == "S":  # SPSIL written with letters has two S's: the second is the solution
                s_count += 1
                name = "S2" if s_count == 2 else "S"
            current = name
            if name not in raw:
                raw[name] = []
                order.append(name)
            elif raw[name]:
                raw[name].append("")
            raw[name].append(rest)
            label_indent, label_is_item = indent_of(line), is_list_item(line)
            continue
        if current is None:
            preamble.append(line)
        elif line.strip() and label_is_item and is_list_item(line) and indent_of(line) <= label_indent:
            raw[current] += ["", "\x00" + strip_list_marker(line)]  # a sibling bullet: a new paragraph
        else:
            raw[current].append(line)
    letters = [n for n in order if len(n) == 1 or n == "S2"]
    mapping = _letters_to_words([n if n != "S2" else "S" for n in letters]) if letters else {}
    mapping["S2"] = "solution"
    sections: dict[str, str] = {}
    empty: list[str] = []
    for name in order:
        word = mapping.get(name, name) if (len(name) == 1 or name == "S2") else name
        text = _section_text(raw[name])
        if not text:
            empty.append(word)
            continue
        sections[word] = f"{sections[word]}\n\n{text}" if word in sections else text
    if len(sections) < 2:
        return None
    return StoryParts(sections, markdown_body(preamble), "", empty)


def _section_text(parts: list[str]) -> str:
    """First part is the text after the label; the rest are continuation lines, dedented
    as a group so nested bullets become a list of their own."""
    if not parts:
        return ""
    first, rest = parts[0], parts[1:]
    new_paragraph = bool(rest) and not rest[0].strip()
    rest = [line[1:] if line.startswith("\x00") else line for line in rest]
    body = markdown_body(rest)
    if first and body:
        return f"{first}\n\n{body}" if new_paragraph else f"{first}\n{body}"
    return (first or body).strip()


def inline_marker_sections(text: str) -> StoryParts | None:
    """A paragraph tagged inline: ``... post.(*Situation*) We had to ... (*Task*) ...``.

    The text before each marker is that section; text after the last one is kept as a
    postscript. None unless there are at least three markers and the first one comes
    within the first line (a marker deep inside other text is part of that text)."""
    markers = list(_INLINE_MARKER.finditer(text))
    if len(markers) < 3 or "\n" in text[: markers[0].start()].strip():
        return None
    sections: dict[str, str] = {}
    start = 0
    for m in markers:
        name = SECTION_WORDS[m.group("label").lower()]
        chunk = _join_bullets(text[start:m.start()])
        if chunk:
            sections[name] = f"{sections[name]} {chunk}" if name in sections else chunk
        start = m.end()
    if len(sections) < 2:
        return None
    return StoryParts(sections, "", _join_bullets(text[start:]).strip(" ."))


def _join_bullets(text: str) -> str:
    lines = [strip_list_marker(line) if is_list_item(line) else line.strip() for line in text.splitlines()]
    return " ".join(line for line in lines if line).strip(" .,")


# ---------------------------------------------------------------- questions

_INDEX_LINK = re.compile(r"^\s*(?:[-*+]\s+)?\[(?P<text>[^\]]+)\]\(#(?P<anchor>[^)\s]+)\)\s*(?P<rest>.*)$")
_QUESTION_START = re.compile(
    r"^(tell me|describe|give me|give an example|walk me|share|have you|can you|could you|"
    r"how (do|did|would|have|will|are) you|what (is|was|were|are|would|do|did) (the|your|you|a|an|some)|"
    r"what('s| is) (the|your)|who (is|was) your|why (do|did|would|should) you|when (did|have) you|"
    r"a co-?worker|if you|in your|name a time)\b",
    re.IGNORECASE)


@dataclass(frozen=True)
class IndexLink:
    text: str  # the link text, a short name for the question
    question: str  # the question, from the anchor when it reads as one
    key: str
    names: list[str]  # story names written in parentheses after the link


def question_key(text: str) -> str:
    """What two spellings of the same question share: lower-case words only."""
    return " ".join(re.findall(r"[a-z0-9]+", strip_markup(text).lower().replace("-", " ")))


def index_link(text: str) -> IndexLink | None:
    """``[Deadline](#Have-you-ever-been-assigned-...)(MZdemo, FD bugs)`` from an index."""
    m = _INDEX_LINK.match(text)
    if not m:
        return None
    words = m.group("anchor").replace("-", " ").replace("_", " ").split()
    from_anchor = " ".join(words)
    question = (from_anchor[0].upper() + from_anchor[1:]) if len(words) >= 4 else m.group("text").strip()
    names = [n.strip() for n in re.findall(r"\(([^()]*)\)?", m.group("rest")) if n.strip()]
    if not names and m.group("rest").strip().startswith("("):
        names = [m.group("rest").strip().lstrip("(").strip()]
    return IndexLink(m.group("text").strip(), question, question_key(question), names)


# How interview questions are asked in Chinese, Japanese and Korean ("tell me about", "describe",
# "give an example", "do you have ... experience"), anywhere in the line.
_CJK_QUESTION = re.compile(r"讲一个|讲讲|说说|说一说|描述|举一个|举个例子|分享一个|请谈|谈谈|"
                           r"教えてください|ありますか|経験を|말해\s*주세요|설명해|경험")


_QUESTION_PREFIX = re.compile(r"^(?:q\d*|question\s*\d*)\s*[:.]\s*", re.IGNORECASE)


def is_question(title: str) -> bool:
    """A heading that is an interview question ('Tell me about a time ...', 'Question: ...')."""
    title = _QUESTION_PREFIX.sub("", clean_title(title))
    if _QUESTION_START.match(title):
        return True
    if _CJK_QUESTION.search(title):
        return True
    return title.rstrip().endswith(("?", "？")) and bool(re.search(r"\byou(r)?\b", title, re.IGNORECASE))


_ASKED = re.compile(r"^(tell me|give me|give an example|walk me|have you ever|"
                    r"describe a (time|situation|moment|project|case)|"
                    r"how (do|did|would) you|what (is|was|would|do) you|why do you|can you|could you)\b",
                    re.IGNORECASE)


def is_question_item(text: str, nested: bool = False) -> bool:
    """A list item under a principle that is an interview question to prepare for: it
    ends in a question mark, opens as interviewers ask (``Tell me about a time``), or is
    asked in Chinese, Japanese or Korean. Advice about answering (``Describe how you came
    up with ...``, ``Share examples of how you've ...``) is not one."""
    if not is_list_item(text) or (indent_of(text) >= 2 and not nested):
        return False
    body = strip_markup(strip_list_marker(text))
    return bool(_ASKED.match(body) or _CJK_QUESTION.search(body)) or body.rstrip().endswith(("?", "？"))


_SAMPLE_LABEL = re.compile(r"^(?:\*\*|__)?(?:(?:sample|example|common|likely|possible|typical|interview) )?"
                           r"(?:questions?|qs)[ :*_]*$", re.IGNORECASE)  # on the line with its spaces made one


def strip_question_prefix(text: str) -> str:
    """``Question: Tell me ...`` -> ``Tell me ...``."""
    return _QUESTION_PREFIX.sub("", text)


def sample_questions_label(text: str) -> bool:
    return bool(_SAMPLE_LABEL.match(" ".join(text.split())))


# ---------------------------------------------------------------- questions to ask, reminders

_ASKS = re.compile(r"\bquestions?\s+(for|to\s+ask)\b|\b(ask|asking)\s+(them|the\s+interviewers?|the\s+panel)\b"
                   r"|\bmy\s+questions\b|\breverse\s+questions\b"
                   r"|\bquestions?\s+(?:i'?ll|i\s+will|i\s+want\s+to|i\s+plan\s+to|to)\s+ask\b"
                   r"|\bquestions?\s+for\s+(?:the\s+)?(?:interviewers?|hiring\s+manager|recruiter|panel|team)\b"
                   r"|问面试官|面试官的问题|想问|反问|逆質問|面接官への質問|면접관에게|역질문", re.IGNORECASE)
_REMINDERS = re.compile(r"\b(reminders?|remember|you'?ve\s+got\s+this|good\s+luck|usage\s+guide|tips|checklist|"
                        r"mindset|before\s+the\s+interview|day\s+of)\b", re.IGNORECASE)


def is_asks_heading(title: str) -> bool:
    return bool(_ASKS.search(clean_title(title).replace("’", "'")))


def is_reminders_heading(title: str) -> bool:
    return bool(_REMINDERS.search(clean_title(title).replace("’", "'")))


_TRAILING_PAREN = re.compile(r"\s*(?:\*\*|__|\*)?\(([^()]*)\)(?:\*\*|__|\*)?\s*$")
_TO = re.compile(r"^(?:to|for|ask)\s+(?P<who>.+)$", re.IGNORECASE)


@dataclass(frozen=True)
class Ask:
    text: str
    to: str | None
    note: str | None


def ask_item(text: str) -> Ask | None:
    """``**1.** *"What does success look like?"* **(To all three)**`` -> the question,
    whom to ask, and any other trailing remark as a note."""
    body = re.sub(r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?\d+[.)](?:\*\*|__)?\s*", "", text)
    body = strip_list_marker(body) if is_list_item(body) else body.strip()
    to: str | None = None
    notes: list[str] = []
    while True:
        m = _TRAILING_PAREN.search(body)
        if not m or m.start() == 0:
            break
        inner = m.group(1).strip()
        who = _TO.match(inner)
        if who and to is None:
            to = who.group("who").strip()
        else:
            notes.insert(0, inner)
        body = body[: m.start()]
    question = strip_markup(body).strip().strip('"“”\'').strip()
    if not question:
        return None
    return Ask(question, to, "; ".join(notes) or None)


_GROUP_LABEL = re.compile(r"^\s*(?:\*\*|__)(?P<label>[^*_]{1,60}?)\s*(?P<c1>:?)\s*(?:\*\*|__)\s*(?P<c2>:?)\s*$")


def group_label(text: str) -> str | None:
    """A bold line on its own ending in a colon heads a group: ``**Strategy:**`` ->
    'Strategy'. (A bold line without the colon is an item: ``**GOOD LUCK!**``.)"""
    m = _GROUP_LABEL.match(" ".join(text.split()))
    if not m or not (m.group("c1") or m.group("c2")):
        return None
    return m.group("label").strip().rstrip(":")
