"""IRC logs as irssi, WeeChat, ZNC, HexChat and friends write them.

    [12:34] <nick> text
    [12:34:56] <@op> text
    2005-01-08T23:34:46  <nick> text
    12:34 <nick> text
    [12:35] * nick waves                      an action: narration
    [12:36] -!- nick [~u@host] has joined     joins, parts, renames: narration
    --- Day changed Sat Jan 08 2005           sets the date of later times

Nick prefixes for channel modes (@, +, %, &, ~) are not part of the name.
"""

from __future__ import annotations

import datetime
import re

from ..model import Conversation
from ..timestamps import clock
from .builder import ConversationBuilder
from .lines import split_lines
from .format import Format

STAMP = (
    r"(?:\[(?P<bracketed>[^\]]{4,30})\]"
    r"|(?P<iso>\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(?::\d{2})?)"
    r"|(?P<bare>\d{1,2}:\d{2}(?::\d{2})?))"
)
LINE = re.compile(rf"{STAMP}\s+(?P<rest>.*)")
SAID = re.compile(r"<\s*[@+%&~]?(?P<nick>[^>\s]+)\s*>[ \t]?(?P<text>.*)")
DAY_CHANGED = re.compile(
    r"---\s+(?:Day changed|Log opened)\s+\w{3}\s+(?P<month>\w{3})\s+(?P<day>\d{1,2})"
    r"(?:\s+\d{1,2}:\d{2}:\d{2})?\s+(?P<year>\d{4})"
)
MONTHS = {name: number for number, name in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}
CLOCK = re.compile(r"(?:(?P<date>\d{4}-\d{2}-\d{2})[T ])?(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?")


def stamp_time(stamp: str, day: datetime.date | None) -> datetime.datetime | datetime.time | None:
    """A datetime where the log says the day, else a time."""
    found = CLOCK.search(stamp)
    if found is None:
        return None
    time = clock(int(found["hour"]), int(found["minute"]), int(found["second"] or 0))
    if time is None:
        return None
    if found["date"]:
        try:
            return datetime.datetime.combine(datetime.date.fromisoformat(found["date"]), time)
        except ValueError:
            return None
    return datetime.datetime.combine(day, time) if day else time


def read(text: str, *, first_line: int = 0, path: str | None = None) -> Conversation:
    builder = ConversationBuilder(first_line=first_line, path=path)
    day = None
    for number, line in enumerate(split_lines(text), start=1):
        changed = DAY_CHANGED.match(line)
        if changed and changed["month"].lower() in MONTHS:
            try:
                day = datetime.date(int(changed["year"]), MONTHS[changed["month"].lower()], int(changed["day"]))
            except ValueError:
                pass
        stamped = LINE.fullmatch(line)
        if stamped:
            time_text = line[: stamped.start("rest")].strip().strip("[]")
            when = stamp_time(time_text, day)
            said = SAID.fullmatch(stamped["rest"]) if when is not None else None
            if said:
                builder.message(said["nick"], said["text"], number, time=when, time_text=time_text)
                continue
        if line.strip(" \t"):  # a line of form feeds or U+001C is text, not blank
            # actions, joins, topic changes, "--- Log opened": all kept as they are
            builder.narration(line, number)
    return builder.build()


FORMAT = Format(
    name="irc",
    title="IRC",
    suffixes=(".irc.log", ".irc.txt"),
    read=read,
    sample="[12:34] <nick> text   or   2005-01-08T23:34:46  <nick> text",
    how_to_export="Your client's log files: irssi `~/irc_logs/`, WeeChat `~/.local/share/weechat/logs/`, "
    "HexChat `~/.config/hexchat/logs/`, ZNC's log module.",
)
