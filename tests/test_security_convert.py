"""`convert` writes what it read, for any names and text; bad settings and
export entries are told apart from our own mistakes.

The properties read an export in each app's own shape (random Unicode names
and texts, with pieces of our format mixed in) into conversation A, write A
as a `.chat` post, read that back into B, and require B to be A: speakers,
every message's speaker, text, time and quotes (speaker, text and the
message each links to), and narration.
"""

from __future__ import annotations

import datetime
import json
import logging

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pelican_chatlog import ChatlogError, Message, link, parse
from pelican_chatlog.readers import FORMATS
from pelican_chatlog.pipeline import decode
from pelican_chatlog.readers import chat as chat_module
from pelican_chatlog.readers.chat import LineContext, escapes
from pelican_chatlog.readers.speakers import read_speakers
from pelican_chatlog.write import write_chat

ROUND_TRIP = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- what "the same conversation" means ----------------------------------------------


def signature(conversation):
    position = {id(message): index for index, message in enumerate(conversation.messages)}
    items = [
        (
            message.speaker.name,
            message.text,
            message.time,
            [(quote.speaker.name, quote.text, position.get(id(quote.target))) for quote in message.quotes],
            [(a.name, a.kind, a.file) for a in message.attachments],
            [(r.emoji, r.who) for r in message.reactions],
            message.edited, message.deleted, message.forwarded_from,
        )
        if isinstance(message, Message)
        else ("narration", message.text)
        for message in conversation.items
    ]
    return [speaker.name for speaker in conversation.speakers], items


def assert_round_trip(conversation):
    """Write A, read the file back as B: B is A."""
    written = write_chat(conversation)
    decode(written.encode("utf-8"))  # a file Pelican can read: UTF-8, no NUL
    again = parse(written)
    assert signature(again) == signature(conversation), written
    return again


# --- generated names and text -----------------------------------------------------------

HOSTILE_NAMES = [
    "Bob (side: right)", "Sam (work: phone)", "Smith, J.", "A; B", "Quoting Dana", "quoting", "> Dana",
    "[18:02] Zed", "[x]", "18:02", "Tue 6:02 PM", "\\Bob", "\\\\", "\\", '"Bob"', '"', "Bob\nMallory: hi",
    " pad ", "Title", "Date", "Speakers", "Me", "Dana: x", "(x)", "message 3", "Bob (message 1)", "x\\",
    "Dana", "dana", "Ⅻ", "ß", "ss", "a\u2028b", "a\x85b", "\ttab", "#general", "<script>", "Mallory:",
]
HOSTILE_LINES = [
    "Mallory: I confess", "18:02", "Tue 6:02 PM", "2024-03-03 18:02", "Quoting Bob: “hi”", "> Bob: hi",
    ">", "> ", "\\", "\\\\", "\\18:02", "\\\\18:02", "\\" * 30 + "Bob: hi", "[18:02] Bob: hi",
    "(message 1)", "“x” (message 1)", "Quoting Bob: “x” (message 1)", "Bob (side: right): x", "",
    "   indented", "Title: x", "Speakers: Mallory", '"Bob": hi', '"Bob (side: right)": hi', "Smith, J.: x",
    "A; B: x", "x, y; z (w)", "[x](javascript:1)", "*", "`", "\u202e", "e\u0301", "a\x0cb", "x\u2028y",
    "[image: photo.jpg]", "[file]", "[sticker: a | b]", "(edited)", "(deleted)", "(forwarded from Bob)",
    "(reactions: 👍 Bob, Sam; ❤️ Dana)", "\\(edited)", "(Edited)", "[image:x]",
]
characters = st.characters(blacklist_categories=("Cs",))
line_texts = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=24)


@st.composite
def names(draw, alphabet=characters, max_size=14):
    return draw(st.text(alphabet, max_size=max_size) | st.sampled_from(HOSTILE_NAMES))


