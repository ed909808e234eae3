"""DiscordChatExporter JSON exports (`--format Json`).

Replies become quotes linked to the message they answer (a reply to a
message not in the export, deleted, costs a warning); attachments become
attachments (kind by the file name's extension, the url or the `--media`
path kept as a note, never a link), stickers sticker attachments,
`reactions` reactions (a custom emoji as `:name:`, with their `count` and the names in
`users` when the export lists them), `timestampEdited` the edited mark, and
each embed a line of text under the body: its title linked to its url, and
its description.  A forward (`reference.type` "Forward") carries its
`forwardedMessage`'s text, files and embeds; it is forwarded from the
author of the message it forwards when the export holds that message (DCE
writes no author for it), and then its text is the body, else a `>` quote.
System messages (joins, pins, calls with how long they
lasted, threads) are narration.
Times keep the offset's wall-clock time the export was written in.
"""

from __future__ import annotations

import datetime
import re

from typing import Any

from ..model import Attachment, ChatlogError, Conversation, Message, Reaction
from . import dialects
from .builder import ConversationBuilder
from .format import Format
from .json_export import JSON_SCALARS, field, objects, read_messages
from .kinds import kind_of_name, last_part, one_line
from .markup import escape_markdown, with_forwarded

SPOKEN_TYPES = {"Default", "Reply", "0", "19"}
FRACTION = re.compile(r"(\.\d{6})\d+")


def parse_timestamp(stamp: str) -> datetime.datetime | None:
    # .NET writes seven fractional digits and Z; Python wants at most six and
    # +00:00. The fraction is then dropped: times are shown to the second.
    stamp = FRACTION.sub(r"\1", stamp.replace("Z", "+00:00"))
    try:
        return datetime.datetime.fromisoformat(stamp).replace(tzinfo=None, microsecond=0)
    except ValueError:
        return None


def split_words(kind: str) -> str:
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", kind).lower()


def read(text: str, *, first_line: int = 0, path: str | None = None) -> Conversation:
    return read_messages(text, "DiscordChatExporter", frame, read_entry, first_line=first_line, path=path)


def frame(data: Any) -> tuple[list, str | None]:
    """The entries and the channel's name."""
    if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
        raise ChatlogError('not a DiscordChatExporter export (no "messages")', line=1)
    channel = data.get("channel") or {}
    return data["messages"], f"#{channel['name']}" if channel.get("name") else None


def read_entry(builder: ConversationBuilder, entry: dict, line: int, by_id: dict[object, Message]) -> None:
    stamp = str(entry.get("timestamp", ""))
    when = parse_timestamp(stamp)
    time_text = when.strftime("%Y-%m-%d %H:%M") if when else stamp
    person = field(entry, "author", dict, {})
    name = str(person.get("nickname") or person.get("name") or "Deleted User")
    body = dialects.discord(str(entry.get("content", "")))
    kind = str(entry.get("type", "Default"))
    if kind == "Call":
        builder.narration(f"{time_text} {name} called{call_length(when, entry)}", line)
        return
    if kind not in SPOKEN_TYPES:
        builder.narration(f"{time_text} {name} {split_words(kind)} {body}".rstrip(), line)
        return
    body = "\n".join([body, *embed_lines(entry)])
    reference = field(entry, "reference", dict, {})
    reply_to = field(reference, "messageId", JSON_SCALARS)
    forwarded = field(entry, "forwardedMessage", dict, {}) if field(reference, "type", str) == "Forward" else None
    original = by_id.get(reply_to) if forwarded is not None else None
    if forwarded is not None:
        said = "\n".join([dialects.discord(str(forwarded.get("content", ""))), *embed_lines(forwarded)])
        body = with_forwarded(body.strip(), [said.strip()], as_quote=original is None)
    entry_id = field(entry, "id", JSON_SCALARS)
    message = builder.message(name, body, line, time=when, time_text=time_text)
    message.attachments = attachments(entry) + (attachments(forwarded) if forwarded is not None else [])
    message.reactions = reactions(entry)
    message.edited = bool(entry.get("timestampEdited"))
    if forwarded is not None:  # its reference names the message it forwards, not one it answers
        message.forwarded_from = original.speaker.name if original is not None else ""
    else:
        builder.reply(message, reply_to, by_id, line)
    by_id[entry_id] = message


