"""pelican-chatlog: conversation posts for Pelican.

The core (``parse``, ``render`` and the model) runs without a Pelican site;
``parse`` is :func:`pipeline.read_conversation` for text, the one way in that
the command, the Pelican reader and the ```` ```chat ```` fence use too;
``register`` is what Pelican calls when ``"pelican_chatlog"`` is in PLUGINS.
"""

from __future__ import annotations

import datetime

from .link import link
from .model import (
    Attachment,
    Backlink,
    ChatlogError,
    Conversation,
    Message,
    Narration,
    Problem,
    Quote,
    Reaction,
    Speaker,
)
from .pipeline import read_conversation, read_file
from .privacy import Privacy, rename_speakers
from .render import render

__all__ = [
    "Attachment",
    "Backlink",
    "ChatlogError",
    "Conversation",
    "Message",
    "Narration",
    "Privacy",
    "Problem",
    "Quote",
    "Reaction",
    "Speaker",
    "link",
    "parse",
    "read_conversation",
    "read_file",
    "register",
    "rename_speakers",
    "render",
]
__version__ = "0.2.0.dev0"


def parse(
    text: str,
    *,
    format: str | None = None,
    date: datetime.date | datetime.datetime | None = None,
    speakers: list[str] | None = None,
    me: str | None = None,
    timestamps: str | None = None,
    id_prefix: str = "msg-",
    speaker_styles: dict[str, dict[str, str]] | None = None,
    root: str | None = None,
    author: str | None = None,
    guess_me: bool = True,
    privacy: Privacy | None = None,
    **import_options,
) -> Conversation:
    """Read chat text into a linked :class:`Conversation`.

    ``format`` is ``"chat"`` (ours, the default) or an importer's name
    (``whatsapp``, ``signal``, ``irc``, ``telegram``, ``slack``, ``discord``);
    a `.chat` header may also name one with ``Format:``.  Keyword options
    override the text's own header: ``date`` resolves relative times
    (``Tue 6:02 PM``) to datetimes; without it a header ``Date:`` in ISO form
    is used.  A header's ``Source:`` is read only with ``root``, the folder
    it resolves from and may not leave.  Without a `Me:`, ``author`` (or else
    the second of exactly two speakers, unless ``guess_me`` is false) sits on
    the right.  Raises :class:`ChatlogError` for text that cannot be read;
    lesser problems are listed in ``Conversation.problems``.  ``privacy``
    says what to hide (:class:`Privacy`; by default an export's contacts,
    phone numbers and e-mail addresses, and the original of every name
    shown under another).
    """
    return read_conversation(
        text, format=format, date=date, speakers=speakers, me=me, timestamps=timestamps,
        id_prefix=id_prefix, speaker_styles=speaker_styles, author=author, guess_me=guess_me, root=root,
        privacy=privacy, **import_options,
    )


def register() -> None:
    from .pelican_plugin import register as register_with_pelican

    register_with_pelican()
