"""Message bodies: Markdown, made safe for chat.

A body's blocks are read here, line by line (render_body_text): fenced
``` code blocks (highlighted by Pygments, when installed, as Pelican's
codehilite writes them), runs of `>` lines as a block quote, two or more
`- `/`1. ` lines as a list; quotes and lists nest, MAX_NESTING deep.  Everything else is inline Markdown, with our
~~strike~~, ++underline++ and ||spoiler|| (readers/dialects.py maps each
app's marks onto these).  The common inline syntax is written here directly
(fast_inline); the rest goes through Python-Markdown (markdown_inline.py),
with the same output.
Chat text is untrusted, so the Markdown instance is cut down: no other block
syntax (a message starting with `#` is not a heading), no raw HTML or
entities (`<b>` and `&amp;` show as typed), no images (no requests to other
sites), and links only to http(s), mailto, or within the site, with
`rel="nofollow noopener"` on external ones.  Bare URLs become links.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .controls import CONTROL_CHARACTERS, visible_controls
from .syntax import BARE_URL, FENCE_OPEN, LITERAL, LITERAL_CHARACTER
from .urls import check_address

if TYPE_CHECKING:
    from markupsafe import Markup

# Text without any of these needs no Markdown: escaping it gives the same page.
MARKDOWN_SIGNS = re.compile(rf"[*_`\[~{LITERAL}]|\|\||\+\+|://|www\.", re.IGNORECASE)
# Our marks beyond Python-Markdown's: ~~strike~~, ++underline++ and
# ||spoiler||, each around text that starts and ends with a non-space, not
# inside a word (`C++ or C++` stays as typed).  A span cannot hold its own
# mark character, so each opener scans at most to the next one: linear.
EXTRA_SPAN = r"(?<![\w{m}]){mm}([^\s{m}](?:[^{m}\n]*[^\s{m}])?){mm}(?![\w{m}])"
STRIKE = EXTRA_SPAN.format(m="~", mm="~~")
UNDERLINE = EXTRA_SPAN.format(m="+", mm=r"\+\+")
SPOILER = EXTRA_SPAN.format(m="|", mm=r"\|\|")
EXTRA_MARKS = re.compile(r"~~|\+\+|\|\|")
SPOILER_CLASS = "chatlog-spoiler"
# Lines that start a block quote or a list item (see render_lines).
BLOCK_LINE = re.compile(r"^(?:>|[-*+] |[0-9]{1,9}[.)] )", re.MULTILINE)
QUOTE_MARK = re.compile(r"^> ?")
LIST_ITEM = re.compile(r"(?:[-*+]|(?P<number>[0-9]{1,9})[.)]) +(?=\S)")
NESTED_LIST_ITEM = re.compile(r"(?P<indent>[ \t]*)" + LIST_ITEM.pattern)
# Quotes in quotes and lists in lists, as deep as this; deeper ones are text.
MAX_NESTING = 8
# Pygments' lexers are regular expressions too: code longer than this is shown plain.
MAX_HIGHLIGHT_CHARACTERS = 20_000
# Blank lines inside a body: Markdown would make paragraphs of what they
# part, and strip the edges of each.
PARAGRAPH_BREAK = re.compile(r"(\n(?:[ \t]*\n)+)")
BARE_URL_START = re.compile(r"https?://|www\.")
AMPERSAND = "\ue000"
# Markdown marks its own placeholders with STX/ETX, and we use AMPERSAND:
# text holding any of them is shown as typed, never given to Markdown.
RESERVED_CHARACTERS = re.compile("[\x02\x03\ue000]")
ESCAPED_PLACEHOLDER = re.compile("\x02([0-9]+)\x03")  # a backslash escape, as Markdown stashes it
PLAIN_LINK_START = re.compile(r"\]\(\s*<?(?:https?://|mailto:)")
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
# The inline syntax most chat bodies use, in the shapes whose rendering by our
# Markdown instance (markdown_inline.py) is known: `code`, **strong**, *em* and [text](http…)
# around words, bare URLs and line breaks.  Anything else in a paragraph (an
# `_`, a `[` or `*` in another shape, `  ` before a line break, a control
# character …) sends the whole paragraph through Python-Markdown, which makes
# a fast paragraph cost one pass.  tests/test_inline_fast.py compares both.
WORD_EDGE = r"[^\W_]"
NOT_FAST = r"\\\x00-\x08\n-\x1f\x7f\ufdd0\ue000"  # a backslash, controls but the tab, our marks
FAST_SPAN = rf"{WORD_EDGE}(?:[^*_`\[\]{NOT_FAST}]*{WORD_EDGE})?"
FAST_TOKEN = re.compile(
    rf"(?<!`)`(?P<code>[^`\s{NOT_FAST}](?:[^`{NOT_FAST}]*[^`\s{NOT_FAST}])?)`(?!`)"
    rf"|(?<!\S)\*\*(?P<strong>{FAST_SPAN})\*\*(?=[\s.,;:!?)]|$)"
    rf"|(?<!\S)\*(?P<em>{FAST_SPAN})\*(?=[\s.,;:!?)]|$)"
    rf"|(?<!!)\[(?P<text>{FAST_SPAN})\]\((?P<href>https?://[A-Za-z0-9\-._~:/?#@!$&+,;=%]+)\)"
    rf"|(?P<url>{BARE_URL})"
    r"|(?P<newline>(?<!  )\n(?![ \t]*\n))"
    # Plain text takes an `h` or `w` where no bare URL starts (a quarter of the
    # tokens in English).  Linear: the runs and the letters match apart, and
    # nothing after them can fail, so the match never backtracks into them.
    rf"|(?P<plain>(?:[^*_`\[\]hw{NOT_FAST}]+|[hw](?!ttps?://|ww\.))+|[hw])"
)
FAST_URL_MARKS = re.compile(r"[*_\[\]]")


def _fast_text(text: str) -> str:
    """Text as Python-Markdown's serializer writes it (quotes stay as typed)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _fast_link(href: str, text: str) -> str | None:
    address = check_address(href)
    if address.problem:
        return None  # Markdown's path turns it into text and lists it for refused_links
    rel = ' rel="nofollow noopener"' if address.external else ""
    return f'<a href="{_fast_text(address.url).replace(chr(39), "&#39;")}"{rel}>{_fast_text(text)}</a>'


