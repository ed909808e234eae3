"""A Conversation back to our `.chat` format, so that reading it gives it again.

Every message gets its own time in brackets (`[2019-01-30 20:49] Jane: …`),
speakers are declared so any name reads back, quotes are written as
`Quoting` lines, and a body line that would read as something else (a time,
a message, a quote, an empty line) is kept with a leading backslash.  A name
that would not read back as written (`Bob (side: right)`, one holding a
line break or starting like a time) is written in double quotes, as a JSON
string; a quote that its text alone would not find names its message
(`(message 3)`).  The writer asks the reader's classifier, with the same
speakers declared, how each line it writes will be read, so what it writes is
what is read.
"""

from __future__ import annotations

import datetime
import json
import re
import unicodedata

from .link import loose
from .model import ATTACHMENT_KINDS, Conversation, Message, Narration, Quote, Speaker
from .readers.chat import (
    REACTION_COUNT,
    LineContext,
    MessageLine,
    QuoteLine,
    classify,
    escapes,
    escapes_in_quote,
    paste_shape,
)

# Characters a quoted name writes as escapes: line breaks of any kind and
# other controls, so that a name never ends its line, and lone surrogates,
# which UTF-8 cannot hold.
ESCAPED_CATEGORIES = {"Cc", "Zl", "Zp", "Cs"}
# A name written as is in `Speakers:` holds none of these.
SPEAKERS_SYNTAX = set(',;()"\\')
DEFAULT_TITLE = "Chat"  # for a chat without a title of its own


def written_time(time) -> str:
    """A time as our reader reads it back: ISO date, 24-hour clock, seconds when any."""
    spec = "seconds" if getattr(time, "second", 0) else "minutes"
    if isinstance(time, datetime.datetime):
        return time.replace(tzinfo=None).isoformat(" ", spec)
    if isinstance(time, datetime.time):
        return time.replace(tzinfo=None).isoformat(spec)
    return ""


def write_chat(
    conversation: Conversation, *, title: str | None = None, me: str | None = None, status: str | None = None
) -> str:
    """The conversation as `.chat` text; ``me`` names the speaker written as
    `Me:` (when one is called so), ``status`` is written as `Status:`
    (`convert` writes "draft", so a converted chat is reviewed before Pelican
    publishes it)."""
    speakers = all_speakers(conversation)
    names = [speaker.name for speaker in speakers]
    # The writer asks the classifier, with the same speakers declared, how each line will read.
    context = LineContext.of(names)
    lines = header_lines(conversation, names, title)
    owner = next((name for name in names if me and name.casefold() == me.casefold()), None)
    if owner is not None and one_line(owner) == owner.strip() == owner:
        lines.append(f"Me: {owner}")  # read back as the header's value, stripped, on one line
    if status:
        lines.append(f"Status: {one_line(status)}")
    header_end = len(lines)
    lines.append("")
    number_of = {id(message): number for number, message in enumerate(conversation.messages, start=1)}
    latest: dict[int, Message] = {}  # each speaker's latest message so far
    untimed = False  # whether a message without a time waits for a time line
    for item in conversation.items:
        if isinstance(item, Narration):
            lines.append("")
            lines.extend(escaped(context, item.text.split("\n")))
            lines.append("")
            continue
        for quote in item.quotes:
            lines.extend(quote_lines(context, quote, number_of, latest))
            if written_time(quote.time) and not untimed:
                lines.append(written_time(quote.time))  # a time line right after a quote stamps it
        lines.extend(message_lines(context, item))
        untimed = untimed or not written_time(item.time)
        latest[id(item.speaker)] = item
    if paste_shape(lines[header_end:], names, None) is not None:
        lines.insert(header_end, "Format: chat")  # lines that would read as a paste from an app: they are ours
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"


def all_speakers(conversation: Conversation) -> list[Speaker]:
    """The conversation's speakers, and any who only appear in its messages and quotes."""
    speakers = list(conversation.speakers)
    known = {id(speaker) for speaker in speakers}
    for message in conversation.messages:
        for speaker in (message.speaker, *(quote.speaker for quote in message.quotes)):
            if id(speaker) not in known:
                known.add(id(speaker))
                speakers.append(speaker)
    return speakers


def header_lines(conversation: Conversation, names: list[str], title: str | None) -> list[str]:
    """`Title` first, which makes the block a header whatever follows; one line per value."""
    title = one_line(title or conversation.metadata.get("title", "")) or DEFAULT_TITLE
    lines = [f"Title: {title}"]
    stamps = [s.time for m in conversation.messages for s in (*m.quotes, m) if written_time(s.time)]
    # A `Date` would give a day to times that have none, so only when the first time has one.
    if stamps and isinstance(stamps[0], datetime.datetime):
        spec = "seconds" if stamps[0].second else "minutes"
        lines.append(f"Date: {stamps[0].isoformat(' ', spec)}")
    if names:
        lines.append("Speakers: " + ", ".join(speaker_entry(name) for name in names))
    return lines


def one_line(value: str) -> str:
    """A header value: its lines joined by spaces, so it can neither end the header nor start the chat."""
    value = " ".join(part.strip() for part in value.splitlines() if part.strip())
    return value.replace("\x00", "\u2400")  # no text file holds NUL: shown as on the page


