"""The `.chat` header's values, read through Header's typed accessors."""

import pytest

from pelican_chatlog import ChatlogError
from pelican_chatlog.model import Conversation, Speaker
from pelican_chatlog.readers.header import apply_header, read_header
from pelican_chatlog.readers.lines import split_lines


def header_of(text):
    return read_header(split_lines(text + "\n\nDana: hi\n"))


def test_choice_is_lower_case_and_names_its_line_when_wrong():
    assert header_of("Title: T\nTimestamps: BEFORE").choice("timestamps", ("after", "before")) == "before"
    assert header_of("Title: T").choice("timestamps", ("after", "before")) is None
    with pytest.raises(ChatlogError, match=r"`Timestamps: now` must be one of after, before") as error:
        header_of("Title: T\nTimestamps: now").choice("timestamps", ("after", "before"))
    assert error.value.line == 2


@pytest.mark.parametrize("value, meaning", [("yes", True), (" On ", True), ("0", False), ("false", False)])
def test_yes_no(value, meaning):
    assert header_of(f"Title: T\nDay-first: {value}").yes_no("day-first") is meaning


def test_yes_no_names_its_line_when_neither():
    assert header_of("Title: T").yes_no("day-first") is None
    with pytest.raises(ChatlogError, match=r"`Day-first:` must be yes or no") as error:
        header_of("Title: T\nDay-first: maybe").yes_no("day-first")
    assert error.value.line == 2


def test_speaker_styles_in_order_and_checked():
    header = header_of("Title: T\nSpeakers: Marcus (side: right), Dana (color: #b03a5b)")
    assert header.speaker_styles() == {"Marcus": {"side": "right"}, "Dana": {"color": "#b03a5b"}}
    assert header_of("Title: T").speaker_styles() == {}
    with pytest.raises(ChatlogError, match="side must be left or right") as error:
        header_of("Title: T\nSpeakers: Dana (side: up)").speaker_styles()
    assert error.value.line == 2


def test_apply_header_puts_me_on_the_right_and_warns_of_nobody():
    header = header_of("Title: T\nMe: dana")
    conversation = Conversation(items=[], speakers=[Speaker(name="Dana")], problems=[])
    apply_header(conversation, header)
    assert conversation.speakers[0].side == "right"
    assert conversation.metadata == {"title": "T", "me": "dana"}
    apply_header(conversation, header, me="Eve")
    assert [(problem.line, problem.message) for problem in conversation.problems] == [
        (2, "`Me: Eve` names nobody who speaks in this chat")
    ]


def test_header_lines_count_from_first_line():
    header = read_header(["Title: T", "Date: 2024-03-05", "", "Dana: hi"], first_line=40)
    assert header.lines == {"title": 41, "date": 42}
    assert header.end == 2  # an index into the lines given
