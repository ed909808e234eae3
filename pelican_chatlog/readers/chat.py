"""Our `.chat` format: the lines below the header, read into an unlinked Conversation.

Reading is two steps, as in irclog2html's ``LogParser``:

* :func:`classify` says what one line is (a message, a quote, a time, more
  of a quote, text…) as a plain event.  It is a pure function of the line
  and a :class:`LineContext`: the few facts a line's meaning depends on
  (the declared speakers, the speakers so far, whether a quote is open).
  Whatever a line should be warned about travels in its event.
* :class:`ChatAssembler` walks the events in order and builds the model:
  messages and what is written under them, quotes waiting for their reply,
  times stamping the messages above (or below) them, narration.  It turns
  the events' warnings into Problems with line numbers.

Every source line ends up somewhere in the model: as a message or the line
under one, a quote, the time of a message or quote, or narration.  What a
line means only depends on the lines above it, so reading is a single pass.
:func:`read_chat` is the entry: a `.chat` file's lines, header included.
The writer (write.py) asks :func:`classify` how each line it writes reads.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field, replace

from ..model import (
    ATTACHMENT_KINDS,
    Attachment,
    ChatlogError,
    Conversation,
    Message,
    Narration,
    Problem,
    Quote,
    Reaction,
    Said,
    Speaker,
)
from ..timestamps import MONTHS, RELATIVE_DAYS, WEEKDAYS, ParsedTime, parse_time
from .header import PREFIXED_TIME, Header, apply_header, read_header
from .lines import BLANK, is_blank, shorten
from .pastes import PASTE_SHAPES, detect, read_paste, squeeze
from .speakers import QUOTED_NAME, apply_style, quoted_name

TIMESTAMP_MODES = ("after", "before")
# A guessed speaker: up to three words (and small particles between them) of
# letters, digits, `_`, `.`, `-`, and an apostrophe before a capital
# ("Conor O'Brien", "D’Angelo").
# Several words must each start with a capital or digit ("Dr. Ada Lee"), so
# prose such as "The reason is simple: …" stays narration, and so does an
# apostrophe before a small letter ("Here's the thing: …", "Dana's take: …").
# An emoji may stand in a name as a letter does ("🦊 Fox", "Dana 🌸"); a particle
# between its words may be small ("Vincent van Gogh", "Ana de la Cruz"), and so
# may a last word with an apostrophe before a capital ("Jean-Luc d'Arc").
_EMOJI = "\u2600-\u27bf\U0001f000-\U0001faff"
_NAME_CHARACTER = rf"(?:[\w.\-{_EMOJI}\ufe0f\u200d]|['’](?=[^\W\d_]))"
GUESSED_NAME = re.compile(rf"(?:[^\W_]|[{_EMOJI}]){_NAME_CHARACTER}*(?: {_NAME_CHARACTER}+){{0,4}}")
MAX_NAME_WORDS = 3  # besides its particles: "María de los Ángeles", "Jan van der Berg"
APOSTROPHE = re.compile("['’]")
EMOJI = re.compile(f"[{_EMOJI}]")
SMALL_NAME_WORD = re.compile(r"[^\W\d_]['’](?=[^\W\d_])")  # `d'Arc`, `l’Estrange`
NAME_PARTICLES = frozenset(
    "al bin da das de del della der di do dos du el ibn la las le los ten ter van von y".split()
)
MAX_GUESSED_NAME = 40
MANY_SPEAKERS = 1000
QUOTING_PREFIX = re.compile(r"quoting[ \t]+", re.IGNORECASE)
ARROW_PREFIX = re.compile(r">[ \t]?")
QUOTE_STARTS = ("q", "Q", ">")  # the first characters the two can match (no other letter folds to q)
MAX_QUOTED_NAME = 200
_DAY_WORDS = "|".join(sorted({*WEEKDAYS, *MONTHS, *RELATIVE_DAYS}, key=len, reverse=True))
# What a time line that went wrong looks like ("Tue 13:02 PM", "Mon 25:00"),
# for a warning; prose with a time in it ("meet at 6:00") is not.
TIME_LIKE = re.compile(
    rf"\[?(?:(?:{_DAY_WORDS})\.?,?\s+|\d{{1,4}}[-/., ]\s*)*\d{{1,2}}:\d{{2}}(?::\d{{2}})?\s*(?:[ap]\.?\s?m\.?)?\]?",
    re.IGNORECASE | re.ASCII,
)
QUOTE_MARKS = "\"'“”‘’„«»"
# `Quoting Dana: “…” (message 3)`: the quote is of the chat's third message.
QUOTE_REFERENCE = re.compile(r" \(message ([1-9][0-9]{0,8})\)\Z")
# Labels that open a line of prose ("Note: this is a note"), not a speaker's
# message, when they do so once in a chat where others speak repeatedly.
PROSE_LABELS = frozenset(
    """note notes nb n.b. ps p.s. pps p.p.s. update updated edit edited tldr tl;dr warning caution
    fyi btw disclaimer addendum correction reminder important tip hint aside footnote context
    source sources spoiler caveat summary""".split()
)
PROSE_KEYS = frozenset(label.rstrip(".") for label in PROSE_LABELS)


# --- what a line means depends on -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LineContext:
    """What a line's meaning depends on, and nothing else; make one with :meth:`of`.

    Names are casefolded.  ``known`` is every speaker so far (the declared
    ones among them): a bare `Name:` line is a message only from a speaker
    already known.  The assembler passes the set it adds speakers to, so
    the context is the one of the line at hand.
    """

    declared: frozenset[str]  # `Speakers:`; when there are any, no other name is guessed
    known: Set[str]
    quote_open: bool = False  # `> …` lines continue a quote
    # The declared names holding a colon, longest first: `A: B: hi` is A: B's when "A: B" is declared.
    declared_with_colon: tuple[str, ...] = ()
    # Only a declared name can make a line that starts with a backslash special; see escapes().
    longest_backslash_name: int = 0
    # Prose labels read as narration in this chat (`Note:` once among speakers who speak repeatedly).
    narrated: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls, declared: Iterable[str], known: Set[str] | None = None, narrated: Iterable[str] = ()
    ) -> LineContext:
        """The context of a chat declaring these speakers (all speakers known
        when ``known`` is not given: what the writer knows), no quote open."""
        names = frozenset(name.casefold() for name in declared)
        return cls(
            declared=names,
            known=names if known is None else known,
            narrated=frozenset(narrated),
            declared_with_colon=tuple(sorted((name for name in names if ":" in name), key=len, reverse=True)),
            longest_backslash_name=max((len(name) for name in names if name.startswith("\\")), default=0),
        )

    def with_quote_open(self, quote_open: bool = True) -> LineContext:
        return replace(self, quote_open=quote_open)


# --- what a line is: plain events ---------------------------------------------------------
# Not frozen: an event lives from classify() to the assembler, and a frozen
# dataclass sets each field through object.__setattr__ (0.66 µs a message
# line, against 0.14).


@dataclass(slots=True)
class LineEvent:
    # what the line should be warned about; the assembler gives it a line number
    warnings: tuple[str, ...] = field(default=(), kw_only=True)


@dataclass(slots=True)
class Blank(LineEvent):
    """An empty line: it ends what is open above it."""


@dataclass(slots=True)
class TimeLine(LineEvent):
    """`Tue 6:02 PM`: the time of the message above it (or, in `before` mode, below it)."""

    text: str
    time: ParsedTime


@dataclass(slots=True)
class QuoteLine(LineEvent):
    """`Quoting Dana: “…”` or `> Dana: …`: a quote the next message replies to."""

    name: str
    text: str  # without its quotation marks
    reference: int | None = None  # `(message 3)`: the number of the message quoted


@dataclass(slots=True)
class QuoteMore(LineEvent):
    """`> …` under a quote: another line of it."""

    text: str


@dataclass(slots=True)
class MessageLine(LineEvent):
    """`[18:02] Dana: hi`: a message, maybe with its time."""

    name: str
    text: str
    time_text: str = ""  # the time as written
    time: ParsedTime | None = None


@dataclass(slots=True)
class Text(LineEvent):
    """Anything else: a line of the message or narration above it, or narration of its own."""

    text: str


@dataclass(slots=True)
class Escaped(LineEvent):
    """`\\18:02`: a line that would read as something else, kept as text by its backslash."""

    text: str  # without the backslash


@dataclass(slots=True)
class Mark(LineEvent):
    """`[image: photo.jpg]`, `(reactions: 👍 Dana, Bob)`, `(edited)`, `(deleted)`,
    `(forwarded from Lena)`: something about the message this line is under.
    Under no message (narration, a quote, after a blank line) it is ``text``."""

    text: str  # the line as written, for where it is text
    attachment: Attachment | None = None
    reactions: tuple[Reaction, ...] = ()
    edited: bool = False
    deleted: bool = False
    forwarded_from: str = ""


Event = Blank | TimeLine | QuoteLine | QuoteMore | MessageLine | Text | Escaped | Mark


# --- the classifier: pure functions of a line and its context --------------------------------


def classify(line: str, context: LineContext) -> Event:
    """What one line of the chat is, in its context.  No side effects: the
    same line in the same context is always the same event."""
    stripped = line.strip(BLANK)
    if stripped:
        event = common_line(line, stripped, context)
        if event is not None:
            return event
    return classify_fully(line, context)


# The first characters of every line that can be more than text, a time or a
# message at its first colon: an escape, a `[time]` or an attachment, a mark,
# a quote (`>`, `Quoting`), a quoted name.
RARE_STARTS = frozenset('\\[(>"qQ')
DIGITS = frozenset("0123456789")


def common_line(line: str, stripped: str, context: LineContext) -> Event | None:
    """The event of a line in one of the shapes most lines have, which
    :func:`classify_fully` would give, or None: let it read the line.

    Three shapes, told apart by the first colon (the full reading tries a
    time, a quote, a message and a mark in turn, 1 to 2 µs a line):

    * no colon: text, as nothing else can be without one;
    * a colon and a digit: a time line when :func:`parse_time` says so;
    * a colon and a space: a message when the name before it is a known
      speaker's (no time has a colon followed by a space).

    None for a line starting with any of RARE_STARTS, and for a message in
    a chat that declares a name holding a colon (`A: B: hi`).
    """
    if stripped[0] in RARE_STARTS:
        return None
    colon = stripped.find(":")
    if colon < 0:
        return Text(line.rstrip(BLANK))
    after = stripped[colon + 1 : colon + 2]
    if after in DIGITS:
        parsed = parse_time(stripped)
        return TimeLine(stripped, parsed) if parsed is not None else None
    if after != " " or context.declared_with_colon:
        return None
    name = stripped[:colon].rstrip(BLANK)
    if not known_speaker(name.casefold(), context):
        return None
    # not empty: the line's last character is past the space
    return MessageLine(name, stripped[colon + 2 :].strip(BLANK))


def classify_fully(line: str, context: LineContext) -> Event:
    """What one line of the chat is, every rule tried in turn; see :func:`classify`."""
    stripped = line.strip(BLANK)
    if not stripped:
        return Blank()
    if stripped.startswith("\\") and escapes(stripped[1:], context):
        # a line escaped with a backslash is text on purpose: no warning that it looks like a time
        return Escaped(stripped[1:])
    event, warnings = marked_line(stripped, context)
    if event is not None:
        return event
    if ":" in stripped and TIME_LIKE.fullmatch(stripped):  # a clock has a colon
        warnings += (f"{stripped!r} looks like a time but cannot be read; kept as text",)
    return Text(line.rstrip(BLANK), warnings=warnings)


def marked_line(stripped: str, context: LineContext) -> tuple[Event | None, tuple[str, ...]]:
    """The event of a line that is more than text (a time, a quote or more of
    one, a message), or None; and the warnings of the tries, either way."""
    parsed = parse_time(stripped)
    if parsed is not None:
        return TimeLine(stripped, parsed), ()
    if context.quote_open and (kept := escaped_quote_text(stripped, context)) is not None:
        return QuoteMore(kept), ()
    quote, warning = match_quote(stripped, context)
    if quote is not None:
        return quote, ()
    warnings: tuple[str, ...] = (warning,) if warning else ()
    if context.quote_open and (arrow := ARROW_PREFIX.match(stripped)):
        return QuoteMore(stripped[arrow.end() :], warnings=warnings), warnings
    said, warning = match_message(stripped, context)
    warnings += (warning,) if warning else ()
    if said is not None:
        if warnings:
            said = replace(said, warnings=warnings)
        return said, warnings
    mark = match_mark(stripped)
    if mark is not None:
        return mark, warnings
    return None, warnings


REACTIONS_PREFIX = "(reactions: "
FORWARDED_PREFIX = "(forwarded from "


def match_mark(line: str) -> Mark | None:
    """The mark a line is in its exact form, or None; see :class:`Mark`.

    `[kind]`, `[kind: name]` or `[kind: name | file]` (split at the last
    ` | `); `(reactions: 👍 Dana, Bob; ❤️ Sam)`; `(edited)`; `(deleted)`;
    `(forwarded from Lena)`.  Plain string tests, linear in the line.
    """
    if line.startswith("[") and line.endswith("]"):
        for kind in ATTACHMENT_KINDS:
            if line == f"[{kind}]":
                return Mark(line, attachment=Attachment("", kind))
            if line.startswith(f"[{kind}: "):
                inner = line[len(kind) + 3 : -1]
                name, bar, file = inner.rpartition(" | ")
                return Mark(line, attachment=Attachment(name, kind, file) if bar else Attachment(inner, kind))
        return None
    if not (line.startswith("(") and line.endswith(")")):
        return None
    if line == "(edited)":
        return Mark(line, edited=True)
    if line == "(deleted)":
        return Mark(line, deleted=True)
    if line.startswith(FORWARDED_PREFIX) and len(line) > len(FORWARDED_PREFIX) + 1:
        return Mark(line, forwarded_from=line[len(FORWARDED_PREFIX) : -1])
    if line.startswith(REACTIONS_PREFIX):
        reactions = read_reactions(line[len(REACTIONS_PREFIX) : -1])
        return Mark(line, reactions=tuple(reactions)) if reactions is not None else None
    return None


REACTION_COUNT = re.compile(r"([0-9]{1,9})(?: (?!; )|(?=; |\Z))")
NAME_END = re.compile(r", |; |\Z")


def read_reactions(text: str) -> list[Reaction] | None:
    """`👍 Dana, Bob; ❤️ 3; 🎉 5 Sam, "Smith, J."`: groups parted by `; `,
    each an emoji, how many reacted when more than the names (digits), and
    the names parted by `, `.  A name in double quotes is a JSON string, so
    any name can be written.  None when the text is in no such form.  One
    pass: each scan starts where the last one ended."""
    reactions = []
    position, end = 0, len(text)
    while True:
        space = text.find(" ", position)
        emoji_end = end if space < 0 else space
        emoji = text[position:emoji_end]
        group_ends = emoji.endswith(";") and emoji_end < end  # `👍; ❤️ Sam`
        emoji = emoji[:-1] if group_ends else emoji
        if not emoji:
            return None
        position = emoji_end + 1
        count = REACTION_COUNT.match(text, position) if not group_ends else None
        if count is not None:
            position = count.end()
        who: list[str] = []
        stop = None
        while not group_ends and position <= end:  # the names
            if text.startswith('"', position):
                quoted = QUOTED_NAME.match(text, position)
                name = quoted_name(quoted[0]) if quoted else None
                stop = NAME_END.match(text, quoted.end()) if quoted else None
                if name is None or stop is None:
                    return None
            else:
                stop = NAME_END.search(text, position)
                assert stop is not None  # \Z always matches
                name = text[position : stop.start()]
                if not name and not who and stop[0] != ", ":
                    position = stop.end()
                    break  # `👍 `, `👍 3` or `👍 ; ❤️`: no names
            who.append(name)
            position = stop.end()
            if stop[0] != ", ":
                break
        reactions.append(Reaction(emoji, who, int(count[1]) if count else 0))
        if not group_ends and (stop is None or stop[0] != "; "):
            return reactions


def escapes(text: str, context: LineContext) -> bool:
    """Whether a line would be read as anything but text under a message.

    A line under a message that starts with a backslash followed by such
    a line is that text, without the backslash: how a writer keeps
    "18:02" or "Dana: hi" inside a message body.
    """
    return special_after_backslashes(
        text, context, lambda stripped: not stripped or marked_line(stripped, context)[0] is not None
    )


def escapes_in_quote(text: str, context: LineContext) -> bool:
    """Whether ``> text`` under a quote would be read as anything but more of it.

    `> \\` followed by such a line is that line in the quote: how a writer
    keeps "Dana: hi" inside a quote of several lines.
    """
    return special_after_backslashes(
        text, context, lambda stripped: match_quote("> " + stripped, context)[0] is not None
    )


def escaped_quote_text(stripped: str, context: LineContext) -> str | None:
    """The text of a `> \\…` line kept in the open quote by its backslash, or None."""
    arrow = ARROW_PREFIX.match(stripped)
    if arrow is None or not stripped.startswith("\\", arrow.end()):
        return None
    rest = stripped[arrow.end() + 1 :]
    return rest if escapes_in_quote(rest, context) else None


def special_after_backslashes(line: str, context: LineContext, special: Callable[[str], bool]) -> bool:
    """Whether special(line), or special(what follows any of its leading backslashes).

    Backslashes nest: `\\\\18:02` keeps "\\18:02".  One pass over them, so
    a line of a million costs no more than reading it: a text that starts
    with a backslash is special only as the line of a declared name that
    starts with one, and such a name ends no further than the longest of
    them before the first colon.
    """
    text = line.strip(BLANK)
    starts = [0]
    while text.startswith("\\", starts[-1]):
        after = starts[-1] + 1
        while after < len(text) and text[after] in BLANK:
            after += 1
        starts.append(after)
    if special(text[starts[-1] :]):
        return True
    colon = text.find(":", starts[-1])
    if len(starts) == 1 or not context.longest_backslash_name or colon < 0:
        return False
    end = colon
    while text[end - 1].isspace():
        end -= 1
    longest = context.longest_backslash_name
    return any(special(text[start:]) for start in starts[:-1] if end - start <= longest)


def match_quote(line: str, context: LineContext) -> tuple[QuoteLine | None, str]:
    """The quote a line starts, or None; and a warning, or "".

    `Quoting Dana: “…”` names anyone; `> Dana: …` only a speaker's name.
    """
    if not line.startswith(QUOTE_STARTS):  # most lines, without a regular expression
        return None, ""
    quoting = QUOTING_PREFIX.match(line)
    prefix = quoting or ARROW_PREFIX.match(line)
    if prefix is None:
        return None, ""
    name, colon, text = split_speaker(line[prefix.end() :], context)
    declared = name.casefold() in context.declared  # declared names may be of any length, even empty
    if not colon or (not declared and (not name or len(name) > MAX_QUOTED_NAME)):
        return None, ""
    if not quoting:
        if not text[:1].isspace():
            return None, ""
        speaks, warning = speaker_name(name, context)
        if not speaks:
            return None, warning
    reference = QUOTE_REFERENCE.search(text) if quoting and text.endswith(")") else None
    if reference and text[: reference.start()].rstrip(".,!?")[-1:] in tuple(QUOTE_MARKS):
        return QuoteLine(name, unquote(text[: reference.start()]), int(reference[1])), ""
    return QuoteLine(name, unquote(text)), ""


def match_message(line: str, context: LineContext) -> tuple[MessageLine | None, str]:
    """The message a line starts, or None; and a warning, or ""."""
    time_text, parsed = "", None
    prefixed = PREFIXED_TIME.fullmatch(line) if line.startswith("[") else None
    if prefixed and (parsed := parse_time(prefixed["time"])) is not None:
        time_text, line = prefixed["time"].strip(), prefixed["rest"]
    name, colon, text = split_speaker(line, context)
    if not colon or (text and not text[0].isspace()):
        return None, ""  # `https://…` or `6:02` are not a name and a message
    text = text.strip(BLANK)
    speaks, warning = speaker_name(name, context)
    if not speaks:
        return None, warning
    if not text and name.casefold() not in context.known:
        return None, ""
    return MessageLine(name, text, time_text, parsed), ""


def split_speaker(line: str, context: LineContext) -> tuple[str, str, str]:
    """Name, colon, text: after a declared name in quotes (``"Bob (x)": hi``),
    after a declared name holding a colon, or at the first colon."""
    quoted = QUOTED_NAME.match(line) if line.startswith('"') else None
    if quoted and line.startswith(":", quoted.end()):
        name = quoted_name(quoted.group())
        if name is not None and name.casefold() in context.declared:
            return name, ":", line[quoted.end() + 1 :]
    for declared in context.declared_with_colon:
        if line[: len(declared) + 1].casefold() == declared + ":":
            return line[: len(declared)], ":", line[len(declared) + 1 :]
    name, colon, text = line.partition(":")
    return name.strip(BLANK), colon, text


def speaker_name(name: str, context: LineContext) -> tuple[bool, str]:
    """Whether a name before a colon is a speaker's; and a warning, or "".

    A declared name always is.  Other names are guessed, unless the chat
    declares its speakers: then a name that looks like one is warned about.
    """
    folded = name.casefold()
    if known_speaker(folded, context):
        return True, ""
    if folded in context.narrated:
        return False, ""
    words = name.split()
    guessed = (
        len(name) <= MAX_GUESSED_NAME
        and GUESSED_NAME.fullmatch(name) is not None
        and any(char.isalnum() for char in name)
        and capitalised(words)
        and sum(word not in NAME_PARTICLES for word in words) <= MAX_NAME_WORDS
        and all(after[:1].isupper() for after in APOSTROPHE.split(name)[1:])
    )
    if guessed and context.declared:
        return False, f"{shorten(name)!r} is not in `Speakers:`; the line is kept as text"
    if not guessed and len(name) > MAX_GUESSED_NAME and GUESSED_NAME.fullmatch(name):
        return False, (
            f"a name of {len(name)} characters is too long to be guessed as a speaker "
            f"(over {MAX_GUESSED_NAME}); the line is kept as text. Declare it in `Speakers:` "
            "if it is one"
        )
    return guessed, ""


def capitalised(words: Sequence[str]) -> bool:
    """Whether a name's words start as a name's do: each with a capital, a digit or an
    emoji, but for a particle inside it (`van`, `de`) and `d'Arc`, `l’Estrange` after one."""
    if len(words) == 1:
        return True  # one word: `dana`, `marcus_r` are names as written in a chat

    def starts_a_name(word: str) -> bool:
        return word[0].isupper() or word[0].isdigit() or EMOJI.match(word) is not None

    inner, last = words[1:-1], words[-1]
    return (
        starts_a_name(words[0])
        and all(starts_a_name(word) or word in NAME_PARTICLES or SMALL_NAME_WORD.match(word) for word in inner)
        and (starts_a_name(last) or SMALL_NAME_WORD.match(last) is not None)
    )


def known_speaker(folded: str, context: LineContext) -> bool:
    """Whether a casefolded name before a colon is a speaker's without guessing:
    declared, or known so far (and declared, when the chat declares its speakers)."""
    if folded in context.declared:
        return True
    if folded in context.narrated:
        return False
    squeezed = squeeze(folded)
    # `dana okafor:` or `Dana  Okafor:` is the known `Dana Okafor`
    return squeezed in context.known and (not context.declared or squeezed in context.declared)


def unquote(text: str) -> str:
    """A quote's text without the quotation marks around it (a trailing `.,!?` kept)."""
    text = text.strip(BLANK)
    if len(text) >= 2 and text[0] in QUOTE_MARKS and text[-1] in QUOTE_MARKS + ".,!?":
        end = len(text) - 1
        while end > 0 and text[end] in ".,!?":
            end -= 1
        if text[end] in QUOTE_MARKS and end > 0:
            return text[1:end] + text[end + 1 :]
    return text


