"""Every import format on its fixture files in tests/exports/: the importer,
a Pelican build, and the `convert` round trip."""

import datetime
import inspect
import json
import shutil
from pathlib import Path

import pytest

from pelican_chatlog import Backlink, ChatlogError, Message, Narration, link, parse, read_file
from pelican_chatlog.readers import FORMATS, format_for_path, format_named
from pelican_chatlog.syntax import LITERAL
from pelican_chatlog.write import write_chat

EXPORTS = Path(__file__).parent / "exports"
FOLDER_FIXTURES = {"slack/general": "slack"}  # folder exports, by the format that reads them
FIXTURES = sorted(path.name for path in EXPORTS.iterdir() if path.is_file()) + sorted(FOLDER_FIXTURES)


def read(name, **options):
    conversation = read_file(str(EXPORTS / name), **options)
    return link(conversation)


def said(conversation):
    return [(m.speaker.name, m.text) for m in conversation.messages]


def narration(conversation):
    return [item.text for item in conversation.items if isinstance(item, Narration)]


# --- WhatsApp ------------------------------------------------------------------


def test_whatsapp_android_day_first_multiline_and_system_lines():
    conversation = read("whatsapp-android.whatsapp.txt")
    assert said(conversation) == [
        ("Jane Doe", "Welcome! The truing stand is back.\nBring your own spokes.\n\nSeriously."),
        ("Bob Smith", ""),  # `<Media omitted>`: an attachment (issue 14)
        ("Bob Smith", "Great news: see you Thursday"),
        ("Bob Smith", "18:00?"),  # "bob smith" is the same speaker
    ]
    assert conversation.messages[0].time == datetime.datetime(2019, 1, 30, 20, 51)
    assert conversation.messages[0].time_text == "30/01/19, 20:51"
    assert narration(conversation) == [
        "30/01/19, 20:49 Messages and calls are end-to-end encrypted. No one outside of this chat can read them.",
        '30/01/19, 20:49 Jane Doe created group "Bike co-op"',
        "30/01/19, 20:50 Jane Doe added Bob Smith",
        "31/01/19, 08:06 Bob Smith left",
    ]
    assert conversation.problems == []


def test_whatsapp_month_first_with_spanish_meridiem():
    conversation = read("whatsapp-month-first.whatsapp.txt")
    assert [m.time for m in conversation.messages] == [
        datetime.datetime(2019, 1, 30, 20, 49),
        datetime.datetime(2019, 1, 30, 20, 50),
        datetime.datetime(2019, 1, 31, 10, 2),
    ]
    assert said(conversation)[1] == ("Luis", "Sí, a las 10 a. m.")


def test_whatsapp_ios_brackets_marks_and_attachments():
    conversation = read("whatsapp-ios.whatsapp.txt")
    assert said(conversation) == [
        ("Jane Doe", "Photo from the ride"),  # the encryption notice before it is narration
        ("Jane Doe", ""),  # `<attached: 00000012-PHOTO-….jpg>`: an attachment (issue 14)
        ("Sam", "Nice! Where was this?\nIt looks like the river path"),
    ]
    assert conversation.messages[0].time == datetime.datetime(2019, 1, 30, 20, 50, 5)


def test_whatsapp_german_dots_are_day_first():
    conversation = read("whatsapp-german.whatsapp.txt")
    assert conversation.messages[0].time == datetime.datetime(2016, 8, 6, 13, 23)
    assert conversation.problems == []


def test_whatsapp_ambiguous_dates_are_day_first_with_a_warning():
    conversation = read("whatsapp-ambiguous.whatsapp.txt")
    assert conversation.messages[0].time == datetime.datetime(2019, 3, 2, 10, 0)
    assert "day first" in conversation.problems[0].message


def test_whatsapp_explicit_order_wins():
    conversation = read("whatsapp-ambiguous.whatsapp.txt", day_first=False)
    assert conversation.messages[0].time == datetime.datetime(2019, 2, 3, 10, 0)
    assert conversation.problems == []


def test_whatsapp_hour_over_12_with_pm_is_no_time():
    conversation = parse("30/01/19, 13:05 pm - Jane: hi\n30/01/19, 1:06 pm - Bob: yo\n", format="whatsapp")
    assert narration(conversation) == ["30/01/19, 13:05 pm - Jane: hi"]
    assert said(conversation) == [("Bob", "yo")]
    assert conversation.messages[0].time == datetime.datetime(2019, 1, 30, 13, 6)
    assert [(p.line, p.message) for p in conversation.problems] == [
        (1, "'30/01/19, 13:05 pm - Jane: hi' is not a real date; kept as text")
    ]