def fast_inline(text: str) -> str | None:
    """The paragraph as Python-Markdown renders it, or None when it holds other syntax."""
    if RESERVED_CHARACTERS.search(text) or EXTRA_MARKS.search(text):
        return None  # never given to Markdown either, or our own marks
    out = []
    position = 0
    end = len(text)
    while position < end:
        match = FAST_TOKEN.match(text, position)
        if match is None:
            return None
        position = match.end()
        kind = match.lastgroup
        if kind == "plain":
            out.append(_fast_text(match[kind]))
        elif kind == "newline":
            out.append("<br />\n")
        elif kind == "code":
            out.append(f"<code>{_fast_text(match[kind])}</code>")
        elif kind == "url":
            url = match[kind]
            if FAST_URL_MARKS.search(url):
                return None  # Markdown reads the link's text as Markdown in turn
            link = _fast_link(web_address(url), url)
            if link is None:
                return None
            out.append(link)
        else:
            words = match["strong"] or match["em"] or match["text"]
            if BARE_URL_START.search(words):
                return None  # Markdown would link the address inside first
            if kind == "href":
                link = _fast_link(match["href"], words)
                if link is None:
                    return None
                out.append(link)
            else:
                tag = "strong" if kind == "strong" else "em"
                out.append(f"<{tag}>{_fast_text(words)}</{tag}>")
    return "".join(out)


def escape_text(value: str) -> str:
    """markupsafe.escape's output as a plain string, without a Markup object per value."""
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    if "'" in value:
        value = value.replace("'", "&#39;")
    if '"' in value:
        value = value.replace('"', "&#34;")
    return value


def plain_lines(text: str) -> Markup:
    """Escaped text whose line breaks survive."""
    from markupsafe import Markup  # for Jinja's templates: the direct page needs no Markup

    return Markup(plain_text_lines(text))


def plain_text_lines(text: str) -> str:
    """plain_lines, as a plain string."""
    text = escape_text(without_literal_marks(text))
    return text.replace("\n", "<br>\n") if "\n" in text else text


def needs_markdown(text: str) -> bool:
    return (
        len(text) <= MAX_MARKDOWN_CHARACTERS
        and MARKDOWN_SIGNS.search(text) is not None
        and RESERVED_CHARACTERS.search(text) is None
    )


def _converter():
    # Python-Markdown is imported only when a body needs more than fast_inline
    from .markdown_inline import converter

    return converter()


def web_address(url: str) -> str:
    """A bare URL's address: `www.…` is an https one, whatever follows (`www.://` too)."""
    return url if url[:4].lower() != "www." else f"https://{url}"


def refused_links(text: str) -> list[tuple[str, str]]:
    """The addresses render_body shows as text rather than link, and why."""
    # Only `[text](address)` makes a link that may be refused, and not when
    # each address starts as an http(s) or mailto one: checking those would
    # cost a second Markdown conversion of one body in thirty.
    if "](" not in text or (
        text.count("](") == len(PLAIN_LINK_START.findall(text)) and CONTROL_CHARACTERS.search(text) is None
    ):
        return []
    from .markdown_inline import SafeLinks  # loaded with Markdown, on first use

    safe_links = _converter().treeprocessors["chatlog_safe_links"]
    assert isinstance(safe_links, SafeLinks)
    safe_links.refused = []
    render_body(text)
    return safe_links.refused


