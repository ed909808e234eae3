"""IRC logs as the clients write them, each client's shape read line by line.

    irssi         --- Log opened Sat Jan 08 23:30:00 2005     (and "--- Day changed Sun Jan 09 2005")
                  [23:34] <@nick> text      [23:35]  * nick waves      [23:36] -!- nick [~u@h] has joined #c
    WeeChat       2015-07-08 02:00:04<TAB>@nick<TAB>text    (prefix "-->", "<--", "--", " *": system lines)
    WeeChat 0.2   2007 Jan 15 12:34:56  <nick> text         ("****  Beginning of log  …  ****")
    XChat/HexChat **** BEGIN LOGGING AT Mon Dec 31 21:11:55 2011   (gives the year)
                  Dec 31 21:11:58 <nick><TAB>text
    ZNC           [12:34:56] <nick> text    [12:34:57] *** Joins: nick (ident@host)
    supybot       2005-01-08T23:34:46  <nick> text   (Limnoria's ChannelLogger; old: [02-Feb-2004 14:18:55])
    dircproxy     [14 Jan 12:37] <nick!user@host> +text   (+/- is the server's identified flag)
    mIRC          Session Start: Sat Jan 08 23:30:00 2005    then [23:34] <nick> text
    Konversation  [Sat Jan 8 2005] [23:34:46] <nick><TAB>text

Every line is tried against these shapes (a file may mix them); :func:`detect`
names the client a file's first shaped lines come from.  `<nick> text` is a
message, whatever else follows a stamp (actions, joins, parts, topics,
notices) is narration kept as written.  Nick prefixes for channel modes (@, +,
%, &, ~) are not part of the name, nor is dircproxy's `!user@host`.

Days: a stamp with a full date gives it; irssi's "Log opened"/"Day changed",
mIRC's "Session Start" and HexChat's "BEGIN LOGGING" give the day (and year)
of the times after them.  A stamp naming day and month but no year
(dircproxy, HexChat without its BEGIN line) is kept as written and dated by
the post's `Date:` when it has one (a `.chat` header with `Source:`), else
shown as a time of day; the file is warned about once.

Logs mix encodings: a line that is not UTF-8 is read as Windows-1252, as
irclog2html and HexChat do, and the lines read so are named in a warning
(:func:`decode`, which the pipeline uses for this format's files).
"""

from __future__ import annotations

import codecs
import datetime
import functools
import re

from ..model import Conversation, Message, Problem
from ..timestamps import MONTHS, clock, parse_time
from .builder import ConversationBuilder
from .format import Format
from .lines import split_lines

_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?"
# The shapes, tried in this order; each anchored, no quantifier nested in another.
WEECHAT = re.compile(rf"(?P<date>\d{{4}}-\d{{2}}-\d{{2}}) (?P<clock>{_CLOCK})\t(?P<rest>.*)")
WEECHAT_OLD = re.compile(
    rf"(?P<year>\d{{4}}) (?P<month>[A-Za-z]{{3}}) (?P<day>\d{{1,2}}) (?P<clock>{_CLOCK})  ?(?P<rest>.*)"
)
ISO = re.compile(rf"\[?(?P<date>\d{{4}}-\d{{2}}-\d{{2}})[T ](?P<clock>{_CLOCK})\]?[ \t]+(?P<rest>.*)")
SUPYBOT_OLD = re.compile(
    rf"\[?(?P<day>\d{{1,2}})-(?P<month>[A-Za-z]{{3}})-(?P<year>\d{{4}}) (?P<clock>{_CLOCK})\]?[ \t]+(?P<rest>.*)"
)
DIRCPROXY = re.compile(rf"\[(?P<day>\d{{1,2}}) (?P<month>[A-Za-z]{{3}}) (?P<clock>{_CLOCK})\] (?P<rest>.*)")
KONVERSATION = re.compile(
    rf"\[(?P<date>[^\[\]]{{6,40}})\] \[(?P<clock>{_CLOCK})(?P<zone>[^\[\]]{{0,12}})\] (?P<rest>.*)"
)
XCHAT = re.compile(rf"(?P<month>[^\W\d_]{{3,12}}\.?) (?P<day>\d{{1,2}}) (?P<clock>{_CLOCK}) (?P<rest>.*)")
CLOCK_ONLY = re.compile(rf"(?:\[(?P<clock>{_CLOCK})\]|(?P<bare>{_CLOCK}))[ \t]+(?P<rest>.*)")
SHAPES = (
    ("weechat", WEECHAT), ("weechat-0.2", WEECHAT_OLD), ("supybot", ISO), ("supybot", SUPYBOT_OLD),
    ("dircproxy", DIRCPROXY), ("konversation", KONVERSATION), ("hexchat", XCHAT), ("irc", CLOCK_ONLY),
)
_GROUP = re.compile(r"\(\?P<\w+>")