# --- Signal and IRC ------------------------------------------------------------


def test_signal():
    conversation = read("chat.signal.txt")
    assert said(conversation) == [
        ("Jane Doe", "Hello"),
        ("Bob", "Hi Jane! Merry Christmas\nwith two lines"),
        ("Jane Doe", "Merry Christmas: see you at 18:00"),
    ]
    assert conversation.messages[2].time == datetime.datetime(2019, 12, 24, 12, 25, 30)
    assert narration(conversation) == ["2019-12-25 09:00 Bob changed the group name"]


def test_signal_and_whatsapp_keep_a_line_with_an_impossible_date_as_text(tmp_path):
    for name, line in [("a.signal.txt", "[2019-02-30, 12:23] Jane: hi"), ("a.whatsapp.txt", "31/02/19, 12:23 - Jane: hi")]:
        path = tmp_path / name
        path.write_text("[2019-02-01, 12:00] Bob: first\n" if "signal" in name else "01/02/19, 12:00 - Bob: first\n")
        with path.open("a") as export:
            export.write(line + "\n")
        conversation = link(read_file(str(path)))
        assert said(conversation) == [("Bob", "first")]
        assert narration(conversation) == [line]
        assert "is not a real date" in conversation.problems[-1].message
        assert conversation.problems[-1].line == 2


def test_irc_irssi_with_modes_actions_joins_and_day_changes():
    conversation = read("irssi.irc.log")
    assert said(conversation) == [
        ("alice", "anyone know a good chain tool?"),
        ("bob", "the Park CT-3.3, never let me down"),
        ("carol", "bob: agreed <3"),
        ("alice", "thanks all, good night"),
    ]
    assert conversation.messages[0].time == datetime.datetime(2005, 1, 8, 23, 34)
    assert conversation.messages[-1].time == datetime.datetime(2005, 1, 9, 0, 2)
    assert "[23:35] * alice writes that down" in narration(conversation)
    assert "[00:01] -!- bob is now known as bob_away" in narration(conversation)


def test_irc_iso_and_bare_stamps():
    assert read("weechat.irc.log").messages[0].time == datetime.datetime(2005, 1, 8, 23, 34, 46)
    bare = read("bare.irc.txt")
    assert bare.messages[0].time == datetime.time(12, 34)
    assert narration(bare) == ["12:36 -- carol has quit (Ping timeout)"]


# --- JSON exports --------------------------------------------------------------


def test_telegram_entities_replies_service_and_media():
    conversation = read("result.telegram.json")
    assert conversation.metadata["title"] == "Bike co-op"
    first, reply, photo, orphan = conversation.messages
    assert first.text == (
        f"The stand is **back**, see [the notes](https://example.org/notes) and use `make true`. 2{LITERAL}*3{LITERAL}*4 stays."
    )
    assert reply.quotes[0].target is first and first.quoted_by == [Backlink(reply.id, reply.speaker)]
    assert reply.text == "Finally!\nSee you Thursday"
    # a photo is an attachment now (issue 14): its name, and its path as a note, not text
    assert [(a.name, a.kind, a.file) for a in photo.attachments] == [
        ("photo_1@30-01-2019_20-53-00.jpg", "image", "photos/photo_1@30-01-2019_20-53-00.jpg")]
    assert not orphan.quotes
    assert any("reply to message 999" in p.message for p in conversation.problems)
    assert narration(conversation)[0] == "2019-01-30 20:49:00 Jane Doe created the group “Bike co-op”"


def test_telegram_full_account_export_needs_a_chat_name(tmp_path):
    single = (EXPORTS / "result.telegram.json").read_text()
    full = '{"chats": {"list": [' + single + "," + single.replace('"Bike co-op"', '"Other"', 1) + "]}}"
    path = tmp_path / "all.telegram.json"
    path.write_text(full)
    with pytest.raises(ChatlogError, match="name one of: Bike co-op, Other"):
        read_file(str(path))
    assert read_file(str(path), chat="Other").metadata["title"] == "Other"


def test_slack_day_file_and_folder_with_users_threads_and_files():
    day = read("day.slack.json")
    assert said(day)[0][0] == "U01"  # a lone day file has no users.json
    folder = read("slack/general")
    assert folder.metadata["title"] == "#general"
    welcome, thanks, photo = folder.messages
    assert welcome.speaker.name == "Jane Doe"
    assert welcome.text == (
        "Welcome @Bob Smith! The **truing stand** is back, see [the notes](https://example.org/notes) & bring <spokes>"
    )
    assert thanks.quotes[0].target is welcome
    assert photo.text == "Photo of the stand"
    assert [(a.name, a.kind, a.file) for a in photo.attachments] == [
        ("stand.jpg", "image", "https://files.slack.com/stand.jpg")]
    assert welcome.time == datetime.datetime(2019, 1, 30, 20, 50)
    assert narration(folder) == ["2019-01-30 20:49 @Bob Smith has joined the channel"]


