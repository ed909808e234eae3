"""Chats pasted from an app's window: the shapes a selection of messages copies as.

Most people do not export a chat; they select messages in the app and paste.
Each app copies them in its own line grammar, where a *heading* line names
the speaker and the time and the lines under it are the message:

    slack-paste     Dana Okafor  6:02 PM          (desktop and web; then the text;
                    Dana Okafor                    a bare `6:03` line is the same
                      6:02 PM                      speaker's next message)
    discord-paste   Dana — Today at 6:02 PM       (`Yesterday at …`, `03/12/2024 6:02 PM`)
    teams-paste     [6:02 PM] Dana Okafor         (`[3/12/2024 6:02 PM] Dana Okafor`)
    telegram-paste  Dana Okafor, [12.03.2024 18:02]
    whatsapp-paste  [18:02, 12/03/2024] Dana: text  (the text on the heading line)

Our own `.chat` shape (`Dana: text`, then a bare time line) is read by
:mod:`.chat`; a file is read in one shape, found by :func:`detect` over its
first lines, or named by the header's `Format:`.  Every line ends up on the
page: lines above the first heading are narration, lines under a heading
are its message (blank lines inside it kept as paragraph breaks).  Each
heading is matched only on a line of bounded length, so reading stays linear.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from ..model import Conversation, Message
from ..timestamps import ParsedTime, clock, parse_time
from .builder import ConversationBuilder
from .lines import BLANK, is_blank, shorten
from .speakers import apply_style

MAX_NAME = 80
MAX_HEADING = 200  # a heading is never longer; longer lines are text, never matched
DETECT_LINES = 200  # the lines detection looks at: bounded work whatever the file
SPACES = re.compile(r"[ \t\u00a0\u202f]+")

_CLOCK = (
    r"(?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{2})(?::(?P<second>[0-9]{2}))?"
    r"(?:[ \u00a0\u202f]?(?P<meridiem>[AaPp])\.?[ \u00a0\u202f]?[Mm]\.?)?"
)
_NUMERIC_DATE = r"(?P<first>[0-9]{1,4})(?P<sep>[./-])(?P<second_part>[0-9]{1,2})(?P=sep)(?P<third>[0-9]{2,4})"
NUMERIC_STAMP = re.compile(rf"{_NUMERIC_DATE},?[ \u00a0\u202f]+{_CLOCK}")
CLOCK_ONLY = re.compile(_CLOCK)
# `[18:02, 12/03/2024] Dana: text`: the clock first, then the date.
WHATSAPP = re.compile(rf"\[{_CLOCK},[ \u00a0\u202f]?{_NUMERIC_DATE}\][ \t]+(?P<rest>.+)")
TELEGRAM = re.compile(r"(?P<name>.*?\S),?[ \t]+\[(?P<stamp>[^\]]{1,40})\]")
TEAMS = re.compile(r"\[(?P<stamp>[^\]]{1,60})\][ \t]+(?P<name>[^:\[\]]*[^:\[\]\s])")
DISCORD = re.compile(r"(?P<name>.*?\S)[ \t\u00a0]+[—–][ \t\u00a0]+(?P<stamp>\S.*)")
TELEGRAM_REPLY = re.compile(r"\[In reply to (?P<name>[^\]\n]{1,80})\]")
SLACK_STATUS = re.compile(r"[ \u00a0]+:[a-z0-9_+\-]{1,40}:$")  # `:palm_tree:` after a name
SLACK_ONE_LINE = re.compile(r"(?P<name>.*?\S)(?:[ \u00a0]{2,}|[ \u00a0]*\t[ \t\u00a0]*)(?P<stamp>\S.*)")


@dataclass(frozen=True, slots=True)
class Stamp:
    """A heading's time as written: a clock with a relative day, a weekday…
    (``parsed``), or a clock with a numeric date whose order the whole file
    decides (``numbers``)."""

    text: str
    parsed: ParsedTime | None = None
    numbers: tuple[int, int, int] | None = None  # as written, first to third
    year_first: bool = False
    dotted: bool = False  # `12.03.2024`: a dotted date is always day first
    clock: datetime.time | None = None


@dataclass(frozen=True, slots=True)
class Heading:
    """A line that opens a message: who, when, and any text on the line itself."""

    name: str
    stamp: Stamp
    text: str = ""


def read_stamp(text: str) -> Stamp | None:
    """`Today at 6:02 PM`, `Tue 6:02 PM`, `6:02 PM`, `12.03.2024 18:02`, `3/12/2024, 6:02 PM`…; else None."""
    text = text.strip(BLANK + "\u00a0\u202f")
    parsed = parse_time(text.replace("\u202f", " ").replace("\u00a0", " "))
    if parsed is not None:
        return Stamp(text, parsed=parsed)
    numeric = NUMERIC_STAMP.fullmatch(text)
    if numeric is None:
        return None
    shown = clock_of(numeric)
    if shown is None:
        return None
    numbers = int(numeric["first"]), int(numeric["second_part"]), int(numeric["third"])
    return Stamp(text, numbers=numbers, year_first=len(numeric["first"]) == 4, dotted=numeric["sep"] == ".",
                 clock=shown)


def clock_of(match: re.Match[str]) -> datetime.time | None:
    return clock(int(match["hour"]), int(match["minute"]), int(match["second"] or 0), match["meridiem"] or "")


def plausible_name(name: str) -> bool:
    return 0 < len(name) <= MAX_NAME and any(char.isalnum() for char in name)


# --- one heading reader a shape --------------------------------------------------------------


def slack_heading(line: str) -> Heading | None:
    """`Dana Okafor  6:02 PM` (two spaces or a tab between name and time); a status
    emoji after the name copies as its code (`Dana Okafor :palm_tree:  6:02 PM`)."""
    match = SLACK_ONE_LINE.fullmatch(line)
    if match is None:
        return None
    name = SLACK_STATUS.sub("", match["name"])
    if not plausible_name(name) or ":" in name[-1:]:
        return None
    stamp = read_stamp(match["stamp"].strip("[]"))
    return Heading(name, stamp) if stamp is not None else None


def discord_heading(line: str) -> Heading | None:
    """`Dana — Today at 6:02 PM`, `Dana — Yesterday at 6:02 PM`, `Dana — 03/12/2024 6:02 PM`."""
    match = DISCORD.fullmatch(line)
    if match is None or not plausible_name(match["name"]):
        return None
    stamp = read_stamp(match["stamp"])
    return Heading(match["name"], stamp) if stamp is not None else None


def teams_heading(line: str) -> Heading | None:
    """`[6:02 PM] Dana Okafor` (no colon: `[6:02 PM] Dana: hi` is our own prefixed message)."""
    match = TEAMS.fullmatch(line)
    if match is None or not plausible_name(match["name"]):
        return None
    stamp = read_stamp(match["stamp"])
    return Heading(match["name"], stamp) if stamp is not None else None


def telegram_heading(line: str) -> Heading | None:
    """`Dana Okafor, [12.03.2024 18:02]`: the date in the computer's own short format."""
    match = TELEGRAM.fullmatch(line)
    if match is None or not plausible_name(match["name"]):
        return None
    stamp = read_stamp(match["stamp"])
    if stamp is None or stamp.numbers is None and (stamp.parsed is None or stamp.parsed.date is None):
        return None  # Telegram always copies a date: `Dana [6:02 PM]` is something else
    return Heading(match["name"], stamp)