# --- the assembler: events to the model ------------------------------------------------------


def read_chat(
    lines: Sequence[str],
    *,
    first_line: int = 0,
    speakers: list[str] | None = None,
    me: str | None = None,
    timestamps: str | None = None,
    header: Header | None = None,
    shape: str | None = None,
) -> Conversation:
    """A `.chat` file's lines (from :func:`~.lines.split_lines`), header and
    chat, to an unlinked Conversation; see :func:`pelican_chatlog.parse`.

    ``speakers``, ``me`` and ``timestamps`` override the header's.  Line
    numbers count from ``first_line`` + 1, for a chat inside a bigger file.
    A caller that has read the header already (for its `Format:`) passes it.

    The lines may be a paste from an app (see :mod:`.pastes`): ``shape``
    names its shape (``"chat"``: ours), else the header's `Format:` does,
    else the first lines decide.
    """
    if all(map(is_blank, lines)):
        raise ChatlogError("the file is empty: there is no chat to show", line=first_line + 1)
    if header is None:
        header = read_header(lines, first_line=first_line)
    body = lines[header.end :]
    if all(map(is_blank, body)):
        raise ChatlogError(
            "the header is not followed by any chat (leave one blank line after "
            "the header, then the messages)",
            line=first_line + (header.end or 1),
        )
    styles = header.speaker_styles() if speakers is None else {}
    if speakers is None:
        speakers = list(styles)
    if timestamps is None:
        timestamps = header.choice("timestamps", TIMESTAMP_MODES)
    mode = timestamps or "after"
    if mode not in TIMESTAMP_MODES:
        raise ChatlogError(f"timestamps must be one of {', '.join(TIMESTAMP_MODES)}, not {mode!r}")
    paste = paste_shape(body, speakers, shape or header.values.get("format", "").strip().lower() or None)
    if paste is not None:
        conversation = read_paste(
            body, PASTE_SHAPES[paste], first_line=first_line + header.end, declared=speakers, styles=styles,
            day_first=header.yes_no("day-first"),
        )
    else:
        conversation = assemble(body, first_line + header.end, speakers, styles, mode == "after")
    apply_header(conversation, header, me)
    return conversation


