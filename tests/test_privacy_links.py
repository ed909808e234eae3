"""Link text parting a hidden name: found and hidden, as its reader sees the name whole.

`[Dana](https://…) Okafor` reads "Dana Okafor" (Dana being a link), and so do
`Dana [Okafor](…)`, `[Dana](…) [Okafor](…)` and `[**Dana**](…) Okafor`; before, none was found.
Names, `Redact:` words and phrases and `/regex/` terms are now looked for in the text without
a link's `[` and `](address)`; the link stays around what is shown instead (`[D.](…)`), its
address as typed (a name or term in an address is still hidden there, as before).  Also:
different emphasis over the words of one name (`*Dana* _Okafor_`) no longer leaves stray marks.

Fixtures of our own (invented people, places and addresses), in the shapes the apps write:
- Telegram Desktop's result.json: a message's `text` a list of strings and entities, a link
  under other text being `{"type": "text_link", "text": …, "href": …}` (SerializeText in
  github.com/telegramdesktop/tdesktop Telegram/SourceFiles/export/output/export_output_json.cpp:
  Type::TextUrl is "text_link", its address under "href"; tests/exports/telegram/entities.telegram.json);
- a Slack day file, each message's `text` in mrkdwn, a labelled link written `<https://…|label>`
  (api.slack.com/reference/surfaces/formatting; docs.rs slack-blocks `Mrkdwn`), the author's
  `user_profile` on each message (tests/exports/slack/);
- `.chat` posts and ```` ```chat ```` blocks in Markdown as README "The .chat format" describes them.
"""

from __future__ import annotations

import itertools
import json
import re
import sys
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st
from conftest import ROOT, CountedPattern, CountingRe, site_text, shown_text, outside_links, telegram_crew

from pelican_chatlog import parse, privacy
from pelican_chatlog.inline import render_body

sys.path.insert(0, str(ROOT / "bench"))
import hostile  # noqa: E402

SECRETS = ("zqdana", "zqokafor", "zqzeller", "zqstreet", "zqplot")
ATOM = "{http://www.w3.org/2005/Atom}"
LINEAR = 4.5  # growth allowed from n to 4n (tests/test_security_cost.py)


def said(post: str, **options) -> list[str]:
    return [message.text for message in parse(post, **options).messages]


# --- on a built site ---------------------------------------------------------------------

RIDE = """\
Title: Ride notes
Date: 2024-05-04
Speakers: Zqdana Zqokafor (name: D.), Mei Lin
Redact: Zqzeller Zqstreet, /zqplot \\d{1,3}/

Mei Lin: ask [Zqdana](https://x.example/a) Zqokafor, Zqdana [Zqokafor](https://x.example/b) or \
[Zqdana](https://x.example/c) [Zqokafor](https://x.example/d) at [Zqzeller](https://x.example/e) Zqstreet
Zqdana Zqokafor: [**Zqdana**](https://x.example/f) Zqokafor here, <https://x.example/g> Zqdana Zqokafor, \
[Zqdana](<https://x.example/h>) Zqokafor, [zqplot](https://x.example/i) 42
"""


def test_a_name_link_text_parts_is_hidden_on_the_page_its_summary_and_feeds(build_site):
    site = build_site({"ride.chat": RIDE})
    page = site.page("ride-notes.html")
    first, second = page.select(".chatlog-message")
    assert "ask D., D. or D. at ███" in shown_text(first)
    assert "D. here, <https://x.example/g> D., D., ███" in shown_text(second)
    # each link stays around what is shown, its address as typed; of two links one name
    # was in, one stays
    assert outside_links(page.select_one(".chatlog")) == [
        "https://x.example/a", "https://x.example/b", "https://x.example/d", "https://x.example/e",
        "https://x.example/f", "https://x.example/g", "https://x.example/h", "https://x.example/i",
    ]
    assert [shown_text(link) for link in page.select(".chatlog a[href^='https://x.example/']")] == [
        "D.", "D.", "D.", "███", "D.", "https://x.example/g", "D.", "███"]
    assert page.select_one(".chatlog a[href='https://x.example/f'] strong").get_text() == "D."
    description = page.find("meta", attrs={"name": "description"})["content"]
    assert "ask D., D. or D. at ███" in description
    entry = ElementTree.parse(site.output / "feeds" / "all.atom.xml").getroot().find(f"{ATOM}entry")
    assert "ask D., D. or D. at ███" in entry.findtext(f"{ATOM}summary")
    content = BeautifulSoup(entry.findtext(f"{ATOM}content"), "html.parser")
    assert "D. here, <https://x.example/g> D., D., ███" in shown_text(content)
    assert "ask D., D. or D. at ███" in shown_text(site.page("index.html"))
    assert [secret for secret in SECRETS if secret in site_text(site)] == []


