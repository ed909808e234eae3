"""Read our plain-text chat format into an unlinked Conversation.

Every source line ends up somewhere in the model: as a message or the line
under one, a quote, the time of a message or quote, or narration.  Lines are
classified one at a time; what a line means only depends on the lines above
it, so the reader is a single pass.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from ..colors import parse_hex
from ..model import (
    ChatlogError,
    Conversation,
    Message,
    Narration,
    Problem,
    Quote,
    Said,
    Speaker,
)
from ..timestamps import MONTHS, RELATIVE_DAYS, WEEKDAYS, ParsedTime, parse_time
from ..urls import check_image

# The metadata names Pelican and its common themes know.  Only a first line
# with one of these (or one of ours) opens a header, so `Dana: hi` never does.
PELICAN_KEYS = frozenset(
    """title date modified tags tag category slug author authors summary status
    lang translation template save_as url description keywords subtitle
    """.split()
)
CHAT_KEYS = frozenset({"speakers", "me", "timestamps", "format", "source", "day-first", "chat"})
HEADER_KEYS = PELICAN_KEYS | CHAT_KEYS
# A block opened by this key is a header whatever follows: the way to force one.
FORCING_KEY = "title"
# The only characters of a blank line or of a line's edges: str.strip() would
# also take \v, \f, U+001C–U+001F, U+0085 and U+2028, which are typed text.
BLANK = " \t"
TIMESTAMP_MODES = ("after", "before")

HEADER_LINE = re.compile(r"[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
HEADER_CONTINUATION = re.compile(r"(?: {4,}|\t)\s*(?P<value>\S.*)")
# A guessed speaker: up to three words of letters, digits, `_`, `.`, `-`.
# Several words must each start with a capital or digit ("Dr. Ada Lee"), so
# prose such as "The reason is simple: …" stays narration.
GUESSED_NAME = re.compile(r"[^\W_][\w.\-]*(?: [\w.\-]+){0,2}")
MAX_GUESSED_NAME = 40
MANY_SPEAKERS = 1000
QUOTING_PREFIX = re.compile(r"quoting[ \t]+", re.IGNORECASE)
ARROW_PREFIX = re.compile(r">[ \t]?")
MAX_QUOTED_NAME = 200
PREFIXED_TIME = re.compile(r"\[(?P<time>[^\]]{1,60})\][ \t]*(?P<rest>.*)")
_DAY_WORDS = "|".join(sorted({*WEEKDAYS, *MONTHS, *RELATIVE_DAYS}, key=len, reverse=True))
# What a time line that went wrong looks like ("Tue 13:02 PM", "Mon 25:00"),
# for a warning; prose with a time in it ("meet at 6:00") is not.
TIME_LIKE = re.compile(
    rf"\[?(?:(?:{_DAY_WORDS})\.?,?\s+|\d{{1,4}}[-/., ]\s*)*\d{{1,2}}:\d{{2}}(?::\d{{2}})?\s*(?:[ap]\.?\s?m\.?)?\]?",
    re.IGNORECASE | re.ASCII,
)
QUOTE_MARKS = "\"'“”‘’„«»"
# A name in double quotes, read as a JSON string: any name can be written so.
QUOTED_NAME = re.compile(r'"(?:[^"\\\n]|\\.)*"')
# `Quoting Dana: “…” (message 3)`: the quote is of the chat's third message.
QUOTE_REFERENCE = re.compile(r" \(message ([1-9][0-9]{0,8})\)\Z")
SPEAKER_OPTIONS_START = re.compile(r"\s*[A-Za-z]+\s*[:=]")
STYLE_OPTIONS = ("color", "side", "name", "avatar")
SIDES = ("left", "right")


def split_lines(text: str) -> list[str]:
    """Lines as an editor counts them: only CR, LF and CRLF end a line."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = re.split(r"\r\n|\r|\n", text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def is_blank(line: str) -> bool:
    """Only spaces and tabs are blank: str.isspace() would also count \\v, \\f,
    U+001C–U+001F, U+0085 and U+2028, which are typed text."""
    return not line.strip(BLANK)


@dataclass
class Header:
    values: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    end: int = 0  # index of the first line after the header
    problems: list[Problem] = field(default_factory=list)


