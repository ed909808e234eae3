"""The bundled templates' markup, written directly in Python.

Jinja spends most of a chat's render time on its per-expression machinery
(a `Markup` built for every value it escapes, a macro call per message), so
when no site or theme overrides any of our conversation templates, render.py
writes the same bytes from here instead.  Keep this in step with
``templates/chatlog/``: tests/test_direct_render.py renders every fixture and
random chats both ways and compares them byte for byte.
"""

from __future__ import annotations

from .inline import escape_text as escape
from .inline import plain_text_lines, render_body_text

# The templates this module stands in for: an override of any of them in a
# site's or theme's folder sends the render through Jinja.
TEMPLATES = ("conversation", "day", "narration", "run", "message", "quote", "avatar")

# templates/chatlog/page.html, the preview's page
PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="pelican-chatlog preview">
<title>{title}</title>
<style>
body {{ margin: 0; padding: 1rem; font-family: system-ui, sans-serif; }}
main {{ max-width: 42rem; margin: 0 auto; }}
h1 {{ margin: 1rem 0; font-size: 1.6rem; overflow-wrap: anywhere; }}
</style>
<style>
{stylesheet}
</style>
</head>
<body>
<main>
<h1>{title}</h1>
{conversation}
</main>
</body>
</html>"""


def page(title: str, stylesheet: str, conversation_html: str) -> str:
    return PAGE.format(title=escape(title), stylesheet=stylesheet, conversation=conversation_html)


def conversation(blocks, palette: str, color_scheme: str, datetime_of, day_label) -> str:
    out = ['<div class="chatlog']
    if color_scheme != "auto":
        out.append(f" chatlog-{escape(color_scheme)}")
    out.append('"')
    if palette:
        out.append(f' style="{escape(palette)}"')
    out.append('>\n<ol class="chatlog-items">\n')
    speakers: dict[int, SpeakerMarkup] = {}
    # Each date's label made once (strftime is slow), kept for this render
    # only: a cache living past it would pin the memory around its entries.
    days: dict = {}
    for block in blocks:
        kind = block.kind
        if kind == "run":
            run(out, block, datetime_of, speakers)
        elif kind == "day":
            date = block.date
            if date not in days:
                days[date] = (f'<li class="chatlog-day"><time datetime="{escape(date.isoformat())}">'
                              f"{escape(day_label(date))}</time></li>")
            out.append(days[date])
        else:
            out.append(f'<li class="chatlog-narration" dir="auto">{plain_text_lines(block.narration.text)}</li>')
        out.append("\n")
    out.append("</ol>\n</div>")
    return "".join(out)


class SpeakerMarkup:
    """A speaker's escaped values, made once per conversation rather than per message."""

    __slots__ = ("slug", "name", "label", "name_tag", "right")

    def __init__(self, speaker):
        self.slug = escape(speaker.slug)
        self.name = escape(speaker.name)
        self.label = escape(speaker.label)
        avatar = ""
        if speaker.avatar:
            avatar = (f'<img class="chatlog-avatar" src="{escape(speaker.avatar)}" alt="{self.label}"'
                      ' aria-hidden="true" loading="lazy"> ')
        self.name_tag = f'<b dir="auto">{avatar}{self.label} </b>'
        self.right = " chatlog-right" if speaker.side == "right" else ""


def _speaker(speakers: dict, speaker) -> SpeakerMarkup:
    markup = speakers.get(id(speaker))
    if markup is None:
        markup = speakers[id(speaker)] = SpeakerMarkup(speaker)
    return markup


