"""Forwarded and shared messages: Slack's shared messages and DiscordChatExporter's forwards,
read by their importers, `convert` → read giving the same conversation, and a real build.

Fixtures of our own (invented people and text) in the shapes these public sources show:
- tests/exports/forwards/slack/allotment/2024-06-02.json: a Slack message sharing another as an
  attachment with `is_share`/`is_msg_unfurl`, `author_id`, `author_name`, `author_subname`,
  `text`, `fallback` ("[date] name: text"), `ts`, `channel_id`/`channel_name`, `from_url`, as the
  public tests of Slack bots read them (e.g. the shared-message attachment fixtures that
  find_string finds for `"is_msg_unfurl": true`: a forwarded thread root with `author_id`,
  `author_subname`, `channel_id`, `fallback`; an unfurl with `from_url` and `author_name`).
- tests/exports/forwards/garden.discord.json: Tyrrrz/DiscordChatExporter's JSON writer
  (DiscordChatExporter.Core/Exporting/JsonMessageWriter.cs: `reference` {type "Forward",
  messageId, channelId, guildId} and `forwardedMessage` {timestamp, timestampEdited, content,
  attachments, embeds, stickers}, no author; DiscordChatExporter.Cli.Tests/Specs/
  JsonForwardSpecs.cs).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from pelican_chatlog.cli import main
from pelican_chatlog.pipeline import read_conversation

FORWARDS = Path(__file__).parent / "exports" / "forwards"
SLACK = FORWARDS / "slack" / "allotment"
DISCORD = FORWARDS / "garden.discord.json"


def shown(conversation) -> list[tuple]:
    return [(m.speaker.name, m.text, m.forwarded_from, [(a.name, a.kind, a.file) for a in m.attachments],
             [q.text for q in m.quotes]) for m in conversation.messages]


def test_a_slack_shared_message_is_forwarded_from_its_author():
    conversation = read_conversation(path=str(SLACK))
    assert [problem.message for problem in conversation.problems] == []
    assert shown(conversation) == [
        # shared alone: its text is the body, whose it is (users.json's name for author_id) the mark
        ("Mira Kovac", "Spare **runner bean** seeds, first come", "Tobin Aldous", [], []),
        # under the sharer's own words: a quote after them; an author not in users.json by author_name
        ("Tobin Aldous", "Worth a look before Saturday:\n\n> Water butts are half price at the depot\n"
         "> bring your own trolley", "Ruth Benning", [], []),
    ]


def test_a_discord_forward_carries_what_it_forwards_and_is_no_reply():
    conversation = read_conversation(path=str(DISCORD))
    assert [problem.message for problem in conversation.problems] == []  # no "reply to … not in the export"
    forecast = "https://cdn.discordapp.com/attachments/990000000000000009/990000000000000501/forecast.png"
    assert shown(conversation) == [
        ("Mira", "The **tomatoes** need staking this week", "", [], []),
        # the forwarded message is in the export: forwarded from its author
        ("Tobin", "The **tomatoes** need staking this week", "Mira", [], []),
        # from elsewhere: DCE names no author, so the text is a quote, its file the forward's
        ("Mira", "> Rain all weekend, no watering needed", "", [("forecast.png", "image", forecast)], []),
    ]


def test_forwards_convert_to_the_same_conversation(tmp_path):
    marks = {SLACK: ["Tobin Aldous", "Ruth Benning"], DISCORD: ["", "Mira", ""]}
    for export, forwarded_from in marks.items():
        post = tmp_path / f"{export.name}.chat"
        assert main(["convert", str(export), "-o", str(post)]) == 0
        back = read_conversation(path=str(post))
        assert shown(back) == shown(read_conversation(path=str(export)))
        assert [message.forwarded_from for message in back.messages] == forwarded_from
        assert [problem.message for problem in back.problems] == []


def test_forwards_build_with_their_marks_and_quotes(build_site, tmp_path):
    files: dict[str, bytes | str] = {
        "garden.discord.json": DISCORD.read_bytes(),
        "allotment.chat": "Title: Allotment\nFormat: slack\nSource: slack-export/allotment\n",
    }
    for name in ("users.json", "channels.json"):
        files[f"slack-export/{name}"] = (FORWARDS / "slack" / name).read_bytes()
    for day in SLACK.iterdir():
        files[f"slack-export/allotment/{day.name}"] = day.read_bytes()
    site = build_site(files)
    pages = {name: site.page(name) for name in site.posts() if site.page(name).select(".chatlog-message")}
    assert len(pages) == 2
    for page in pages.values():
        messages = page.select(".chatlog-message")
        forwarded = [" ".join(m.select_one(".chatlog-forwarded").get_text().split())
                     if m.select_one(".chatlog-forwarded") else "" for m in messages]
        quoted = [" ".join(m.select_one("blockquote").get_text().split()) if m.select_one("blockquote") else ""
                  for m in messages]
        if len(messages) == 2:  # Slack's
            assert forwarded == ["Forwarded from Tobin Aldous", "Forwarded from Ruth Benning"]
            assert quoted == ["", "Water butts are half price at the depot bring your own trolley"]
            assert messages[0].select_one("strong").get_text() == "runner bean"
        else:
            assert forwarded == ["", "Forwarded from Mira", ""]
            assert quoted == ["", "", "Rain all weekend, no watering needed"]
            assert messages[1].select_one("strong").get_text() == "tomatoes"