def without_literal_marks(text: str) -> str:
    """Text as shown, for places that show it without Markdown."""
    return LITERAL_CHARACTER.sub(r"\1", text) if LITERAL in text else text


def render_body(text: str) -> Markup:
    """One message body as safe inline HTML; a tab stays a tab."""
    from markupsafe import Markup  # for Jinja's templates: the direct page needs no Markup

    return Markup(render_body_text(text))


# A body with none of these characters, no `://`, no `www.` and no `>` first
# is shown as typed, escaped: it has no Markdown sign (MARKDOWN_SIGNS), no line
# break (so no list or fence), no quote, none of our marks.  One search tells
# most chat bodies so, where the full path takes three (see plain_body).
NOT_PLAIN = re.compile(f"[*_`\\[~|+\n{LITERAL}\x02\x03{AMPERSAND}]")


def plain_body(text: str) -> str | None:
    """The body escaped, when it is plain text that render_body_text would show as typed; else None."""
    if (NOT_PLAIN.search(text) is None and "://" not in text and "www." not in text.lower()
            and not text.startswith(">")):
        return escape_text(text)
    return None


def render_body_text(text: str) -> str:
    """render_body, as a plain string."""
    plain = plain_body(text)
    if plain is not None:
        return plain
    if len(text) > MAX_MARKDOWN_CHARACTERS:
        return plain_text_lines(text)  # shown as typed, blocks too: see MAX_MARKDOWN_CHARACTERS
    if "```" in text:
        blocks = fenced_blocks(text)
        if any(isinstance(block, tuple) for block in blocks):
            return "".join(
                code_block(*block) if isinstance(block, tuple) else render_lines(block) for block in blocks
            )
    return render_lines(text)


def render_lines(text: str, depth: int = 0) -> str:
    """Text without fenced code: block quotes and lists, then inline Markdown.

    A run of lines starting `>` is a block quote, whose lines without their
    `>` are read again (a quote or a list inside it); two or more lines in a
    row starting `- `, `* `, `+ ` or `1. `, with indented ones among them, a
    list (see list_block); the rest is inline Markdown.  One pass over the
    lines for each level of quote, at most MAX_NESTING of them.
    """
    if BLOCK_LINE.search(text) is None:
        return render_inline_text(text)
    lines = text.split("\n")
    out: list[str] = []
    plain: list[str] = []
    index = 0
    count = len(lines)

    def flush() -> None:
        if plain:
            out.append(render_inline_text("\n".join(plain)))
            plain.clear()

    while index < count:
        line = lines[index]
        if line.startswith(">"):
            end = index
            while end < count and lines[end].startswith(">"):
                end += 1
            flush()
            inner = "\n".join(QUOTE_MARK.sub("", quoted, count=1) for quoted in lines[index:end])
            # deeper than MAX_NESTING, a `>` is shown as typed: each level reads its lines again
            shown = render_lines(inner, depth + 1) if depth + 1 < MAX_NESTING else render_inline_text(inner)
            out.append(f"<blockquote>{shown}</blockquote>")
            index = end
            continue
        if LIST_ITEM.match(line) is not None:
            found = list_block(lines, index)
            if found is not None:
                flush()
                html, index = found
                out.append(html)
                continue
        plain.append(line)
        index += 1
    flush()
    return "".join(out)


def list_block(lines: list[str], index: int) -> tuple[str, int] | None:
    """The list whose first item is lines[index], and the index of the line
    after it; None when it would have one item only (then it is text).

    Items indented deeper than the item above make a list inside that item,
    up to MAX_NESTING lists deep; an indented line that is no item continues
    the item above, its line break kept.  A blank line, an unindented line
    that is no item, or an item of the other kind (`-` or `1.`) ends the
    list.  One pass over its lines.
    """
    ordered = LIST_ITEM.match(lines[index])["number"] is not None  # type: ignore[index]
    # open lists, innermost last: [indent, ordered, first number, items];
    # an item is [its lines, the html of the lists inside it]
    stack: list[list] = []
    done: list[str] = []
    items = 0

    def close() -> None:
        _indent, is_ordered, start, entries = stack.pop()
        html = list_html(is_ordered, start, entries)
        (stack[-1][3][-1][1] if stack else done).append(html)

    end = index
    while end < len(lines):
        line = lines[end]
        item = NESTED_LIST_ITEM.match(line)
        if item is None:
            if not stack or not line[:1].isspace() or not line.strip():
                break
            stack[-1][3][-1][0].append(line.strip())  # continues the item above
            end += 1
            continue
        indent = len(item["indent"].expandtabs(4))
        is_ordered = item["number"] is not None
        if indent == 0 and is_ordered != ordered:
            break
        words = line[item.end() :]
        number = int(item["number"]) if is_ordered else 1
        while len(stack) > 1 and indent <= stack[-2][0]:
            close()  # back out to the list this item's indent belongs to
        if stack and indent > stack[-1][0] and len(stack) < MAX_NESTING:
            stack.append([indent, is_ordered, number, [[[words], []]]])  # inside the item above
        elif stack and (is_ordered == stack[-1][1] or indent > stack[-1][0]):
            stack[-1][3].append([[words], []])
        else:
            if stack:
                close()  # the other kind of list, beside this one
            stack.append([indent, is_ordered, number, [[[words], []]]])
        items += 1
        end += 1
    if items < 2:
        return None
    while stack:
        close()
    return "".join(done), end


