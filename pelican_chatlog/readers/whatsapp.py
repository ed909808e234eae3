"""WhatsApp "Export chat" text files, Android and iOS, in the common locales.

    30/01/19, 20:49 - Jane Doe: text                  Android, day first
    1/30/19, 8:49 PM - Jane Doe: text                 Android, US (U+202F before PM)
    01/30/2019, 08:49 p. m. - Jane Doe: text          Android, month first, Spanish
    06.08.2016, 13:23 - Ash: text                     Android, German
    13.6.2018 klo 21.25.15 - Jane: text               Android, Finnish
    13. 6. 2018. 21:25:15 Jane: text                  Hungarian/Croatian shape, no dash
    13.06.18 21.25.15: Jane: text                     a colon after the stamp
    2019/01/30, 20:49 - Jane: text                    year first
    [01/30/19 20:49] Jane Doe: text                   iOS
    [30.01.19, 20:49:05] Jane Doe: text               iOS, German

Whether 01/02 is the first of February or the second of January is read
from every stamp of the file: a first number over 12 means day first, a
second one over 12 month first; when none is, the order in which the dates
run forward; when nothing settles it, day first with a warning.  A stamp
whose first number has four digits is year first whatever the order.  A
stamp followed by a colon or by nothing starts a line only in a file whose
stamps mostly look so.

System lines are narration, not messages: Android writes them without a
name (`Jane created group "Bikes"`), and a name before a mark is a
message all the same; iOS writes them after U+200E, either
alone (`‎Jane added Bob`) or after the group's or contact's name
(`Bikes: ‎Jane added Bob`, `Jane: ‎Missed voice call`), where a message of
that person has no mark (and an attachment has one before the line too).
A group's name, when the export shows it, is the conversation's title.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..model import Attachment, ChatlogError, Conversation, Message
from ..timestamps import clock
from . import dialects
from .builder import MARKS, ConversationBuilder
from .lines import split_lines
from .format import Format

DATE = (
    r"(?P<first>\d{1,4})(?P<sep>[./-]) ?(?P<second>\d{1,2})(?P=sep) ?(?P<third>\d{2,4})\.?"
)
# `13.6.2018 klo 21.25.15` (Finnish): a short word may stand between date and time
BETWEEN = r",?\s(?:[^\W\d_]{1,4}\s)?"
CLOCK = (
    r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?:[:.](?P<second_of_minute>\d{2}))?"
    r"(?:\s?(?P<meridiem>[aApP])\.?\s?[mM]\.?)?"  # \s takes U+202F and U+00A0 too
)
ANDROID = re.compile(rf"{DATE}{BETWEEN}{CLOCK}(?P<after>\s[-–]|:)?\s(?P<rest>.*)")
IOS = re.compile(rf"\[{DATE}{BETWEEN}{CLOCK}\]\s(?P<rest>.*)")
# "Jane: text", "Jane:" alone for an empty message, "Jane:." without a space
# (but not "at 10:30"); quote marks mean a system line such as
# `Jane changed the subject to "A: b"`.
NAME_AND_TEXT = re.compile(r"(?P<name>[^:\"“”]{1,80}?):(?: |(?![\d ]))(?P<text>.*)")
# Marks WhatsApp puts before the text it writes itself, not the people.
GENERATED = ("\u200e", "\u200f")
# Invisible marks taken out of names and text wherever they are.
INVISIBLE = dict.fromkeys(map(ord, "\u200e\u202a\u202c"))
# iOS writes a shared location as a generated `Location: https://…`: a message all the same.
LOCATION = re.compile(r"[^:]{1,40}: https?://\S+")
# The start of notices WhatsApp writes in every iOS chat (English), whatever marks the line.
NOTICES = (
    "Messages and calls are end-to-end encrypted", "Messages to this chat and calls are now secured",
    "Messages to this group are now secured", "Your security code with", "Missed voice call",
    "Missed video call", "Missed group voice call", "Missed group video call",
)
# A group's name in an Android or older iOS system line (English), the last one wins.
SUBJECT = re.compile(r"(?:created group|changed the subject(?: from .*)? to) [\"“]")
MAX_SUBJECT_LINE = 400


def stamp_of(line: str) -> re.Match[str] | None:
    """The parts of a line's stamp, however real its date; None for a line without one."""
    return ANDROID.fullmatch(line) or IOS.fullmatch(line)


