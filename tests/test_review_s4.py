"""An outsider's attack review of the day's changes (privacy, reading, the cache): each bug found, shut.

1. Markdown takes `*` and `` ` `` out of the middle of a word (`Zq**dana**` reads "Zqdana", as does
   `` Zq`dana` ``), and a code span beside a name's white space (`` `Zqdana` Zqokafor ``) or emphasis
   beside its other signs (`**Zqdana**-Zqokafor`) parts it as `**` does: each showed a hidden name
   or redacted term (a `/regex/` one too) on the page, in the feed and in the summary.

2. Pelican's content cache knows a post by its own file: an export the post reads with `Source:`,
   edited (a message taken out) under a post left as it was, kept the page made before, the
   message taken out still published by a cached rebuild.
3. WhatsApp's bold, italic and strike (`*…*`, `_…_`, `~…~`) over part of a phone number or an
   e-mail address (`*+44 7700* 900123`, `zqlee@*zqexample*.org`) parted it for CONTACT_TEXT, and
   the page, feed and summary showed it whole, where an export masks numbers and addresses.

Fixtures: `.chat` posts as README "The .chat format" describes them, with invented people and text;
a WhatsApp export in the Android shape `DD/MM/YYYY, HH:MM - Name: text` (the message_regex of
github.com/dvigh8/bug-free-telegram whatsapp_chat_analyzation.jl: date, `, `, clock, ` - `;
tests/exports/whatsapp/android-dutch.whatsapp.txt), its `*bold*`, `_italic_` and `~strike~` as
WhatsApp's help page "How to format your messages" (faq.whatsapp.com) writes them.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

from pelican_chatlog import parse, privacy
from conftest import site_text

ATOM = "{http://www.w3.org/2005/Atom}"


def shown(site, page: str) -> list[str]:
    return [" ".join(body.get_text().split()) for body in site.page(page).select(".chatlog-message")]


# --- 1. marks inside a word, code spans ----------------------------------------------------

MARKED = """\
Title: Ridge walk
Date: 2024-03-08
Speakers: Zqdana Zqokafor (name: D.), Zqlee (name: L.), Zqmo-Zqvance (name: M.), Mei
Redact: Zqplot