def read_header(lines: list[str]) -> Header:
    """The leading ``Key: value`` block, when it cannot be chat.

    A block opened by `Title:` is always a header.  Any other block whose
    first key is one we know is a header unless it could be chat: one of its
    keys is no metadata name (`Editor:`), one speaks again below it, or its
    `Me:` names nobody who speaks.  Then it is chat, with a warning saying
    how to make it a header: nothing typed is lost into metadata.
    """
    header = Header()
    start = 0
    while start < len(lines) and is_blank(lines[start]):
        start += 1
    first = HEADER_LINE.fullmatch(lines[start]) if start < len(lines) else None
    if first is None or first["key"].lower() not in HEADER_KEYS:
        return header
    forced = first["key"].lower() == FORCING_KEY
    key, key_line = None, 0
    index = start
    while index < len(lines) and not is_blank(lines[index]):
        line_number = index + 1
        line = lines[index]
        continuation = HEADER_CONTINUATION.fullmatch(line)
        match = HEADER_LINE.fullmatch(line)
        if continuation and key is not None:
            if key in header.values and header.lines[key] == key_line:
                header.values[key] += "\n" + continuation["value"].strip()
        elif match:
            key, key_line = match["key"].lower(), line_number
            if key in header.values:
                header.problems.append(
                    Problem(
                        line_number,
                        f"duplicate header key `{match['key']}` (first given on line "
                        f"{header.lines[key]}); the first value is used",
                    )
                )
            else:
                header.values[key] = match["value"].strip()
                header.lines[key] = line_number
        elif forced:
            raise ChatlogError(
                f"header line is not `Key: value`: {_shorten(line)!r} "
                "(end the header with a blank line before the chat)",
                line=line_number,
            )
        else:
            return chat_not_header(start, f"line {line_number} is not `Key: value`")
        index += 1
    header.end = index
    if not forced and (reason := reads_as_chat(header, lines)):
        return chat_not_header(start, reason)
    return header


def reads_as_chat(header: Header, lines: list[str]) -> str | None:
    """Why a block of known-looking keys could be chat, or None."""
    for key, line in header.lines.items():
        if key not in HEADER_KEYS:
            return f"`{key_as_written(lines, line)}` is no header key"
    if "format" in header.values or "source" in header.values:
        return None  # an export follows, whose lines are not ours
    me = header.values.get("me", "").casefold()
    me_speaks = not me
    declared = declared_names(header)
    for number in range(header.end, len(lines)):
        name = speaking_name(lines[number])
        if name in header.lines and name not in declared:
            return f"`{key_as_written(lines, header.lines[name])}` speaks again on line {number + 1}"
        me_speaks = me_speaks or name == me
    if not me_speaks:
        return f"nobody called {_shorten(header.values['me'])!r} speaks below, so `Me` is a speaker"
    return None


def declared_names(header: Header) -> set[str]:
    """The casefolded names the block's `Speakers:` declares: a speaker
    called "Author" declared there is a speaker, and the block a header."""
    if "speakers" not in header.values:
        return set()
    try:
        return {name.casefold() for name in read_speakers(header.values["speakers"])}
    except ChatlogError:
        return set()  # reading the header says what is wrong with it


def speaking_name(line: str) -> str:
    """The casefolded name before the colon of a line that may be a message."""
    line = line.strip(BLANK)
    prefixed = PREFIXED_TIME.fullmatch(line)
    if prefixed:
        line = prefixed["rest"]
    return line.partition(":")[0].strip(BLANK).casefold()


def key_as_written(lines: list[str], line: int) -> str:
    return lines[line - 1].partition(":")[0].strip(BLANK)


def chat_not_header(start: int, reason: str) -> Header:
    return Header(
        problems=[
            Problem(
                start + 1,
                f"the opening lines are read as chat, not as a header ({reason}); "
                f"to make them a header, start it with a `Title:` line",
            )
        ]
    )


