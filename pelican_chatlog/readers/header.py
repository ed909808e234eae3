"""The `.chat` header: the leading ``Key: value`` block, read in one place.

A block is a header only when it cannot be chat (see :func:`read_header`),
so nothing an author typed as chat is lost into metadata.  Its values are
read through :class:`Header`'s typed accessors, which name the header line
in their errors; :func:`apply_header` puts what the header says on a
conversation read from the lines below it.  Turning the metadata into
Pelican's types is the Pelican reader's job (pelican_plugin.py).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..model import ChatlogError, Conversation, Problem
from .lines import BLANK, is_blank, shorten
from .speakers import apply_style, read_speakers

# The metadata names Pelican and its common themes know.  Only a first line
# with one of these (or one of ours) opens a header, so `Dana: hi` never does.
PELICAN_KEYS = frozenset(
    """title date modified tags tag category slug author authors summary status
    lang translation template save_as url description keywords subtitle
    """.split()
)
# `Redact:` and `Mask:` are privacy.py's: never Pelican metadata, the terms are the secret
CHAT_KEYS = frozenset({"speakers", "me", "timestamps", "format", "source", "day-first", "chat", "redact", "mask"})
HEADER_KEYS = PELICAN_KEYS | CHAT_KEYS
# A block opened by this key is a header whatever follows: the way to force one.
FORCING_KEY = "title"
# A block with a `Redact:` line is a header too: read as chat, its terms would be published as a
# message ("Redact: Zeller Street"), and nothing redacted
SECRET_KEY = "redact"
YES = frozenset({"yes", "true", "1", "on"})
NO = frozenset({"no", "false", "0", "off"})

HEADER_LINE = re.compile(r"[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
HEADER_CONTINUATION = re.compile(r"(?: {4,}|\t)\s*(?P<value>\S.*)")
# A message's leading `[time]`, as the chat below the header writes it
# (readers/chat.py reads messages with it too).
PREFIXED_TIME = re.compile(r"\[(?P<time>[^\]]{1,60})\][ \t]*(?P<rest>.*)")


@dataclass
class Header:
    values: dict[str, str] = field(default_factory=dict)  # by lower-case key
    lines: dict[str, int] = field(default_factory=dict)  # the line number of each key
    end: int = 0  # index of the first line after the header
    problems: list[Problem] = field(default_factory=list)

    def choice(self, key: str, allowed: Sequence[str]) -> str | None:
        """The value of ``key`` in lower case, which must be one of ``allowed``; None when not given."""
        value = self.values.get(key)
        if value is None:
            return None
        if value.lower() not in allowed:
            raise ChatlogError(
                f"`{key.capitalize()}: {value}` must be one of {', '.join(allowed)}",
                line=self.lines[key],
            )
        return value.lower()

    def yes_no(self, key: str) -> bool | None:
        """`yes`/`no` (or true/false, 1/0, on/off) as a bool; None when not given."""
        value = self.values.get(key)
        if value is None:
            return None
        value = value.strip().lower()
        if value not in YES | NO:
            raise ChatlogError(f"`{key.capitalize()}:` must be yes or no", line=self.lines[key])
        return value in YES

    def speaker_styles(self) -> dict[str, dict[str, str]]:
        """`Speakers:` read: each declared name, in order, with its checked style."""
        if "speakers" not in self.values:
            return {}
        return read_speakers(self.values["speakers"], self.lines["speakers"])


def read_header(lines: Sequence[str], *, first_line: int = 0) -> Header:
    """The leading ``Key: value`` block, when it cannot be chat.

    A block opened by `Title:` is always a header.  Any other block whose
    first key is one we know is a header unless it could be chat: one of its
    keys is no metadata name (`Editor:`), one speaks again below it, or its
    `Me:` names nobody who speaks.  Then it is chat, with a warning saying
    how to make it a header: nothing typed is lost into metadata.

    Line numbers count from ``first_line`` + 1: the lines may start inside
    a bigger file.
    """
    header = Header()
    start = 0
    while start < len(lines) and is_blank(lines[start]):
        start += 1
    first = HEADER_LINE.fullmatch(lines[start]) if start < len(lines) else None
    if first is None or first["key"].lower() not in HEADER_KEYS:
        return header
    forced = first["key"].lower() == FORCING_KEY or any(
        (line_key := HEADER_LINE.fullmatch(line)) and line_key["key"].lower() == SECRET_KEY
        for line in itertools.takewhile(lambda line: not is_blank(line), lines[start:])
    )
    key, key_line = None, 0
    index = start
    while index < len(lines) and not is_blank(lines[index]):
        line_number = first_line + index + 1
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
                f"header line is not `Key: value`: {shorten(line)!r} "
                "(end the header with a blank line before the chat)",
                line=line_number,
            )
        else:
            return chat_not_header(first_line + start, f"line {line_number} is not `Key: value`")
        index += 1
    header.end = index
    if not forced and (reason := reads_as_chat(header, lines, first_line)):
        return chat_not_header(first_line + start, reason)
    return header


def reads_as_chat(header: Header, lines: Sequence[str], first_line: int = 0) -> str | None:
    """Why a block of known-looking keys could be chat, or None."""

    def as_written(number: int) -> str:
        return lines[number - first_line - 1].partition(":")[0].strip(BLANK)

    for key, number in header.lines.items():
        if key not in HEADER_KEYS:
            return f"`{as_written(number)}` is no header key"
    if "format" in header.values or "source" in header.values:
        return None  # an export follows, whose lines are not ours
    me = header.values.get("me", "").casefold()
    me_speaks = not me
    declared = declared_names(header)
    for index in range(header.end, len(lines)):
        name = speaking_name(lines[index])
        if name in header.lines and name not in declared:
            return f"`{as_written(header.lines[name])}` speaks again on line {first_line + index + 1}"
        me_speaks = me_speaks or name == me
    if not me_speaks:
        return f"nobody called {shorten(header.values['me'])!r} speaks below, so `Me` is a speaker"
    return None


def declared_names(header: Header) -> set[str]:
    """The casefolded names the block's `Speakers:` declares: a speaker
    called "Author" declared there is a speaker, and the block a header."""
    try:
        return {name.casefold() for name in header.speaker_styles()}
    except ChatlogError:
        return set()  # reading the header says what is wrong with it


def speaking_name(line: str) -> str:
    """The casefolded name before the colon of a line that may be a message."""
    line = line.strip(BLANK)
    prefixed = PREFIXED_TIME.fullmatch(line)
    if prefixed:
        line = prefixed["rest"]
    return line.partition(":")[0].strip(BLANK).casefold()


def chat_not_header(start_line: int, reason: str) -> Header:
    """No header: the block from line ``start_line`` + 1 on is chat, and a warning says why."""
    return Header(
        problems=[
            Problem(
                start_line + 1,
                f"the opening lines are read as chat, not as a header ({reason}); "
                f"to make them a header, start it with a `Title:` line",
            )
        ]
    )


def apply_header(conversation: Conversation, header: Header, me: str | None = None) -> None:
    """Metadata, header problems, and `Me:` (or ``me``, which overrides it),
    on a conversation read from the lines below the header."""
    conversation.metadata = {**conversation.metadata, **header.values}
    conversation.header_lines = dict(header.lines)
    conversation.problems[:0] = header.problems
    if me is None:
        me = header.values.get("me")
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
    styles = {name.casefold(): style for name, style in header.speaker_styles().items()}
    for speaker in conversation.speakers:
        apply_style(speaker, styles.get(speaker.name.casefold(), {}))
