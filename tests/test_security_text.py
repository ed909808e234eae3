"""Lost text: nothing anyone typed is dropped or altered on its way to the page.

A pasted chat whose first lines look like `Key: value` stays chat, control
characters that Python counts as white space stay text, and backslashes and
tabs are shown as typed.
"""

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, NavigableString

from pelican_chatlog import Message, link, parse, render
from pelican_chatlog.controls import visible_controls
from pelican_chatlog.pipeline import read_text
from pelican_chatlog.write import write_chat

STYLESHEET = Path(__file__).parent.parent / "pelican_chatlog" / "static" / "chatlog.css"


def kinds(conversation):
    return [
        (item.speaker.name, item.text) if isinstance(item, Message) else ("~", item.text)
        for item in conversation.items
    ]


def bodies(conversation):
    """Each message's own text: its <li> without the name, quotes, time and backlinks."""
    soup = BeautifulSoup(render(conversation), "html.parser")
    found = []
    for message in soup.select(".chatlog-message"):
        for time in message.find_all("time", recursive=False):
            before = time.previous_sibling
            if isinstance(before, NavigableString) and before.endswith(" "):  # the template's, before a time
                before.replace_with(before[:-1])
        for part in message.find_all(["b", "time", "blockquote", "p"], recursive=False):
            part.decompose()
        found.append(message.decode_contents())
    return found


# --- a paste is not a header ------------------------------------------------------


def test_author_editor_paste_keeps_both_lines_as_messages_and_warns():
    conversation = parse("Author: I sent you the draft\nEditor: thanks, got it\n")
    assert kinds(conversation) == [("Author", "I sent you the draft"), ("Editor", "thanks, got it")]
    assert conversation.metadata == {}
    [problem] = conversation.problems
    assert problem.line == 1
    assert "read as chat" in problem.message and "`Title:`" in problem.message


def test_author_editor_paste_in_a_site_keeps_the_post_author(build_site):
    site = build_site({"draft.chat": "Author: I sent you the draft\nEditor: thanks, got it\n"})
    page = (site.output / "draft.html").read_text(encoding="utf-8")
    assert "I sent you the draft" in BeautifulSoup(page, "html.parser").select_one(".chatlog").get_text()
    assert not (site.output / "author" / "i-sent-you-the-draft.html").exists()
    assert any("draft.chat:1: " in message and "read as chat" in message for message in site.messages())


def test_a_header_key_that_speaks_again_is_chat():
    conversation = parse("Author: draft attached\n\nDana: got it\nAuthor: good\n")
    assert kinds(conversation) == [("Author", "draft attached"), ("Dana", "got it"), ("Author", "good")]
    assert conversation.metadata == {}


def test_a_block_with_a_line_that_is_not_key_value_is_chat_not_an_error():
    conversation = parse("Author: draft attached\nthe photos too\n\nEditor: thanks\n")
    assert kinds(conversation) == [("Author", "draft attached\nthe photos too"), ("Editor", "thanks")]


def test_me_paste_reads_as_a_message_without_the_misleading_warning():
    conversation = parse("Me: hi\n")
    assert kinds(conversation) == [("Me", "hi")]
    assert conversation.metadata == {}
    assert not [p for p in conversation.problems if "names nobody" in p.message]
    assert [p.line for p in conversation.problems] == [1]


def test_title_forces_a_header_whatever_follows():
    conversation = parse("Title: Notes\nAuthor: Dana\nEditor: Marcus\nMe: hi\n\nDana: hi\nAuthor: again\n")
    assert conversation.metadata == {"title": "Notes", "author": "Dana", "editor": "Marcus", "me": "hi"}
    assert kinds(conversation) == [("Dana", "hi"), ("Author", "again")]


def test_a_header_that_cannot_be_chat_is_still_a_header():
    conversation = parse("Date: 2024-03-07\nMe: Marcus_R\n\nDana: hi\n[18:02] Marcus_R: yo\n")
    assert conversation.metadata == {"date": "2024-03-07", "me": "Marcus_R"}
    assert [speaker.side for speaker in conversation.speakers] == ["left", "right"]
    assert conversation.problems == []


# --- control characters are text, not white space -----------------------------------

WHITE_TO_PYTHON = ["\x1c", "\x1d", "\x1e", "\x1f", "\v", "\f", "\x85", "\u2028"]


@pytest.mark.parametrize("char", WHITE_TO_PYTHON, ids=lambda char: f"U+{ord(char):04X}")
@pytest.mark.parametrize("rest", ["two", "two *and* more"], ids=["plain", "markdown"])
def test_a_line_of_one_control_character_stays_in_its_message(char, rest):
    conversation = parse(f"Dana: one\n{char}\n{rest}\n")
    assert kinds(conversation) == [("Dana", f"one\n{char}\n{rest}")]
    [body] = bodies(conversation)
    assert visible_controls(char) in body


@pytest.mark.parametrize("char", WHITE_TO_PYTHON, ids=lambda char: f"U+{ord(char):04X}")
def test_control_characters_at_the_edges_of_a_body_are_shown(char):
    conversation = parse(f"Dana: {char}hi *there*{char}\x1f\n")
    assert kinds(conversation) == [("Dana", f"{char}hi *there*{char}\x1f")]
    [body] = bodies(conversation)
    shown = visible_controls(char)
    assert body.startswith(shown) and body.endswith(f"{shown}\u241f")