def test_discord_replies_attachments_and_system_messages():
    conversation = read("channel.discord.json")
    question, answer = conversation.messages
    assert (question.speaker.name, answer.speaker.name) == ("Jane", "bob")
    assert answer.quotes[0].target is question
    assert answer.text == "I do, photo attached"
    assert [(a.name, a.kind, a.file) for a in answer.attachments] == [
        ("tool.png", "image", "https://cdn.example.org/tool.png")]
    assert question.time == datetime.datetime(2020, 1, 1, 12, 0, 0)
    assert narration(conversation) == ["2020-01-01 11:59 Carol guild member join"]


def test_bad_json_names_its_line(tmp_path):
    path = tmp_path / "broken.discord.json"
    path.write_text('{"messages": [\n  {"id": 1,\n  oops\n]}')
    with pytest.raises(ChatlogError) as error:
        read_file(str(path))
    assert str(error.value).startswith(f"{path}:3: not a DiscordChatExporter JSON export")


# --- recognising formats ----------------------------------------------------------


@pytest.mark.parametrize(
    "name, expected",
    [
        ("talk.whatsapp.txt", "whatsapp"),
        ("TALK.WhatsApp.TXT", "whatsapp"),
        ("a.signal.txt", "signal"),
        ("a.irc.log", "irc"),
        ("a.irc.txt", "irc"),
        ("result.telegram.json", "telegram"),
        ("day.slack.json", "slack"),
        ("c.discord.json", "discord"),
        ("notes.txt", None),
        ("post.chat", None),
    ],
)
def test_format_from_file_name(name, expected):
    assert format_for_path(name) == expected


def test_chat_header_names_the_format_of_the_text_below_it():
    text = "Title: Pasted\nFormat: whatsapp\nMe: Jane Doe\n\n30/01/19, 20:51 - Jane Doe: hi\n30/01/19, 20:52 - Bob: yo\n"
    conversation = parse(text)
    assert said(conversation) == [("Jane Doe", "hi"), ("Bob", "yo")]
    assert [m.line for m in conversation.messages] == [5, 6]
    assert conversation.metadata["title"] == "Pasted"
    assert conversation.speakers[0].side == "right"


def test_json_export_below_a_header_counts_lines_from_the_file_top():
    export = (EXPORTS / "channel.discord.json").read_text()
    conversation = parse("Title: T\nFormat: discord\n\n" + export)
    answer = conversation.messages[1]
    assert answer.quotes[0].line == answer.line
    assert "\n".join(("Title: T\nFormat: discord\n\n" + export).split("\n")[answer.line - 1 : answer.line]).strip().startswith('"id": "102"')


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_an_importer_takes_exactly_the_options_it_declares(name):
    parameters = inspect.signature(FORMATS[name].read).parameters.values()
    assert [p.name for p in parameters if p.kind is p.VAR_KEYWORD] == []  # none swallowed
    keywords = {p.name for p in parameters if p.kind is p.KEYWORD_ONLY}
    assert keywords == {"first_line", "path", *FORMATS[name].options}


def test_an_importer_counts_lines_from_first_line_and_names_its_path():
    conversation = FORMATS["signal"].read(
        "[2019-12-24, 12:23] Jane: hi\n[2019-02-30, 12:24] Bob: yo", first_line=3, path="talk.signal.txt"
    )
    assert [item.line for item in conversation.items] == [4, 5]
    assert [(p.path, p.line) for p in conversation.problems] == [("talk.signal.txt", 5)]


def test_a_slack_problem_names_its_day_file(tmp_path):
    channel = tmp_path / "general"
    channel.mkdir()
    (channel / "2019-01-30.json").write_text(json.dumps([{"type": "message", "user": "U1", "text": "x", "ts": "1.0"}]))
    (channel / "2019-01-31.json").write_text(json.dumps([{"type": "message", "user": ["U1"], "ts": "2.0"}], indent=1))
    conversation = read_file(str(channel))
    assert [(p.path, p.line) for p in conversation.problems] == [(str(channel / "2019-01-31.json"), 7)]


def test_a_format_is_looked_up_by_name_in_any_case():
    assert format_named("WhatsApp") is FORMATS["whatsapp"]
    with pytest.raises(ChatlogError, match="unknown format 'myspace' \\(known: chat, discord,"):
        format_named("myspace")


