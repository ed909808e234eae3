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

import bisect
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

try:  # the standard library's own regular-expression parser
    import re._constants as sre_constants  # type: ignore[import-not-found]
    import re._parser as sre_parse  # type: ignore[import-not-found]
except ImportError:  # Python 3.10
    import sre_constants
    import sre_parse

from .link import _unique, initials, slugify
from .colors import speaker_colors
from .model import ChatlogError, Conversation, Message, Narration, Speaker
from .readers.markup import escape_markdown
from .readers.speakers import QUOTED_NAME
from .syntax import LITERAL, LITERAL_CHARACTER

MASK = "███"
CONTACT_PSEUDONYM = "Contact {}"
MASK_CHOICES = ("contacts", "phones", "emails")

# Metadata that says how to read the chat, not what it is about: never rewritten
# (`Source:` is a path we read; a masked `Status:`, `Template:` or `Lang:` would drop the
# post or fail the build).  `Redact:` and `Mask:` are dropped: the terms are the secret.
STRUCTURAL_KEYS = frozenset({
    "source", "format", "chat", "date", "modified", "timestamps", "day-first",
    "status", "template", "lang", "translation",
})

# Bidirectional marks WhatsApp puts around numbers and names (`‪+44 7700 900123‬`)
FORMAT_MARKS = re.compile(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SEPARATOR = r"[ \u00a0.\-\u2010\u2011]"
_GROUP = r"(?:\d+|\(\d+\))"
# A phone number as people and apps write one.  Each shape starts where no
# word, digit or sign is, and ends before another digit, so dates (2024-03-05),
# times, prices, versions (1.2.3), IP addresses and long ids never match.
# Digit groups need a separator between them, so no two ways match one text.
PHONE = (
    # international: +44 7700 900123, +1 (555) 010-2030, +447700900123, (+44) 7700 900123
    rf"(?:\+{_GROUP}|\(\+\d{{1,4}}\))(?:{_SEPARATOR}{_GROUP}|\(\d+\))*"
    # international from Europe, the `+` dialled as 00: 0044 7700 900123
    rf"|00[1-9]\d{{0,3}}(?:{_SEPARATOR}{_GROUP})+"
    # national, with a trunk 0: 07700 900123, 020 7946 0018, 01 23 45 67 89
    r"|0\d(?:[ \u00a0]?\d){8,9}"
    # North American: (555) 010-2030, 555-010-2030, 555.010.2030
    r"|(?:\(\d{3}\)[ \u00a0]?|\d{3}[\-. \u00a0])\d{3}[\-. \u00a0]\d{4}"
)
# An `_` beside a number, an address, a name or a term is a Markdown mark (`_Dana Okafor_`,
# italic, as WhatsApp and Markdown write it), not part of it; but a word joined to it by an
# `_` (`bob_away`, a nick) makes one word with it.
NOT_AFTER_WORD, NOT_BEFORE_WORD = r"(?<![^\W_])(?<![^\W_]_)", r"(?![^\W_]|_[^\W_])"
PHONE_EDGES = (r"(?<![^\W_]|[+\-.,/:])", r"(?![^\W_]|[.,:/\-]\d)")
# A number with its `+` may also follow a colon or a slash: `tel:+447700900123`,
# `Phone:+44 …`, `wa.me/+447700900123`; that is never a time, a date or a version.
PHONE_START = rf"(?:(?<![^\W_]|[+\-.,])(?=\(?\+)|{PHONE_EDGES[0]})"
PHONE_NAME = re.compile(rf"(?:{PHONE})")
# As WhatsApp writes a mention of an unsaved contact: @447700900123
MENTIONED_NUMBER = rf"(?<=@)\d{{7,15}}{NOT_BEFORE_WORD}"
# WhatsApp's click-to-chat link to a number, https://wa.me/447700900123: masked (a name would break the link)
LINKED_NUMBER = rf"(?<=wa\.me/)\d{{7,15}}{NOT_BEFORE_WORD}"
# The local part starts where no address character is, or after an `_` that starts a run
# of them (`_lee@example.org_`, italic), so a long run of them is read once; the domain
# is host names (no `_`: `audio_1@14-03-2024_09-22.ogg` is a file) ending in a name of
# letters.  An importer's plain text marks `_` literal (escape_markdown): `lee\ufdd0_vance@…`
# is one address.
_ADDRESS_CHAR = rf"[\w.+\-{LITERAL}]"
EMAIL = rf"(?:(?<!{_ADDRESS_CHAR})(?!_)|(?<=_)(?<!{_ADDRESS_CHAR}_)){_ADDRESS_CHAR}+@(?:[^\W_](?:[^\W_]|-)*\.)+[^\W\d_]{{2,}}(?![^\W_]|-)"
EMAIL_NAME = re.compile(EMAIL)
CONTACT_TEXT = re.compile(
    rf"(?P<email>{EMAIL})|(?P<mention>{MENTIONED_NUMBER})|(?P<link>{LINKED_NUMBER})|{PHONE_START}(?P<phone>{PHONE}){PHONE_EDGES[1]}"
)
# Emphasis as an export's text is written in ours (markup.py): bold, italic, strike; a sign
# after an importer's literal mark is a character its reader sees (`lee\ufdd0_vance@…`), and
# so is an `_` inside a word (`lee_vance@…`), which Markdown leaves as typed.
EMPHASIS_RUN = re.compile(rf"(?<!{LITERAL})(?:[*~]|(?<![^\W_])_|_(?![^\W_]))+")
# Every address and mention holds an @ and every phone number at least 7 digits: most
# messages hold neither, and looking for those is far cheaper than trying CONTACT_TEXT
# at each place.
AT_LEAST_7_DIGITS = re.compile(r"\d(?:\D*\d){6}")


def may_hold_contact(text: str) -> bool:
    return "@" in text or AT_LEAST_7_DIGITS.search(text) is not None
PHONE_DIGITS = range(7, 16)  # E.164 allows 15 digits; fewer than 7 are no phone number

# How many ways an author's /regex/ may try to match at one place in a text.
MAX_REGEX_WAYS = 10_000


def digits(text: str) -> str:
    return "".join(char for char in text if char.isdecimal())  # what \d matches


def phone_end(run: str) -> int:
    """Where the longest run of whole digit groups holding at most 15 digits ends."""
    end = count = 0
    for group in re.finditer(r"\d+", run):
        count += len(group.group())
        if count > PHONE_DIGITS[-1]:
            break
        end = group.end()
    return end + (run[end : end + 1] == ")")


def contact_key(name: str) -> str | None:
    """The key of a speaker named by a phone number (its digits) or an e-mail
    address (casefolded), or None for any other name."""
    bare = FORMAT_MARKS.sub("", name).strip()
    if PHONE_NAME.fullmatch(bare) and len(digits(bare)) in PHONE_DIGITS:
        return digits(bare)[2:] if bare.startswith("00") else digits(bare)  # 0044 … is +44 …
    if EMAIL_NAME.fullmatch(bare):
        return bare.casefold()
    return None


def spellings(text: str) -> list[str]:
    """The text composed and decomposed (é as one character, or e and a combining
    accent): a name typed on one device may reach the chat in the other form."""
    return list(dict.fromkeys([text, unicodedata.normalize("NFC", text), unicodedata.normalize("NFD", text)]))


# Markdown's emphasis marks (`**`, `*`, `_`, `~~`, `++`, `||`) and code spans (`` ` ``) beside
# the white space between a name's words: `**Dana** Okafor`, `Dana _Okafor_` and
# `` `Dana` Okafor `` are the name as its reader sees it.
EMPHASIS = r"[*_~+|`]*"
# The marks Markdown also takes out of the middle of a word: `Da**na**`, `` Da`na` ``, and
# a name's `**Dana**-Okafor`, read as "Dana" and "Dana-Okafor" (inside a word `_`, `~~`,
# `++` and `||` stay as typed).
INSIDE_WORD = r"[*`]*"
INSIDE_WORD_MARKS = re.compile(r"[*`]+")
# Runs of them between two letters or digits, which Markdown takes out of the word
# (`Zq**plot**` reads "Zqplot"); one after an importer's literal mark is no such run.
INSIDE_WORD_RUN = re.compile(r"(?<=[^\W_])[*`]+(?=[^\W_])")


def words_pattern(text: str, *, marks: str = EMPHASIS) -> str:
    """Text as a pattern matching it with any white space between its words, and any
    emphasis marks beside that white space or between two of its characters;
    ``marks``: the pattern of the marks beside white space."""
    return f"{marks}\\s+{marks}".join(map(word_pattern, text.split()))


def word_pattern(word: str) -> str:
    """A word, with any marks Markdown takes out of a word between two of its characters;
    never beside a `*` or a backtick of the word's own: a run of them could then be read
    in as many ways as it is long, at each place (`Zq**dana` against `Zq*****…`)."""
    parts = [re.escape(word[0])]
    for before, char in zip(word, word[1:]):
        if before not in "*`" and char not in "*`":
            parts.append(INSIDE_WORD)
        parts.append(re.escape(char))
    return "".join(parts)


def whole(pattern: str) -> str:
    """The pattern matched only as whole words (an `_` beside it is a mark, see NOT_AFTER_WORD)."""
    return f"{NOT_AFTER_WORD}(?:{pattern}){NOT_BEFORE_WORD}"


@dataclass(frozen=True)
class Hidden:
    """A name or term to hide: ``at`` matches it at a place, ``pattern`` is what it
    looks for (a /regex/ as written, or a phrase's words); ``words``, for a name or a
    word term, matches its words again, each run of emphasis marks between them a group;
    ``shown``: the name shown instead, or None for the mask."""

    at: re.Pattern
    pattern: str
    words: re.Pattern | None = None
    shown: str | None = None
    # a name's or word term's words at a place, whatever stands beside them (see edged_at)
    unbounded: re.Pattern | None = None

    @classmethod
    def regex(cls, pattern: str) -> Hidden:
        return cls(re.compile(f"(?:{pattern})", re.IGNORECASE), pattern)

    @classmethod
    def phrase(cls, text: str, shown: str | None = None) -> Hidden:
        text = INSIDE_WORD_RUN.sub("", text)  # as the view reads it (ReaderView): `Zq*dana` is "Zqdana"
        pattern = words_pattern(text)
        return cls(
            re.compile(whole(pattern), re.IGNORECASE),
            pattern,
            re.compile(words_pattern(text, marks=f"({EMPHASIS})"), re.IGNORECASE),
            shown,
            re.compile(f"(?:{pattern})", re.IGNORECASE),
        )


# A Markdown link as bodies write it (inline.py; Telegram's text links and Slack's labelled
# links reach a body so): `[text](address)`, read as Python-Markdown's LinkInlineProcessor
# reads one, for the shapes people and apps write: the text may hold brackets that pair up
# (`[[x] Dana](…)`) and single line ends; white space may come before the address; the
# address may be in `<>`, hold pairs of parentheses (`https://…/wiki/Okafor_(name)`) and
# spaces, and be followed by a "title" or a 'title'.  Its reader sees the text alone:
# `[Dana](https://…) Okafor` reads "Dana Okafor" (`![…](…)`, an image's syntax, stays as
# typed; a `!` marked literal before a link is no image's).  No unpaired bracket in the
# text but a literal one (escape_markdown), so each `[` reads on to its second next
# bracket at most, and the closer's parts start with different signs (an address part
# never with white space), so it is read one way: linear.
_LINK_CHARACTER = rf"[^\[\]\n{LITERAL}]|{LITERAL}.|\n(?![ \t]*\n)"
_ADDRESS_PART = r"[^\s()\"']|\([^\s()\"']*\)"
LINK = re.compile(
    rf"(?<![{LITERAL}])(?<!(?<!{LITERAL})!)\[(?:{_LINK_CHARACTER}|\[(?:{_LINK_CHARACTER})*\])*"
    rf"(?P<closer>\]\(\s*(?:(?P<address><[^<>\n]*>|(?:{_ADDRESS_PART})+(?:[ \t]+(?:{_ADDRESS_PART})+)*)\s*)?"
    rf"(?:(?:\"[^\"]*\"|'[^']*')\s*)?\))"
)


class ReaderView:
    """A text as its reader sees it, without the marks an importer keeps signs literal
    with (escape_markdown: `dana_okafor` reaches a body as `dana\ufdd0_okafor`), the
    marks Markdown takes out of a word (INSIDE_WORD_RUN), nor a link's `[` and `](address)`
    (LINK): names and terms, `/regex/` ones too, are looked for here.  Places in it map
    back to the text.  ``links``: where each link's `[` is and its `](address)` starts and
    ends (:meth:`Rewriter.addresses_hidden` finds them)."""

    def __init__(self, text: str, links: list[tuple[int, int, int]] = [], *, runs_out: bool = True):
        closers = [(start, end) for _, start, end in links]

        def outside_links(found: re.Match) -> bool:  # not in an address, which the view leaves out
            before = bisect.bisect_right(closers, (found.start(), len(text))) - 1
            return before < 0 or closers[before][1] <= found.start()

        unseen = [mark for mark in LITERAL_CHARACTER.finditer(text) if outside_links(mark)] if LITERAL in text else []
        inside = [] if not runs_out or ("*" not in text and "`" not in text) else [
            run for run in INSIDE_WORD_RUN.finditer(text) if outside_links(run)]
        self.text = text
        # each mark's place in the view (the character it stands before), once a character
        self.marks: list[int] = []
        self.runs: list[tuple[int, str]] = []  # the runs taken out of words, with their places
        # each link's `[` and `](address)`: its place, where it starts in the text, the mark
        self.links: list[tuple[int, int, str]] = []
        self.closer_at: dict[int, str] = {}  # each link's `](address)` by where it starts in the text
        self.last_at: dict[str, int] = {}  # where each mark asked about last stands in the text
        self.closers: list[tuple[int, str]] | None = None  # the runs that can close (closing_runs)
        # where each run of marks stands, by run, and whether one is open after it (opened_before)
        self.open_after: dict[str, tuple[list[int], list[bool]]] | None = None
        if not unseen and not inside and not links:
            self.seen = text
            return
        taken = [(mark.start(), mark.start() + 1) for mark in unseen] + [run.span() for run in inside]
        taken += [(opener, opener + 1) for opener, _, _ in links] + closers
        pieces, position = [], 0
        for found in sorted(taken):
            place = found[0] - len(self.marks)
            mark = text[found[0] : found[1]]
            if mark[0] in "[]":
                self.links.append((place, found[0], mark))
                if mark[0] == "]":
                    self.closer_at[found[0]] = mark
            elif found[1] - found[0] > 1 or mark != LITERAL:
                self.runs.append((place, mark))
            pieces.append(text[position : found[0]])
            self.marks += [place] * (found[1] - found[0])
            position = found[1]
        pieces.append(text[position:])
        self.seen = "".join(pieces)
        self.link_places = [place for place, _, _ in self.links]

    def runs_inside(self, start: int, end: int) -> list[tuple[int, str]]:
        """The runs taken out of words between the view's places start and end."""
        if not self.runs:
            return []
        return self.runs[bisect.bisect_right(self.runs, (start, "\U0010ffff")) : bisect.bisect_left(self.runs, (end, ""))]

    def links_inside(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """The links' marks between the view's places start and end, in the text's order."""
        if not self.links:
            return []
        return self.links[bisect.bisect_right(self.link_places, start) : bisect.bisect_left(self.link_places, end)]

    def start(self, place: int) -> int:
        """Where the character at ``place`` starts in the text, with its mark."""
        return place + bisect.bisect_left(self.marks, place)

    def after_links(self, place: int) -> int:
        """Where the character at ``place`` starts in the text, after the marks of links
        standing before it (`[Dana](…) Okafor`: a link's `[` stays outside the name)."""
        if not self.links:
            return self.start(place)
        at = self.links[bisect.bisect_left(self.link_places, place) : bisect.bisect_right(self.link_places, place)]
        return self.start(place) + sum(len(mark) for _, _, mark in at)

    def end(self, place: int) -> int:
        """Where the text before ``place`` ends."""
        return place + bisect.bisect_right(self.marks, place - 1)

    def written_from(self, mark: str, position: int) -> bool:
        """Whether a run of marks holding ``mark`` stands in the text from ``position`` on where
        it can close emphasis, with no white space before it (`_zqb and zqa _` and `zqa **`
        close nothing); where the last such run stands is found once a view and mark, looking
        back over the runs once: linear however many names ask."""
        last = self.last_at.get(mark)
        if last is None:
            runs = self.closing_runs()
            last = next((place for place, run in reversed(runs) if mark in run), -1)
            self.last_at[mark] = last
        return last >= position

    def closing_runs(self) -> list[tuple[int, str]]:
        """Each run of marks with no white space before it, with its place, in order."""
        if self.closers is None:
            self.closers = [(run.start(), run.group()) for run in MARK_RUN.finditer(self.text)
                            if run.start() > 0 and not self.text[run.start() - 1].isspace()]
        return self.closers

    def mark_runs(self) -> dict[str, tuple[list[int], list[bool]]]:
        """Where each run of marks stands in the text, by run, and whether one is open after it,
        read as Markdown pairs runs: one closes the one open (when no white space stands before
        it), else opens one (when no white space stands after it).  Read once a view."""
        if self.open_after is None:
            self.open_after = {}
            for run in MARK_RUN.finditer(self.text):
                places, states = self.open_after.setdefault(run.group(), ([], []))
                is_open = bool(states) and states[-1]
                if is_open and run.start() > 0 and not self.text[run.start() - 1].isspace():
                    is_open = False
                elif run.end() < len(self.text) and not self.text[run.end()].isspace():
                    is_open = True
                places.append(run.start())
                states.append(is_open)
        return self.open_after

    def opened_before(self, mark: str, position: int) -> bool:
        """Whether a run of just these marks written before ``position`` is still open there
        (`zqa** zqa` opens nothing, and in `**hi** zqa**` the last closes nothing)."""
        places, states = self.mark_runs().get(mark, ([], []))
        before = bisect.bisect_left(places, position)
        return before > 0 and states[before - 1]

    def run_from(self, mark: str, position: int) -> bool:
        """Whether a run of just these marks stands from ``position`` on."""
        places, _ = self.mark_runs().get(mark, ([], []))
        return bool(places) and places[-1] >= position


class Rewriter:
    """Every text field's rewriting: names, contacts, phones and e-mail addresses, redactions.

    ``names`` maps original speaker names to the names shown instead;
    ``contacts`` maps a contact key (:func:`contact_key`) to the name shown
    for any way of writing that number or address; ``redact``: the terms
    (:func:`compile_terms`).  Each rule is precompiled and reads a text once.
    """

    def __init__(
        self,
        names: Mapping[str, str] = {},
        contacts: Mapping[str, str] = {},
        *,
        redact: list[Hidden] = [],
        mask: str = MASK,
        mask_phones: bool = False,
        mask_emails: bool = False,
    ):
        self.terms = list(redact)
        self.mask = mask
        self.body_mask = escape_markdown(mask)  # literal in a message body
        shown = {spelling: names[name] for name in names if name.split() for spelling in spellings(name)}
        # terms first: a term and a name of one length at one place are masked
        self.hidden = self.terms + [Hidden.phrase(name, shown[name]) for name in sorted(shown, key=len, reverse=True)]
        self.anything_hidden, self.any_term = anywhere(self.hidden), anywhere(self.terms)
        self.anything_edged = anywhere(self.hidden, bounded=False)
        self.any_term_edged = anywhere(self.terms, bounded=False)
        self.contacts = dict(contacts)
        self.mask_phones = mask_phones
        self.mask_emails = mask_emails
        self.finds_contacts = bool(contacts) or mask_phones or mask_emails
        self.names_shown: dict[tuple[str, str, bool], str] = {}  # each with its terms masked, by mask and markdown

    def __call__(self, text: str, *, markdown: bool = False, masking: bool = True) -> str:
        """The text rewritten; ``markdown``: it is a message body, where the mask must stay
        literal; not ``masking``: a speaker's name, which only a pseudonym replaces."""
        if not text:
            return text
        mask = self.body_mask if markdown else self.mask
        # Numbers and addresses first: a term masked inside a number (`/7700/`) would
        # leave the rest of it unrecognised, and in view.
        if self.finds_contacts and masking and may_hold_contact(text):
            # first: read as it stands, `_0044 7700_ 900123` would leave 900123
            if EMPHASIS_RUN.search(text) or "](" in text:
                text = self.contacts_parted(text, mask)
            text = CONTACT_TEXT.sub(lambda match: self._contact(match, mask), text)
        if self.anything_hidden is not None:
            text = self.names_and_terms(text, mask, markdown=markdown)
        return text

    def names_and_terms(self, text: str, mask: str, *, names: bool = True, markdown: bool = False) -> str:
        """Hidden names and redacted terms replaced in one pass over the text as its
        reader sees it (:class:`ReaderView`); not ``names``: the terms alone; ``markdown``:
        a message body, where a name shown is kept literal.

        Where several start at one place, the longest wins: a term holding a name is
        masked whole, a name holding a term is renamed whole.  One that starts inside
        what is hidden and goes on past it (a term ending inside a name, a name going on
        into a term, "Street Fair" in "Okafor Street Fair" when "Okafor Street" is
        hidden too) makes it longer, and the whole becomes one mask: one after the
        other, either would cut the other apart and leave the rest in view ("███ Fair").
        Each search goes on from the place after the last one found, and only a place
        where something matches is tried against each name and term: linear in the text.

        A run of `*` or backticks between two letters is read both ways: taken out of the
        word (`Da**na**` reads "Dana"), then, in a second look at what is left, as the word's
        edge it also is (`x**Dana Okafor**`, `hi*Dana Okafor`: Markdown shows "x", then
        "Dana Okafor" in bold, or the `*` as typed).  A link's marks, taken out of the text
        in both looks, are a word's edge in the second too: `x[Zeller Street](…)` shows "x"
        then the link, `[x](…)Zeller Street` the link (or, refused, its address) then the
        words, and `x[Dana](…) Okafor`, `[Dana](…) [Okafor](…)x` or `[x](…)Dana Okafor*y` the
        name, across a link and beside another's edge or an in-word `*` at once.  The second
        look takes only what stands right beside such a run or mark, and never what the first
        showed instead, so a name shown is never looked at again.
        """
        hidden, anything = (self.hidden, self.anything_hidden) if names else (self.terms, self.any_term)
        if anything is None:
            return text
        text, links = self.addresses_hidden(text, mask, names) if "](" in text else (text, [])
        text, shown = self.hidden_in(ReaderView(text, links), hidden, anything, mask, markdown)
        if links or (("*" in text or "`" in text) and INSIDE_WORD_RUN.search(text)):
            links = [(link.start(), link.start("closer"), link.end()) for link in LINK.finditer(text)] if links else []
            view = ReaderView(text, links, runs_out=False)
            edges = {place for place, _, _ in view.links}
            for run in INSIDE_WORD_RUN.finditer(view.seen):
                edges |= {run.start(), run.end()}
            edged = self.anything_edged if names else self.any_term_edged
            assert edged is not None  # there is something hidden, as ``anything`` says
            text, _ = self.hidden_in(view, hidden, edged, mask, markdown, edges=edges, shown_before=shown)
        return text

    def hidden_in(
        self, view: ReaderView, hidden: list[Hidden], anything: re.Pattern, mask: str, markdown: bool,
        *, edges: set[int] | None = None, shown_before: Sequence[tuple[int, int]] = (),
    ) -> tuple[str, list[tuple[int, int]]]:
        """The view's text with what it shows of these names and terms hidden (see
        :meth:`names_and_terms`), and where what shows instead stands in it.  ``edges``:
        only those that start or end at one of these places of the view, which are a word's
        edge too (``anything`` then finds them whatever stands beside them, see edged_at),
        and none that reaches into ``shown_before``, the places of the view's text where
        something shows instead already."""
        text = view.text
        out, position, length = [], 0, 0
        shown_spans: list[tuple[int, int]] = []

        def parts_at(place: int) -> list[tuple[Hidden, re.Match]]:
            if edges is None:
                return found_at(hidden, view.seen, place)
            return [(each, match) for each, match in edged_at(hidden, view.seen, place, edges)
                    if not overlaps(shown_before, view.after_links(match.start()), view.end(match.end()))]

        found = anything.search(view.seen)
        while found is not None:
            start = found.start()
            parts = parts_at(start)
            if not parts or edges is not None and not edge_before(view.seen, start, edges) and not any(
                    edge_after(view.seen, each.end(), edges) for _, each in parts):
                found = anything.search(view.seen, start + 1)
                continue
            first, match = max(parts, key=lambda part: (part[1].end(), part[0].shown is None))
            end, shown = match.end(), first.shown
            found = anything.search(view.seen, start + 1)
            while found is not None and found.start() < end:  # until nothing starts inside what is hidden
                here = parts_at(found.start())
                furthest = max((each.end() for _, each in here), default=end)
                if furthest > end:
                    end, shown = furthest, None
                parts += here
                found = anything.search(view.seen, found.start() + 1)
            opening: list[str] = []
            closing: list[str] = []
            if EMPHASIS_SIGN.search(view.seen, start, end) or view.runs_inside(start, end) or view.links_inside(start, end):
                opening, closing = emphasis_kept(view, parts)
            replacement = mask if shown is None else self.name_shown(shown, mask, markdown)
            begin, after = view.after_links(start), view.end(end)
            if opening and closing:  # `*Dana* _Okafor_`: written one after the other, they would cross
                begin, replacement, after = uncrossed(view, position, begin, after, opening, closing, replacement)
            else:
                replacement = "".join(opening) + replacement + "".join(closing)
            out += [text[position:begin], replacement]
            length += begin - position
            shown_spans.append((length, length + len(replacement)))
            length += len(replacement)
            position = after
        out.append(text[position:])
        return "".join(out), shown_spans

    def addresses_hidden(self, text: str, mask: str, names: bool) -> tuple[str, list[tuple[int, int, int]]]:
        """The text with the names and terms in each link's address (and title) hidden, each
        looked at alone, as before links were read (the view leaves addresses out); and where
        each link's `[` is and its `](address)` starts and ends, in the text returned."""
        out: list[str] = []
        links: list[tuple[int, int, int]] = []
        position = grown = 0
        for link in LINK.finditer(text):
            start, end = link.start("closer") + 2, link.end() - 1  # between `](` and `)`
            address = self.names_and_terms(text[start:end], mask, names=names)
            out += [text[position:start], address]
            longer = grown + len(address) - (end - start)
            links.append((link.start() + grown, link.start("closer") + grown, link.end() + longer))
            grown = longer
            position = end
        out.append(text[position:])
        return "".join(out), links

    def contacts_parted(self, text: str, mask: str) -> str:
        """Numbers and addresses that emphasis marks or link text part, as their reader sees
        them whole: `*+44 7700* 900123`, `+44 7700 _900123_`, `lee@*example*.org` (WhatsApp's
        and Telegram's bold, italic and strike, written as ours), `[+44 7700](…) 900123`,
        `[lee](…)@example.org` (Telegram's text links, Slack's labelled links), looked for in
        the text without its marks (a link's `[` and `](address)`); only a match holding some
        is taken (the rest is read as it stands, where a mark may also be a word's edge:
        `call*07700 900123*`), and its marks that do not pair up inside it stay around what
        is shown: a link around it, its address as typed."""
        links = list(LINK.finditer(text)) if "](" in text else []
        closers = [link.span("closer") for link in links]

        def outside_closers(run: re.Match) -> bool:  # an address is no text its reader sees
            before = bisect.bisect_right(closers, (run.start(), len(text))) - 1
            return before < 0 or closers[before][1] <= run.start()

        spans = sorted([run.span() for run in EMPHASIS_RUN.finditer(text) if outside_closers(run)]
                       + [(link.start(), link.start() + 1) for link in links] + closers)
        runs = [text[start:end] for start, end in spans]
        # for each run, where it stands in the text without them, and how many characters runs take out up to it
        places, taken = [], [0]
        for start, end in spans:
            places.append(start - taken[-1])
            taken.append(taken[-1] + end - start)
        seen = "".join(text[end:start] for (_, end), (start, _) in zip([(0, 0), *spans], [*spans, (len(text), 0)]))
        out, position = [], 0
        for match in CONTACT_TEXT.finditer(seen):
            first, after = bisect.bisect_right(places, match.start()), bisect.bisect_left(places, match.end())
            start, end = match.start() + taken[first], match.end() + taken[after]
            # no mark inside it, or none that parts it (`lee_vance@…`): read as it stands
            if first >= after or CONTACT_TEXT.fullmatch(text, start, end):
                continue
            shown = self._contact(match, mask)
            if shown == match.group():
                continue
            kept: list[str] = []
            for run in runs[first:after]:
                if kept and run != "[" and pairs(kept[-1], run):
                    kept.pop()
                elif kept and run == "[" and kept[-1].startswith("]"):  # of two links, the later stays
                    kept.pop()
                else:
                    kept.append(run)
            # a link's `](address)` closes the `[` before the match, its `[` opens a link closed
            # after it; another mark closes the one just before the match, else opens one after it
            closes = [run for run in kept if run.startswith("]") or run != "[" and text.endswith(run, 0, start)]
            opens = [run for run in kept if not (run.startswith("]") or run != "[" and text.endswith(run, 0, start))]
            out += [text[position:start], "".join(opens), shown, "".join(closes)]
            position = end
        out.append(text[position:])
        return "".join(out)

    def _contact(self, match: re.Match, mask: str) -> str:
        found = match.group()
        if match.lastgroup == "email":
            return self.contacts.get(found.replace(LITERAL, "").casefold()) or (mask if self.mask_emails else found)
        number = digits(found)
        if match.lastgroup == "link":
            return mask if self.mask_phones or number in self.contacts else found
        if len(number) > PHONE_DIGITS[-1] and found.lstrip("(").startswith("+"):
            # "+44 7700 900123 2024": the number, then other digits the run went on into
            end = phone_end(found)
            found, rest, number = found[:end], found[end:], digits(found[:end])
        else:
            rest = ""
        if len(number) not in PHONE_DIGITS:
            return found + rest
        key = number[2:] if found.startswith("00") else number  # 0044 … is +44 …
        return (self.contacts.get(key) or (mask if self.mask_phones else found)) + rest

    def name_shown(self, name: str, mask: str, markdown: bool = False) -> str:
        """A name shown instead, with any term in it masked; in a message body kept literal,
        as the mask is: a `Speakers:` header is chat text, and its `name: [x](https://…)`
        or `x](…` must not make a link, or take over the author's, in every body naming them."""
        if (name, mask, markdown) not in self.names_shown:
            self.names_shown[name, mask, markdown] = self.redacted(escape_markdown(name) if markdown else name, mask)
        return self.names_shown[name, mask, markdown]

    def redacted(self, text: str, mask: str | None = None) -> str:
        return self.names_and_terms(text, self.mask if mask is None else mask, names=False)

    def conversation(self, conversation: Conversation, renamed: Mapping[Speaker, str] = {}) -> None:
        """Rewrite every text of the conversation in place; the ``renamed``
        speakers get their new names (only redacted), any display name dropped."""
        for speaker in all_speakers(conversation):
            if speaker in renamed:
                speaker.name, speaker.display_name = self.redacted(renamed[speaker]), ""
            else:
                speaker.name = self(speaker.name, masking=False)
                speaker.display_name = self(speaker.display_name, masking=False)
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
        if message.forwarded_from:
            message.forwarded_from = self(message.forwarded_from)


def anywhere(hidden: list[Hidden], *, bounded: bool = True) -> re.Pattern | None:
    """One pattern finding the next place where any of them matches (the phrases
    share their word edges: each place is looked at once, not once a phrase); not
    ``bounded``: the phrases whatever stands beside them (see edged_at)."""
    phrases = [each.pattern for each in hidden if each.words is not None]
    alternatives = [(whole if bounded else "(?:{})".format)("|".join(phrases))] if phrases else []
    alternatives += [f"(?:{each.pattern})" for each in hidden if each.words is None]
    return re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None


def found_at(hidden: list[Hidden], text: str, place: int) -> list[tuple[Hidden, re.Match]]:
    """Each name or term that matches at this place, with its match."""
    return [(each, match) for each in hidden if (match := each.at.match(text, place))]


WORD_START, WORD_END = re.compile(NOT_AFTER_WORD), re.compile(NOT_BEFORE_WORD)


def edged_at(hidden: list[Hidden], text: str, place: int, edges: set[int]) -> list[tuple[Hidden, re.Match]]:
    """Each name or term that matches at this place, its words whole where ``edges``, the
    places of marks taken out of the text, are word edges too: `x[Dana](…) Okafor` reads
    "xDana Okafor" without the link's marks, and Dana starts at the link's edge; so does an
    `_` between the words and such a place (`[x](…)_Dana_ Okafor`: italic, after the link)."""
    found = []
    for each in hidden:
        match = (each.unbounded or each.at).match(text, place)
        if match is None:
            continue
        whole_words = starts_word(text, match.start(), edges) and ends_word(text, match.end(), edges)
        if each.unbounded is not None and not whole_words:
            continue
        found.append((each, match))
    return found


def starts_word(text: str, place: int, edges: set[int]) -> bool:
    return WORD_START.match(text, place) is not None or edge_before(text, place, edges)


def ends_word(text: str, place: int, edges: set[int]) -> bool:
    return WORD_END.match(text, place) is not None or edge_after(text, place, edges)


def edge_before(text: str, place: int, edges: set[int]) -> bool:
    """Whether one of ``edges`` stands right before ``place``, or before the `_` there."""
    before = place
    while before > 0 and text[before - 1] == "_":  # read once for each name or term found here
        before -= 1
    return before in edges


def edge_after(text: str, place: int, edges: set[int]) -> bool:
    """Whether one of ``edges`` stands right after ``place``, or after the `_` there."""
    after = place
    while after < len(text) and text[after] == "_":
        after += 1
    return after in edges


def overlaps(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """Whether any of these spans (in order, none overlapping another) overlaps start to end."""
    after = bisect.bisect_left(spans, (end, end))  # the spans starting before end
    return after > 0 and spans[after - 1][1] > start


EMPHASIS_SIGN = re.compile(r"[*_~+|`]")


def emphasis_kept(view: ReaderView, found: list[tuple[Hidden, re.Match]]) -> tuple[list[str], list[str]]:
    """The emphasis marks between the words of hidden names and terms, and the marks of
    links their words are in, kept around what shows instead so that the Markdown beside
    it still pairs up (`**Dana** Okafor` becomes `**D.**`, `Dana **Okafor**` too, and
    `[Dana](…) Okafor` `[D.](…)`): those opening an emphasis or a link before it, those
    closing one after it; a mark opened and closed in between, or closed and opened again
    (`*Dana* *Okafor*`, `[Dana](…) [Okafor](…)`), goes with the words."""
    # each run of marks' place in the view (taken out of a word: where it stood; a link's
    # marks also where they stand in the text), the run, and whether it opens
    runs: dict[tuple[int, int, int], tuple[str, bool | None]] = {}
    first = min(match.start() for _, match in found)
    for hidden, match in found:
        for place, index, mark in view.links_inside(match.start(), match.end()):
            runs.setdefault((place, place, index), (mark, mark == "["))
        if hidden.words is None:  # a /regex/: only the runs taken out of its words
            for place, run in view.runs_inside(match.start(), match.end()):
                runs.setdefault((place, place, 0), (run, None))
            continue
        words = hidden.words.fullmatch(view.seen, match.start(), match.end())
        assert words is not None  # the same words as hidden.at's
        between = [words.span(group) for group in range(1, len(words.groups()) + 1)]
        for group, span in enumerate(between, start=1):  # between two words: the marks closing, then opening
            if span[0] < span[1]:
                runs[span[0], span[1], 0] = view.text[view.after_links(span[0]) : view.end(span[1])], group % 2 == 0
        own_marks = "\\*" in hidden.pattern or "`" in hidden.pattern.replace(INSIDE_WORD, "").replace(EMPHASIS, "")
        if own_marks:
            continue
        for inside in INSIDE_WORD_MARKS.finditer(view.seen, match.start(), match.end()):
            if not any(start <= inside.start() < end for start, end in between):
                # inside a word: closes one opened before it, else opens
                mark = view.text[view.after_links(inside.start()) : view.end(inside.end())]
                runs.setdefault((inside.start(), inside.end(), 0), (mark, None))
        for place, run in view.runs_inside(match.start(), match.end()):
            runs.setdefault((place, place, 0), (run, None))
    opening: list[str] = []
    closing: list[str] = []
    for _, (mark, opens) in sorted(runs.items()):
        if opens is None:  # `Da**na**`: pairs with one opened inside, or closes one opened just before
            if opening and opening[-1] == mark:
                opening.pop()
            elif not opening and mark not in closing and view.seen.endswith(mark, 0, first):
                closing.append(mark)
            else:
                opening.append(mark)
        elif opens and closing and pairs(mark, closing[-1]) and not opening and (
                mark == "[" or "`" in mark or view.opened_before(mark[::-1], view.after_links(first))):
            closing.pop()  # closed and opened again; not when it closed nothing (`zqa~~ ~~zqa`)
        elif opens:
            opening.append(mark)
        elif opening and pairs(opening[-1], mark):
            opening.pop()
        else:
            closing.append(mark)
    return opening, closing


def pairs(opening: str, closing: str) -> bool:
    """Whether the marks make one emphasis, or one link (`[` and `](address)`)."""
    return opening == closing or (opening == "[" and closing.startswith("]"))


def closed_right_after(view: ReaderView, position: int, opening: list[str]) -> list[str] | None:
    """The marks closing ``opening``, innermost first, when they stand right at ``position``
    in the text (`*Dana* **Okafor**`: the `**` after the name); else None."""
    closers = []
    for mark in reversed(opening):
        closer = view.closer_at.get(position) if mark == "[" else mark[::-1]
        if closer is None or not view.text.startswith(closer, position):
            return None
        closers.append(closer)
        position += len(closer)
    return closers


def depth(opener: str) -> int:
    """How far inside other marks one must go: a link outermost, a code span innermost (marks
    inside it are shown), and `_` inside `~~`, `++` and `||`, which a word character beside
    them undoes (inline.EXTRA_SPAN)."""
    return 0 if opener == "[" else 3 if "`" in opener else 2 if "_" in opener else 1


# Runs of emphasis marks as written (an `_` inside a word is none), each read as a whole
MARK_RUN = re.compile(r"[*~+|`]+|(?<![^\W_])_+|_+(?![^\W_])")
# The white space after a name, past which marks that open in it and close after it go
SPACES = re.compile(r"[ \t]*")


def uncrossed(
    view: ReaderView, position: int, begin: int, after: int, opening: list[str], closing: list[str], shown: str,
) -> tuple[int, str, int]:
    """Where the text before a hidden name ends, what replaces it, and where the text after it
    starts, when marks close in it that opened before it and others open in it that close
    after it (`*Dana* _Okafor_`, `[Dana](…) **Okafor**`): one after the other they would cross
    (`*_D.*_`).  The second's closing marks, when they stand right after the name, are taken
    in, and so are the first's opening marks right before it: then all are nested again around
    what is shown, each as deep as it must go (`*_D._*`, `~~_D._~~`, `[**D.**](…)`); with the
    first's far before, the second closes inside it where it can (`**hi _D._**`,
    `**hi [D.](…)**`); a link beside a code span stays outside it, the code span closing
    before the name (`` `hi` [`D.`](…) ``), and other marks go (`` `hi D.` ``).  A second
    going on past the name opens after the first closes, past the white space after the name
    (`*D.* [and more](…)`), unless nothing after could close it."""
    # (a code span's backticks pair by length, a link's marks as links do: neither is read so)
    if not any(mark.startswith("]") or "`" in mark or view.opened_before(mark[::-1], begin) for mark in closing):
        # The closing marks close nothing opened before the name (`zqa** zqa _zqa zqb_`: the
        # `**` was shown as typed), so none crosses the opening ones, which stay before what is
        # shown, those no closer follows gone: the words after keep their marks as written
        # (`_███** zqb_`); each closing one stays as typed, unless it would close one of them
        # that a run after closes (`zqa~~ ~~zqa zqb~~`: `~~███ zqb~~`, not `~~███~~ zqb~~`).
        opening = [mark for mark in opening if mark == "[" or view.written_from(mark[::-1], after)]
        closing = [mark for mark in closing
                   if not any(pairs(opener, mark) and view.run_from(opener[::-1], after) for opener in opening)]
        return begin, "".join(opening) + shown + "".join(closing), after
    closers = closed_right_after(view, after, opening)
    if closers is None:
        spaces = SPACES.match(view.text, after)
        space = spaces.end() if spaces else after
        # a mark no closer follows was shown as typed (`zqa **zqa* *zqa zqb`): it goes
        opening = [mark for mark in opening if mark == "[" or view.written_from(mark[::-1], space)]
        return begin, shown + "".join(closing) + view.text[after:space] + "".join(opening), space
    taken_after = after + sum(map(len, closers))
    inner = list(zip(opening, reversed(closers)))  # each opening mark with its closer, outermost first
    if any(mark.startswith("]") for mark in closing):  # a link inside a link is none: the second goes
        inner = [pair for pair in inner if pair[0] != "["]
    openers = ["[" if mark.startswith("]") else mark[::-1] for mark in reversed(closing)]  # outermost first
    before = begin - sum(map(len, openers))
    # (a backtick before them would make a longer run: `` x``Dana` `` opens no code span at Dana)
    whole_run = not (before > 0 and view.text[before - 1] == "`" == "".join(openers)[:1])
    if before >= position and view.text.startswith("".join(openers), before) and whole_run:
        nested = sorted([*zip(openers, reversed(closing)), *inner], key=lambda pair: depth(pair[0]))
        return before, marks_around(nested, shown), taken_after
    links = [pair for pair in inner if pair[0] == "["]
    emphasis = [pair for pair in inner if pair[0] != "["]
    if any(depth(inside) < depth(outside) for inside, _ in emphasis for outside in openers):
        emphasis = []
    code = any("`" in opener for opener in openers)
    if links and code:
        # A code span holds no link: rather than lose the link's address, the first closes
        # before the name and the white space before it, and opens again inside the link
        # around what is shown (`` `hi Dana` [Okafor](…) `` → `` `hi` [`D.`](…) ``).
        split = position + len(view.text[position:begin].rstrip(" \t"))
        if split > position and view.text[split - 1] != "`":  # else the closer would lengthen a backtick run
            nested = sorted([*zip(openers, reversed(closing)), *inner], key=lambda pair: depth(pair[0]))
            return split, "".join(closing) + view.text[split:begin] + marks_around(nested, shown), taken_after
        links = []
    # a link stands inside emphasis (`**hi [D.](…)**`)
    return begin, marks_around(links + emphasis, shown) + "".join(closing), taken_after


def marks_around(marks: list[tuple[str, str]], shown: str) -> str:
    """What is shown inside these opening and closing marks, the first outermost."""
    return "".join(opener for opener, _ in marks) + shown + "".join(closer for _, closer in reversed(marks))


def all_speakers(conversation: Conversation) -> list[Speaker]:
    """The conversation's speakers, and anyone quoted who never speaks in it."""
    quoted = (quote.speaker for message in conversation.messages for quote in message.quotes)
    return list(dict.fromkeys([*conversation.speakers, *quoted]))


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
    Rewriter(*renaming(names)).conversation(conversation, names)
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


def recolor(speakers: list[Speaker], renamed: Mapping[Speaker, str]) -> None:
    """Colours made again from the pseudonyms of ``renamed`` speakers: link made
    theirs from the phone number or address, which a colour must not hint at.
    The others keep theirs (speaker_colors keeps a readable chosen colour as it is)."""
    if not renamed:
        return
    kept = {speaker.name: speaker.color for speaker in speakers if speaker not in renamed}
    for speaker, color in zip(speakers, speaker_colors([speaker.name for speaker in speakers], kept)):
        speaker.color = color


@dataclass(frozen=True)
class Privacy:
    """What a site hides (picklable; :func:`hide` applies it).

    ``redact``: words, phrases or ``/regex/`` patterns, each match becoming
    ``mask``.  ``pseudonyms`` (speakers named by a phone number or e-mail
    address become "Contact 1" …), ``mask_phones`` and ``mask_emails`` (in
    the text): True or False everywhere, None (the default) in exports only,
    not in hand-written `.chat` text.  A post's `Mask:` header chooses for
    itself.  ``rename``: a speaker shown under another name is that name
    everywhere (on for every site; off for a caller that must keep the
    original, such as a converter writing the chat back).  ``post_mask``:
    the post's `Mask:` applies now; False leaves it in the metadata for a
    later :func:`hide` (pseudonyms first, then what is left is masked).
    """

    redact: tuple[str, ...] = ()
    mask: str = MASK
    pseudonyms: bool | None = None
    mask_phones: bool | None = None
    mask_emails: bool | None = None
    rename: bool = True
    post_mask: bool = True

    @classmethod
    def from_settings(cls, settings: Mapping) -> Privacy:
        """The site's CHATLOG_REDACT, CHATLOG_REDACT_MASK, CHATLOG_PSEUDONYMS,
        CHATLOG_MASK_PHONES and CHATLOG_MASK_EMAILS, checked; errors name the setting."""
        redact = settings.get("CHATLOG_REDACT", ())
        if isinstance(redact, str) or not all(isinstance(term, str) for term in redact):
            raise ChatlogError("CHATLOG_REDACT must be a list of words, phrases or /regex/ patterns")
        mask = settings.get("CHATLOG_REDACT_MASK", MASK)
        if not isinstance(mask, str) or not mask.strip():
            raise ChatlogError(f"CHATLOG_REDACT_MASK must be some visible text, such as {MASK!r}")
        # refused here, naming the setting, rather than in every post
        compile_terms([(term, "CHATLOG_REDACT") for term in redact])
        return cls(
            redact=tuple(redact),
            mask=mask,
            pseudonyms=exports_or_bool(settings, "CHATLOG_PSEUDONYMS"),
            mask_phones=exports_or_bool(settings, "CHATLOG_MASK_PHONES"),
            mask_emails=exports_or_bool(settings, "CHATLOG_MASK_EMAILS"),
        )


def exports_or_bool(settings: Mapping, name: str) -> bool | None:
    value = settings.get(name, "exports")
    if value == "exports":
        return None
    if not isinstance(value, bool):
        raise ChatlogError(f'{name} must be True, False or "exports" (the default), not {value!r}')
    return value


def hide(
    conversation: Conversation, privacy: Privacy | None = None, *, export: bool = False,
    site_names: Mapping[str, str] = {},
) -> None:
    """Apply the privacy rules to a linked conversation, in place (see the module's text).

    ``export``: the conversation was read from an app's export, where
    contacts, phone numbers and e-mail addresses are hidden by default.
    ``site_names``: CHATLOG_SPEAKERS' shown names by original name; they also rename
    people who do not speak here (see :func:`rename_bystanders`).
    The post's `Redact:` and `Mask:` are read here and dropped from its metadata.
    """
    privacy = privacy or Privacy()
    lines = conversation.header_lines
    redact = conversation.metadata.pop("redact", None)
    masked = conversation.metadata.pop("mask", None) if privacy.post_mask else None
    chosen = read_mask(masked, lines.get("mask")) if masked is not None else None

    def on(setting: bool | None, choice: str) -> bool:
        if chosen is not None:
            return choice in chosen
        return export if setting is None else setting

    terms: list[tuple[str, str | int | None]] = [(term, "CHATLOG_REDACT") for term in privacy.redact]
    if redact is not None:
        terms += read_terms(redact, lines.get("redact"))
    shown = [speaker for speaker in conversation.speakers if speaker.display_name] if privacy.rename else []
    names = {speaker: speaker.display_name for speaker in shown}
    contacts_renamed = pseudonyms(conversation, names) if on(privacy.pseudonyms, "contacts") else {}
    names.update(contacts_renamed)
    by_name, contacts = renaming(names)
    if privacy.rename and site_names:
        rename_bystanders(conversation, site_names)
    rewriter = Rewriter(
        by_name, contacts, redact=compile_terms(terms), mask=privacy.mask,
        mask_phones=on(privacy.mask_phones, "phones"), mask_emails=on(privacy.mask_emails, "emails"),
    )
    if names or rewriter.terms or rewriter.finds_contacts:
        rewriter.conversation(conversation, names)
        restyle(conversation.speakers)
        recolor(conversation.speakers, contacts_renamed)


def rename_bystanders(conversation: Conversation, site_names: Mapping[str, str]) -> None:
    """The site's shown names (CHATLOG_SPEAKERS) for people who react, are forwarded
    from or are quoted here without speaking, so are no speaker for link to style.
    Whole names only: in a message's prose such a name is a word like any other."""
    shown = {unicodedata.normalize("NFC", name).casefold(): name_shown for name, name_shown in site_names.items()}

    def named(name: str) -> str:
        return shown.get(unicodedata.normalize("NFC", name).strip().casefold(), name)

    speaking = set(conversation.speakers)
    for speaker in all_speakers(conversation):
        if speaker not in speaking:
            speaker.name = named(speaker.name)
    for message in conversation.messages:
        message.forwarded_from = named(message.forwarded_from)
        for reaction in message.reactions:
            reaction.who = [named(who) for who in reaction.who]


def pseudonyms(conversation: Conversation, renamed: Mapping[Speaker, str]) -> dict[Speaker, str]:
    """"Contact 1", "Contact 2" … for the speakers named by a phone number or an
    e-mail address, in the order they first speak; never a name another speaker has."""
    speaking = dict.fromkeys([message.speaker for message in conversation.messages] + conversation.speakers)
    contacts = [speaker for speaker in speaking if speaker not in renamed and contact_key(speaker.name)]
    if not contacts:
        return {}
    taken = {renamed.get(speaker, speaker.name).casefold() for speaker in speaking}
    numbers = (n for n in range(1, len(taken) + len(contacts) + 1) if CONTACT_PSEUDONYM.format(n).casefold() not in taken)
    return {speaker: CONTACT_PSEUDONYM.format(number) for speaker, number in zip(contacts, numbers)}


def read_mask(value: str, line: int | None) -> frozenset[str]:
    """`Mask: phones, emails, contacts` (what to hide here), or `Mask: none`."""
    chosen = {word.lower() for word in re.split(r"[\s,;]+", value) if word}
    if chosen == {"none"}:
        return frozenset()
    unknown = chosen - set(MASK_CHOICES)
    if unknown or not chosen:
        raise ChatlogError(
            f"`Mask: {value}` must list some of {', '.join(MASK_CHOICES)}, or be `none`", line=line
        )
    return frozenset(chosen)


def term_pattern(separator: str) -> re.Pattern:
    """One `Redact:` term and the separator after it: a /regex/ or a JSON string is one
    term whatever it holds, when the separator or the line's end follows it."""
    sep = re.escape(separator)
    return re.compile(
        rf'\s*(?:(?P<whole>/(?:[^/\\]|\\.)+/|"(?:[^"\\]|\\.)*")\s*(?={sep}|$)|(?P<plain>[^{sep}]*))(?:{sep}|$)'
    )


TERMS = {separator: term_pattern(separator) for separator in ",;"}


def read_terms(value: str, line: int | None) -> list[tuple[str, str | int | None]]:
    """`Redact:` terms, each with its line: separated by commas, by semicolons when
    there is one, or one a line; a term in double quotes is a JSON string, as in
    `Speakers:`, and a /regex/ may hold either separator."""
    term_at = TERMS[","]
    if any(match["plain"] and ";" in match["plain"] for row in value.split("\n") for match in term_at.finditer(row)):
        term_at = TERMS[";"]
    terms: list[tuple[str, str | int | None]] = []
    for number, row in enumerate(value.split("\n")):
        start = 0
        while start < len(row):  # each match ends past a separator or at the end: no empty loop
            match = term_at.match(row, start)
            assert match is not None
            start = match.end()
            term = (match["whole"] or match["plain"] or "").strip()
            if QUOTED_NAME.fullmatch(term):
                import json  # here, not on import: only a quoted term needs it

                term = json.loads(term)
            if term.strip():
                terms.append((term, None if line is None else line + number))
    return terms


def compile_terms(terms: list[tuple[str, str | int | None]]) -> list[Hidden]:
    """Every term to mask, matched in any case: words and phrases whole (any white
    space between a phrase's words), ``/regex/`` as written once :func:`check_regex`
    accepts it.  ``terms`` are (term, where it was given: a header line or a
    setting's name), for errors."""
    hidden = []
    for term, where in terms:
        if is_regex(term):
            pattern = term[1:-1]
            check_regex(pattern, where)
            hidden.append(Hidden.regex(pattern))
        elif term.split():  # a blank term would match between any two characters
            hidden += [Hidden.phrase(spelling) for spelling in spellings(term)]
    try:  # all are looked for with one pattern (see anywhere)
        anywhere(hidden)
    except re.error as error:  # each compiles alone: two name one group
        line = next((where for _, where in terms if isinstance(where, int)), None)
        given = "the `Redact:` patterns" if line is not None else "the CHATLOG_REDACT patterns"
        raise ChatlogError(f"{given} cannot be used together: {error}", line=line) from None
    return hidden


def is_regex(term: str) -> bool:
    return len(term) > 2 and term.startswith("/") and term.endswith("/")


def check_regex(pattern: str, where: str | int | None) -> None:
    """Refuse a `/regex/` that could cost more than linear time, or match nothing at all.

    Read with the standard library's own parser: refused are backreferences,
    a repeat of anything holding another repeat or an alternation (the
    shapes of catastrophic backtracking), a repeat without an upper bound
    (`.*x` tries every rest of the text from every place: write `.{0,40}x`),
    and patterns that could try over MAX_REGEX_WAYS ways at one place.
    """

    def refuse(why: str) -> ChatlogError:
        if isinstance(where, int):
            return ChatlogError(f"`Redact:` pattern /{pattern}/ is refused: {why}", line=where)
        return ChatlogError(f"{where or 'Redact'} pattern /{pattern}/ is refused: {why}")

    try:
        parsed = sre_parse.parse(pattern)
        re.compile(f"(?:{pattern})")  # as it is used, beside others: `(?i)` must start the whole
    except re.error as error:
        raise refuse(f"it is no regular expression ({error.msg})") from None
    if parsed.getwidth()[0] == 0:
        raise refuse("it can match empty text")
    if regex_ways(parsed, refuse, inside_repeat=False) > MAX_REGEX_WAYS:
        raise refuse(f"it could try over {MAX_REGEX_WAYS:,} ways at one place; give its repeats smaller bounds")


REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, getattr(sre_constants, "POSSESSIVE_REPEAT", None))
BACKREFERENCES = (sre_constants.GROUPREF, sre_constants.GROUPREF_EXISTS, sre_constants.GROUPREF_IGNORE)


def regex_ways(parsed, refuse: Callable[[str], ChatlogError], *, inside_repeat: bool) -> int:
    """How many ways a parsed pattern may try at one place, at most; refusing what is never linear."""
    ways = 1
    for op, value in parsed:
        if op in BACKREFERENCES:
            raise refuse("it refers back to a group")
        if op in REPEATS:
            low, high, item = value
            if inside_repeat:
                raise refuse("a repeat holds another repeat")
            if high == sre_constants.MAXREPEAT:
                raise refuse("a repeat has no upper bound (write {0,40} for *, {1,40} for +)")
            ways *= (high - low + 1) * regex_ways(item, refuse, inside_repeat=True)
        elif op == sre_constants.BRANCH:
            if inside_repeat:
                raise refuse("a repeat holds an alternation")
            ways *= sum(regex_ways(branch, refuse, inside_repeat=False) for branch in value[1])
        elif op == sre_constants.SUBPATTERN:
            ways *= regex_ways(value[-1], refuse, inside_repeat=inside_repeat)
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            ways *= regex_ways(value[1], refuse, inside_repeat=inside_repeat)
        elif op == getattr(sre_constants, "ATOMIC_GROUP", None):
            ways *= regex_ways(value, refuse, inside_repeat=inside_repeat)
        if ways > MAX_REGEX_WAYS:
            return ways
    return ways


# For a caller that must keep the chat's people as they were read (nothing renamed or
# masked; a post's `Redact:` terms are still masked, and its `Mask:` waits for a later hide()).
KEEP_ALL = Privacy(pseudonyms=False, mask_phones=False, mask_emails=False, rename=False, post_mask=False)
