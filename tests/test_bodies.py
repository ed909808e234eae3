"""Message bodies (issue 14, bodies): block Markdown and each app's dialect.

Our Markdown in a body: fenced ``` code blocks (blank lines kept, highlighted
by Pygments as Pelican's codehilite does), `>` quote lines, lists of two or
more `- ` / `1. ` lines, ~~strike~~, ++underline++, ||spoiler||.

Fixtures of our own (invented people and text) in the shapes these public
sources show:
- WhatsApp, tests/exports/whatsapp/formatting.whatsapp.txt: *bold*, _italic_,
  ~strike~, ```mono``` (one line or several): chatwithio/free-whatsapp-inbox
  src/app/shared/pipes/whatsapp-format.pipe.ts, tinode/ios
  TinodeSDKTests/DraftyTest.swift ("this is *bold*, `code` and _italic_, ~strike~").
- Discord (DiscordChatExporter JSON `content`), tests/exports/discord/formatting.discord.json:
  Tyrrrz/DiscordChatExporter Readme ("Discord's dialect of markdown") and its
  JsonEmojiSpecs test (inline custom emoji in `content`); the message shape as
  tests/exports/channel.discord.json.
- Slack, tests/exports/slack-day/formatting.slack.json: Slack's mrkdwn
  (*bold*, _italic_, ~strike~, ```code```, `&gt;` quotes), the day-file shape
  as tests/exports/day.slack.json.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from pelican_chatlog import inline, link, parse, read_file, render
from pelican_chatlog.inline import fast_inline, python_markdown, render_body_text
from pelican_chatlog.readers import dialects
from pelican_chatlog.write import write_chat

EXPORTS = Path(__file__).parent / "exports"
FIXTURES = {
    "whatsapp": EXPORTS / "whatsapp" / "formatting.whatsapp.txt",
    "discord": EXPORTS / "discord" / "formatting.discord.json",
    "slack": EXPORTS / "slack-day" / "formatting.slack.json",
}
CODE = 'def main():\n    if __name__ == "__main__":\n\n        run()  # <b>&amp;</b>'


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


# fenced code


@pytest.mark.parametrize("language", ["", "python"])
def test_a_fenced_block_with_a_blank_line_keeps_its_lines_and_marks(language):
    html = render_body_text(f"look:\n```{language}\n{CODE}\n```\nnice")
    page = soup(html)
    code = page.select_one("div.highlight > pre code")
    assert code is not None, html
    assert code.get_text().rstrip("\n") == CODE  # indentation, blank line, __name__, <b> as typed
    assert page.find("strong") is None and page.find("b") is None
    assert page.get_text().startswith("look:") and page.get_text().endswith("nice")


def test_a_named_language_is_highlighted_as_pelican_does():
    page = soup(render_body_text(f"```python\n{CODE}\n```"))
    assert page.select_one("div.highlight span.k").get_text() == "def"  # Pygments' token classes


def test_untrusted_code_stays_escaped_whatever_the_language():
    for language in ("", "html", "js", "nosuchlexer"):
        html = render_body_text(f"```{language}\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n```")
        page = soup(html)
        assert page.find("script") is None and page.find("img") is None, html
        assert "<script>alert(1)</script>" in page.get_text()


def test_an_unclosed_fence_is_text():
    html = render_body_text("```\nnot code *em*")
    assert "<pre" not in html and "<em>em</em>" in html


def test_fence_scans_read_each_line_a_bounded_number_of_times(monkeypatch):
    calls = []
    pattern = inline.FENCE_OPEN

    class Counting:
        def match(self, line):
            calls.append(line)
            return pattern.match(line)

    monkeypatch.setattr(inline, "FENCE_OPEN", Counting())
    for n in (200, 800):
        calls.clear()
        body = "".join(f"```{'`' * (i % 3)}lang\ntext\n" for i in range(n))  # fences that never close
        render_body_text(body)
        assert len(calls) <= 3 * body.count("\n") + 3


# block quotes and lists; headings stay text


def test_a_body_too_long_for_markdown_is_shown_as_typed_blocks_too():
    body = "- _a_\n" * (inline.MAX_MARKDOWN_CHARACTERS // 6 + 1) + "```\nx\n```"
    assert "<li>" not in render_body_text(body) and "<pre" not in render_body_text(body)
    assert "<li>" in render_body_text("- _a_\n- b")


def test_quote_lines_in_a_body_are_a_block_quote():
    page = soup(render_body_text("> the old plan *was* fine\n> mostly\nno it was not"))
    quote = page.find("blockquote")
    assert quote is not None and quote.find("em").get_text() == "was"
    assert "mostly" in quote.get_text() and "no it was not" not in quote.get_text()


def test_two_list_lines_are_a_list_one_is_text():
    page = soup(render_body_text("bring:\n- pump\n- **levers**\n2. a\n3. b"))
    assert [li.get_text() for li in page.select("ul > li")] == ["pump", "levers"]
    assert page.select_one("ol")["start"] == "2"
    assert render_body_text("- only a dash") == "- only a dash"


def test_a_hash_is_not_a_heading():
    assert render_body_text("# not a heading *x*") == "# not a heading <em>x</em>"


# strike, underline, spoiler


def test_strike_underline_and_spoiler_render_as_tags():
    page = soup(render_body_text("~~gone~~ ++under++ ||hidden **bold**||"))
    assert page.find("del").get_text() == "gone"
    assert page.find("u").get_text() == "under"
    spoiler = page.select_one("span.chatlog-spoiler")
    assert spoiler["tabindex"] == "0" and spoiler.get_text() == "hidden bold"  # the text stays in the page


@pytest.mark.parametrize("text", ["C++ or C++", "a || b || c", "x ~~ y", "|| not ||", "1++2++3"])
def test_marks_not_around_words_stay_as_typed(text):
    assert soup(render_body_text(text)).get_text() == text


@pytest.mark.parametrize("text", ["~~gone~~ now", "++under++", "||spoiler|| and *em*", "a ~~b~~ `c`"])
def test_the_fast_path_gives_way_to_markdown_for_our_marks(text):
    assert fast_inline(text) in (None, python_markdown(text))
    assert render_body_text(text) == python_markdown(text)


def test_marks_carry_no_markup_and_no_unsafe_links():
    html = render_body_text('||<script>x</script>|| ~~[a](javascript:alert(1))~~ ++<b onclick="y">++')
    page = soup(html)
    assert page.find("script") is None and page.find("b") is None
    assert not [a for a in page.find_all("a") if "javascript" in a.get("href", "")]


# each app's dialect


def test_whatsapp_dialect():
    assert dialects.whatsapp("*bold* _it_ ~gone~ 2*3*4") == "**bold** _it_ ~~gone~~ 2\ufdd0*3\ufdd0*4"
    assert dialects.whatsapp("```*not bold*```") == "```*not bold*```"
    assert dialects.whatsapp("a:```x\n\ny```b") == "a:\n```\nx\n\ny\n```\nb"


def test_discord_dialect():
    assert dialects.discord("__u__ <:kekw:123> <a:spin:4> ||s|| ~~x~~") == "++u++ :kekw: :spin: ||s|| ~~x~~"
    assert dialects.discord("```py\nprint(__name__)\n```") == "```py\nprint(__name__)\n```"
    assert dialects.discord("`__init__`") == "`__init__`"


def test_web_addresses_keep_their_marks():
    url = "https://example.org/~ana/__init__*x*"
    assert dialects.discord(f"see {url} __u__") == f"see {url} ++u++"
    assert dialects.whatsapp(f"{url} *b*") == f"{url} **b**"
    assert dialects.slack("www.example.org/~a~ ~s~") == "www.example.org/~a~ ~~s~~"


def test_slack_dialect():
    assert dialects.slack("~gone~ `~kept~`") == "~~gone~~ `~kept~`"


def rendered(app: str) -> BeautifulSoup:
    return soup(str(render(link(read_file(str(FIXTURES[app]))))))


def test_whatsapp_formatting_reads_as_whatsapp_shows_it():
    page = rendered("whatsapp")
    assert page.find("strong").get_text() == "Ride is on"
    assert page.find("em").get_text() == "weather permitting"
    assert page.find("del").get_text() == "Meet at 9"
    block = page.select_one("div.highlight pre code").get_text()
    assert block.rstrip("\n") == "cassette  11-34\n\nchain     *KMC* 11sp"
    assert page.find("code", string="torque 5Nm") is not None
    assert "2*3*4 bolts" in page.get_text()


def test_discord_formatting_reads_as_discord_shows_it():
    page = rendered("discord")
    assert page.find("del").get_text() == "three-cross"
    assert page.find("u").get_text() == "really"
    assert page.select_one(".chatlog-spoiler").get_text() == "the rim was used"
    assert ":kekw:" in page.get_text() and ":spin:" in page.get_text() and "8012345" not in page.get_text()
    code = page.select_one("div.highlight pre code")
    assert code.get_text().rstrip("\n") == 'def tension(spoke):\n\n    return __name__ != "<b>"'
    assert page.find("blockquote").get_text() == "dish it first"
    assert [li.get_text() for li in page.select("ul li")] == ["true it", "dish it"]


def test_slack_formatting_reads_as_slack_shows_it():
    page = rendered("slack")
    assert page.find("strong").get_text() == "Tubeless"
    assert page.find("del").get_text() == "Tuesday"
    assert page.find("blockquote").get_text() == "bring sealant"
    assert page.select_one("div.highlight pre code").get_text().rstrip("\n") == "fill = 60 # ml\n\nseat_bead()"


@pytest.mark.parametrize("app", sorted(FIXTURES))
def test_convert_then_read_renders_the_same(app):
    conversation = link(read_file(str(FIXTURES[app])))
    again = link(parse(write_chat(conversation)))
    assert [m.text for m in again.messages] == [m.text for m in conversation.messages]
    assert str(render(again)) == str(render(conversation))


@pytest.mark.parametrize("app", sorted(FIXTURES))
def test_the_python_renderer_writes_what_the_templates_write(app, tmp_path):
    import shutil

    from pelican_chatlog.render import TEMPLATE_FOLDER

    conversation = link(read_file(str(FIXTURES[app])))
    copied = tmp_path / "templates"
    shutil.copytree(TEMPLATE_FOLDER, copied)
    assert str(render(conversation)) == str(render(conversation, template_folders=[str(copied)]))


def test_a_pelican_build_shows_the_blocks_and_marks(build_site):
    site = build_site({"lacing.discord.json": FIXTURES["discord"].read_bytes()})
    [post] = site.posts()
    page = site.page(post)
    assert page.select_one(".chatlog-message .chatlog-spoiler").get_text() == "the rim was used"
    assert page.select_one(".chatlog-message div.highlight span.k") is not None
    assert page.select_one(".chatlog-message u").get_text() == "really"
