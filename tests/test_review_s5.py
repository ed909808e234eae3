"""Review of the link-text privacy change (s5): links Markdown reads that privacy did not, and
a shown name written into bodies as Markdown.

1. Leaks: privacy.LINK read fewer link shapes than the renderer's Python-Markdown
   (LinkInlineProcessor.getText/getLink), so a hidden name or term parted by such a link's
   text stayed on the page: an address holding parentheses (`https://…/wiki/Ride_(cycling)`,
   common in Telegram text links and Slack labelled links), a 'title' in single quotes, white
   space or a line end before the address, spaces in an address, brackets that pair up in the
   link text (`[[x] Dana](…)`), a line end in the link text.
2. Injection: the name shown instead (`Speakers: Dana Okafor (name: …)`, chat text) was
   written into message bodies as Markdown, so `name: [D.](/admin/)` made a link in every body
   naming Dana, and `name: D.](https://…` took over the address of the author's own link
   (`[Dana](https://x.example/a) Okafor`); elsewhere (the speaker's label, data-speaker) the
   same name shows as typed.

Fixtures are our own (invented people and addresses), in the shapes the apps write:
- Telegram Desktop's result.json: a message's `text` a list of strings and entities, a link
  under other text `{"type": "text_link", "text": …, "href": …}` (SerializeText in
  github.com/telegramdesktop/tdesktop Telegram/SourceFiles/export/output/export_output_json.cpp:
  Type::TextUrl is written "text_link", its address under "href");
- a Slack day file, `text` in mrkdwn, a labelled link `<https://…|label>`
  (api.slack.com/reference/surfaces/formatting, "Linking URLs"), `user_profile` on each message;
- `.chat` posts as README "The .chat format" describes them.
"""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

from pelican_chatlog import parse
from pelican_chatlog.inline import render_body
from pelican_chatlog.privacy import Privacy
from conftest import site_text, shown_text, outside_links, telegram_crew

SECRETS = ("zqdana", "zqokafor", "zqzeller", "zqstreet")


def bodies(page: BeautifulSoup) -> list[str]:
    """What each message says, without its speaker's name and its time."""
    said = []
    for message in page.select(".chatlog-message"):
        for extra in message.select(":scope > b, :scope > time"):
            extra.decompose()
        said.append(shown_text(message))
    return said


# --- 1. link shapes Python-Markdown reads ------------------------------------------------------

SHAPES = [
    "[Zqdana](https://x.example/wiki/Ride_(cycling)) Zqokafor",
    "[Zqdana](https://x.example/a 'a title') Zqokafor",
    "[Zqdana]( https://x.example/b) Zqokafor",
    "[Zqdana](\nhttps://x.example/c) Zqokafor",
    "[Zqdana](https://x.example/d e) Zqokafor",
    "[Zqdana](https://x.example/f\n\"a title\") Zqokafor",
    "[[1] Zqdana](https://x.example/g) Zqokafor",
    "[see\nZqdana](https://x.example/h) Zqokafor",
    "Zqdana [Zqokafor](https://x.example/wiki/Okafo_(name))",
    "[Zqzeller](https://x.example/wiki/Street_(road)) Zqstreet",
]

RIDES = """\
Title: Ride notes
Date: 2024-05-04
Speakers: Zqdana Zqokafor (name: D.), Mei Lin
Redact: Zqzeller Zqstreet

""" + "".join(f"Mei Lin: {shape.replace(chr(10), chr(10) + '  ')}\n" for shape in SHAPES)


def test_each_link_shape_the_renderer_reads_is_read_by_privacy_on_a_built_site(build_site):
    # each line a message; a continuation line is indented (README "The .chat format")
    site = build_site({"rides.chat": RIDES})
    page = site.page("ride-notes.html")
    said = bodies(page)
    assert len(said) == len(SHAPES)
    assert [body for body in said if body not in ("D.", "see D.", "[1] D.", "███")] == []
    assert [secret for secret in SECRETS if secret in site_text(site)] == []


def telegram_export() -> str:
    return telegram_crew(["ask ", {"type": "text_link", "text": "Zqdana", "href": "https://x.example/wiki/Ride_(cycling)"},
                          " Zqokafor about ", {"type": "text_link", "text": "Zqzeller", "href": "https://x.example/w/(map)"},
                          " Zqstreet"])


CREW = """\
Title: Crew
Date: 2024-05-04
Format: telegram
Source: crew.telegram.json
Redact: Zqzeller Zqstreet
"""


def test_a_telegram_text_link_to_an_address_with_parentheses_parting_a_name_is_hidden(build_site):
    site = build_site({"crew.telegram.json": telegram_export(), "crew.chat": CREW},
                      CHATLOG_SPEAKERS={"Zqdana Zqokafor": {"name": "D."}})
    chat = site.page("crew.html").select_one(".chatlog")
    assert "ask D. about ███" in shown_text(chat)
    assert outside_links(chat) == ["https://x.example/wiki/Ride_(cycling)", "https://x.example/w/(map)"]
    assert [secret for secret in SECRETS if secret in site_text(site)] == []


def test_a_slack_labelled_link_to_an_address_with_parentheses_parting_a_phrase_is_masked():
    day = [
        {"type": "message", "user": "U01", "text": "meet at <https://x.example/wiki/Zeller_(map)|Zqzeller> Zqstreet?",
         "ts": "1714813200.000100", "user_profile": {"real_name": "Mei Lin", "display_name": "mei", "name": "mei"}},
    ]
    conversation = parse(json.dumps(day), format="slack", privacy=Privacy(redact=("Zqzeller Zqstreet",)))
    assert [message.text for message in conversation.messages] == ["meet at [███](https://x.example/wiki/Zeller_(map))?"]