def shape(match: re.Match[str]) -> str:
    """How a stamp ends: "[" (iOS), "-" (Android), ":" or "" (the stamp alone)."""
    if match.re is IOS:
        return "["
    return (match["after"] or "").strip().replace("–", "-")


def of_the_file(matches: list[re.Match[str] | None]) -> list[re.Match[str] | None]:
    """Stamps ending in a colon or in nothing count only in a file written so.

    `13.6.2018 21:00 Treffen` in a message of an export whose stamps end in
    " - " is a line of that message, not a new one.
    """
    shapes = [shape(match) for match in matches if match]
    if not shapes:
        return matches
    usual = max(set(shapes), key=shapes.count)
    return [match if match and (shape(match) in ("[", "-") or shape(match) == usual) else None for match in matches]


def year_first(match: re.Match[str]) -> bool:
    return len(match["first"]) == 4


def date_order(matches: Iterable[re.Match[str]]) -> tuple[str, bool]:
    """"dmy" or "mdy" for the stamps that are not year first, and whether the file left it open.

    Every stamp counts: a first number over 12 anywhere means day first, a
    second one month first.  When no number says it, the order under which
    the dates run forward, as an export's do; then dotted dates are day
    first (every locale that writes them puts the day first).
    """
    stamps = [match for match in matches if not year_first(match)]
    # a stamp that is no real date either way (99/99/19) says nothing about the order
    telling = [match for match in stamps if min(int(match["first"]), int(match["second"])) <= 12]
    over_first = any(int(match["first"]) > 12 for match in telling)
    over_second = any(int(match["second"]) > 12 for match in telling)
    if over_first != over_second:
        return ("dmy" if over_first else "mdy"), False
    if over_first:  # both: some stamps are no real date either way
        return "dmy", True
    backwards = {order: steps_back(stamps, order) for order in ("dmy", "mdy")}
    if backwards["dmy"] != backwards["mdy"]:
        return min(backwards, key=backwards.__getitem__), False
    if stamps and all(match["sep"] == "." for match in stamps):
        return "dmy", False
    return "dmy", bool(stamps)


def steps_back(stamps: Sequence[re.Match[str]], order: str) -> int:
    """How often the date goes back from one stamp to the next when read in ``order``."""
    count = 0
    previous = None
    for match in stamps:
        day = to_date(match, order)
        if day is None:
            count += 1
            continue
        if previous is not None and day < previous:
            count += 1
        previous = day
    return count


def to_date(match: re.Match[str], order: str) -> datetime.date | None:
    numbers = int(match["first"]), int(match["second"]), int(match["third"])
    if year_first(match):
        year, month, day = numbers
    elif order == "mdy":
        month, day, year = numbers
    else:
        day, month, year = numbers
    if year < 100:
        year += 2000
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def to_datetime(match: re.Match[str], order: str) -> datetime.datetime | None:
    day = to_date(match, order)
    hour, meridiem = int(match["hour"]), match["meridiem"] or ""
    if meridiem and hour == 0:  # `0:08 a. m.`: a 0–11 clock, as some locales show it
        hour = 12
    time = clock(hour, int(match["minute"]), int(match["second_of_minute"] or 0), meridiem)
    if day is None or time is None:
        return None
    return datetime.datetime.combine(day, time)


def clean(text: str) -> str:
    return text.translate(INVISIBLE).strip(MARKS)


@dataclass
class Line:
    """A stamped line of a real date, as read before it is told message or narration."""

    number: int
    when: datetime.datetime
    time_text: str
    rest: str  # after the stamp
    name: str | None = None  # `Name: text`
    text: str = ""
    marked: bool = False  # the text starts with a mark WhatsApp writes before its own words
    attachment: bool = False  # the whole line starts with one (iOS attachments)

    @property
    def generated(self) -> bool:
        """A line WhatsApp wrote in a person's or the group's name (iOS)."""
        text = clean(self.text)
        if not self.marked or LOCATION.fullmatch(text) or text in DELETED_LINES:
            return False
        # real exports mark only attachments before the line, but some parsers' samples show the
        # notices every chat has marked so too: those words are never an attachment
        return not self.attachment or text.startswith(NOTICES)


