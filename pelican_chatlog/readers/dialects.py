"""Each chat app's formatting, translated into our Markdown (see inline.py).

Our Markdown: **bold**, *italic* or _italic_, ~~strike~~, ++underline++,
||spoiler||, `code`, fenced ``` blocks, `>` quote lines, `- ` lists.

* WhatsApp: *bold*, _italic_, ~strike~, ```mono``` (on one line or several).
* Slack mrkdwn: *bold*, _italic_, ~strike~, `code`, ```blocks```, `>` quotes
  (slack.mrkdwn turns its links and *bold*, then calls strike and code_fences).
* Discord (as DiscordChatExporter writes `content`): Markdown already, but
  __underline__ (our ++underline++), ||spoiler|| and ~~strike~~ kept as ours,
  and custom emoji `<:kekw:123>` / `<a:dance:456>` shown as `:kekw:`;
  `>>> ` quotes the rest of the message, and quotes do not nest.

Our marks that are no marks in an app (`++` and `||` in WhatsApp and Slack,
`++` in Discord) are kept literal where they could form one
(markup.literal_signs).

Every pattern reads a span that cannot hold its own mark, so each scan stops
at the next mark: linear in the text.  Code (```…``` and `…`) is left as
typed.
"""

from __future__ import annotations

import re

from ..syntax import LITERAL
from .markup import literal_signs


def _span(mark: str) -> re.Pattern[str]:
    """`mark`text`mark` at word edges, the text starting and ending with a non-space, on one line."""
    m = re.escape(mark)
    return re.compile(rf"(?<![\w{m}]){m}([^\s{m}](?:[^{m}\n]*[^\s{m}])?){m}(?![\w{m}])")


SINGLE_STAR = _span("*")
SINGLE_TILDE = _span("~")
DOUBLE_UNDERSCORE = re.compile(r"(?<![\w_])__([^\s_](?:[^_\n]*[^\s_])?)__(?![\w_])")
CUSTOM_EMOJI = re.compile(r"<a?:([A-Za-z0-9_]{1,64}):[0-9]{1,24}>")
# ```…``` with no backticks inside; `…` code spans, on one line; and web
# addresses, whose `_`, `*` and `~` are no marks (`https://x.org/~a/__init__`)
CODE = re.compile(r"```([^`]+)```|`[^`\n]+`|(?:https?://|www\.)[^\s<>]+", re.IGNORECASE)


LANGUAGE = re.compile(r"[A-Za-z0-9_+#.-]{1,40}\Z")


def _outside_code(text: str, translate, languages: bool = False) -> str:
    """translate() applied to the text between code; ```multi-line``` code becomes a fenced block.

    With ``languages`` (Discord) a first line of one word names the code's language.
    """
    if "`" not in text and "://" not in text and "www." not in text.lower():
        return translate(text)
    out = []
    position = 0
    for match in CODE.finditer(text):
        out.append(translate(text[position : match.start()]))
        code = match[1]
        if code is not None and "\n" in code:
            before = "" if not out[-1] or out[-1].endswith("\n") else "\n"
            after = "" if text[match.end() : match.end() + 1] in ("", "\n") else "\n"
            language = ""
            first, _, rest = code.partition("\n")
            if languages and LANGUAGE.match(first) and rest.strip():
                language, code = first, rest
            out.append(f"{before}```{language}\n{code.strip(chr(10))}\n```{after}")
        else:
            out.append(match[0])
        position = match.end()
    out.append(translate(text[position:]))
    return "".join(out)


def whatsapp(text: str) -> str:
    """WhatsApp's *bold*, _italic_, ~strike~ and ```mono``` as our Markdown;
    `++` and `||`, no marks there, kept literal."""
    if not any(mark in text for mark in "*~`+|"):
        return text

    def translate(part: str) -> str:
        return SINGLE_TILDE.sub(r"~~\1~~", STAR_OR_SPAN.sub(_star, literal_signs(part, "+|")))

    return _outside_code(text, translate)


# WhatsApp's *bold*, or a `*` that is no mark there (`2*3*4`): kept literal, not Markdown's em
STAR_OR_SPAN = re.compile(SINGLE_STAR.pattern + r"|\*")


def _star(match: re.Match[str]) -> str:
    return f"**{match[1]}**" if match[1] is not None else LITERAL + "*"


def slack(text: str) -> str:
    """What slack.mrkdwn leaves: ~strike~ and ```blocks``` (its *bold* is
    already **bold**); `++` and `||`, no marks there, kept literal."""
    if not any(mark in text for mark in "~`+|"):
        return text
    return _outside_code(text, lambda part: SINGLE_TILDE.sub(r"~~\1~~", literal_signs(part, "+|")))


def discord(text: str) -> str:
    """DiscordChatExporter's `content`: __underline__ and custom emoji; the
    rest is our Markdown already, but `++`, no mark there, is kept literal."""
    if "__" not in text and "<" not in text and "```" not in text and "++" not in text and ">" not in text:
        return text

    def translate(part: str) -> str:
        return CUSTOM_EMOJI.sub(r":\1:", DOUBLE_UNDERSCORE.sub(r"++\1++", literal_signs(part, "+")))

    return _outside_code(discord_quotes(text) if ">" in text else text, translate, languages=True)


def discord_quotes(text: str) -> str:
    """Discord's quotes as ours: `> ` quotes its line and `>>> ` every line
    after it; a quote holds no quote (`> > x` quotes "> x"), and `>` without
    a space is text.  Lines of fenced code are left as they are."""
    out = []
    in_code = rest_quoted = False
    for line in text.split("\n"):
        fence = line.lstrip(" \t").startswith("```")
        if fence and line.count("```") % 2:
            in_code = not in_code
        if in_code or fence:
            out.append(line)
            continue
        if not rest_quoted and line.startswith(">>> "):
            rest_quoted, line = True, line[4:]
        elif not rest_quoted and line.startswith("> "):
            line = line[2:]
        elif not rest_quoted:
            out.append(LITERAL + line if line.startswith(">") else line)
            continue
        out.append("> " + (LITERAL + line if line.startswith(">") else line))
    return "\n".join(out)
