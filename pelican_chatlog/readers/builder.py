"""The importers' one assembler: what a format reader found, built into a Conversation.

A format reader decides what each line or entry of an export is; the
builder turns that into the model the same way for every format: one
speaker per name in any case, multi-line messages with their line breaks,
every line it does not understand kept as narration, never dropped, and
every line number counted from the top of the file the export is in.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..model import Conversation, Message, Narration, Problem, Quote, Speaker

# Invisible direction marks apps put before names, system lines and attachments.
MARKS = "\u200e\u200f\u202a\u202c\ufeff"


@dataclass(frozen=True)
class Stamp:
    """The time stamp a line of a text export starts with, as its format reads it."""

    written: str  # the stamp as the line has it, for the warning when it is no real date
    when: datetime.datetime | None  # None: the stamp is no real date
    time_text: str  # the time as shown on the page
    rest: str  # what follows the stamp: `Name: text`, or a system line


class ConversationBuilder:
    """Items, speakers and problems of one export, in the order they are read.

    ``first_line`` is the number of lines above the export in its file (a
    `.chat` header): every line recorded counts from the file's top.
    ``path`` is the file problems name; a folder export sets it to each
    file before reading that file.
    """

    def __init__(self, *, first_line: int = 0, path: str | None = None) -> None:
        self.first_line = first_line
        self.path = path
        self.items: list[Message | Narration] = []
        self.speakers: dict[str, Speaker] = {}
        self.problems: list[Problem] = []
        self.metadata: dict[str, str] = {}
        self.continued: dict[int, tuple[Message | Narration, list[str]]] = {}  # see unstamped

    def speaker(self, name: str) -> Speaker:
        key = name.casefold()
        speaker = self.speakers.get(key)
        if speaker is None:  # a Speaker made only for a new name, not for every line
            speaker = self.speakers[key] = Speaker(name=name)
        return speaker

    def message(
        self, name: str, text: str, line: int, *,
        time: datetime.datetime | datetime.time | None = None, time_text: str = "",
    ) -> Message:
        message = Message(self.speaker(name), text, line + self.first_line, time=time, time_text=time_text)
        self.items.append(message)
        return message

    def narration(self, text: str, line: int) -> Narration:
        narration = Narration(text, line + self.first_line)
        self.items.append(narration)
        return narration

    def quote(self, message: Message, target: Message) -> Quote:
        """A reply the export names explicitly: its target is known, not searched.

        A reply to a message of files only quotes what it carries
        (`[image: chain.png]`), so that the quote says something; it names
        its message, so it reads back whatever it says."""
        text = target.text
        if not text.strip() and target.attachments:
            text = " ".join(attachment.placeholder for attachment in target.attachments)
        quote = Quote(target.speaker, text, message.line, target=target)
        message.own("quotes").append(quote)
        return quote

    def reply(self, message: Message, target_id: object, earlier: dict, line: int) -> None:
        """Quote the message a reply names by id, if the export holds it."""
        if target_id is None:
            return
        if target_id in earlier:
            self.quote(message, earlier[target_id])
        else:
            self.warn(line, f"a reply to message {target_id}, which is not in the export")

    def stamped_lines(self, lines: Iterable[str], stamps: Iterable[Stamp | None], said: re.Pattern[str]) -> None:
        """Lines of a text export, each with its stamp or None; ``said`` matches `Name: text`."""
        for number, (line, stamp) in enumerate(zip(lines, stamps), start=1):
            if stamp is None:
                self.unstamped(line, number)
            elif stamp.when is None:
                self.bad_stamp(line, number, stamp.written)
            else:
                self.stamped(said.fullmatch(stamp.rest), stamp.rest, number, stamp.when, stamp.time_text)

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

    def stamped(
        self, said: re.Match[str] | None, rest: str, number: int, when: datetime.datetime, time_text: str
    ) -> None:
        """A time-stamped line: `Name: text` is a message, anything else narration."""
        if said:
            self.message(said["name"].strip(MARKS + " "), (said["text"] or "").lstrip(MARKS), number,
                         time=when, time_text=time_text)
        else:  # "Jane created group “Bikes”", "Messages are end-to-end encrypted"
            self.narration(f"{time_text} {rest}", number)

    def warn(self, line: int | None, text: str) -> None:
        self.problems.append(Problem(line if line is None else line + self.first_line, text, self.path))

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
    if "\n" not in text and "\r" not in text and "\x00" not in text:
        return text.strip(" \t\n")  # one line, most messages: what the rest does to it
    # Every line end reads as LF, in exports as in our files; and no text file holds NUL
    text = LINE_ENDS.sub("\n", text).replace("\x00", "\u2400")
    return "\n".join(line.rstrip(" \t") for line in text.strip(" \t\n").split("\n"))


LINE_ENDS = re.compile(r"\r\n?")
