"""The proof: what privacy hides is nowhere in a real Pelican build's output.

Shapes of the fixtures, written here with invented people and numbers:
- WhatsApp iOS export lines `[2/3/24, 18:02:30] \u202a+44 7700 900123\u202c: text`: an unsaved contact
  named by its number between U+202A and U+202C (tests/exports/whatsapp/ios-group.whatsapp.txt;
  github.com/AyazKhuraishi/whatsapp-export-inconsistencies documents the marks);
- a mention of such a contact is `@` and the number's digits (`@5511999999999`), as WhatsApp
  writes it and bots' mention parsers read it;
- `.chat` posts as README "The .chat format" describes them (quoted names as JSON strings).
"""

from __future__ import annotations

import html
import json
import logging
import re
import tempfile
import urllib.parse
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from pelican_chatlog.link import slugify as chat_slugify
from pelican_chatlog import pipeline

PELICAN_SLUG_SUBS = [(r"[^\w\s-]", ""), (r"(?u)\A\s*", ""), (r"(?u)\s*\Z", ""), (r"[-\s]+", "-")]


def build(files: dict[str, str], output: Path, **overrides) -> None:
    """A real Pelican build (theme notmyidea, feeds on) of ``files`` into ``output``."""
    from pelican import Pelican
    from pelican.settings import read_settings

    content = output.parent / "content"
    content.mkdir(exist_ok=True)
    for name, text in files.items():
        (content / name).write_text(text, encoding="utf-8")
    settings = read_settings(
        override={
            "PATH": str(content), "OUTPUT_PATH": str(output), "PLUGINS": ["pelican_chatlog"],
            "THEME": "notmyidea", "DEFAULT_DATE": (2024, 3, 7), "TIMEZONE": "UTC", "SITEURL": "",
            "FEED_DOMAIN": "https://example.test", "FEED_ALL_ATOM": "feeds/all.atom.xml",
            "CATEGORY_FEED_ATOM": "feeds/{slug}.atom.xml", "TAG_FEED_ATOM": "feeds/tag-{slug}.atom.xml",
            "CACHE_CONTENT": False, "LOAD_CONTENT_CACHE": False, **overrides,
        }
    )
    logging.getLogger("pelican").setLevel(logging.ERROR)
    Pelican(settings).run()


def forms(secret: str) -> set[str]:
    """The secret as a page, a feed, an address or a slug could hold it, lower-cased."""
    from pelican.utils import slugify

    found = {
        secret, html.escape(secret), html.escape(secret, quote=False), str(escape(secret)),
        "".join(f"&#{ord(char)};" for char in secret), "".join(f"&#x{ord(char):x};" for char in secret),
        urllib.parse.quote(secret), urllib.parse.quote(secret, safe=""), urllib.parse.quote_plus(secret),
        slugify(secret, regex_subs=PELICAN_SLUG_SUBS), chat_slugify(secret), json.dumps(secret)[1:-1],
    }
    return {form.lower() for form in found if len(form) >= 6}


def leaks(output: Path, secrets: list[str]) -> list[str]:
    """Each (file, form) of a secret found under output, compared case-insensitively."""
    wanted = {form: secret for secret in secrets for form in forms(secret)}
    found = []
    for path in output.rglob("*"):
        if path.is_file():
            text = path.read_bytes().decode("utf-8", "replace").lower()
            found += [f"{path.relative_to(output)}: {form!r}" for form in wanted if form in text]
    return found


letters = st.text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=6, max_size=10)


@st.composite
def secret(draw) -> str:
    """"Zq" and random letters, maybe with a second word and HTML's special characters."""
    core = "Zq" + draw(letters)
    return core + draw(st.sampled_from(["", " " + "Zq" + draw(letters), "&<'\"", " Zq" + draw(letters) + " &<"]))


def zq_words(text: str) -> list[str]:
    """The distinctive words of a secret: found alone, they leak it too."""
    return re.findall(r"Zq[A-Za-z]+", text)


def quoted(name: str) -> str:
    return json.dumps(name, ensure_ascii=False)


def chat_post(hidden: str, redacted: str) -> str:
    """A post whose speaker `hidden` is shown as "Friend", and which redacts `redacted`."""
    return f"""\
Title: Talk with {hidden} about {redacted}
Summary: {hidden} on {redacted}
Tags: {redacted}, {hidden}, talks
Author: {hidden}
Redact: {quoted(redacted)}
Speakers: {quoted(hidden)} (name: Friend), Marcus_R, {quoted("Bo " + redacted)}
Me: Marcus_R

{quoted(hidden)}: Hi, I am {hidden}, and {redacted} is here
Marcus_R: Hello @{hidden} and {redacted.upper()}
— the {redacted} line went quiet —
Quoting {quoted(hidden)}: “I am {hidden}, and {redacted}”
{quoted("Bo " + redacted)}: *{redacted}* and {hidden}
(reactions: 👍 {hidden})
"""


def whatsapp_export(contact: str, other_phone: str, address: str) -> str:
    digits = re.sub(r"\D", "", contact)
    return f"""\
[2/3/24, 18:01:07] Trail Fixers: \u200eMessages and calls are end-to-end encrypted.
[2/3/24, 18:02:30] \u202a{contact}\u202c: \u200e\u202a{contact}\u202c joined using this group's invite link
[2/3/24, 18:03:00] Mei Lin: Welcome @{digits}! Write to {address} or call {other_phone}
[2/3/24, 18:04:12] \u202a{contact}\u202c: Thanks! I am {contact}, mail {address}
"""