def whatsapp_heading(line: str) -> Heading | None:
    """`[18:02, 12/03/2024] Dana: text`: name and text on the heading line."""
    match = WHATSAPP.match(line)
    if match is None:
        return None
    name, colon, text = match["rest"].partition(":")
    name = name.strip(BLANK)
    if not colon or not plausible_name(name) or (text and not text[:1].isspace()):
        return None
    shown = clock_of(match)
    if shown is None:
        return None
    numbers = int(match["first"]), int(match["second_part"]), int(match["third"])
    written = line[1 : match.start("rest")].rstrip(BLANK)[:-1]
    stamp = Stamp(written, numbers=numbers, year_first=len(match["first"]) == 4, dotted=match["sep"] == ".",
                  clock=shown)
    return Heading(name, stamp, text.strip(BLANK))


@dataclass(frozen=True)
class Shape:
    """One app's copy shape: its `Format:` name and how its headings read."""

    name: str
    app: str
    sample: str
    heading: Callable[[str], Heading | None]
    day_first: bool = True  # how an undecided `03/12/2024` reads
    continues: bool = False  # Slack: an unindented bare time line is the speaker's next message
    long_lines: bool = False  # WhatsApp: the text is on the heading line, so it may be long
    split_heading: bool = False  # Slack: a name line, then the time alone on an indented line
    replies: re.Pattern[str] | None = None  # Telegram: `[In reply to Dana]` under the heading


