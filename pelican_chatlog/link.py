"""Fill in a Conversation's cross references: times, ids, quotes, styles.

Parsers and importers only record what the source says; everything that
depends on the whole conversation (which message a quote means, what day a
bare time is on, which colour a speaker gets) is decided here, once.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
import zlib

from .colors import speaker_colors
from .inline import MAX_MARKDOWN_CHARACTERS, refused_links
from .model import ChatlogError, Conversation, Message, Problem, Quote, Speaker, link_quote
from .quoting import QUOTE_LOOK_BACK_CHARACTERS, QUOTE_LOOK_BACK_MESSAGES, loose
from .readers.speakers import apply_style, speaker_style
from .timestamps import ParsedTime, parse_time



def link(
    conversation: Conversation,
    *,
    date: datetime.date | datetime.datetime | None = None,
    id_prefix: str = "msg-",
    speaker_styles: dict[str, dict[str, str]] | None = None,
    author: str | None = None,
    guess_me: bool = True,
) -> Conversation:
    """Resolve everything in place and return the conversation.

    ``author`` (the site's AUTHOR) and ``guess_me`` choose who sits on the
    right when nobody is put there: see `style_speakers`.
    """
    conversation.date = date
    messages = conversation.messages
    resolve_times(messages, date)
    # One pass over the messages for their ids and what their texts are warned
    # about; the warnings listed after the quotes', as they always were.
    too_long, refused = [], []
    for number, message in enumerate(messages, start=1):
        message.id = f"{id_prefix}{number}"
        if len(message.text) > MAX_MARKDOWN_CHARACTERS:
            too_long.append(Problem(
                message.line,
                f"a message of {len(message.text):,} characters: over {MAX_MARKDOWN_CHARACTERS:,} "
                "it is shown as typed, without Markdown",
            ))
        for address, why in refused_links(message.text):
            refused.append(
                Problem(message.line, f"link to {_shorten(address)!r} shown as text, not as a link: {why}")
            )
    conversation.problems.extend(resolve_quotes(messages))
    conversation.problems.extend(too_long)
    conversation.problems.extend(refused)
    style_speakers(conversation, speaker_styles or {}, author=author, guess_me=guess_me)
    return conversation


def resolve_times(messages: list[Message], date) -> None:
    reference = date.date() if isinstance(date, datetime.datetime) else date
    timezone = date.tzinfo if isinstance(date, datetime.datetime) else None
    previous = None
    day_and_time = datetime.datetime  # (one look-up, not one a stamp)
    for message in messages:
        for stamped in (*message.quotes, message):
            parsed = stamped.parsed_time
            if parsed is None and stamped.time is None and stamped.time_text:
                parsed = parse_time(stamped.time_text)
            if parsed is not None:
                # the reader kept what the time line says; importers give datetimes
                stamped.time = parsed.resolve(reference, previous)
                stamped.parsed_time = None
            time = stamped.time
            if reference is not None and stamped is message and isinstance(time, datetime.time):
                # a log of times alone (ZNC, dircproxy) is dated as our own bare time lines are:
                # its first day is the post's, and a clock gone back over an hour the next day's
                time = stamped.time = ParsedTime(time).resolve(reference, previous)
            if isinstance(time, day_and_time):
                if timezone is not None:
                    time = stamped.time = time.replace(tzinfo=timezone)
                previous = time


def resolve_quotes(messages: list[Message]) -> list[Problem]:
    """Link each quote to the latest earlier message of its speaker saying it.

    A quote costs bounded work, however long the chat: it is looked for in
    its speaker's latest messages only (see QUOTE_LOOK_BACK_MESSAGES), and
    further back only as the whole of a message, found in a dictionary.
    """
    if not any(message.quotes for message in messages):
        return []  # an IRC log, most exports: nothing to index the messages for
    # One pass: a message's quotes are looked for among each speaker's
    # messages so far, then it joins its speaker's.  (Indexing all of them
    # first, and counting how many of each came before every message, was
    # two thirds of linking 20,000 messages with 1,000 quotes.)
    said_so_far: dict[Speaker, list[Message]] = {}
    compared: dict[int, str] = {}  # loose text, made only for messages a quote looks at
    whole = WholeMessages(compared)
    unresolved = []  # why each is unlinked is told once all messages are in: it looks at later ones
    for message in messages:
        for quote in message.quotes:
            if quote.target is not None:  # an importer read the reply's target
                link_quote(quote, quote.target, message)
                continue
            said = said_so_far.setdefault(quote.speaker, [])
            count = len(said)
            needle = loose(quote.text)
            target, read_all = _latest_saying(said, count, needle, compared)
            if target is None and not read_all:
                target = whole.latest(said, count, needle)
            if target is not None:
                link_quote(quote, target, message)
            else:
                unresolved.append((quote, needle, said, count, read_all))
        said_so_far.setdefault(message.speaker, []).append(message)
    return [
        Problem(quote.line, _unresolved_reason(quote, needle, said, count, read_all, compared))
        for quote, needle, said, count, read_all in unresolved
    ]


def _latest_saying(
    said: list[Message], count: int, needle: str, compared: dict[int, str]
) -> tuple[Message | None, bool]:
    """The latest of said[:count] saying needle, within the look-back; and whether it read them all."""
    if not needle.strip():
        return None, True
    window = said[max(0, count - QUOTE_LOOK_BACK_MESSAGES) : count]
    found, stopped = _first_saying(reversed(window), needle, compared)
    return found, found is not None or (not stopped and count <= QUOTE_LOOK_BACK_MESSAGES)


def _first_saying(messages, needle: str, compared: dict[int, str]) -> tuple[Message | None, bool]:
    """The first of messages whose loose text holds needle; and whether the look-back's characters ran out."""
    left = QUOTE_LOOK_BACK_CHARACTERS
    for message in messages:
        text = compared.get(id(message))
        if text is None:
            text = compared[id(message)] = loose(message.text)
        left -= len(text) + 1
        if left < 0:
            return None, True
        if needle in text:
            return message, False
    return None, False


class WholeMessages:
    """Each speaker's messages by their whole loose text, indexed as far as quotes ask."""

    def __init__(self, compared: dict[int, str]):
        self.compared = compared
        self.latest_by_text: dict[tuple[int, str], Message] = {}
        self.indexed: dict[int, int] = {}  # per speaker: how many of their messages are in

    def latest(self, said: list[Message], count: int, needle: str) -> Message | None:
        """The latest of said[:count] whose whole loose text is needle."""
        if not said:
            return None
        speaker = id(said[0].speaker)
        for message in said[self.indexed.get(speaker, 0) : count]:
            text = self.compared.get(id(message))
            if text is None:
                text = self.compared[id(message)] = loose(message.text)
            self.latest_by_text[speaker, text] = message
        self.indexed[speaker] = max(count, self.indexed.get(speaker, 0))
        return self.latest_by_text.get((speaker, needle))


def _unresolved_reason(
    quote: Quote, needle: str, said: list[Message], count: int, read_all: bool, compared: dict[int, str]
) -> str:
    """Why a quote links nowhere; said[count:] are its speaker's messages from the quoting one on."""
    later = None
    if needle.strip():
        ahead = (m for m in said[count : count + QUOTE_LOOK_BACK_MESSAGES] if m.line > quote.line)
        later, _ = _first_saying(ahead, needle, compared)
    if later is not None:
        where = f"only a later message (line {later.line}) says it"
    elif read_all:
        where = "no earlier message says it"
    else:
        where = (
            f"none of their last {QUOTE_LOOK_BACK_MESSAGES:,} messages (or {QUOTE_LOOK_BACK_CHARACTERS:,} "
            "characters) says it, nor is an older one all of it"
        )
    return f"quote of {quote.speaker.name} not found, {where}: “{_shorten(quote.text)}”; shown unlinked"


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug or f"s{zlib.crc32(name.encode('utf-8')):08x}"


def initials(name: str) -> str:
    words = [word for word in re.split(r"[\W_]+", name) if word]
    if not words:
        return name.strip()[:1] or "?"
    return "".join(word[0] for word in words[:2]).upper()


def style_speakers(
    conversation: Conversation,
    site_styles: dict[str, dict[str, str]],
    *,
    author: str | None = None,
    guess_me: bool = True,
) -> None:
    """Slug, colour, side, label and badge for each speaker.

    What the post's header chose wins over the site's CHATLOG_SPEAKERS.  A
    chat reads as a chat only with someone on the other side: when neither
    `Me:` nor a style gives anyone a side, ``guess_me`` puts there the
    speaker named like ``author``, else the second of exactly two speakers.
    """
    by_name = site_speaker_styles(site_styles)
    taken: dict[str, int] = {}
    chosen_colors = {}
    for speaker in conversation.speakers:
        apply_style(speaker, by_name.get(speaker.name.casefold(), {}))  # after the header's: it wins
        speaker.slug = _unique(slugify(speaker.name), taken)
        speaker.initials = initials(speaker.label)
        if speaker.color:
            chosen_colors[speaker.label] = speaker.color
    if guess_me and not any(speaker.side for speaker in conversation.speakers):
        me = _guess_me(conversation.speakers, author)
        if me is not None:
            me.side = "right"
    for speaker in conversation.speakers:
        speaker.side = speaker.side or "left"
    # from the name shown: a colour made from a hidden name would be a clue to it (see privacy)
    names = [speaker.label for speaker in conversation.speakers]
    for speaker, color in zip(conversation.speakers, speaker_colors(names, chosen_colors)):
        speaker.color = color


def _guess_me(speakers: list[Speaker], author: str | None) -> Speaker | None:
    if author:
        wanted = author.casefold()
        named = [s for s in speakers if wanted in (s.name.casefold(), s.label.casefold())]
        if named:
            return named[0]
    return speakers[1] if len(speakers) == 2 else None


def site_speaker_styles(site_styles) -> dict[str, dict[str, str]]:
    """CHATLOG_SPEAKERS checked, by name in any case; an error names the setting."""
    if not isinstance(site_styles, dict):
        raise ChatlogError(
            f"CHATLOG_SPEAKERS must be a dict of speaker names to options, not a {type(site_styles).__name__}"
        )
    checked = {}
    for name, style in site_styles.items():
        if not isinstance(name, str) or not isinstance(style, dict):
            raise ChatlogError(
                f"CHATLOG_SPEAKERS[{name!r}] must be a dict of options such as "
                f"{{'color': '#b03a5b', 'side': 'right'}}, not a {type(style).__name__}"
            )
        checked[name.casefold()] = speaker_style(style, f"CHATLOG_SPEAKERS[{name!r}]", trusted=True)
    return checked


def _unique(slug: str, taken: dict[str, int]) -> str:
    """The slug, or the first of slug-2, slug-3 … not taken.

    ``taken`` maps each slug given to the last number tried after it, so
    many speakers of one slug cost one step each, not one per earlier one.
    """
    candidate, suffix = slug, taken.get(slug, 1)
    while candidate in taken:
        suffix += 1
        candidate = f"{slug}-{suffix}"
    taken[slug] = suffix
    taken.setdefault(candidate, 1)
    return candidate
