"""The conversation model: plain, picklable data shared by every step.

Parsers and importers produce it, the linker fills in the cross references,
the renderer and Pelican only read it.  Nothing here imports Pelican.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Sequence, Union

from .controls import visible_controls
from .timestamps import ParsedTime

# A datetime where the day is known, else the time of day.
Stamp = Union[datetime.datetime, datetime.time, None]


class ChatlogError(ValueError):
    """A chat source that cannot be read; says where, as ``file:line: message``."""

    def __init__(self, message: str, *, line: int | None = None, path: str | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.path = path

    def located(self, path: str) -> ChatlogError:
        """The same error, naming the file it came from."""
        return ChatlogError(self.message, line=self.line, path=path)

    def __str__(self) -> str:
        return format_location(self.path, self.line, self.message)


def format_location(path: str | None, line: int | None, message: str) -> str:
    """`path:line: message`, for a terminal or a log: messages quote chat text,
    whose control characters (ESC sequences) show as their pictures (␛), as on the page."""
    where = path or "<chat>"
    if line is not None:
        where = f"{where}:{line}"
    return visible_controls(f"{where}: {message}")


@dataclass(slots=True)
class Problem:
    """Something worth a warning: the source is still read and nothing is dropped."""

    line: int | None
    message: str
    path: str | None = None  # set when the problem is in another file (an export's `Source:`)

    def __str__(self) -> str:
        return format_location(self.path, self.line, self.message)


@dataclass(eq=False, slots=True)
class Speaker:
    name: str
    slug: str = ""
    color: str = ""  # "#rrggbb"; the page mixes it with its own text colour
    side: str = ""  # "left" or "right"; empty until linked, when unset means left
    display_name: str = ""
    avatar: str = ""
    initials: str = ""

    @property
    def label(self) -> str:
        return self.display_name or self.name


@dataclass(eq=False, slots=True)
class Said:
    """What a speaker said at one source line, and when (``time_text`` as written)."""

    speaker: Speaker
    text: str
    line: int
    time: Stamp = None
    time_text: str = ""
    # What a `.chat` time line says ("Tue 6:02 PM"), until the linker puts it
    # on a calendar as ``time``.
    parsed_time: ParsedTime | None = None


@dataclass(eq=False, slots=True)
class Quote(Said):
    target: Message | None = None


class Backlink(NamedTuple):
    """A message that quotes this one: its id and speaker, not the message
    itself, so the model holds no cycle and is freed as soon as it is dropped."""

    id: str
    speaker: Speaker


ATTACHMENT_KINDS = ("image", "video", "audio", "file", "sticker")


@dataclass(slots=True)
class Attachment:
    """A file sent with a message: its name as the export gives it, its kind
    (one of ``ATTACHMENT_KINDS``) and, when the export says where it was
    saved, that place as written.  ``file`` is a note from the export, never
    a path this package reads.  A site that finds the file beside the export
    sets ``url`` (where its copy is served, see ``pelican_chatlog.media``),
    ``size`` in bytes and, when ``inline`` (an image shown on the page), its
    ``width`` and ``height`` (0 when unknown); otherwise the page shows a
    placeholder."""

    name: str
    kind: str = "file"
    file: str = ""
    url: str = ""
    size: int = 0
    width: int = 0
    height: int = 0
    inline: bool = False

    @property
    def placeholder(self) -> str:
        """The attachment in words, as a quote or summary of a message of files shows it:
        `[image: chain.png]`, or `[image]` without a name."""
        return f"[{self.kind}: {self.name}]" if self.name else f"[{self.kind}]"


MAX_REACTION_COUNT = 999_999_999  # nine digits, as a `.chat` reaction line writes a count


@dataclass(slots=True)
class Reaction:
    """An emoji put on a message, the names of who put it there, and how
    many did when an export counts more than it names (Telegram lists a few
    `recent` ones, Slack and Discord cap their lists); 0 when the names are
    all.  ``total`` is how many reacted, as far as the export tells."""

    emoji: str
    who: list[str] = field(default_factory=list)
    count: int = 0

    def __post_init__(self) -> None:
        # one way to say "as many as named": reading and writing it back gives it again
        self.count = 0 if self.count <= len(self.who) else min(self.count, MAX_REACTION_COUNT)

    @property
    def total(self) -> int:
        return max(self.count, len(self.who))


@dataclass(eq=False, slots=True)
class Message(Said):
    id: str = ""
    # Most messages have no quotes, backlinks, files or reactions: each starts
    # with the one empty tuple, not four empty lists of its own (80,000 of
    # them were a sixth of a 20,000-message chat's memory).  Assign a list,
    # or add with own().
    quotes: Sequence[Quote] = ()
    quoted_by: Sequence[Backlink] = ()
    attachments: Sequence[Attachment] = ()
    reactions: Sequence[Reaction] = ()
    edited: bool = False
    deleted: bool = False
    forwarded_from: str = ""  # the name of whom it was forwarded from; "" when it was not

    def own(self, field_name: str) -> list[Any]:
        """The list in ``field_name`` (quotes, quoted_by, attachments or
        reactions), made this message's own the first time something is added."""
        items = getattr(self, field_name)
        if type(items) is not list:
            items = list(items)
            setattr(self, field_name, items)
        return items


