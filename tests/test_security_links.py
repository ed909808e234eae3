"""Every address a chat puts on the page is checked as the browser will read it.

Links hidden behind entities (`&#106;avascript:`), Pelican's intrasite syntax
(`{static}/../secret`) and `//host` avatars, through the reader, the
importers, a real Pelican build, a ```chat fence, `preview` and `check`.
"""

from __future__ import annotations

import html
import json
import logging
import re

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pelican_chatlog import ChatlogError, parse, render
from pelican_chatlog.cli import main

ALLOWED_SCHEMES = ("http", "https", "mailto")
SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
HIDDEN_SCRIPT_LINKS = [
    "&#106;avascript:alert(1)",
    "&#x6A;avascript:alert(1)",
    "&#106avascript:alert(1)",
    "javascript&colon;alert(1)",
    "java&#9;script:alert(1)",
    "java&Tab;script:alert(1)",
    "java&NewLine;script:alert(1)",
    "&#32;javascript:alert(1)",
]


def browser_form(url: str) -> str:
    """What a browser's URL parser keeps: no C0/space at the ends, no tab, LF, CR."""
    return re.sub("[\t\n\r]", "", url.strip("".join(map(chr, range(0x21)))))


def addresses(page: str, within: str = "") -> list[str]:
    """Every a[href] and img[src], decoded from the attribute as a browser does."""
    soup = BeautifulSoup(page, "html.parser")
    soup = soup.select_one(within) if within else soup
    return [a["href"] for a in soup.find_all("a", href=True)] + [i["src"] for i in soup.find_all("img", src=True)]


def assert_safe_addresses(page: str) -> None:
    for address in addresses(page):
        # decoded once more too: nothing may rely on entities staying encoded
        for form in (browser_form(address), browser_form(html.unescape(address))):
            scheme = SCHEME.match(form)
            assert scheme is None or scheme[1].lower() in ALLOWED_SCHEMES, address
            assert not form.startswith(("{", "|")), address


def unsafe_spans(page: str) -> list[str]:
    """The text around each refused link: its message's own text, without the name and time."""
    soup = BeautifulSoup(page, "html.parser")
    found = []
    for span in soup.select(".chatlog-unsafe-link"):
        around = BeautifulSoup(str(span.parent), "html.parser").find()
        for part in around.find_all(["b", "time", "blockquote", "p"], recursive=False):
            part.decompose()
        found.append(around.get_text().strip())
    return found


def link_problems(conversation) -> list[str]:
    return [str(problem) for problem in conversation.problems if "shown as text, not as a link" in problem.message]


# --- F1: links hidden behind entities -----------------------------------------------


@pytest.mark.parametrize("target", HIDDEN_SCRIPT_LINKS)
def test_entity_hidden_script_links_are_refused_and_reported(target):
    conversation = parse(f"Dana: hi\nMarcus: see [click]({target}) now\n")
    page = render(conversation)
    assert_safe_addresses(page)
    assert BeautifulSoup(page, "html.parser").select_one(".chatlog-message a:not([href^='#'])") is None
    # the address stays visible, exactly as typed
    assert [f"see click ({target}) now"] == unsafe_spans(page)
    problems = link_problems(conversation)
    assert len(problems) == 1 and problems[0].startswith("<chat>:2: link to ")
    assert "`javascript:`" in problems[0]


def test_entities_in_an_accepted_address_stay_literal():
    page = render(parse("Dana: [a](https://example.org/?q=1&amp;r=&#50;) and https://example.org/?x=1&lt;2\n"))
    assert addresses(page, ".chatlog-message") == ["https://example.org/?q=1&amp;r=&#50;", "https://example.org/?x=1&lt;2"]


def test_markdown_escapes_cannot_hide_intrasite_syntax():
    # The only escape left in bodies is the importers' literal mark (typed
    # backslashes are shown as typed): it must not hide `{static}` either.
    conversation = parse("Dana: [x](\ufdd0{static}/../secret/key.txt) and [y](\ufdd0{filename}/../a.md)\n")
    page = render(conversation)
    assert_safe_addresses(page)
    assert addresses(page, ".chatlog-message") == []
    assert len(link_problems(conversation)) == 2


def test_a_typed_backslash_before_intrasite_syntax_stays_in_the_address():
    # `\{static}` is shown as typed: an address starting with a backslash,
    # which Pelican does not rewrite and a browser reads as a site path.
    page = render(parse("Dana: [x](\\{static}/../secret/key.txt)\n"))
    assert_safe_addresses(page)
    assert addresses(page, ".chatlog-message") == ["\\{static}/../secret/key.txt"]