def test_unknown_format_is_an_error_on_its_line():
    with pytest.raises(ChatlogError, match="unknown format 'myspace'") as error:
        parse("Title: x\nFormat: myspace\n\nhello\n")
    assert error.value.line == 2


# --- in Pelican ------------------------------------------------------------------


@pytest.mark.parametrize("name", [name for name in FIXTURES if "/" not in name])
def test_export_named_by_its_suffix_builds_as_a_post(build_site, name):
    site = build_site({name: (EXPORTS / name).read_bytes()}, CHATLOG_MASK_EMAILS=False)  # hostmasks kept
    expected = read(name)
    [post] = site.posts()
    page = site.page(post)
    rendered = page.select(".chatlog-message")
    assert [m["data-speaker"] for m in rendered] == [m.speaker.name for m in expected.messages]
    for quote in page.select(".chatlog-quote a"):
        assert page.find(id=quote["href"][1:]) is not None
    for line in narration(expected):
        assert line in page.get_text()


def test_small_chat_file_with_source_reads_the_export_beside_it(build_site, tmp_path):
    files = {
        "bikes.chat": "Title: Co-op group chat\nFormat: whatsapp\nSource: _chat.txt\nSpeakers: Jane Doe (side: right)\n",
        "_chat.txt": (EXPORTS / "whatsapp-android.whatsapp.txt").read_bytes(),
        "notes.txt": "a text file that is no export: left alone",
    }
    site = build_site(files)
    page = site.page("co-op-group-chat.html")
    assert len(page.select(".chatlog-message")) == 4
    jane = page.select('.chatlog-message[data-speaker="Jane Doe"]')
    assert jane and all("chatlog-right" in message["class"] for message in jane)
    assert not (site.output / "notes.html").exists()
    assert not (site.output / "chat.html").exists()
    assert not any("notes.txt" in m or "_chat.txt" in m for m in site.messages())


def test_source_may_be_a_slack_folder(build_site, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(EXPORTS / "slack", content / "slack-export")
    site = build_site({"general.chat": "Title: General\nFormat: slack\nSource: slack-export/general\n"})
    page = site.page("general.html")
    assert [m["data-speaker"] for m in page.select(".chatlog-message")] == ["Jane Doe", "Bob Smith", "Bob Smith"]


def test_source_problems_name_the_export_file(build_site):
    files = {
        "t.chat": "Title: T\nFormat: telegram\nSource: result.json\n",
        "result.json": (EXPORTS / "result.telegram.json").read_bytes(),
    }
    site = build_site(files)
    assert any("result.json:46: a reply to message 999" in m for m in site.messages())


def test_missing_source_is_an_error_on_its_line(build_site):
    site = build_site({"t.chat": "Title: T\nFormat: whatsapp\nSource: nowhere.txt\n"})
    assert any("t.chat:3: `Source: nowhere.txt` does not exist" in m for m in site.messages())


# --- convert round trip -------------------------------------------------------------


def signature(conversation):
    position = {id(message): index for index, message in enumerate(conversation.messages)}
    return [
        (m.speaker.name, m.text, m.time, [(q.speaker.name, q.text, position.get(id(q.target))) for q in m.quotes])
        if isinstance(m, Message)
        else m.text
        for m in conversation.items
    ]


@pytest.mark.parametrize("name", FIXTURES)
def test_convert_then_parse_gives_the_same_conversation(name):
    imported = read(name)
    converted = write_chat(imported)
    again = parse(converted)
    assert signature(again) == signature(imported)
    assert [p for p in again.problems if "not found" in p.message] == []


def test_round_trip_keeps_lines_that_look_like_other_things():
    text = "Dana: first\n\\18:02\n\\Marcus: not a message\n\\\n\\\\Quoting Dana: x\nMarcus: ok\n"
    conversation = parse(text)
    assert said(conversation)[0] == ("Dana", "first\n18:02\nMarcus: not a message\n\n\\Quoting Dana: x")
    assert signature(parse(write_chat(conversation))) == signature(conversation)


def test_every_format_has_a_fixture():
    files = {name: format_for_path(name) for name in FIXTURES if name not in FOLDER_FIXTURES}
    assert [name for name, format in files.items() if format is None] == []  # each named for its format
    assert set(files.values()) == set(FORMATS)
    assert all((EXPORTS / folder).is_dir() for folder in FOLDER_FIXTURES)
    assert set(FOLDER_FIXTURES.values()) == {name for name, fmt in FORMATS.items() if fmt.read_folder}
