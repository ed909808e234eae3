"""pelican-chatlog: conversation posts for Pelican.

The core (``parse``, ``render`` and the model) runs without a Pelican site;
``register`` is what Pelican calls when ``"pelican_chatlog"`` is in PLUGINS.
"""

from __future__ import annotations

import datetime

from .link import link
from .model import ChatlogError, Conversation, Message, Narration, Problem, Quote, Speaker
from .parse import read_conversation
from .render import render

__all__ = [
    "ChatlogError",
    "Conversation",
    "Message",
    "Narration",
    "Problem",
    "Quote",
    "Speaker",
    "parse",
    "register",
    "render",
]
__version__ = "0.1.0"


def parse(
    text: str,
    *,
    date: datetime.date | datetime.datetime | None = None,
    speakers: list[str] | None = None,
    me: str | None = None,
    timestamps: str | None = None,
    id_prefix: str = "msg-",
    speaker_styles: dict[str, dict[str, str]] | None = None,
) -> Conversation:
    """Read chat text into a linked :class:`Conversation`.

    Keyword options override the text's own header: ``date`` resolves
    relative times (``Tue 6:02 PM``) to datetimes; without it a header
    ``Date:`` in ISO form is used.  Raises :class:`ChatlogError` for text
    that cannot be read; lesser problems are listed in
    ``Conversation.problems``.
    """
    conversation = read_conversation(text, speakers=speakers, me=me, timestamps=timestamps)
    if date is None and "date" in conversation.metadata:
        date = _header_date(conversation)
    return link(conversation, date=date, id_prefix=id_prefix, speaker_styles=speaker_styles)


def _header_date(conversation: Conversation) -> datetime.datetime:
    value = conversation.metadata["date"]
    try:
        return datetime.datetime.fromisoformat(value)
    except ValueError:
        raise ChatlogError(
            f"`Date: {value}` is not a date (write it as 2024-03-05 or 2024-03-05 18:00)",
            line=conversation.header_lines.get("date"),
        ) from None


def register() -> None:
    from .pelican_plugin import register as register_with_pelican

    register_with_pelican()
