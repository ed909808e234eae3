"""The importers: chat app exports read into the same Conversation model.

Each module reads one app's export and describes it with a ``FORMAT``; this
module lists them.  An importer's ``read`` turns the export's text into an
*unlinked* Conversation (the linker then adds ids, colours and any quotes
still to resolve) through the one assembler, :mod:`.builder`, so that
multi-line messages keep their line breaks and every line it does not
understand becomes narration, never dropped.  Our own ``.chat`` format is
read by :mod:`.chat`, not listed here.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from ..model import ChatlogError
from . import discord, irc, signal, slack, telegram, whatsapp
from .format import Format

IMPORTERS: tuple[Format, ...] = (
    discord.FORMAT,
    irc.FORMAT,
    signal.FORMAT,
    slack.FORMAT,
    telegram.FORMAT,
    whatsapp.FORMAT,
)
FORMATS: Mapping[str, Format] = MappingProxyType({fmt.name: fmt for fmt in IMPORTERS})
CHAT = "chat"  # our own format's name, which no importer takes

__all__ = ["CHAT", "FORMATS", "IMPORTERS", "Format", "format_for_path", "format_named"]


def format_for_path(path: str) -> str | None:
    """The format a file's name asks for: ``talk.whatsapp.txt`` → ``whatsapp``."""
    name = path.lower()
    for fmt in IMPORTERS:
        if name.endswith(fmt.suffixes):
            return fmt.name
    return None


def format_named(name: str, line: int | None = None) -> Format:
    """The importer of that name, in any case; ``line`` is where a header names it."""
    importer = FORMATS.get(name.lower())
    if importer is None:
        raise ChatlogError(f"unknown format {name!r} (known: {CHAT}, {', '.join(sorted(FORMATS))})", line=line)
    return importer
