"""A Python-Markdown extension: a ```chat fenced block renders as a conversation.

    Some prose.

    ```chat
    Dana: Why did the co-op stop lending the truing stand?
    Marcus_R: It came back bent, twice.
    ```

The block goes through the same parse and render as a `.chat` post.  Its
anchors get a prefix made from the post's path and the block's place in it,
so two chats on one page (or on one index page) never share an id.  Its
`Source:` resolves from the post's folder and reads only inside the content
folder, which Pelican's reader tells it through CURRENT_POST; a block
converted outside Pelican reads no `Source:`.  The files its messages name
(`[image: stand.png | photos/stand.png]`, or an export's) are found the
same way a `.chat` post's are (see media), from the post's folder or the
`Source:`'s, and the reader hands them to the post to be copied.
"""

from __future__ import annotations

import logging
import os
import re
import zlib
from contextvars import ContextVar
from typing import NamedTuple

from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markupsafe import escape

from .media import MediaFolder, files_folder, lines_file
from .model import ChatlogError, format_location
from .pipeline import read_conversation
from .privacy import Privacy
from .render import render
from .readers.sources import DEFAULT_MAX_SOURCE_BYTES

logger = logging.getLogger(__name__)

CHAT_FENCE = re.compile(
    r"^(?P<fence>`{3,}|~{3,})[ ]*\{?\.?chat\}?[ ]*\n(?P<text>.*?)(?<=\n)(?P=fence)[ ]*$",
    re.MULTILINE | re.DOTALL,
)

# What a block that cannot be read shows instead of itself (the build log says why)
UNREADABLE = "This chat could not be shown: see the site's build log."


class Post(NamedTuple):
    path: str  # the Markdown file being converted
    root: str  # the content folder its fences' `Source:` may read from
    media: MediaFolder | None = None  # resolves the files its fences show, for the post to copy


CURRENT_POST: ContextVar[Post | None] = ContextVar("chatlog_current_post", default=None)


class ChatFencePreprocessor(Preprocessor):
    def __init__(self, md, config):
        super().__init__(md)
        self.config = config
        self.blocks = 0  # blocks converted by this Markdown instance, for unique ids

    def run(self, lines):
        text = "\n".join(lines)
        if "chat" not in text:
            return lines
        return CHAT_FENCE.sub(self.replace, text).split("\n")

    def replace(self, match: re.Match) -> str:
        source = match["text"]
        # the fence line and everything above it: so lines are counted as the post's
        first_line = match.string.count("\n", 0, match.start("text"))
        post = CURRENT_POST.get()
        self.blocks += 1
        try:
            conversation = read_conversation(
                source,
                path=post and post.path,
                first_line=first_line,
                root=post and post.root,
                max_source_bytes=self.config["max_source_bytes"],
                id_prefix=self.id_prefix(post, source),
                speaker_styles=self.config["speaker_styles"],
                author=self.config["author"],
                guess_me=self.config["guess_me"],
                privacy=Privacy.from_settings(self.config["privacy"]),
            )
        except ChatlogError as error:
            logger.error("%s", self.location(post, error))
            # not the block's text: what its `Redact:`, display names and masking would have hidden
            return self.stash(f'<pre class="chatlog-error">{escape(UNREADABLE)}</pre>')
        for problem in conversation.problems:
            logger.warning("%s", self.location(post, problem))
        if post is not None and post.media is not None:
            warned = len(post.media.warnings)
            post.media.resolve(conversation.messages, files_folder(post.path, conversation.metadata),
                               lines_file(post.path, conversation.metadata))
            for warning in post.media.warnings[warned:]:
                logger.warning("%s", warning)
        return self.stash(
            render(
                conversation,
                template_folders=self.config["template_folders"],
                color_scheme=self.config["color_scheme"],
            )
        )

    def id_prefix(self, post: Post | None, source: str) -> str:
        """The post (its path in the content folder, the same on every machine) and the block's number in it."""
        where = posix_path(os.path.relpath(post.path, post.root)) if post else source
        return f"chat-{zlib.crc32(where.encode('utf-8')):08x}-{self.blocks}-"

    @staticmethod
    def location(post: Post | None, problem) -> str:
        """`post.md:LINE: message`, or the export's own file and line for a problem in a `Source:`."""
        return format_location(problem.path or (post.path if post else "```chat block"), problem.line,
                               problem.message)

    def stash(self, html: str) -> str:
        return "\n\n" + self.md.htmlStash.store(html) + "\n\n"


class ChatFenceExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {
            "template_folders": [[], "folders searched before the bundled templates"],
            "speaker_styles": [{}, "per-speaker styles, as CHATLOG_SPEAKERS"],
            "max_source_bytes": [DEFAULT_MAX_SOURCE_BYTES, "the most read of a `Source:` file"],
            "color_scheme": ["auto", "as CHATLOG_COLOR_SCHEME"],
            "author": ["", "the site's AUTHOR: that speaker sits on the right"],
            "guess_me": [True, "as CHATLOG_GUESS_ME"],
            "privacy": [{}, "the site's CHATLOG_REDACT, CHATLOG_MASK_PHONES … (see privacy.Privacy)"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        # after normalize_whitespace (30) so lines are the file's, before
        # meta (27) and fenced_code (25) so the block is not turned into <pre>
        md.preprocessors.register(ChatFencePreprocessor(md, self.getConfigs()), "chatlog_fence", 29)


def posix_path(path: str) -> str:
    return path.replace(os.sep, "/")


def makeExtension(**kwargs):
    return ChatFenceExtension(**kwargs)
