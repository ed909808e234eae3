"""Hide the people in a conversation before it is published.

Run on a linked conversation (after ``link``, so the site's styles, keyed by
real names, and the quotes naming the original still apply), this rewrites
the model in place, so whatever is made from it (the page, its summary,
title, tags, slug and feeds) holds only what is shown:

- a speaker shown under another name (``Speakers: Dana Okafor (name: D.)``,
  or CHATLOG_SPEAKERS' ``name``) is that name from then on, and every
  occurrence of the original in the text, @-mentions included, follows;
- in exports, by default, a speaker named by a phone number or an e-mail
  address becomes "Contact 1", "Contact 2" … (mentions follow), and phone
  numbers and e-mail addresses in the text are masked;
- the terms of `Redact:` and CHATLOG_REDACT (words, phrases, ``/regex/``)
  become one visible mask wherever they occur, names included.

Each text field costs one pass per rule, with patterns compiled once per
conversation, and an author's ``/regex/`` is refused when it could take
more than linear time (see :func:`check_regex`).  Nothing here imports
Pelican.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

try:  # the standard library's own regular-expression parser
    import re._constants as sre_constants  # type: ignore[import-not-found]
    import re._parser as sre_parse  # type: ignore[import-not-found]
except ImportError:  # Python 3.10
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

from .link import _unique, initials, slugify
from .model import ChatlogError, Conversation, Message, Narration, Speaker
from .readers.markup import escape_markdown
from .readers.speakers import QUOTED_NAME, separator_positions

MASK = "███"
PSEUDONYM = "Contact {}"
MASK_CHOICES = ("contacts", "phones", "emails")

# Metadata that says how to read the chat, not what it is about: never rewritten
# (`Source:` is a path we read).  `Redact:` and `Mask:` are dropped: the terms are the secret.
STRUCTURAL_KEYS = frozenset({"source", "format", "chat", "date", "modified", "timestamps", "day-first"})
PRIVACY_KEYS = ("redact", "mask")

# Bidirectional marks WhatsApp puts around numbers and names (`‪+44 7700 900123‬`)
FORMAT_MARKS = re.compile(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SEPARATOR = r"[ \u00a0.\-\u2010\u2011]"
_GROUP = r"(?:\d+|\(\d+\))"
# A phone number as people and apps write one.  Each shape starts where no
# word, digit or sign is, and ends before another digit, so dates (2024-03-05),
# times, prices, versions (1.2.3), IP addresses and long ids never match.
# Digit groups need a separator between them, so no two ways match one text.
PHONE = (
    # international: +44 7700 900123, +1 (555) 010-2030, +447700900123
    rf"\+{_GROUP}(?:{_SEPARATOR}{_GROUP}|\(\d+\))*"
    # national, with a trunk 0: 07700 900123, 020 7946 0018, 01 23 45 67 89
    r"|0\d(?:[ \u00a0]?\d){8,9}"
    # North American: (555) 010-2030, 555-010-2030, 555.010.2030
    r"|(?:\(\d{3}\)[ \u00a0]?|\d{3}[\-. \u00a0])\d{3}[\-. \u00a0]\d{4}"
)
PHONE_EDGES = (r"(?<![\w+\-.,/:])", r"(?![\w]|[.,:/\-]\d)")
PHONE_NAME = re.compile(rf"(?:{PHONE})")
# As WhatsApp writes a mention of an unsaved contact: @447700900123
MENTIONED_NUMBER = r"(?<=@)\d{7,15}(?!\w)"
# The local part starts where no address character is, so a long run of them is read once.
EMAIL = r"(?<![\w.+\-])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"
EMAIL_NAME = re.compile(EMAIL)
CONTACT_TEXT = re.compile(
    rf"(?P<email>{EMAIL})|(?P<mention>{MENTIONED_NUMBER})|{PHONE_EDGES[0]}(?P<phone>{PHONE}){PHONE_EDGES[1]}"
)
PHONE_DIGITS = range(7, 16)  # E.164 allows 15 digits; fewer than 7 are no phone number

# How many ways an author's /regex/ may try to match at one place in a text.
MAX_REGEX_WAYS = 10_000


def digits(text: str) -> str:
    return "".join(char for char in text if char.isdigit())


def contact_key(name: str) -> str | None:
    """The key of a speaker named by a phone number (its digits) or an e-mail
    address (casefolded), or None for any other name."""
    bare = FORMAT_MARKS.sub("", name).strip()
    if PHONE_NAME.fullmatch(bare) and len(digits(bare)) in PHONE_DIGITS:
        return digits(bare)
    if EMAIL_NAME.fullmatch(bare):
        return bare.casefold()
    return None


def words_pattern(text: str) -> str:
    """Text as a pattern matching it with any white space between its words."""
    return r"\s+".join(re.escape(word) for word in text.split())


def whole_words(alternatives: Iterable[str]) -> str:
    """One capturing group per alternative, matched only as whole words."""
    return r"(?<!\w)(?:" + "|".join(f"({alternative})" for alternative in alternatives) + r")(?!\w)"


class Rewriter:
    """Every text field's rewriting: names, contacts, phones and e-mail addresses, redactions.

    ``names`` maps original speaker names to the names shown instead;
    ``contacts`` maps a contact key (:func:`contact_key`) to the name shown
    for any way of writing that number or address.  Each rule is one
    precompiled pattern and one pass over a text.
    """

    def __init__(
        self,
        names: Mapping[str, str] = {},
        contacts: Mapping[str, str] = {},
        *,
        redact: re.Pattern | None = None,
        mask: str = MASK,
        mask_phones: bool = False,
        mask_emails: bool = False,
    ):
        originals = sorted((name for name in names if name.split()), key=len, reverse=True)
        self.shown = [names[name] for name in originals]
        self.names = re.compile(whole_words(map(words_pattern, originals)), re.IGNORECASE) if originals else None
        self.contacts = dict(contacts)
        self.redact = redact
        self.mask = mask
        self.mask_phones = mask_phones
        self.mask_emails = mask_emails
        self.finds_contacts = bool(contacts) or mask_phones or mask_emails

    def __call__(self, text: str, *, markdown: bool = False) -> str:
        """The text rewritten; ``markdown``: it is a message body, where the mask must stay literal."""
        if not text:
            return text
        if self.names is not None:
            text = self.names.sub(self._shown_name, text)
        mask = escape_markdown(self.mask) if markdown else self.mask
        if self.finds_contacts:
            text = CONTACT_TEXT.sub(lambda match: self._contact(match, mask), text)
        if self.redact is not None:
            text = self.redact.sub(mask.replace("\\", "\\\\"), text)
        return text

    def _shown_name(self, match: re.Match) -> str:
        return self.shown[match.lastindex - 1]  # type: ignore[operator]

    def _contact(self, match: re.Match, mask: str) -> str:
        found = match.group()
        if match.lastgroup == "email":
            return self.contacts.get(found.casefold()) or (mask if self.mask_emails else found)
        number = digits(found)
        if len(number) not in PHONE_DIGITS:
            return found
        return self.contacts.get(number) or (mask if self.mask_phones else found)

    def conversation(self, conversation: Conversation) -> None:
        """Rewrite every text of the conversation in place, speakers' names included."""
        for speaker in conversation.speakers:
            speaker.name = self(speaker.name)
        for item in conversation.items:
            if isinstance(item, Narration):
                item.text = self(item.text)
                continue
            self.message(item)
        for key, value in conversation.metadata.items():
            if key not in STRUCTURAL_KEYS:
                conversation.metadata[key] = self(value)

    def message(self, message: Message) -> None:
        message.text = self(message.text, markdown=True)
        for quote in message.quotes:
            quote.text = self(quote.text, markdown=True)
        for attachment in message.attachments:
            attachment.name = self(attachment.name)  # `file`, where the export keeps it, is never shown
        for reaction in message.reactions:
            reaction.who = [self(name) for name in reaction.who]
        message.forwarded_from = self(message.forwarded_from)


