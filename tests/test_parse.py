"""The chat format, rule by rule, through the public `parse()`."""

import datetime
import pickle

import pytest

from pelican_chatlog import Backlink, ChatlogError, Message, Narration, parse


def kinds(conversation):
    return [
        (item.speaker.name, item.text) if isinstance(item, Message) else ("~", item.text)
        for item in conversation.items
    ]


# --- header -----------------------------------------------------------------


def test_header_is_read_up_to_first_blank_line_custom_keys_included():
    conversation = parse("Title: Talk\nSeries: Shop talk\nImage: a.png\n\nDana: hi\n")
    assert conversation.metadata == {"title": "Talk", "series": "Shop talk", "image": "a.png"}
    assert kinds(conversation) == [("Dana", "hi")]


def test_file_starting_with_a_message_has_no_header():
    conversation = parse("Dana: hi\nMarcus: hello\n")
    assert conversation.metadata == {}
    assert kinds(conversation) == [("Dana", "hi"), ("Marcus", "hello")]


def test_header_continuation_lines_join_the_value():
    conversation = parse("Title: A\nSpeakers: Dana,\n    Marcus\n\nDana: hi\nMarcus: yo\n")
    assert [speaker.name for speaker in conversation.speakers] == ["Dana", "Marcus"]


def test_malformed_header_line_names_its_line():
    with pytest.raises(ChatlogError) as error:
        parse("Title: A\nthis is not a header\n\nDana: hi\n")
    assert error.value.line == 2
    assert "not `Key: value`" in str(error.value)


def test_duplicate_header_key_warns_and_keeps_the_first():
    conversation = parse("Title: First\nTitle: Second\n\nDana: hi\n")
    assert conversation.metadata["title"] == "First"
    assert [(p.line, "duplicate" in p.message) for p in conversation.problems] == [(2, True)]


def test_empty_file_is_an_error():
    with pytest.raises(ChatlogError, match="empty") as error:
        parse("\n  \n")
    assert error.value.line == 1


def test_header_without_chat_is_an_error():
    with pytest.raises(ChatlogError, match="not followed by any chat") as error:
        parse("Title: Only a header\nDate: 2024-03-03\n")
    assert error.value.line == 2


def test_bad_header_date_is_an_error_on_its_line():
    with pytest.raises(ChatlogError, match="not a date") as error:
        parse("Title: A\nDate: someday\n\nDana: hi\n")
    assert error.value.line == 2


def test_bad_timestamps_mode_is_an_error():
    with pytest.raises(ChatlogError, match="after, before") as error:
        parse("Timestamps: sideways\n\nDana: hi\n")
    assert error.value.line == 1


# --- speakers and messages --------------------------------------------------


def test_names_with_spaces_digits_underscores_dots_and_dashes():
    text = "Marcus_R: a\nDr. Ada Lee: b\nuser-42: c\nJ.R. Smith-Jones: d\n"
    assert [name for name, _ in kinds(parse(text))] == [
        "Marcus_R",
        "Dr. Ada Lee",
        "user-42",
        "J.R. Smith-Jones",
    ]


def test_prose_with_a_colon_is_narration_not_a_message():
    text = (
        "Dana: hi\n\n"
        "The reason is simple: we ran out of time.\n\n"
        "See https://example.com for details\n"
    )
    assert kinds(parse(text)) == [
        ("Dana", "hi"),
        ("~", "The reason is simple: we ran out of time."),
        ("~", "See https://example.com for details"),
    ]


def test_declared_speakers_win_over_guessing():
    text = "Speakers: Dana, o'Brien the Elder\n\nDana: hi\no'Brien the Elder: hello\n\nNote: aside\n"
    conversation = parse(text)
    assert kinds(conversation) == [
        ("Dana", "hi"),
        ("o'Brien the Elder", "hello"),
        ("~", "Note: aside"),
    ]
    assert any(p.line == 6 and "not in `Speakers:`" in p.message for p in conversation.problems)


def test_same_speaker_in_another_case_is_one_speaker_in_first_spelling():
    conversation = parse("Dana: hi\ndana: again\nDANA: third\n")
    assert [speaker.name for speaker in conversation.speakers] == ["Dana"]
    assert {message.speaker.name for message in conversation.messages} == {"Dana"}


def test_declared_spelling_wins():
    conversation = parse("Speakers: DJ Koko\n\ndj koko: hi\n")
    assert conversation.messages[0].speaker.name == "DJ Koko"


def test_lines_directly_under_a_message_continue_it_with_line_breaks():
    conversation = parse("Dana: first line\nsecond line\n  indented third\n\nafter a blank\n")
    assert kinds(conversation) == [
        ("Dana", "first line\nsecond line\n  indented third"),
        ("~", "after a blank"),
    ]