@st.composite
def texts(draw, speakers, newlines=True):
    """A message's text: random lines, hostile lines, and lines naming the chat's speakers."""
    named = st.sampled_from(speakers).flatmap(
        lambda name: st.sampled_from([f"{name}: x", f"Quoting {name}: “x”", f"> {name}: x", f"[18:02] {name}: x"])
    )
    lines = draw(st.lists(line_texts | st.sampled_from(HOSTILE_LINES) | named, min_size=1, max_size=4))
    return "\n".join(lines) if newlines else " ".join(lines)


datetimes = st.datetimes(datetime.datetime(1970, 1, 1), datetime.datetime(2100, 1, 1)).map(
    lambda when: when.replace(microsecond=0)
)


def line_of(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ")


# --- one property per importer ----------------------------------------------------------


@st.composite
def telegram_exports(draw):
    speakers = draw(st.lists(names(), min_size=1, max_size=4))
    entries = []
    for number in range(1, draw(st.integers(1, 7)) + 1):
        when = draw(datetimes)
        if draw(st.integers(0, 5)) == 0:
            entries.append({"id": number, "type": "service", "date": when.isoformat(), "actor": draw(names()),
                            "action": "invite_members", "members": draw(st.lists(names(), max_size=2)),
                            "title": draw(st.sampled_from(["", "Bikes\nMallory: hi"]))})
            continue
        text = draw(texts(speakers))
        if draw(st.booleans()):  # rich text: strings and entities
            text = [text, {"type": "bold", "text": draw(texts(speakers))}, {"type": "code", "text": "a`b"},
                    {"type": "text_link", "text": "the notes", "href": "https://example.org/a_(b)"}]
        entry = {"id": number, "type": "message", "date": when.isoformat(), "from": draw(st.sampled_from(speakers)),
                 "text": text}
        if number > 1 and draw(st.booleans()):
            entry["reply_to_message_id"] = draw(st.integers(1, number))  # itself or earlier, or a service entry
        if draw(st.integers(0, 6)) == 0:
            entry["photo"] = "photos/a (1).jpg"
        entries.append(entry)
    return json.dumps({"name": draw(names()), "type": "private_group", "id": 1, "messages": entries})


@st.composite
def slack_exports(draw):
    speakers = draw(st.lists(names().filter(bool), min_size=1, max_size=4))
    entries, stamps = [], []
    for number in range(draw(st.integers(1, 7))):
        ts = f"{draw(st.integers(0, 4 * 10**9))}.{number:06d}"
        text = draw(texts(speakers)).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        profile = {"real_name": draw(st.sampled_from(speakers))}
        entry = {"type": "message", "user": f"U{number}", "user_profile": profile, "text": text, "ts": ts}
        if stamps and draw(st.booleans()):
            entry["thread_ts"] = draw(st.sampled_from(stamps))
        if draw(st.integers(0, 5)) == 0:
            entry["subtype"] = "channel_join"
        if draw(st.integers(0, 5)) == 0:
            entry["files"] = [{"name": draw(names()), "url_private": "https://files.example/a"}]
        stamps.append(ts)
        entries.append(entry)
    return json.dumps(entries)


@st.composite
def discord_exports(draw):
    speakers = draw(st.lists(names(), min_size=1, max_size=4))
    entries = []
    for number in range(draw(st.integers(1, 7))):
        when = draw(datetimes)
        entry = {"id": str(100 + number), "type": draw(st.sampled_from(["Default", "Reply", "ChannelPinnedMessage"])),
                 "timestamp": when.isoformat() + ".1234567+00:00", "content": draw(texts(speakers)),
                 "author": {"id": "1", "name": draw(st.sampled_from(speakers)),
                            "nickname": draw(st.none() | st.sampled_from(speakers))},
                 "attachments": [], "stickers": []}
        if number and draw(st.booleans()):
            entry["reference"] = {"messageId": str(100 + draw(st.integers(0, number)))}
        if draw(st.integers(0, 5)) == 0:
            entry["attachments"] = [{"fileName": draw(names()), "url": "https://cdn.example/a.png"}]
        entries.append(entry)
    return json.dumps({"channel": {"id": "2", "name": draw(names())}, "messages": entries})


# Line-based exports cannot hold a line break in a name, nor the characters that end one.
LINE_NAME = st.characters(blacklist_categories=("Cs",), blacklist_characters='\r\n:"“”')


@st.composite
def whatsapp_exports(draw):
    speakers = draw(st.lists(names(LINE_NAME).map(line_of).filter(lambda name: 0 < len(name) <= 80),
                             min_size=1, max_size=4))
    lines = []
    for _ in range(draw(st.integers(1, 7))):
        when = draw(datetimes.filter(lambda when: when.year >= 2000))
        stamp = draw(st.sampled_from([f"{when:%d/%m/%Y, %H:%M} - ", f"[{when:%d/%m/%y, %H:%M:%S}] "]))
        first, *more = draw(texts(speakers)).split("\n")
        if draw(st.integers(0, 5)) == 0:
            lines.append(f"{stamp}{draw(st.sampled_from(speakers))} added Mallory")
        else:
            lines.append(f"{stamp}{draw(st.sampled_from(speakers))}: {first}")
            lines.extend(more)
    return "\n".join(lines)


@st.composite
def signal_exports(draw):
    speakers = draw(st.lists(names(LINE_NAME).map(line_of).filter(lambda name: 0 < len(name) <= 80),
                             min_size=1, max_size=4))
    lines = []
    for _ in range(draw(st.integers(1, 7))):
        when = draw(datetimes)
        first, *more = draw(texts(speakers)).split("\n")
        lines.append(f"[{when:%Y-%m-%d}, {when:%H:%M}] {draw(st.sampled_from(speakers))}: {first}")
        lines.extend(more)
    return "\n".join(lines)


@st.composite
def irc_exports(draw):
    nick_characters = st.characters(blacklist_categories=("Cs", "Zs", "Zl", "Zp", "Cc"), blacklist_characters=">")
    nicks = draw(st.lists(st.text(nick_characters, min_size=1, max_size=10)
                          | st.sampled_from(["\\o/", "[x]", "Quoting", "18:02", '"a"', "a,b;c", "(x)"]),
                          min_size=1, max_size=4))
    iso = draw(st.booleans())
    lines = []
    for number in range(draw(st.integers(1, 7))):
        when = draw(datetimes)
        stamp = when.isoformat() + " " if iso else f"[{when:%H:%M}]"
        kind = draw(st.integers(0, 6))
        if kind == 0:
            lines.append(f"{stamp} * {draw(st.sampled_from(nicks))} waves")
        elif kind == 1 and not iso:
            lines.append(f"--- Day changed {when:%a %b %d %Y}")
        else:
            lines.append(f"{stamp} <{draw(st.sampled_from(nicks))}> {draw(texts(nicks, newlines=False))}")
    return "\n".join(lines)


EXPORTS = {
    "telegram": telegram_exports(),
    "slack": slack_exports(),
    "discord": discord_exports(),
    "whatsapp": whatsapp_exports(),
    "signal": signal_exports(),
    "irc": irc_exports(),
}


def read_export(name: str, export: str):
    return link(FORMATS[name].read(export))


@ROUND_TRIP
@given(st.data())
@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_every_export_converts_to_the_same_conversation(name, data):
    conversation = read_export(name, data.draw(EXPORTS[name]))
    assert_round_trip(conversation)


# --- and our own format -----------------------------------------------------------------


MARK_NAME = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters=",;| "),
                    min_size=1, max_size=8)