ESSAY = """\
Title: An essay
Date: 2024-05-04

We talked:

```chat
Speakers: Zqdana Zqokafor (name: D.), Mei Lin

Mei Lin: ask [Zqdana](https://x.example/a) Zqokafor about [Zqzeller](https://x.example/b) Zqstreet
Zqdana Zqokafor: Zqdana [**Zqokafor**](https://x.example/c) here
```
"""


def test_a_name_link_text_parts_in_a_chat_block_is_hidden_by_the_site_settings(build_site):
    site = build_site({"essay.md": ESSAY}, CHATLOG_REDACT=["Zqzeller Zqstreet"])
    chat = site.page("an-essay.html").select_one(".chatlog")
    assert "ask D. about ███" in shown_text(chat) and "D. here" in shown_text(chat)
    assert outside_links(chat) == ["https://x.example/a", "https://x.example/b", "https://x.example/c"]
    assert chat.select_one("a[href='https://x.example/c'] strong").get_text() == "D."
    assert [secret for secret in SECRETS if secret in site_text(site)] == []


def telegram_export() -> str:
    return telegram_crew(["ask ", {"type": "text_link", "text": "Zqdana", "href": "https://x.example/p"},
                          " Zqokafor, or Zqdana ", {"type": "text_link", "text": "Zqokafor", "href": "https://x.example/q"},
                          ", about ", {"type": "text_link", "text": "Zqzeller", "href": "https://x.example/r"}, " Zqstreet"])


CREW = """\
Title: Crew
Date: 2024-05-04
Format: telegram
Source: crew.telegram.json
Redact: Zqzeller Zqstreet
"""


def test_an_exports_text_links_parting_a_name_are_hidden(build_site):
    site = build_site({"crew.telegram.json": telegram_export(), "crew.chat": CREW},
                      CHATLOG_SPEAKERS={"Zqdana Zqokafor": {"name": "D."}})
    chat = site.page("crew.html").select_one(".chatlog")
    assert "ask D., or D., about ███" in shown_text(chat)
    assert outside_links(chat) == ["https://x.example/p", "https://x.example/q", "https://x.example/r"]
    assert [secret for secret in SECRETS if secret in site_text(site)] == []


def test_a_slack_labelled_link_parting_a_phrase_is_masked():
    day = [
        {"type": "message", "user": "U01", "text": "meet at <https://x.example/s|Zqzeller> Zqstreet?",
         "ts": "1714813200.000100", "user_profile": {"real_name": "Mei Lin", "display_name": "mei", "name": "mei"}},
    ]
    texts = said(json.dumps(day), format="slack", privacy=privacy.Privacy(redact=("Zqzeller Zqstreet",)))
    assert texts == ["meet at [███](https://x.example/s)?"]


# --- what shows instead --------------------------------------------------------------------

NAMED = "Speakers: Zqdana Zqokafor (name: D.), Mei\nRedact: Zqzeller Zqstreet, /zqplot\\s{1,3}\\d{1,3}/\n\nZqdana Zqokafor: hi\n"


