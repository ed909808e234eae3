"""Telegram Desktop's JSON export (`result.json` of "Export chat history").

Rich-text entities become Markdown (bold, italic, strikethrough, underline,
spoiler, code, a `pre` of several lines as a fenced block in its language,
blockquote, links; a mention as the name it shows), replies
become quotes linked to the message they answer, service entries become
narration in words ("Dana added Bob", "Dana pinned a message"), photos and
files become attachments (named by `file_name` or their path's end; the path
kept as a note, never read), `reactions` reactions with their `count` and
the names in their `recent` lists, `edited` and `forwarded_from` marks; a
sticker a sticker attachment named by its emoji; other media are named: a poll with its answers and votes, a location by its
place and coordinates.  A sender whose account is gone
(`"from": null`) is "Deleted Account", as Telegram shows it.  Times are the
export's wall clock; an entry with only `date_unixtime` is read as UTC.
"""

from __future__ import annotations

import datetime
from typing import Any

from ..syntax import FENCE_OPEN, LITERAL
from ..model import Attachment, ChatlogError, Conversation, Message, Reaction
from .builder import ConversationBuilder
from .dialects import LANGUAGE
from .format import Format
from .json_export import JSON_SCALARS, EntryShapeError, field, read_messages
from .kinds import one_line
from .markup import code_span, escape_markdown, wrap

ENTITY_MARKERS = {"bold": "**", "italic": "*"}
OUR_MARKERS = {"strikethrough": "~~", "underline": "++", "spoiler": "||"}  # see inline.py
PAID = {"paid": "⭐"}  # a reaction paid in Telegram Stars, shown as a star
FILE_KEYS = ("photo", "file")  # a path, or "(File not included. …)"
DELETED = "Deleted Account"  # what Telegram shows for a sender whose account is gone
# Service entries as Telegram's own apps word them; {actor}, {members}, {title} … filled in.
ACTIONS = {
    "create_group": "{actor} created the group “{title}”",
    "create_channel": "{actor} created the channel “{title}”",
    "edit_group_title": "{actor} changed the group name to “{title}”",
    "edit_group_photo": "{actor} changed the group photo",
    "delete_group_photo": "{actor} removed the group photo",
    "invite_members": "{actor} added {members}",
    "remove_members": "{actor} removed {members}",
    "join_group_by_link": "{actor} joined the group via invite link",
    "join_group_by_request": "{actor} joined the group by request",
    "migrate_to_supergroup": "{actor} upgraded the group to a supergroup",
    "migrate_from_group": "{actor} upgraded the group “{title}” to a supergroup",
    "pin_message": "{actor} pinned a message",
    "clear_history": "{actor} cleared the history",
    "score_in_game": "{actor} scored {score} in a game",
    "phone_call": "{actor} called",
    "group_call": "{actor} started a video chat",
    "group_call_scheduled": "{actor} scheduled a video chat",
    "invite_to_group_call": "{actor} invited {members} to the video chat",
    "take_screenshot": "{actor} took a screenshot",
    "joined_telegram": "{actor} joined Telegram",
    "set_messages_ttl": "{actor} set messages to auto-delete after {period} seconds",
    "edit_chat_theme": "{actor} changed the chat theme to {emoticon}",
    "topic_created": "{actor} created the topic “{title}”",
    "topic_edit": "{actor} edited the topic",
    "send_payment": "{actor} sent a payment of {amount} {currency}",
    "send_premium_gift": "{actor} gifted Telegram Premium",
    "suggest_profile_photo": "{actor} suggested a profile photo",
    "set_chat_wallpaper": "{actor} set a new chat wallpaper",
    "set_same_chat_wallpaper": "{actor} set the same chat wallpaper",
    "requested_phone_number": "{actor} asked for a phone number",
    "proximity_reached": "{from} is now within {distance} m of {to}",
}
# the same person added or removed themselves
SELF_ACTIONS = {"invite_members": "{actor} joined the group", "remove_members": "{actor} left the group"}
CALL_ENDS = {"missed": "missed", "busy": "busy", "hangup": "hung up", "disconnect": "disconnected"}


