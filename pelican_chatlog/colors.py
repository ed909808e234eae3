"""Speaker colours: stable per name, distinct within a chat, always readable.

A name's hue comes from a fixed hash of the name (not Python's salted
``hash()``), so Dana is the same colour in every post, build and machine, as
irclog2html does for nicks.  The page shows a name in a mix of the speaker's colour and the page's own
text colour (CSS ``color-mix(in srgb, colour 60%, currentColor)``), so one
colour serves light and dark pages alike.  Its lightness is searched until
that mix reaches WCAG AA contrast on the page and on a bubble, with the
usual text colours of a light and of a dark page.
"""

from __future__ import annotations

import colorsys
import functools
import re
import zlib

LIGHT_BACKGROUND = "#ffffff"
DARK_BACKGROUND = "#17191e"
LIGHT_TEXT = "#1b1c1f"
DARK_TEXT = "#e8e9ec"
# What the stylesheet mixes with color-mix(in srgb, …), so the contrast
# computed here is the one shown: a name is NAME_MIX of the speaker's colour
# and the rest the page's text colour; a bubble is BUBBLE_MIX of the text
# colour over the page.
NAME_MIX = 0.6
BUBBLE_MIX = 0.07
MIN_CONTRAST = 4.5
HEX_COLOR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")
GOLDEN_ANGLE = 137.508
# Keeping hues apart costs a pass over the assigned ones; past this many
# speakers nobody can tell colours apart anyway and the name carries identity.
MAX_SPREAD_SPEAKERS = 24

RGB = tuple[float, float, float]


def parse_hex(value: str) -> RGB:
    """An ``#rgb`` or ``#rrggbb`` colour, the only form accepted from authors."""
    if not isinstance(value, str) or not HEX_COLOR.fullmatch(value.strip()):
        raise ValueError(f"not a colour of the form #rrggbb or #rgb: {value!r}")
    digits = value.strip()[1:]
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    return int(digits[0:2], 16) / 255, int(digits[2:4], 16) / 255, int(digits[4:6], 16) / 255


def to_hex(rgb: RGB) -> str:
    return "#" + "".join(f"{round(channel * 255):02x}" for channel in rgb)


def luminance(rgb: RGB) -> float:
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: RGB, second: RGB) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def mix(color: RGB, base: RGB, share: float) -> RGB:
    (red, green, blue), (base_red, base_green, base_blue) = color, base
    return (red * share + base_red * (1 - share), green * share + base_green * (1 - share),
            blue * share + base_blue * (1 - share))


def page(dark: bool) -> tuple[RGB, RGB]:
    """(background, text) of a typical light or dark page."""
    if dark:
        return parse_hex(DARK_BACKGROUND), parse_hex(DARK_TEXT)
    return parse_hex(LIGHT_BACKGROUND), parse_hex(LIGHT_TEXT)


def bubble(dark: bool) -> RGB:
    background, text = page(dark)
    return mix(text, background, BUBBLE_MIX)


def shown(color: RGB, dark: bool) -> RGB:
    """A speaker's name as a light or dark page shows it."""
    return mix(color, page(dark)[1], NAME_MIX)


def is_readable(color: RGB) -> bool:
    for dark in (False, True):
        name = shown(color, dark)
        if contrast(name, page(dark)[0]) < MIN_CONTRAST or contrast(name, bubble(dark)) < MIN_CONTRAST:
            return False
    return True


def readable(color: RGB) -> RGB:
    """The colour with its lightness moved just far enough to be readable on both pages."""
    hue, lightness, saturation = colorsys.rgb_to_hls(*color)
    for step in range(101):
        for candidate in (lightness - step / 100, lightness + step / 100):
            if 0 <= candidate <= 1:
                # judge the colour as it will be written, rounded to #rrggbb
                rounded = parse_hex(to_hex(colorsys.hls_to_rgb(hue, candidate, saturation)))
                if is_readable(rounded):
                    return rounded
    return parse_hex("#808080")  # mid grey reads on both; never reached for real hues


def name_hue(name: str) -> float:
    return zlib.crc32(name.casefold().encode("utf-8")) % 360


def spread_hues(names: list[str]) -> list[float]:
    """Hash hues, nudged by the golden angle until no two are too close."""
    hues: list[float] = []
    gap = min(30.0, 360 / (2 * max(len(names), 1)))
    for name in names:
        hue = name_hue(name)
        if len(names) <= MAX_SPREAD_SPEAKERS:
            for _ in range(36):
                if all(min(abs(hue - other), 360 - abs(hue - other)) >= gap for other in hues):
                    break
                hue = (hue + GOLDEN_ANGLE) % 360
        hues.append(hue)
    return hues


def speaker_colors(names: list[str], chosen: dict[str, str] | None = None) -> list[str]:
    """A hex colour for each name, in order, readable on light and dark pages.

    ``chosen`` maps a name to an author's colour; it keeps its hue and is
    only made lighter or darker where it would not be readable.
    """
    chosen = chosen or {}
    return [
        readable_hex(chosen[name]) if name in chosen else readable_hex(hue_color(hue))
        for name, hue in zip(names, spread_hues(names))
    ]


def hue_color(hue: float) -> str:
    return to_hex(colorsys.hls_to_rgb(hue / 360, 0.5, 0.7))


@functools.lru_cache(maxsize=1024)
def readable_hex(color: str) -> str:
    """The readable version of a colour; cached, as hues repeat."""
    return to_hex(readable(parse_hex(color)))
