"""Realistic matrix content for tests: 25 stories shaped like the user's own index.

The stories follow the hand-made principle -> story index in the user's notes (face
detection snapshot bugs, the MZ demo, the laptop streamer, people stories ...), with
short labels as they would write them. As given, exactly three things need attention:
'Success and Scale Bring Broad Responsibility' has no story, 'Frugality' has one, and
'fd-snapshot' is stretched over five principles.
"""

from __future__ import annotations

import json

# (id, label, primary, secondary)
STORIES: list[tuple[str, str, list[str], list[str]]] = [
    ("fd-snapshot", "FD snapshot", ["Dive Deep", "Invent and Simplify"],
     ["Insist on the Highest Standards", "Deliver Results", "Think Big"]),
    ("aec-dnn", "AEC DNN", ["Ownership"], ["Dive Deep"]),
    ("dsp-face", "DSP Face", ["Ownership"], ["Are Right, A Lot"]),
    ("imx-kunpeng", "IMX Kunpeng", ["Ownership"], ["Deliver Results"]),
    ("mz-demo", "MZ demo", ["Deliver Results", "Bias for Action"], ["Invent and Simplify"]),
    ("martin", "Martin", ["Have Backbone"], ["Earn Trust"]),
    ("ginger-stress", "Ginger stress", ["Earn Trust"], ["Hire and Develop the Best"]),
    ("bruce", "Bruce", ["Best Employer"], ["Have Backbone"]),
    ("hal", "Hal", ["Best Employer"], ["Hire and Develop the Best"]),
    ("temporal-filter", "Temporal filter", ["Bias for Action"], ["Are Right, A Lot"]),
    ("gesture-sim", "Gesture sim data", ["Invent and Simplify"], ["Bias for Action"]),
    ("huawei-paper", "Huawei paper", ["Have Backbone"], ["Learn and Be Curious"]),
    ("cpu-vs-dsp", "CPU vs DSP model", ["Are Right, A Lot"], ["Have Backbone"]),
    ("laptop-streamer", "Laptop streamer", ["Frugality"], ["Invent and Simplify"]),
    ("sam-seg", "SAM segmentation", ["Think Big"], ["Learn and Be Curious"]),
    ("flare-removal", "Flare removal", ["Insist on the Highest Standards"], ["Customer Obsession"]),
    ("car-detect", "Car detection", ["Learn and Be Curious"], ["Dive Deep"]),
    ("over-eng", "Over-engineering", ["Earn Trust"], ["Learn and Be Curious"]),
    ("dong-mentor", "Dong mentoring", ["Hire and Develop the Best"], ["Earn Trust"]),
    ("chuong", "Chuong feedback", ["Hire and Develop the Best"], []),
    ("xin-growth", "Xin growth", ["Hire and Develop the Best"], ["Best Employer"]),
    ("gesture-fp", "Gesture FPs", ["Learn and Be Curious"], ["Insist on the Highest Standards"]),
    ("fd-bugs", "FD bugs pressure", ["Deliver Results"], ["Dive Deep"]),
    ("fd-selfie", "FD selfie", ["Customer Obsession"], ["Think Big"]),
    ("malibu", "Malibu decision", ["Are Right, A Lot"], ["Customer Obsession", "Bias for Action"]),
]

# principle -> [(question, [story ids])]
BANK: dict[str, list[tuple[str, list[str]]]] = {
    "Ownership": [("Tell me about a time you went above and beyond.", ["aec-dnn"]),
                  ("A decision without your boss's approval?", ["dsp-face"])],
    "Bias for Action": [("A quick decision without data?", ["temporal-filter", "malibu"]),
                        ("A feature launched with known risks?", ["gesture-sim"]),
                        ("A deadline earlier than you expected?", ["mz-demo"])],
    "Have Backbone; Disagree and Commit": [("When your team did not agree with you?", ["huawei-paper"]),
                                           ("A conflict where you went with the team?", ["cpu-vs-dsp"])],
    "Invent and Simplify": [("A process you redesigned?", ["laptop-streamer"])],
    "Dive Deep": [("The most complex problem you worked on?", ["fd-snapshot"])],
    "Deliver Results": [("Two deadlines at the same time?", ["fd-bugs", "mz-demo"])],
    "Learn and Be Curious": [("Your biggest career failure?", ["gesture-fp"])],
    "Hire and Develop the Best": [("Feedback that helped a peer?", ["chuong"])],
}


def stories_yaml(stories: list[tuple[str, str, list[str], list[str]]] = STORIES,
                 bank: dict[str, list[tuple[str, list[str]]]] = BANK) -> str:
    """A content file with the stories and the question bank (JSON is valid YAML)."""
    lines = ["stories:"]
    for sid, label, primary, secondary in stories:
        lines += [f"  - id: {sid}",
                  f"    title: {json.dumps('The ' + label + ' story')}",
                  f"    label: {json.dumps(label)}",
                  f"    primary: {json.dumps(primary)}",
                  f"    secondary: {json.dumps(secondary)}",
                  "    sections:",
                  "      situation: It was late.",
                  "      task: Fix it.",
                  "      action: I fixed it.",
                  "      result: It worked."]
    lines.append("question_bank:" if bank else "question_bank: []")
    for principle, questions in bank.items():
        lines.append(f"  - principle: {json.dumps(principle)}")
        lines.append("    questions:")
        for text, ids in questions:
            lines.append(f"      - text: {json.dumps(text)}")
            lines.append(f"        stories: {json.dumps(ids)}")
    return "\n".join(lines) + "\n"


def many_stories(n: int, label_len: int = 24) -> list[tuple[str, str, list[str], list[str]]]:
    """``n`` synthetic stories with labels ``label_len`` long, spread over the 16 principles."""
    from deckbuilder.content.principles import builtin_set

    names = [p.name for p in builtin_set().principles]
    out = []
    for i in range(n):
        label = f"S{i + 1:02d} " + "long label text here"
        out.append((f"s{i + 1:02d}", (label * 2)[:label_len], [names[i % 16]], [names[(i + 5) % 16]]))
    return out