mark_lines = st.one_of(
    st.tuples(st.sampled_from(["image", "video", "audio", "file", "sticker"]), line_texts, st.none() | MARK_NAME).map(
        lambda mark: f"[{mark[0]}: {mark[1]}" + (f" | {mark[2]}]" if mark[2] else "]")),
    st.sampled_from(["(edited)", "(deleted)", "[file]"]),
    MARK_NAME.map(lambda name: f"(forwarded from {name})"),
    st.lists(st.tuples(MARK_NAME, st.lists(MARK_NAME, max_size=3)), min_size=1, max_size=3).map(
        lambda groups: "(reactions: " + "; ".join(" ".join([emoji, ", ".join(who)]).strip() for emoji, who in groups)
        + ")"),
)


@st.composite
def chat_posts(draw):
    """A `.chat` post: declared names in quotes, messages, quotes, narration, time lines."""
    speakers = draw(st.lists(names(), min_size=1, max_size=4, unique_by=str.casefold))
    dated = draw(st.booleans())
    # without a Date, a time that names no day after one that does is read with that day;
    # written back as it was read, it would be a different time
    times = st.sampled_from(["18:02", "2024-03-03 18:02", "9:15 AM"]
                            + (["Tue 6:02 PM", "Mar 3, 6:02 PM", "Yesterday 6:02 PM"] if dated else []))
    lines = [f"Title: {draw(line_texts)}"] + (["Date: 2024-03-07"] if dated else [])
    lines += ["Speakers: " + ", ".join(json.dumps(name) for name in speakers), ""]
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.integers(0, 6))
        name = json.dumps(draw(st.sampled_from(speakers)))
        if kind == 0:
            lines += ["", draw(line_texts), ""]
        elif kind == 1:
            lines.append(draw(times))
        elif kind == 2:
            lines.append(f"Quoting {name}: “{draw(line_texts)}”")
            lines += [f"> {line}" for line in draw(st.lists(line_texts, max_size=2))]
        else:
            prefix = f"[{draw(times)}] " if draw(st.booleans()) else ""
            first, *more = draw(texts(speakers)).split("\n")
            lines.append(f"{prefix}{name}: {first}")
            lines += more
            lines += draw(st.lists(mark_lines, max_size=3))  # what the message carries besides its text
    # a quote no message follows becomes narration rebuilt from the quote, whose
    # lines may end in spaces that no line can keep: so a message ends the post
    lines.append(f"{json.dumps(speakers[0])}: bye")
    return "\n".join(lines).replace("\x00", "\u2400") + "\n"  # no text file holds NUL


