"""Hostile inputs: shapes of chat text that once cost the square of their size.

Each shape is a function of a size n giving (text, format); the benchmark
times each at n and 4n and reports the ratio, which stays near 4 when the
cost is linear (16 if it were quadratic).  The tests use the same shapes
with operation counts instead of clocks.
"""

from __future__ import annotations

import json


def brackets(n: int) -> tuple[str, str]:
    """One message that is a run of `[`: each one started a scan to the end."""
    return "Dana: " + "[" * n + "\n", "chat"


def unmatched_quotes(n: int) -> tuple[str, str]:
    """n messages, each after a quote that matches nothing Dana said."""
    lines = []
    for index in range(n):
        lines.append(f"Quoting Dana: “no such words {index}”")
        lines.append(f"Dana: message number {index} of the day")
    return "\n".join(lines) + "\n", "chat"


def old_quotes(n: int) -> tuple[str, str]:
    """n messages, then n quotes of the first, the furthest back it can be."""
    lines = ["Dana: the very first thing said"]
    lines += [f"Dana: message number {index} of the day" for index in range(n)]
    for index in range(n):
        lines.append("Quoting Dana: “the very first thing said”")
        lines.append(f"Sam: reply number {index}")
    return "\n".join(lines) + "\n", "chat"


def colliding_slugs(n: int) -> tuple[str, str]:
    """n speakers whose names all make the slug `x`: `x.`, `x-`, `x_`, `x..` …"""
    lines = []
    for index in range(n):
        tail, number = "", index + 1
        while number:
            number, digit = divmod(number - 1, 3)
            tail += ".-_"[digit]
        lines.append(f"x{tail}: hi")
    return "\n".join(lines) + "\n", "chat"


def long_message(n: int) -> tuple[str, str]:
    """One message of n lines (and a quote of n `>` lines before it)."""
    lines = ["> Dana: quoted first line"] + ["> and more of the quote"] * n
    lines += ["Sam: a long answer"] + ["and one more line of it"] * n
    return "\n".join(lines) + "\n", "chat"


def long_whatsapp_message(n: int) -> tuple[str, str]:
    """A WhatsApp message of n lines: the lines without a stamp continue it."""
    lines = ["30/01/19, 20:49 - Jane Doe: a long answer"] + ["and one more line of it"] * n
    return "\n".join(lines) + "\n", "whatsapp"


def compact_json(n: int) -> tuple[str, str]:
    """A Telegram export written without spaces: `"id":1`, not `"id": 1`."""
    messages = [
        {"id": index, "type": "message", "date": "2019-01-30T20:49:00", "from": "Jane", "text": f"hi {index}"}
        for index in range(1, n + 1)
    ]
    return json.dumps({"name": "Bikes", "messages": messages}, separators=(",", ":")), "telegram"


def overlapping_terms(n: int) -> tuple[str, str]:
    """One message of n words: every two words are a redacted phrase, and a /regex/
    starts inside each, so every match overlaps the next; the whole becomes one mask."""
    return "Redact: zq zq, /q zq/\n\nDana: " + " ".join(["zq"] * n) + "\n", "chat"


def linked_terms(n: int) -> tuple[str, str]:
    """One message of n links, every two of whose texts are a redacted phrase, so every
    match crosses a link's end and overlaps the next; the whole becomes one mask."""
    return "Redact: zq zq\n\nDana: " + " ".join(["[zq](https://x.example/)"] * n) + "\n", "chat"


def linked_numbers(n: int) -> tuple[str, str]:
    """One message of n phone numbers that link text parts, each beside a link whose edge
    the start of a hidden name touches and whose end is no word's: every number is read
    without the links' marks, and every such place is a name's words to check, then refuse."""
    return ("Speakers: Zq Zq (name: Q), Dana\nMask: phones\n\nZq Zq: hi\nDana: "
            + " ".join(["[+44 7700](https://x.example/) 900123 x[zq](https://x.example/) zqx"] * n) + "\n", "chat")


# name: (shape, n for the benchmark; 4n is measured too)
SHAPES = {
    "brackets": (brackets, 4_000),
    "unmatched_quotes": (unmatched_quotes, 2_000),
    "old_quotes": (old_quotes, 2_000),
    "colliding_slugs": (colliding_slugs, 2_000),
    "long_message": (long_message, 20_000),
    "long_whatsapp_message": (long_whatsapp_message, 20_000),
    "compact_json": (compact_json, 5_000),
    "overlapping_terms": (overlapping_terms, 20_000),
    "linked_terms": (linked_terms, 5_000),
    "linked_numbers": (linked_numbers, 2_000),
}


def read_and_render(text: str, format: str) -> str:
    """What a build does with a post: read, link, render."""
    from pelican_chatlog import parse, render

    return render(parse(text, format=format))