def paste_shape(body: Sequence[str], declared: Sequence[str], shape: str | None) -> str | None:
    """The paste shape the body is read in: the one named, else the one its first lines have; None: ours."""
    if shape is not None:
        return shape if shape in PASTE_SHAPES else None
    context = LineContext.of(declared, known=set())

    def speaker(line: str) -> str | None:
        event = classify(line, context)
        return event.name if isinstance(event, MessageLine) else None

    found = detect(body, speaker)
    return found.name if found is not None else None


def assemble(
    body: Sequence[str], first_line: int, declared: Sequence[str], styles: Mapping[str, Mapping[str, str]],
    after: bool,
) -> Conversation:
    """Our own chat lines, read; read again with its prose labels as narration
    when the first reading shows some (see :func:`prose_labels`), with one
    warning listing them."""

    def read(narrated: frozenset[str]) -> Conversation:
        assembler = ChatAssembler(declared, styles, after=after, narrated=narrated)
        add, contexts = assembler.add, assembler.contexts
        for number, line in enumerate(body, start=first_line + 1):
            add(classify(line, contexts[assembler.open_quote is not None]), number)  # assembler.context()
        return assembler.finish()

    conversation = read(frozenset())
    labels = prose_labels(conversation, declared)
    if not labels:
        return conversation
    conversation = read(frozenset(labels))
    listed = ", ".join(f"line {line} `{shorten(name, 30)}:`" for name, line in labels.values())
    line = min(line for _, line in labels.values())
    problems = conversation.problems
    at = next((index for index, found in enumerate(problems) if (found.line or 0) > line), len(problems))
    problems.insert(at, Problem(
        line,
        f"read as text, not as a speaker: {listed} (a label used once, where others speak "
        "repeatedly); declare it in `Speakers:` if it is a speaker",
    ))
    return conversation


