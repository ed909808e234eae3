"""Importers: chat app exports read into the same Conversation model.

Each module registers one format with :func:`register`; an importer turns
the export's text into an *unlinked* Conversation (the linker then adds ids,
colours and any quotes still to resolve), keeps multi-line messages with
their line breaks, and turns every line it does not understand into
narration, never dropping one.
"""

from __future__ import annotations

import bisect
import functools
import json
import re
from dataclasses import dataclass
from typing import Callable

from ..inline import LITERAL
from ..model import (
    ChatlogError,
    Conversation,
    Message,
    Narration,
    Problem,
    Quote,
    Speaker,
)


@dataclass(frozen=True)
class Format:
    name: str
    title: str
    suffixes: tuple[str, ...]  # "*.whatsapp.txt" files are read in this format
    read: Callable[..., Conversation]  # (text, **options) -> unlinked Conversation
    sample: str
    how_to_export: str
    read_folder: Callable[..., Conversation] | None = None  # (path, **options), for folder exports


FORMATS: dict[str, Format] = {}
# Invisible direction marks apps put before names, system lines and attachments.
MARKS = "\u200e\u200f\u202a\u202c\ufeff"
# What reading an export of an unexpected shape raises.
SHAPE_ERRORS = (AttributeError, TypeError, KeyError, ValueError, IndexError, OverflowError)
# What a JSON export may hold where an app writes an id: anything a dict can be keyed by.
JSON_SCALARS = (str, int, float, bool)


class EntryShapeError(ValueError):
    """An entry of a JSON export unlike what the app writes: kept as text, with a warning."""


def field(entry: dict, key: str, kind: type | tuple[type, ...], default=None):
    """``entry[key]`` when it is of the kind the app writes there; missing or null is the default.

    Importers read an entry's structure only through this, so that an entry
    of another shape is told apart from a mistake of ours.
    """
    value = entry.get(key)
    if value is None:
        return default
    if not isinstance(value, kind):
        raise EntryShapeError(f"`{key}` is {type(value).__name__}")
    return value


def objects(entry: dict, key: str) -> list[dict]:
    """``entry[key]``, a list of objects (attachments, files …); missing is none."""
    values = field(entry, key, list, [])
    for value in values:
        if not isinstance(value, dict):
            raise EntryShapeError(f"`{key}` holds {type(value).__name__}")
    return values


def register(fmt: Format) -> Format:
    FORMATS[fmt.name] = fmt
    return fmt


def format_for_path(path: str) -> str | None:
    """The format a file's name asks for: ``talk.whatsapp.txt`` → ``whatsapp``."""
    name = path.lower()
    for fmt in FORMATS.values():
        if name.endswith(fmt.suffixes):
            return fmt.name
    return None


class ConversationBuilder:
    """What importers share: one speaker per name in any case, nothing dropped."""

    def __init__(self) -> None:
        self.items: list[Message | Narration] = []
        self.speakers: dict[str, Speaker] = {}
        self.problems: list[Problem] = []
        self.metadata: dict[str, str] = {}
        self.continued: dict[int, tuple[Message | Narration, list[str]]] = {}  # see unstamped

    def speaker(self, name: str) -> Speaker:
        return self.speakers.setdefault(name.casefold(), Speaker(name=name))

    def message(self, name: str, text: str, line: int, *, time=None, time_text: str = "") -> Message:
        message = Message(self.speaker(name), text, line, time=time, time_text=time_text)
        self.items.append(message)
        return message

    def narration(self, text: str, line: int) -> Narration:
        narration = Narration(text, line)
        self.items.append(narration)
        return narration

    def quote(self, message: Message, target: Message) -> Quote:
        """A reply the export names explicitly: its target is known, not searched."""
        quote = Quote(target.speaker, target.text, message.line, target=target)
        message.quotes.append(quote)
        return quote

    def reply(self, message: Message, target_id, earlier: dict, line: int) -> None:
        """Quote the message a reply names by id, if the export holds it."""
        if target_id is None:
            return
        if target_id in earlier:
            self.quote(message, earlier[target_id])
        else:
            self.warn(line, f"a reply to message {target_id}, which is not in the export")

    def unstamped(self, line: str, number: int) -> None:
        """A line without a time stamp continues the last message (or narration)."""
        if self.items:
            # joined once, in build(): adding each line to a growing text would copy it every time
            item = self.items[-1]
            known = self.continued.get(id(item))
            if known is None:
                known = self.continued[id(item)] = (item, [item.text])
            known[1].append(line)
        else:
            self.narration(line, number)

    def bad_stamp(self, line: str, number: int, stamp: str) -> None:
        """A line whose time stamp is no real date: warned about, kept as text."""
        self.warn(number, f"{stamp[:40]!r} is not a real date; kept as text")
        self.narration(line, number)

    def stamped(self, said: re.Match | None, rest: str, number: int, when, time_text: str) -> None:
        """A time-stamped line: `Name: text` is a message, anything else narration."""
        if said:
            self.message(said["name"].strip(MARKS + " "), (said["text"] or "").lstrip(MARKS), number,
                         time=when, time_text=time_text)
        else:  # "Jane created group “Bikes”", "Messages are end-to-end encrypted"
            self.narration(f"{time_text} {rest}", number)

    def entry(self, raw, line: int, kind: str, read_entry, *arguments) -> None:
        """Read one entry of a JSON export; one unlike what the app writes is kept as text.

        Exports are edited, truncated and produced by other tools: a bad
        entry costs a warning, not the import, and its JSON stays on the page.
        """
        count = len(self.items)
        try:
            if not isinstance(raw, dict):
                raise EntryShapeError(f"{type(raw).__name__} instead of an object")
            read_entry(self, raw, line, *arguments)
        except EntryShapeError as error:  # a mistake of ours is no warning: it raises
            del self.items[count:]
            self.warn(line, f"an entry unlike what {kind} writes ({error}); kept as text")
            self.narration(json.dumps(raw, ensure_ascii=False), line)

    def warn(self, line: int | None, text: str) -> None:
        self.problems.append(Problem(line, text))

    def build(self) -> Conversation:
        for item, lines in self.continued.values():
            item.text = "\n".join(lines)
        for item in self.items:
            item.text = tidy(item.text)
            for quote in getattr(item, "quotes", ()):
                quote.text = tidy(quote.text)  # the quoted message's text, as it is now
        return Conversation(
            items=self.items,
            speakers=list(self.speakers.values()),
            problems=self.problems,
            metadata=self.metadata,
        )