@pytest.mark.parametrize("text, expected", [
    ("[Zqdana](https://x.example/) Zqokafor", "[D.](https://x.example/)"),
    ("Zqdana [Zqokafor](https://x.example/o)", "[D.](https://x.example/o)"),
    ("[Zqdana](https://x.example/1) [Zqokafor](https://x.example/2)", "[D.](https://x.example/2)"),
    ("[**Zqdana**](https://x.example/) Zqokafor", "[**D.**](https://x.example/)"),
    ("[Zqdana](https://x.example/) **Zqokafor**", "[**D.**](https://x.example/)"),
    ("[hi Zqdana](https://x.example/) Zqokafor!", "[hi D.](https://x.example/)!"),
    ("Zqdana [Zqokafor and all](https://x.example/)", "[D. and all](https://x.example/)"),
    ("[Zq](https://x.example/)dana Zqokafor", "[D.](https://x.example/)"),
    ("[Zqdana](<https://x.example/a b>) Zqokafor", "[D.](<https://x.example/a b>)"),
    ('[Zqdana](https://x.example/ "a title") Zqokafor', '[D.](https://x.example/ "a title")'),
    ("[Zqdana](https://x.example/)\nZqokafor", "[D.](https://x.example/)"),
    ("<https://x.example/> Zqdana Zqokafor<https://x.example/>", "<https://x.example/> D.<https://x.example/>"),
    ("[Zqzeller](https://x.example/) Zqstreet", "[███](https://x.example/)"),
    ("Zqzeller [Zqstreet](https://x.example/)", "[███](https://x.example/)"),
    ("[zqplot](https://x.example/) 42", "[███](https://x.example/)"),
    ("[Zqdana](https://x.example/) Zqokafor and [Zqzeller](https://y.example/) Zqstreet",
     "[D.](https://x.example/) and [███](https://y.example/)"),
    # a `!` marked literal (Telegram's "Done!" before a text link) makes no image's syntax
    ("Done\ufdd0![Zqdana](https://x.example/) Zqokafor", "Done\ufdd0![D.](https://x.example/)"),
])
def test_link_text_parting_a_name_or_term_and_what_shows_instead(text, expected):
    assert said(f"{NAMED}Mei: {text}\n")[1] == expected


@pytest.mark.parametrize("text, expected", [
    # an image's syntax is shown as typed (no images in chat bodies), and so is its `[`
    ("![Zqdana](https://x.example/a.png) Zqokafor", "![Zqdana](https://x.example/a.png) Zqokafor"),
    ("[Zqdana](https://x.example/)Zqokafor", "[Zqdana](https://x.example/)Zqokafor"),
    ("[Zqdana](https://x.example/) and Zqokafor", "[Zqdana](https://x.example/) and Zqokafor"),
    # a name or term in a link's address is hidden there, as before
    ("[site](<https://x.example/Zqzeller Zqstreet>) ok", "[site](<https://x.example/███>) ok"),
    ("[site](<https://x.example/Zqdana Zqokafor>) ok", "[site](<https://x.example/D.>) ok"),
])
def test_nothing_but_what_the_reader_sees_as_the_name_is_hidden(text, expected):
    assert said(f"{NAMED}Mei: {text}\n")[1] == expected


# --- different emphasis over one name's words ------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("*Zqdana* _Zqokafor_", "*_D._*"),
    ("_Zqdana_ **Zqokafor**", "**_D._**"),
    ("_Zqdana_ ~~Zqokafor~~", "~~_D._~~"),
    ("`Zqdana` *Zqokafor*", "*`D.`*"),
    ("**Zqdana** ||Zqokafor||", "**||D.||**"),
    ("**hi Zqdana** _Zqokafor_", "**hi _D._**"),
    ("`hi Zqdana` *Zqokafor*", "`hi D.`"),
    ("*Zqdana* **Zqokafor and all**", "*D.* **and all**"),
    ("*Zqdana* [Zqokafor and all](https://x.example/)", "*D.* [and all](https://x.example/)"),
])
def test_different_emphasis_over_a_names_words_nests_around_the_name_shown(text, expected):
    assert said(f"{NAMED}Mei: {text}\n")[1] == expected


