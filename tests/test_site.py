"""Rendering inside whole Pelican sites: stylesheet, themes, feeds, fences."""

import shutil
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pelican
import pytest
from bs4 import BeautifulSoup

from pelican_chatlog.pelican_plugin import STYLESHEET_SOURCE

CHAT = (
    "Title: Shop talk\nDate: 2024-03-07\nCategory: Talk\nMe: Marcus\n\n"
    "Dana: Why is the *stand* locked?\nTue 6:02 PM\n"
    "Quoting dana: “Why is the stand locked?”\nMarcus: It came back bent.\nTue 6:05 PM\n"
)
THEMES = Path(pelican.__file__).parent / "themes"


def stylesheet_href(soup):
    link = soup.find("link", attrs={"data-chatlog-stylesheet": True})
    return link and link["href"]


@pytest.mark.parametrize("theme", ["notmyidea", "simple"])
def test_stylesheet_reaches_every_page_showing_a_chat(build_site, theme):
    site = build_site({"talk.chat": CHAT}, THEME=theme)
    assert stylesheet_href(site.page("shop-talk.html")) == "chatlog/chatlog.css"
    category = site.page("category/talk.html")
    # notmyidea shows the newest post in full there, simple only summaries
    expected = "../chatlog/chatlog.css" if category.select_one(".chatlog") else None
    assert expected == {"notmyidea": "../chatlog/chatlog.css", "simple": None}[theme]
    assert stylesheet_href(category) == expected
    copied = site.output / "chatlog" / "chatlog.css"
    assert copied.read_text() == Path(STYLESHEET_SOURCE).read_text()
    head = site.page("shop-talk.html").head
    assert head.find("link", attrs={"data-chatlog-stylesheet": True}) is not None


def test_pages_without_a_chat_get_no_stylesheet(build_site):
    site = build_site({"talk.chat": CHAT, "other.md": "Title: Other\nDate: 2024-01-01\n\nJust prose."})
    assert stylesheet_href(site.page("other.html")) is None


def test_stylesheet_can_be_turned_off(build_site):
    site = build_site({"talk.chat": CHAT}, CHATLOG_CSS=False)
    assert stylesheet_href(site.page("shop-talk.html")) is None
    assert not (site.output / "chatlog").exists()


def test_absolute_site_urls_still_link_the_stylesheet_relatively(build_site):
    site = build_site({"talk.chat": CHAT}, SITEURL="https://blog.example", ARTICLE_SAVE_AS="posts/{slug}/index.html", ARTICLE_URL="posts/{slug}/")
    assert stylesheet_href(site.page("posts/shop-talk/index.html")) == "../../chatlog/chatlog.css"


def test_theme_templates_overrides_replace_one_template(build_site, tmp_path):
    overrides = tmp_path / "overrides" / "chatlog"
    overrides.mkdir(parents=True)
    (overrides / "avatar.html").write_text(
        '{% macro avatar(speaker) %}<b class="my-badge">{{ speaker.initials }}</b>{% endmacro %}'
    )
    avatars = {name: {"avatar": f"/img/{name}.png"} for name in ("Dana", "Marcus")}
    site = build_site({"talk.chat": CHAT}, THEME_TEMPLATES_OVERRIDES=[str(overrides.parent)], CHATLOG_SPEAKERS=avatars)
    page = site.page("shop-talk.html")
    assert [badge.get_text() for badge in page.select(".my-badge")] == ["D", "M"]
    assert page.select_one(".chatlog-message") is not None


def test_a_theme_can_ship_its_own_chatlog_templates(build_site, tmp_path):
    theme = tmp_path / "mytheme"
    shutil.copytree(THEMES / "simple", theme)
    (theme / "templates" / "chatlog").mkdir()
    (theme / "templates" / "chatlog" / "narration.html").write_text(
        '{% macro narration(item) %}<li class="theme-narration">{{ item.text }}</li>{% endmacro %}'
    )
    site = build_site({"talk.chat": "Dana: hi\n\nLeave a comment\n"}, THEME=str(theme))
    assert site.page("talk.html").select_one(".theme-narration").get_text() == "Leave a comment"


def test_site_speaker_styles(build_site):
    site = build_site(
        {"talk.chat": CHAT},
        CHATLOG_SPEAKERS={"Dana": {"name": "Dana K.", "avatar": "https://img.example/d.png"}},
    )
    first = site.page("shop-talk.html").select_one(".chatlog-message")
    assert first.find("b").get_text(strip=True) == "Dana K."
    assert first.select_one("b > img.chatlog-avatar")["src"] == "https://img.example/d.png"


def test_bad_site_speaker_style_fails_the_post_with_a_clear_message(build_site):
    site = build_site({"talk.chat": CHAT}, CHATLOG_SPEAKERS={"Dana": {"color": "red"}})
    assert not (site.output / "shop-talk.html").exists()
    assert any("CHATLOG_SPEAKERS['Dana']: not a colour" in m for m in site.messages())