def tidy(text: str) -> str:
    """Trailing spaces and blank lines at the ends are not content; inner breaks are.

    Only spaces, tabs and line ends: str.strip() would also take \\v, \\f,
    U+001C–U+001F, U+0085 and U+2028, which are typed text.
    """
    # Every line end reads as LF, in exports as in our files; and no text file holds NUL
    text = LINE_ENDS.sub("\n", text).replace("\x00", "\u2400")
    return "\n".join(line.rstrip(" \t") for line in text.strip(" \t\n").split("\n"))


LINE_ENDS = re.compile(r"\r\n?")


def load_json(text: str, kind: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ChatlogError(f"not a {kind} JSON export: {error.msg}", line=error.lineno) from None
    except RecursionError:
        raise ChatlogError(f"not a {kind} JSON export: nested too deeply", line=1) from None


def read_json_file(path, kind: str, read_bytes=lambda path: path.read_bytes()):
    """A JSON file of a folder export, as (data, text); errors name the file."""
    try:
        text = read_bytes(path).decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ChatlogError(f"not UTF-8 text at offset {error.start}", line=None, path=str(path)) from None
    try:
        return load_json(text, kind), text
    except ChatlogError as error:
        raise error.located(str(path)) from None


def whole_export(kind: str):
    """Turn a JSON export of the wrong shape as a whole into our error.

    Entries are guarded one by one (ConversationBuilder.entry); this is for
    the frame around them: "messages" a string, a channel that is a list.
    """

    def decorate(read):
        @functools.wraps(read)
        def guarded(text: str, **options) -> Conversation:
            try:
                return read(text, **options)
            except ChatlogError:
                raise
            except SHAPE_ERRORS as error:
                raise ChatlogError(f"not a {kind} export as {kind} writes it ({error})", line=1) from None

        return guarded

    return decorate


# A JSON string, number, true, false or null, as written.
JSON_SCALAR = r'"(?:[^"\\]|\\.)*"|[-+.\w]+'


class JsonLines:
    """Source lines of the entries of a JSON export, found by their ids in order.

    The json module keeps no positions, so each entry's line is the line of
    the next occurrence of its id, which is where the entry starts.  One
    forward scan lists where each value of the key occurs (with any spacing:
    `"id":1` as well as `"id": 1`); looking one up never reads the text again,
    so an id that is missing costs no more than one that is found.
    """

    def __init__(self, text: str, key: str):
        self.text = text
        self.key = key
        self.position = 0
        self.line = 1
        self.places: dict[str, list[int]] | None = None  # value as written → where it occurs

    def of(self, value) -> int:
        if self.places is None:
            self.places = {}
            pattern = re.compile(rf'"{re.escape(self.key)}"\s*:\s*({JSON_SCALAR})')
            for match in pattern.finditer(self.text):
                self.places.setdefault(match[1], []).append(match.start())
        places = self.places.get(json.dumps(value), [])
        at = bisect.bisect_left(places, self.position)
        if at == len(places):
            return self.line
        found = places[at]
        self.line += self.text.count("\n", self.position, found)
        self.position = found
        return self.line


MARKDOWN_SPECIAL = re.compile(r"([`*_\[\]])")


def escape_markdown(text: str) -> str:
    """Plain text from a rich-text export, kept literal inside our Markdown bodies.

    Not with backslashes, which show as typed in chat: each Markdown sign gets
    the LITERAL mark before it, which Markdown drops and plain text never holds.
    """
    return MARKDOWN_SPECIAL.sub(LITERAL + r"\1", text)


def wrap(marker: str, text: str) -> str:
    """`**bold**` around text whose edge spaces stay outside, as Markdown needs."""
    core = text.strip()
    if not core:
        return text
    start = text.index(core[0])
    return f"{text[:start]}{marker}{core}{marker}{text[start + len(core):]}"


def code_span(text: str) -> str:
    fence = "``" if "`" in text else "`"
    return f"{fence} {text} {fence}" if fence == "``" else f"`{text}`"


def load_all() -> None:
    # Importing a module registers its format.
    from . import discord, irc, signal, slack, telegram, whatsapp  # noqa: F401


load_all()
