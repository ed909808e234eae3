"""Conversation to an HTML fragment, through Jinja templates a theme can override.

The Python side only shapes the conversation into blocks (day separators,
narration, runs of one speaker); all markup lives in
``templates/chatlog/`` so theme authors can replace any of it.  While none
is replaced, direct.py writes the same markup without Jinja's cost.
"""

from __future__ import annotations

import datetime
import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Sequence

from . import direct
from .colors import parse_hex
from .controls import visible_controls
from .inline import plain_lines, render_body
from .model import Conversation, Message, Narration, Quote, Speaker

if TYPE_CHECKING:
    import jinja2
    from markupsafe import Markup

TEMPLATE_FOLDER = Path(__file__).parent / "templates"
CONVERSATION_TEMPLATE = "chatlog/conversation.html"
COLOR_SCHEMES = ("auto", "light", "dark")


# Speakers past this many share the text colour: the stylesheet maps a
# colour class per place in the chat (chatlog-c1 …), and nobody tells two
# dozen colours apart anyway.  Keep in step with chatlog.css.
PALETTE_SIZE = 24
AM_PM = re.compile(r"\b[ap]\.?\s?m\.?(?!\w)", re.IGNORECASE)
ANY_DIGIT = str.maketrans("123456789", "000000000")


@dataclass(slots=True)
class ShownQuote:
    quote: Quote
    colour: int  # the quoted speaker's colour class, chatlog-c<colour>; 0 for none
    time: str  # the time as the page prints it


@dataclass(slots=True)
class Shown:
    """A message as the page shows it: its time printed only where it changes."""

    message: Message
    time: str  # "" when the message before printed the same time
    quotes: Sequence[ShownQuote]
    first: bool  # the first of its run: it shows the speaker's name
    colour: int  # the speaker's colour class, chatlog-c<colour>; 0 for none


@dataclass(slots=True)
class Run:
    """Consecutive messages of one speaker: the name shows once per run."""

    speaker: Speaker
    colour: int  # the speaker's colour class, chatlog-c<colour>; 0 for none
    messages: list[Shown] = field(default_factory=list)
    kind: str = "run"


@dataclass(slots=True)
class Day:
    date: datetime.date
    kind: str = "day"


@dataclass(slots=True)
class NarrationBlock:
    narration: Narration
    kind: str = "narration"


def blocks(conversation: Conversation) -> Iterator[Run | Day | NarrationBlock]:
    """The conversation as the page shows it, block by block: a run is given
    once it has all its messages.  Given, not listed, so that only one run is
    alive at a time however long the chat."""
    colours = colour_slots(conversation)
    current_day = None
    last_time = None
    run = None
    # A 12-hour chat's am/pm marker, found once per way of writing it
    # (render-local: a cache living past the render would pin its entries).
    markers: dict[str, str] = {}
    for item in conversation.items:
        if isinstance(item, Narration):
            if run is not None:
                yield run
                run = None
            yield NarrationBlock(item)
            continue
        stamp = item.time
        # _day_of and time_label, written out for the common message: no
        # quotes, a full date and time (the speed of every chat's render)
        if item.quotes:
            day = _day_of(item)
        elif isinstance(stamp, datetime.datetime):
            day = stamp.date()
        else:
            day = None
        if day is not None and day != current_day:
            if run is not None:
                yield run
                run = None
            yield Day(day)
            current_day = day
            last_time = None
        if run is None or run.speaker is not item.speaker:
            if run is not None:
                yield run
            run = Run(item.speaker, colours.get(id(item.speaker), 0))
        quotes: Sequence[ShownQuote] = ()
        if item.quotes:
            time = time_label(item, current_day)
            quotes = [
                ShownQuote(quote, colours.get(id(quote.speaker), 0), time_label(quote, current_day))
                for quote in item.quotes
            ]
        else:
            # a day here is the stamp's own: its time of day, under its separator
            time = _clock(stamp, item.time_text, markers) if isinstance(stamp, datetime.datetime) else item.time_text
        run.messages.append(Shown(item, "" if time == last_time else time, quotes, not run.messages, run.colour))
        last_time = time or last_time
    if run is not None:
        yield run


def colour_slots(conversation: Conversation) -> dict[int, int]:
    return {id(speaker): place for place, speaker in enumerate(conversation.speakers[:PALETTE_SIZE], start=1)}


def palette(conversation: Conversation) -> str:
    """Every speaker's colour, once, as custom properties for the chat's root; re-checked, never raw input."""
    for speaker in conversation.speakers[:PALETTE_SIZE]:
        parse_hex(speaker.color)
    return ";".join(
        f"--chatlog-c{place}:{speaker.color}"
        for place, speaker in enumerate(conversation.speakers[:PALETTE_SIZE], start=1)
    )


def _day_of(message: Message) -> datetime.date | None:
    for quote in message.quotes:
        if isinstance(quote.time, datetime.datetime):
            return quote.time.date()
    if isinstance(message.time, datetime.datetime):
        return message.time.date()
    return None


def time_label(said, day: datetime.date | None) -> str:
    """The time as printed: the time of day under its day's separator, else as written."""
    stamp = said.time
    if isinstance(stamp, datetime.datetime) and stamp.date() == day:
        return clock(stamp, said.time_text)
    return said.time_text


def clock(stamp: datetime.datetime, written: str) -> str:
    """A time of day in the chat's own clock: 12-hour with its am/pm marker as written, else 24-hour."""
    marker = AM_PM.search(written)
    return _clock_with(stamp, marker.group(0) if marker else "")