@dataclass(eq=False, slots=True)
class Narration:
    """A line that is not chat (a site title, "Leave a comment"): kept as it was."""

    text: str
    line: int


Item = Union[Message, Narration]


@dataclass(eq=False)
class Conversation:
    items: list[Item] = field(default_factory=list)
    speakers: list[Speaker] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    header_lines: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    date: datetime.date | datetime.datetime | None = None
    # read by an app's importer (not our `.chat` text or a paste): privacy hides more of it
    exported: bool = False

    @property
    def messages(self) -> list[Message]:
        return [item for item in self.items if isinstance(item, Message)]

    def __getstate__(self) -> dict:
        # Quotes point at the messages they quote: a long chain of those would
        # make pickle recurse once per hop and fail.
        # So the items go out as flat tuples, speakers and quoted messages as
        # positions, and the links are rebuilt on load.  Tuples are also what
        # pickle writes fastest, and Pelican's cache pickles us on every build.
        speakers = list(self.speakers)
        speaker_at = {id(speaker): index for index, speaker in enumerate(speakers)}

        def speaker_index(speaker: Speaker) -> int:
            if id(speaker) not in speaker_at:
                speaker_at[id(speaker)] = len(speakers)
                speakers.append(speaker)
            return speaker_at[id(speaker)]

        message_at = {id(message): index for index, message in enumerate(self.messages)}
        items = [
            (item.text, item.line)
            if isinstance(item, Narration)
            else (
                speaker_index(item.speaker), item.text, item.line, item.time, item.time_text, item.id,
                tuple(
                    (speaker_index(q.speaker), q.text, q.line, q.time, q.time_text, message_at.get(id(q.target)))
                    for q in item.quotes
                ),
                tuple((a.name, a.kind, a.file, a.url, a.size, a.width, a.height, a.inline) for a in item.attachments),
                tuple((r.emoji, tuple(r.who), r.count) for r in item.reactions),
                item.edited, item.deleted, item.forwarded_from,
            )
            for item in self.items
        ]
        return {**self.__dict__, "items": items, "speakers": speakers, "speaker_count": len(self.speakers)}

    def __setstate__(self, state: dict) -> None:
        state = dict(state)
        speaker_count = state.pop("speaker_count")
        speakers = state["speakers"]
        items: list[Item] = []
        messages: list[Message] = []
        links = []
        for row in state["items"]:
            if len(row) == 2:
                items.append(Narration(*row))
                continue
            speaker, text, line, time, time_text, anchor, quotes, attachments, reactions, *marks = row
            edited, deleted, forwarded = marks
            message = Message(
                speakers[speaker], text, line, time=time, time_text=time_text, id=anchor,
                attachments=[Attachment(*attachment) for attachment in attachments] if attachments else (),
                reactions=[Reaction(emoji, list(who), *count) for emoji, who, *count in reactions] if reactions else (),
                edited=edited, deleted=deleted, forwarded_from=forwarded,
            )
            for quote_speaker, quote_text, quote_line, quote_time, quote_time_text, target in quotes:
                quote = Quote(speakers[quote_speaker], quote_text, quote_line, time=quote_time, time_text=quote_time_text)
                message.own("quotes").append(quote)
                if target is not None:
                    links.append((quote, target, message))
            items.append(message)
            messages.append(message)
        for quote, target, message in links:
            link_quote(quote, messages[target], message)
        self.__dict__.update({**state, "items": items, "speakers": speakers[:speaker_count]})


def link_quote(quote: Quote, target: Message, quoting: Message) -> None:
    """Point the quote at its message, and give that message a backlink (once per reply)."""
    quote.target = target
    if not target.quoted_by or target.quoted_by[-1].id != quoting.id:
        target.own("quoted_by").append(Backlink(quoting.id, quoting.speaker))