Zqdana Zqokafor: morning
Zqlee: hi
Zqmo-Zqvance: hello
Mei: ask Zq**dana** Zqokafor, `Zqdana` Zqokafor or **Zqmo**-Zqvance about Zq*plot*
Mei: and Zq**lee**, Zq`lee` too
"""


def test_marks_inside_a_word_or_a_code_span_hide_no_name_or_term(build_site):
    site = build_site({"ridge.chat": MARKED})
    assert shown(site, "ridge-walk.html")[3:] == ["Mei ask D., D. or M. about ███", "and L., L. too"]
    entry = ElementTree.parse(site.output / "feeds" / "all.atom.xml").getroot().find(f"{ATOM}entry")
    summary = entry.findtext(f"{ATOM}summary")
    content = " ".join(BeautifulSoup(entry.findtext(f"{ATOM}content"), "html.parser").get_text().split())
    assert "ask D., D. or M. about ███" in re.sub(r"[*_`]", "", summary) and "ask D., D. or M. about ███" in content
    secrets = ("zqdana", "zqokafor", "zqlee", "zqmo", "zqvance", "zqplot")
    assert [word for word in secrets if word in site_text(site)] == []


@pytest.mark.parametrize("text, expected", [
    ("Zq**lee**", "**L.**"),  # the marks still pair up around the name shown
    ("Zq*lee*", "*L.*"),
    ("Zq`lee`", "`L.`"),
    ("**Zq**lee", "**L.**"),
    ("*Zq*lee here", "*L.* here"),
    ("Zq**dana** Zqokafor", "D."),
    ("**Zqdana Zq**okafor yes", "**D.** yes"),
    ("`Zqdana` Zqokafor", "`D.`"),
    ("a `Zqdana` `Zqokafor` b", "a `D.` b"),
    ("**Zqmo**-Zqvance", "**M.**"),
    ("`Zqmo`-Zqvance", "`M.`"),
    # inside a word `_`, `~~`, `++` and `||` stay as typed: no name there
    ("Zq_lee_", "Zq_lee_"),
    ("Zq~~lee~~", "Zq~~lee~~"),
])
def test_marks_inside_a_name_stay_around_the_name_shown(text, expected):
    post = ("Speakers: Zqdana Zqokafor (name: D.), Zqlee (name: L.), Zqmo-Zqvance (name: M.), Mei\n\n"
            f"Zqlee: hi\nMei: {text}\n")
    assert [message.text for message in parse(post).messages][1] == expected


@pytest.mark.parametrize("text, expected", [
    ("see Zq**plot** now", "see **███** now"),
    ("see Zq`plot` now", "see `███` now"),
    ("see zq*plot* and 5*3", "see *███* and 5*3"),
])
def test_a_regex_term_matches_past_marks_inside_a_word(text, expected):
    post = f"Redact: /zqplot/\n\nDana: hi\nMei: {text}\n"
    assert [message.text for message in parse(post).messages][1] == expected


@pytest.mark.parametrize("name", ["Zq*dana", "Zq**dana", "Zq`dana`", "*Zq* **dana**", "Zq*` *dana"])
def test_a_names_own_stars_and_backticks_stand_beside_no_repeat_of_them(name):
    # a repeat of marks beside a mark of the name's own reads a run of them in as many
    # ways as it is long, at each place: `Zq**dana` against "Zq" and 2,000 stars took 12 s
    pattern = privacy.Hidden.phrase(name).pattern
    for mark in (r"\*", "`"):
        assert f"{privacy.INSIDE_WORD}{mark}" not in pattern and f"{mark}{privacy.INSIDE_WORD}" not in pattern
    text = "Zq" + "*" * 2_000 + "x " + "`" * 2_000 + f" and {name}"
    post = f"Speakers: {name} (name: D.), Mei\n\n{name}: hi\nMei: {text}\n"
    assert parse(post).messages[1].text.split(" and ")[-1].strip("*`") == "D."  # the name's own marks may stay


# --- 2. a cached rebuild after the post's source changed --------------------------------------

TRIP = """\
Title: Trip
Date: 2024-03-08
Format: whatsapp
Source: trip.whatsapp.txt
"""


def test_a_cached_rebuild_reads_a_post_whose_source_changed(build_site, tmp_path):
    cached = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "CACHE_PATH": str(tmp_path / "cache")}
    first = "18/03/2024, 09:00 - Dana: meet at zqgate\n18/03/2024, 09:01 - Mei: ok\n"
    site = build_site({"trip.chat": TRIP, "trip.whatsapp.txt": first}, **cached)
    assert "meet at zqgate" in shown(site, "trip.html")[0]
    # the export edited, the post left as it was
    site = build_site({"trip.whatsapp.txt": "18/03/2024, 09:01 - Mei: ok\n"}, **cached)
    assert shown(site, "trip.html") == ["Mei ok 09:01"]
    assert "zqgate" not in site_text(site)
    # and a rebuild with nothing changed still reads the page from the cache
    site = build_site({}, **cached)
    assert "zqgate" not in site_text(site) and not any("afresh" in record.getMessage() for record in site.log)


# --- 3. a phone number or an address parted by emphasis -------------------------------------------

CALLS = """\
Title: Calls
Date: 2024-03-18
Format: whatsapp
Source: calls.whatsapp.txt
"""
CALLS_EXPORT = (
    "18/03/2024, 09:00 - Dana: call me on *+44 7700* 900123 tonight\n"
    "18/03/2024, 09:01 - Mei: or +44 7700 _900456_, and mail zqlee@*zqexample*.org\n"
    "18/03/2024, 09:02 - Dana: ~07700 900789~ is old\n"
)


def test_a_number_or_address_parted_by_emphasis_is_masked_everywhere(build_site):
    site = build_site({"calls.chat": CALLS, "calls.whatsapp.txt": CALLS_EXPORT})
    assert shown(site, "calls.html") == [
        "Dana call me on ███ tonight 09:00", "Mei or ███, and mail ███ 09:01", "Dana ███ is old 09:02",
    ]
    secrets = ("900123", "900456", "900789", "zqlee", "zqexample")
    assert [secret for secret in secrets if secret in site_text(site)] == []


@pytest.mark.parametrize("text, expected", [
    # an `_` inside an address is no mark: the contact is still its pseudonym
    ("mail zq_lee@example.org", "mail Contact 1"),
    ("mail *zq_lee@example.org*", "mail **Contact 1**"),
    ("mail zq_lee@*example*.org", "mail Contact 1"),
])
def test_an_address_holding_an_underscore_is_still_its_contacts(text, expected):
    export = f"18/03/2024, 09:00 - zq_lee@example.org: hi\n18/03/2024, 09:01 - Mei: {text}\n"
    post = f"Format: whatsapp\nDate: 2024-03-18\n\n{export}"
    assert [message.text for message in parse(post).messages][1] == expected


@pytest.mark.parametrize("text, expected", [
    ("call *+44 7700* 900124", "call **███**"),  # marks not paired inside stay around the mask
    ("call +44 *7700* 900124", "call ███"),
    ("call 07700 *900123*", "call **███**"),
    ("*lee*@example.org", "**███**"),
    ("*a* and *07700 900123* and *b*", "**a** and **███** and **b**"),
    ("*+44 7700* 900123 of 2024", "**Contact 1** of 2024"),  # the contact, however parted
    ("call _0044 7700_ 900123", "call _Contact 1_"),
])
def test_marks_inside_a_number_or_address_stay_around_what_is_shown(text, expected):
    export = f"18/03/2024, 09:00 - \u202a+44 7700 900123\u202c: hi\n18/03/2024, 09:01 - Mei: {text}\n"
    post = f"Format: whatsapp\nDate: 2024-03-18\n\n{export}"
    assert [message.text for message in parse(post).messages][1] == expected