def _clock(stamp: datetime.datetime, written: str, markers: dict[str, str]) -> str:
    """clock(), its marker found once per shape of the written time: digits
    are word characters like any other to AM_PM, so "Tue 6:02 PM" and
    "Tue 9:41 PM" have their marker in the same place."""
    shape = written.translate(ANY_DIGIT)
    marker = markers.get(shape)
    if marker is None:
        found = AM_PM.search(written)
        marker = markers[shape] = found.group(0) if found else ""
    return _clock_with(stamp, marker)


def _clock_with(stamp: datetime.datetime, marker: str) -> str:
    seconds = f":{stamp.second:02}" if stamp.second else ""
    if marker:
        return f"{stamp.hour % 12 or 12}:{stamp.minute:02}{seconds} {marker}"
    return f"{stamp.hour:02}:{stamp.minute:02}{seconds}"


def html_datetime(stamp) -> str:
    """The `datetime` attribute of a <time>: full where the day is known."""
    if isinstance(stamp, datetime.time) and stamp.tzinfo is None:
        # a log without dates (IRC) has a day's 1,440 clocks at most, each written once;
        # a time with a zone is not memoised: equal times in two zones print apart
        return _clock_attribute(stamp)
    if isinstance(stamp, (datetime.datetime, datetime.time)):
        return _time_attribute(stamp)
    return ""


def _time_attribute(stamp: datetime.datetime | datetime.time) -> str:
    return stamp.isoformat(timespec="seconds" if stamp.second else "minutes")


_clock_attribute = functools.lru_cache(maxsize=4096)(_time_attribute)


def day_label(day: datetime.date) -> str:
    return f"{day:%A}, {day:%B} {day.day}, {day.year}"


def body_filter(message) -> Markup:
    """A message's body (or any text) as inline Markdown, made safe."""
    return render_body(message.text if isinstance(message, Message) else message)


def preview_filter(text: str) -> Markup:
    """A quoted text as plain text, its marks gone and its spoilers hidden (see preview.py)."""
    from markupsafe import Markup  # with Jinja, which needs it too: the direct page does not

    from .preview import preview_lines  # and html.parser: only a chat with quotes needs them

    return Markup(preview_lines(text))


@functools.lru_cache(maxsize=16)
def environment(template_folders: tuple[str, ...] = ()) -> jinja2.Environment:
    import jinja2  # only a site or theme that overrides our templates needs Jinja here

    loaders = [jinja2.FileSystemLoader(list(template_folders))] if template_folders else []
    loaders.append(jinja2.FileSystemLoader(str(TEMPLATE_FOLDER)))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["chatlog_lines"] = plain_lines
    env.filters["chatlog_body"] = body_filter
    env.filters["chatlog_preview"] = preview_filter
    env.filters["chatlog_datetime"] = html_datetime
    env.filters["chatlog_day"] = day_label
    return env


def overridden(template_folders, names=direct.TEMPLATES) -> bool:
    """Whether a site or theme folder replaces any of these templates (the conversation's by default)."""
    return any(
        os.path.isfile(os.path.join(folder, "chatlog", f"{name}.html")) for folder in template_folders for name in names
    )


def _template(name: str, template_folders) -> jinja2.Template:
    return environment(tuple(str(folder) for folder in template_folders)).get_template(name)


def render(conversation: Conversation, *, template_folders=(), color_scheme: str = "auto") -> str:
    """The HTML fragment of one conversation.

    ``template_folders`` are searched before the bundled templates, so a
    file ``chatlog/message.html`` in one of them replaces ours.
    ``color_scheme`` "auto" follows the page's own colours; "light" or
    "dark" gives the chat a background of its own in that scheme.
    """
    if color_scheme not in COLOR_SCHEMES:
        raise ValueError(f"CHATLOG_COLOR_SCHEME must be one of {', '.join(COLOR_SCHEMES)}, not {color_scheme!r}")
    if overridden(template_folders):
        html = _template(CONVERSATION_TEMPLATE, template_folders).render(
            conversation=conversation,
            # a list: a theme's template may count, test or index them (the page is
            # then written with every run shaped at once, as before 0.2)
            blocks=list(blocks(conversation)),
            palette=palette(conversation),
            color_scheme=color_scheme,
        )
    else:
        # the bundled templates' bytes, without Jinja's cost per value
        html = direct.conversation(blocks(conversation), palette(conversation), color_scheme, html_datetime, day_label)
    # Control characters are invalid in HTML and feeds; the templates hold
    # none, so one pass over the page shows the chat's as visible pictures.
    return visible_controls(html)


STYLESHEET = Path(__file__).parent / "static" / "chatlog.css"
PAGE_TEMPLATE = "chatlog/page.html"


def render_page(conversation: Conversation, *, title: str, template_folders=()) -> str:
    """A standalone HTML page, stylesheet inlined: a preview without a site."""
    stylesheet = STYLESHEET.read_text(encoding="utf-8")
    conversation_html = render(conversation, template_folders=template_folders)
    if not overridden(template_folders, ("page",)):
        return direct.page(title, stylesheet, conversation_html)
    from markupsafe import Markup  # with Jinja, which needs it too: the direct page does not

    return _template(PAGE_TEMPLATE, template_folders).render(
        title=title, stylesheet=Markup(stylesheet), conversation_html=Markup(conversation_html)
    )