def rename_speakers(conversation: Conversation, names: Mapping[Speaker, str]) -> None:
    """Give speakers new names, everywhere: the speaker itself (its slug and
    initials made again from the new name, any display name dropped) and
    every occurrence of its old name in the conversation's text, whole words
    in any case and spacing, @-mentions included (``@Dana Okafor`` → ``@D.``).
    A speaker named by a phone number is followed however the number is
    written, WhatsApp's mention ``@447700900123`` included.

    The conversation must be linked; quotes and backlinks keep pointing at
    their speakers and messages.
    """
    rewriter = Rewriter(*renaming(names))
    rewriter.conversation(conversation)
    for speaker, name in names.items():
        speaker.name = name
        speaker.display_name = ""
    restyle(conversation.speakers)


def renaming(names: Mapping[Speaker, str]) -> tuple[dict[str, str], dict[str, str]]:
    """The rewriter's ``names`` and ``contacts`` for renaming these speakers."""
    by_name: dict[str, str] = {}
    contacts: dict[str, str] = {}
    for speaker, name in names.items():
        if speaker.name != name:
            by_name[speaker.name] = name
        key = contact_key(speaker.name)
        if key is not None:
            contacts[key] = name
    return by_name, contacts


def restyle(speakers: list[Speaker]) -> None:
    """Slugs (unique, as link makes them) and initials from the names speakers have now."""
    taken: dict[str, int] = {}
    for speaker in speakers:
        speaker.slug = _unique(slugify(speaker.name), taken)
        speaker.initials = initials(speaker.label)