def test_trailing_control_characters_are_shown_as_pictures():
    [body] = bodies(parse("Dana: hi\x1f\x0b\n"))
    assert body == "hi\u241f\u240b"


@pytest.mark.parametrize(
    "export, format",
    [
        ("30/01/19, 20:49 - Jane: one\n{char}\ntwo{char}\n", "whatsapp"),
        ("[2019-12-24, 12:23] Jane: one\n{char}\ntwo{char}\n", "signal"),
    ],
)
@pytest.mark.parametrize("char", WHITE_TO_PYTHON, ids=lambda char: f"U+{ord(char):04X}")
def test_imported_lines_keep_their_control_characters(export, format, char):
    conversation = read_text(export.format(char=char), format=format)
    assert [message.text for message in conversation.messages] == [f"one\n{char}\ntwo{char}"]


@pytest.mark.parametrize("char", WHITE_TO_PYTHON, ids=lambda char: f"U+{ord(char):04X}")
def test_an_irc_line_of_one_control_character_is_kept(char):
    conversation = read_text(f"[12:34] <jane> hi\n{char}\n", format="irc")
    assert [item.text for item in conversation.items] == ["hi", char]


# --- backslashes and tabs are shown as typed ---------------------------------------


@pytest.mark.parametrize(
    "typed",
    [r"C:\temp\*.txt", r"a \*b\* c", r"two \\`code` backslashes", r"\_x_ and \[y]"],
)
def test_backslashes_are_shown_as_typed(typed):
    [body] = bodies(parse(f"Dana: {typed}\n"))
    assert BeautifulSoup(body, "html.parser").get_text().count("\\") == typed.count("\\")
    if typed.startswith("C:"):
        assert body == r"C:\temp\*.txt"


def test_tabs_survive_into_the_page():
    for typed in ("a\tb", "a\tb *c*\td", "`x\ty` and\t*z*"):
        conversation = parse(f"Dana: {typed}\n")
        [body] = bodies(conversation)
        assert body.count("\t") == typed.count("\t"), body


def test_the_stylesheet_shows_tabs_and_one_line_break_per_line():
    css = STYLESHEET.read_text(encoding="utf-8")
    # a message's text is the <li>'s own
    message_rules = re.findall(r"\.chatlog \.chatlog-message \{([^}]*)\}", css)
    assert any("white-space: pre-wrap" in rule and "tab-size" in rule for rule in message_rules)
    # pre-wrap shows the newline after each <br>, so the <br> itself is hidden
    assert re.search(r"\.chatlog \.chatlog-message br \{\s*display: none;\s*\}", css)


# --- importers keep plain text literal without backslashes --------------------------

TELEGRAM = {
    "name": "Maths",
    "messages": [
        {
            "id": 1,
            "type": "message",
            "date": "2019-01-30T20:49:00",
            "from": "Jane",
            "text": ["2*3*4 is _not_ [a link] ", {"type": "bold", "text": "24"}, r" C:\temp\*.txt"],
        },
        {"id": 2, "type": "message", "date": "2019-01-30T20:50:00", "from": "Bob", "text": "right",
         "reply_to_message_id": 1},
    ],
}
SHOWN = r"2*3*4 is _not_ [a link] 24 C:\temp\*.txt"


def test_telegram_plain_text_asterisks_render_literally_without_backslashes():
    conversation = link(read_text(json.dumps(TELEGRAM), format="telegram"))
    message, reply = conversation.messages
    assert "\\*" not in message.text and "\\_" not in message.text
    for chat in (conversation, parse(write_chat(conversation))):
        body, _ = bodies(chat)
        soup = BeautifulSoup(body, "html.parser")
        assert soup.get_text() == SHOWN
        assert [element.name for element in soup.find_all(True)] == ["strong"]
        quote = BeautifulSoup(render(chat), "html.parser").select(".chatlog-quote p")[-1]
        assert quote.get_text() == SHOWN  # a preview shows the text, not its marks (tests/test_rich_apps2.py)


def test_discord_content_keeps_its_backslashes():
    export = {
        "channel": {"name": "general"},
        "messages": [
            {
                "id": "1",
                "type": "Default",
                "timestamp": "2020-01-01T12:00:00+00:00",
                "author": {"name": "jane"},
                "content": r"see C:\temp\*.txt",
                "attachments": [{"fileName": "a_b_c.txt", "url": "https://example.org/a_b_c.txt"}],
            }
        ],
    }
    [body] = bodies(link(read_text(json.dumps(export), format="discord")))
    soup = BeautifulSoup(body, "html.parser")
    assert soup.get_text().startswith("see C:\\temp\\*.txt")
    assert "[file: a_b_c.txt]" in soup.get_text()


def test_a_key_that_speaks_is_a_header_when_the_block_declares_it_a_speaker():
    # found by the property test: a speaker called "Speakers", declared in `Speakers:`
    conversation = parse("Speakers: Author, Speakers\n\nAuthor: hi\nSpeakers: hello\n")
    assert [message.speaker.name for message in conversation.messages] == ["Author", "Speakers"]
    assert conversation.metadata["speakers"] == "Author, Speakers"
    assert not any("read as chat" in problem.message for problem in conversation.problems)
