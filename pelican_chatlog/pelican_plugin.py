"""Pelican glue: the `.chat` reader and the signal receivers.

The only module that imports Pelican.  It composes the core steps (read,
link, render) the way `pelican_chatlog.parse` does, but takes the post's
date from Pelican's own metadata processing so every date format Pelican
accepts works here too.
"""

from __future__ import annotations

import logging
import os
from html import escape

from pelican import signals
from pelican.readers import BaseReader

from .link import link
from .model import ChatlogError, Conversation, format_location
from .parse import CHAT_KEYS, read_conversation
from .render import render

logger = logging.getLogger(__name__)

DEFAULT_EXTENSIONS = ["chat"]


def read_source(source_path: str) -> str:
    """The file as text, or an error naming the first byte that is not UTF-8."""
    with open(source_path, "rb") as source:
        data = source.read()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ChatlogError(
            f"not UTF-8 text: byte 0x{data[error.start]:02x} at offset {error.start} "
            "cannot be decoded (save the file as UTF-8)",
            line=line,
            path=source_path,
        ) from None


class ChatReader(BaseReader):
    """Reads `.chat` posts: an optional metadata header, then the chat."""

    enabled = True
    file_extensions = DEFAULT_EXTENSIONS

    def read(self, source_path):
        try:
            conversation = read_conversation(read_source(source_path))
            metadata = self.header_metadata(conversation)
            link(conversation, date=metadata.get("date"))
        except ChatlogError as error:
            located = error.located(source_path)
            # Pelican reports a failed file without the exception's text
            # unless DEBUG is on, so say what is wrong before it does.
            logger.error("%s", located)
            raise located from None
        for problem in conversation.problems:
            logger.warning("%s", format_location(source_path, problem.line, problem.message))
        metadata["chatlog"] = conversation
        metadata["speakers"] = [speaker.label for speaker in conversation.speakers]
        metadata.setdefault("title", title_from_path(source_path))
        metadata.setdefault("summary", self.summary(conversation))
        return render(conversation, template_folders=self.template_folders()), metadata

    def header_metadata(self, conversation: Conversation) -> dict:
        metadata = {}
        for key, value in conversation.metadata.items():
            if key in CHAT_KEYS:
                continue
            try:
                metadata[key] = self.process_metadata(key, " ".join(value.split("\n")))
            except ValueError as error:
                raise ChatlogError(
                    f"`{key.capitalize()}: {value}` cannot be read: {error}",
                    line=conversation.header_lines.get(key),
                ) from None
        return metadata

    def summary(self, conversation: Conversation) -> str:
        """The opening messages as escaped plain text, "Dana: Hi! I found …"."""
        limit = self.settings.get("SUMMARY_MAX_LENGTH") or 50
        suffix = self.settings.get("SUMMARY_END_SUFFIX", "…")
        words: list[str] = []
        for message in conversation.messages:
            words.append(f"{message.speaker.label}:")
            words.extend(message.text.split())
            if len(words) > limit:
                return escape(" ".join(words[:limit]) + " " + suffix)
        return escape(" ".join(words))

    def template_folders(self) -> list[str]:
        theme_templates = os.path.join(self.settings.get("THEME", ""), "templates")
        return [*self.settings.get("THEME_TEMPLATES_OVERRIDES", []), theme_templates]


def title_from_path(source_path: str) -> str:
    stem = os.path.basename(source_path).split(".")[0]
    words = stem.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else stem


def add_reader(readers) -> None:
    for extension in readers.settings.get("CHATLOG_EXTENSIONS", DEFAULT_EXTENSIONS):
        readers.reader_classes[extension] = ChatReader


def register() -> None:
    signals.readers_init.connect(add_reader)