def run(out: list[str], block, datetime_of, speakers: dict) -> None:
    speaker = _speaker(speakers, block.speaker)  # a run's messages are all its speaker's
    separator = ""
    for item in block.messages:
        message = item.message
        stamp = datetime_of(message.time)
        message_id = escape(message.id)
        classes = ""
        if item.first:
            classes = f" chatlog-speaker-{speaker.slug}" + (f" chatlog-c{item.colour}" if item.colour else "")
        out.append(f'{separator}<li class="chatlog-message{classes}{speaker.right}" id="{message_id}" '
                   f'data-speaker="{speaker.name}" dir="auto">{speaker.name_tag if item.first else ""}')
        for quoted in item.quotes:
            quote(out, quoted, datetime_of, speakers)
        if message.forwarded_from:
            out.append(f'<i class="chatlog-forwarded">Forwarded from <bdi>{escape(message.forwarded_from)}</bdi></i>\n')
        out.append(render_body_text(message.text))
        if message.attachments or message.edited or message.deleted:
            marks(out, message)
        if item.time:
            datetime = f' datetime="{escape(stamp)}"' if stamp else ""
            out.append(f' <time{datetime}><a href="#{message_id}">{escape(item.time)}</a></time>')
        elif stamp:
            out.append(f'<time datetime="{escape(stamp)}"></time>')
        if message.reactions:
            out.append('<ul class="chatlog-reactions" aria-label="Reactions">')
            for reaction in message.reactions:
                out.append(f"<li>{escape(reaction.emoji)}")
                if reaction.total:
                    out.append(f" {reaction.total}")
                if reaction.who:
                    # the export named fewer than it counted
                    more = f" and {reaction.count - len(reaction.who)} more" if reaction.count else ""
                    out.append(f'<span class="chatlog-reactors">: {escape(", ".join(reaction.who))}{more}</span>')
                out.append("</li>")
            out.append("</ul>")
        if message.quoted_by:
            out.append('<p class="chatlog-backlinks">Quoted in ')
            out.append(", ".join(
                f'<a class="chatlog-backlink" href="#{escape(reply.id)}">'
                f"{_speaker(speakers, reply.speaker).label}&rsquo;s reply</a>"
                for reply in message.quoted_by
            ))
            out.append("</p>")
        out.append("</li>")
        separator = "\n"


def marks(out: list[str], message) -> None:
    """A message's attachments (an image shown, a file linked, else a placeholder),
    then its edited and deleted marks."""
    # Jinja's own filter, as the templates use it; imported here, where a size is
    # shown, since importing Jinja is a fifth of a preview's start-up
    from jinja2.filters import do_filesizeformat as filesizeformat

    before = bool(message.text)
    for attachment in message.attachments:
        kind = escape(attachment.kind)
        newline = "\n" if before else ""
        if attachment.url and attachment.inline:
            url = escape(attachment.url)
            size = (f' width="{attachment.width}"' if attachment.width else "") + (
                f' height="{attachment.height}"' if attachment.height else "")
            out.append(f'{newline}<a class="chatlog-media chatlog-{kind}" href="{url}"><img src="{url}" '
                       f'alt="{escape(attachment.name or attachment.kind)}"{size} loading="lazy"></a>')
        elif attachment.url:
            out.append(f'{newline}<span class="chatlog-attachment chatlog-{kind}">'
                       f'[{kind}: <a href="{escape(attachment.url)}">'
                       f"{escape(attachment.name or attachment.kind)}</a>, {filesizeformat(attachment.size)}]</span>")
        else:
            name = f": {escape(attachment.name)}" if attachment.name else ""
            size = f", {filesizeformat(attachment.size)}" if attachment.size else ""  # a file held back
            out.append(f'{newline}<span class="chatlog-attachment chatlog-{kind}">[{kind}{name}{size}]</span>')
        before = True
    if message.edited:
        out.append(f'{" " if before else ""}<small class="chatlog-edited">(edited)</small>')
        before = True
    if message.deleted:
        out.append(f'{" " if before else ""}<small class="chatlog-deleted">(deleted)</small>')


def quote(out: list[str], shown, datetime_of, speakers: dict) -> None:
    from .preview import preview_lines  # and html.parser: only a chat with quotes needs them

    said = shown.quote
    stamp = datetime_of(said.time)
    target = said.target
    out.append('<blockquote class="chatlog-quote')
    if shown.colour:
        out.append(f" chatlog-c{shown.colour}")
    if not target:
        out.append(" chatlog-quote-unresolved")
    out.append('" dir="auto">')
    if target:
        out.append(f'<a href="#{escape(target.id)}">')
    out.append(f"<bdi>{_speaker(speakers, said.speaker).label}</bdi>")
    if shown.time:
        out.append(" <time")
        if stamp:
            out.append(f' datetime="{escape(stamp)}"')
        out.append(f">{escape(shown.time)}</time>")
    if not target:
        out.append(" <i>original not found</i>")
    out.append(f'\n<p dir="auto">{preview_lines(said.text)}</p>')
    if target:
        out.append("</a>")
    out.append("\n</blockquote>")
