"""Signal conversations exported as text (signal-export and similar tools).

    [2019-12-24, 12:23] Jane Doe: Hello
    [2019-12-24 12:24:05] Bob: Hi!

A reply is written by signal-export as a `>` block under its stamp (the
quoted message's text, without its sender), then the reply's own text:

    [2019-12-24 12:25:00] Bob:

    > Hello

    Hi again

Under a message's text signal-export writes its reactions as one line,
`(- Aya: 👍, Ben: ❤️ -)`, a sticker without its file as `(( 😀 ))`, and
appends each attachment to the last line as a Markdown link to its copy,
`![photo.jpg](./media/photo.jpg)  ` (`!` for an image), a sticker with its
file as `[😀](../exported_stickers/…)  `; a deleted message is
`(This message was deleted)`.  These become the model's reactions,
attachments (the path kept as a note, never read) and deleted mark.

A reply's block becomes a quote of the latest earlier message saying it (the
linker's loose comparison, among the last QUOTE_LOOK_BACK_MESSAGES
messages); a block no earlier message says stays text, with a warning.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from ..model import Attachment, Conversation, Message, Quote, Reaction
from ..quoting import QUOTE_LOOK_BACK_CHARACTERS, QUOTE_LOOK_BACK_MESSAGES, loose
from ..timestamps import clock
from .builder import ConversationBuilder, Stamp, tidy
from .format import Format
from .kinds import kind_of_name, one_line
from .lines import is_blank, split_lines

STAMPED = re.compile(
    r"\[(?P<date>\d{4}-\d{2}-\d{2}),?[ T](?P<clock>\d{1,2}:\d{2}(?::\d{2})?)\][ \t](?P<rest>.*)"
)
# `![photo.jpg](./media/photo.jpg)  `: an attachment appended to the last line
ATTACHED = re.compile(r"(!?)\[([^\[\]\n]*)\]\((\.\.?/[^()\n]*)\) *")
REACTIONS = re.compile(r"\(- (.+) -\)")
STICKER = re.compile(r"\(\( (.*) \)\)")
DELETED = "(This message was deleted)"
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
    replies: list[Reply] = []
    reply: Reply | None = None  # the reply whose `>` block is being read
    waiting: Message | None = None  # a message with nothing yet after its name: a block may follow
    for number, line in enumerate(lines, start=1):
        stamp = stamp_of(line)
        if reply is not None and stamp is None and line.startswith(">"):
            reply.lines.append(line)
            continue
        reply = None
        if waiting is not None and stamp is None and line.startswith(">"):
            reply = Reply(waiting, number, [line])
            replies.append(reply)
            waiting = None
            continue
        if stamp is None:
            builder.unstamped(line, number)
            waiting = waiting if is_blank(line) else None
            continue
        count = len(builder.items)
        if stamp.when is None:
            builder.bad_stamp(line, number, stamp.written)
        else:
            builder.stamped(NAME_AND_TEXT.fullmatch(stamp.rest), stamp.rest, number, stamp.when, stamp.time_text)
        added = builder.items[count:]
        waiting = added[0] if added and isinstance(added[0], Message) and is_blank(added[0].text) else None
    conversation = builder.build()
    for message in conversation.messages:
        carried(message)
    quote_replies(conversation, replies, builder)
    return conversation


def carried(message: Message) -> None:
    """Attachments, a sticker, reactions and deletion, read off the end of a message's text."""
    if message.text == DELETED:
        message.text, message.deleted = "", True
        return
    *lines, last = message.text.split("\n")
    attachments: list[Attachment] = []
    end = len(last)
    matches = list(ATTACHED.finditer(last))
    while matches and matches[-1].end() == end:  # the links that end the line, last first
        match = matches.pop()
        attachments.append(attached(match))
        end = match.start()
    attachments.reverse()
    last = last[:end].rstrip()
    # each on a line of its own under the text; with no text, the text's
    # empty line is gone (tidied), so the line may be the first
    sticker = STICKER.fullmatch(last)
    if sticker:
        attachments.insert(0, Attachment(one_line(sticker[1]), "sticker"))
        last = lines.pop() if lines else ""
    reactions = REACTIONS.fullmatch(last)
    if reactions:
        message.reactions = reactions_of(reactions[1])
        last = lines.pop() if lines else ""
    if attachments or reactions or sticker:
        message.text = tidy("\n".join([*lines, last]))
        message.attachments = attachments


def attached(match: re.Match[str]) -> Attachment:
    name, path = one_line(match[2]), one_line(match[3])
    if "exported_stickers/" in path:
        return Attachment(name, "sticker", path)
    kind = kind_of_name(path) if kind_of_name(path) != "file" else kind_of_name(name)
    return Attachment(name, "image" if match[1] else kind, path)


def reactions_of(text: str) -> list[Reaction]:
    """`Aya: 👍, Ben: ❤️, Cem: 👍`: one reaction per emoji, with who put it, in order."""
    found: dict[str, Reaction] = {}
    for part in text.split(", "):
        name, colon, emoji = part.rpartition(": ")
        emoji = emoji.strip().replace(" ", "") or "?"
        reaction = found.setdefault(emoji, Reaction(emoji))
        if colon and name.strip():
            reaction.who.append(one_line(name))
    return list(found.values())


@dataclass
class Reply:
    """A message and the `>` lines signal-export wrote above its text: what it replies to."""

    message: Message
    line: int  # of the first `>` line, in the export
    lines: list[str]

    @property
    def quoted(self) -> str:
        return "\n".join(line[2:] if line.startswith("> ") else line[1:] for line in self.lines)


def quote_replies(conversation: Conversation, replies: list[Reply], builder: ConversationBuilder) -> None:
    """Each reply's block becomes a quote of the latest earlier message saying
    it, found as the linker finds quotes (so the linker links it); a block no
    earlier message says is put back in the reply's text."""
    messages = conversation.messages  # a list made afresh on each call: once, not once a reply
    position = {id(message): index for index, message in enumerate(messages)}
    compared: dict[int, str] = {}
    for reply in replies:
        message, needle = reply.message, loose(reply.quoted)
        found, left = None, QUOTE_LOOK_BACK_CHARACTERS
        earlier = messages[max(0, position[id(message)] - QUOTE_LOOK_BACK_MESSAGES):position[id(message)]]
        for candidate in reversed(earlier if needle.strip() else []):
            text = compared.get(id(candidate))
            if text is None:
                text = compared[id(candidate)] = loose(candidate.text)
            left -= len(text) + 1
            if left < 0:
                break
            if needle in text:
                found = candidate
                break
        if found is not None:
            message.own("quotes").append(Quote(found.speaker, tidy(reply.quoted), reply.line + builder.first_line))
        else:
            builder.warn(reply.line, f"a reply quoting “{reply.quoted[:60]}”, which no earlier message says; "
                                     "kept as text")
            message.text = tidy("\n".join(reply.lines) + (f"\n\n{message.text}" if message.text else ""))


FORMAT = Format(
    name="signal",
    title="Signal",
    suffixes=(".signal.txt",),
    read=read,
    sample="[2019-12-24, 12:23] Jane Doe: Hello",
    how_to_export="Signal Desktop has no text export of its own: use signal-export "
    "(`sigexport --no-html`, then `chat.md`/`.txt`), whose lines look like the sample.",
)