phone = st.builds(lambda tail: f"+44 7700 9{tail:05d}", st.integers(0, 99_999))


def secrets_of(hidden: str, redacted: str, contact: str, other_phone: str, address: str) -> list[str]:
    return [hidden, redacted, *zq_words(hidden + " " + redacted + " " + address), contact, other_phone,
            re.sub(r"\D", "", contact), re.sub(r"\D", "", other_phone), address]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(secret(), secret(), phone, phone, letters)
def test_nothing_hidden_is_anywhere_in_the_built_site(hidden, redacted, contact, other_phone, mailbox):
    address = f"zq{mailbox}@example.org"
    if contact == other_phone or hidden.casefold() == redacted.casefold():
        return
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "output"
        build(
            {
                "talk.chat": chat_post(hidden, redacted),
                "group.whatsapp.txt": whatsapp_export(contact, other_phone, address),
            },
            output,
        )
        assert len(list(output.glob("*.html"))) > 5  # both posts, listings, tag and author pages
        assert leaks(output, secrets_of(hidden, redacted, contact, other_phone, address)) == []


def test_the_proof_finds_what_leaks_when_hiding_is_off(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "hide", lambda conversation, privacy=None, **options: None)
    hidden, redacted, address = "Zqhidden Zqname &<", "Zqredacted&<'\"", "zqmailbox@example.org"
    build(
        {
            "talk.chat": chat_post(hidden, redacted),
            "group.whatsapp.txt": whatsapp_export("+44 7700 912345", "+44 7700 954321", address),
        },
        tmp_path / "output",
    )
    found = leaks(tmp_path / "output", secrets_of(hidden, redacted, "+44 7700 912345", "+44 7700 954321", address))
    for what in ["zqhidden", "zqredacted", "zqmailbox", "+44 7700 912345", "447700912345", "+44 7700 954321",
                 "zqhidden-zqname"]:
        assert any(repr(what)[1:-1] in leak for leak in found), what


OKAFOR = """\
Title: Volunteer night
Date: 2024-03-07
Speakers: Dana Okafor (name: D.), Marcus_R
Me: Marcus_R

Dana Okafor: Why did the co-op stop lending the truing stand?
Tue 6:02 PM
Marcus_R: Good question, Dana Okafor.
Quoting Dana Okafor: “Why did the co-op stop lending the truing stand?”
Marcus_R: Because it came back bent, twice.
Tue 6:15 PM
"""


def test_a_hidden_name_still_links_quotes_and_backlinks_and_is_nowhere(build_site):
    site = build_site({"night.chat": OKAFOR})
    [post] = site.posts()
    page = site.page(post)
    quote = page.select_one(".chatlog-quote a")
    assert quote is not None and page.find(id=quote["href"][1:]).select_one(".chatlog-backlink") is not None
    assert quote.bdi.get_text() == "D."
    assert [m["data-speaker"] for m in page.select(".chatlog-message")] == ["D.", "Marcus_R", "Marcus_R"]
    for path in site.output.rglob("*"):
        if path.is_file():
            assert "okafor" not in path.read_bytes().decode("utf-8", "replace").lower(), path


FENCED = """\
Title: An essay
Date: 2024-03-07

We talked:

```chat
Speakers: Dana Okafor (name: D.)

Dana Okafor: I am Dana Okafor, on Zeller Street, call me at +44 7700 900123
Marcus_R: ok
```
"""


def test_a_chat_block_in_markdown_hides_and_redacts_by_the_site_settings(build_site):
    site = build_site({"essay.md": FENCED}, CHATLOG_REDACT=["zeller street"], CHATLOG_MASK_PHONES=True)
    text = site.page("an-essay.html").select_one(".chatlog").get_text()
    assert "I am D., on ███, call me at ███" in text
    assert "Okafor" not in text and "Zeller" not in text


def test_a_bad_site_pattern_is_an_error_naming_the_setting(build_site):
    site = build_site({"night.chat": OKAFOR}, CHATLOG_REDACT=["/(a+)+/"])
    assert site.posts() == []
    assert any("CHATLOG_REDACT pattern /(a+)+/ is refused" in m for m in site.messages(logging.ERROR))


def test_article_chatlog_read_again_for_a_theme_is_hidden_too(tmp_path):
    from pelican.tests.support import get_settings

    from pelican_chatlog.pelican_plugin import ChatReader

    post = tmp_path / "night.chat"
    post.write_text(OKAFOR.replace("Me: Marcus_R", "Me: Marcus_R\nRedact: bent"), encoding="utf-8")
    _, metadata = ChatReader(get_settings(PATH=str(tmp_path), CHATLOG_REDACT=["truing stand"])).read(str(post))
    chatlog = metadata["chatlog"]  # what a theme's `article.chatlog` reads from the file again
    assert [speaker.name for speaker in chatlog.speakers] == ["D.", "Marcus_R"]
    assert "redact" not in chatlog.metadata and "redact" not in metadata
    assert "twice" in repr(chatlog.items) and not re.search("okafor|bent|truing", repr(chatlog.items), re.I)
