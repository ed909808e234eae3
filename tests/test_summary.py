"""A post showing a chat gets a clean text summary on index pages (issue 12).

Pelican's own summary cuts a post's HTML after SUMMARY_MAX_LENGTH words,
anywhere in a conversation's markup.  A post with a ```chat fence gets its
prose and the chat as "Dana: text … Marcus R.: text" instead, cut between
words like a `.chat` post's, and harmless wherever a theme prints it.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup, Comment

from conftest import injected

THEMES = ["notmyidea", "simple"]
IMG_ONERROR = '"><img src=x onerror=alert(1)>'
SPEAKERS = {"Marcus_R": {"name": "Marcus R."}}

PROSE = "The co-op had a *truing stand* for years."
AFTER = "After the chat, the stand went back on its hook."
FENCE_POST = f"""Title: Truing
Date: 2024-03-02

{PROSE}

```chat
[09:14] Dana: Why did the co-op stop lending the truing stand?
[09:15] Marcus_R: It came back bent, twice.
> Dana: Why did the co-op stop lending
[09:16] Marcus_R: Nobody owned up
to either time.
[09:17] Dana: {{message}}
```

{AFTER}
"""
# what a reader sees of it, word by word
FENCE_WORDS = (
    "The co-op had a truing stand for years. "
    "Dana: Why did the co-op stop lending the truing stand? "
    "Marcus R.: It came back bent, twice. "
    "Marcus R.: Nobody owned up to either time. "
    "Dana: {message} "
    "After the chat, the stand went back on its hook."
)
# a newer post, so the fence post is listed with its summary in notmyidea too
NEWER_POST = "Title: Newer\nDate: 2024-03-05\n\nA newer post.\n"


def fence_site(build_site, theme, message="Fine, fine.", **settings):
    files = {"truing.md": FENCE_POST.format(message=message), "newer.md": NEWER_POST}
    return build_site(files, THEME=theme, CHATLOG_SPEAKERS=SPEAKERS, **settings)


def index_summary(site, theme, url="truing.html") -> BeautifulSoup:
    """The summary the index page shows for the post at `url`, as a fragment."""
    link = site.page("index.html").find("a", href=f"/{url}")
    article = link.find_parent("article")
    if theme == "simple":
        nodes = article.find("section").contents
    else:
        nodes = [
            node for node in article.find("div", class_="entry-content").contents
            if getattr(node, "name", None) not in ("footer", "a") and not isinstance(node, Comment)
        ]
    return BeautifulSoup("".join(str(node) for node in nodes), "html.parser")


def chatlog_markup(fragment: BeautifulSoup) -> list[str]:
    """Anything of the conversation's markup that made it into a summary."""
    found = [element.name for element in fragment.find_all(["time", "blockquote", "ol", "li", "b", "bdi"])]
    found += [
        name for element in fragment.find_all(True)
        for name in element.get("class", []) if name.startswith("chatlog")
    ]
    return found


@pytest.mark.parametrize("theme", THEMES)
def test_fence_post_summary_is_the_prose_and_chat_as_text(build_site, theme):
    site = fence_site(build_site, theme, SUMMARY_MAX_LENGTH=22)
    summary = index_summary(site, theme)
    assert chatlog_markup(summary) == []
    assert summary.find_all(True) == []  # plain text: no element at all
    # 22 words ("Marcus R.:" counts as one): the prose, Dana's question, and
    # the start of Marcus's reply without the quote it carries
    assert " ".join(summary.get_text().split()) == (
        "The co-op had a truing stand for years. "
        "Dana: Why did the co-op stop lending the truing stand? "
        "Marcus R.: It came back …"
    )


@pytest.mark.parametrize("theme", THEMES)
def test_fence_post_summary_never_ends_on_a_speaker_name(build_site, theme):
    # word 19 is "Marcus R.:", so the cut comes before it
    site = fence_site(build_site, theme, SUMMARY_MAX_LENGTH=19)
    summary = " ".join(index_summary(site, theme).get_text().split())
    assert summary == "The co-op had a truing stand for years. Dana: Why did the co-op stop lending the truing stand? …"