def separator_positions(text: str, separators: str):
    """Where text splits at one of separators: not inside parentheses, nor
    inside a quoted name opening a part (``"Smith, J." (side: right)``)."""
    depth, index, opening = 0, 0, True
    while index < len(text):
        char = text[index]
        if char == '"' and opening and depth <= 0 and (quoted := QUOTED_NAME.match(text, index)):
            index, opening = quoted.end(), False
            continue
        if char in separators and depth <= 0:
            yield index
            opening = True
        elif not char.isspace():
            opening = False
        depth += {"(": 1, ")": -1}.get(char, 0)
        index += 1


def split_outside_parentheses(text: str, separator: str) -> list[str]:
    parts, start = [], 0
    for index in separator_positions(text, separator):
        parts.append(text[start:index])
        start = index + 1
    parts.append(text[start:])
    return parts


def read_speakers(value: str, line: int | None = None) -> dict[str, dict[str, str]]:
    """``Dana (color: #b03a5b), Marcus_R`` to names, in order, with their styles.

    Names are separated by commas, by semicolons when there is one (as in
    Pelican's author lists), or one a line.  A name in double quotes may hold
    anything (see :func:`quoted_name`).
    """
    rows = value.split("\n")
    semicolons = (row[index] == ";" for row in rows for index in separator_positions(row, ",;"))
    separator = ";" if any(semicolons) else ","
    speakers: dict[str, dict[str, str]] = {}
    for row in rows:
        for part in split_outside_parentheses(row, separator):
            if not part.strip():
                continue
            name, inside = split_speaker_entry(part)
            options = {}
            for option in filter(str.strip, split_outside_parentheses(inside, ",")):
                key, colon, option_value = option.partition(":")
                if not colon:
                    key, colon, option_value = option.partition("=")
                if not colon:
                    raise ChatlogError(
                        f"`Speakers:` option {option.strip()!r} is not `key: value`", line=line
                    )
                options[key.strip().lower()] = option_value.strip()
            speakers[name] = speaker_style(options, f"`Speakers:` entry {name!r}", line)
    return speakers


def split_speaker_entry(entry: str) -> tuple[str, str]:
    """``Dana (color: #b03a5b)`` → ("Dana", "color: #b03a5b").

    Trailing parentheses hold options only when they start with `key:`, so
    a name such as ``Sam (work)`` stays whole; a quoted name is whole anyway:
    ``"Sam (work: phone)" (side: right)``.
    """
    entry = entry.strip()
    quoted = QUOTED_NAME.match(entry)
    name = quoted and quoted_name(quoted.group())
    if name is not None:
        rest = entry[quoted.end() :].strip()
        if not rest or (rest.startswith("(") and rest.endswith(")")):
            return name, rest[1:-1]
    if entry.endswith(")"):
        depth = 0
        for index in range(len(entry) - 1, -1, -1):
            depth += {")": 1, "(": -1}.get(entry[index], 0)
            if depth == 0:
                name, inside = entry[:index].strip(), entry[index + 1 : -1]
                if name and SPEAKER_OPTIONS_START.match(inside):
                    return name, inside
                break
    return entry, ""


def quoted_name(text: str) -> str | None:
    """``"Bob (side: right)"`` → "Bob (side: right)": a name in double quotes,
    read as a JSON string (``\\"`` a quote, ``\\\\`` a backslash, ``\\n`` a line
    break, ``\\u0007`` any character); None when it is not one."""
    try:
        return json.loads(text, strict=False)
    except ValueError:
        return None


def speaker_style(options: dict, where: str, line: int | None = None, *, trusted: bool = False) -> dict[str, str]:
    """Check an author's per-speaker style; colours must never carry CSS.

    ``trusted`` styles come from the site's settings: only their avatars may
    use Pelican's ``{static}`` syntax.
    """
    style = {}
    for key, value in options.items():
        if key not in STYLE_OPTIONS:
            raise ChatlogError(
                f"{where}: unknown option `{key}` (known: {', '.join(STYLE_OPTIONS)})", line=line
            )
        value = str(value).strip()
        if key == "color":
            try:
                parse_hex(value)
            except ValueError as error:
                raise ChatlogError(f"{where}: {error}", line=line) from None
        elif key == "side" and value.lower() not in SIDES:
            raise ChatlogError(f"{where}: side must be left or right, not {value!r}", line=line)
        elif key == "avatar":
            address = check_image(value, intrasite=trusted)
            if address.problem:
                raise ChatlogError(
                    f"{where}: avatar must be an http(s) or site URL, not {value!r}: {address.problem}", line=line
                )
            value = address.url
        style[key] = value.lower() if key == "side" else value
    return style