def is_prose_label(name: str) -> bool:
    """`Note`, `PS.`, and any label an emoji decorates (`Update 🎉`, `Day 2 🚲`,
    `Morning ☀️`): an emoji may stand in a name (`Dana 🌸`), but bloggers put one
    in their headings more often, so such a name must speak more than once."""
    return EMOJI.search(name) is not None or name.casefold().rstrip(".") in PROSE_KEYS


def prose_labels(conversation: Conversation, declared: Sequence[str]) -> dict[str, tuple[str, int]]:
    """Undeclared speakers named like a prose label (`Note`, `PS`, `Update`…) or
    with an emoji (`Day 2 🚲`) who say one thing, in a chat where another
    speaker speaks repeatedly: by casefolded name, the name as written and
    the line of that one message."""
    if not any(is_prose_label(speaker.name) for speaker in conversation.speakers):
        return {}  # most chats: no speaker is named like a label, and their messages need no counting
    counts: dict[str, int] = {}
    first: dict[str, tuple[str, int]] = {}
    for message in conversation.messages:
        key = message.speaker.name.casefold()
        counts[key] = counts.get(key, 0) + 1
        first.setdefault(key, (message.speaker.name, message.line))
    if not any(count >= 2 for count in counts.values()):
        return {}
    ours = {name.casefold() for name in declared}
    return {
        key: first[key]
        for key, count in counts.items()
        if count == 1 and key not in ours and is_prose_label(key)
    }


