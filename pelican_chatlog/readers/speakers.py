"""The `Speakers:` mini-language and the styles it gives speakers.

``Dana (color: #b03a5b, side: right), "Smith, J.", Marcus_R``: names in
order, each with optional style options.  The same checks guard the site's
CHATLOG_SPEAKERS (see :func:`pelican_chatlog.link.style_speakers`), so a
colour never carries CSS and an avatar is always an image address.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from ..colors import parse_hex
from ..model import ChatlogError, Speaker
from ..urls import check_image
from .lines import without_lone_surrogates

# A name in double quotes, read as a JSON string: any name can be written so.
QUOTED_NAME = re.compile(r'"(?:[^"\\\n]|\\.)*"')
SPEAKER_OPTIONS_START = re.compile(r"\s*[A-Za-z]+\s*[:=]")
STYLE_OPTIONS = ("color", "side", "name", "avatar")
SIDES = ("left", "right")


def separator_positions(text: str, separators: str) -> Iterator[int]:
    """Where text splits at one of separators: not inside parentheses, nor
    inside a quoted name opening a part (``"Smith, J." (side: right)``)."""
    depth, index, opening = 0, 0, True
    while index < len(text):
        char = text[index]
        if char == '"' and opening and depth <= 0 and (quoted := QUOTED_NAME.match(text, index)):
            index, opening = quoted.end(), False
            continue
        if char in separators and depth <= 0:
            yield index
            opening = True
        elif not char.isspace():
            opening = False
        depth += {"(": 1, ")": -1}.get(char, 0)
        index += 1


def split_outside_parentheses(text: str, separator: str) -> list[str]:
    parts, start = [], 0
    for index in separator_positions(text, separator):
        parts.append(text[start:index])
        start = index + 1
    parts.append(text[start:])
    return parts


def read_speakers(value: str, line: int | None = None) -> dict[str, dict[str, str]]:
    """``Dana (color: #b03a5b), Marcus_R`` to names, in order, with their styles.

    Names are separated by commas, by semicolons when there is one (as in
    Pelican's author lists), or one a line.  A name in double quotes may hold
    anything (see :func:`quoted_name`).
    """
    rows = value.split("\n")
    semicolons = (row[index] == ";" for row in rows for index in separator_positions(row, ",;"))
    separator = ";" if any(semicolons) else ","
    speakers: dict[str, dict[str, str]] = {}
    for row in rows:
        for part in split_outside_parentheses(row, separator):
            if not part.strip():
                continue
            name, inside = split_speaker_entry(part)
            options = {}
            for option in filter(str.strip, split_outside_parentheses(inside, ",")):
                key, colon, option_value = option.partition(":")
                if not colon:
                    key, colon, option_value = option.partition("=")
                if not colon:
                    raise ChatlogError(
                        f"`Speakers:` option {option.strip()!r} is not `key: value`", line=line
                    )
                options[key.strip().lower()] = option_value.strip()
            speakers[name] = speaker_style(options, f"`Speakers:` entry {name!r}", line)
    return speakers


def split_speaker_entry(entry: str) -> tuple[str, str]:
    """``Dana (color: #b03a5b)`` → ("Dana", "color: #b03a5b").

    Trailing parentheses hold options only when they start with `key:`, so
    a name such as ``Sam (work)`` stays whole; a quoted name is whole anyway:
    ``"Sam (work: phone)" (side: right)``.
    """
    entry = entry.strip()
    quoted = QUOTED_NAME.match(entry)
    name = quoted_name(quoted.group()) if quoted else None
    if quoted and name is not None:
        rest = entry[quoted.end() :].strip()
        if not rest or (rest.startswith("(") and rest.endswith(")")):
            return name, rest[1:-1]
    if entry.endswith(")"):
        depth = 0
        for index in range(len(entry) - 1, -1, -1):
            depth += {")": 1, "(": -1}.get(entry[index], 0)
            if depth == 0:
                name, inside = entry[:index].strip(), entry[index + 1 : -1]
                if name and SPEAKER_OPTIONS_START.match(inside):
                    return name, inside
                break
    return entry, ""


def quoted_name(text: str) -> str | None:
    """``"Bob (side: right)"`` → "Bob (side: right)": a name in double quotes,
    read as a JSON string (``\\"`` a quote, ``\\\\`` a backslash, ``\\n`` a line
    break, ``\\u0007`` any character); None when it is not one."""
    import json  # here, not on import: a chat without a quoted name needs none of it

    try:
        name = json.loads(text, strict=False)
    except ValueError:
        return None
    return without_lone_surrogates(name) if isinstance(name, str) else None


def speaker_style(
    options: Mapping[str, object], where: str, line: int | None = None, *, trusted: bool = False
) -> dict[str, str]:
    """Check an author's per-speaker style; colours must never carry CSS.

    ``trusted`` styles come from the site's settings: only their avatars may
    use Pelican's ``{static}`` syntax.
    """
    style = {}
    for key, option in options.items():
        if key not in STYLE_OPTIONS:
            raise ChatlogError(
                f"{where}: unknown option `{key}` (known: {', '.join(STYLE_OPTIONS)})", line=line
            )
        value = str(option).strip()
        if key == "color":
            try:
                parse_hex(value)
            except ValueError as error:
                raise ChatlogError(f"{where}: {error}", line=line) from None
        elif key == "side" and value.lower() not in SIDES:
            raise ChatlogError(f"{where}: side must be left or right, not {value!r}", line=line)
        elif key == "avatar":
            address = check_image(value, intrasite=trusted)
            if address.problem:
                raise ChatlogError(
                    f"{where}: avatar must be an http(s) or site URL, not {value!r}: {address.problem}", line=line
                )
            value = address.url
        style[key] = value.lower() if key == "side" else value
    return style


def apply_style(speaker: Speaker, style: Mapping[str, str]) -> None:
    """A style's choices, where nothing was chosen for the speaker yet: what
    is applied first wins (the post's header before the site's settings)."""
    speaker.color = speaker.color or style.get("color", "")
    speaker.side = speaker.side or style.get("side", "")
    speaker.display_name = speaker.display_name or style.get("name", "")
    speaker.avatar = speaker.avatar or style.get("avatar", "")
