"""The conversation model: plain, picklable data shared by every step.

Parsers and importers produce it, the linker fills in the cross references,
the renderer and Pelican only read it.  Nothing here imports Pelican.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from typing import Union

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
    where = path or "<chat>"
    if line is not None:
        where = f"{where}:{line}"
    return f"{where}: {message}"


@dataclass
class Problem:
    """Something worth a warning: the source is still read and nothing is dropped."""

    line: int | None
    message: str
    path: str | None = None  # set when the problem is in another file (an export's `Source:`)

    def __str__(self) -> str:
        return format_location(self.path, self.line, self.message)


@dataclass(eq=False)
class Speaker:
    name: str
    slug: str = ""
    color: str = ""
    color_dark: str = ""
    side: str = ""  # "left" or "right"; empty until linked, when unset means left
    display_name: str = ""
    avatar: str = ""
    initials: str = ""

    @property
    def label(self) -> str:
        return self.display_name or self.name


@dataclass(eq=False)
class Said:
    """What a speaker said at one source line, and when (``time_text`` as written)."""

    speaker: Speaker
    text: str
    line: int
    time: Stamp = None
    time_text: str = ""


@dataclass(eq=False)
class Quote(Said):
    target: Message | None = None


@dataclass(eq=False)
class Message(Said):
    id: str = ""
    quotes: list[Quote] = field(default_factory=list)
    quoted_by: list[Message] = field(default_factory=list)


@dataclass(eq=False)
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
    date: datetime.datetime | None = None

    @property
    def messages(self) -> list[Message]:
        return [item for item in self.items if isinstance(item, Message)]

    def __getstate__(self) -> dict:
        # Quotes point at messages and messages back at quoting messages: a
        # long chain of those would make pickle recurse once per hop and fail.
        # Store the links as positions instead and rebuild them on load.
        messages = self.messages
        position = {id(message): index for index, message in enumerate(messages)}
        state = dict(self.__dict__)
        state["items"] = [_unlinked(item) for item in self.items]
        state["_links"] = [
            [position.get(id(quote.target)) for quote in message.quotes]
            for message in messages
        ]
        return state

    def __setstate__(self, state: dict) -> None:
        links = state.pop("_links")
        self.__dict__.update(state)
        messages = self.messages
        for message, targets in zip(messages, links):
            for quote, target in zip(message.quotes, targets):
                if target is not None:
                    link_quote(quote, messages[target], message)


def link_quote(quote: Quote, target: Message, quoting: Message) -> None:
    quote.target = target
    if not target.quoted_by or target.quoted_by[-1] is not quoting:
        target.quoted_by.append(quoting)


def _unlinked(item: Item) -> Item:
    if isinstance(item, Narration):
        return item
    quotes = [replace(quote, target=None) for quote in item.quotes]
    return replace(item, quotes=quotes, quoted_by=[])