NAMED = "Speakers: Zqdana Zqokafor (name: D.), Mei\nRedact: Zqzeller Zqstreet\n\nZqdana Zqokafor: hi\n"


@pytest.mark.parametrize("text, expected", [
    ("[Zqdana](https://x.example/wiki/Ride_(cycling)) Zqokafor", "[D.](https://x.example/wiki/Ride_(cycling))"),
    ("[Zqdana](https://x.example/a 'a title') Zqokafor", "[D.](https://x.example/a 'a title')"),
    ("[Zqdana]( https://x.example/b) Zqokafor", "[D.]( https://x.example/b)"),
    ("[Zqdana](https://x.example/d e) Zqokafor", "[D.](https://x.example/d e)"),
    ("[[1] Zqdana](https://x.example/g) Zqokafor", "[[1] D.](https://x.example/g)"),
    ("[Zqzeller](https://x.example/(x)) Zqstreet", "[███](https://x.example/(x))"),
    # a name in such an address is still hidden there, the address read alone
    ("[site](https://x.example/(Zqzeller Zqstreet)) ok", "[site](https://x.example/(███)) ok"),
])
def test_link_shapes_parting_a_name_or_term_and_what_shows_instead(text, expected):
    assert [message.text for message in parse(f"{NAMED}Mei: {text}\n").messages][1] == expected


# --- 2. the name shown is literal in bodies ------------------------------------------------------


def shown_as(name: str, body: str) -> BeautifulSoup:
    post = f"Speakers: Zqdana Zqokafor (name: {name}), Mei\n\nZqdana Zqokafor: hi\nMei: {body}\n"
    return BeautifulSoup(f"<p>{render_body(parse(post).messages[1].text)}</p>", "html.parser")


def test_a_name_shown_makes_no_link_in_a_body():
    body = shown_as("[D.](/admin/)", "ask Zqdana Zqokafor")
    assert outside_links(body) == [] and shown_text(body) == "ask [D.](/admin/)"


def test_a_name_shown_does_not_take_over_the_authors_link():
    body = shown_as("D.](/admin/)", "ask [Zqdana](https://x.example/a) Zqokafor now")
    assert outside_links(body) == ["https://x.example/a"]
    assert shown_text(body) == "ask D.](/admin/) now"


def test_a_name_shown_with_markdown_signs_shows_as_typed_as_on_its_label(build_site):
    site = build_site({"marks.chat": "Title: Marks\nDate: 2024-05-04\n"
                       "Speakers: Zqdana Zqokafor (name: **D_K**), Mei\n\n"
                       "Zqdana Zqokafor: hi\nMei: ask [Zqdana](https://x.example/a) Zqokafor and Zqdana Zqokafor\n"})
    page = site.page("marks.html")
    assert page.select_one(".chatlog-message b").get_text().strip() == "**D_K**"  # its label
    assert bodies(page)[1] == "ask **D_K** and **D_K**"
    second = page.select(".chatlog-message")[1]
    assert second.select("strong, em") == [] and outside_links(second) == ["https://x.example/a"]
    assert [secret for secret in SECRETS if secret in site_text(site)] == []


# --- 3. a run of `*` or backticks between two letters is also a word's edge ----------------------


@pytest.mark.parametrize("text, expected", [
    ("hi*Zqdana Zqokafor", "hi*D."),  # a lone `*` Markdown shows as typed
    ("ok`Zqdana Zqokafor", "ok`D."),
    ("ask*Zqdana Zqokafor* now", "ask*D.* now"),  # "ask", then the name in italics
    ("x**Zqdana Zqokafor**", "x**D.**"),
    ("Zqdana Zqokafor*x", "D.*x"),
    ("at*Zqzeller Zqstreet", "at*███"),
    # still read as one word where Markdown takes the marks out of it
    ("Zq**dana** Zqokafor", "D."),
    ("Mei x*y", "Mei x*y"),
])
def test_a_name_beside_a_mark_between_two_letters_is_hidden(text, expected):
    assert [message.text for message in parse(f"{NAMED}Mei: {text}\n").messages][1] == expected


def test_a_name_after_a_mark_between_two_letters_is_hidden_on_a_built_site(build_site):
    site = build_site({"stars.chat": "Title: Stars\nDate: 2024-05-04\n"
                       "Speakers: Zqdana Zqokafor (name: D.), Mei\n\n"
                       "Mei: hi*Zqdana Zqokafor, ask**Zqdana Zqokafor** and 2*Zqdana Zqokafor\n"})
    assert bodies(site.page("stars.html")) == ["hiD., askD. and 2D."]  # the two lone `*` pair up
    assert [secret for secret in SECRETS if secret in site_text(site)] == []


def test_a_name_shown_or_a_mask_with_markdown_signs_shows_as_typed_in_a_code_span():
    # kept literal with escape_markdown's marks, which a code span showed as they are (U+FDD0)
    body = shown_as("d_k*[1]", "see `Zqdana Zqokafor` ok")
    assert str(body) == "<p>see <code>d_k*[1]</code> ok</p>"
    post = "Speakers: Mei\n\nMei: see `Zqzeller Zqstreet` ok\n"
    text = parse(post, privacy=Privacy(redact=("Zqzeller Zqstreet",), mask="[gone]")).messages[0].text
    assert str(render_body(text)) == "see <code>[gone]</code> ok"