HOSTILE_POST = f"""Title: Hostile
Date: 2024-03-02

Look:

```chat
[09:14] Dana: {IMG_ONERROR}
[09:15] Marcus_R: {IMG_ONERROR}
```
"""


@pytest.mark.parametrize("theme", THEMES)
def test_hostile_fence_message_stays_text_in_summary(build_site, theme):
    site = build_site({"hostile.md": HOSTILE_POST, "newer.md": NEWER_POST}, THEME=theme)
    index, page = site.page("index.html"), site.page("hostile.html")
    assert injected(index.head) + injected(page.head) == []
    summary = index_summary(site, theme, "hostile.html")
    assert injected(summary) == []
    text = summary.get_text().strip()
    assert text.startswith("Look: Dana: ")
    # harmless(): the look-alikes, nothing striptags or a browser could read as markup
    assert not set("<>\"'") & set(text), text
    description = page.find("meta", attrs={"name": "description"})
    if description is not None:
        assert not set("<>\"'") & set(description["content"])


def test_own_summary_is_kept(build_site):
    post = FENCE_POST.format(message="Fine.").replace("Date: 2024-03-02\n", "Date: 2024-03-02\nSummary: Our own words.\n")
    site = build_site({"truing.md": post, "newer.md": NEWER_POST}, THEME="simple", SUMMARY_MAX_LENGTH=5)
    summary = index_summary(site, "simple")
    assert " ".join(summary.get_text().split()) == "Our own words."


@pytest.mark.parametrize("theme", THEMES)
def test_no_summary_length_keeps_every_word(build_site, theme):
    long_chat = "Title: Long ride\nDate: 2024-03-01\n\n" + "".join(
        f"Dana: Word number {n} of a long ride chat.\nMarcus_R: Noted\nand carried on.\n" for n in range(12)
    )
    site = build_site(
        {"truing.md": FENCE_POST.format(message="Fine, fine."), "newer.md": NEWER_POST, "long-ride.chat": long_chat},
        THEME=theme, CHATLOG_SPEAKERS=SPEAKERS, SUMMARY_MAX_LENGTH=None,
    )
    summary = index_summary(site, theme)
    assert chatlog_markup(summary) == []
    assert " ".join(summary.get_text().split()) == FENCE_WORDS.format(message="Fine, fine.")
    chat_summary = " ".join(index_summary(site, theme, "long-ride.html").get_text().split())
    assert chat_summary == " ".join(
        f"Dana: Word number {n} of a long ride chat. Marcus R.: Noted and carried on." for n in range(12)
    )


CHAT_POST = """Title: Spokes
Date: 2024-03-02

Dana: Spokes or rim first?
Marcus_R: Spokes.
Then the rim,
then the hub.
Dana: Thanks!
"""
# each word, "Marcus R.:" as one, and whether it names a speaker
CHAT_WORDS = [
    ("Dana:", True), ("Spokes", False), ("or", False), ("rim", False), ("first?", False),
    ("Marcus R.:", True), ("Spokes.", False), ("Then", False), ("the", False), ("rim,", False),
    ("then", False), ("the", False), ("hub.", False), ("Dana:", True), ("Thanks!", False),
]


@pytest.mark.parametrize("limit", range(1, len(CHAT_WORDS) + 2))
def test_chat_post_summary_is_clean_text_at_any_length(tmp_path, limit):
    from pelican.settings import read_settings

    from pelican_chatlog.pelican_plugin import ChatReader

    (tmp_path / "spokes.chat").write_text(CHAT_POST, encoding="utf-8")
    settings = read_settings(
        override={"PATH": str(tmp_path), "CHATLOG_SPEAKERS": SPEAKERS, "SUMMARY_MAX_LENGTH": limit}
    )
    _, metadata = ChatReader(settings).read(str(tmp_path / "spokes.chat"))
    kept = CHAT_WORDS[:limit]
    while kept and kept[-1][1]:  # never a speaker's name without what they said
        kept = kept[:-1]
    cut = ["…"] if limit < len(CHAT_WORDS) else []
    expected = " ".join([*(word for word, _ in kept), *cut])
    assert metadata["summary"] == expected
