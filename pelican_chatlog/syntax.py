"""The signs of our message-body syntax that both ends of the flow share.

Readers write them (an importer keeps plain text literal, translates an
app's marks, fences a block of code) and ``inline`` reads them when it
renders a body; kept here, below both, so that no reader imports the
renderer.  See README "Message bodies".
"""

from __future__ import annotations

import re

# Chat apps have no backslash escapes, so a typed backslash is shown as typed.
# Plain text an importer read from rich text keeps `*`, `_` … literal with
# this mark before them instead: a Unicode noncharacter, which nobody types.
LITERAL = "\ufdd0"
LITERAL_CHARACTER = re.compile(LITERAL + r"([\\`*_{}\[\]()>#+\-.!~|])")
# Markdown's own escapable characters, and the signs of our marks
LITERAL_CHARACTERS = "\\`*_{}[]()>#+-.!~|"
# A fenced code block: a line of three or more backticks (a language word
# may follow) up to a line of as many backticks.  Its lines, blank ones too,
# are shown as typed in <pre><code>, highlighted by Pygments when it is
# installed and the language is named.
FENCE_OPEN = re.compile(r"^(?P<fence>`{3,})[ \t]*(?P<lang>[A-Za-z0-9_+#.-]{0,40})[ \t]*$")
# No control characters: a bare URL is always a link check_address accepts.
BARE_URL = r"(?:https?://|www\.)[^\s<>\"'`\x00-\x1f\x7f]+[^\s<>\"'`.,;:!?)\]}\x00-\x1f\x7f]"
