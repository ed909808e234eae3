"""Slack workspace exports: one channel's day file (`general/2019-01-30.json`)
or the whole channel folder, with names from the export's `users.json`.

Slack's mrkdwn becomes Markdown, `<https://…|label>` links and `<@U123>`
mentions are resolved, thread replies quote the message that started the
thread, joins/leaves/topic changes become narration, files become links.
Times are UTC.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from pathlib import Path

from ..model import ChatlogError, Conversation, Message
from .builder import ConversationBuilder
from .format import Format
from .json_export import (
    JSON_SCALARS,
    JsonLines,
    field,
    guarded_entry,
    load_json,
    objects,
    read_json_file,
    whole_export,
)
from .sources import SourceFolder

NARRATED_SUBTYPES = {
    "channel_join", "channel_leave", "channel_topic", "channel_purpose", "channel_name",
    "channel_archive", "channel_unarchive", "group_join", "group_leave", "pinned_item",
}
LINK = re.compile(r"<([^<>|]+)(?:\|([^<>]*))?>")
BOLD = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")


def mrkdwn(text: str, users: dict[str, str]) -> str:
    def link(match):
        target, label = match.group(1), match.group(2)
        if target.startswith("@"):
            return "@" + (label or users.get(target[1:], target[1:]))
        if target.startswith("#"):
            return "#" + (label or target[1:])
        if target.startswith("!"):
            return "@" + (label or target[1:].split("^")[0])
        return f"[{label}]({target})" if label else target

    text = BOLD.sub(r"**\1**", LINK.sub(link, text))
    # Slack escapes only these three; what they stand for is plain text to us
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def user_names(users) -> dict[str, str]:
    names = {}
    for user in users if isinstance(users, list) else []:
        profile = user.get("profile") or {}
        name = profile.get("real_name") or profile.get("display_name") or user.get("name")
        if name:
            names[user.get("id")] = str(name)
    return names


def author(entry: dict, users: dict[str, str]) -> str:
    profile = field(entry, "user_profile", dict, {})
    return str(
        users.get(field(entry, "user", JSON_SCALARS))
        or profile.get("real_name")
        or profile.get("display_name")
        or entry.get("username")
        or entry.get("user")
        or "Slack"
    )


def read(text: str, *, first_line: int = 0, path: str | None = None) -> Conversation:
    """One day file."""
    with whole_export("Slack"):
        entries = load_json(text, "Slack")
        if not isinstance(entries, list):
            raise ChatlogError("not a Slack day file: a list of messages was expected", line=1)
        return read_days([(entries, text, path)], {}, first_line=first_line)


def read_days(
    days: Sequence[tuple[list, str, str | None]], users: dict[str, str], *, first_line: int = 0
) -> Conversation:
    """Day files as (entries, their text, their path or None), in order.

    Threads cross days, so every day is read into one builder, which names
    the day file being read in its problems.
    """
    builder = ConversationBuilder(first_line=first_line)
    by_ts: dict[str, Message] = {}
    for entries, text, path in days:
        builder.path = path
        lines = JsonLines(text, "ts")
        for entry in entries:
            line = lines.of(str(entry.get("ts", ""))) if isinstance(entry, dict) else lines.line
            guarded_entry(builder, entry, line, "Slack", read_entry, users, by_ts)
    return builder.build()


def read_entry(
    builder: ConversationBuilder, entry: dict, line: int, users: dict[str, str], by_ts: dict[str, Message]
) -> None:
    ts = str(entry.get("ts", ""))
    try:
        # the part after the dot tells messages of one second apart, not time
        when = datetime.datetime.fromtimestamp(int(float(ts)), tz=datetime.timezone.utc).replace(tzinfo=None)
    except (ValueError, OverflowError, OSError):
        when = None
    time_text = when.strftime("%Y-%m-%d %H:%M") if when else ts
    name = author(entry, users)
    body = mrkdwn(str(entry.get("text", "")), users)
    if field(entry, "subtype", str) in NARRATED_SUBTYPES:
        builder.narration(f"{time_text} {body}", line)
        return
    for attached in objects(entry, "files"):
        title = attached.get("name") or attached.get("title") or "file"
        url = attached.get("url_private") or attached.get("permalink")
        body += f"\n[{title}]({url})" if url else f"\n({title})"
    message = builder.message(name, body, line, time=when, time_text=time_text)
    parent = field(entry, "thread_ts", JSON_SCALARS)
    if parent and parent != ts and parent in by_ts:
        builder.quote(message, by_ts[parent])
    by_ts[ts] = message


def read_folder(path: str, *, files: SourceFolder | None = None) -> Conversation:
    """A channel folder of day files; ``files`` confines what is read (default: its parent folder)."""
    with whole_export("Slack"):
        return read_channel(Path(path), files or SourceFolder(str(Path(path).parent)))


def read_channel(folder: Path, files: SourceFolder) -> Conversation:
    # Every file is read through `files`, so none outside its root is read.
    days = sorted(folder.glob("*.json"))
    if not days:
        raise ChatlogError(f"no Slack day files (*.json) in {folder}", line=None)
    # A users.json above the root (a channel folder that is the root itself)
    # is not the site's: it is left alone, not refused.
    users_file = next((candidate for candidate in (folder / "users.json", folder.parent / "users.json")
                       if files.holds(candidate.parent) and candidate.exists()), None)
    users = user_names(read_json_file(users_file, "Slack users.json", files.read_bytes)[0]) if users_file else {}
    loaded = []
    for day in days:
        if day.name in ("users.json", "channels.json"):
            continue
        entries, text = read_json_file(day, f"Slack day file {day.name}", files.read_bytes)
        if isinstance(entries, list):
            loaded.append((entries, text, str(day)))
        else:
            raise ChatlogError("not a Slack day file: a list of messages was expected", line=1, path=str(day))
    conversation = read_days(loaded, users)
    conversation.metadata.setdefault("title", f"#{folder.name}")
    return conversation


FORMAT = Format(
    name="slack",
    title="Slack",
    suffixes=(".slack.json",),
    read=read,
    read_folder=read_folder,
    sample='[{"type": "message", "user": "U1", "text": "hi <@U2>", "ts": "1548881340.000200"}]',
    how_to_export="Workspace admins: Settings & administration → Workspace settings → Import/Export "
    "Data → Export. Unzip it; each channel is a folder of day files, next to `users.json`.",
)