def test_a_control_character_in_an_address_refuses_it():
    conversation = parse("Dana: [x](https://a.example/\x01b)\n")
    page = render(conversation)
    assert BeautifulSoup(page, "html.parser").select_one(".chatlog-message a:not([href^='#'])") is None
    assert link_problems(conversation) == [
        "<chat>:1: link to 'https://a.example/\\x01b' shown as text, not as a link: it holds control characters"
    ]


@pytest.mark.parametrize("target", [":", ":x", "1a:b", "[x]:y"])
def test_a_colon_where_a_scheme_would_end_and_no_scheme_refuses_the_address(target):
    # found by the property test: `0: [](:)` wrote <a href=":">, neither a scheme we allow nor a site path
    conversation = parse(f"Dana: see [it]({target})\n")
    page = render(conversation)
    assert_safe_addresses(page)
    assert BeautifulSoup(page, "html.parser").select_one(".chatlog-message a:not([href^='#'])") is None
    assert [problem.split(": ", 1)[1] for problem in link_problems(conversation)] == [
        f"link to {target!r} shown as text, not as a link: a colon before any `/` makes no scheme and no site path"
    ]


def test_a_colon_after_a_path_s_first_slash_is_part_of_the_path():
    page = render(parse("Dana: [a](/notes:2024) [b](notes/2024:03) [c](#at:9) [d](?q=a:b)\n"))
    assert addresses(page, ".chatlog-message") == ["/notes:2024", "notes/2024:03", "#at:9", "?q=a:b"]


def test_protocol_relative_links_are_external():
    page = render(parse("Dana: [a](//evil.example/x) [b](/\\evil.example/x) [c](/about.html)\n"))
    rels = [link.get("rel") for link in BeautifulSoup(page, "html.parser").select(".chatlog-message a:not([href^='#'])")]
    assert rels == [["nofollow", "noopener"], ["nofollow", "noopener"], None]


def test_no_quote_inside_a_link_attribute_lets_pelican_read_intrasite_syntax():
    # Pelican's link rewriting starts at any quote after `src=`: Markdown
    # leaves `'` unescaped in attributes, so one in an href or a title would
    # open `src='{static}/../secret'` to it.
    page = render(parse("Dana: [a](https://x.example/?src='{static}/../k'x \"t src='{static}/../k'\")\n"))
    assert "'" not in "".join(re.findall(r"<a [^>]*>", page))
    link = BeautifulSoup(page, "html.parser").select_one(".chatlog-message a:not([href^='#'])")
    assert link["href"] == "https://x.example/?src='{static}/../k'x"
    assert link["title"] == "t src='{static}/../k'"


# --- F1 through the importers ---------------------------------------------------------


def test_telegram_text_link_hrefs_are_checked():
    export = {
        "name": "Bikes",
        "messages": [
            {"id": 1, "type": "message", "date": "2019-01-30T20:49:00", "from": "Jane",
             "text": ["see ", {"type": "text_link", "text": "click", "href": "&#106;avascript:alert(1)"}]},
        ],
    }
    text = json.dumps(export, indent=1)
    conversation = parse(text, format="telegram")
    page = render(conversation)
    assert_safe_addresses(page)
    assert unsafe_spans(page) == ["see click (&#106;avascript:alert(1))"]
    line = text.splitlines().index(' "messages": [') + 3
    assert link_problems(conversation) == [
        f"<chat>:{line}: link to '&#106;avascript:alert(1)' shown as text, not as a link: "
        "`javascript:` addresses are not allowed, only http, https, mailto and the site's own"
    ]


def test_discord_content_and_attachment_urls_are_checked():
    export = {
        "channel": {"name": "general"},
        "messages": [
            {"id": "1", "type": "Default", "timestamp": "2020-01-01T12:00:00+00:00", "author": {"name": "jane"},
             "content": "[x](java&#9;script:alert(1))",
             "attachments": [{"fileName": "cat.png", "url": "javascript&colon;alert(1)"}]},
        ],
    }
    conversation = parse(json.dumps(export), format="discord")
    page = render(conversation)
    assert_safe_addresses(page)
    assert len(BeautifulSoup(page, "html.parser").select(".chatlog-unsafe-link")) == 1
    assert len(link_problems(conversation)) == 1
    # an attachment's url is a note, never a link: only the body's link is refused
    assert "script" not in " ".join(a.get("href", "") for a in BeautifulSoup(page, "html.parser").find_all("a"))


