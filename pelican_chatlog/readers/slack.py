"""Slack workspace exports: one channel's day file (`general/2019-01-30.json`)
or the whole channel folder, with names from the export's `users.json`.

Slack's mrkdwn becomes Markdown, `<https://…|label>` links and mentions
(`<@U123>` → @Jane Doe, `<#C1|general>` → #general, `<!here>` → @here,
`<!subteam^S1|@team>` → @team) are resolved, an integration's post reads
as its attachments' text, thread replies quote the message that started the
thread, joins/leaves/topic changes become narration, `files` become
attachments (kind by `mimetype`; noted by where slackdump saved the file
beside the export, else by `url_private`, never a link), `reactions` reactions (a common `:shortcode:` as its emoji, any
other kept as `:name:`, with its `count` and the names of its `users`), `edited` the edited
mark, a deleted thread parent (`"subtype": "tombstone"`) the deleted mark, and a link's preview under a message a line with its title linked.
A shared message (an attachment with `is_share` or `is_msg_unfurl`) is
forwarded from its author: its text is the body, or a `>` quote under the
sharer's own words.
A day file read alone takes its names from the workspace's `users.json`
one folder up, when that is inside the folder it may read, else from its
messages' own `user_profile`s.  Times are UTC.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from pathlib import Path

from ..model import Attachment, ChatlogError, Conversation, Message, Reaction
from ..syntax import LITERAL
from . import dialects
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
from .kinds import kind_of_mime, one_line
from .markup import escape_markdown, with_forwarded
from .sources import SourceFolder

NARRATED_SUBTYPES = {
    "channel_join", "channel_leave", "channel_topic", "channel_purpose", "channel_name",
    "channel_archive", "channel_unarchive", "group_join", "group_leave", "pinned_item",
}
LINK = re.compile(r"<([^<>|]+)(?:\|([^<>]*))?>")
# `Done!<https://…|the notes>`: the `!` right before a labelled link, which would make our
# `[the notes](…)` an image's syntax (refused: the link shown as text), is marked literal
BANG_BEFORE_LABELLED_LINK = re.compile(r"!(?=<[^<>|@#!][^<>|]*\|[^<>]+>)")
BOLD = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
# `<!here>`, `<!channel>`, `<!everyone>`, `<!subteam^S1|@team>`: who they call, with an @
BROADCASTS = {"here", "channel", "everyone", "subteam"}
# What an attachment (an integration's post) says, in the order Slack shows it
ATTACHMENT_TEXTS = ("pretext", "title", "text")
# Slack's names of the reactions most put on messages; any other stays `:name:`
SHORTCODES = {
    "+1": "👍", "thumbsup": "👍", "-1": "👎", "thumbsdown": "👎", "heart": "❤️", "joy": "😂",
    "smile": "😄", "slightly_smiling_face": "🙂", "laughing": "😆", "tada": "🎉", "fire": "🔥",
    "eyes": "👀", "pray": "🙏", "clap": "👏", "rocket": "🚀", "100": "💯", "white_check_mark": "✅",
    "heavy_check_mark": "✔️", "thinking_face": "🤔", "wave": "👋", "raised_hands": "🙌", "ok_hand": "👌",
    "sob": "😭", "cry": "😢", "muscle": "💪", "star": "⭐", "sparkles": "✨", "wink": "😉",
    "grinning": "😀", "sweat_smile": "😅", "rolling_on_the_floor_laughing": "🤣", "heart_eyes": "😍",
    "x": "❌", "warning": "⚠️", "bulb": "💡", "coffee": "☕", "bike": "🚲", "bicyclist": "🚴",
}


@dataclass(frozen=True)
class Workspace:
    """Names the export's users.json and channels.json give ids, when it has them."""

    users: dict[str, str] = dataclass_field(default_factory=dict)
    channels: dict[str, str] = dataclass_field(default_factory=dict)
    # A channel read from disk: its folder, and what may be read, to find the files saved with it
    folder: Path | None = None
    files: SourceFolder | None = None
    # without users.json, the names the messages' own user_profiles give their authors' ids
    profiles: dict[str, str] = dataclass_field(default_factory=dict)

    def user(self, user_id: str) -> str | None:
        """The name a mention or a reaction shows for a user id, as their messages show it."""
        return self.users.get(user_id) or self.profiles.get(user_id)

    def downloaded(self, attached: dict) -> str | None:
        """Where a file was saved beside the export, relative to the workspace's folder:
        slackdump writes `__uploads/F0ID/name.png` or `general/attachments/F0ID-name.png`."""
        file_id, name = attached.get("id"), attached.get("name")
        if self.folder is None or self.files is None or not (plain(file_id) and plain(name)):
            return None
        for note in (f"__uploads/{file_id}/{name}", f"{self.folder.name}/attachments/{file_id}-{name}"):
            path = self.folder.parent.joinpath(*note.split("/"))
            if self.files.holds(path) and path.is_file():
                return note
        return None


