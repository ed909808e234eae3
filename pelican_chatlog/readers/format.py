"""What an importer tells the rest of the package about its format."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..model import Conversation, Problem

ARCHIVE_SUFFIX = ".zip"


def is_archive(path) -> bool:
    """Whether a file is a zipped export (read by readers.archive, which imports zipfile)."""
    return str(path).lower().endswith(ARCHIVE_SUFFIX)


@dataclass(frozen=True)
class Format:
    """One chat app's export format and the function that reads it.

    ``read(text, *, first_line=0, path=None, **options)`` returns an
    *unlinked* Conversation; ``first_line`` is the number of lines above the
    text in its file (a `.chat` header), ``path`` the file its problems name.
    It takes exactly the keywords in ``options`` besides those two, so an
    option a format does not take is an error, not silently ignored.
    """

    name: str
    title: str
    suffixes: tuple[str, ...]  # "*.whatsapp.txt" files are read in this format
    read: Callable[..., Conversation]
    sample: str
    how_to_export: str
    read_folder: Callable[..., Conversation] | None = None  # (path, *, files=None), for folder exports
    # (text, *, day=PATH, files=SourceFolder, first_line, path): a file on disk that reads
    # others beside it through ``files`` (a Slack day file, its workspace's users.json)
    read_beside: Callable[..., Conversation] | None = None
    options: tuple[str, ...] = ()  # the import options read() takes, e.g. ("day_first",)
    # How a file in this format becomes text, when not strictly as UTF-8: bytes -> (text, warnings).
    # IRC logs mix encodings line by line; every other format's file must be UTF-8.
    decode: Callable[[bytes], tuple[str, list[Problem]]] | None = None
    # For an export that may come as a zip: the names at the zip's top level -> the chat's
    # name among them (or a ChatlogError); its other members are the files the chat names.
    chat_in_archive: Callable[[list[str]], str] | None = None
    # The folder an export's file notes are relative to, from the export's path, when that is
    # not the export's own folder (a Slack channel's files are kept in its workspace's folder).
    media_folder: Callable[[str], str] | None = None