WORD_MARKS = ["{}", "*{}*", "**{}**", "_{}_", "__{}__", "~~{}~~", "++{}++", "||{}||", "`{}`",
              "[{}](https://x.example/{n})", "[**{}**](https://x.example/{n})", "**[{}](https://x.example/{n})**"]


def test_a_name_marked_any_way_shows_clean():
    # each word of the name in any mark or link, or none: the reader sees the name shown and
    # nothing else, no mark left standing, no address but the name's own
    def shows_clean(first: str, second: str) -> bool:
        text = f"see {first.format('Zqdana', n=1)} {second.format('Zqokafor', n=2)} now"
        html = render_body(said(f"{NAMED}Mei: {text}\n")[1])
        body = BeautifulSoup(f"<p>{html}</p>", "html.parser")
        return body.get_text() == "see D. now" and set(outside_links(body)) <= {"https://x.example/1", "https://x.example/2"}

    pairs = list(itertools.product(WORD_MARKS, WORD_MARKS))
    assert [pair for pair in pairs if not shows_clean(*pair)] == []


WORDS = ["zqa", "zqb", "zqc", "hi"]
MARKS = [*WORD_MARKS, "[{}](<https://x.example/{n}>)", "[_{}_](https://x.example/{n} \"t\")"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(MARKS), st.booleans(), st.sampled_from([" ", "\n", ", "])),
             min_size=1, max_size=8),
    st.lists(st.lists(st.sampled_from(WORDS[:3]), min_size=1, max_size=3), min_size=1, max_size=2),
)
def test_no_hidden_name_or_phrase_is_left_in_link_text(parts, phrases):
    # words marked any way, some two to a link; however names and terms cross them, none is
    # left as the reader sees the page, nothing shows a mark, and no address is made up
    text = ""
    for number, (word, marks, two, between) in enumerate(parts):
        text += (f"[{word} {WORDS[number % 4]}](https://x.example/{number})" if two else
                 marks.format(word, n=number)) + between
    terms = [" ".join(phrase) for phrase in phrases]
    post = f'Speakers: "{terms[0]}" (name: Friend), Dana\n\n"{terms[0]}": hi\nDana: {text}\n'
    hidden = said(post, privacy=privacy.Privacy(redact=tuple(terms[1:])))[1]
    body = BeautifulSoup(f"<p>{render_body(hidden)}</p>", "html.parser")
    seen = " ".join(body.get_text().split()).casefold()
    for term in terms:
        assert not re.search(rf"(?<!\w){term}(?!\w)", seen), (text, terms, hidden)
    assert not re.search(r"[*_~|`\[\]]", seen), (text, terms, hidden)
    assert set(outside_links(body)) <= set(re.findall(r"https://x\.example/\d+", text)), (text, terms, hidden)


# --- cost ---------------------------------------------------------------------------------------


def names_in_links(n: int) -> tuple[str, str]:
    return ("Speakers: Zq Zq (name: Q), Dana\n\nZq Zq: hi\nDana: "
            + " ".join(["[zq](https://x.example/zq)"] * n) + "\n", "chat")


@pytest.mark.parametrize("shape, whole", [
    (hostile.linked_terms, "[███](https://x.example/)"), (names_in_links, "[███](https://x.example/zq)"),
])
def test_hiding_matches_that_cross_many_links_costs_linear_work(monkeypatch, shape, whole):
    # every two links' texts are a phrase hidden, each overlapping the next: all of the
    # message is one mask, in its last link, found in work that grows with its length
    monkeypatch.setattr(privacy, "re", CountingRe())
    monkeypatch.setattr(privacy, "LINK", CountedPattern(privacy.LINK))

    def work(n: int) -> int:
        CountedPattern.work = 0
        assert parse(shape(n)[0]).messages[-1].text == whole
        return CountedPattern.work

    small, large = work(300), work(1_200)
    assert 0 < small and large <= LINEAR * small
