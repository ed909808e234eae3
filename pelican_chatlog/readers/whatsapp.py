"""WhatsApp "Export chat" text files, Android and iOS, in the common locales.

    30/01/19, 20:49 - Jane Doe: text                  Android, day first
    01/30/2019, 08:49 p. m. - Jane Doe: text          Android, month first, Spanish
    [01/30/19 20:49] Jane Doe: text                   iOS
    [30.01.19, 20:49:05] Jane Doe: text               iOS, German
    06.08.2016, 13:23 - Ash: text                     Android, German

Whether 01/02 is the first of February or the second of January is read
from the whole file: a first number over 12 means day first, a second one
over 12 month first; when nothing settles it, day first with a warning.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

from ..model import Conversation
from ..timestamps import clock
from .builder import MARKS, ConversationBuilder, Stamp
from .lines import split_lines
from .format import Format

DATE = r"(?P<first>\d{1,4})(?P<sep>[./-])(?P<second>\d{1,2})(?P=sep)(?P<third>\d{2,4})"
CLOCK = (
    r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?:[:.](?P<second_of_minute>\d{2}))?"
    r"(?:\s?(?P<meridiem>[aApP])\.?\s?[mM]\.?)?"
)
ANDROID = re.compile(rf"{DATE},?\s{CLOCK}\s[-–]\s(?P<rest>.*)")
IOS = re.compile(rf"\[{DATE},?\s{CLOCK}\]\s(?P<rest>.*)")
# "Jane: text", or "Jane:" alone for an empty message; quote marks mean a
# system line such as `Jane changed the subject to "A: b"`.
NAME_AND_TEXT = re.compile(r"(?P<name>[^:\"“”]{1,80}?):(?: (?P<text>.*))?")


def stamp_of(line: str) -> re.Match[str] | None:
    """The parts of a line's stamp, however real its date; None for a line without one."""
    return ANDROID.fullmatch(line) or IOS.fullmatch(line)


def read_stamp(line: str, match: re.Match[str], order: str) -> Stamp:
    """What a stamped line says, its dates read in ``order``."""
    return Stamp(
        written=match.group(0),
        when=to_datetime(match, order),
        time_text=line[: match.start("rest")].strip(" -–[]"),
        rest=match["rest"].lstrip(MARKS),
    )


def date_order(matches: Iterable[re.Match[str]]) -> tuple[str, bool]:
    """"dmy", "mdy" or "ymd", and whether the file left it open."""
    day_first = month_first = False
    for match in matches:
        if len(match["first"]) == 4:
            return "ymd", False
        if match["sep"] == ".":
            return "dmy", False
        first, second = int(match["first"]), int(match["second"])
        day_first |= first > 12
        month_first |= second > 12
    if month_first and not day_first:
        return "mdy", False
    return "dmy", not day_first


def to_datetime(match: re.Match[str], order: str) -> datetime.datetime | None:
    numbers = int(match["first"]), int(match["second"]), int(match["third"])
    if order == "ymd":
        year, month, day = numbers
    elif order == "mdy":
        month, day, year = numbers
    else:
        day, month, year = numbers
    if year < 100:
        year += 2000
    time = clock(int(match["hour"]), int(match["minute"]), int(match["second_of_minute"] or 0),
                 match["meridiem"] or "")
    try:
        return datetime.datetime.combine(datetime.date(year, month, day), time) if time is not None else None
    except ValueError:
        return None


def read(
    text: str, *, day_first: bool | None = None, first_line: int = 0, path: str | None = None
) -> Conversation:
    """``day_first`` says how dates read; None reads it from the whole file."""
    builder = ConversationBuilder(first_line=first_line, path=path)
    lines = [line.lstrip(MARKS) for line in split_lines(text)]
    matches = [stamp_of(line) for line in lines]
    if day_first is None:
        order, undecided = date_order(match for match in matches if match)
        if undecided and any(matches):
            builder.warn(
                1,
                "the dates could be day/month or month/day; read as day first "
                "(give --month-first or `Day-first: no` if they are not)",
            )
    else:
        order = "dmy" if day_first else "mdy"
    stamps = (read_stamp(line, match, order) if match else None for line, match in zip(lines, matches))
    builder.stamped_lines(lines, stamps, NAME_AND_TEXT)
    return builder.build()


FORMAT = Format(
    name="whatsapp",
    title="WhatsApp",
    suffixes=(".whatsapp.txt",),
    read=read,
    options=("day_first",),
    sample="30/01/19, 20:49 - Jane Doe: text   or   [30/01/19, 20:49:05] Jane Doe: text",
    how_to_export="In the chat: ⋮ (Android) or the contact name (iOS) → More → Export chat → "
    "Without media. The file is called `WhatsApp Chat with ….txt` or `_chat.txt`.",
)