def group_of(lines: list[Line]) -> str | None:
    """The group's name, when iOS writes system lines in it: a sender of nothing else."""
    name = next((line.name for line in lines if line.name is not None and line.generated), None)
    if name is None:
        return None
    named = [line for line in lines if line.name is not None and line.name.casefold() == name.casefold()]
    return name if all(line.generated for line in named) else None


def subject_of(text: str) -> str | None:
    """The group name an Android or older iOS system line gives, if any."""
    if len(text) > MAX_SUBJECT_LINE:
        return None
    match = SUBJECT.search(text)
    if match is None or text[-1:] not in ('"', "”"):
        return None
    return text[match.end() : -1].strip() or None


def read(
    text: str, *, day_first: bool | None = None, first_line: int = 0, path: str | None = None
) -> Conversation:
    """``day_first`` says how dates read (year-first stamps stay year first); None reads it from the file."""
    builder = ConversationBuilder(first_line=first_line, path=path)
    originals = split_lines(text)
    lines = [line.lstrip(MARKS) for line in originals]
    matches = of_the_file([stamp_of(line) for line in lines])
    if day_first is None:
        order, undecided = date_order(match for match in matches if match)
        if undecided:
            builder.warn(
                1,
                "the dates could be day/month or month/day; read as day first "
                "(give --month-first or `Day-first: no` if they are not)",
            )
    else:
        order = "dmy" if day_first else "mdy"
    read_lines: list[Line | str | None] = []  # a Line, or the stamp of a line whose date is not real
    for number, (original, line, match) in enumerate(zip(originals, lines, matches), start=1):
        if match is None:
            read_lines.append(None)
            continue
        when = to_datetime(match, order)
        if when is None:
            read_lines.append(match.group(0))
            continue
        read_lines.append(stamped(number, original, line, match, when))
    known = [line for line in read_lines if isinstance(line, Line)]
    group = group_of(known)
    for number, (line, found) in enumerate(zip(lines, read_lines), start=1):
        if found is None:
            builder.unstamped(line.translate(INVISIBLE), number)
        elif isinstance(found, str):
            builder.bad_stamp(line, number, found)
        else:
            said(builder, found, group)
    title = group
    if title is None:
        for found in known:
            if found.name is None or found.generated:
                title = subject_of(clean(found.text if found.name else found.rest)) or title
    if title:
        builder.metadata["title"] = title
    conversation = builder.build()
    for message in conversation.messages:
        carried(message)
        message.text = dialects.whatsapp(message.text)
    return conversation


# What WhatsApp writes for what a message carries (English exports; other languages stay text).
EDITED = "<This message was edited>"
DELETED_LINES = frozenset({
    "This message was deleted", "This message was deleted.", "You deleted this message", "You deleted this message.",
})
OMITTED = {  # iOS `‎image omitted`, Android `<Media omitted>`
    "image omitted": "image", "video omitted": "video", "audio omitted": "audio", "sticker omitted": "sticker",
    "GIF omitted": "video", "document omitted": "file", "Contact card omitted": "file", "<Media omitted>": "file",
}
# kinds by the words in the names WhatsApp gives attached files: iOS `00000012-PHOTO-2024-….jpg`,
# Android `IMG-20240312-WA0001.jpg`, `PTT-…` (a voice note), `STK-…`
FILE_WORDS = (
    ("-PHOTO-", "image"), ("-VIDEO-", "video"), ("-AUDIO-", "audio"), ("-STICKER-", "sticker"), ("-GIF-", "video"),
    ("IMG-", "image"), ("VID-", "video"), ("PTT-", "audio"), ("AUD-", "audio"), ("STK-", "sticker"),
)
EXTENSIONS = {
    "jpg": "image", "jpeg": "image", "png": "image", "heic": "image", "webp": "image", "gif": "image",
    "mp4": "video", "mov": "video", "3gp": "video", "opus": "audio", "ogg": "audio", "m4a": "audio", "mp3": "audio",
}


def file_kind(name: str) -> str:
    for word, kind in FILE_WORDS:
        if word in name:
            return kind
    return EXTENSIONS.get(name.rpartition(".")[2].lower(), "file")


