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


def conversation(blocks, palette: str, color_scheme: str, datetime_of, day_label) -> str:
    out = ['<div class="chatlog']
    if color_scheme != "auto":
        out.append(f" chatlog-{escape(color_scheme)}")
    out.append('"')
    if palette:
        out.append(f' style="{escape(palette)}"')
    out.append('>\n<ol class="chatlog-items">\n')
    for block in blocks:
        kind = block.kind
        if kind == "run":
            run(out, block, datetime_of)
        elif kind == "day":
            date = block.date
            out.append(f'<li class="chatlog-day"><time datetime="{escape(date.isoformat())}">'
                       f"{escape(day_label(date))}</time></li>")
        else:
            out.append(f'<li class="chatlog-narration" dir="auto">{plain_text_lines(block.narration.text)}</li>')
        out.append("\n")
    out.append("</ol>\n</div>")
    return "".join(out)


def run(out: list[str], block, datetime_of) -> None:
    for index, item in enumerate(block.messages):
        if index:
            out.append("\n")
        message = item.message
        speaker = message.speaker
        stamp = datetime_of(message.time)
        message_id = escape(message.id)
        out.append('<li class="chatlog-message')
        if item.first:
            out.append(f" chatlog-speaker-{escape(speaker.slug)}")
            if item.colour:
                out.append(f" chatlog-c{item.colour}")
        if speaker.side == "right":
            out.append(" chatlog-right")
        out.append(f'" id="{message_id}" data-speaker="{escape(speaker.name)}" dir="auto">')
        if item.first:
            out.append('<b dir="auto">')
            if speaker.avatar:
                out.append(f'<img class="chatlog-avatar" src="{escape(speaker.avatar)}" alt="{escape(speaker.label)}"'
                           ' aria-hidden="true" loading="lazy"> ')
            out.append(f"{escape(speaker.label)} </b>")
        for shown in item.quotes:
            quote(out, shown, datetime_of)
        out.append(render_body_text(message.text))
        if item.time:
            out.append(" <time")
            if stamp:
                out.append(f' datetime="{escape(stamp)}"')
            out.append(f'><a href="#{message_id}">{escape(item.time)}</a></time>')
        elif stamp:
            out.append(f'<time datetime="{escape(stamp)}"></time>')
        if message.quoted_by:
            out.append('<p class="chatlog-backlinks">Quoted in ')
            out.append(", ".join(
                f'<a class="chatlog-backlink" href="#{escape(reply.id)}">{escape(reply.speaker.label)}&rsquo;s reply</a>'
                for reply in message.quoted_by
            ))
            out.append("</p>")
        out.append("</li>")


def quote(out: list[str], shown, datetime_of) -> None:
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
    out.append(f"<bdi>{escape(said.speaker.label)}</bdi>")
    if shown.time:
        out.append(" <time")
        if stamp:
            out.append(f' datetime="{escape(stamp)}"')
        out.append(f">{escape(shown.time)}</time>")
    if not target:
        out.append(" <i>original not found</i>")
    out.append(f'\n<p dir="auto">{plain_text_lines(said.text)}</p>')
    if target:
        out.append("</a>")
    out.append("\n</blockquote>")