def list_html(ordered: bool, start: int, entries: list) -> str:
    tag = "ol" if ordered else "ul"
    opening = f'<ol start="{start}">' if ordered and start != 1 else f"<{tag}>"
    shown = "".join(f"<li>{render_inline_text(chr(10).join(words))}{''.join(inner)}</li>" for words, inner in entries)
    return f"{opening}{shown}</{tag}>"


def fenced_blocks(text: str) -> list[str | tuple[str, str]]:
    """The body as text and (language, code) pieces, in one pass over its lines.

    A fence that is never closed is text as typed.  The line break before an
    opening fence and after a closing one belong to the block.
    """
    lines = text.split("\n")
    out: list[str | tuple[str, str]] = []
    plain: list[str] = []
    index = 0
    count = len(lines)
    while index < count:
        opening = FENCE_OPEN.match(lines[index])
        if opening is not None:
            fence = opening["fence"]
            end = index + 1
            while end < count and lines[end].strip(" \t") != fence:
                if FENCE_OPEN.match(lines[end]):
                    break  # another fence of other length: this one stays text (each line scanned once)
                end += 1
            if end < count and lines[end].strip(" \t") == fence:
                if plain:
                    out.append("\n".join(plain))
                    plain = []
                out.append((opening["lang"], "\n".join(lines[index + 1 : end])))
                index = end + 1
                continue
        plain.append(lines[index])
        index += 1
    if plain:
        out.append("\n".join(plain))
    return out


def code_block(language: str, code: str) -> str:
    """A fenced block as Pelican's Markdown (codehilite, css_class "highlight") writes it."""
    code = visible_controls(without_literal_marks(code))
    highlighted = _highlighted(language, code) if language and len(code) <= MAX_HIGHLIGHT_CHARACTERS else None
    if highlighted is not None:
        return highlighted
    return f'<div class="highlight"><pre><code>{escape_text(code)}</code></pre></div>'


def _highlighted(language: str, code: str) -> str | None:
    try:
        from pygments import highlight  # type: ignore[import-untyped]
        from pygments.formatters import HtmlFormatter  # type: ignore[import-untyped]
        from pygments.lexers import get_lexer_by_name  # type: ignore[import-untyped]
        from pygments.util import ClassNotFound  # type: ignore[import-untyped]
    except ImportError:  # Pelican depends on Pygments, but the plugin does not
        return None
    try:
        lexer = get_lexer_by_name(language.lower(), stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None
    # Pygments escapes every token it writes
    html = highlight(code, lexer, HtmlFormatter(cssclass="highlight", wrapcode=True))
    return html.rstrip("\n")


def render_inline_text(text: str) -> str:
    """A body without fenced code: inline Markdown, paragraph by paragraph."""
    if not needs_markdown(text):
        return plain_text_lines(text)
    if "\n" not in text:
        return _markdown_paragraph(text)  # one paragraph: what the split below would give
    # a blank line inside a body stays a blank line, not a new paragraph
    parts = PARAGRAPH_BREAK.split(text)  # paragraphs at even indexes, the breaks between at odd
    return "".join(
        plain_text_lines(part) if index % 2 else _markdown_paragraph(part) for index, part in enumerate(parts)
    )


def python_markdown(core: str) -> str:
    """A stripped paragraph through Python-Markdown, without the <p>."""
    html = _converter().reset().convert(core).replace(AMPERSAND, "&amp;") if core else ""
    if html.startswith("<p>") and html.endswith("</p>"):
        html = html[3:-4]
    return html


def _markdown_paragraph(text: str) -> str:
    # Markdown strips a paragraph's edges with str.strip(), which takes \v,
    # U+001C, U+2028 … too: those edges are shown as typed around it.
    core = text.strip()
    html = fast_inline(core)
    if html is None:
        html = python_markdown(core)
    if core is text:  # nothing stripped (str.strip returns the string itself): no edges to show
        return html
    start = len(text) - len(text.lstrip())
    return plain_text_lines(text[:start]) + html + plain_text_lines(text[start + len(core) :])
