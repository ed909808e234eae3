"""Telegram Desktop's JSON export (`result.json` of "Export chat history").

Rich-text entities become Markdown (bold, italic, code, links), replies
become quotes linked to the message they answer, service entries (group
created, member added, pinned …) become narration, and media are named.
"""

from __future__ import annotations

import datetime
from typing import Any

from ..model import ChatlogError, Conversation, Message
from .builder import ConversationBuilder
from .format import Format
from .json_export import JSON_SCALARS, EntryShapeError, field, read_messages
from .markup import code_span, escape_markdown, wrap

ENTITY_MARKERS = {"bold": "**", "italic": "*"}
MEDIA_KEYS = ("photo", "file", "sticker_emoji", "contact_information", "location_information", "poll")


def part_object(part) -> dict:
    if not isinstance(part, dict):
        raise EntryShapeError(f"a part of `text` is {type(part).__name__}")
    return part


def part_text(part) -> str:
    """A part of a rich `text`: a string, or an entity object with its text."""
    return part if isinstance(part, str) else str(part_object(part).get("text", ""))


def entity_markdown(part) -> str:
    if isinstance(part, str):
        return escape_markdown(part)
    kind, text = field(part_object(part), "type", str, ""), part_text(part)
    if kind in ENTITY_MARKERS:
        return wrap(ENTITY_MARKERS[kind], escape_markdown(text))
    if kind in ("code", "pre"):
        return code_span(text)
    if kind == "text_link":
        return f"[{escape_markdown(text)}]({part.get('href', '')})"
    if kind in ("link", "url", "email"):
        return text  # a bare address: it becomes a link by itself
    return escape_markdown(text)  # mentions, hashtags, spoilers, underline …


def message_markdown(entry: dict) -> str:
    value = field(entry, "text", (str, list), "")
    body = entity_markdown(value) if isinstance(value, str) else "".join(map(entity_markdown, value))
    for key in MEDIA_KEYS:
        if entry.get(key):
            kind = field(entry, "media_type", str, key).replace("_", " ")
            body += f"\n({escape_markdown(kind)}: {escape_markdown(str(entry[key]))})"
    return body


def describe_service(entry: dict) -> str:
    words = [str(entry.get("actor") or ""), str(entry.get("action", "")).replace("_", " ")]
    if entry.get("title"):
        words.append(f"“{entry['title']}”")
    words.append(", ".join(str(member) for member in field(entry, "members", list, [])))
    text = field(entry, "text", (str, list), "")
    words.append(text if isinstance(text, str) else "".join(map(part_text, text)))
    return " ".join(word for word in words if word)


def chat_of(data: Any, chat: str | None) -> dict:
    """A single chat's export, or the one named from a full-account export."""
    if isinstance(data, dict) and isinstance(data.get("messages"), list):
        return data
    chats = data.get("chats", {}).get("list", []) if isinstance(data, dict) else []
    names = [str(entry.get("name")) for entry in chats]
    for entry in chats:
        if chat is None and len(chats) == 1 or str(entry.get("name")) == chat:
            return entry
    raise ChatlogError(
        "not a Telegram chat export (no \"messages\")"
        + (f"; it holds several chats, name one of: {', '.join(names)}" if names else ""),
        line=1,
    )


def read(text: str, *, chat: str | None = None, first_line: int = 0, path: str | None = None) -> Conversation:
    """``chat`` names the chat to read from a full-account export."""

    def frame(data: Any) -> tuple[list, str | None]:
        found = chat_of(data, chat)
        return found["messages"], str(found["name"]) if found.get("name") else None

    return read_messages(text, "Telegram", frame, read_entry, first_line=first_line, path=path)


def read_entry(builder: ConversationBuilder, entry: dict, line: int, by_id: dict[object, Message]) -> None:
    stamp = str(entry.get("date", ""))
    try:
        when = datetime.datetime.fromisoformat(stamp)
    except ValueError:
        when = None
    time_text = stamp.replace("T", " ")
    if entry.get("type") != "message":
        builder.narration(f"{time_text} {describe_service(entry)}".strip(), line)
        return
    name = str(entry.get("from") or entry.get("from_id") or "Deleted account")
    reply_to, entry_id = field(entry, "reply_to_message_id", JSON_SCALARS), field(entry, "id", JSON_SCALARS)
    message = builder.message(name, message_markdown(entry), line, time=when, time_text=time_text)
    builder.reply(message, reply_to, by_id, line)
    by_id[entry_id] = message


FORMAT = Format(
    name="telegram",
    title="Telegram",
    suffixes=(".telegram.json",),
    read=read,
    options=("chat",),
    sample='{"name": "Bikes", "messages": [{"id": 1, "type": "message", "date": "2019-01-30T20:49:00", '
    '"from": "Jane Doe", "text": "hi"}]}',
    how_to_export="Telegram Desktop: open the chat → ⋮ → Export chat history → Format: "
    "Machine-readable JSON. Use the `result.json` it writes.",
)