@ROUND_TRIP
@given(chat_posts())
def test_a_chat_post_converts_to_the_same_conversation(post):
    try:
        conversation = parse(post)
    except ChatlogError:
        assume(False)
    assert_round_trip(conversation)


# --- F7: names and titles that forged or broke the written post -------------------------


def telegram(title, *entries):
    messages = [
        {"id": number, "type": "message", "date": f"2019-01-30T20:{number:02d}:00", "from": name, "text": text}
        for number, (name, text) in enumerate(entries, start=1)
    ]
    return read_export("telegram", json.dumps({"name": title, "messages": messages}))


def test_a_title_cannot_add_a_message():
    conversation = telegram("Bikes\n\nMallory: I confess", ("Dana", "hi"))
    written = write_chat(conversation)
    assert written.startswith("Title: Bikes Mallory: I confess\n")
    assert [(m.speaker.name, m.text) for m in parse(written).messages] == [("Dana", "hi")]


@pytest.mark.parametrize(
    "names",
    [
        ["Bob (side: right)", "Bob"],  # was declared as "Bob", styled right
        ["Sam (work: phone)"],  # was an unknown option: the post could not be read
        ["Smith, J.", "A; B", "A", "B"],  # were split at the separators
        ["Bob\nMallory: hi", "Mallory"],
        [" pad ", "pad", "[18:02] Zed", "\\Bob", '"Bob"', "Bob"],
    ],
)
def test_any_sender_name_reads_back_as_that_speaker(names):
    conversation = telegram("Chat", *((name, f"I am {name!r}") for name in names))
    again = assert_round_trip(conversation)
    assert [speaker.name for speaker in again.speakers] == names
    # no name gives its speaker a side (the second of two sits right by the side rule)
    guessed = again.speakers[1] if len(again.speakers) == 2 else None
    assert all(speaker.side == "left" for speaker in again.speakers if speaker is not guessed)


def test_a_quoted_name_in_speakers_takes_options_and_escapes():
    declared = read_speakers(r'"Bob (side: right)" (side: right), "Smith, J.; \"Jr\"", "a\\b\nc", Dana')
    assert declared == {"Bob (side: right)": {"side": "right"}, 'Smith, J.; "Jr"': {}, "a\\b\nc": {}, "Dana": {}}
    assert read_speakers("Smith, J.; Bob") == {"Smith, J.": {}, "Bob": {}}  # as before