def test_message_lines_record_their_source_line():
    conversation = parse("Title: A\n\nDana: hi\n\nMarcus: yo\n")
    assert [message.line for message in conversation.messages] == [3, 5]


def test_ids_are_unique_anchors():
    conversation = parse("Dana: a\nDana: b\nMarcus: c\n")
    ids = [message.id for message in conversation.messages]
    assert len(set(ids)) == 3 and all(ids)


def test_me_speaker_sits_on_the_right():
    conversation = parse("Me: marcus\n\nDana: hi\nMarcus: yo\n")
    sides = {speaker.name: speaker.side for speaker in conversation.speakers}
    assert sides == {"Dana": "left", "Marcus": "right"}


def test_me_naming_nobody_warns():
    conversation = parse("Me: Zed\n\nDana: hi\n")
    assert any("Zed" in problem.message and problem.line == 1 for problem in conversation.problems)


# --- time lines -------------------------------------------------------------


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Tue 6:02 PM", datetime.datetime(2024, 3, 5, 18, 2)),
        ("6:02 PM", datetime.datetime(2024, 3, 7, 18, 2)),
        ("18:02", datetime.datetime(2024, 3, 7, 18, 2)),
        ("Yesterday 6:02 PM", datetime.datetime(2024, 3, 6, 18, 2)),
        ("Mar 3, 2024, 6:02 PM", datetime.datetime(2024, 3, 3, 18, 2)),
        ("2024-03-03 18:02", datetime.datetime(2024, 3, 3, 18, 2)),
        ("Mar 3, 6:02 PM", datetime.datetime(2024, 3, 3, 18, 2)),
        ("Dec 30, 6:02 PM", datetime.datetime(2023, 12, 30, 18, 2)),
    ],
)
def test_time_line_formats_resolve_against_the_header_date(line, expected):
    # 2024-03-07 is a Thursday: "Tue" is two days earlier.
    conversation = parse(f"Date: 2024-03-07\n\nDana: hi\n{line}\n")
    message = conversation.messages[0]
    assert message.time == expected
    assert message.time_text == line


def test_without_a_date_bare_times_are_times():
    message = parse("Dana: hi\nTue 6:02 PM\n").messages[0]
    assert message.time == datetime.time(18, 2)


def test_explicit_date_argument_overrides_the_header():
    message = parse("Date: 2024-03-07\n\nDana: hi\nYesterday 9:00\n", date=datetime.date(2025, 1, 2)).messages[0]
    assert message.time == datetime.datetime(2025, 1, 1, 9, 0)


def test_a_time_line_stamps_every_unstamped_message_before_it():
    conversation = parse("Dana: a\nDana: b\n6:01 PM\nMarcus: c\n6:05 PM\n")
    assert [message.time for message in conversation.messages] == [
        datetime.time(18, 1),
        datetime.time(18, 1),
        datetime.time(18, 5),
    ]


def test_timestamps_before_flips_the_direction():
    text = "Timestamps: before\n\n6:01 PM\nDana: a\nDana: b\n6:05 PM\nMarcus: c\n"
    assert [m.time for m in parse(text).messages] == [
        datetime.time(18, 1),
        datetime.time(18, 1),
        datetime.time(18, 5),
    ]


def test_prefixed_times_stamp_their_own_message():
    conversation = parse("[18:02] Dana: hi\n[18:05] Marcus: hello\n")
    assert kinds(conversation) == [("Dana", "hi"), ("Marcus", "hello")]
    assert [m.time for m in conversation.messages] == [datetime.time(18, 2), datetime.time(18, 5)]


def test_weekdays_resolve_to_the_latest_such_day_and_keep_order():
    text = "Date: 2024-03-07\n\nDana: a\nMon 11:50 PM\nDana: b\n12:10 AM\nDana: c\nThu 8:00 AM\n"
    times = [m.time for m in parse(text).messages]
    assert times == [
        datetime.datetime(2024, 3, 4, 23, 50),
        datetime.datetime(2024, 3, 5, 0, 10),  # a bare time after midnight rolls over
        datetime.datetime(2024, 3, 7, 8, 0),
    ]
    assert [m.text for m in parse(text).messages] == ["a", "b", "c"]


def test_time_line_stamping_nothing_is_kept_as_narration_with_a_warning():
    conversation = parse("6:00 PM\nDana: hi\n6:02 PM\n")
    assert kinds(conversation)[0] == ("~", "6:00 PM")
    assert any(problem.line == 1 for problem in conversation.problems)


def test_tz_aware_date_gives_aware_times():
    date = datetime.datetime(2024, 3, 7, tzinfo=datetime.timezone.utc)
    message = parse("Dana: hi\nTue 6:02 PM\n", date=date).messages[0]
    assert message.time.tzinfo is datetime.timezone.utc


# --- quotes -----------------------------------------------------------------