def header_option(header: Header, key: str, given, allowed=None):
    if given is not None:
        return given
    value = header.values.get(key)
    if value is None or allowed is None:
        return value
    if value.lower() not in allowed:
        raise ChatlogError(
            f"`{key.capitalize()}: {value}` must be one of {', '.join(allowed)}",
            line=header.lines[key],
        )
    return value.lower()


def read_chat_lines(
    lines: list[str],
    *,
    speakers: list[str] | None = None,
    me: str | None = None,
    timestamps: str | None = None,
) -> Conversation:
    """Lines from :func:`split_lines` to an unlinked Conversation; see :func:`pelican_chatlog.parse`."""
    if all(map(is_blank, lines)):
        raise ChatlogError("the file is empty: there is no chat to show", line=1)
    header = read_header(lines)
    if all(map(is_blank, lines[header.end :])):
        raise ChatlogError(
            "the header is not followed by any chat (leave one blank line after "
            "the header, then the messages)",
            line=header.end or 1,
        )
    styles = header_styles(header) if speakers is None else {}
    if speakers is None:
        speakers = list(styles)
    mode = header_option(header, "timestamps", timestamps, TIMESTAMP_MODES) or "after"
    if mode not in TIMESTAMP_MODES:
        raise ChatlogError(f"timestamps must be one of {', '.join(TIMESTAMP_MODES)}, not {mode!r}")
    body = BodyReader(speakers, mode, styles)
    conversation = body.read(lines, header.end)
    apply_header(conversation, header, me)
    return conversation


def header_styles(header: Header) -> dict[str, dict[str, str]]:
    if "speakers" not in header.values:
        return {}
    return read_speakers(header.values["speakers"], header.lines["speakers"])


def apply_header(conversation: Conversation, header: Header, me: str | None = None) -> None:
    """Metadata, header problems, and `Me:`, on a conversation read from the body."""
    conversation.metadata = {**conversation.metadata, **header.values}
    conversation.header_lines = dict(header.lines)
    conversation.problems[:0] = header.problems
    me = header_option(header, "me", me)
    if me:
        speaker = next((s for s in conversation.speakers if s.name.casefold() == me.casefold()), None)
        if speaker is None:
            conversation.problems.append(
                Problem(header.lines.get("me"), f"`Me: {me}` names nobody who speaks in this chat")
            )
        elif not speaker.side:
            speaker.side = "right"


def style_imported_speakers(conversation: Conversation, header: Header) -> None:
    """An import's `.chat` header may style speakers; it does not limit them."""
    styles = {name.casefold(): style for name, style in header_styles(header).items()}
    for speaker in conversation.speakers:
        apply_style(speaker, styles.get(speaker.name.casefold(), {}))


def apply_style(speaker: Speaker, style: dict[str, str]) -> None:
    """An author's choices, where nothing was chosen for the speaker yet."""
    speaker.color = speaker.color or style.get("color", "")
    speaker.side = speaker.side or style.get("side", "")
    speaker.display_name = speaker.display_name or style.get("name", "")
    speaker.avatar = speaker.avatar or style.get("avatar", "")


