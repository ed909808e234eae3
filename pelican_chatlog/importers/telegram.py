"""Telegram Desktop's JSON export (`result.json` of "Export chat history").

Rich-text entities become Markdown (bold, italic, code, links), replies
become quotes linked to the message they answer, service entries (group
created, member added, pinned …) become narration, and media are named.
"""

from __future__ import annotations

import datetime

from ..model import ChatlogError
from . import (
    ConversationBuilder,
    Format,
    JsonLines,
    code_span,
    escape_markdown,
    load_json,
    register,
    whole_export,
    wrap,
)

ENTITY_MARKERS = {"bold": "**", "italic": "*"}
MEDIA_KEYS = ("photo", "file", "sticker_emoji", "contact_information", "location_information", "poll")


def entity_markdown(part) -> str:
    if isinstance(part, str):
        return escape_markdown(part)
    kind, text = part.get("type"), str(part.get("text", ""))
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
    value = entry.get("text", "")
    body = entity_markdown(value) if isinstance(value, str) else "".join(map(entity_markdown, value))
    for key in MEDIA_KEYS:
        if entry.get(key):
            kind = entry.get("media_type", key).replace("_", " ")
            body += f"\n({escape_markdown(kind)}: {escape_markdown(str(entry[key]))})"
    return body


def describe_service(entry: dict) -> str:
    words = [str(entry.get("actor") or ""), str(entry.get("action", "")).replace("_", " ")]
    if entry.get("title"):
        words.append(f"“{entry['title']}”")
    if entry.get("members"):
        words.append(", ".join(str(member) for member in entry["members"]))
    if entry.get("text"):
        words.append(str(entry["text"]) if isinstance(entry["text"], str) else "".join(
            part if isinstance(part, str) else str(part.get("text", "")) for part in entry["text"]
        ))
    return " ".join(word for word in words if word)


def chat_of(data, chat: str | None):
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


@whole_export("Telegram")
def read(text: str, *, chat: str | None = None, **_options):
    data = chat_of(load_json(text, "Telegram"), chat)
    builder = ConversationBuilder()
    if data.get("name"):
        builder.metadata["title"] = str(data["name"])
    lines = JsonLines(text, "id")
    by_id = {}
    for entry in data["messages"]:
        line = lines.of(entry.get("id") if isinstance(entry, dict) else None)
        builder.entry(entry, line, "Telegram", read_entry, by_id)
    return builder.build()


def read_entry(builder: ConversationBuilder, entry: dict, line: int, by_id: dict) -> None:
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
    message = builder.message(name, message_markdown(entry), line, time=when, time_text=time_text)
    builder.reply(message, entry.get("reply_to_message_id"), by_id, line)
    by_id[entry.get("id")] = message


register(
    Format(
        name="telegram",
        title="Telegram",
        suffixes=(".telegram.json",),
        read=read,
        sample='{"name": "Bikes", "messages": [{"id": 1, "type": "message", "date": "2019-01-30T20:49:00", '
        '"from": "Jane Doe", "text": "hi"}]}',
        how_to_export="Telegram Desktop: open the chat → ⋮ → Export chat history → Format: "
        "Machine-readable JSON. Use the `result.json` it writes.",
    )
)
