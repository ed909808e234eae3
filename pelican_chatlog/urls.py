"""Addresses from untrusted text, judged in the form the browser will use.

Every link and image address a chat puts on the page goes through
:func:`check_address`.  It looks at the address exactly as the browser will
read it: without the spaces and control characters at its ends, and without
the tabs and line breaks a browser drops anywhere (``java\\tscript:``).  The
writers of the page escape every ``&`` (Jinja does; ``inline.SafeLinks`` for
Markdown), so an entity typed in a chat stays literal text in the address;
the check also decodes entities once, and removes every space and control
character, so ``&#106;avascript:`` is refused rather than merely defused.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace

LINK_SCHEMES = ("http", "https", "mailto")
IMAGE_SCHEMES = ("http", "https")
EXTERNAL_SCHEMES = ("http", "https")
# The WHATWG URL parser strips C0 controls and spaces at both ends and
# removes every tab, LF and CR.
ENDS = "".join(map(chr, range(0x21)))
TABS_AND_NEWLINES = re.compile("[\t\n\r]")
SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
# On an http(s) page `\` counts as `/`, so `/\evil` and `\\evil` name a host.
PROTOCOL_RELATIVE = re.compile(r"[/\\]{2}")
CONTROLS = re.compile("[\x00-\x1f\x7f]")
SPACES_AND_CONTROLS = re.compile("[\x00-\x20\x7f]+")
# Pelican rewrites (and copies the file of) any href or src starting with
# these: `{static}/../secret`, `|filename|…`.
INTRASITE = ("{", "|")
# Where a path's first segment ends: a `/` (or `\\`, one to a browser), `?` or `#`.
SEGMENT_END = re.compile(r"[/\\?#]")


@dataclass(frozen=True, slots=True)
class Address:
    url: str  # what the attribute must hold, before HTML escaping
    external: bool  # another site's
    problem: str = ""  # why it must not be used; empty when it may


def browser_form(url: str) -> str:
    """The address as a browser reads it from an attribute's decoded value."""
    return TABS_AND_NEWLINES.sub("", url.strip(ENDS))


def scheme_of(url: str) -> str:
    match = SCHEME.match(url)
    return match[1].lower() if match else ""


def check_address(typed: str, schemes=LINK_SCHEMES, *, intrasite: bool = False) -> Address:
    """Whether a link may go to ``typed``: only ``schemes``, or a site path.

    ``intrasite`` allows Pelican's ``{static}``-style syntax: only for
    addresses from the site's own settings, never from a chat.
    """
    url = browser_form(typed)
    decoded = browser_form(html.unescape(url))
    # Squeezed too, as the check was before: a tab Markdown turned into
    # spaces (`java    script:`) is no scheme to a browser, but no link either.
    forms = (url, decoded, SPACES_AND_CONTROLS.sub("", decoded))
    problem = ""
    if CONTROLS.search(url):
        problem = "it holds control characters"
    for form in forms:
        scheme = scheme_of(form)
        if scheme and scheme not in schemes:
            problem = f"`{scheme}:` addresses are not allowed, only {', '.join(schemes)} and the site's own"
        elif form.startswith(INTRASITE) and not intrasite:
            problem = "Pelican's `{…}` link syntax works in the site's settings, not in a chat"
        elif not scheme and ":" in SEGMENT_END.split(form, maxsplit=1)[0]:
            # `:`, `1a:b`: no scheme, yet a colon where one would end; RFC 3986 allows
            # no relative path so, and what a reader makes of it is anybody's guess
            problem = "a colon before any `/` makes no scheme and no site path"
    external = any(scheme_of(form) in EXTERNAL_SCHEMES or PROTOCOL_RELATIVE.match(form) for form in forms)
    return Address(url, external, problem)


def check_image(typed: str, *, intrasite: bool = False) -> Address:
    """An avatar's address: http(s) or a site path; `//host/…` is neither."""
    address = check_address(typed, IMAGE_SCHEMES, intrasite=intrasite)
    if not address.problem and address.external and not scheme_of(address.url):
        return replace(address, problem="an address starting with // (or \\) is another site's: write https://…")
    return address