def plain(name) -> bool:
    """A string that is one file name: never a way into another folder."""
    return (isinstance(name, str) and name not in ("", ".", "..") and "/" not in name and "\\" not in name
            and not any(ord(c) < 32 for c in name))


def workspace_folder(path: str) -> str:
    """The folder a channel's saved files are noted from: the workspace's, above the channel folder."""
    channel = Path(path) if Path(path).is_dir() else Path(path).absolute().parent
    return str(channel.absolute().parent)


def mrkdwn(text: str, names: Workspace) -> str:
    def link(match):
        target, label = match.group(1), match.group(2)
        if target.startswith("@"):  # <@U123>, <@U123|jane>
            return "@" + escape_markdown(names.user(target[1:]) or (label or target[1:]).lstrip("@"))
        if target.startswith("#"):  # <#C123|general>, <#C123>
            return "#" + escape_markdown(label or names.channels.get(target[1:]) or target[1:])
        if target.startswith("!"):  # <!here>, <!subteam^S1|@team>, <!date^…|Feb 18>
            command, _, argument = target[1:].partition("^")
            if command in BROADCASTS:
                return "@" + escape_markdown((label or argument or command).lstrip("@"))
            return escape_markdown(label or command)
        return f"[{label}]({target})" if label else target

    if "!<" in text:
        text = BANG_BEFORE_LABELLED_LINK.sub(LITERAL + "!", text)
    text = dialects.slack(BOLD.sub(r"**\1**", LINK.sub(link, text)))
    # Slack escapes only these three; what they stand for is plain text to us
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def user_names(users) -> dict[str, str]:
    names = {}
    for user in users if isinstance(users, list) else []:
        if not isinstance(user, dict):
            continue
        profile = user.get("profile")
        profile = profile if isinstance(profile, dict) else {}
        name = profile.get("real_name") or profile.get("display_name") or user.get("real_name") or user.get("name")
        if name and isinstance(user.get("id"), str):
            names[user["id"]] = str(name)
    return names


def profile_names(days) -> dict[str, str]:
    """The names the messages' own `user_profile`s give their `user` ids, as :func:`author` reads them."""
    names: dict[str, str] = {}
    for entries in days:
        for entry in entries:
            if not isinstance(entry, dict) or not isinstance(entry.get("user"), str):
                continue
            profile = entry.get("user_profile")  # an entry of another shape is reported when it is read
            name = isinstance(profile, dict) and (profile.get("real_name") or profile.get("display_name"))
            if name and entry["user"] not in names:
                names[entry["user"]] = str(name)
    return names


def channel_names(channels) -> dict[str, str]:
    return {
        channel["id"]: str(channel["name"])
        for channel in (channels if isinstance(channels, list) else [])
        if isinstance(channel, dict) and isinstance(channel.get("id"), str) and channel.get("name")
    }


def author(entry: dict, names: Workspace) -> str:
    profile = field(entry, "user_profile", dict, {})
    bot = field(entry, "bot_profile", dict, {})
    return str(
        names.users.get(field(entry, "user", JSON_SCALARS))
        or profile.get("real_name")
        or profile.get("display_name")
        or entry.get("username")
        or bot.get("name")
        or entry.get("user")
        or entry.get("bot_id")
        or "Slack"
    )


def attachment_lines(entry: dict, names: Workspace, text: str) -> list[str]:
    """What an entry's attachments say: an integration's post (`"text": ""`,
    its content in `attachments`) reads as its pretext, title, text and
    fields, or its fallback when it has none of those.  A link's preview
    (`from_url`) under a message that has text of its own only repeats it."""
    lines = []
    for attached in objects(entry, "attachments"):
        if is_shared_message(attached):  # read by shared_messages
            continue
        if text.strip() and (attached.get("from_url") or attached.get("original_url")):
            # a link's preview under a message: its title, linked, is enough
            title = " ".join(field(attached, "title", str, "").split())
            url = field(attached, "title_link", str, "") or field(attached, "from_url", str, "")
            if title and url and url not in text and not any(char.isspace() or char in "<>()" for char in url):
                lines.append(f"[{escape_markdown(title)}]({url})")
            continue
        said = []
        for key in ATTACHMENT_TEXTS:
            value = field(attached, key, str, "")
            if key == "title" and value and field(attached, "title_link", str, ""):
                said.append(f"[{escape_markdown(value)}]({attached['title_link']})")
            elif value:
                said.append(mrkdwn(value, names))
        for item in objects(attached, "fields"):
            label, value = field(item, "title", str, ""), field(item, "value", str, "")
            said.append(" ".join(part for part in (label and f"{escape_markdown(label)}:", mrkdwn(value, names))
                                 if part))
        if not said and field(attached, "fallback", str, ""):
            said.append(mrkdwn(attached["fallback"], names))
        lines += [line for line in said if line.strip()]
    return lines


