"""A Conversation back to our `.chat` format, so that reading it gives it again.

Every message gets its own time in brackets (`[2019-01-30 20:49] Jane: …`),
speakers are declared so any name reads back, quotes are written as
`Quoting` lines, and a body line that would read as something else (a time,
a message, a quote, an empty line) is kept with a leading backslash.
"""

from __future__ import annotations

import datetime
import re

from .model import Conversation, Message, Narration
from .parse import BodyReader


def stamp(time) -> str:
    if isinstance(time, datetime.datetime):
        return time.strftime("%Y-%m-%d %H:%M:%S" if time.second else "%Y-%m-%d %H:%M")
    if isinstance(time, datetime.time):
        return time.strftime("%H:%M:%S" if time.second else "%H:%M")
    return ""


def write_chat(conversation: Conversation, *, title: str | None = None) -> str:
    names = [speaker.name for speaker in conversation.speakers]
    header = {"Title": title or conversation.metadata.get("title", "")}
    first_time = next(
        (m.time for m in conversation.messages if isinstance(m.time, datetime.datetime)), None
    )
    if first_time is not None:
        header["Date"] = stamp(first_time)
    separator = "; " if any("," in name for name in names) else ", "
    header["Speakers"] = separator.join(names)
    lines = [f"{key}: {value}" for key, value in header.items() if value]
    lines.append("")
    # The writer asks a reader with the same speakers which lines need a backslash.
    reader = BodyReader(names, "after", {})
    for item in conversation.items:
        if isinstance(item, Narration):
            lines.append("")
            lines.extend(escaped(reader, item.text.split("\n")))
            lines.append("")
        else:
            lines.extend(message_lines(reader, item))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"


def message_lines(reader: BodyReader, message: Message) -> list[str]:
    lines = []
    for quote in message.quotes:
        first, *more = quote.text.split("\n")
        if more:
            lines.append(f"> {quote.speaker.name}: {first}")
            lines.extend(f"> {line}" for line in more)
        else:
            lines.append(f"Quoting {quote.speaker.name}: “{first}”")
    when = stamp(message.time)
    prefix = f"[{when}] " if when else ""
    first, *more = message.text.split("\n")
    lines.append(f"{prefix}{message.speaker.name}: {first}".rstrip())
    lines.extend(escaped(reader, more))
    return lines


def escaped(reader: BodyReader, lines: list[str]) -> list[str]:
    return ["\\" + line if reader.is_special(line) else line for line in lines]
