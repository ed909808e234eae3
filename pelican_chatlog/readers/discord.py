"""DiscordChatExporter JSON exports (`--format Json`).

Replies become quotes linked to the message they answer, attachments
become links, and system messages (joins, pins, calls, threads) narration.
Times keep the offset's wall-clock time the export was written in.
"""

from __future__ import annotations

import datetime
import re

from typing import Any

from ..model import ChatlogError, Conversation, Message
from . import dialects
from .builder import ConversationBuilder
from .format import Format
from .json_export import JSON_SCALARS, field, objects, read_messages
from .markup import escape_markdown

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
    if kind not in SPOKEN_TYPES:
        builder.narration(f"{time_text} {name} {split_words(kind)} {body}".rstrip(), line)
        return
    for attached in objects(entry, "attachments"):
        title = escape_markdown(str(attached.get("fileName") or "attachment"))
        body += f"\n[{title}]({attached.get('url', '')})"
    for sticker in objects(entry, "stickers"):
        body += f"\n(sticker: {escape_markdown(str(sticker.get('name', '')))})"
    reply_to = field(field(entry, "reference", dict, {}), "messageId", JSON_SCALARS)
    entry_id = field(entry, "id", JSON_SCALARS)
    message = builder.message(name, body, line, time=when, time_text=time_text)
    builder.reply(message, reply_to, by_id, line)
    by_id[entry_id] = message


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