class ChatAssembler:
    """Builds the Conversation from the events of the lines, in order, and
    keeps what a line may attach to: the open message, quote or narration,
    the quotes waiting for their reply, the messages waiting for their time."""

    def __init__(
        self, declared: Sequence[str], styles: Mapping[str, Mapping[str, str]], *, after: bool = True,
        narrated: frozenset[str] = frozenset(),
    ):
        self.problems: list[Problem] = []  # before the speakers: over MANY_SPEAKERS of them is a problem
        self.speakers: dict[str, Speaker] = {}  # by casefolded name
        self.known: set[str] = set()  # casefolded names, and each with its runs of spaces as one
        self.spaced: dict[str, Speaker] = {}  # by casefolded name with its runs of spaces as one
        self.declared = frozenset(name.casefold() for name in declared)  # each its own speaker, however spaced
        for name in declared:
            apply_style(self.speaker(name), styles.get(name, {}))
        # One context for lines with a quote open and one without: both see the speakers as they come.
        closed = LineContext.of(declared, known=self.known, narrated=narrated)
        self.contexts = {False: closed, True: closed.with_quote_open()}
        self.after = after  # whether a time line stamps the messages above it, or those below
        self.items: list[Message | Narration] = []
        self.messages: list[Message] = []  # what `Quoting … (message N)` counts
        self.unstamped: list[Message] = []  # waiting for a time line below them
        self.pending_quotes: list[tuple[int, Quote]] = []  # waiting for their reply
        self.current_time = ""  # in `before` mode: the time stamping what follows
        self.current_parsed: ParsedTime | None = None
        self.current_time_line = 0
        self.current_time_used = True
        self.open_message: Message | None = None
        self.open_quote: Quote | None = None
        self.open_narration: Narration | None = None
        # The lines under each item, joined once at the end: adding each to a
        # growing text would copy all of it every time.
        self.continued: dict[int, tuple[Said | Narration, list[str]]] = {}

    def context(self) -> LineContext:
        return self.contexts[self.open_quote is not None]

    def add(self, event: Event, number: int) -> None:
        """One line's event, the line numbered ``number``."""
        if event.warnings:
            self.problems.extend(Problem(number, warning) for warning in event.warnings)
        # the kinds a chat has most of first, the first two with no method call that can be spared
        if isinstance(event, MessageLine):
            self.open_quote = self.open_narration = None  # add_message opens the message
            speaker = self.speakers.get(event.name.casefold()) or self.speaker(event.name, number)
            message = Message(speaker, event.text, number)
            if event.time_text:
                stamp(message, event.time_text, event.time)
            self.add_message(message)
        elif isinstance(event, TimeLine):
            self.time_line(event.text, event.time, number)
        elif isinstance(event, (Text, Escaped)):
            self.text_line(event.text, number)
        elif isinstance(event, Blank):
            self.close_open()
        elif isinstance(event, QuoteMore):
            assert self.open_quote is not None  # a context with a quote open made it
            self.continue_text(self.open_quote, event.text)
        elif isinstance(event, QuoteLine):
            self.quote_line(event, number)
        elif isinstance(event, Mark):
            self.mark(event, number)

    def speaker(self, name: str, number: int | None = None) -> Speaker:
        key = name.casefold()
        known = self.speakers.get(key)
        if known is not None:  # nearly every message's speaker, in one look-up
            return known
        if key not in self.speakers and key not in self.declared and (joined := self.spaced.get(squeeze(key))):
            return joined  # `Dana  Okafor` is the `Dana Okafor` known already
        if key not in self.speakers:
            self.speakers[key] = Speaker(name=name)
            self.spaced.setdefault(squeeze(key), self.speakers[key])
            self.known.update((key, squeeze(key)))
            if len(self.speakers) == MANY_SPEAKERS + 1:
                self.problems.append(
                    Problem(
                        number,
                        f"more than {MANY_SPEAKERS:,} speakers, the latest {shorten(name)!r}: is this "
                        "really a chat? Colours repeat; names still tell speakers apart",
                    )
                )
        return self.speakers[key]

    def text_line(self, line: str, number: int) -> None:
        if self.open_message is not None:
            self.continue_text(self.open_message, line)
        elif self.open_narration is not None:
            self.continue_text(self.open_narration, line)
        else:
            self.close_open()
            self.open_narration = Narration(text=line, line=number)
            self.items.append(self.open_narration)

    def mark(self, event: Mark, number: int) -> None:
        """A mark under the open message is about it; anywhere else it is text."""
        message = self.open_message
        if message is None:
            self.text_line(event.text, number)
            return
        if event.attachment is not None:
            message.own("attachments").append(event.attachment)
        for reaction in event.reactions:
            message.own("reactions").append(Reaction(reaction.emoji, list(reaction.who), reaction.count))
        message.edited = message.edited or event.edited
        message.deleted = message.deleted or event.deleted
        message.forwarded_from = event.forwarded_from or message.forwarded_from

    def continue_text(self, item: Said | Narration, line: str) -> None:
        known = self.continued.get(id(item))
        if known is None:
            known = self.continued[id(item)] = (item, [item.text])
        known[1].append(line)

    def close_open(self) -> None:
        self.open_message = self.open_quote = self.open_narration = None

    def quote_line(self, event: QuoteLine, number: int) -> None:
        self.close_open()
        quote = Quote(speaker=self.speaker(event.name, number), text=event.text, line=number)
        if event.reference is not None:
            self.refer(quote, event.reference)
        self.pending_quotes.append((len(self.items), quote))
        self.open_quote = quote
        if not self.after:
            self.stamp_from_current(quote)

    def refer(self, quote: Quote, number: int) -> None:
        """`(message N)`: the quote is of the chat's Nth message, found by number, not text."""
        if number <= len(self.messages):
            quote.target = self.messages[number - 1]
        else:
            self.problems.append(
                Problem(quote.line, f"a quote of message {number}, which does not come before it; "
                        "looked for by its text instead")
            )

    def time_line(self, text: str, parsed: ParsedTime, number: int) -> None:
        self.open_message = self.open_quote = self.open_narration = None  # close_open()
        if not self.after:
            self.drop_unused_time()
            self.current_time, self.current_parsed = text, parsed
            self.current_time_line, self.current_time_used = number, False
            return
        stamped = bool(self.unstamped)
        for message in self.unstamped:
            message.time_text, message.parsed_time = text, parsed  # stamp()
        self.unstamped = []
        if self.pending_quotes and not self.pending_quotes[-1][1].time_text:
            stamp(self.pending_quotes[-1][1], text, parsed)
            stamped = True
        if not stamped:
            self.unused_time(text, number)

    def drop_unused_time(self) -> None:
        if not self.current_time_used:
            self.unused_time(self.current_time, self.current_time_line)

    def unused_time(self, text: str, number: int) -> None:
        self.items.append(Narration(text=text, line=number))
        self.problems.append(Problem(number, f"time line {text!r} stamps no message; kept as text"))

    def stamp_from_current(self, stamped: Said) -> None:
        if self.current_time:
            stamp(stamped, self.current_time, self.current_parsed)
            self.current_time_used = True

    def add_message(self, message: Message) -> None:
        if self.pending_quotes:
            message.quotes = [quote for _, quote in self.pending_quotes]
            self.pending_quotes = []
        self.messages.append(message)
        if not message.time_text:
            if self.after:
                self.unstamped.append(message)
            else:
                self.stamp_from_current(message)
        self.items.append(message)
        self.open_message = message

    def finish(self) -> Conversation:
        for item, item_lines in self.continued.values():
            item.text = "\n".join(item_lines)
        if not self.after:
            self.drop_unused_time()
        # A quote nobody replied to is still text of the source: keep it where it stood.
        for position, quote in reversed(self.pending_quotes):
            text = f"Quoting {quote.speaker.name}: “{quote.text}”"
            if quote.time_text:
                text += "\n" + quote.time_text
            self.items.insert(position, Narration(text=text, line=quote.line))
            self.problems.append(Problem(quote.line, "quote is followed by no message; kept as text"))
        self.pending_quotes = []
        return Conversation(items=self.items, speakers=list(self.speakers.values()), problems=self.problems)


def stamp(said: Said, time_text: str, parsed: ParsedTime | None) -> None:
    """The time as written, and what it says; the linker puts it on a calendar."""
    said.time_text = time_text
    said.parsed_time = parsed