def test_slack_links_and_files_are_checked():
    export = [
        {"type": "message", "user": "U1", "ts": "1548881340.000200", "text": "<&#106;avascript:alert(1)|x>",
         "files": [{"name": "doc", "url_private": "java&NewLine;script:alert(1)"}]},
    ]
    conversation = parse(json.dumps(export), format="slack")
    page = render(conversation)
    assert_safe_addresses(page)
    assert len(BeautifulSoup(page, "html.parser").select(".chatlog-unsafe-link")) == 1
    assert len(link_problems(conversation)) == 1
    # an attachment's url is a note, never a link: only the body's link is refused
    assert "script" not in " ".join(a.get("href", "") for a in BeautifulSoup(page, "html.parser").find_all("a"))


# --- the command -------------------------------------------------------------------


def test_check_and_preview_report_each_refused_link(tmp_path, capsys):
    post = tmp_path / "post.chat"
    post.write_text("Title: T\n\nDana: hi\nMarcus: [a](&#106;avascript:alert(1))\n  and [b]({static}/../k)\n")
    assert main(["check", str(post)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"{post}:4: link to '&#106;avascript:alert(1)' shown as text")
    assert err[1].startswith(f"{post}:4: link to '{{static}}/../k' shown as text")
    assert err[-1] == "2 problems in 1 file"

    page = tmp_path / "page.html"
    assert main(["preview", str(post), "-o", str(page)]) == 0
    assert_safe_addresses(page.read_text(encoding="utf-8"))
    assert f"{post}:4: link to '&#106;avascript:alert(1)'" in capsys.readouterr().err


def test_check_reports_links_in_exports(tmp_path, capsys):
    export = tmp_path / "result.telegram.json"
    export.write_text(json.dumps({"messages": [{"id": 7, "type": "message", "date": "2019-01-30T20:49:00",
                                                "from": "Jane", "text": [{"type": "text_link", "text": "x",
                                                                          "href": "javascript&colon;1"}]}]}))
    assert main(["check", str(export)]) == 1
    assert f"{export}:1: link to 'javascript&colon;1' shown as text" in capsys.readouterr().err


# --- F9: intrasite syntax, avatars --------------------------------------------------


SECRET = b"TOP SECRET"


def secret_site(tmp_path):
    """A file beside the content folder, and an output folder one level deeper,
    so a `{static}/../` copy would not land on its own source."""
    secret = tmp_path / "secret" / "key.txt"
    secret.parent.mkdir()
    secret.write_bytes(SECRET)
    return {"OUTPUT_PATH": str(tmp_path / "public" / "www")}


def copies_of_the_secret(tmp_path) -> list:
    return [
        path for path in tmp_path.rglob("*")
        if path.is_file() and path != tmp_path / "secret" / "key.txt" and SECRET in path.read_bytes()
    ]


@pytest.mark.parametrize(
    "body",
    [
        "[x]({static}/../secret/key.txt)",
        "[x]({attach}/../secret/key.txt)",
        "[x](|attach|../secret/key.txt)",
        "[x](https://x.example/?src='{attach}/../secret/key.txt'x)",
        "[x](https://x.example \"src='{attach}/../secret/key.txt'\")",
    ],
)
def test_a_chat_cannot_make_pelican_copy_a_file_from_outside_content(build_site, tmp_path, body):
    site = build_site({"post.chat": f"Title: T\nDate: 2024-03-07\n\nDana: {body}\n"}, **secret_site(tmp_path))
    assert copies_of_the_secret(tmp_path) == []
    assert_safe_addresses((tmp_path / "public" / "www" / "t.html").read_text(encoding="utf-8"))
    assert site.messages(logging.ERROR) == []


def test_build_logs_refused_links_with_file_and_line(build_site):
    site = build_site({"post.chat": "Title: T\nDate: 2024-03-07\n\nDana: hi\nMarcus: [x](&#106;avascript:1)\n"})
    assert any(message.endswith("post.chat:5: link to '&#106;avascript:1' shown as text, not as a link: "
                                "`javascript:` addresses are not allowed, only http, https, mailto and the "
                                "site's own") for message in site.messages())
    assert_safe_addresses((site.output / "t.html").read_text(encoding="utf-8"))


def test_chat_fence_in_a_markdown_post_is_checked_and_logged(build_site, tmp_path):
    post = (
        "Title: Essay\nDate: 2024-03-08\n\nProse.\n\n"
        "```chat\nDana: [a](&#106;avascript:alert(1)) [b]({attach}/../secret/key.txt)\n```\n"
    )
    site = build_site({"essay.md": post}, **secret_site(tmp_path))
    page = (tmp_path / "public" / "www" / "essay.html").read_text(encoding="utf-8")
    assert_safe_addresses(page)
    assert len(BeautifulSoup(page, "html.parser").select(".chatlog-unsafe-link")) == 2
    assert copies_of_the_secret(tmp_path) == []
    logged = [
        message for message in site.messages()
        if message.startswith(str(tmp_path)) and "essay.md:7: link to" in message  # file:line of the post
    ]
    assert len(logged) == 2


@pytest.mark.parametrize(
    "avatar", ["//evil.example/pixel.gif", "/\\evil.example/pixel.gif", "\\\\evil.example/pixel.gif",
               " //evil.example/p.gif", "{static}/../secret/key.txt", "&#106;avascript:alert(1)"]
)
def test_header_avatars_must_be_http_or_a_site_path(avatar):
    with pytest.raises(ChatlogError, match="avatar must be an http"):
        parse(f"Speakers: Dana (avatar: {avatar})\n\nDana: hi\n")


def test_only_the_sites_own_settings_may_use_static_for_avatars():
    conversation = parse("Dana: hi\n", speaker_styles={"Dana": {"avatar": "{static}/images/d.png"}})
    assert conversation.speakers[0].avatar == "{static}/images/d.png"
    with pytest.raises(ChatlogError, match="CHATLOG_SPEAKERS.*avatar must be"):
        parse("Dana: hi\n", speaker_styles={"Dana": {"avatar": "//evil.example/p.gif"}})


def test_avatar_has_the_speakers_name_as_alt_hidden_from_screen_readers():
    page = render(parse("Speakers: Dana (avatar: /img/d.png, name: Dana K.)\n\nDana: hi\n"))
    image = BeautifulSoup(page, "html.parser").select_one("img.chatlog-avatar")
    assert image["alt"] == "Dana K."
    # the name follows as text: read once, not twice
    assert image["aria-hidden"] == "true"


def test_a_site_with_avatars_builds_without_warnings(build_site):
    site = build_site(
        {
            "images/d.png": b"\x89PNG\r\n\x1a\n",
            "post.chat": "Title: T\nDate: 2024-03-07\nSpeakers: Dana, Marcus (avatar: /images/d.png)\n\n"
            "Dana: hi\nMarcus: yo\n",
        },
        CHATLOG_SPEAKERS={"Dana": {"avatar": "{static}/images/d.png"}},
    )
    assert site.messages(logging.WARNING) == []
    sources = [image["src"] for image in site.page("t.html").select("img.chatlog-avatar")]
    assert sources == ["/images/d.png", "/images/d.png"]


# --- the property ------------------------------------------------------------------

FRAGMENTS = [
    "javascript", "JaVaScRiPt", "java", "script", "vbscript", "VBScript", "data", "DaTa", "text/html,<b>", ":",
    "alert(1)", "http", "https", "mailto", "//", "/\\", "\\\\", "/", "evil.example", "{static}", "{filename}",
    "|filename|", "{attach}", "/../secret/key.txt", "&#106;", "&#106", "&#x6a;", "&#X6A", "&#0000106;",
    "&colon;", "&colon", "&#58;", "&#x3a", "&Tab;", "&NewLine;", "&#9;", "&#10;", "&#13;", "&#x09", "&amp;",
    "&", ";", "#", "%0a", "%3a", "\t", "\n", "\r", " ", "\x00", "\x01", "\x1f", "\x7f", "\u00a0", "'", '"',
    "{", "|", "}", "\\", "(", ")", "[", "]", "www.",
]
link_targets = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=3), min_size=1, max_size=8).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(target=link_targets, title=st.sampled_from(["", ' "a title"', " 'src={static}'"]))
def test_every_rendered_address_has_an_allowed_scheme_or_none(target, title):
    source = f"Dana: [x]({target}{title}) {target}\nMarcus: <{target}> see {target}\n"
    conversation = parse(source)
    page = render(conversation)
    assert_safe_addresses(page)
    # nothing Pelican would rewrite: no quote inside a tag's attribute values
    for tag in re.findall(r"<(?:a|img|span) [^>]*>", page):
        assert "'" not in tag, tag
    # check and the page agree: each address shown as text is reported
    assert len(link_problems(conversation)) == len(BeautifulSoup(page, "html.parser").select(".chatlog-unsafe-link"))


def test_a_bare_www_address_is_always_an_https_link():
    # Hypothesis found `www.://`: its "scheme" was refused in one body and not reported in another
    conversation = parse("Dana: see www.://x\nMarcus: and www.example.org/a://b\n")
    page = render(conversation)
    links = [address for address in addresses(page, ".chatlog") if not address.startswith("#")]
    assert links == ["https://www.://x", "https://www.example.org/a://b"]
    assert link_problems(conversation) == []