def _one_alternation(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str]:
    """Some of SHAPES as one pattern, each its own alternative `(?P<_i>…)` (i its
    place in SHAPES) with its own groups not captured: one call tries them in
    order, as trying each would, and says which fits."""
    return re.compile("|".join(
        f"(?P<_{index}>{_GROUP.sub('(?:', shape.pattern)})"
        for index, (_, shape) in enumerate(SHAPES) if shape in patterns
    ))


# Which shapes a line can be, by its first character: `[` opens DIRCPROXY, KONVERSATION and may
# open ISO, SUPYBOT_OLD, CLOCK_ONLY; a digit (`\d`) opens WEECHAT, WEECHAT_OLD and may open those
# three; XCHAT opens with a letter (`[^\W\d_]`: alphanumeric, not a digit). Each in SHAPES's
# order, so the first shape that fits still wins.
SHAPES_OPENING = {
    "[": (ISO, SUPYBOT_OLD, DIRCPROXY, KONVERSATION, CLOCK_ONLY),
    "digit": (WEECHAT, WEECHAT_OLD, ISO, SUPYBOT_OLD, CLOCK_ONLY),
    "letter": (XCHAT,),
}


@functools.cache  # compiled when a line first needs it: a log read through CLOCK_SAID needs none
def shapes_opening(opener: str) -> re.Pattern[str]:
    return _one_alternation(SHAPES_OPENING[opener])


def shape_of(line: str) -> tuple[str, re.Match[str]] | None:
    """The client and match of the first shape in SHAPES the whole line fits, or None:
    one regular expression call for the shapes its first character allows, then
    the line in that shape, for its groups by their own names."""
    first = line[:1]
    if first == "[":
        opener = "["
    elif first.isdecimal():
        opener = "digit"
    elif first.isalnum():  # after isdecimal(): what `[^\W\d_]` matches
        opener = "letter"
    else:
        return None
    found = shapes_opening(opener).fullmatch(line)
    if found is None:
        return None
    client, shape = SHAPES[int(found.lastgroup[1:])]  # type: ignore[index]
    match = shape.fullmatch(line)
    assert match is not None
    return client, match


SAID = re.compile(r"<\s*[@+%&~]?(?P<nick>[^>\s!]+)(?P<host>![^>\s]*)?\s*>(?:[ \t](?P<text>.*))?")
# Most lines of irssi, ZNC and mIRC logs are `[12:34] <nick> text`.  A line that opens
# `[clock] <` fits no shape before CLOCK_ONLY (ISO, SUPYBOT_OLD and DIRCPROXY need a `-` or a
# space after the first digits, KONVERSATION a `[` after the first `] `), so when SAID fits
# what follows the clock it is CLOCK_ONLY's message: one match for what shape_of and SAID
# find in three.  tests/test_preview_speed_paths.py reads random lines with and without it.
CLOCK_SAID = re.compile(rf"\[(?P<clock>{_CLOCK})\][ \t]+{SAID.pattern}")
DAY_CHANGED = re.compile(  # irssi
    r"---\s+(?:Day changed|Log opened)\s+\w{3}\s+(?P<month>\w{3})\s+(?P<day>\d{1,2})"
    r"(?:\s+\d{1,2}:\d{2}:\d{2})?\s+(?P<year>\d{4})"
)
LOGGING_STARTED = re.compile(  # HexChat "**** BEGIN LOGGING AT", mIRC "Session Start:"
    r"(?:\*{4} [^\d]{1,40}?|Session Start: )"
    r"\w{3} (?P<month>\w{3}) +(?P<day>\d{1,2}) \d{1,2}:\d{2}:\d{2} (?P<year>\d{4})"
)
DAY_LINES = ("---", "****", "Session Start: ")  # where DAY_CHANGED and LOGGING_STARTED can match
WEECHAT_NICK_MODES = "@+%&~!"
WEECHAT_SYMBOLS = frozenset({"ℹ"})  # prefixes some WeeChat themes use for system lines
NO_YEAR = (
    "the times in this log name a day and month but no year: they are dated by the post's `Date:` "
    "(a `.chat` header with `Format: irc` and `Source:`), else shown as times of day"
)

# --- the file's encoding --------------------------------------------------------------

BYTE_LINES = re.compile(rb"(\r\n|\r|\n)")
# Windows-1252 for the bytes 0x80-0x9f it defines; the five it does not stay as Latin-1 controls.
CP1252 = {byte: bytes([byte]).decode("cp1252", "replace") for byte in range(0x80, 0xA0)}
CP1252 = {byte: char for byte, char in CP1252.items() if char != "\ufffd"}
MAX_NAMED_LINES = 10


