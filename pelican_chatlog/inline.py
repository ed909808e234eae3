"""Message bodies: inline Markdown through Python-Markdown, made safe for chat.

Chat text is untrusted, so the Markdown instance is cut down: no block
syntax (a message starting with `#` is not a heading), no raw HTML or
entities (`<b>` and `&amp;` show as typed), no images (no requests to other
sites), and links only to http(s), mailto, or within the site, with
`rel="nofollow noopener"` on external ones.  Bare URLs become links.
"""

from __future__ import annotations

import re
import threading
import xml.etree.ElementTree as etree
from urllib.parse import urlsplit

import markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import (
    BACKTICK_RE,
    LINK_RE,
    REFERENCE_RE,
    BacktickInlineProcessor,
    InlineProcessor,
    LinkInlineProcessor,
    ReferenceInlineProcessor,
    ShortReferenceInlineProcessor,
)
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup, escape

# Text without any of these needs no Markdown: escaping it gives the same page.
MARKDOWN_SIGNS = re.compile(r"[*_`\[\\~]|://|www\.", re.IGNORECASE)
BARE_URL = r"(?:https?://|www\.)[^\s<>\"'`]+[^\s<>\"'`.,;:!?)\]}]"
SAFE_SCHEMES = {"http", "https", "mailto"}
EXTERNAL_SCHEMES = {"http", "https"}
AMPERSAND = "\ue000"
# Markdown marks its own placeholders with STX/ETX, and we use AMPERSAND:
# text holding any of them is shown as typed, never given to Markdown.
RESERVED_CHARACTERS = re.compile("[\x02\x03\ue000]")
# Markdown's inline patterns can take long on huge hostile bodies; a body
# this long is shown as typed.
MAX_MARKDOWN_CHARACTERS = 20_000
# Markdown finds the end of a link or code span by reading forward from its
# opening `[` or backticks; a body of openers with no end ("[[[[…") would
# be read again from each one, the square of its length.  So these scans
# share a budget of characters per body, linear in its length: past it, an
# opener is taken as plain text.  Ordinary bodies use a small part of it.
SCAN_BUDGET_PER_CHARACTER = 16
SCAN_BUDGET_MINIMUM = 4_000
BACKTICKS = re.compile("`+")
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_PICTURES = {
    chr(code): chr(0x2400 + code) for code in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]
}
CONTROL_PICTURES["\x7f"] = "\u2421"


class BareUrlProcessor(InlineProcessor):
    def handleMatch(self, match, data):
        link = etree.Element("a")
        url = match.group(0)
        link.set("href", url if "://" in url else f"https://{url}")
        link.text = url
        return link, match.start(0), match.end(0)


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
    """Turn links with schemes that run code into text; mark external links."""

    def run(self, root):
        for link in root.iter("a"):
            href = link.attrib.pop("href", "")
            scheme = urlsplit(_without_controls(href)).scheme.lower()
            if scheme and scheme not in SAFE_SCHEMES:
                link.tag = "span"
                link.set("class", "chatlog-unsafe-link")
                # the address stays visible as text: nothing typed is dropped
                link.tail = f" ({href})" + (link.tail or "")
                continue
            link.set("href", href)
            if scheme in EXTERNAL_SCHEMES:
                link.set("rel", "nofollow noopener")


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


def _without_controls(url: str) -> str:
    # Browsers ignore tabs, newlines and control characters inside a scheme
    # ("java\tscript:"), so must the check.
    return re.sub(r"[\x00-\x20\x7f]+", "", url)


class ChatInlineExtension(Extension):
    def extendMarkdown(self, md):
        for name in list(md.preprocessors._data):
            if name != "normalize_whitespace":
                md.preprocessors.deregister(name)
        for name in list(md.parser.blockprocessors._data):
            if name not in ("empty", "paragraph"):
                md.parser.blockprocessors.deregister(name)
        for name in ("html", "entity", "image_link", "image_reference", "short_image_ref", "automail", "autolink"):
            if name in md.inlinePatterns:
                md.inlinePatterns.deregister(name)
        md.inlinePatterns.register(BareUrlProcessor(BARE_URL, md), "chatlog_bare_url", 95)
        budget = ScanBudget(md)
        md.preprocessors.register(budget, "chatlog_scan_budget", 0)
        scanners = {
            "backtick": (BudgetedBacktick(BACKTICK_RE), 190),
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


def _converter() -> markdown.Markdown:
    if not hasattr(_local, "markdown"):
        _local.markdown = markdown.Markdown(extensions=[ChatInlineExtension(), "nl2br"])
    return _local.markdown


def visible_controls(text: str) -> str:
    """Control characters as their visible Unicode pictures (NUL → ␀).

    They are not valid in HTML or in feeds' XML, yet dropping them would
    lose source text; the pictures keep them readable and harmless.
    """
    if CONTROL_CHARACTERS.search(text) is None:
        return text
    return CONTROL_CHARACTERS.sub(lambda match: CONTROL_PICTURES[match.group()], text)


def plain_lines(text: str) -> Markup:
    """Escaped text whose line breaks survive."""
    return Markup(str(escape(text)).replace("\n", "<br>\n"))


def needs_markdown(text: str) -> bool:
    return (
        len(text) <= MAX_MARKDOWN_CHARACTERS
        and MARKDOWN_SIGNS.search(text) is not None
        and RESERVED_CHARACTERS.search(text) is None
    )


def render_body(text: str) -> Markup:
    """One message body as safe inline HTML."""
    if not needs_markdown(text):
        return plain_lines(text)
    html = _converter().reset().convert(text).replace(AMPERSAND, "&amp;")
    if html.startswith("<p>") and html.endswith("</p>"):
        html = html[3:-4]
    # a blank line inside a body stays a blank line, not a new paragraph
    return Markup(html.replace("</p>\n<p>", "<br>\n<br>\n"))
