"""Metadata from chat text stays text in any theme, and every chat post gets a page.

Themes print `title` and `summary` raw (Pelican's Jinja does not autoescape),
inside `<title>`, `<h1>`, `content="…"` and `title="…"`, often through
`striptags`, which un-escapes.  So the reader hands Pelican only text that
none of these can turn into markup.  The property test at the end builds real
sites from hostile chats and exports and compares their pages with the same
site built from placeholder text.
"""

from __future__ import annotations

import html
import json
import re
import shutil

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import Markup, escape

from pelican_chatlog.harmless import harmless

from conftest import injected

THEMES = ["notmyidea", "simple"]
IMG_ONERROR = '"><img src=x onerror=alert(1)>'
ANY_CHARACTER = st.characters(blacklist_categories=("Cs",))
RISKY_TAGS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "img", "svg", "math",
    "link", "meta", "base", "form", "input", "button", "textarea", "select", "video", "audio",
    "source", "template", "noscript",
}
SAFE_SCHEMES = {"http", "https", "mailto", ""}


def telegram(name: str, messages: list[dict]) -> str:
    return json.dumps({"name": name, "type": "private_group", "id": 1, "messages": messages})


def discord(channel: str, messages: list[dict]) -> str:
    guild = {"id": "1", "name": "Guild"}
    return json.dumps({"guild": guild, "channel": {"id": "2", "name": channel}, "messages": messages})


def telegram_message(number: int, speaker: str, text, **more) -> dict:
    date = f"2019-01-30T20:5{number}:00"
    return {"id": number, "type": "message", "date": date, "from": speaker, "text": text, **more}


def discord_message(number: int, speaker: str, content: str, **more) -> dict:
    return {
        "id": str(number),
        "type": "Default",
        "timestamp": f"2020-01-01T12:0{number}:00+00:00",
        "content": content,
        "author": {"id": str(number), "name": speaker},
        "attachments": [],
        **more,
    }


# --- harmless(): the one function every metadata text passes -----------------

hostile_text = st.text(ANY_CHARACTER) | st.lists(
    st.sampled_from(["<", ">", "&", "#", ";", '"', "'", "lt", "amp", "x3c", "60", "!--", "/", " ", "\t", "\x00", "a"]),
    max_size=30,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(hostile_text)
def test_harmless_text_holds_nothing_html_acts_on(text):
    safe = harmless(text)
    assert not set(safe) & set("<>\"'")
    assert not re.search(r"&(?=[A-Za-z0-9#]|\Z)", safe), safe
    # what themes do to it: un-escape (directly or in striptags), escape
    assert html.unescape(safe) == safe
    assert Markup(safe).unescape() == safe
    assert Markup(safe).striptags() == " ".join(safe.split())
    assert html.unescape(str(escape(safe))) == safe
    assert harmless(safe) == safe


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="<>&\"'")))
def test_harmless_keeps_text_without_markup_characters(text):
    assert harmless(text) == text


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ('Tom & Jerry\'s "Day"', "Tom & Jerry’s “Day”"),
        ("'quoted' (\"aside\")", "‘quoted’ (“aside”)"),
        ("R&D &amp;lt; &#60; a &", "R＆D ＆amp;lt; ＆#60; a ＆"),
        ("<b>bold</b> -> 3 > 2", "‹b›bold‹/b› -› 3 › 2"),
        (IMG_ONERROR, "“›‹img src=x onerror=alert(1)›"),
        ("tab\tNUL\x00ESC\x1b", "tab\tNUL␀ESC␛"),
    ],
)
def test_harmless_reads_like_the_source(text, shown):
    assert harmless(text) == shown


# --- F2: the summary in the theme's head -------------------------------------


def test_summary_cannot_open_a_tag_in_the_head(build_site):
    # notmyidea: <meta name="description" content="{{ summary|striptags|safe|truncate }}">
    site = build_site({"talk.chat": f"Title: Talk\n\nDana: {IMG_ONERROR}\n"}, THEME="notmyidea")
    page = site.page("talk.html")
    assert injected(page) == []
    assert page.find("meta", attrs={"name": "description"})["content"] == "Dana: “›‹img src=x onerror=alert(1)›"
    assert injected(site.page("index.html")) == []