def carried(message: Message) -> None:
    """A message's first line naming a file, its edited note and its deletion, read off its text."""
    text = message.text
    if text.endswith(EDITED):
        message.edited = True
        text = text[: -len(EDITED)].rstrip(" \t\u200e")
    first, _, rest = text.partition("\n")
    if text in DELETED_LINES:
        message.deleted, text = True, ""
    elif first in OMITTED:
        message.own("attachments").append(Attachment("", OMITTED[first]))
        text = rest
    elif first.startswith("<attached: ") and first.endswith(">") and len(first) > 12:
        name = first[len("<attached: ") : -1]
        message.own("attachments").append(Attachment(name, file_kind(name), name))
        text = rest
    elif first.endswith(" (file attached)") and len(first) > 16:
        name = first[: -len(" (file attached)")]
        message.own("attachments").append(Attachment(name, file_kind(name), name))
        text = rest
    message.text = text


def stamped(number: int, original: str, line: str, match: re.Match[str], when: datetime.datetime) -> Line:
    rest = match["rest"]
    found = Line(number, when, line[: match.start("rest")].strip(" -–[]:"), rest)
    if match.re is not IOS:  # Android writes its own lines without a name
        name_and_text = NAME_AND_TEXT.fullmatch(rest.lstrip(MARKS))
        if name_and_text:
            found.name = clean(name_and_text["name"]).strip(" ") or None
            found.text = name_and_text["text"]
        return found
    if rest.startswith(GENERATED):  # older iOS: `‎Jane added Bob`, no name
        return found
    name_and_text = NAME_AND_TEXT.fullmatch(rest.lstrip(MARKS))
    if name_and_text:
        found.name = clean(name_and_text["name"]).strip(" ")
        found.text = name_and_text["text"]
        found.marked = found.text.startswith(GENERATED)
        found.attachment = original.startswith(GENERATED)
    if found.name == "":
        found.name = None
    return found


def said(builder: ConversationBuilder, line: Line, group: str | None) -> None:
    """A stamped line: a message, or a system line as narration."""
    if line.name is None:
        builder.narration(f"{line.time_text} {clean(line.rest)}", line.number)
        return
    text = clean(line.text)
    if group is not None and line.name.casefold() == group.casefold():
        builder.narration(f"{line.time_text} {text}", line.number)
    elif line.generated:
        # `Jane: ‎Jane is a contact.` says who already; `Jane: ‎Missed voice call` needs the name
        shown = text if text.startswith(line.name) else f"{line.name}: {text}"
        builder.narration(f"{line.time_text} {shown}", line.number)
    else:
        builder.message(line.name, text, line.number, time=line.when, time_text=line.time_text)


def chat_in_archive(names: list[str]) -> str:
    """The chat among a "with media" zip's files: iOS names it `_chat.txt`, Android
    `WhatsApp Chat with Dana.txt` (in the phone's language: `WhatsApp Chat mit …`,
    `Chat de WhatsApp con …`), with the media files beside it."""
    if "_chat.txt" in names:
        return "_chat.txt"
    texts = [name for name in names if name.lower().endswith(".txt")]
    for candidates in ([name for name in texts if "whatsapp" in name.lower()], texts):
        if len(candidates) == 1:
            return candidates[0]
    found = ", ".join(sorted(texts)[:5]) or "no .txt file"
    raise ChatlogError("no WhatsApp chat found in this zip: its chat is `_chat.txt` (iOS) or "
                       f"`WhatsApp Chat with ….txt` (Android), alone at the top of the zip (found: {found})")


FORMAT = Format(
    name="whatsapp",
    title="WhatsApp",
    suffixes=(".whatsapp.txt", ".whatsapp.zip"),
    read=read,
    chat_in_archive=chat_in_archive,
    options=("day_first",),
    sample="30/01/19, 20:49 - Jane Doe: text   or   [30/01/19, 20:49:05] Jane Doe: text",
    how_to_export="In the chat: ⋮ (Android) or the contact name (iOS) → More → Export chat → "
    "Without media (the file is called `WhatsApp Chat with ….txt` or `_chat.txt`), or Attach media: "
    "keep the zip as it is, renamed `….whatsapp.zip`.",
)
