"""Chats pasted from an app's window (issue 15): each app's copy shape, found per file.

The fixtures in tests/exports/pastes/ are ours (invented people and text), written in
the shapes these public sources show an app's copy to have:

- Slack, name and time on one line (`Dana Okafor  6:02 PM`, a bare `6:03` line for the
  same speaker's next message): the issue's own report (issue 15); the same with the time
  on its own indented line (`Jordan Miles␠␠` / `␠␠9:01 AM␠␠`, continuations `9:04␠␠`):
  banagale/FileKitty issue #30 ("Example Slack Input (Raw Copy/Paste)"), and the parser of
  ysamlan/slack-thread-clean-paste (an author line, then `^\\s{2,}(\\d{1,2}:\\d{2}\\s?(AM|PM))`).
- Discord, `name — Today at 7:42 PM` then the text: YB-42/grindios2,
  bin/models/discord_message.dart (its sample input); `Yesterday at` and `MM/DD/YYYY h:mm PM`
  dates: a paste parser's `MSG_START` regex (`(?:\\d{2}/\\d{2}/\\d{4})|(?:(?:Yesterday|Today)
  at \\d{1,2}:\\d{2}(?: [AP]M)?)`) and a script matching `(.+?)\\s+—\\s+(\\d+/\\d+/\\d+ \\d+:\\d+ [AP]M)`
  found by the search tool (corpus "code", "discord copy paste messages format Today at").
- Microsoft Teams, `[10:37 AM] Carl S`, a blank line, the text: adifyr/obsidian-chat-view
  issue #30 (a chat "from simply selecting messages in a chat and hitting ctrl-c");
  microsoft/PowerToys issue #28682 (`\\[\\d{1,2}:\\d{2} (AM|PM)\\]\\s.*\\n\\n`). Teams stopped
  copying names and times in August 2024 (IsmaelMartinez/teams-for-linux issue #1719): only
  older copies, and the `[12:10] John Doe: text` shape that issue quotes, which our own
  `.chat` format already reads as a message with its time.
- Telegram Desktop, `Crp, [23/04/2025 21:35]` then the text, the date in the computer's
  short format: telegramdesktop/tdesktop issue #29226; `昵称1, [2022-11-22 5:05]`:
  LincZero/obsidian-chat-view-qq issue #6; `Name, [ date time ]`: pigpagnet/save-telegram-chat-history
  issue #3.
- WhatsApp Web/Desktop, `[18:02, 12/03/2024] Dana: text`: a WhatsApp Web scraper's regex
  `\\[(\\d{2}:\\d{2}), (\\d{2}/\\d{2}/\\d{4})\\] (.*?):` (find_string, that exact regex).
- Signal Desktop, Google Chat, Messenger, iMessage: no public source shows their copies
  carrying names (signalapp/Signal-Android issue #7166: copied messages are the bare texts,
  no names); nothing to read, so no shape.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from pelican_chatlog import parse
from pelican_chatlog.model import Message, Narration
from pelican_chatlog.readers.chat import read_chat
from pelican_chatlog.readers.lines import split_lines
from pelican_chatlog.readers.pastes import PASTE_SHAPES
from pelican_chatlog.write import write_chat

PASTES = Path(__file__).parent / "exports" / "pastes"
DM_THREAD = Path(__file__).parent / "fixtures" / "pasted-dm-thread.chat"


def at(day: int, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime(2024, 3, day, hour, minute)


def said(conversation) -> list[tuple[str, str, object]]:
    return [(m.speaker.name, m.text, m.time) for m in conversation.messages]


EXPECTED = {
    "slack-one-line.chat": [
        ("Dana Okafor", "Why did the co-op stop lending the truing stand?", at(12, 18, 2)),
        ("Dana Okafor", "It is locked in the back room now.", at(12, 18, 3)),
        ("Marcus Reyes", "Good question. How long have you been volunteering?", at(12, 18, 15)),
        ("Dana Okafor", "About eight months, mostly Thursday nights.", at(12, 18, 16)),
    ],
    "slack-two-line.chat": [
        ("Dana Okafor", "Why did the co-op stop lending the truing stand?", at(12, 18, 2)),
        ("Dana Okafor", "It is locked in the back room now.", at(12, 18, 3)),
        ("Marcus Reyes", "Good question. How long have you been volunteering?", at(12, 18, 15)),
    ],
    "discord.chat": [
        ("Dana", "Is the truing stand back yet?", at(8, 21, 40)),
        ("Marcus", "Not yet, the board meets Monday.", at(11, 10, 2)),  # Yesterday, against `Date: 2024-03-12`
        ("Dana", "Any news?", at(12, 18, 2)),  # Today
        ("Marcus", "Yes! It is back on the wall.", at(12, 18, 15)),
    ],
    "teams.chat": [
        ("Dana Okafor", "Why did the co-op stop lending the truing stand?", at(12, 18, 2)),
        ("Marcus Reyes", "Good question.\n\nHow long have you been volunteering?", at(12, 18, 15)),
        ("Dana Okafor", "About eight months.", at(12, 18, 16)),
    ],
    "telegram.chat": [
        ("Dana Okafor", "Why did the co-op stop lending the truing stand?", at(12, 18, 2)),
        ("Marcus Reyes", "Good question.\nHow long have you been volunteering?", at(12, 18, 15)),
        ("Dana Okafor", "About eight months.", at(13, 9, 5)),
    ],
    "whatsapp.chat": [
        ("Dana Okafor", "Why did the co-op stop lending the truing stand?", at(13, 18, 2)),
        ("Marcus Reyes", "Good question.\nHow long have you been volunteering?", at(13, 18, 15)),
        ("Dana Okafor", "About eight months.", at(13, 18, 16)),
    ],
}
SHAPE_OF = {
    "slack-one-line.chat": "slack-paste",
    "slack-two-line.chat": "slack-paste",
    "discord.chat": "discord-paste",
    "teams.chat": "teams-paste",
    "telegram.chat": "telegram-paste",
    "whatsapp.chat": "whatsapp-paste",
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_apps_paste_reads_as_its_messages_speakers_and_times(name):
    conversation = parse((PASTES / name).read_text(encoding="utf-8"), path=str(PASTES / name))
    assert said(conversation) == EXPECTED[name]
    assert [s.name for s in conversation.speakers] == list(dict.fromkeys(n for n, _, _ in EXPECTED[name]))
    # Discord's `03/08/2024` could be either order: read as Discord's US default, with a warning
    assert [p.message for p in conversation.problems] == (
        ["the dates could be day/month or month/day; read as month first (give `Day-first: yes` if they are not)"]
        if name == "discord.chat" else []
    )


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_shape_named_in_the_header_reads_the_same(name):
    text = (PASTES / name).read_text(encoding="utf-8")
    named = text.replace("\n\n", f"\nFormat: {SHAPE_OF[name]}\n\n", 1)
    assert said(parse(named)) == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_paste_builds_into_a_pelican_page(build_site, name):
    site = build_site({name: (PASTES / name).read_text(encoding="utf-8")})
    pages = [path for path in site.output.glob("*.html") if path.name.startswith("truing-stand")]
    assert len(pages) == 1
    page = site.page(pages[0].name)
    messages = page.select("li.chatlog-message")
    assert [li["data-speaker"] for li in messages] == [n for n, _, _ in EXPECTED[name]]
    assert [li.find("time")["datetime"] for li in messages] == [
        when.isoformat(timespec="minutes") for _, _, when in EXPECTED[name]
    ]
    for li, (_, text, _) in zip(messages, EXPECTED[name]):
        assert text.split("\n")[0] in li.get_text()


def test_format_chat_keeps_our_own_shape_over_detection():
    detected = (PASTES / "teams.chat").read_text(encoding="utf-8")
    assert len(parse(detected).messages) == 3
    conversation = parse(detected.replace("\n\n", "\nFormat: chat\n\n", 1))
    assert conversation.messages == []
    assert "[6:02 PM] Dana Okafor" in [item.text.split("\n")[0] for item in conversation.items]


def test_a_named_shape_wins_where_detection_would_choose_ours():
    text = "Dana: hi\nMarcus: hello\nDana Okafor  6:02 PM\nWhy?\n"
    assert [m.speaker.name for m in parse(text).messages] == ["Dana", "Marcus"]
    named = parse("Format: slack-paste\n\n" + text)
    assert said(named) == [("Dana Okafor", "Why?", datetime.time(18, 2))]
    assert [item.text for item in named.items if isinstance(item, Narration)] == ["Dana: hi\nMarcus: hello"]
    assert said(parse(text, format="slack-paste")) == said(named)


def test_paste_shape_names_are_the_format_values():
    assert sorted(PASTE_SHAPES) == [
        "discord-paste", "slack-paste", "teams-paste", "telegram-paste", "whatsapp-paste",
    ]


def test_the_dm_thread_is_not_taken_for_a_paste_from_an_app():
    lines = split_lines(DM_THREAD.read_text(encoding="utf-8"))
    assert read_chat(lines).messages[0].text.startswith("Hi! I found your post")
    assert said(read_chat(lines)) == said(read_chat(lines, shape="chat"))


def test_day_first_in_the_header_settles_a_pastes_dates():
    text = (PASTES / "discord.chat").read_text(encoding="utf-8").replace("\n\n", "\nDay-first: yes\n\n", 1)
    conversation = parse(text)
    assert conversation.messages[0].time == datetime.datetime(2024, 8, 3, 21, 40)
    assert conversation.problems == []


def test_lines_above_the_first_heading_are_narration_and_nothing_is_dropped():
    text = "Date: 2024-03-12\n\nFrom the #co-op channel\n\n[6:02 PM] Dana Okafor\n\nhi\n\n[6:03 PM] Bo Li\n\nhey\n"
    conversation = parse(text)
    assert [type(item).__name__ for item in conversation.items] == ["Narration", "Message", "Message"]
    assert conversation.items[0].text == "From the #co-op channel"
    assert [m.line for m in conversation.messages] == [5, 9]


def test_telegram_dates_in_other_locales():
    text = "Dana Okafor, [23/04/2025 21:35]\nhi\n\nBo Li, [2025-04-23 21:37]\nhey\n"
    assert said(parse(text)) == [
        ("Dana Okafor", "hi", datetime.datetime(2025, 4, 23, 21, 35)),
        ("Bo Li", "hey", datetime.datetime(2025, 4, 23, 21, 37)),
    ]


def test_a_paste_converts_to_a_chat_that_reads_back_the_same():
    conversation = parse((PASTES / "slack-one-line.chat").read_text(encoding="utf-8"))
    assert len(conversation.messages) == 4
    written = write_chat(conversation)
    assert said(parse(written)) == said(conversation)


def test_our_own_lines_that_look_like_a_paste_convert_with_format_chat():
    conversation = parse("Title: t\nFormat: chat\n\n[6:02 PM] Dana Okafor\n\nsome text\n")
    assert conversation.messages == []
    written = write_chat(conversation)
    assert "Format: chat" in written.split("\n\n")[0]
    assert [item.text for item in parse(written).items] == [item.text for item in conversation.items]


def test_a_long_line_is_never_a_heading():
    name = "Dana " * 100
    conversation = parse(f"{name}  6:02 PM\nhi\nBo  6:03 PM\nhey\n")
    assert [m.speaker.name for m in conversation.messages] == ["Bo"]


# --- speakers inferred, not guessed line by line -----------------------------------------------

CHAT_WITH_A_NOTE = """\
Dana: Is the stand back?
Marcus: Not yet.

