"""A Python-Markdown extension: a ```chat fenced block renders as a conversation.

    Some prose.

    ```chat
    Dana: Why did the co-op stop lending the truing stand?
    Marcus_R: It came back bent, twice.
    ```

The block goes through the same parse and render as a `.chat` post.  Its
anchors get a prefix made from the block's text, so two chats on one page
(or on one index page) never share an id.
"""

from __future__ import annotations

import logging
import re
import zlib

from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markupsafe import escape

from . import parse
from .model import ChatlogError
from .render import render

logger = logging.getLogger(__name__)

CHAT_FENCE = re.compile(
    r"^(?P<fence>`{3,}|~{3,})[ ]*\{?\.?chat\}?[ ]*\n(?P<text>.*?)(?<=\n)(?P=fence)[ ]*$",
    re.MULTILINE | re.DOTALL,
)


class ChatFencePreprocessor(Preprocessor):
    def __init__(self, md, config):
        super().__init__(md)
        self.config = config

    def run(self, lines):
        text = "\n".join(lines)
        if "chat" not in text:
            return lines
        return CHAT_FENCE.sub(self.replace, text).split("\n")

    def replace(self, match: re.Match) -> str:
        source = match["text"]
        # Problems count lines inside the block; report them as lines of the file.
        first_line = match.string.count("\n", 0, match.start()) + 1
        prefix = f"chat-{zlib.crc32(source.encode('utf-8')):08x}-"
        try:
            conversation = parse(
                source,
                id_prefix=prefix,
                speaker_styles=self.config["speaker_styles"],
                author=self.config["author"],
                guess_me=self.config["guess_me"],
            )
        except ChatlogError as error:
            logger.error("```chat block at line %d: %s", first_line + (error.line or 1), error.message)
            return self.stash(f'<pre class="chatlog-error">{escape(source)}</pre>')
        for problem in conversation.problems:
            logger.warning("```chat block at line %d: %s", first_line + (problem.line or 1), problem.message)
        return self.stash(
            render(
                conversation,
                template_folders=self.config["template_folders"],
                color_scheme=self.config["color_scheme"],
            )
        )

    def stash(self, html: str) -> str:
        return "\n\n" + self.md.htmlStash.store(html) + "\n\n"


class ChatFenceExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {
            "template_folders": [[], "folders searched before the bundled templates"],
            "speaker_styles": [{}, "per-speaker styles, as CHATLOG_SPEAKERS"],
            "color_scheme": ["auto", "as CHATLOG_COLOR_SCHEME"],
            "author": ["", "the site's AUTHOR: that speaker sits on the right"],
            "guess_me": [True, "as CHATLOG_GUESS_ME"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        # after normalize_whitespace (30) so lines are the file's, before
        # meta (27) and fenced_code (25) so the block is not turned into <pre>
        md.preprocessors.register(ChatFencePreprocessor(md, self.getConfigs()), "chatlog_fence", 29)


def makeExtension(**kwargs):
    return ChatFenceExtension(**kwargs)