def quoted(name: str) -> str:
    """A name as a JSON string, any line break or control escaped."""
    return '"' + "".join(
        json.dumps(char)[1:-1] if char in '"\\' or unicodedata.category(char) in ESCAPED_CATEGORIES else char
        for char in name
    ) + '"'


def speaker_entry(name: str) -> str:
    plain = (
        name
        and name == name.strip()
        and not SPEAKERS_SYNTAX.intersection(name)
        and not any(unicodedata.category(char) in ESCAPED_CATEGORIES for char in name)
    )
    return name if plain else quoted(name)


def writable(name: str) -> bool:
    """Whether a name may be written as is in a line of the chat (its line still to be read back)."""
    return not any(unicodedata.category(char) in ESCAPED_CATEGORIES for char in name)


def quote_lines(
    context: LineContext, quote: Quote, number_of: dict[int, int], latest: dict[int, Message]
) -> list[str]:
    name = quote.speaker.name
    first, *more = quote.text.split("\n")
    target = quote.target
    reference = None
    # The reader finds a quote by its text in its speaker's latest messages;
    # unless the quote is all of the latest one, name the message.
    if target is not None and not (
        quote.speaker is target.speaker
        and latest.get(id(target.speaker)) is target
        and loose(quote.text).strip()
        and loose(quote.text) == loose(target.text)
    ):
        reference = number_of.get(id(target))
    after = f": “{first}”" + (f" (message {reference})" if reference else "")
    line = f"Quoting {name}{after}"
    if not (writable(name) and reads_as(context, line) == ("quote", name, first, reference)):
        line = f"Quoting {quoted(name)}{after}"
    return [line] + [quote_line(context, more_line) for more_line in more]


def quote_line(context: LineContext, text: str) -> str:
    if escapes_in_quote(text, context):
        return f"> \\{text}"
    return f"> {text}" if text else ">"


def message_lines(context: LineContext, message: Message) -> list[str]:
    name = message.speaker.name
    when = written_time(message.time)
    prefix = f"[{when}] " if when else ""
    first, *more = message.text.split("\n")
    after = f": {first}" if first else ":"
    line = f"{prefix}{name}{after}"
    if not (writable(name) and reads_as(context, line) == ("message", name, first, when)):
        line = f"{prefix}{quoted(name)}{after}"
    return [line, *escaped(context, more), *mark_lines(message)]


def mark_lines(message: Message) -> list[str]:
    """The lines under a message that say what else it has: `(forwarded from …)`,
    `[image: …]`, `(reactions: …)`, `(edited)`, `(deleted)` (see
    :func:`~.readers.chat.match_mark`).  Reactors' names read back exactly;
    elsewhere line breaks in names become spaces, and a file note holding
    ` | ` does not read back exactly."""
    lines = []
    if message.forwarded_from:
        lines.append(f"(forwarded from {single(message.forwarded_from)})")
    for attachment in message.attachments:
        kind = attachment.kind if attachment.kind in ATTACHMENT_KINDS else "file"
        name, file = single(attachment.name), single(attachment.file)
        if file or " | " in name:
            lines.append(f"[{kind}: {name} | {file}]")
        elif name:
            lines.append(f"[{kind}: {name}]")
        else:
            lines.append(f"[{kind}]")
    if message.reactions:
        groups = []
        for reaction in message.reactions:
            emoji = single(reaction.emoji).replace(" ", "") or "?"
            count = [str(reaction.count)] if reaction.count > len(reaction.who) else []
            who = ", ".join(reactor_entry(name) for name in reaction.who)
            groups.append(" ".join([emoji, *count, *([who] if who else [])]))
        lines.append(f"(reactions: {'; '.join(groups)})")
    if message.edited:
        lines.append("(edited)")
    if message.deleted:
        lines.append("(deleted)")
    return lines


def reactor_entry(name: str) -> str:
    """A name in a reaction line, in double quotes (a JSON string) when it
    would not read back as written: empty, with edge spaces, a `"` first, a
    `,` or `;` (`Smith, J.`), digits first (a count), or a line break."""
    plain = (
        name
        and name == name.strip()
        and not name.startswith('"')
        and "," not in name
        and ";" not in name
        and REACTION_COUNT.match(name) is None
        and writable(name)
    )
    return name if plain else quoted(name)


def single(text: str) -> str:
    """Text for one line: CR and LF (the only line ends) as spaces, NUL as the sign for it."""
    return text.replace("\r", " ").replace("\n", " ").replace("\x00", "\u2400")


def reads_as(context: LineContext, line: str) -> tuple | None:
    """What the line starts when read where the writer puts it, as the
    classifier decides: ("quote", name, text, message number),
    ("message", name, text, time) or None.

    The line may follow a quote, where a `> …` line would continue it: the
    writer asks as if one were open, so it never writes a line that reads
    as a message only when no quote is.
    """
    event = classify(line, context.with_quote_open())
    if isinstance(event, QuoteLine):
        return "quote", event.name, event.text, event.reference
    if isinstance(event, MessageLine):
        return "message", event.name, event.text, event.time_text
    return None


def escaped(context: LineContext, lines: list[str]) -> list[str]:
    """Lines under a message or a narration, each that would read as
    something else kept as text by a leading backslash."""
    return ["\\" + line if escapes(line, context) else line for line in lines]