def call_length(started: datetime.datetime | None, entry: dict) -> str:
    """How long a call lasted, " (12 min 0 s)", from `callEndedTimestamp`; "" when unknown."""
    ended = parse_timestamp(str(entry.get("callEndedTimestamp") or ""))
    if started is None or ended is None or ended < started:
        return ""
    minutes, seconds = divmod(int((ended - started).total_seconds()), 60)
    return f" ({minutes} min {seconds} s)" if minutes else f" ({seconds} s)"


def attachments(entry: dict) -> list[Attachment]:
    """Attached files and stickers.  With `--media` the url is a path on the
    exporting machine (`media/tool-5A1B.png`, `C:\\Users\\…`): either way it is
    kept as a note, never a link or a path read."""
    found = []
    for attached in objects(entry, "attachments"):
        where = one_line(str(field(attached, "url", JSON_SCALARS, "") or ""))
        name = one_line(str(field(attached, "fileName", JSON_SCALARS, "") or "")) or last_part(where) or "attachment"
        found.append(Attachment(name, kind_of_name(name), where))
    for sticker in objects(entry, "stickers"):
        found.append(Attachment(one_line(str(field(sticker, "name", JSON_SCALARS, "") or "")), "sticker",
                                one_line(str(field(sticker, "sourceUrl", JSON_SCALARS, "") or ""))))
    return found


def reactions(entry: dict) -> list[Reaction]:
    """Each emoji (a custom one, which has an id, as `:name:`), with who put
    it there when the export lists `users`."""
    found = []
    for reaction in objects(entry, "reactions"):
        emoji = field(reaction, "emoji", dict, {})
        name = one_line(str(field(emoji, "name", JSON_SCALARS, "") or "")).replace(" ", "") or "?"
        if field(emoji, "id", JSON_SCALARS) and not name.startswith(":"):  # a standard emoji has "id": ""
            name = f":{name}:"
        who = [
            one_line(str(user.get("nickname") or user.get("name") or "Deleted User"))
            for user in objects(reaction, "users")
        ]
        found.append(Reaction(name, who, field(reaction, "count", int, 0)))  # `users` may list fewer, or none
    return found


def embed_lines(entry: dict) -> list[str]:
    """An embed (a link preview, a bot's card) as lines of the body: its title
    linked to its url (which the page links only when it is safe), then its
    description."""
    lines = []
    for embed in objects(entry, "embeds"):
        title = " ".join(str(field(embed, "title", JSON_SCALARS, "") or "").split())
        url = str(field(embed, "url", JSON_SCALARS, "") or "").strip()
        if url and not any(char.isspace() or char in "<>()" for char in url):
            lines.append(f"[{escape_markdown(title or url)}]({url})")
        elif title or url:
            lines.append(escape_markdown(title or url))
        description = str(field(embed, "description", JSON_SCALARS, "") or "").strip()
        if description:
            lines.append(description)
    return lines


FORMAT = Format(
    name="discord",
    title="Discord",
    suffixes=(".discord.json",),
    read=read,
    sample='{"channel": {"name": "general"}, "messages": [{"id": "1", "type": "Default", '
    '"timestamp": "2020-01-01T12:00:00+00:00", "author": {"name": "jane"}, "content": "hi"}]}',
    how_to_export="DiscordChatExporter (GUI or CLI): export the channel with format JSON "
    "(`DiscordChatExporter.Cli export -c CHANNEL -f Json`).",
)