Note: this is a note about the stand, not a message.

Dana: Thanks.
Marcus: Monday, then.
"""


def test_a_prose_label_used_once_among_repeated_speakers_stays_narration_with_one_warning():
    conversation = parse(CHAT_WITH_A_NOTE)
    assert [s.name for s in conversation.speakers] == ["Dana", "Marcus"]
    assert [m.text for m in conversation.messages] == ["Is the stand back?", "Not yet.", "Thanks.", "Monday, then."]
    narration = [item for item in conversation.items if isinstance(item, Narration)]
    assert [(n.text, n.line) for n in narration] == [("Note: this is a note about the stand, not a message.", 4)]
    assert [(p.line, p.message) for p in conversation.problems] == [
        (4, "read as text, not as a speaker: line 4 `Note:` (a label used once, where others speak "
            "repeatedly); declare it in `Speakers:` if it is a speaker")
    ]


def test_several_prose_labels_are_listed_in_one_warning():
    text = CHAT_WITH_A_NOTE + "\nPS: bring snacks.\n\nUpdate: it is back.\n"
    conversation = parse(text)
    assert [s.name for s in conversation.speakers] == ["Dana", "Marcus"]
    assert len(conversation.problems) == 1
    assert "line 4 `Note:`, line 9 `PS:`, line 11 `Update:`" in conversation.problems[0].message


def test_a_declared_label_is_a_speaker():
    conversation = parse("Speakers: Dana, Marcus, Note\n\n" + CHAT_WITH_A_NOTE)
    assert [m.speaker.name for m in conversation.messages] == ["Dana", "Marcus", "Note", "Dana", "Marcus"]
    assert conversation.problems == []


def test_a_label_that_speaks_repeatedly_is_a_speaker():
    text = CHAT_WITH_A_NOTE + "\nNote: and again.\n"
    assert [s.name for s in parse(text).speakers] == ["Dana", "Marcus", "Note"]


def test_a_lowercase_or_differently_spaced_name_joins_the_known_speaker():
    text = "Dana Okafor: hi\nMarcus: hello\ndana okafor: me again\nDana  Okafor: and again\n"
    conversation = parse(text)
    assert [s.name for s in conversation.speakers] == ["Dana Okafor", "Marcus"]
    assert [m.speaker.name for m in conversation.messages] == ["Dana Okafor", "Marcus", "Dana Okafor", "Dana Okafor"]
    assert all(isinstance(item, Message) for item in conversation.items)


def test_a_differently_spaced_declared_name_joins_it():
    conversation = parse("Speakers: Dana Okafor, Marcus\n\nDana  Okafor: hi\nMarcus: hello\n")
    assert [m.speaker.name for m in conversation.messages] == ["Dana Okafor", "Marcus"]
    assert conversation.problems == []


def test_the_no_message_warning_names_every_paste_shape():
    from pelican_chatlog.readers.shapes import chat_shapes

    samples = [sample for sample, _ in chat_shapes()]
    for shape in PASTE_SHAPES.values():
        assert shape.sample in samples
    warning = parse("Title: t\nFormat: chat\n\n[6:02 PM] Dana Okafor\n\nhi\n").problems[-1].message
    assert "`Dana — Today at 6:02 PM` (copied from Discord, `Format: discord-paste`)" in warning


def test_declared_speakers_style_a_paste_and_keep_their_spelling():
    text = (PASTES / "telegram.chat").read_text(encoding="utf-8").replace(
        "\n\n", "\nSpeakers: dana okafor (color: #b03a5b), Marcus Reyes\nMe: Marcus Reyes\n\n", 1
    )
    conversation = parse(text)
    assert [s.name for s in conversation.speakers] == ["dana okafor", "Marcus Reyes"]
    assert [m.speaker.name for m in conversation.messages] == ["dana okafor", "Marcus Reyes", "dana okafor"]
    dana, marcus = conversation.speakers
    assert dana.color == "#b03a5b" and marcus.side == "right"