def test_summary_is_plain_text_as_typed(build_site):
    site = build_site({"talk.chat": "Title: Talk\n\nDana: Tom & Jerry's <b>bold</b> &amp;\n"}, THEME="simple")
    summary = site.page("index.html").find(string=re.compile("Tom"))
    assert summary.strip() == "Dana: Tom & Jerry’s ‹b›bold‹/b› ＆amp;"


# --- F3: titles and other header values ---------------------------------------


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize(
    "source",
    ["header", "telegram", "discord", "slack folder", "file name", "escaped header"],
)
def test_titles_from_chats_and_exports_stay_text(build_site, theme, source):
    title = IMG_ONERROR
    hello = [telegram_message(1, "Jane", "hi")]
    slack_day = [{"type": "message", "user": "U1", "text": "hi", "ts": "1548881400.0"}]
    escaped = "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"  # striptags un-escapes it
    files, shown = {
        "header": ({"talk.chat": f"Title: {title}\n\nDana: hi\n"}, title),
        "escaped header": ({"talk.chat": f"Title: {escaped}\n\nDana: hi\n"}, escaped),
        "telegram": ({"talk.telegram.json": telegram(title, hello)}, title),
        "discord": ({"talk.discord.json": discord(title, [discord_message(1, "jane", "hi")])}, f"#{title}"),
        "file name": ({f"{title}.chat": "Dana: hi\n"}, title),
        "slack folder": (
            {
                "talk.chat": f"Format: slack\nSource: {title}\n",
                f"{title}/2019-01-30.json": json.dumps(slack_day),
            },
            f"#{title}",
        ),
    }[source]
    site = build_site(files, THEME=theme, ARTICLE_SAVE_AS="posts/{slug}.html", ARTICLE_URL="posts/{slug}.html")
    [article] = (site.output / "posts").glob("*.html")
    pages = [site.page(f"posts/{article.name}"), site.page("index.html"), site.page("archives.html")]
    for page in pages:
        assert injected(page) == []
    headings = [heading.get_text() for heading in pages[0].find_all(["h1", "h2"])]
    assert any(harmless(shown) in heading for heading in headings), headings


