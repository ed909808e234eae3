"""Rich text of exports (Telegram entities, Slack mrkdwn, file names) as our Markdown."""

from __future__ import annotations

import re

from ..syntax import BARE_URL, LITERAL

MARKDOWN_SPECIAL = re.compile(r"([`*_\[\]])")
# Our own marks ~~strike~~, ++underline++ and ||spoiler|| (see inline.py)
# are made of doubled signs: a run of one of them, to mark where it could
# open or close such a mark.
DOUBLED_SIGN = re.compile(r"([~+|])\1+")
# Signs that make a line a block (a quote, a list item) at a line's start.
BLOCK_SIGN = re.compile(r"^(>|[-*+](?= )|[0-9]{1,9}(?=[.)] ))", re.MULTILINE)
# web addresses keep their signs as typed: a mark in one would change the link.
# The renderer's own pattern, so that each ends where its link will: also at a
# sign marked literal, which the renderer puts aside before it looks for links.
WEB_ADDRESS = re.compile(BARE_URL.replace(r"\x00-\x1f", LITERAL + r"\x00-\x1f"))


def escape_markdown(text: str) -> str:
    """Plain text from a rich-text export, kept literal inside our Markdown bodies.

    Not with backslashes, which show as typed in chat: each Markdown sign gets
    the LITERAL mark (U+FDD0) before it, which Markdown drops and plain text
    never holds.  So do our marks' doubled signs (`~~`, `++`, `||`) where
    they could open or close a mark, and a sign that would make a line a
    block quote or a list item (`> `, `- `, `1. `).
    """
    text = MARKDOWN_SPECIAL.sub(LITERAL + r"\1", text)
    if BLOCK_SIGN.search(text):
        text = BLOCK_SIGN.sub(_block_sign, text)
    return literal_signs(text)


def literal_signs(text: str, signs: str = "~+|") -> str:
    """The text with each run of `~`, `+` or `|` (those of ``signs``) that
    could open or close one of our marks marked literal, outside web
    addresses: for an app in whose text these signs are no marks."""
    if not DOUBLED_SIGN.search(text):
        return text

    def mark(match: re.Match[str]) -> str:
        return _doubled_sign(match) if match[1] in signs else match[0]

    return _outside_addresses(text, lambda part: DOUBLED_SIGN.sub(mark, part))


def _doubled_sign(match: re.Match[str]) -> str:
    """A run of `~`, `+` or `|` with a mark before each sign but its last,
    when it could open or close one of our marks.

    The edge of the text counts as anything: the text may be one part of a
    message, and the mark be made with the part beside it.  So `C++` is
    marked, but `1++2` and `a || b` are not.
    """
    text, sign, run = match.string, match[1], match[0]
    before = text[match.start() - 1] if match.start() else ""
    after = text[match.end()] if match.end() < len(text) else ""
    may_open = not _word_or(before, sign) and not after.isspace()
    may_close = not before.isspace() and not _word_or(after, sign)
    if not (may_open or may_close):
        return run
    return (LITERAL + sign) * (len(run) - 1) + sign


def _word_or(character: str, sign: str) -> bool:
    return character == sign or character == "_" or character.isalnum()


def _block_sign(match: re.Match[str]) -> str:
    sign = match[1]
    # `12. ` is no list item once its `.` is marked: digits take no mark
    return sign + LITERAL if sign[0].isdigit() else LITERAL + sign


def _outside_addresses(text: str, change) -> str:
    out = []
    position = 0
    for match in WEB_ADDRESS.finditer(text):
        out.append(change(text[position : match.start()]))
        out.append(match[0])
        position = match.end()
    out.append(change(text[position:]))
    return "".join(out)


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


def with_forwarded(own: str, forwarded: list[str], *, as_quote: bool = False) -> str:
    """A body carrying forwarded (shared) messages' texts, all Markdown already.

    Forwarded alone, the one text is the body: the `forwarded from` mark says
    whose it is.  Under the forwarder's own words, or when whose it is is not
    known (``as_quote``), each is a `>` quote after them: never mistaken for
    the forwarder's words.
    """
    forwarded = [text for text in forwarded if text.strip()]
    if not own.strip() and len(forwarded) == 1 and not as_quote:
        return forwarded[0]
    quoted = ["\n".join(f"> {line}" if line.strip() else ">" for line in text.split("\n")) for text in forwarded]
    return "\n\n".join([own, *quoted] if own.strip() else quoted)
