"""Metadata text that stays text wherever a theme prints it.

Pelican's Jinja does not autoescape, and themes print `title` and `summary`
raw: in element text, in `<title>`, in `content="…"` or `title='…'`, often
through `striptags`, which *un*-escapes.  Escaping cannot survive that, so
the text itself carries none of the characters that mean something to HTML.
Each becomes the look-alike a reader takes for it:

    "   → “ or ”   (opening at the start or after a space, bracket or dash)
    '   → ‘ or ’   (likewise; an apostrophe is ’)
    <   → ‹         >  → ›
    &   → ＆ (FULLWIDTH AMPERSAND) where it could begin a character
          reference, that is before a letter, a digit, # or the end;
          "Tom & Jerry" keeps its &
    control characters → their pictures (NUL → ␀), as in the page

The result has no `<` to open a tag, no quote to close an attribute and no
`&` that a browser or `html.unescape` reads as a reference, so escaping,
un-escaping and `striptags` leave it as it is, any number of times.
"""

from __future__ import annotations

import re

from .controls import visible_controls

# A quote opens at the start of the text or after one of these; else it closes.
OPENS_AFTER = r"\s(\[{‹“‘\-–—/"
OPENING = re.compile(rf"(?<![^{OPENS_AFTER}])([\"'])")
CLOSING = {'"': "”", "'": "’"}
OPENING_QUOTES = {'"': "“", "'": "‘"}
ANGLES = str.maketrans({"<": "‹", ">": "›"})
REFERENCE_AMPERSAND = re.compile(r"&(?=[A-Za-z0-9#]|\Z)")


def harmless(text: str) -> str:
    """`text` readable as before, with nothing in it that HTML would act on."""
    text = visible_controls(text).translate(ANGLES)
    text = REFERENCE_AMPERSAND.sub("＆", text)
    text = OPENING.sub(lambda match: OPENING_QUOTES[match.group()], text)
    return text.replace('"', CLOSING['"']).replace("'", CLOSING["'"])