def part_object(part) -> dict:
    if not isinstance(part, dict):
        raise EntryShapeError(f"a part of `text` is {type(part).__name__}")
    return part


def part_text(part) -> str:
    """A part of a rich `text`: a string, or an entity object with its text."""
    return part if isinstance(part, str) else str(part_object(part).get("text", ""))


def entity_markdown(part, before: str = "", after: str = "") -> str:
    """One part of a rich `text` as our Markdown; ``before`` and ``after`` are
    the characters of the text beside it, which decide whether our marks can
    hold (they count only outside a word)."""
    if isinstance(part, str):
        return escape_markdown(part)
    kind, text = field(part_object(part), "type", str, ""), part_text(part)
    if kind in ENTITY_MARKERS:
        return wrap(ENTITY_MARKERS[kind], escape_markdown(text))
    if kind in OUR_MARKERS:
        marker = OUR_MARKERS[kind]
        if _in_word(before) or _in_word(after) or marker[0] in text:
            return escape_markdown(text)  # no mark would hold there: the text as Telegram shows it, unmarked
        # our marks end at a line's end: each line marked alone
        return "\n".join(wrap(marker, escape_markdown(line)) for line in text.split("\n"))
    if kind == "blockquote":
        return "\n".join("> " + escape_markdown(line) if line else ">" for line in text.split("\n"))
    if kind == "pre" and "\n" in text.strip("\n"):
        return fenced(text, str(part.get("language") or ""))
    if kind in ("code", "pre"):
        return code_span(text)
    if kind == "text_link":
        return f"[{escape_markdown(text)}]({part.get('href', '')})"
    if kind in ("link", "url", "email"):
        return text  # a bare address: it becomes a link by itself
    return escape_markdown(text)  # mentions (mention_name: the name shown), hashtags, custom emoji …


def _in_word(character: str) -> bool:
    return character.isalnum() or character == "_"


def fenced(code: str, language: str) -> str:
    """A `pre` block of several lines as a fenced block, named by its language when it is one word.

    A code line that is a fence itself would end the block: then the code
    is a code span, as Telegram's one-line `pre` is.
    """
    lines = code.strip("\n").split("\n")
    if any(FENCE_OPEN.match(line) for line in lines):
        return code_span(code)
    language = language if LANGUAGE.match(language) else ""
    return "\n".join([f"```{language}", *lines, "```"])


def rich_text(parts: list) -> str:
    """A rich `text` list as our Markdown: a block quote or a fenced block on lines of its own."""
    texts = [part_text(part) for part in parts]
    out: list[str] = []
    line_start = True  # whether what is written so far ends a line
    for index, part in enumerate(parts):
        before = texts[index - 1][-1:] if index else ""
        after = texts[index + 1][:1] if index + 1 < len(parts) else ""
        markdown = entity_markdown(part, before, after)
        if markdown.startswith("[") and out and out[-1].endswith("!") and not out[-1].endswith(LITERAL + "!"):
            # `wow!` before a text link would make it an image's syntax, which is refused
            out[-1] = out[-1][:-1] + LITERAL + "!"
        if markdown.startswith((">", "```")) and not isinstance(part, str):
            markdown = ("" if line_start else "\n") + markdown + ("" if after in ("", "\n") else "\n")
        if markdown:  # an empty part (`""`, an entity with no text) would hide a `!` from the next link
            out.append(markdown)
        line_start = markdown.endswith("\n") if markdown else line_start
    return "".join(out)


def message_markdown(entry: dict) -> str:
    value = field(entry, "text", (str, list), "")
    body = entity_markdown(value) if isinstance(value, str) else rich_text(value)
    media = media_lines(entry)
    return "\n".join(([body] if body else []) + media) if media else body


