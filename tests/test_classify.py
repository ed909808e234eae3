"""Classifying a `.chat` line is a pure function; the assembler builds the model.

`classify(line, context)` depends on the line and its LineContext only, and
returns plain data: the same line in the same context is the same event, and
its warnings travel in the event instead of landing in a list somewhere.
"""

import datetime

import pytest

from pelican_chatlog import ChatlogError
from pelican_chatlog.readers.chat import (
    Blank,
    ChatAssembler,
    Escaped,
    LineContext,
    MessageLine,
    QuoteLine,
    QuoteMore,
    Text,
    TimeLine,
    classify,
    escapes,
    escapes_in_quote,
    read_chat,
)
from pelican_chatlog.readers.header import read_header
from pelican_chatlog.readers.lines import split_lines
from pelican_chatlog.timestamps import parse_time

GUESSING = LineContext.of([])  # no `Speakers:`: names are guessed
DECLARED = LineContext.of(["Dana", "Marcus"])


@pytest.mark.parametrize(
    "line, context, event",
    [
        ("", GUESSING, Blank()),
        (" \t", GUESSING, Blank()),
        ("Tue 6:02 PM", GUESSING, TimeLine("Tue 6:02 PM", parse_time("Tue 6:02 PM"))),
        ("Dana: hi ", GUESSING, MessageLine("Dana", "hi")),
        ("[18:02] Dana: hi", GUESSING, MessageLine("Dana", "hi", "18:02", parse_time("18:02"))),
        ("Quoting Dana: “hi”", GUESSING, QuoteLine("Dana", "hi")),
        ("Quoting Dana: “hi” (message 3)", GUESSING, QuoteLine("Dana", "hi", 3)),
        ("> Dana: hi", GUESSING, QuoteLine("Dana", "hi")),
        ("> more of it", GUESSING.with_quote_open(), QuoteMore("more of it")),
        ("> more of it", GUESSING, Text("> more of it")),
        ("  indented prose  ", GUESSING, Text("  indented prose")),
        ("\\18:02", GUESSING, Escaped("18:02")),
        ("\\Dana: hi", GUESSING, Escaped("Dana: hi")),
        ("\\just text", GUESSING, Text("\\just text")),
        ("> \\Dana: hi", GUESSING.with_quote_open(), QuoteMore("Dana: hi")),
    ],
)
def test_each_kind_of_line(line, context, event):
    assert classify(line, context) == event


def test_the_same_line_in_the_same_context_is_the_same_event():
    known = {"dana", "marcus"}
    context = LineContext.of(["Dana", "Marcus"], known=known)
    lines = ["Dana: hi", "Eve: hi", "Tue 13:02 PM", "Quoting Marcus: “x”", "\\18:02", "Marcus:", "prose"]
    first = [classify(line, context) for line in lines]
    again = [classify(line, context) for line in reversed(lines)][::-1]
    assert first == again
    assert known == {"dana", "marcus"}  # the context's sets are read, never written
    assert context == LineContext.of(["Dana", "Marcus"], known={"dana", "marcus"})


def test_warnings_are_data_in_the_event():
    assert classify("Eve: hi", DECLARED) == Text(
        "Eve: hi", warnings=("'Eve' is not in `Speakers:`; the line is kept as text",)
    )
    assert classify("Tue 13:02 PM", GUESSING).warnings == (
        "'Tue 13:02 PM' looks like a time but cannot be read; kept as text",
    )
    assert classify("\\Tue 13:02 PM", GUESSING) == Text("\\Tue 13:02 PM")  # no time after the backslash
    assert classify("Dana: hi", DECLARED).warnings == ()


def test_a_bare_name_line_is_a_message_only_of_a_known_speaker():
    assert classify("Dana:", LineContext.of([], known={"dana"})) == MessageLine("Dana", "")
    assert classify("Dana:", GUESSING) == Text("Dana:")


def test_a_declared_name_with_a_colon_or_in_quotes_is_read_whole():
    context = LineContext.of(["A: B", "Bob (side: right)"])
    assert classify("A: B: hi", context) == MessageLine("A: B", "hi")
    assert classify('"Bob (side: right)": hi', context) == MessageLine("Bob (side: right)", "hi")


def test_the_writer_asks_the_classifier_what_needs_a_backslash():
    assert escapes("18:02", GUESSING)
    assert escapes("Dana: hi", GUESSING)
    assert escapes("", GUESSING)
    assert not escapes("just text", GUESSING)
    assert not escapes("> not a quote", GUESSING)
    assert escapes("> not a quote", GUESSING.with_quote_open())
    assert escapes_in_quote("Dana: hi", GUESSING)
    assert not escapes_in_quote("more", GUESSING)


def test_the_assembler_turns_warnings_into_problems_with_line_numbers():
    assembler = ChatAssembler(["Dana"], {})
    event = classify("Eve: hi", assembler.context())
    assert assembler.problems == []  # classifying adds no problem
    assembler.add(classify("Dana: hi", assembler.context()), 7)
    assembler.add(event, 8)
    conversation = assembler.finish()
    assert [(problem.line, problem.message) for problem in conversation.problems] == [
        (8, "'Eve' is not in `Speakers:`; the line is kept as text")
    ]
    assert conversation.messages[0].text == "hi\nEve: hi"


def test_the_context_follows_the_open_quote_and_the_speakers_so_far():
    assembler = ChatAssembler([], {})
    assert not assembler.context().quote_open
    assembler.add(classify("Quoting Dana: “hi”", assembler.context()), 1)
    assert assembler.context().quote_open
    assert "dana" in assembler.context().known
    assembler.add(classify("Marcus: yes", assembler.context()), 2)
    assert not assembler.context().quote_open


def test_read_chat_numbers_lines_from_first_line():
    lines = split_lines("Title: T\nSpeakers: Dana\n\nDana: hi\nEve: hi\nQuoting Dana: “nothing”\n")
    conversation = read_chat(lines, first_line=10)
    assert conversation.header_lines == {"title": 11, "speakers": 12}
    assert conversation.messages[0].line == 14
    assert [problem.line for problem in conversation.problems] == [15, 16]
    with pytest.raises(ChatlogError) as error:
        read_chat(split_lines("Title: T\nTimestamps: sometimes\n\nDana: hi\n"), first_line=10)
    assert error.value.line == 12


def test_read_chat_takes_a_header_read_already():
    lines = split_lines("Title: T\nMe: Dana\n\nDana: hi\n")
    header = read_header(lines)
    header.values["title"] = "Read once"
    conversation = read_chat(lines, header=header)
    assert conversation.metadata["title"] == "Read once"
    assert conversation.speakers[0].side == "right"


def test_before_mode_stamps_what_follows():
    conversation = read_chat(split_lines("Dana: a\n18:02\nDana: b\n"), timestamps="before")
    assert [message.time_text for message in conversation.messages] == ["", "18:02"]
    assert conversation.messages[1].parsed_time.clock == datetime.time(18, 2)  # the linker dates it
