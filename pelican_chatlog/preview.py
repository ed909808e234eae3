"""A quoted message's preview: its text as the message shows it, as plain text.

A reply's quote shows the start of what it answers, the way chat apps show
a reply's preview: the words without their formatting.  The quote's text is
the body as written (`~~28~~ 30`, `||the winner||`, `[guide](https://…)`),
so it is rendered as the body would be, then read back as text: marks and
link targets go, and a spoiler's words are replaced by SPOILER_SHOWN, so
they never show in clear, not in a feed nor without CSS.  Plain text keeps
the preview valid inside the quote's link to its message (no link in a link)
and free of the spoiler's focusable cover.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from .inline import (
    BLOCK_LINE,
    MARKDOWN_SIGNS,
    MAX_MARKDOWN_CHARACTERS,
    SPOILER,
    SPOILER_CLASS,
    escape_text,
    plain_body,
    plain_text_lines,
    render_body_text,
    without_literal_marks,
)

# What a preview or a summary shows for a spoiler's words.
SPOILER_SHOWN = "[spoiler]"
SPOILER_SPAN = re.compile(SPOILER)
# Elements of a rendered body that stand on lines of their own.
BLOCKS = {"blockquote", "div", "li", "ol", "p", "pre", "ul"}


def preview_text(text: str) -> str:
    """A body's text as a reader sees it, without its marks; spoilers hidden."""
    if len(text) > MAX_MARKDOWN_CHARACTERS:  # a body this long is shown as typed, but its spoilers are not
        return without_literal_marks(SPOILER_SPAN.sub(SPOILER_SHOWN, text))
    if plain_body(text) is not None:
        return text  # shown as typed, only escaped: reading the escaped text back gives the text
    reader = _TextReader()
    reader.feed(render_body_text(text))
    reader.close()
    return "".join(reader.text).strip("\n")


def preview_lines(text: str) -> str:
    """preview_text, escaped, its line breaks kept (as plain_text_lines writes them)."""
    if MARKDOWN_SIGNS.search(text) is None and BLOCK_LINE.search(text) is None:
        return plain_text_lines(text)  # nothing to render: the text is shown as typed
    shown = escape_text(preview_text(text))
    return shown.replace("\n", "<br>\n") if "\n" in shown else shown


class _TextReader(HTMLParser):
    """The text of a rendered body: a block on lines of its own, a spoiler as SPOILER_SHOWN."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.hidden = 0  # elements open inside a spoiler, itself included

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            return  # the body's newline follows it as text
        if self.hidden:
            self.hidden += 1
        elif SPOILER_CLASS in (dict(attrs).get("class") or "").split():
            self.hidden = 1
            self.text.append(SPOILER_SHOWN)
        elif tag in BLOCKS:
            self.new_line()

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag != "br":
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if self.hidden:
            self.hidden -= 1
        elif tag in BLOCKS:
            self.new_line()

    def handle_data(self, data):
        if not self.hidden:
            self.text.append(data)

    def new_line(self) -> None:
        if self.text and not self.text[-1].endswith("\n"):
            self.text.append("\n")
