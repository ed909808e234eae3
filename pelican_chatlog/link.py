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
from .inline import MAX_MARKDOWN_CHARACTERS
from .model import Conversation, Message, Problem, Quote, Speaker, link_quote
from .parse import speaker_style
from .timestamps import ParsedTime, parse_time

WORDS = re.compile(r"\w+")


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
    for number, message in enumerate(messages, start=1):
        message.id = f"{id_prefix}{number}"
    conversation.problems.extend(resolve_quotes(messages))
    conversation.problems.extend(
        Problem(
            message.line,
            f"a message of {len(message.text):,} characters: over {MAX_MARKDOWN_CHARACTERS:,} "
            "it is shown as typed, without Markdown",
        )
        for message in messages
        if len(message.text) > MAX_MARKDOWN_CHARACTERS
    )
    style_speakers(conversation, speaker_styles or {}, author=author, guess_me=guess_me)
    return conversation


def resolve_times(messages: list[Message], date) -> None:
    reference = date.date() if isinstance(date, datetime.datetime) else date
    timezone = date.tzinfo if isinstance(date, datetime.datetime) else None
    previous = None
    for message in messages:
        for stamped in (*message.quotes, message):
            if stamped.time is None and stamped.time_text:
                stamped.time = parse_time(stamped.time_text)
            if isinstance(stamped.time, ParsedTime):
                # the parser read what the time line says; importers give datetimes
                stamped.time = stamped.time.resolve(reference, previous)
            if isinstance(stamped.time, datetime.datetime):
                if timezone is not None:
                    stamped.time = stamped.time.replace(tzinfo=timezone)
                previous = stamped.time


def loose(text: str) -> str:
    """Text as a reader compares it: no case, punctuation or quote-mark style."""
    words = WORDS.findall(text.casefold())
    if words:
        return " " + " ".join(words) + " "
    return " ".join(text.casefold().split())


def resolve_quotes(messages: list[Message]) -> list[Problem]:
    """Link each quote to the latest earlier message of its speaker saying it."""
    problems = []
    said: dict[int, list[Message]] = {}
    compared: dict[int, str] = {}  # loose text, made only for messages a quote looks at
    for message in messages:
        for quote in message.quotes:
            if quote.target is not None:  # an importer read the reply's target
                link_quote(quote, quote.target, message)
                continue
            target = _latest_saying(said.get(id(quote.speaker), ()), loose(quote.text), compared)
            if target is not None:
                link_quote(quote, target, message)
            else:
                problems.append(Problem(quote.line, _unresolved_reason(quote, messages)))
        said.setdefault(id(message.speaker), []).append(message)
    return problems


def _latest_saying(candidates: list[Message], needle: str, compared: dict[int, str]) -> Message | None:
    if not needle.strip():
        return None
    for message in reversed(candidates):
        text = compared.get(id(message))
        if text is None:
            text = compared[id(message)] = loose(message.text)
        if needle in text:
            return message
    return None


def _unresolved_reason(quote: Quote, messages: list[Message]) -> str:
    needle = loose(quote.text)
    later = next(
        (
            message
            for message in messages
            if message.line > quote.line
            and message.speaker is quote.speaker
            and needle.strip()
            and needle in loose(message.text)
        ),
        None,
    )
    where = f"only a later message (line {later.line}) says it" if later else "no earlier message says it"
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
    by_name = {
        name.casefold(): speaker_style(style, f"CHATLOG_SPEAKERS[{name!r}]")
        for name, style in site_styles.items()
    }
    taken: set[str] = set()
    chosen_colors = {}
    for speaker in conversation.speakers:
        style = by_name.get(speaker.name.casefold(), {})
        speaker.slug = _unique(slugify(speaker.name), taken)
        speaker.side = speaker.side or style.get("side", "")
        speaker.display_name = speaker.display_name or style.get("name", "")
        speaker.avatar = speaker.avatar or style.get("avatar", "")
        speaker.initials = initials(speaker.label)
        if speaker.color or "color" in style:
            chosen_colors[speaker.name] = speaker.color or style["color"]
    if guess_me and not any(speaker.side for speaker in conversation.speakers):
        me = _guess_me(conversation.speakers, author)
        if me is not None:
            me.side = "right"
    for speaker in conversation.speakers:
        speaker.side = speaker.side or "left"
    names = [speaker.name for speaker in conversation.speakers]
    for speaker, color in zip(conversation.speakers, speaker_colors(names, chosen_colors)):
        speaker.color = color


def _guess_me(speakers: list[Speaker], author: str | None) -> Speaker | None:
    if author:
        wanted = author.casefold()
        named = [s for s in speakers if wanted in (s.name.casefold(), s.label.casefold())]
        if named:
            return named[0]
    return speakers[1] if len(speakers) == 2 else None


def _unique(slug: str, taken: set[str]) -> str:
    candidate, suffix = slug, 1
    while candidate in taken:
        suffix += 1
        candidate = f"{slug}-{suffix}"
    taken.add(candidate)
    return candidate
