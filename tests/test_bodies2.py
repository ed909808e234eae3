"""Message bodies, second part (issue 14): what the first part left open.

- Importers keep plain text plain: `~~`, `++`, `||`, `> `, `- `, `1. ` in an
  export's plain text never format (U+FDD0 marks, as for `*` and `_`).
- Telegram's strikethrough, underline, spoiler, blockquote, multi-line `pre`
  (with its language), text_link and mention_name entities.
- Reactions counted without (all) names: Telegram `count` with a few
  `recent`, Slack `count` with fewer `users`, Discord `count` with fewer or
  no `users`; the `.chat` line `(reactions: 👍 5 Dana, "Smith, J."; 🔥 3)`.
- Nested lists, nested block quotes, and list items going on over indented lines.

Fixtures of our own (invented people and text) in the shapes these public
sources show:
- Telegram Desktop result.json, tests/exports/telegram/entities.telegram.json:
  entity types and their keys (`pre` with `language`, `text_link` with
  `href`, `mention_name` with `user_id`, `blockquote`, `spoiler`,
  `strikethrough`, `underline`) as kant2002/TelegramExportProcessor README
  and mlomb/chat-analytics pipeline/parse/parsers/Telegram.d.ts list them;
  reactions `{type, count, emoji, recent: [{from, from_id, date}]}` (`recent`
  names a few of `count`) as tests/exports/telegram/rich.telegram.json and
  the tg-parser package's docs/TELEGRAM_FORMAT.md (`{"emoji", "count"}` alone).
- Slack day file, tests/exports/slack-day/reactions.slack.json: reactions
  `{name, users, count}` (docs.rs slack_api `Reaction`); `users` "might not
  always contain all users that have reacted" (gist afeld/ac56da55274ff4803498,
  quoting Slack's reactions.get documentation).
- DiscordChatExporter JSON, tests/exports/discord/nested.discord.json:
  reactions `{emoji, count, users}`, older exports `{emoji, count}` alone
  (mlomb/chat-analytics pipeline/parse/parsers/Discord.d.ts); nested lists
  by indentation as Discord's Markdown writes them in `content`; `> ` and
  `>>> ` quotes as Discord.Net's Format.Quote and Format.BlockQuote write them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from pelican_chatlog import inline, link, parse, read_file, render
from pelican_chatlog.inline import render_body_text
from pelican_chatlog.model import Message, Reaction, Speaker
from pelican_chatlog.readers import dialects
from pelican_chatlog.readers.markup import escape_markdown
from pelican_chatlog.render import TEMPLATE_FOLDER
from pelican_chatlog.write import write_chat

EXPORTS = Path(__file__).parent / "exports"
TELEGRAM = EXPORTS / "telegram" / "entities.telegram.json"
DISCORD = EXPORTS / "discord" / "nested.discord.json"
SLACK = EXPORTS / "slack-day" / "reactions.slack.json"
SIGNS = ("del", "u", "span", "blockquote", "li", "strong", "em", "code")


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def page_of(path: Path) -> BeautifulSoup:
    return soup(str(render(link(read_file(str(path))))))


def round_trip(path: Path):
    """The export, and what `convert` writes of it read back."""
    conversation = link(read_file(str(path)))
    again = link(parse(write_chat(conversation)))
    return conversation, again


def rich(conversation) -> list:
    return [(m.speaker.name, m.text, [(r.emoji, r.who, r.count) for r in m.reactions]) for m in conversation.messages]


# 1. an export's plain text stays plain


@pytest.mark.parametrize("text", [
    "~~not struck~~", "++not underlined++", "||not hidden||", "a ~~b~~ c ||d|| e",
    "> not a quote", "- not\n- a list", "1. not\n2. a list", "+ nor\n+ this",
])
def test_plain_export_text_with_our_marks_shows_as_typed(text):
    html = render_body_text(escape_markdown(text))
    page = soup(html)
    assert page.get_text().replace("\n", "") == text.replace("\n", ""), html
    assert not page.find_all(SIGNS), html


def test_signs_that_make_no_mark_are_left_unmarked():
    # only a run that could open or close a mark is marked: these take the fast path as before
    for text in ("1++2", "a || b", "x ~ y"):
        assert escape_markdown(text) == text
    assert soup(render_body_text(escape_markdown("C++ and C#"))).get_text() == "C++ and C#"


def test_a_web_address_keeps_its_signs_and_shows_as_typed():
    url = "https://example.org/~~a~~/||b||"
    assert escape_markdown(f"see {url} now") == f"see {url} now"
    link_tag = soup(render_body_text(f"see {url} now")).find("a")
    assert link_tag["href"] == url and link_tag.get_text() == url  # no <del> inside the link


@pytest.mark.parametrize("app, text", [
    ("whatsapp", "++not underlined++ ||not hidden|| *bold*"),
    ("slack", "++not underlined++ ||not hidden|| ~struck~"),
    ("discord", "++not underlined++ __underlined__ ||hidden||"),
])
def test_marks_an_app_does_not_have_stay_as_typed(app, text):
    page = soup(render_body_text(getattr(dialects, app)(text)))
    assert "++not underlined++" in page.get_text() and page.find("u", string="not underlined") is None
    if app != "discord":
        assert "||not hidden||" in page.get_text() and page.select_one(".chatlog-spoiler") is None
    else:
        assert page.find("u").get_text() == "underlined" and page.select_one(".chatlog-spoiler").get_text() == "hidden"


# 2. Telegram's entities


def test_telegram_entities_become_our_marks_and_blocks():
    page = page_of(TELEGRAM)
    first, second = page.select(".chatlog-message")
    assert first.find("del").get_text() == "28"
    assert first.find("u").get_text() == "laced two-cross"
    spoiler = first.select_one("span.chatlog-spoiler")
    assert spoiler.get_text() == "a secret" and spoiler["tabindex"] == "0"
    assert first.find("a", string="the guide")["href"] == "https://example.org/lacing"
    assert "Ask Tomas Berg or read" in first.get_text()  # mention_name: the name, as Telegram shows it
    quote = second.select_one("blockquote:not(.chatlog-quote)")
    assert quote.get_text() == "laced two-cross\nfor the rear"
    code = second.select_one("div.highlight pre code")
    assert code.get_text().rstrip("\n") == "def tension(side):\n\n    return __name__ ~~ side"
    assert code.select_one("span.k") is not None  # highlighted as the `language` says
    assert "plain ~~not struck~~ and ||not hidden|| in C++\n- not a list\n> not a quote" in second.get_text()
    assert second.find("del") is None and second.find("li") is None


def test_an_entity_inside_a_word_or_across_lines_shows_no_stray_marks():
    from pelican_chatlog.readers.telegram import rich_text

    text = rich_text(["un", {"type": "strikethrough", "text": "believ"}, "able ",
                      {"type": "spoiler", "text": "two\nlines"}])
    page = soup(render_body_text(text))
    assert page.get_text() == "unbelievable two\nlines"
    assert [span.get_text() for span in page.select(".chatlog-spoiler")] == ["two", "lines"]


def test_a_pre_holding_a_fence_line_stays_code():
    from pelican_chatlog.readers.telegram import rich_text

    text = rich_text(["see:", {"type": "pre", "text": "a\n```\nb", "language": "md"}])
    assert soup(render_body_text(text)).find("code").get_text() == "a\n```\nb"


# 3 and 4. reactions: counts, and names holding ", "


def test_telegram_reaction_counts_and_names_are_kept():
    thumbs, fire = link(read_file(str(TELEGRAM))).messages[0].reactions
    assert thumbs == Reaction("👍", ["Tomas Berg", "Smith, J."], 5) and thumbs.total == 5
    assert fire == Reaction("🔥", [], 3) and fire.total == 3


def test_slack_and_discord_reaction_counts_are_kept():
    [ride] = link(read_file(str(SLACK))).messages
    assert [(r.emoji, r.total, len(r.who)) for r in ride.reactions] == [("👍", 12, 2), ("🚲", 3, 0), ("🎉", 1, 1)]
    truing = link(read_file(str(DISCORD))).messages[0]
    assert truing.reactions == [Reaction("👍", ["Rafe", "Smith, J."], 6), Reaction("🔧", [], 4)]


@pytest.mark.parametrize("path, shown", [
    (TELEGRAM, ["👍 5: Tomas Berg, Smith, J. and 3 more", "🔥 3"]),
    (SLACK, ["👍 12: U08, U09 and 10 more", "🚲 3", "🎉 1: U08"]),
    (DISCORD, ["👍 6: Rafe, Smith, J. and 4 more", "🔧 4"]),
])
def test_the_page_shows_how_many_reacted(path, shown):
    page = page_of(path)
    assert [li.get_text() for li in page.select(".chatlog-reactions")[0].find_all("li")] == shown


@pytest.mark.parametrize("path", [TELEGRAM, SLACK, DISCORD])
def test_convert_keeps_counts_names_and_bodies(path):
    conversation, again = round_trip(path)
    assert rich(again) == rich(conversation)
    assert str(render(again)) == str(render(conversation))


def test_the_reaction_line_reads_counts_and_quoted_names():
    conversation = parse(
        'Dana: spokes are in\n(reactions: 👍 5 "Smith, J.", Bob; 🔥 3; 🎉 "3"; ❤️ "Ann; Lee", "\\"Q\\"")\n'
    )
    assert conversation.messages[0].reactions == [
        Reaction("👍", ["Smith, J.", "Bob"], 5), Reaction("🔥", [], 3), Reaction("🎉", ["3"]),
        Reaction("❤️", ["Ann; Lee", '"Q"']),
    ]
    # a count no larger than the names says nothing more
    assert parse("Dana: hi\n(reactions: 👍 2 Bob, Sam)\n").messages[0].reactions == [Reaction("👍", ["Bob", "Sam"])]


@pytest.mark.parametrize("who", [
    ["Smith, J."], ["a; b", "c"], ["3"], ["12 Monkeys"], ['"quoted"'], [" edge "], [""], ["line\nbreak"], ["Zoë"],
])
def test_reactor_names_read_back_exactly(who):
    message = Message(Speaker("Dana"), "hi", 1, reactions=[Reaction("👍", who), Reaction("🔥", who, 7)])
    conversation = parse("Dana: hi\n")
    conversation.items = [message]
    conversation.speakers = [message.speaker]
    written = write_chat(conversation)
    assert parse(written).messages[0].reactions == message.reactions, written


def test_an_unclosed_quoted_name_is_text_not_a_reaction_line():
    conversation = parse('Dana: hi\n(reactions: 👍 "Smith, J.)\n')
    assert not conversation.messages[0].reactions
    assert conversation.messages[0].text == 'hi\n(reactions: 👍 "Smith, J.)'


def test_a_reaction_count_survives_pickling():
    import pickle

    conversation = link(read_file(str(TELEGRAM)))
    assert pickle.loads(pickle.dumps(conversation)).messages[0].reactions == conversation.messages[0].reactions


# 5. nested blocks


def test_nested_lists_and_items_going_on_over_lines():
    page = page_of(DISCORD)
    top = page.select_one(".chatlog-message > ul:not(.chatlog-reactions)")
    assert [li.contents[0].strip() for li in top.find_all("li", recursive=False)] == [
        "lateral first", "radial next,", "dish last"]
    assert [li.get_text() for li in top.select(":scope > li > ul > li")] == ["loosest spoke", "then its pair"]
    assert top.find_all("li", recursive=False)[1].get_text() == "radial next,\na quarter turn at most"
    ordered = page.select(".chatlog-message")[1].find("ol")
    assert [li.get_text() for li in ordered.select(":scope > li > ol > li")] == ["dial", "feeler"]


def test_nested_lists_render_as_python_markdown_structures_them():
    assert render_body_text("- a\n  - b\n  - c\n- d") == "<ul><li>a<ul><li>b</li><li>c</li></ul></li><li>d</li></ul>"
    assert render_body_text("1. a\n   - x\n   - y\n2. b") == (
        "<ol><li>a<ul><li>x</li><li>y</li></ul></li><li>b</li></ol>")
    assert render_body_text("3. a\n4. b\n   7. c") == '<ol start="3"><li>a</li><li>b<ol start="7"><li>c</li></ol></li></ol>'
    assert render_body_text("- only one\n  item") == "- only one<br>\n  item"  # one item is text, as before


def test_nested_block_quotes_and_a_list_in_a_quote():
    page = soup(render_body_text("> outer *one*\n> > inner\n> - x\n> - y\nafter"))
    outer = page.find("blockquote")
    assert outer.find("em").get_text() == "one"
    assert outer.find("blockquote").get_text() == "inner"
    assert [li.get_text() for li in outer.select("ul > li")] == ["x", "y"]
    assert "after" not in outer.get_text()


def test_nesting_is_bounded_and_reads_each_line_a_bounded_number_of_times(monkeypatch):
    deep_quote = ">" * 5000 + " deep"
    page = soup(render_body_text(deep_quote))
    assert len(page.find_all("blockquote")) == inline.MAX_NESTING
    assert page.get_text().endswith(">" * (5000 - inline.MAX_NESTING) + " deep")
    deep_list = "\n".join(" " * depth + "- x" for depth in range(150))
    page = soup(render_body_text(deep_list))
    assert len(page.find_all("ul")) == inline.MAX_NESTING and len(page.find_all("li")) == 150

    read = []
    original = inline.render_lines

    def counting(text, depth=0):
        read.append(len(text))
        return original(text, depth)

    monkeypatch.setattr(inline, "render_lines", counting)
    body = "\n".join(">" * 40 + f" line {n}" for n in range(300))
    render_body_text(body)
    assert sum(read) <= (inline.MAX_NESTING + 1) * len(body)


def test_discord_quotes_read_as_discord_shows_them():
    # Discord has no quote in a quote, `>>> ` quotes the rest of the message, and `>x` is text
    page = soup(render_body_text(dialects.discord("> a\n> > b\n>c")))
    assert [quote.get_text() for quote in page.find_all("blockquote")] == ["a\n> b"]
    assert page.get_text().endswith(">c")
    page = soup(render_body_text(dialects.discord("look:\n>>> one\n> two\nthree")))
    assert [quote.get_text() for quote in page.find_all("blockquote")] == ["one\n> two\nthree"]
    code = dialects.discord("```\n> kept\n```\n> q")
    assert soup(render_body_text(code)).find("code").get_text() == "> kept"


def test_nested_bodies_carry_no_markup():
    html = render_body_text('- <script>x</script>\n  - <b onclick="y">z</b>\n    more <i>\n> > <img src=x onerror=alert(1)>')
    page = soup(html)
    assert not page.find_all(["script", "b", "i", "img"]), html


# the same page through the templates, the direct path and a build


@pytest.mark.parametrize("path", [TELEGRAM, DISCORD, SLACK])
def test_the_python_renderer_writes_what_the_templates_write(path, tmp_path):
    import shutil

    conversation = link(read_file(str(path)))
    shutil.copytree(TEMPLATE_FOLDER, tmp_path / "templates")
    assert str(render(conversation)) == str(render(conversation, template_folders=[str(tmp_path / "templates")]))


def test_a_pelican_build_shows_entities_counts_and_nested_lists(build_site):
    site = build_site({
        "wheels.telegram.json": TELEGRAM.read_bytes(),
        "truing.discord.json": DISCORD.read_bytes(),
    })
    pages = [site.page(name) for name in site.posts()]
    assert len(pages) == 2
    text = {page.select_one(".chatlog-message b").get_text().strip(): page for page in pages}
    wheels, truing = text["Ines Varga"], text["Oksana"]
    assert wheels.select_one(".chatlog-message .chatlog-spoiler").get_text() == "a secret"
    assert wheels.select_one(".chatlog-message u").get_text() == "laced two-cross"
    assert [li.get_text() for li in wheels.select(".chatlog-reactions li")] == [
        "👍 5: Tomas Berg, Smith, J. and 3 more", "🔥 3"]
    assert "~~not struck~~" in wheels.get_text()
    assert [li.get_text() for li in truing.select(".chatlog-message li > ul > li")] == ["loosest spoke", "then its pair"]


def test_the_fixtures_are_in_the_apps_shapes():
    telegram = json.loads(TELEGRAM.read_text(encoding="utf-8"))
    assert {part["type"] for message in telegram["messages"] for part in message["text_entities"]} >= {
        "strikethrough", "underline", "spoiler", "blockquote", "pre", "text_link", "mention_name"}


def test_a_telegram_text_link_after_an_exclamation_mark_is_a_link_not_an_image(tmp_path):
    # Telegram writes the text before a link as a plain string: "Done!" then the text_link;
    # written one after the other they read `Done![the guide](…)`, an image's syntax, refused
    export = {"name": "Wheel Builders", "type": "private_group", "id": 7, "messages": [{
        "id": 1, "type": "message", "date": "2024-05-02T18:01:00", "from": "Ines Varga", "from_id": "user1",
        "text": ["Done!", {"type": "text_link", "text": "the guide", "href": "https://wheels.example/guide"},
                 " and!", {"type": "text_link", "text": "more", "href": "https://wheels.example/more"}],
    }]}
    path = tmp_path / "wheels.telegram.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    conversation, again = round_trip(path)
    for read in (conversation, again):
        body = soup(render(read)).select_one(".chatlog-message")
        assert [(a.get_text(), a["href"]) for a in body.select("a:not([href^='#'])")] == [
            ("the guide", "https://wheels.example/guide"), ("more", "https://wheels.example/more")]
        assert "Done!the guide and!more" in body.get_text()
        assert not [problem for problem in read.problems if "link" in problem.message]
