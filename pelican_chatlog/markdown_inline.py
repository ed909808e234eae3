"""The Python-Markdown instance for message bodies fast_inline does not take.

Imported on first use, so a run whose bodies all take the fast path (and the
command line's start) never loads Python-Markdown.  See inline.py for what
the instance is cut down to and why.
"""

from __future__ import annotations

import re
import threading
import xml.etree.ElementTree as etree

import markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import (
    LINK_RE,
    REFERENCE_RE,
    BacktickInlineProcessor,
    EscapeInlineProcessor,
    InlineProcessor,
    LinkInlineProcessor,
    ReferenceInlineProcessor,
    ShortReferenceInlineProcessor,
)
from markdown.preprocessors import NormalizeWhitespace, Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString, code_escape

from .inline import (
    AMPERSAND,
    BACKTICKS,
    ESCAPED_PLACEHOLDER,
    SCAN_BUDGET_MINIMUM,
    SCAN_BUDGET_PER_CHARACTER,
    SPOILER,
    SPOILER_CLASS,
    STRIKE,
    UNDERLINE,
    web_address,
)
from .syntax import BARE_URL, LITERAL, LITERAL_CHARACTER, LITERAL_CHARACTERS
from .urls import check_address


class BareUrlProcessor(InlineProcessor):
    def handleMatch(self, match, data):
        link = etree.Element("a")
        url = match.group(0)
        link.set("href", web_address(url))
        link.text = AtomicString(url)  # shown as typed: `~~` or `*` in an address is no mark
        return link, match.start(0), match.end(0)


class TagSpan(InlineProcessor):
    """~~strike~~, ++underline++, ||spoiler||: the text between, in a tag; Markdown inside it works."""

    def __init__(self, pattern, md, tag, attributes=None):
        super().__init__(pattern, md)
        self.tag = tag
        self.attributes = attributes or {}

    def handleMatch(self, match, data):
        element = etree.Element(self.tag, self.attributes)
        element.text = match.group(1)
        return element, match.start(0), match.end(0)


class ScanBudget(Preprocessor):
    """Sets the characters the forward scans of one body may read, as it starts."""

    left = 0

    def run(self, lines):
        self.left = SCAN_BUDGET_PER_CHARACTER * sum(len(line) + 1 for line in lines) + SCAN_BUDGET_MINIMUM
        return lines

    def spend(self, characters: int) -> None:
        self.left -= characters


class BudgetedLinkScans:
    """Python-Markdown's scans for the `]` and `)` of a link, on the body's budget."""

    budget: ScanBudget

    def getText(self, data, index):
        if self.budget.left <= 0:
            return "", index, False
        text, end, handled = super().getText(data, index)
        self.budget.spend(end - index)
        return text, end, handled

    def getLink(self, data, index):
        if self.budget.left <= 0:
            return "", None, index, False
        href, title, end, handled = super().getLink(data, index)
        # after a quote mark (a title) the scan may have read on to the end
        finished_there = handled and data.find('"', index, end) < 0 and data.find("'", index, end) < 0
        self.budget.spend((end if finished_there else len(data)) - index)
        return href, title, end, handled


class BudgetedLink(BudgetedLinkScans, LinkInlineProcessor):
    pass


class BudgetedReference(BudgetedLinkScans, ReferenceInlineProcessor):
    pass


class BudgetedShortReference(BudgetedLinkScans, ShortReferenceInlineProcessor):
    pass


class BudgetedBacktick(BacktickInlineProcessor):
    """Python-Markdown's scan for the end of a code span, on the body's budget."""

    budget: ScanBudget

    def find_code_spans(self, start, text):
        ticks_end = BACKTICKS.match(text, start).end()
        if self.budget.left <= 0:
            return ticks_end, None  # the backticks stay as typed
        span_start, end = super().find_code_spans(start, text)
        # only a closing run of the same length stops the scan early
        self.budget.spend((end if end is not None and span_start == ticks_end else len(text)) - start)
        return span_start, end


class SafeLinks(Treeprocessor):
    """Turn links that urls.check_address refuses into text; mark external links.

    The href written is exactly the address checked: Markdown's own escapes
    are resolved first, and every `&` is written as `&amp;` (Markdown's
    serializer would keep `&#106;` an entity for the browser to decode).
    `refused` lists (address, why) of the last conversion.
    """

    refused: list[tuple[str, str]]

    def run(self, root):
        self.refused = []
        for link in root.iter("a"):
            typed = _markdown_unescaped(link.attrib.pop("href", ""))
            address = check_address(typed)
            for name, value in list(link.attrib.items()):  # a title
                link.set(name, _attribute(_markdown_unescaped(value)))
            if address.problem:
                self.refused.append((typed, address.problem))
                link.tag = "span"
                link.set("class", "chatlog-unsafe-link")
                # the address stays visible as text: nothing typed is dropped
                link.tail = f" ({typed})" + (link.tail or "")
                continue
            link.set("href", _attribute(address.url))
            if address.external:
                link.set("rel", "nofollow noopener")


def _markdown_unescaped(value: str) -> str:
    # Markdown turns `\{` into a placeholder and restores it only after the
    # tree processors: restore it now, so the check sees the final address.
    return ESCAPED_PLACEHOLDER.sub(lambda match: chr(int(match[1])), value)


