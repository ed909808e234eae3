"""How a quote is found among what was said: compared loosely, looking back a bounded way.

The linker links `.chat` quotes this way, and the Signal reader finds the
message a `>` reply block quotes the same way, so both agree on what a
quote means.
"""

from __future__ import annotations

import re

WORDS = re.compile(r"\w+")
# How far back a quote is looked for among its speaker's messages: their
# latest this many, or this many characters of them (loosely compared), if
# that comes first.  An older message is found only when the quote is the
# whole of it.  So each quote costs bounded work, whatever the chat's length.
QUOTE_LOOK_BACK_MESSAGES = 300
QUOTE_LOOK_BACK_CHARACTERS = 30_000


def loose(text: str) -> str:
    """Text as a reader compares it: no case, punctuation or quote-mark style."""
    words = WORDS.findall(text.casefold())
    if words:
        return " " + " ".join(words) + " "
    return " ".join(text.casefold().split())
