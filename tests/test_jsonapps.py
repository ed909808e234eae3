"""Telegram, Slack and Signal exports in the shapes the apps really write (issue 13).

Each fixture is our own (invented people and text) in the shape a public
source shows; a reviewer can check the shape there:

- tests/exports/telegram/result.telegram.json: Telegram Desktop's JSON writer,
  telegramdesktop/tdesktop Telegram/SourceFiles/export/output/export_output_json.cpp
  (`date` + `date_unixtime`, `"from": null` via StringAllowNull, `poll` with
  `question`/`closed`/`total_voters`/`answers[].text/voters/chosen`,
  `location_information` with `place_name`/`address`/`live_location_period_seconds`,
  a sticker's `file` + `media_type` + `sticker_emoji`, and the service actions
  `create_group`, `edit_group_title`, `edit_group_photo`, `invite_members`,
  `join_group_by_link` + `inviter`, `pin_message` + `message_id`, `phone_call` +
  `duration_seconds`/`discard_reason`, `remove_members`, `migrate_from_group`).
- tests/exports/slack/ (users.json, channels.json, rides/2019-02-01.json): a
  workspace export as rusq/slackdump internal/fixtures/assets/export/users.json,
  internal/fixtures/assets/source_export_dir/channels.json and
  source_export_dir/B75B4C7/2025-01-10.json hold them (`user_profile`, `team`);
  a `bot_message` with `"text": ""`, `username`, `bot_id` and `attachments[]`
  (`fallback`, `pretext`, `title`, `title_link`, `text`, `fields`) as
  hfaran/slack-export-viewer slackviewer/message.py (LinkAttachment) and
  slackviewer/formatter.py read them, `bot_profile` as slackdump's messages;
  mentions `<@U…|name>`, `<#C…>`, `<!here>`, `<!channel>` as
  slackviewer/formatter.py resolves them and `<!subteam^S…|@team>` as Slack's
  mrkdwn writes a user group.
- tests/exports/signal/trailer.signal.txt: carderne/signal-export
  sigexport/models.py (Message.to_md: `[%Y-%m-%d %H:%M:%S] Sender: {quote}{body}`,
  two spaces after each body, `![name](./media/…)` images) and sigexport/create.py
  (a reply's quote is `\n\n> ` + the quoted text with `\n> ` between its lines
  + `\n\n`; a reply to a photo quotes `> Photo`, tests/test_create.py).
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
from pathlib import Path

import pytest

from pelican_chatlog import ChatlogError, Message, Narration, link, parse, read_file
from pelican_chatlog.readers import FORMATS
from pelican_chatlog.write import write_chat

EXPORTS = Path(__file__).parent / "exports"
TELEGRAM = EXPORTS / "telegram" / "result.telegram.json"
SLACK = EXPORTS / "slack"
RIDES_DAY = SLACK / "rides" / "2019-02-01.json"
SIGNAL = EXPORTS / "signal" / "trailer.signal.txt"


def read(path, **options):
    return link(read_file(str(path), **options))


def said(conversation):
    return [(m.speaker.name, m.text) for m in conversation.messages]


def narration(conversation):
    return [item.text for item in conversation.items if isinstance(item, Narration)]


def signature(conversation):
    position = {id(message): index for index, message in enumerate(conversation.messages)}
    return [speaker.name for speaker in conversation.speakers], [
        (m.speaker.name, m.text, m.time, [(q.speaker.name, q.text, position.get(id(q.target))) for q in m.quotes])
        if isinstance(m, Message)
        else ("narration", m.text)
        for m in conversation.items
    ]


def assert_round_trip(conversation):
    """convert writes A, reading it back gives B: B is A, every quote linked."""
    again = parse(write_chat(conversation))
    assert signature(again) == signature(conversation)
    assert [p for p in again.problems if "not found" in p.message] == []
    return again


# --- Telegram ----------------------------------------------------------------------


def test_telegram_media_and_senders_read_as_words():
    conversation = read(TELEGRAM)
    assert conversation.metadata["title"] == "Sunday Riders"
    assert said(conversation) == [
        ("Dana Okafor", "Where do we start on Sunday?"),
        ("Dana Okafor", "Poll: Which loop this week? (closed, 4 voters)\n"
                        "• River path — 3 votes (my vote)\n• Hill climb — 1 vote"),
        ("Marek Nowak", "Here, by the bridge\nLocation: Old Mill Café, 4 Weir Lane (51.752101, -1.2578)"),
        ("Priya Raman", "Live location: 51.75, -1.26"),
        ("Priya Raman", ""),  # a sticker attachment named 👍 (tests/test_rich_apps2.py), no text
        ("Deleted Account", "I can bring the spare pump"),  # "from": null, not its from_id
    ]
    assert not any("{" in text or "user5550" in text for _, text in said(conversation))
    assert conversation.messages[2].quotes[0].target is conversation.messages[0]
    assert conversation.problems == []
    assert_round_trip(conversation)


def test_telegram_service_entries_read_as_words():
    assert narration(read(TELEGRAM)) == [
        "2021-05-02 09:00:12 Dana Okafor created the group “Sunday Rides”",
        "2021-05-02 09:00:40 Dana Okafor changed the group name to “Sunday Riders”",
        "2021-05-02 09:01:05 Dana Okafor changed the group photo",
        "2021-05-02 09:02:00 Dana Okafor added Priya Raman and Tomás Ferreira",
        "2021-05-02 09:03:30 Lena Vogt joined the group via invite link from Dana Okafor",
        "2021-05-02 09:11:00 Dana Okafor pinned a message",
        "2021-05-02 09:15:00 Marek Nowak called (2 min 5 s)",
        "2021-05-02 09:20:00 Dana Okafor removed Deleted Account",
        "2021-05-02 09:25:00 Lena Vogt left the group",
        "2021-05-03 18:00:00 Sunday Riders upgraded the group “Sunday Riders” to a supergroup",
    ]


def test_telegram_date_unixtime_alone_is_read_as_utc():
    conversation = read(TELEGRAM)
    deleted = conversation.messages[-1]
    assert deleted.time == datetime.datetime(2021, 5, 2, 9, 10)  # 1619946600 in UTC
    assert deleted.time_text == "2021-05-02 09:10:00"


@pytest.mark.parametrize(
    "entry, shown",
    [
        ({"action": "phone_call", "discard_reason": "missed"}, "Dana called (missed)"),
        ({"action": "phone_call", "duration_seconds": 42, "discard_reason": "hangup"}, "Dana called (42 s)"),
        ({"action": "invite_members", "members": ["Dana"]}, "Dana joined the group"),
        ({"action": "invite_members", "members": ["Bob", None, "Eve"]}, "Dana added Bob, Deleted Account and Eve"),
        ({"action": "join_group_by_request"}, "Dana joined the group by request"),
        ({"action": "topic_created", "title": "Repairs"}, "Dana created the topic “Repairs”"),
        ({"actor": None, "action": "pin_message", "message_id": 3}, "Deleted Account pinned a message"),
        ({"action": None, "information_text": "Dana boosted the group"}, "Dana boosted the group"),
    ],
)
def test_telegram_service_actions(entry, shown):
    service = {"id": 1, "type": "service", "date": "2021-05-02T09:00:00", "actor": "Dana", "actor_id": "user1",
               "text": "", **entry}
    if service["action"] is None:
        del service["action"]
    conversation = FORMATS["telegram"].read(json.dumps({"name": "x", "messages": [service]}))
    assert narration(conversation) == [f"2021-05-02 09:00:00 {shown}"]


def test_telegram_entry_without_any_time_is_a_warning():
    export = {"name": "x", "messages": [{"id": 1, "type": "message", "from": "Dana", "text": "hi"},
                                         {"id": 2, "type": "unsupported"}]}
    conversation = FORMATS["telegram"].read(json.dumps(export, indent=1))
    assert conversation.messages[0].time is None
    assert narration(conversation) == ["(a message this export does not support)"]
    assert [(p.line, p.message) for p in conversation.problems] == [
        (5, "an entry with no time Telegram writes (`date` or `date_unixtime`); shown without one")
    ]


# --- Slack -------------------------------------------------------------------------


RIDES = [
    ("Carol Reyes", "@here Saturday ride leaves at 9, details in #general and #rides. "
                    "@Jane Doe can you bring the pump? cc @mechanics"),
    ("Ride Calendar", "New event on the [co-op calendar](https://calendar.example.org)\n"
                      "[Saturday ride: River loop](https://calendar.example.org/events/42)\n"
                      "Meet at the **shop**, bring lights\nWhen: Sat 9:00\nLead: @Carol Reyes"),
    ("Weatherbot", "Saturday: dry, 12°C, wind 10 km/h"),
    # a link's preview repeats the message's own link: not read again
    ("Jane Doe", "@channel route map: https://maps.example.org/river-loop"),
]


def test_slack_integration_posts_and_mentions_in_a_channel_folder():
    conversation = read(SLACK / "rides")
    assert said(conversation) == RIDES
    assert narration(conversation) == ["2019-02-01 18:00 @Carol Reyes has joined the channel"]
    assert conversation.messages[1].time == datetime.datetime(2019, 2, 1, 18, 2)
    assert conversation.problems == []
    assert_round_trip(conversation)


def test_slack_day_file_given_alone_reads_the_workspace_names_one_folder_up():
    conversation = read(RIDES_DAY, format="slack")
    assert said(conversation) == RIDES
    assert_round_trip(conversation)


def test_slack_day_file_outside_the_root_names_nobody_from_there(tmp_path):
    # the root is the channel folder: the workspace's users.json is above it, left alone
    conversation = read(RIDES_DAY, format="slack", root=str(RIDES_DAY.parent))
    assert said(conversation)[0] == (
        "Carol Reyes",  # from the entry's own user_profile
        "@here Saturday ride leaves at 9, details in #C0GENERAL and #rides. @U01 can you bring the pump? cc @mechanics",
    )


def test_slack_day_file_users_json_linked_from_outside_is_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "users.json").write_text('[{"id": "U01", "profile": {"real_name": "TOPSECRET"}}]')
    content = tmp_path / "content"
    (content / "rides").mkdir(parents=True)
    shutil.copy(RIDES_DAY, content / "rides" / "day.slack.json")
    (content / "users.json").symlink_to(outside / "users.json")
    with pytest.raises(ChatlogError, match="outside the content folder"):
        read_file(str(content / "rides" / "day.slack.json"), root=str(content))


@pytest.mark.parametrize(
    "text, shown",
    [
        ("<!here|@here> and <!channel|@channel> and <!everyone>", "@here and @channel and @everyone"),
        # no users.json or channels.json: the label, else the id
        ("<!subteam^S1|@team> <!subteam^S2> <@U9|jane> <@U8> <#C9> <#C8|rides> <mailto:a@example.org|write>",
         "@team @S2 @jane @U8 #C9 #rides [write](mailto:a@example.org)"),
        ("<!date^1392734382^{date}|Feb 18, 2014>", "Feb 18, 2014"),
        ("<@U9|snake_case_>", "@snake\ufdd0_case\ufdd0_"),  # a name is no Markdown
    ],
)
def test_slack_mentions_resolve(text, shown):
    entry = {"type": "message", "user": "U1", "user_profile": {"real_name": "Dana"}, "text": text, "ts": "1.0"}
    assert FORMATS["slack"].read(json.dumps([entry])).messages[0].text == shown


def test_slack_attachment_fallback_only_when_nothing_else():
    entry = {"type": "message", "subtype": "bot_message", "text": "", "ts": "1.0", "username": "CI",
             "attachments": [{"fallback": "Build 7 passed", "text": "Build *7* passed", "id": 1},
                             {"fallback": "Deploy done", "id": 2}]}
    assert said(FORMATS["slack"].read(json.dumps([entry]))) == [("CI", "Build **7** passed\nDeploy done")]


# --- Signal ------------------------------------------------------------------------


def test_signal_export_reply_blocks_become_linked_quotes():
    conversation = read(SIGNAL)
    assert said(conversation) == [
        ("Me", "Is the trailer free on Saturday?"),
        ("Ines Duarte", "It is, but one tyre is flat\nand the hitch needs grease"),
        ("Me", "I will fix both tonight"),
        ("Ines Duarte", "Then it is yours from 9"),
        ("Ines Duarte", ""),  # an attachment: see tests/test_apps_rich.py
        ("Me", "> Photo\n\nThanks, that helps"),  # what it quotes is no earlier message: kept as text
        ("Ines Duarte", "> this line is not a reply, it was typed this way"),
    ]
    messages = conversation.messages
    assert [(q.speaker.name, q.text, q.target) for q in messages[2].quotes] == [
        ("Ines Duarte", "It is, but one tyre is flat\nand the hitch needs grease", messages[1])
    ]
    assert [(q.speaker.name, q.target) for q in messages[3].quotes] == [("Me", messages[0])]
    assert messages[2].time == datetime.datetime(2020, 3, 14, 10, 6, 2)
    assert [(p.line, p.message) for p in conversation.problems] == [
        (18, "a reply quoting “Photo”, which no earlier message says; kept as text")
    ]
    assert_round_trip(conversation)


def test_signal_reply_block_right_under_the_stamp_and_below_a_header():
    text = "Title: T\nFormat: signal\n\n[2019-12-24, 12:23] Jane: Hello\n[2019-12-24, 12:24] Bob:\n> Hello\nHi!\n"
    conversation = parse(text)
    assert said(conversation) == [("Jane", "Hello"), ("Bob", "Hi!")]
    quote = conversation.messages[1].quotes[0]
    assert (quote.text, quote.target, quote.line) == ("Hello", conversation.messages[0], 6)


# --- in Pelican --------------------------------------------------------------------


def test_the_fixtures_build_as_posts(build_site, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SLACK, content / "workspace")
    site = build_site({
        "sunday.telegram.json": TELEGRAM.read_bytes(),
        "trailer.signal.txt": SIGNAL.read_bytes(),
        "rides.chat": "Title: Rides\nFormat: slack\nSource: workspace/rides\n",
        "rides-day.chat": "Title: Rides day\nFormat: slack\nSource: workspace/rides/2019-02-01.json\n",
    })
    for page_name, path, options in [
        ("sunday-riders.html", TELEGRAM, {}),
        ("trailer.html", SIGNAL, {}),
        ("rides.html", SLACK / "rides", {}),
        ("rides-day.html", RIDES_DAY, {"format": "slack"}),
    ]:
        expected = read(path, **options)
        page = site.page(page_name)
        assert [m["data-speaker"] for m in page.select(".chatlog-message")] == [
            m.speaker.name for m in expected.messages], page_name
        links = page.select(".chatlog-quote a")
        assert len(links) == sum(len(m.quotes) for m in expected.messages), page_name
        for quote in links:
            assert page.find(id=quote["href"][1:]) is not None
        for line in narration(expected):
            assert line in page.get_text()
    assert "@Jane Doe can you bring the pump?" in site.page("rides-day.html").get_text()
    assert "Deleted Account" in site.page("sunday-riders.html").get_text()
    assert not os.path.exists(site.output / "users.html")