SHAPES: tuple[Shape, ...] = (
    Shape("slack-paste", "Slack", "Dana Okafor  6:02 PM", slack_heading, continues=True, split_heading=True),
    Shape("discord-paste", "Discord", "Dana — Today at 6:02 PM", discord_heading, day_first=False),
    Shape("teams-paste", "Microsoft Teams", "[6:02 PM] Dana Okafor", teams_heading, day_first=False),
    Shape("telegram-paste", "Telegram Desktop", "Dana Okafor, [12.03.2024 18:02]", telegram_heading,
          replies=TELEGRAM_REPLY),
    Shape("whatsapp-paste", "WhatsApp Web/Desktop", "[18:02, 12/03/2024] Dana: text", whatsapp_heading,
          long_lines=True),
)
PASTE_SHAPES: Mapping[str, Shape] = {shape.name: shape for shape in SHAPES}


def heading_at(shape: Shape, lines: Sequence[str], index: int) -> tuple[Heading | None, int]:
    """The heading at ``lines[index]`` and how many lines it takes, or (None, 0)."""
    line = lines[index]
    if (len(line) > MAX_HEADING and not shape.long_lines) or is_blank(line):
        return None, 0
    stripped = line.strip(BLANK)
    heading = shape.heading(stripped)
    if heading is not None:
        return heading, 1
    if shape.split_heading and index + 1 < len(lines):
        following = lines[index + 1]
        if (
            len(following) <= MAX_HEADING
            and following[:1] in BLANK + "\u00a0"
            and not is_blank(following)
            and plausible_name(stripped)
            and read_stamp(stripped) is None
            and (stamp := read_stamp(following.strip(BLANK).strip("[]"))) is not None
        ):
            return Heading(SLACK_STATUS.sub("", stripped) or stripped, stamp), 2
    return None, 0


def continuation_stamp(shape: Shape, line: str) -> Stamp | None:
    """Slack's `6:03` under a message: the same speaker's next message, at that time."""
    if not shape.continues or len(line) > MAX_HEADING or line[:1] in BLANK:
        return None
    return read_stamp(line.strip(BLANK).strip("[]"))


def detect(lines: Sequence[str], chat_speaker: Callable[[str], str | None]) -> Shape | None:
    """The paste shape of the first :data:`DETECT_LINES` lines, or None for our own.

    A shape wins with the most headings there, when it has at least as many
    as there are lines our own format reads as messages (``chat_speaker``
    names their speaker), so a `.chat` file with one odd line keeps reading
    as before.  Against two headings or more, only the lines of a name used
    twice count: `Note: bring water` once in a pasted message is its text,
    not a speaker of ours.
    """
    sample = lines[:DETECT_LINES]
    best, best_count = None, 0
    for shape in SHAPES:
        count = sum(1 for index in range(len(sample)) if heading_at(shape, sample, index)[0] is not None)
        if count > best_count:
            best, best_count = shape, count
    if best is None:
        return None
    names = [name.casefold() for line in sample if (name := chat_speaker(line)) is not None]
    if best_count > 1:
        used = Counter(names)
        names = [name for name in names if used[name] > 1]
    return best if best_count >= len(names) else None


# --- reading -----------------------------------------------------------------------------


def date_order(stamps: Sequence[Stamp], day_first: bool | None, default: bool) -> tuple[bool, bool]:
    """Whether numeric dates read day first, and whether the file left it open."""
    if day_first is not None:
        return day_first, False
    numeric = [stamp for stamp in stamps if stamp.numbers is not None and not stamp.year_first]
    if any(stamp.dotted for stamp in numeric):
        return True, False
    if any(stamp.numbers[0] > 12 for stamp in numeric if stamp.numbers):
        return True, False
    if any(stamp.numbers[1] > 12 for stamp in numeric if stamp.numbers):
        return False, False
    open_question = any(stamp.numbers and stamp.numbers[0] != stamp.numbers[1] for stamp in numeric)
    return default, open_question


def parsed(stamp: Stamp, day_first: bool) -> ParsedTime | None:
    """What a heading's time says, its numeric date read in the file's order; None: no real date."""
    if stamp.parsed is not None:
        return stamp.parsed
    assert stamp.numbers is not None and stamp.clock is not None
    first, second, third = stamp.numbers
    if stamp.year_first:
        year, month, day = first, second, third
    elif day_first:
        day, month, year = first, second, third
    else:
        month, day, year = first, second, third
    if year < 100:
        year += 2000
    try:
        return ParsedTime(stamp.clock, date=datetime.date(year, month, day))
    except ValueError:
        return None


