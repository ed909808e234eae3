"""Plain-text summaries of posts that show a chat.

Pelican summarises a post by cutting its HTML after so many words, which
cuts a conversation anywhere: an index page then shows half a message, a
quote without its reply, or times without messages.  A post that shows a
chat gets a text summary instead, read from the page as a reader sees it:
the prose, and each message as "Dana: text", without the times, quotes,
avatars and backlinks around it, and with each spoiler hidden.  `clip` cuts it at a word limit, never
between a speaker's name and the text.
"""

from __future__ import annotations

from collections.abc import Iterable
from html.parser import HTMLParser

from .inline import SPOILER_CLASS
from .model import Message
from .preview import SPOILER_SHOWN, preview_text

# Text in these runs on from the text around it; any other tag parts words.
INLINE = {
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i", "ins", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "u", "var",
}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
NEVER_TEXT = {"script", "style", "template", "time"}
# Parts of a message that are not what the speaker said (templates/chatlog/).
NOT_SAID = {"chatlog-quote", "chatlog-backlinks", "chatlog-avatar"}

Part = tuple[str | None, str]  # (speaker's label, text); no label for prose


def clip(parts: Iterable[Part], limit: int | None, suffix: str) -> str:
    """ "prose … Dana: text … Marcus R.: text", cut after `limit` words.

    A label counts as one word however many it has, and a cut never leaves
    a label without its text; `limit` None keeps every word.
    """
    words: list[str] = []
    labels: set[int] = set()  # the places in `words` that are labels
    for label, text in parts:
        if label is not None:
            labels.add(len(words))
            words.append(f"{label}:")
        words.extend(text.split())
        if limit is not None and len(words) > limit:
            break
    if limit is None or len(words) <= limit:
        return " ".join(words)
    kept = max(limit, 0)
    while kept and kept - 1 in labels:
        kept -= 1
    return " ".join([*words[:kept], suffix]).strip() if suffix else " ".join(words[:kept])


def said(message: Message) -> str:
    """A message as its page shows it to a reader, for a summary: the body without
    marks, then what it carried ("[image: photo.jpg]", "(deleted)"), so a photo
    sent alone is not a speaker's name with nothing after it."""
    carried = [attachment.placeholder for attachment in message.attachments]
    deleted = "(deleted)" if message.deleted else ""
    return " ".join(part for part in (preview_text(message.text), *carried, deleted) if part)


def chat_post_parts(html: str) -> list[Part] | None:
    """The prose and messages of a page's HTML, in order; None if it shows no chat."""
    reader = _PartsReader()
    reader.feed(html)
    reader.close()
    if not reader.found_chat:
        return None
    return [(label, "".join(texts)) for label, texts in reader.parts]


class _PartsReader(HTMLParser):
    """Walks the HTML once, keeping the text of prose and of what was said.

    Each open element has a role: "prose" outside any chat, "chat" inside
    one (whose own text, days and narration, is left out), "message",
    "label" (the <b> naming a run's speaker) or "skip".
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, str]] = []  # (tag, role), innermost last
        self.parts: list[tuple[str | None, list[str]]] = []
        self.found_chat = False
        self.speaker = ""  # the label of the run the current message is in
        self.label: list[str] = []
        self.names_speaker = False  # the current message begins with its speaker's name

    @property
    def role(self) -> str:
        return self.open[-1][1] if self.open else "prose"

    def handle_starttag(self, tag, attrs):
        if tag not in INLINE:
            self.add(" ")
        if tag in VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        self.open.append((tag, self.role_of(tag, classes)))

    def role_of(self, tag: str, classes: set[str]) -> str:
        role = self.role
        if role == "skip" or tag in NEVER_TEXT or classes & NOT_SAID:
            return "skip"
        if SPOILER_CLASS in classes:  # a summary shows no spoiler in clear, as a quote's preview
            self.add(SPOILER_SHOWN)
            return "skip"
        if role == "prose" and "chatlog" in classes:
            self.found_chat = True
            return "chat"
        if role == "chat" and tag == "li" and "chatlog-message" in classes:
            self.parts.append((self.speaker, []))
            # the first message of a run names its speaker (chatlog-speaker-…)
            self.names_speaker = any(name.startswith("chatlog-speaker-") for name in classes)
            return "message"
        if role == "message" and tag == "b" and self.names_speaker and not "".join(self.parts[-1][1]).strip():
            self.label = []
            return "label"
        return role

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if not any(open_tag == tag for open_tag, _ in self.open):
            return  # a stray end tag
        while self.open:
            open_tag, role = self.open.pop()
            if role == "label" and self.role == "message":
                self.speaker = " ".join("".join(self.label).split())
                self.parts[-1] = (self.speaker, self.parts[-1][1])
                self.names_speaker = False  # named once: a <b> after it is what was said
            if open_tag == tag:
                break
        if tag not in INLINE:
            self.add(" ")

    def handle_data(self, data):
        if self.role == "label":
            self.label.append(data)
        else:
            self.add(data)

    def add(self, text: str) -> None:
        role = self.role
        if role == "prose":
            if not self.parts or self.parts[-1][0] is not None:
                self.parts.append((None, []))
            self.parts[-1][1].append(text)
        elif role == "message":
            self.parts[-1][1].append(text)