def plural(count: object, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def media_lines(entry: dict) -> list[str]:
    """What a message holds besides its text, in words: one line a thing."""
    lines = []
    if "poll" in entry:
        lines += poll_lines(field(entry, "poll", dict, {}))
    if "location_information" in entry or "place_name" in entry:
        lines.append(location_line(entry))
    if "contact_information" in entry:
        contact = field(entry, "contact_information", dict, {})
        name = " ".join(str(contact.get(key) or "") for key in ("first_name", "last_name")).strip()
        words = [part for part in (name, str(contact.get("phone_number") or "")) if part]
        lines.append(escape_markdown("Contact: " + ", ".join(words)))
    return lines


# media_type (or the key the file is under) to our kinds of attachment
MEDIA_KINDS = {
    "photo": "image", "video_file": "video", "video_message": "video", "animation": "video",
    "voice_message": "audio", "audio_file": "audio",
}


def attachments(entry: dict) -> list[Attachment]:
    """A message's photo or file, named by `file_name` or the end of its path;
    the path (when the export holds the file) kept as a note, never read."""
    if "sticker_emoji" in entry or field(entry, "media_type", str, "") == "sticker":
        # a sticker, named by the emoji it stands for, as the other apps' stickers
        path = one_line(str(field(entry, "file", JSON_SCALARS, "") or ""))
        emoji = one_line(str(field(entry, "sticker_emoji", JSON_SCALARS, "") or ""))
        return [Attachment(emoji, "sticker", "" if path.startswith("(") else path)]
    found = []
    for key in FILE_KEYS:
        if entry.get(key):
            path = str(field(entry, key, JSON_SCALARS))
            included = not path.startswith("(")  # "(File not included. …)"
            name = str(field(entry, "file_name", JSON_SCALARS, "") or "") if key == "file" else ""
            name = name or (path.replace("\\", "/").rsplit("/", 1)[-1] if included else "")
            kind = MEDIA_KINDS.get(field(entry, "media_type", str, "") or key, "file")
            found.append(Attachment(name, kind, path if included else ""))
    return found


def reactions(entry: dict) -> list[Reaction]:
    """`reactions`: each emoji (or custom emoji) with its `count` and the names in its `recent` list."""
    found = []
    for reaction in field(entry, "reactions", list, []):
        if not isinstance(reaction, dict):
            continue
        kind = reaction.get("type")
        emoji = str(reaction.get("emoji") or reaction.get("document_id") or PAID.get(str(kind)) or kind or "?")
        recent = reaction.get("recent")
        listed = recent if isinstance(recent, list) else []
        who = [person(item.get("from")) for item in listed if isinstance(item, dict)]
        # `recent` names a few of them; `count` is how many
        found.append(Reaction(emoji, who, field(reaction, "count", int, 0)))
    return found


def poll_lines(poll: dict) -> list[str]:
    """A poll: its question, then each answer with its votes."""
    state = ["closed"] if poll.get("closed") is True else []
    if poll.get("total_voters") is not None:
        state.append(plural(poll["total_voters"], "voter"))
    lines = [f"Poll: {poll.get('question', '')}" + (f" ({', '.join(state)})" if state else "")]
    for answer in field(poll, "answers", list, []):
        if not isinstance(answer, dict):
            raise EntryShapeError(f"a poll answer is {type(answer).__name__}")
        chosen = " (my vote)" if answer.get("chosen") is True else ""
        lines.append(f"• {answer.get('text', '')} — {plural(answer.get('voters', 0), 'vote')}{chosen}")
    return [escape_markdown(line) for line in lines]


def location_line(entry: dict) -> str:
    """A shared location or place: its name and address, and its coordinates."""
    point = field(entry, "location_information", dict, {})
    place = ", ".join(str(entry[key]) for key in ("place_name", "address") if entry.get(key))
    where = (f"{point.get('latitude')}, {point.get('longitude')}"
             if "latitude" in point and "longitude" in point else "")
    live = "Live location" if entry.get("live_location_period_seconds") else "Location"
    shown = f"{place} ({where})" if place and where else place or where
    return escape_markdown(f"{live}: {shown}" if shown else live)


def person(value) -> str:
    """A name as the export gives it: null is a deleted account."""
    return DELETED if value is None or value == "" else str(value)


def describe_service(entry: dict) -> str:
    """A service entry in words: "Dana added Bob", "Dana pinned a message"."""
    action = str(entry.get("action", ""))
    actor = person(entry.get("actor")) if "actor" in entry or "actor_id" in entry else ""
    members = [person(member) for member in field(entry, "members", list, [])]
    text = field(entry, "text", (str, list), "")
    text = text if isinstance(text, str) else "".join(map(part_text, text))
    if not action:  # a custom action, or an entry this export does not support
        if entry.get("information_text"):  # a custom action says it all
            return " ".join(word for word in (str(entry["information_text"]), text) if word)
        said = text or ("(a message this export does not support)" if entry.get("type") == "unsupported" else "")
        return " ".join(word for word in (actor, said) if word)
    template = ACTIONS.get(action)
    if action in SELF_ACTIONS and members == [actor]:
        template = SELF_ACTIONS[action]
    words: list[str]
    if template is None:  # an action Telegram added since: its name in words
        words = [actor, action.replace("_", " ")]
        if entry.get("title"):
            words.append(f"“{entry['title']}”")
        words.append(", ".join(members))
    else:
        values = {key: str(value) for key, value in entry.items() if isinstance(value, JSON_SCALARS)}
        values.update(actor=actor, members=listed(members), title=str(entry.get("title") or ""),
                      **{"from": person(entry.get("from")), "to": person(entry.get("to"))})
        words = [template.format_map(Missing(values)).strip()]
        if action == "phone_call":
            words.append(call_details(entry))
        if action == "join_group_by_link" and "inviter" in entry:
            words.append(f"from {person(entry['inviter'])}")
    words.append(text)
    return " ".join(word for word in words if word)


class Missing(dict):
    """Values for an action's words; a value the entry lacks reads as nothing."""

    def __missing__(self, key: str) -> str:
        return ""


def listed(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def call_details(entry: dict) -> str:
    said = []
    seconds = entry.get("duration_seconds")
    if isinstance(seconds, int) and not isinstance(seconds, bool):
        minutes, rest = divmod(seconds, 60)
        said.append(f"{minutes} min {rest} s" if minutes else f"{rest} s")
    reason = CALL_ENDS.get(str(entry.get("discard_reason", "")))
    if reason and not (reason == "hung up" and said):
        said.append(reason)
    return f"({', '.join(said)})" if said else ""


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


def entry_time(entry: dict) -> tuple[datetime.datetime | None, str]:
    """An entry's time and how it is shown.

    `date` is the wall-clock time of the machine that exported the chat
    (Telegram writes no offset); an entry with only `date_unixtime` (seconds
    since 1970, as some tools trim exports) is shown in UTC, the only clock
    it names.
    """
    stamp = entry.get("date")
    if isinstance(stamp, str) and stamp:
        try:
            return datetime.datetime.fromisoformat(stamp).replace(tzinfo=None), stamp.replace("T", " ")
        except ValueError:
            return None, stamp.replace("T", " ")
    seconds = entry.get("date_unixtime")
    if isinstance(seconds, (str, int)) and not isinstance(seconds, bool):
        try:
            when = datetime.datetime.fromtimestamp(int(seconds), tz=datetime.timezone.utc).replace(tzinfo=None)
        except (ValueError, OverflowError, OSError):
            return None, str(seconds)
        return when, when.strftime("%Y-%m-%d %H:%M:%S")
    return None, "" if stamp is None else str(stamp)


def read_entry(builder: ConversationBuilder, entry: dict, line: int, by_id: dict[object, Message]) -> None:
    when, time_text = entry_time(entry)
    if when is None and entry.get("type") in ("message", "service"):
        builder.warn(line, "an entry with no time Telegram writes (`date` or `date_unixtime`); shown without one")
    if entry.get("type") != "message":
        builder.narration(f"{time_text} {describe_service(entry)}".strip(), line)
        return
    name = person(entry.get("from"))
    reply_to, entry_id = field(entry, "reply_to_message_id", JSON_SCALARS), field(entry, "id", JSON_SCALARS)
    message = builder.message(name, message_markdown(entry), line, time=when, time_text=time_text)
    message.attachments = attachments(entry)
    message.reactions = reactions(entry)
    message.edited = bool(entry.get("edited") or entry.get("edited_unixtime"))
    forwarded = entry.get("forwarded_from")
    message.forwarded_from = person(forwarded) if forwarded is not None else ""
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
