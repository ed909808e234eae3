"""Conversation to an HTML fragment, through Jinja templates a theme can override.

The Python side only shapes the conversation into blocks (day separators,
narration, runs of one speaker); all markup lives in
``templates/chatlog/`` so theme authors can replace any of it.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup

from .colors import parse_hex
from .inline import plain_lines, render_body, visible_controls
from .model import Conversation, Message, Narration, Speaker

TEMPLATE_FOLDER = Path(__file__).parent / "templates"
CONVERSATION_TEMPLATE = "chatlog/conversation.html"


@dataclass(slots=True)
class Run:
    """Consecutive messages of one speaker: the name shows once per run."""

    speaker: Speaker
    style: str  # the speaker's colours, see accent_style
    messages: list[Message] = field(default_factory=list)
    kind: str = "run"


@dataclass(slots=True)
class Day:
    date: datetime.date
    kind: str = "day"


@dataclass(slots=True)
class NarrationBlock:
    narration: Narration
    kind: str = "narration"


def blocks(conversation: Conversation) -> list[Run | Day | NarrationBlock]:
    shaped: list[Run | Day | NarrationBlock] = []
    styles = {id(speaker): accent_style(speaker) for speaker in conversation.speakers}
    current_day = None
    run = None
    for item in conversation.items:
        if isinstance(item, Narration):
            shaped.append(NarrationBlock(item))
            run = None
            continue
        day = _day_of(item)
        if day is not None and day != current_day:
            shaped.append(Day(day))
            current_day = day
            run = None
        if run is None or run.speaker is not item.speaker:
            run = Run(item.speaker, styles[id(item.speaker)])
            shaped.append(run)
        run.messages.append(item)
    return shaped


def _day_of(message: Message) -> datetime.date | None:
    stamps = [quote.time for quote in message.quotes] + [message.time]
    for stamp in stamps:
        if isinstance(stamp, datetime.datetime):
            return stamp.date()
    return None


def html_datetime(stamp) -> str:
    """The `datetime` attribute of a <time>: full where the day is known."""
    if isinstance(stamp, (datetime.datetime, datetime.time)):
        return stamp.isoformat(timespec="seconds" if stamp.second else "minutes")
    return ""


def accent_style(speaker: Speaker) -> str:
    """The speaker's colours as custom properties; re-checked, never raw input."""
    for color in (speaker.color, speaker.color_dark):
        parse_hex(color)
    return f"--chatlog-accent-light: {speaker.color}; --chatlog-accent-dark: {speaker.color_dark}"


def day_label(day: datetime.date) -> str:
    return f"{day:%A}, {day:%B} {day.day}, {day.year}"


def body_filter(message) -> Markup:
    """A message's body (or any text) as inline Markdown, made safe."""
    return render_body(message.text if isinstance(message, Message) else message)


@functools.lru_cache(maxsize=16)
def environment(template_folders: tuple[str, ...] = ()) -> jinja2.Environment:
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
    env.filters["chatlog_datetime"] = html_datetime
    env.filters["chatlog_day"] = day_label
    env.filters["chatlog_accent"] = accent_style
    return env


def _template(name: str, template_folders) -> jinja2.Template:
    return environment(tuple(str(folder) for folder in template_folders)).get_template(name)


def render(conversation: Conversation, *, template_folders=(), **settings) -> str:
    """The HTML fragment of one conversation.

    ``template_folders`` are searched before the bundled templates, so a
    file ``chatlog/message.html`` in one of them replaces ours.
    """
    template = _template(CONVERSATION_TEMPLATE, template_folders)
    html = template.render(conversation=conversation, blocks=blocks(conversation), settings=settings)
    # Control characters are invalid in HTML and feeds; the templates hold
    # none, so one pass over the page shows the chat's as visible pictures.
    return visible_controls(html)


STYLESHEET = Path(__file__).parent / "static" / "chatlog.css"
PAGE_TEMPLATE = "chatlog/page.html"


def render_page(conversation: Conversation, *, title: str, template_folders=()) -> str:
    """A standalone HTML page, stylesheet inlined: a preview without a site."""
    return _template(PAGE_TEMPLATE, template_folders).render(
        title=title,
        stylesheet=Markup(STYLESHEET.read_text(encoding="utf-8")),
        conversation_html=Markup(render(conversation, template_folders=template_folders)),
    )
