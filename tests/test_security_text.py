"""Lost text: nothing anyone typed is dropped or altered on its way to the page.

A pasted chat whose first lines look like `Key: value` stays chat, control
characters that Python counts as white space stay text, and backslashes and
tabs are shown as typed.
"""

from bs4 import BeautifulSoup

from pelican_chatlog import Message, parse


def kinds(conversation):
    return [
        (item.speaker.name, item.text) if isinstance(item, Message) else ("~", item.text)
        for item in conversation.items
    ]


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