def test_a_quote_names_the_message_its_text_would_not_find():
    # Bob says "hi" twice; Dana replies to the first one
    export = {"name": "x", "messages": [
        {"id": 1, "type": "message", "date": "2019-01-30T20:01:00", "from": "Bob", "text": "hi"},
        {"id": 2, "type": "message", "date": "2019-01-30T20:02:00", "from": "Bob", "text": "hi"},
        {"id": 3, "type": "message", "date": "2019-01-30T20:03:00", "from": "Dana", "text": "yes",
         "reply_to_message_id": 1},
    ]}
    conversation = read_export("telegram", json.dumps(export))
    written = write_chat(conversation)
    assert "Quoting Bob: “hi” (message 1)\n" in written
    again = parse(written)
    assert again.messages[2].quotes[0].target is again.messages[0]


def test_a_quote_of_a_message_not_yet_said_is_a_warning():
    conversation = parse("Dana: hi\nQuoting Dana: “hi” (message 2)\nBob: yo\n")
    assert conversation.messages[1].quotes[0].target is conversation.messages[0]  # found by its text
    assert any("a quote of message 2, which does not come before it" in p.message for p in conversation.problems)


# --- F6: many speakers, many backslashes ---------------------------------------------


def test_more_than_a_thousand_declared_speakers_is_a_warning():
    names = [f"S{number}" for number in range(1, 1202)]
    conversation = parse("Speakers: " + ", ".join(names) + "\n\nS1: hi\n")
    assert len(conversation.speakers) == 1201
    assert any("more than 1,000 speakers" in p.message for p in conversation.problems)


def test_an_export_of_more_than_a_thousand_senders_converts():
    conversation = telegram("Crowd", *((f"S{number}", "hi") for number in range(1, 1202)))
    assert_round_trip(conversation)


@pytest.mark.parametrize("text", ["\\" * 5000, "\\" * 5000 + "18:02", "\\ " * 3000 + "Dana: hi"])
def test_a_line_of_thousands_of_backslashes_reads_and_writes(text):
    conversation = parse(f"Dana: hi\n{text}\n\\{text}\n")
    assert conversation.messages[0].text.split("\n")[2] == text  # kept by its escape
    assert_round_trip(conversation)


def test_only_the_last_backslashes_before_a_name_are_tried(monkeypatch):
    tried = [0]
    match_message = chat_module.match_message

    def counting_match_message(line, context):
        tried[0] += 1
        return match_message(line, context)

    monkeypatch.setattr(chat_module, "match_message", counting_match_message)
    context = LineContext.of(["\\\\Bob", "Dana"])
    assert escapes("\\" * 10_000 + "Bob: hi", context)  # `\\Bob: hi` is a message of `\\Bob`
    assert tried[0] <= 5
    tried[0] = 0
    assert not escapes("\\" * 10_000 + "Eve: hi", context)
    assert tried[0] <= 5


# --- F9: settings and export entries of the wrong shape ------------------------------


def test_chatlog_speakers_of_the_wrong_shape_is_a_clear_error():
    with pytest.raises(ChatlogError, match=r"CHATLOG_SPEAKERS\['Dana'\] must be a dict of options"):
        parse("Dana: hi\n", speaker_styles={"Dana": "red"})
    with pytest.raises(ChatlogError, match=r"CHATLOG_SPEAKERS must be a dict"):
        parse("Dana: hi\n", speaker_styles=["Dana"])


def test_chatlog_speakers_of_the_wrong_shape_names_the_setting_in_the_build(build_site):
    site = build_site({"talk.chat": "Title: Talk\n\nDana: hi\n"}, CHATLOG_SPEAKERS={"Dana": "red"})
    assert any("CHATLOG_SPEAKERS['Dana'] must be a dict of options" in m for m in site.messages(logging.ERROR))


