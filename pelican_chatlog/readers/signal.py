"""Signal conversations exported as text (signal-export and similar tools).

    [2019-12-24, 12:23] Jane Doe: Hello
    [2019-12-24 12:24:05] Bob: Hi!
"""

from __future__ import annotations

import datetime
import re

from ..model import Conversation
from ..timestamps import clock
from .builder import ConversationBuilder, Stamp
from .lines import split_lines
from .format import Format

STAMPED = re.compile(
    r"\[(?P<date>\d{4}-\d{2}-\d{2}),?[ T](?P<clock>\d{1,2}:\d{2}(?::\d{2})?)\][ \t](?P<rest>.*)"
)
NAME_AND_TEXT = re.compile(r"(?P<name>[^:]{1,80}?):(?: (?P<text>.*))?")  # "Bob:" is an empty message


def stamp_of(line: str) -> Stamp | None:
    stamp = STAMPED.fullmatch(line)
    if stamp is None:
        return None
    written = f"{stamp['date']} {stamp['clock']}"
    return Stamp(written=written, when=to_datetime(stamp["date"], stamp["clock"]), time_text=written,
                 rest=stamp["rest"])


def to_datetime(date: str, time: str) -> datetime.datetime | None:
    hour, minute, second = (int(part) for part in (time + ":0").split(":")[:3])
    shown = clock(hour, minute, second)
    try:
        return datetime.datetime.combine(datetime.date.fromisoformat(date), shown) if shown is not None else None
    except ValueError:
        return None


def read(text: str, *, first_line: int = 0, path: str | None = None) -> Conversation:
    builder = ConversationBuilder(first_line=first_line, path=path)
    lines = split_lines(text)
    builder.stamped_lines(lines, map(stamp_of, lines), NAME_AND_TEXT)
    return builder.build()


FORMAT = Format(
    name="signal",
    title="Signal",
    suffixes=(".signal.txt",),
    read=read,
    sample="[2019-12-24, 12:23] Jane Doe: Hello",
    how_to_export="Signal Desktop has no text export of its own: use signal-export "
    "(`sigexport --no-html`, then `chat.md`/`.txt`), whose lines look like the sample.",
)
