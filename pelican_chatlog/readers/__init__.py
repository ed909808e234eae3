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

import importlib
from collections.abc import Iterator, Mapping
from types import MappingProxyType

from ..model import ChatlogError
from .format import Format

# Each importer's module (named as its format) and the file names that ask for
# it, listed here so that reading one format imports only its own module: each
# compiles its patterns when imported, and a command reading one IRC log would
# otherwise pay for all six.  tests/test_speed3.py checks these against each
# module's FORMAT.
SUFFIXES: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "discord": (".discord.json",),
    "irc": (".irc.log", ".irc.txt"),
    "signal": (".signal.txt",),
    "slack": (".slack.json",),
    "telegram": (".telegram.json",),
    "whatsapp": (".whatsapp.txt", ".whatsapp.zip"),
})


# The shapes of text copied from an app's window (readers.pastes), by name: read by our
# `.chat` reader, so deciding that a text is ours imports neither (tests/test_speed3.py
# checks these against pastes.PASTE_SHAPES).
PASTE_FORMATS = ("slack-paste", "discord-paste", "teams-paste", "telegram-paste", "whatsapp-paste")


class Importers(Mapping[str, Format]):
    """Each importer's Format by its name; a module is imported when its format is first asked for."""

    def __getitem__(self, name: str) -> Format:
        if name not in SUFFIXES:
            raise KeyError(name)
        importer: Format = importlib.import_module(f"{__name__}.{name}").FORMAT
        return importer

    def __iter__(self) -> Iterator[str]:
        return iter(SUFFIXES)

    def __len__(self) -> int:
        return len(SUFFIXES)


FORMATS: Mapping[str, Format] = Importers()
CHAT = "chat"  # our own format's name, which no importer takes

__all__ = ["CHAT", "FORMATS", "Format", "PASTE_FORMATS", "SUFFIXES", "format_for_path", "format_named"]


def format_for_path(path: str) -> str | None:
    """The format a file's name asks for: ``talk.whatsapp.txt`` → ``whatsapp``."""
    name = path.lower()
    for format, suffixes in SUFFIXES.items():
        if name.endswith(suffixes):
            return format
    return None


def format_named(name: str, line: int | None = None) -> Format:
    """The importer of that name, in any case; ``line`` is where a header names it."""
    importer = FORMATS.get(name.lower())
    if importer is None:
        known = ", ".join([CHAT, *sorted(FORMATS), *PASTE_FORMATS])
        raise ChatlogError(f"unknown format {name!r} (known: {known})", line=line)
    return importer
