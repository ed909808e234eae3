"""What a chat in which no line was read as a message is told.

Such a chat is still shown (every line as narration), but it is almost
always a paste or an export in a shape we do not read, so the pipeline
warns, naming the shapes it tried and where the README describes them.

:func:`chat_shapes` lists the shapes the `.chat` reader recognises as
messages, one ``(sample, what it is)`` pair each: a reader of a new shape (a
paste from another app) adds its pair there, and the warning names it.
"""

from __future__ import annotations

from ..model import Problem
from .format import Format


def chat_shapes() -> tuple[tuple[str, str], ...]:
    # the pastes are imported only when a chat is being told this: reading an export needs none
    from .pastes import SHAPES as PASTE_SHAPES

    return (
        ("Dana: text", "our format, as pasted from DM apps: the name, a colon, the text"),
        ("[18:02] Dana: text", "a message with its time"),
        *((shape.sample, f"copied from {shape.app}, `Format: {shape.name}`") for shape in PASTE_SHAPES),
    )

CHAT_README = ('"Pasting from an app"', '"The .chat format"')
EXPORTS_README = '"Chat app exports"'


def no_message_in_chat(line: int | None) -> Problem:
    """The warning for a `.chat` text (or ```` ```chat ```` block) without a message."""
    tried = "; ".join(f"`{sample}` ({what})" for sample, what in chat_shapes())
    return Problem(
        line,
        "no line was recognised as a message, so the whole chat is shown as narration. "
        f"Shapes tried: {tried}. If this is a paste from an app, see {CHAT_README[0]} in the "
        f"README; for writing a chat by hand, {CHAT_README[1]}",
    )


def no_message_in_export(importer: Format, line: int | None, path: str | None = None) -> Problem:
    """The warning for an export in which the importer read no message."""
    return Problem(
        line,
        f"no message was recognised in this {importer.title} export, so it is shown as narration "
        f"only. A message looks like: {importer.sample}. See {EXPORTS_README} in the README "
        "and `pelican-chatlog formats`",
        path,
    )