@pytest.mark.parametrize("theme", THEMES)
def test_every_header_value_stays_text(build_site, theme):
    header = "\n".join(
        f"{key}: {IMG_ONERROR}{key}" for key in ["Title", "Tags", "Category", "Author", "Summary", "Subtitle", "Series"]
    )
    site = build_site({"talk.chat": f"{header}\n\nDana: hi\n"}, THEME=theme)
    pages = sorted(site.output.rglob("*.html"))
    assert len(pages) > 5  # article, index, tag, category and author pages
    for path in pages:
        assert injected(BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")) == [], path


def test_header_values_reach_pelican_as_harmless_text(tmp_path):
    from pelican.tests.support import get_settings

    from pelican_chatlog.pelican_plugin import ChatReader

    path = tmp_path / "talk.chat"
    path.write_text(
        "Title: A \"quote\"\nTags: <b>R&D</b>, x'y\nCategory: <i>c</i>\nAuthor: <u>a</u>\nSeries: s\"\n"
        "Speakers: <Dana>\n\n<Dana>: hi\n",
        encoding="utf-8",
    )
    _, metadata = ChatReader(get_settings()).read(str(path))
    assert metadata["title"] == "A “quote”"
    assert [str(tag) for tag in metadata["tags"]] == ["‹b›R＆D‹/b›", "x’y"]
    assert str(metadata["category"]) == "‹i›c‹/i›"
    assert str(metadata["author"]) == "‹u›a‹/u›"
    assert metadata["series"] == "s”"
    assert metadata["speakers"] == ["‹Dana›"]
    assert metadata["summary"] == "‹Dana›: hi"


# --- F9: a title with nothing to slugify --------------------------------------


def test_posts_whose_titles_slugify_to_nothing_get_a_page_each(build_site):
    hello = [telegram_message(1, "Jane", "hi")]
    site = build_site(
        {
            "party.telegram.json": telegram("🎉", hello),
            "balloons.telegram.json": telegram("🎈", hello),
            "a/result.telegram.json": telegram("🎉", hello),
            "b/result.telegram.json": telegram("🎉", hello),
            "🎂.telegram.json": telegram("🎂", hello),
            "cake.chat": "Title: 🍰\n\nDana: hi\n",
        }
    )
    pages = set(site.posts())
    assert {"party.html", "balloons.html", "a-result.html", "b-result.html", "cake.html"} < pages
    [hashed] = pages - {"party.html", "balloons.html", "a-result.html", "b-result.html", "cake.html"}
    assert re.fullmatch(r"chat-[0-9a-f]{8}\.html", hashed)
    assert "🎉" in site.page("party.html").title.get_text()


def test_fallback_slug_follows_the_sites_slug_settings(build_site):
    site = build_site(
        {"Big Party.telegram.json": telegram("🎉", [telegram_message(1, "Jane", "hi")])},
        SLUGIFY_PRESERVE_CASE=True,
        SLUG_REGEX_SUBSTITUTIONS=[(r"[^\w\s-]", ""), (r"[-\s]+", "_")],
    )
    assert (site.output / "Big_Party.html").exists()


def test_a_title_that_slugifies_keeps_pelicans_slug(build_site):
    site = build_site({"talk.telegram.json": telegram("Bike co-op 🎉", [telegram_message(1, "Jane", "hi")])})
    assert (site.output / "bike-co-op.html").exists()


# --- Done when: hostile chats and exports, real builds, every page ------------

SNIPPETS = [
    IMG_ONERROR,
    "'><svg onload=alert(1)>",
    "</title><script>alert(1)</script>",
    "<style>*{display:none}</style>",
    "<iframe src=javascript:alert(1)>",
    "&lt;img src=x onerror=alert(1)&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "&amp;lt;script&amp;gt;",
    "&#x26;lt;img/src=x/onerror=alert(1)&#x26;gt;",
    "<!--",
    "-->",
    "<![CDATA[",
    "\" autofocus onfocus=\"alert(1)",
    "' onmouseover='alert(1)",
    "<a href=javascript:alert(1)>x</a>",
    "<meta http-equiv=refresh content=0;url=javascript:alert(1)>",
    "*em* **strong** `code`",
    "\x00\x1b\x7f",
    "🎉",
]
SCHEMES = ["javascript", "vbscript", "data", "jAvAsCrIpT", "livescript"]
PAYLOADS = ["alert(1)", "alert`1`", "text/html,<script>alert(1)</script>", "//%0aalert(1)"]
NAMED = {":": "&colon;", "(": "&lpar;", "\t": "&Tab;", "\n": "&NewLine;"}


def hostile(exclude: str = "") -> st.SearchStrategy[str]:
    characters = st.characters(blacklist_categories=("Cs",), blacklist_characters=exclude)
    pieces = st.sampled_from([s for s in SNIPPETS if not set(s) & set(exclude)]) | st.text(characters, max_size=6)
    return st.lists(pieces, min_size=1, max_size=4).map("".join)


@st.composite
def link_targets(draw, exclude: str = "") -> str:
    """`javascript:` as browsers or Markdown may still read it."""
    noise = st.sampled_from(["", "", "", "\t", "\n", "\r", " ", "\x00", "\x01", "&#9;", "&#x0A;", "&Tab;"])
    parts = [draw(st.sampled_from(["", " ", "\x00", "&#32;", "\x0c"]))]
    for character in draw(st.sampled_from(SCHEMES)) + ":":
        character = character.upper() if draw(st.booleans()) else character.lower()
        parts.append(draw(noise))
        parts.append(
            draw(
                st.sampled_from(
                    [character, character, f"&#{ord(character)};", f"&#x{ord(character):X};",
                     f"&#{ord(character):07d}", NAMED.get(character, character)]
                )
            )
        )
    target = "".join(parts) + draw(st.sampled_from(PAYLOADS))
    return "".join(character for character in target if character not in exclude)


def linked(body: str, target: str, form: int) -> str:
    return [f"{body} [click]({target})", f"{body} <{target}>", f"{target} {body}"][form]


@st.composite
def hostile_sites(draw) -> dict[str, str]:
    # a `.chat` line: no line ends, and no NUL, which makes it a binary file
    line = hostile(exclude="\r\n\x00")
    # a `.chat` speaker name: no characters that end or split a `Speakers:` entry
    names = draw(
        st.lists(
            hostile(exclude="\r\n\x00:;,()|[>")
            .map(str.strip)
            .filter(lambda name: name and not name.lower().startswith("quoting")),
            min_size=2,
            max_size=3,
            unique_by=str.casefold,
        )
    )
    chat_target = draw(link_targets(exclude="\r\n\x00"))
    # one tag: two tags with nothing to slugify share a page, and Pelican stops
    one_tag = hostile(exclude="\r\n\x00,;")
    chat = "\n".join(
        [
            f"Title: {draw(line)}",
            "Date: 2024-03-07",
            f"Tags: {draw(one_tag)}",
            f"Category: {draw(line)}",
            f"Author: {draw(line)}",
            f"Speakers: {'; '.join(names)}",
            "",
            f"{names[0]}: {draw(line)}",
            f"Quoting {names[0]}: “{draw(line)}”",
            f"> {names[0]}: {draw(line)}",
            f"{names[1]}: {linked(draw(line), chat_target, draw(st.integers(0, 2)))}",
            draw(line),
            "",
            f"|{draw(line)}",
        ]
    )
    speakers = draw(st.lists(hostile(), min_size=2, max_size=2, unique_by=str.casefold))
    target = link_targets()
    return {
        "talk.chat": chat + "\n",
        "group.telegram.json": telegram(
            draw(hostile()),
            [
                telegram_message(
                    1, speakers[0], [draw(hostile()), {"type": "text_link", "text": draw(hostile()), "href": draw(target)}]
                ),
                telegram_message(2, speakers[1], draw(hostile()), reply_to_message_id=1),
            ],
        ),
        "channel.discord.json": discord(
            draw(hostile()),
            [
                discord_message(
                    1,
                    speakers[0],
                    linked(draw(hostile()), draw(target), draw(st.integers(0, 2))),
                    attachments=[{"id": "9", "url": draw(target), "fileName": draw(hostile())}],
                ),
                discord_message(2, speakers[1], draw(hostile()), type="Reply", reference={"messageId": "1"}),
            ],
        ),
    }


# The placeholder site: the same files with plain words, and every construct
# a chat can produce, so its pages hold every element our templates and the
# theme may print for any chat.  Its three titles share a slug, as hostile
# ones may: Pelican then links them as translations of each other.
PLACEHOLDER_CHAT = """\
Title: Placeholder
Date: 2024-03-07
Tags: placeholder tag
Category: placeholder category
Author: placeholder author
Speakers: Dana; Marcus
Me: Marcus

Dana: plain words
Tue 6:02 PM
Quoting Dana: “plain words”
> Dana: plain
Marcus: *em* **strong** `code` [site](/x.html) [web](https://example.org/) [mail](mailto:a@example.org)
https://example.org/bare www.example.org <https://example.org/auto> [bad](javascript:alert(1)) <javascript:alert(1)>
[18:02] Dana: plain
Quoting Ghost: “never said”
Marcus: plain
Dana: ~~del~~ ++under++ ||spoiler||
> a quote in a body
- one
- two
3. three
4. four
```python
x = 1
```
```
plain code
```

plain narration
"""
PLACEHOLDER_SITE = {
    "talk.chat": PLACEHOLDER_CHAT,
    "group.telegram.json": telegram(
        "Placeholder",
        [
            telegram_message(1, "Jane", ["plain ", {"type": "text_link", "text": "web", "href": "https://example.org"}]),
            telegram_message(2, "Bob", "plain", reply_to_message_id=1),
        ],
    ),
    "channel.discord.json": discord(
        "Placeholder",
        [
            discord_message(1, "jane", "plain [web](https://example.org/)",
                            attachments=[{"id": "9", "url": "https://example.org/a.png", "fileName": "a.png"}]),
            discord_message(2, "bob", "plain", type="Reply", reference={"messageId": "1"}),
        ],
    ),
}
SITE_SETTINGS = {
    # the three posts may share a slug: the date keeps their pages apart
    "ARTICLE_SAVE_AS": "posts/{date:%Y%m%d}-{slug}.html",
    "ARTICLE_URL": "posts/{date:%Y%m%d}-{slug}.html",
    # Pelican's category and author feeds share one path pattern, so a
    # category and an author with one slug stop any Pelican build
    "AUTHOR_FEED_ATOM": None,
    "AUTHOR_FEED_RSS": None,
}
placeholder_pages = {}  # theme -> Shape, learned once per run


class Shape:
    """What a site's pages hold: (tag, attribute names) pairs, risky tags per page."""

    def __init__(self, pages: list[BeautifulSoup]):
        self.elements = {(e.name, frozenset(e.attrs)) for page in pages for e in page.find_all(True)}
        self.risky = {
            tag: max(len(page.find_all(tag)) for page in pages) for tag in RISKY_TAGS
        }


def build_fresh(build_site, tmp_path, files: dict[str, str], theme: str) -> list[BeautifulSoup]:
    for folder in ("content", "output"):
        shutil.rmtree(tmp_path / folder, ignore_errors=True)
    site = build_site(files, THEME=theme, **SITE_SETTINGS)
    articles = sorted((site.output / "posts").glob("*.html"))
    assert len(articles) == len(files), site.messages()
    return [site.page(f"posts/{path.name}") for path in articles] + [site.page("index.html")] + [
        BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for path in sorted(site.output.rglob("*.html"))
        if path.parent.name in ("tag", "category", "author")
    ]


def url_scheme(value: str) -> str:
    bare = re.sub(r"[\x00-\x20\x7f]+", "", html.unescape(value))
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", bare)
    return match.group(1).lower() if match else ""


@pytest.mark.parametrize("theme", THEMES)
# each example is a real Pelican build, reusing the test's tmp_path
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(files=hostile_sites())
def test_hostile_chats_and_exports_add_no_element_attribute_or_scheme(build_site, tmp_path, theme, files):
    if theme not in placeholder_pages:
        placeholder_pages[theme] = Shape(build_fresh(build_site, tmp_path, PLACEHOLDER_SITE, theme))
    allowed = placeholder_pages[theme]
    assert not any(name.lower().startswith("on") for _, names in allowed.elements for name in names)
    pages = build_fresh(build_site, tmp_path, files, theme)
    shape = Shape(pages)
    assert shape.elements <= allowed.elements, shape.elements - allowed.elements
    for tag, count in shape.risky.items():
        assert count <= allowed.risky[tag], tag
    for page in pages:
        for element in page.find_all(True):
            for attribute in ("href", "src"):
                if element.has_attr(attribute):
                    assert url_scheme(element[attribute]) in SAFE_SCHEMES, (element.name, element[attribute])


def test_the_placeholder_site_shows_every_construct(build_site, tmp_path):
    """The allowed set above is learned from pages that hold all of these."""
    pages = build_fresh(build_site, tmp_path, PLACEHOLDER_SITE, "notmyidea")
    html_text = "".join(str(page) for page in pages)
    for piece in ["<em>", "<strong>", "<code>", 'href="mailto:', "chatlog-unsafe-link", "chatlog-quote-unresolved",
                  "chatlog-backlink", "chatlog-narration", "<time", 'rel="nofollow noopener"',
                  "<del>", "<u>", 'class="chatlog-spoiler" tabindex="0"', "<blockquote>", "<ul>", '<ol start="3">',
                  '<div class="highlight"><pre><span></span><code><span class=', "<pre><code>plain code"]:
        assert piece in html_text, piece