class BodyReader:
    """One pass over the chat lines, keeping what a line may attach to."""

    def __init__(self, declared: list[str], mode: str, styles: dict[str, dict[str, str]]):
        self.declared = {name.casefold() for name in declared}
        self.declared_with_colon = sorted((name for name in self.declared if ":" in name), key=len, reverse=True)
        # only a declared name can make a line that starts with a backslash special; see is_special
        self.longest_backslash_name = max((len(name) for name in self.declared if name.startswith("\\")), default=0)
        self.problems: list[Problem] = []  # before the speakers: over MANY_SPEAKERS of them is a problem
        self.speakers: dict[str, Speaker] = {}
        for name in declared:
            apply_style(self.speaker(name), styles.get(name, {}))
        self.after = mode == "after"
        self.items: list = []
        self.messages: list[Message] = []  # what `Quoting … (message N)` counts
        self.unstamped: list[Message] = []  # waiting for a time line below them
        self.pending_quotes: list[tuple[int, Quote]] = []  # waiting for their reply
        self.current_time = ""  # in `before` mode: the time stamping what follows
        self.current_parsed: ParsedTime | None = None
        self.current_time_line = 0
        self.current_time_used = True
        self.open_message: Message | None = None
        self.open_quote: Quote | None = None
        self.open_narration: Narration | None = None

    def speaker(self, name: str, number: int | None = None) -> Speaker:
        key = name.casefold()
        if key not in self.speakers:
            self.speakers[key] = Speaker(name=name)
            if len(self.speakers) == MANY_SPEAKERS + 1:
                self.problems.append(
                    Problem(
                        number,
                        f"more than {MANY_SPEAKERS:,} speakers, the latest {_shorten(name)!r}: is this "
                        "really a chat? Colours repeat; names still tell speakers apart",
                    )
                )
        return self.speakers[key]

    def read(self, lines: list[str], start: int) -> Conversation:
        self.continued: dict[int, tuple[Said | Narration, list[str]]] = {}
        for index in range(start, len(lines)):
            self.read_line(lines[index].rstrip(BLANK), index + 1)
        for item, item_lines in self.continued.values():
            item.text = "\n".join(item_lines)
        self.finish()
        return Conversation(
            items=self.items, speakers=list(self.speakers.values()), problems=self.problems
        )

    def read_line(self, line: str, number: int) -> None:
        if is_blank(line):
            self.open_message = self.open_quote = self.open_narration = None
            return
        stripped = line.strip(BLANK)
        if stripped.startswith("\\") and self.is_special(stripped[1:]):
            self.plain_line(stripped[1:], number, escaped=True)  # see write.py
        elif (parsed := parse_time(stripped)) is not None:
            self.time_line(stripped, parsed, number)
        elif self.open_quote is not None and (kept := self.escaped_quote_line(stripped)) is not None:
            self.continue_text(self.open_quote, kept)
        elif quoted := self.match_quote(stripped, number):
            self.close_open()
            name, text, reference = quoted
            quote = Quote(speaker=self.speaker(name, number), text=_unquote(text), line=number)
            if reference is not None:
                self.refer(quote, reference)
            self.pending_quotes.append((len(self.items), quote))
            self.open_quote = quote
            if not self.after:
                self.stamp_from_current(quote)
        elif self.open_quote is not None and (arrow := ARROW_PREFIX.match(stripped)):
            self.continue_text(self.open_quote, stripped[arrow.end() :])
        elif said := self.match_message(stripped, number):
            self.close_open()
            time_text, parsed, name, text = said
            message = Message(self.speaker(name, number), text, number)
            if time_text:
                stamp(message, time_text, parsed)
            self.add_message(message)
        else:
            self.plain_line(line, number)

    def is_special(self, line: str) -> bool:
        """Whether a line would be read as anything but text under a message.

        A line under a message that starts with a backslash followed by such
        a line is that text, without the backslash: how a writer keeps
        "18:02" or "Dana: hi" inside a message body.
        """
        return self.special_after_backslashes(line, self.reads_as_more)

    def reads_as_more(self, stripped: str) -> bool:
        return (
            not stripped
            or parse_time(stripped) is not None
            or self.match_quote(stripped) is not None
            or (self.open_quote is not None and ARROW_PREFIX.match(stripped) is not None)
            or self.match_message(stripped) is not None
        )

    def is_quote_special(self, line: str) -> bool:
        """Whether ``> line`` under a quote would be read as anything but more of it.

        `> \\` followed by such a line is that line in the quote: how a writer
        keeps "Dana: hi" inside a quote of several lines.
        """
        return self.special_after_backslashes(line, lambda stripped: self.match_quote("> " + stripped) is not None)

    def escaped_quote_line(self, stripped: str) -> str | None:
        """The text of a `> \\…` line kept in the open quote by its backslash, or None."""
        arrow = ARROW_PREFIX.match(stripped)
        if arrow is None or not stripped.startswith("\\", arrow.end()):
            return None
        rest = stripped[arrow.end() + 1 :]
        return rest if self.is_quote_special(rest) else None

    def special_after_backslashes(self, line: str, special) -> bool:
        """Whether special(line), or special(what follows any of its leading backslashes).

        Backslashes nest: `\\\\18:02` keeps "\\18:02".  One pass over them, so
        a line of a million costs no more than reading it: a text that starts
        with a backslash is special only as the line of a declared name that
        starts with one, and such a name ends no further than the longest of
        them before the first colon.
        """
        text = line.strip(BLANK)
        starts = [0]
        while text.startswith("\\", starts[-1]):
            after = starts[-1] + 1
            while after < len(text) and text[after] in BLANK:
                after += 1
            starts.append(after)
        if special(text[starts[-1] :]):
            return True
        colon = text.find(":", starts[-1])
        if len(starts) == 1 or not self.longest_backslash_name or colon < 0:
            return False
        end = colon
        while text[end - 1].isspace():
            end -= 1
        return any(special(text[start:]) for start in starts[:-1] if end - start <= self.longest_backslash_name)

    def plain_line(self, line: str, number: int, *, escaped: bool = False) -> None:
        # a line escaped with a backslash is text on purpose: no warning that it looks like a time
        if not escaped and TIME_LIKE.fullmatch(line.strip(BLANK)):
            self.problems.append(
                Problem(number, f"{line.strip(BLANK)!r} looks like a time but cannot be read; kept as text")
            )
        if self.open_message is not None:
            self.continue_text(self.open_message, line)
        elif self.open_narration is not None:
            self.continue_text(self.open_narration, line)
        else:
            self.close_open()
            self.open_narration = Narration(text=line, line=number)
            self.items.append(self.open_narration)

    def continue_text(self, item: Said | Narration, line: str) -> None:
        """A line under an item.  Its lines are joined once, when reading ends:
        adding each to a growing text would copy all of it every time."""
        known = self.continued.get(id(item))
        if known is None:
            known = self.continued[id(item)] = (item, [item.text])
        known[1].append(line)

    def close_open(self) -> None:
        self.open_message = self.open_quote = self.open_narration = None

    def time_line(self, text: str, parsed: ParsedTime, number: int) -> None:
        self.close_open()
        if not self.after:
            self.drop_unused_time()
            self.current_time, self.current_parsed = text, parsed
            self.current_time_line, self.current_time_used = number, False
            return
        stamped = bool(self.unstamped)
        for message in self.unstamped:
            stamp(message, text, parsed)
        self.unstamped = []
        if self.pending_quotes and not self.pending_quotes[-1][1].time_text:
            stamp(self.pending_quotes[-1][1], text, parsed)
            stamped = True
        if not stamped:
            self.unused_time(text, number)

    def drop_unused_time(self) -> None:
        if not self.current_time_used:
            self.unused_time(self.current_time, self.current_time_line)

    def unused_time(self, text: str, number: int) -> None:
        self.items.append(Narration(text=text, line=number))
        self.problems.append(Problem(number, f"time line {text!r} stamps no message; kept as text"))

    def stamp_from_current(self, stamped) -> None:
        if self.current_time:
            stamp(stamped, self.current_time, self.current_parsed)
            self.current_time_used = True

    def match_quote(self, line: str, number: int | None = None) -> tuple[str, str, int | None] | None:
        """(name, text, number of the message quoted, if given) of a quote line, or None.

        `Quoting Dana: “…”` names anyone; `> Dana: …` only a speaker's name.
        """
        quoting = QUOTING_PREFIX.match(line)
        prefix = quoting or ARROW_PREFIX.match(line)
        if prefix is None:
            return None
        name, colon, text = self.split_speaker(line[prefix.end() :])
        declared = name.casefold() in self.declared  # declared names may be of any length, even empty
        if not colon or (not declared and (not name or len(name) > MAX_QUOTED_NAME)):
            return None
        if not quoting and (not text[:1].isspace() or not self.is_speaker_name(name, number)):
            return None
        reference = QUOTE_REFERENCE.search(text) if quoting and text.endswith(")") else None
        if reference and text[: reference.start()].rstrip(".,!?")[-1:] in tuple(QUOTE_MARKS):
            return name, text[: reference.start()], int(reference[1])
        return name, text, None

    def refer(self, quote: Quote, number: int) -> None:
        """`(message N)`: the quote is of the chat's Nth message, found by number, not text."""
        if number <= len(self.messages):
            quote.target = self.messages[number - 1]
        else:
            self.problems.append(
                Problem(quote.line, f"a quote of message {number}, which does not come before it; "
                        "looked for by its text instead")
            )

    def match_message(self, line: str, number: int | None = None):
        """(time as written, what it says, name, text) of a message line, or None.

        Warnings are only given with a line number.
        """
        time_text, parsed = "", None
        prefixed = PREFIXED_TIME.fullmatch(line)
        if prefixed and (parsed := parse_time(prefixed["time"])) is not None:
            time_text, line = prefixed["time"].strip(), prefixed["rest"]
        name, colon, text = self.split_speaker(line)
        if not colon or (text and not text[0].isspace()):
            return None  # `https://…` or `6:02` are not a name and a message
        text = text.strip(BLANK)
        if not self.is_speaker_name(name, number):
            return None
        if not text and name.casefold() not in self.speakers:
            return None
        return time_text, parsed, name, text

    def split_speaker(self, line: str) -> tuple[str, str, str]:
        """Name, colon, text: after a declared name in quotes (``"Bob (x)": hi``),
        after a declared name holding a colon, or at the first colon."""
        quoted = QUOTED_NAME.match(line) if line.startswith('"') else None
        if quoted and line.startswith(":", quoted.end()):
            name = quoted_name(quoted.group())
            if name is not None and name.casefold() in self.declared:
                return name, ":", line[quoted.end() + 1 :]
        for name in self.declared_with_colon:
            if line[: len(name) + 1].casefold() == name + ":":
                return line[: len(name)], ":", line[len(name) + 1 :]
        name, colon, text = line.partition(":")
        return name.strip(BLANK), colon, text

    def is_speaker_name(self, name: str, number: int | None = None) -> bool:
        if name.casefold() in self.declared:
            return True
        guessed = (
            len(name) <= MAX_GUESSED_NAME
            and GUESSED_NAME.fullmatch(name) is not None
            and (" " not in name or all(word[0].isupper() or word[0].isdigit() for word in name.split()))
        )
        if guessed and self.declared:
            if number is not None:
                self.problems.append(
                    Problem(number, f"{_shorten(name)!r} is not in `Speakers:`; the line is kept as text")
                )
            return False
        if not guessed and number is not None and len(name) > MAX_GUESSED_NAME and GUESSED_NAME.fullmatch(name):
            self.problems.append(
                Problem(
                    number,
                    f"a name of {len(name)} characters is too long to be guessed as a speaker "
                    f"(over {MAX_GUESSED_NAME}); the line is kept as text. Declare it in `Speakers:` "
                    "if it is one",
                )
            )
        return guessed

    def add_message(self, message: Message) -> None:
        message.quotes = [quote for _, quote in self.pending_quotes]
        self.pending_quotes = []
        self.messages.append(message)
        if not message.time_text:
            if self.after:
                self.unstamped.append(message)
            else:
                self.stamp_from_current(message)
        self.items.append(message)
        self.open_message = message

    def finish(self) -> None:
        if not self.after:
            self.drop_unused_time()
        # A quote nobody replied to is still text of the source: keep it where it stood.
        for position, quote in reversed(self.pending_quotes):
            text = f"Quoting {quote.speaker.name}: “{quote.text}”"
            if quote.time_text:
                text += "\n" + quote.time_text
            self.items.insert(position, Narration(text=text, line=quote.line))
            self.problems.append(Problem(quote.line, "quote is followed by no message; kept as text"))
        self.pending_quotes = []


def stamp(said: Said, time_text: str, parsed: ParsedTime) -> None:
    """The time as written, and what it says; the linker puts it on a calendar."""
    said.time_text = time_text
    said.time = parsed


def _unquote(text: str) -> str:
    text = text.strip(BLANK)
    if len(text) >= 2 and text[0] in QUOTE_MARKS and text[-1] in QUOTE_MARKS + ".,!?":
        end = len(text) - 1
        while end > 0 and text[end] in ".,!?":
            end -= 1
        if text[end] in QUOTE_MARKS and end > 0:
            return text[1:end] + text[end + 1 :]
    return text


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