def decode(data: bytes) -> tuple[str, list[Problem]]:
    """A log's bytes as text: UTF-8, and each line that is not read as Windows-1252.

    IRC clients write what the network sends, so one log mixes UTF-8 lines with
    Latin/Windows ones.  Nothing is lost: every byte becomes a character.
    One warning names the lines read so.
    """
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    pieces = BYTE_LINES.split(data)  # lines at even places, their ends between
    text_pieces = []
    fallback = []
    for index, piece in enumerate(pieces):
        if index % 2:
            text_pieces.append(piece.decode("ascii"))
            continue
        try:
            text_pieces.append(piece.decode("utf-8"))
        except UnicodeDecodeError:
            text_pieces.append(piece.decode("latin-1").translate(CP1252))
            fallback.append(index // 2 + 1)
    text = "".join(text_pieces)
    named = ", ".join(str(line) for line in fallback[:MAX_NAMED_LINES])
    if len(fallback) > MAX_NAMED_LINES:
        named += f" and {len(fallback) - MAX_NAMED_LINES:,} more"
    which = f"line {named} is" if len(fallback) == 1 else f"lines {named} are"
    return text, [Problem(fallback[0], f"{which} not UTF-8: read as Windows-1252 (cp1252)")]


# --- which client -----------------------------------------------------------------------

DETECT_LINES = 50


def detect(lines: list[str]) -> str:
    """The client that wrote the log, from its first lines of a known shape.

    One of weechat, weechat-0.2, supybot, dircproxy, konversation, hexchat,
    irssi, znc, mirc, or "irc" when the lines fit none in particular.
    """
    for line in lines[:DETECT_LINES]:
        if line.startswith("**** BEGIN LOGGING AT") or line.startswith("**** ENDING LOGGING AT"):
            return "hexchat"
        if line.startswith(("Session Start: ", "Session Ident: ")):
            return "mirc"
        if line.startswith(("--- Log opened", "--- Day changed")):
            return "irssi"
        if line.startswith("****  Beginning of log"):
            return "weechat-0.2"
    seconds = False
    for line in lines[:DETECT_LINES]:
        for client, shape in SHAPES:
            found = shape.fullmatch(line)
            if found is None:
                continue
            if client != "irc":
                return client
            rest = found["rest"]
            if rest.startswith(("-!- ", "<@", "< ")):
                return "irssi"
            if rest.startswith(("*** Joins: ", "*** Quits: ", "*** Parts: ")):
                return "znc"
            seconds = seconds or found["clock"] is not None and found["clock"].count(":") == 2
            break
    return "znc" if seconds else "irc"


# --- reading -----------------------------------------------------------------------------


def month_number(name: str) -> int | None:
    return MONTHS.get(name.rstrip(".").lower())


def safe_date(year: int, month: int | None, day: int) -> datetime.date | None:
    if month is None:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


class IrcReader:
    def __init__(self, builder: ConversationBuilder):
        self.builder = builder
        self.day: datetime.date | None = None  # the day later times are on, when the log says
        self.warned_no_year = False
        self.signed: dict[str, list[Message]] = {}  # dircproxy messages by nick, to take the +/- off

    def line(self, line: str, number: int) -> None:
        said = CLOCK_SAID.fullmatch(line) if line[:1] == "[" else None
        if said is not None and (time := clock_of(said["clock"])) is not None:  # else read as below
            when = datetime.datetime.combine(self.day, time) if self.day else time
            self.builder.message(said["nick"], said["text"] or "", number, time=when, time_text=said["clock"])
            return
        if line.startswith(DAY_LINES):
            self.day_from(line)
        shaped = shape_of(line)
        if shaped is not None:
            self.stamped(shaped[0], shaped[1], line, number)
            return
        if line.strip(" \t"):  # a line of form feeds or U+001C is text, not blank
            self.builder.narration(line, number)  # "--- Log opened", "Session Ident: #c", …

    def day_from(self, line: str) -> None:
        changed = DAY_CHANGED.match(line) or LOGGING_STARTED.match(line)
        if changed:
            day = safe_date(int(changed["year"]), month_number(changed["month"]), int(changed["day"]))
            self.day = day or self.day

    def stamped(self, client: str, found: re.Match[str], line: str, number: int) -> None:
        written = line[: found.start("rest")].strip(" \t[]")
        time = clock_of(found["clock"] or found["bare"])
        when: datetime.datetime | datetime.time | None = None
        if time is None:
            self.builder.bad_stamp(line, number, written)
            return
        if client in ("weechat", "supybot", "weechat-0.2") and "date" in found.groupdict() and found["date"]:
            date = iso_date(found["date"])
            when = datetime.datetime.combine(date, time) if date else None
        elif client in ("weechat-0.2", "supybot"):
            date = safe_date(int(found["year"]), month_number(found["month"]), int(found["day"]))
            when = datetime.datetime.combine(date, time) if date else None
        elif client == "konversation":
            parsed = parse_time(f"{found['date']} {found['clock']}")
            when = datetime.datetime.combine(parsed.date, time) if parsed and parsed.date else None
        elif client in ("dircproxy", "hexchat"):
            when = self.month_and_day(found, time)
            if when is None and month_number(found["month"]) is None:
                self.builder.narration(line, number)  # "Session Close: …" and the like
                return
        else:
            when = datetime.datetime.combine(self.day, time) if self.day else time
        if when is None and client not in ("dircproxy", "hexchat"):
            self.builder.bad_stamp(line, number, written)
            return
        rest = found["rest"]
        if client == "weechat":
            self.weechat(rest, written, when, line, number)
            return
        said = SAID.fullmatch(rest)
        if said is None:
            self.builder.narration(line.replace("\t", " ", 1) if client in ("hexchat", "konversation") else line,
                                   number)
            return
        message = self.builder.message(said["nick"], said["text"] or "", number, time=when, time_text=written)
        if said["host"] and client == "dircproxy":
            self.signed.setdefault(said["nick"].casefold(), []).append(message)

    def month_and_day(self, found: re.Match[str], time: datetime.time) -> datetime.datetime | None:
        """A stamp of day and month: on the year the log gives, or left for the post's `Date:`."""
        month = month_number(found["month"])
        if month is None:
            return None
        if self.day is not None:
            date = safe_date(self.day.year, month, int(found["day"]))
            # ordinals, not dates: 180 days before 1 January of year 1 is no date
            if date is not None and date.toordinal() < self.day.toordinal() - 180:
                date = safe_date(self.day.year + 1, month, int(found["day"]))  # past New Year
            if date is not None:
                self.day = date
                return datetime.datetime.combine(date, time)
        if not self.warned_no_year:
            self.warned_no_year = True
            self.builder.warn(None, NO_YEAR)
        return None  # the linker reads the stamp as written, with the post's Date

    def weechat(self, rest: str, written: str, when, line: str, number: int) -> None:
        prefix, tab, text = rest.partition("\t")
        nick = prefix[1:] if prefix[:1] in WEECHAT_NICK_MODES and len(prefix) > 1 else prefix
        if tab and nick and nick not in WEECHAT_SYMBOLS and not any(c.isspace() for c in nick) \
                and any(c.isalnum() for c in nick):
            self.builder.message(nick, text, number, time=when, time_text=written)
        else:  # "-->", "<--", "--", " *", "****  Beginning of log  ****"
            self.builder.narration(" ".join(part.strip(" ") for part in (written, prefix, text) if part.strip(" ")),
                                   number)

    def finish(self) -> None:
        """dircproxy marks each message of a speaker the server identifies with + or -: not text."""
        for messages in self.signed.values():
            if all(message.text[:1] in ("+", "-") for message in messages):
                for message in messages:
                    message.text = message.text[1:]


@functools.lru_cache(maxsize=4096)  # a log says the same few clocks again and again
def clock_of(text: str | None) -> datetime.time | None:
    if not text:
        return None
    hour, minute, *second = text.split(":")
    return clock(int(hour), int(minute), int(second[0]) if second else 0)


def iso_date(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def read(text: str, *, first_line: int = 0, path: str | None = None) -> Conversation:
    builder = ConversationBuilder(first_line=first_line, path=path)
    reader = IrcReader(builder)
    for number, line in enumerate(split_lines(text), start=1):
        reader.line(line, number)
    reader.finish()
    return builder.build()


FORMAT = Format(
    name="irc",
    title="IRC",
    suffixes=(".irc.log", ".irc.txt"),
    read=read,
    sample="[12:34] <nick> text   or   2015-07-08 02:00:04<TAB>nick<TAB>text   or   Dec 31 21:11:58 <nick> text",
    how_to_export="Your client's log files: irssi `~/irc_logs/`, WeeChat `~/.local/share/weechat/logs/`, "
    "HexChat `~/.config/hexchat/logs/`, ZNC's log module, Limnoria's ChannelLogger, dircproxy, mIRC, "
    "Konversation. Lines that are not UTF-8 are read as Windows-1252.",
    decode=decode,
)