def test_index_and_feed_read_well_without_css(build_site):
    site = build_site({"talk.chat": CHAT}, FEED_ALL_ATOM="feeds/all.atom.xml", THEME="simple")
    index = site.page("index.html")
    assert "Dana: Why is the stand locked? Marcus: It came back bent." in index.get_text()  # marks dropped
    atom = ElementTree.parse(site.output / "feeds" / "all.atom.xml").getroot()
    namespace = {"atom": "http://www.w3.org/2005/Atom"}
    content = atom.find("atom:entry/atom:content", namespace).text
    soup = BeautifulSoup(content, "html.parser")
    # names bold and apart from the text, without the stylesheet too
    assert [name.get_text() for name in soup.select(".chatlog-message > b")] == ["Dana ", "Marcus "]
    quote = soup.find("blockquote")
    assert "Why is the stand locked?" in quote.get_text()
    summary = atom.find("atom:entry/atom:summary", namespace).text
    assert summary.startswith("Dana: Why is the")


def test_chat_fence_in_a_markdown_post(build_site):
    post = (
        "Title: Essay\nDate: 2024-03-08\n\nSome prose.\n\n"
        "```chat\nDana: Is it *locked*?\nQuoting Dana: Is it locked?\nMarcus: Yes.\n```\n\n"
        "```python\nprint('still code')\n```\n"
    )
    site = build_site({"essay.md": post})
    page = site.page("essay.html")
    chat = page.select_one(".chatlog")
    messages = chat.select(".chatlog-message")
    assert [m["data-speaker"] for m in messages] == ["Dana", "Marcus"]
    assert chat.select_one(".chatlog-quote a")["href"] == f"#{messages[0]['id']}"
    assert messages[0]["id"].startswith("chat-")
    assert chat.find("em").get_text() == "locked"
    assert "print('still code')" in page.find("code").get_text()
    assert stylesheet_href(page) == "chatlog/chatlog.css"


def test_bad_chat_fence_is_shown_as_text_and_logged(build_site):
    post = "Title: Essay\nDate: 2024-03-08\n\n```chat\nTitle: only a header\n```\n"
    site = build_site({"essay.md": post})
    assert "could not be shown" in site.page("essay.html").select_one("pre.chatlog-error").get_text()
    assert any("essay.md:5: the header is not followed" in m for m in site.messages())


def test_chat_fence_can_be_turned_off(build_site):
    post = "Title: Essay\nDate: 2024-03-08\n\n```chat\nDana: hi\n```\n"
    site = build_site({"essay.md": post}, CHATLOG_MARKDOWN_FENCE=False)
    assert site.page("essay.html").select_one(".chatlog") is None


def test_chat_fence_may_hold_an_export(build_site):
    post = (
        "Title: Essay\nDate: 2024-03-08\n\n```chat\nFormat: whatsapp\n\n"
        "30/01/19, 20:51 - Jane Doe: Welcome!\n30/01/19, 20:52 - Bob: Thanks\n```\n"
    )
    page = build_site({"essay.md": post}).page("essay.html")
    assert [m["data-speaker"] for m in page.select(".chatlog-message")] == ["Jane Doe", "Bob"]
    assert page.select_one(".chatlog-message time")["datetime"] == "2019-01-30T20:51"


def test_chat_fence_header_date_resolves_its_times(build_site):
    post = "Title: Essay\nDate: 2024-03-08\n\n```chat\nDate: 2024-03-07\n\nDana: hi\nTue 6:02 PM\n```\n"
    page = build_site({"essay.md": post}).page("essay.html")
    assert page.select_one(".chatlog-message time")["datetime"] == "2024-03-05T18:02"


def test_themes_read_the_model_from_article_chatlog_even_from_the_cache(build_site, tmp_path, monkeypatch):
    from pelican_chatlog.pelican_plugin import ChatReader

    overrides = tmp_path / "overrides"
    overrides.mkdir()
    (overrides / "article.html").write_text(
        '<html><head><title>{{ article.title }}</title></head><body><ul class="cast">'
        "{% for speaker in article.chatlog.speakers %}"
        '<li data-color="{{ speaker.color }}">{{ speaker.label }}</li>{% endfor %}</ul>'
        '<p class="count">{{ article.chatlog.messages|length }}</p>{{ article.content }}</body></html>'
    )
    settings = {
        "THEME_TEMPLATES_OVERRIDES": [str(overrides)],
        "CACHE_CONTENT": True,
        "LOAD_CONTENT_CACHE": True,
        "CACHE_PATH": str(tmp_path / "cache"),
    }
    first = build_site({"talk.chat": CHAT}, **settings).page("shop-talk.html")
    reads = []
    original_read = ChatReader.read
    monkeypatch.setattr(ChatReader, "read", lambda self, path: reads.append(path) or original_read(self, path))
    second = build_site({}, **settings).page("shop-talk.html")
    assert reads == []  # the post came from Pelican's content cache
    for page in (first, second):
        assert [item.get_text() for item in page.select(".cast li")] == ["Dana", "Marcus"]
        assert all(item["data-color"].startswith("#") for item in page.select(".cast li"))
        assert page.select_one(".count").get_text() == "2"
        assert len(page.select(".chatlog-message")) == 2