def is_shared_message(attached: dict) -> bool:
    """An attachment that is another Slack message: shared into this one (`is_share`), or a
    message's link unfurled (`is_msg_unfurl`)."""
    return attached.get("is_share") is True or attached.get("is_msg_unfurl") is True


def shared_messages(entry: dict, names: Workspace) -> list[tuple[str, str]]:
    """The messages an entry shares, as (whose, their text): whose by `author_id` in
    users.json, as their own messages are named, else `author_name`/`author_subname`."""
    found = []
    for attached in objects(entry, "attachments"):
        if not is_shared_message(attached):
            continue
        whose = (names.users.get(field(attached, "author_id", str, "")) or field(attached, "author_name", str, "")
                 or field(attached, "author_subname", str, ""))
        said = field(attached, "text", str, "") or field(attached, "fallback", str, "")
        found.append((one_line(whose), mrkdwn(said, names)))
    return found


def attachments(entry: dict, names: Workspace) -> list[Attachment]:
    """`files`: each by its name, its kind by its `mimetype`; the note is where
    it was saved beside the export, else where Slack keeps it (`url_private`,
    which needs a login): a note, never a link."""
    found = []
    for attached in objects(entry, "files"):
        name = one_line(str(field(attached, "name", JSON_SCALARS, "") or field(attached, "title", JSON_SCALARS, "")
                            or "file"))
        mimetype = str(field(attached, "mimetype", JSON_SCALARS, "") or "")
        where = str(field(attached, "url_private", JSON_SCALARS, "") or field(attached, "permalink", JSON_SCALARS, "")
                    or "")
        found.append(Attachment(name, kind_of_mime(mimetype, name), names.downloaded(attached) or one_line(where)))
    return found


def reactions(entry: dict, names: Workspace) -> list[Reaction]:
    """`reactions` [{name, users, count}]: the emoji of a common shortcode,
    else `:name:`; who by their names in users.json."""
    found = []
    for reaction in objects(entry, "reactions"):
        shortcode = str(field(reaction, "name", JSON_SCALARS, "") or "")
        base = shortcode.split("::", 1)[0]  # `+1::skin-tone-2`
        emoji = SHORTCODES.get(base) or (f":{base}:" if base else "?")
        users = field(reaction, "users", list, [])
        who = [str(names.user(str(user)) or user) for user in users if isinstance(user, JSON_SCALARS)]
        found.append(Reaction(emoji, who, field(reaction, "count", int, 0)))  # `users` may list fewer
    return found


def read(text: str, *, first_line: int = 0, path: str | None = None) -> Conversation:
    """One day file, without the workspace's names (see :func:`read_day`)."""
    return read_day_text(text, Workspace(), first_line=first_line, path=path)


def read_day(text: str, *, day: str, files: SourceFolder, first_line: int = 0, path: str | None = None) -> Conversation:
    """One day file on disk (``day``), with names from its workspace's users.json
    (for `general/2019-01-31.json`, one folder up), read through ``files``."""
    return read_day_text(text, workspace(Path(day).parent, files), first_line=first_line, path=path)


def read_day_text(text: str, names: Workspace, *, first_line: int, path: str | None) -> Conversation:
    with whole_export("Slack"):
        entries = load_json(text, "Slack")
        if not isinstance(entries, list):
            raise ChatlogError("not a Slack day file: a list of messages was expected", line=1)
        return read_days([(entries, text, path)], names, first_line=first_line)


def read_days(
    days: Sequence[tuple[list, str, str | None]], names: Workspace, *, first_line: int = 0
) -> Conversation:
    """Day files as (entries, their text, their path or None), in order.

    Threads cross days, so every day is read into one builder, which names
    the day file being read in its problems.
    """
    builder = ConversationBuilder(first_line=first_line)
    by_ts: dict[str, Message] = {}
    # a deleted thread parent is Slackbot's tombstone: the replies' parent_user_id names who wrote it
    thread_authors = {
        str(entry.get("thread_ts")): entry["parent_user_id"]
        for entries, _, _ in days for entry in entries if isinstance(entry, dict) and entry.get("parent_user_id")
    }
    # a mention or a reaction names its user as the messages do, users.json or not: else a
    # day file read alone showed `@handle` for someone whose messages show their real name
    # (each message's own author is still read from its own user_profile: names change)
    names = replace(names, profiles=profile_names(entries for entries, _, _ in days))
    for entries, text, path in days:
        builder.path = path
        lines = JsonLines(text, "ts")
        for entry in entries:
            line = lines.of(str(entry.get("ts", ""))) if isinstance(entry, dict) else lines.line
            guarded_entry(builder, entry, line, "Slack", read_entry, names, by_ts, thread_authors)
    return builder.build()