def read_paste(
    lines: Sequence[str],
    shape: Shape,
    *,
    first_line: int = 0,
    declared: Sequence[str] = (),
    styles: Mapping[str, Mapping[str, str]] | None = None,
    day_first: bool | None = None,
) -> Conversation:
    """A paste's lines (below any header) in one shape, to an unlinked Conversation.

    Line numbers count from ``first_line`` + 1.  Declared speakers keep
    their spelling and style; names differing only in case or spacing are
    one speaker.
    """
    builder = ConversationBuilder(first_line=first_line)
    spelling = {squeeze(name).casefold(): name for name in declared}
    found: list[tuple[int, Heading | None, Stamp | None, str]] = []  # (index, heading, continuation, line)
    index = 0
    while index < len(lines):
        heading, taken = heading_at(shape, lines, index)
        if heading is not None:
            found.append((index, heading, None, ""))
            index += taken
            continue
        found.append((index, None, continuation_stamp(shape, lines[index]) if found else None, lines[index]))
        index += 1
    stamps = [h.stamp for _, h, _, _ in found if h is not None] + [c for _, _, c, _ in found if c is not None]
    order, open_question = date_order(stamps, day_first, shape.day_first)
    if open_question:
        builder.warn(
            1, f"the dates could be day/month or month/day; read as {'day' if order else 'month'} first "
            f"(give `Day-first: {'no' if order else 'yes'}` if they are not)",
        )
    current: Message | None = None
    narration_open = False
    for index, heading, continued, line in found:
        number = index + 1
        previous = current.parsed_time if current is not None else None
        previous_text = current.time_text if current is not None else ""
        if heading is None and continued is not None and current is not None:
            heading = Heading(current.speaker.name, continued)
        if heading is not None:
            name = squeeze(heading.name)
            current = builder.message(spelling.get(name.casefold(), name), heading.text, number,
                                      time_text=heading.stamp.text)
            current.parsed_time = parsed(heading.stamp, order)
            twelve_hour = previous_text[-1:] in ("m", "M", ".")
            if continued is not None and current.parsed_time is not None and previous is not None and twelve_hour:
                current.parsed_time = same_half_of_day(current.parsed_time, heading.stamp.text, previous)
            if current.parsed_time is None:
                builder.warn(number, f"{shorten(heading.stamp.text, 40)!r} is not a real date; the message "
                             "is kept without a time")
                current.time_text = ""
            narration_open = False
        elif is_blank(line):
            if current is not None:
                builder.unstamped("", number)
            narration_open = False
        elif current is not None or narration_open:
            builder.unstamped(line.rstrip(BLANK), number)
        else:
            builder.narration(line.rstrip(BLANK), number)
            narration_open = True
    conversation = builder.build()
    if shape.replies is not None:
        quote_replies(conversation, shape.replies, builder)
    for speaker in conversation.speakers:
        apply_style(speaker, (styles or {}).get(speaker.name, {}))
    return conversation


def quote_replies(conversation: Conversation, reply: re.Pattern[str], builder: ConversationBuilder) -> None:
    """A message's first line naming whom it answers (`[In reply to Dana]`) quotes that
    speaker's latest message above; with none in the paste, the line stays text."""
    latest: dict[str, Message] = {}
    for message in conversation.messages:
        first, _, rest = message.text.partition("\n")
        named = reply.fullmatch(first)
        target = latest.get(squeeze(named["name"]).casefold()) if named else None
        if target is not None:
            builder.quote(message, target)
            message.text = rest
        latest[message.speaker.name.casefold()] = message


def same_half_of_day(time: ParsedTime, written: str, previous: ParsedTime) -> ParsedTime:
    """Slack's `6:03` under `6:02 PM` is 6:03 PM: a bare 12-hour clock takes the
    earliest reading not before the time above it (am, else pm)."""
    if written[-1:].isdigit() and 1 <= time.clock.hour <= 12 and previous.clock.hour >= 12 > time.clock.hour:
        later = time.clock.replace(hour=time.clock.hour + 12)
        if later >= previous.clock:
            return replace(time, clock=later)
    return time


def squeeze(name: str) -> str:
    """A name with its runs of spaces as one: `Dana  Okafor` is `Dana Okafor`."""
    name = name.strip(BLANK)
    if "  " not in name and "\t" not in name and "\u00a0" not in name and "\u202f" not in name:
        return name  # most names: nothing to squeeze, and no regular expression
    return SPACES.sub(" ", name)
