"""Deterministic synthetic conversations for the benchmark (and its test).

The same size always gives the same text: several speakers, a quote every
~20 messages, time lines, multi-line messages and some Markdown.
"""

from __future__ import annotations

import datetime
import random

SPEAKERS = ["Dana", "Marcus_R", "Priya", "Dr. Ada Lee", "sam", "Jo"]
WORDS = (
    "the stand was lent out twice last spring and came back with a bent caliper both times "
    "board decided to keep it on site until we find a way to track who has it meeting open "
    "everyone agenda fridge spokes tension wheel chain tool brake cables Thursday crew"
).split()
MARKDOWN = ["*really*", "**now**", "`true-up`", "https://example.org/notes", "[minutes](https://example.org/m)"]
START = datetime.datetime(2024, 3, 4, 9, 0)


def sentence(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(WORDS) for _ in range(words)]
    if rng.random() < 0.15:
        chosen.insert(rng.randrange(len(chosen) + 1), rng.choice(MARKDOWN))
    return " ".join(chosen).capitalize() + rng.choice([".", "?", "!", ""])


def messages(count: int, seed: int = 7):
    """(speaker, lines, time, quote) tuples; quote is (speaker, text) or None."""
    rng = random.Random(seed)
    time = START
    said: list[tuple[str, str]] = []
    for index in range(count):
        speaker = rng.choice(SPEAKERS)
        lines = [sentence(rng, rng.randint(4, 18))]
        if rng.random() < 0.1:
            lines.append(sentence(rng, rng.randint(3, 10)))
        quote = None
        if index and index % 20 == 0:
            quoted_speaker, quoted_text = said[-rng.randint(1, min(15, len(said)))]
            quote = (quoted_speaker, quoted_text)
        time += datetime.timedelta(seconds=rng.randint(20, 400))
        said.append((speaker, lines[0]))
        yield speaker, lines, time, quote


def chat_post(count: int, blank_lines: bool = False) -> str:
    out = ["Title: Synthetic chat", "Date: 2024-03-20 12:00", "", ]
    for speaker, lines, time, quote in messages(count):
        if blank_lines and out[-1]:
            out.append("")
        if quote:
            out.append(f"Quoting {quote[0]}: “{quote[1]}”")
        out.append(f"{speaker}: {lines[0]}")
        out.extend(lines[1:])
        out.append(time.strftime("%a %-I:%M %p") if time.minute % 3 else time.strftime("%b %-d, %Y, %-I:%M %p"))
    return "\n".join(out) + "\n"


def markdown_post(count: int, blank_lines: bool = True) -> str:
    """The same conversation text as an ordinary Markdown post.

    With a blank line between messages each is a paragraph of its own, as a
    writer would set it out; without, the whole chat is one paragraph of tens
    of thousands of lines, which makes Python-Markdown itself slow.
    """
    return chat_post(count, blank_lines)


def irc_log(count: int) -> str:
    return "".join(
        f"[{time:%H:%M}] <{speaker.replace(' ', '_').replace('.', '')}> {' '.join(lines)}\n"
        for speaker, lines, time, _ in messages(count)
    )