def test_quote_links_loosely_to_the_latest_earlier_message_of_that_speaker():
    text = (
        "Dana: We found out when someone tried to sign it out.\n"
        "Marcus: ok\n"
        "Dana: We found out when someone tried to sign it out.\n"
        "Quoting DANA:   “we found   out when someone tried to sign it out”!\n"
        "Marcus: That's the real problem\n"
    )
    conversation = parse(text)
    reply = conversation.messages[3]
    (quote,) = reply.quotes
    assert quote.speaker.name == "Dana"
    assert quote.text == "we found   out when someone tried to sign it out!"
    assert quote.target is conversation.messages[2]
    assert conversation.messages[2].quoted_by == [Backlink(reply.id, reply.speaker)]
    assert not conversation.messages[0].quoted_by


@pytest.mark.parametrize(
    "quote_line",
    [
        'Quoting dana: "I\'ll bring the pump"',
        "Quoting dana: I'll bring the pump",
        "Quoting dana: ‘I’ll bring the pump.’",
        "> Dana: I’ll bring the pump...",
    ],
)
def test_quote_styles(quote_line):
    conversation = parse(f"Dana: I'll bring the pump.\n{quote_line}\nMarcus: thanks\n")
    assert conversation.messages[1].quotes[0].target is conversation.messages[0]


def test_arrow_quote_may_run_over_several_lines():
    text = "Dana: line one\nline two\n> Dana: line one\n> line two\nMarcus: got it\n"
    quote = parse(text).messages[1].quotes[0]
    assert quote.text == "line one\nline two"
    assert quote.target is not None


def test_time_line_right_after_a_quote_stamps_the_quote():
    text = "Dana: sign it out\n6:26 PM\nQuoting dana: “sign it out”\n6:30 PM\nMarcus: yes\n6:31 PM\n"
    reply = parse(text).messages[1]
    assert reply.quotes[0].time == datetime.time(18, 30)
    assert reply.time == datetime.time(18, 31)


def test_unresolved_quote_warns_with_its_line_and_stays_unlinked():
    conversation = parse("Dana: hi\nQuoting Dana: “never said”\nMarcus: what?\n")
    quote = conversation.messages[1].quotes[0]
    assert quote.target is None
    assert [(p.line, "not found" in p.message) for p in conversation.problems] == [(2, True)]


def test_quote_of_a_later_message_is_not_linked_and_says_so():
    conversation = parse("Quoting Dana: “later”\nMarcus: hm\nDana: later\n")
    assert conversation.messages[0].quotes[0].target is None
    assert "later message (line 3)" in conversation.problems[0].message


def test_quote_followed_by_no_message_is_kept_as_narration():
    conversation = parse("Dana: hi\nQuoting Dana: “hi”\n")
    assert kinds(conversation)[-1] == ("~", "Quoting Dana: “hi”")
    assert conversation.problems


# --- narration and the whole model ------------------------------------------


def test_other_lines_are_narration_in_source_order():
    text = "My Blog\n\nDana: hi\n\n2 thoughts on “Hi”\n\nLeave a comment\n"
    assert kinds(parse(text)) == [
        ("~", "My Blog"),
        ("Dana", "hi"),
        ("~", "2 thoughts on “Hi”"),
        ("~", "Leave a comment"),
    ]


def test_crlf_cr_and_bom_read_like_lf():
    expected = kinds(parse("Dana: a\nb\nMarcus: c\n"))
    assert kinds(parse("\ufeffDana: a\r\nb\r\nMarcus: c\r\n")) == expected
    assert kinds(parse("Dana: a\rb\rMarcus: c\r")) == expected


def test_model_pickles_with_links_intact_even_for_long_quote_chains():
    lines = ["Dana: step 0"]
    for step in range(1, 3000):
        lines += [f"Quoting Dana: step {step - 1}", f"Dana: step {step}"]
    conversation = parse("\n".join(lines))
    restored = pickle.loads(pickle.dumps(conversation))
    messages = restored.messages
    assert len(messages) == 3000
    assert messages[5].quotes[0].target is messages[4]
    assert messages[4].quoted_by == [Backlink(messages[5].id, messages[5].speaker)]
    assert messages[5].speaker is restored.speakers[0]
    # the original is untouched by pickling
    assert conversation.messages[5].quotes[0].target is conversation.messages[4]


def test_speakers_have_slug_colour_and_side():
    conversation = parse("Dana: hi\nMarcus_R: yo\n")
    dana, marcus = conversation.speakers
    assert (dana.slug, marcus.slug) == ("dana", "marcus-r")
    assert dana.color != marcus.color
    assert all(s.color.startswith("#") for s in conversation.speakers)
    # no `Me:`: the second of two speakers sits on the right
    assert (dana.side, marcus.side) == ("left", "right")
    assert all(isinstance(item, (Message, Narration)) for item in conversation.items)