@pytest.mark.parametrize(
    "name, entry",
    [
        ("telegram", {"id": 2, "type": "message", "from": "Dana", "text": 5}),
        ("telegram", {"id": 2, "type": "message", "from": "Dana", "text": [["nested"]]}),
        ("telegram", {"id": 2, "type": "message", "from": "Dana", "text": "x", "reply_to_message_id": [1]}),
        ("telegram", {"id": [2], "type": "message", "from": "Dana", "text": "x"}),
        ("telegram", {"id": 2, "type": "service", "members": 3}),
        ("discord", {"id": "2", "type": "Default", "author": "Dana", "content": "x"}),
        ("discord", {"id": "2", "type": "Default", "author": {"name": "D"}, "attachments": ["a.png"]}),
        ("discord", {"id": "2", "type": "Default", "author": {"name": "D"}, "reference": {"messageId": {}}}),
        ("slack", {"type": "message", "user": ["U1"], "text": "x", "ts": "1.0"}),
        ("slack", {"type": "message", "user": "U1", "user_profile": "Dana", "text": "x", "ts": "1.0"}),
        ("slack", {"type": "message", "user": "U1", "text": "x", "ts": "1.0", "files": [None]}),
        ("slack", {"type": "message", "user": "U1", "text": "x", "ts": "1.0", "subtype": ["x"]}),
    ],
)
def test_an_entry_unlike_the_apps_is_a_warning(name, entry):
    wrapped = {
        "telegram": lambda: {"name": "x", "messages": [entry]},
        "discord": lambda: {"channel": {"name": "x"}, "messages": [entry]},
        "slack": lambda: [entry],
    }[name]()
    conversation = FORMATS[name].read(json.dumps(wrapped))
    assert [p.message for p in conversation.problems if "unlike what" in p.message]
    assert conversation.messages == []


def test_a_mistake_of_ours_in_reading_an_entry_raises(monkeypatch):
    from pelican_chatlog.readers import telegram as telegram_module

    def broken(builder, entry, line, by_id):
        return entry["no such key"]

    monkeypatch.setattr(telegram_module, "read_entry", broken)
    export = json.dumps({"name": "x", "messages": [{"id": 1, "type": "message", "from": "D", "text": "x"}]})
    with pytest.raises((KeyError, ChatlogError), match="no such key"):  # not a warning
        telegram_module.read(export)


def test_a_quote_of_several_lines_keeps_lines_that_look_like_chat():
    text = "Dana: no\nBob: y\nQuoting Bob: x\n\\Bob: y\n> Bob: z\n18:02"
    export = {"messages": [
        {"id": "1", "type": "Default", "timestamp": "2020-01-01T12:00:00Z", "author": {"name": "Bob"}, "content": text},
        {"id": "2", "type": "Reply", "timestamp": "2020-01-01T12:01:00Z", "author": {"name": "Dana"},
         "content": "ok", "reference": {"messageId": "1"}},
    ]}
    again = assert_round_trip(read_export("discord", json.dumps(export)))
    assert again.messages[1].quotes[0].text == text


def test_convert_titles_a_post_by_its_file_name_so_the_header_is_one(tmp_path):
    from pelican_chatlog.cli import main

    export = tmp_path / "_chat.txt"
    export.write_text("30/01/19, 20:49 - Date: Title: hi\n", encoding="utf-8")
    output = tmp_path / "co-op_group.chat"
    assert main(["convert", str(export), "--format", "whatsapp", "-o", str(output)]) == 0
    post = output.read_text(encoding="utf-8")
    assert post.startswith("Title: Co op group\n")
    assert [(m.speaker.name, m.text) for m in parse(post).messages] == [("Date", "Title: hi")]


def test_a_converted_post_with_time_like_body_lines_passes_check():
    # `\18:02` is text on purpose (convert writes it so); it used to warn that it looks like a time
    text = "[2024-03-05 18:02] Dana: first\n\\18:02\n\\Tue 6:02 PM\n"
    conversation = parse(text)
    assert conversation.messages[0].text == "first\n18:02\nTue 6:02 PM"
    assert conversation.problems == []
