"""Rich text of exports (Telegram entities, Slack mrkdwn, file names) as our Markdown."""

from __future__ import annotations

import re

from ..inline import LITERAL

MARKDOWN_SPECIAL = re.compile(r"([`*_\[\]])")


def escape_markdown(text: str) -> str:
    """Plain text from a rich-text export, kept literal inside our Markdown bodies.

    Not with backslashes, which show as typed in chat: each Markdown sign gets
    the LITERAL mark (U+FDD0) before it, which Markdown drops and plain text
    never holds.
    """
    return MARKDOWN_SPECIAL.sub(LITERAL + r"\1", text)


def wrap(marker: str, text: str) -> str:
    """`**bold**` around text whose edge spaces stay outside, as Markdown needs."""
    core = text.strip()
    if not core:
        return text
    start = text.index(core[0])
    return f"{text[:start]}{marker}{core}{marker}{text[start + len(core):]}"


def code_span(text: str) -> str:
    fence = "``" if "`" in text else "`"
    return f"{fence} {text} {fence}" if fence == "``" else f"`{text}`"