def read_entry(
    builder: ConversationBuilder, entry: dict, line: int, names: Workspace, by_ts: dict[str, Message],
    thread_authors: dict[str, object],
) -> None:
    ts = str(entry.get("ts", ""))
    try:
        # the part after the dot tells messages of one second apart, not time
        when = datetime.datetime.fromtimestamp(int(float(ts)), tz=datetime.timezone.utc).replace(tzinfo=None)
    except (ValueError, OverflowError, OSError):
        when = None
    time_text = when.strftime("%Y-%m-%d %H:%M") if when else ts
    tombstone = field(entry, "subtype", str) == "tombstone"  # a thread's first message, deleted
    name = author({"user": thread_authors[ts]} if tombstone and ts in thread_authors else entry, names)
    text = str(entry.get("text", ""))
    body = "\n".join(part for part in [mrkdwn(text, names), *attachment_lines(entry, names, text)] if part)
    shared = shared_messages(entry, names)
    if shared:
        body = with_forwarded(body, [said for _, said in shared])
    if field(entry, "subtype", str) in NARRATED_SUBTYPES:
        builder.narration(f"{time_text} {body}", line)
        return
    message = builder.message(name, body, line, time=when, time_text=time_text)
    message.attachments = attachments(entry, names)
    message.reactions = reactions(entry, names)
    message.edited = bool(field(entry, "edited", dict, {}))
    message.forwarded_from = next((whose for whose, _ in shared if whose), "")
    if tombstone:  # "This message was deleted."
        message.text, message.deleted = "", True
    parent = field(entry, "thread_ts", JSON_SCALARS)
    if parent and parent != ts and parent in by_ts:
        builder.quote(message, by_ts[parent])
    by_ts[ts] = message


def read_folder(path: str, *, files: SourceFolder | None = None) -> Conversation:
    """A channel folder of day files; ``files`` confines what is read (default: its parent folder)."""
    with whole_export("Slack"):
        return read_channel(Path(path), files or SourceFolder(str(Path(path).parent)))


def workspace(folder: Path, files: SourceFolder) -> Workspace:
    """The names a channel folder's workspace gives: users.json and channels.json
    beside the folder (or in it), read through ``files``.

    One above the root (a channel folder that is the root itself) is not the
    site's: it is left alone, not refused.
    """
    found = {}
    for name in ("users.json", "channels.json"):
        place = next((candidate for candidate in (folder / name, folder.parent / name)
                      if files.holds(candidate.parent) and candidate.exists()), None)
        if place is not None:
            found[name] = read_json_file(place, f"Slack {name}", files.read_bytes)[0]
    return Workspace(user_names(found.get("users.json")), channel_names(found.get("channels.json")), folder, files)


def read_channel(folder: Path, files: SourceFolder) -> Conversation:
    # Every file is read through `files`, so none outside its root is read.
    days = sorted(folder.glob("*.json"))
    if not days:
        raise ChatlogError(f"no Slack day files (*.json) in {folder}", line=None)
    names = workspace(folder, files)
    loaded = []
    for day in days:
        if day.name in ("users.json", "channels.json"):
            continue
        entries, text = read_json_file(day, f"Slack day file {day.name}", files.read_bytes)
        if isinstance(entries, list):
            loaded.append((entries, text, str(day)))
        else:
            raise ChatlogError("not a Slack day file: a list of messages was expected", line=1, path=str(day))
    conversation = read_days(loaded, names)
    conversation.metadata.setdefault("title", f"#{folder.name}")
    return conversation


FORMAT = Format(
    name="slack",
    title="Slack",
    suffixes=(".slack.json",),
    read=read,
    read_folder=read_folder,
    read_beside=read_day,
    media_folder=workspace_folder,
    sample='[{"type": "message", "user": "U1", "text": "hi <@U2>", "ts": "1548881340.000200"}]',
    how_to_export="Workspace admins: Settings & administration → Workspace settings → Import/Export "
    "Data → Export. Unzip it; each channel is a folder of day files, next to `users.json`.",
)