def _attribute(value: str) -> str:
    """An attribute value the serializer writes fully escaped.

    `&` becomes `&amp;` after serializing (see AMPERSAND); `'` is not escaped
    by Markdown, and one inside a value would let Pelican's link rewriting
    read `src='{static}/../secret'` out of it.
    """
    return value.replace("&", AMPERSAND).replace("'", "&#39;")


class KeepAmpersands(Treeprocessor):
    """Show `&amp;` as typed: Markdown's serializer would keep it an entity.

    Ampersands in text become a private-use sentinel here and `&amp;` after
    serializing.  Code spans are already escaped by Markdown itself.
    """

    def run(self, root):
        for element in root.iter():
            if element.tag != "code" and element.text:
                element.text = element.text.replace("&", AMPERSAND)
            if element.tail:
                element.tail = element.tail.replace("&", AMPERSAND)


class KeepTabs(NormalizeWhitespace):
    """Markdown's line-end normalising without its expandtabs: a typed tab stays a tab."""

    def run(self, lines):
        # no STX/ETX to remove: text holding them never reaches Markdown
        source = "\n".join(lines).replace("\r\n", "\n").replace("\r", "\n") + "\n\n"
        return re.sub(r"(?<=\n) +\n", "\n", source).split("\n")


class CodeSpans(BudgetedBacktick):
    """Markdown's code spans without its backslash rules, which halve `\\\\`, on the body's budget."""

    def __init__(self):
        super().__init__("`")

    def handleMatch(self, match, data):
        begin = match.start(0)
        if begin and data[begin - 1] == LITERAL:
            return None, None, None  # a backtick of plain text (escape_markdown): it opens no code span
        start, end = self.find_code_spans(begin, data)
        if end is None:
            return None, begin, start
        code = etree.Element("code")
        # a sign marked literal (a name or mask privacy wrote in, escape_markdown) shows as
        # itself here too, as in a fenced block: the mark is never shown
        code.text = AtomicString(code_escape(LITERAL_CHARACTER.sub(r"\1", data[start:end]).strip(" \n")))
        return code, begin, end + (start - begin)


class NewlineAfterBreaks(Treeprocessor):
    """Markdown's prettify, for inline text: a newline after each `<br>`.

    Prettify replaces a tail that is white space to str.strip() (U+001C,
    U+2028 …) with that newline: here the tail stays, being typed text.
    """

    def run(self, root):
        for br in root.iter("br"):
            br.tail = "\n" + (br.tail or "")


class ChatInlineExtension(Extension):
    def extendMarkdown(self, md):
        for name in list(md.preprocessors._data):
            md.preprocessors.deregister(name)
        md.preprocessors.register(KeepTabs(md), "normalize_whitespace", 30)
        for name in list(md.parser.blockprocessors._data):
            if name not in ("empty", "paragraph"):
                md.parser.blockprocessors.deregister(name)
        for name in ("html", "entity", "image_link", "image_reference", "short_image_ref", "automail", "autolink",
                     "backtick", "escape"):
            if name in md.inlinePatterns:
                md.inlinePatterns.deregister(name)
        md.ESCAPED_CHARS = list(LITERAL_CHARACTERS)  # our marks' `~` and `|` too
        md.inlinePatterns.register(EscapeInlineProcessor(LITERAL_CHARACTER.pattern, md), "chatlog_literal", 180)
        md.inlinePatterns.register(BareUrlProcessor(BARE_URL, md), "chatlog_bare_url", 95)
        md.inlinePatterns.register(TagSpan(STRIKE, md, "del"), "chatlog_strike", 65)
        md.inlinePatterns.register(TagSpan(UNDERLINE, md, "u"), "chatlog_underline", 64)
        # focusable, so it can be shown without JavaScript (chatlog.css, :focus)
        spoiler = TagSpan(SPOILER, md, "span", {"class": SPOILER_CLASS, "tabindex": "0"})
        md.inlinePatterns.register(spoiler, "chatlog_spoiler", 63)
        md.treeprocessors.deregister("prettify")
        md.treeprocessors.register(NewlineAfterBreaks(md), "chatlog_newline_after_breaks", 10)
        budget = ScanBudget(md)
        md.preprocessors.register(budget, "chatlog_scan_budget", 0)
        scanners = {
            "backtick": (CodeSpans(), 190),
            "reference": (BudgetedReference(REFERENCE_RE, md), 170),
            "link": (BudgetedLink(LINK_RE, md), 160),
            "short_reference": (BudgetedShortReference(REFERENCE_RE, md), 130),
        }
        for name, (scanner, priority) in scanners.items():
            scanner.budget = budget
            md.inlinePatterns.register(scanner, name, priority)
        md.treeprocessors.register(SafeLinks(md), "chatlog_safe_links", 1)
        md.treeprocessors.register(KeepAmpersands(md), "chatlog_keep_ampersands", 0)


_local = threading.local()


def converter() -> markdown.Markdown:
    if not hasattr(_local, "markdown"):
        _local.markdown = markdown.Markdown(extensions=[ChatInlineExtension(), "nl2br"])
    return _local.markdown
