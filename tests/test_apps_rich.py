"""Rich content of Discord, Slack and Signal exports (issue 14), and replies to
media-only messages through `convert`.

Fixtures of our own (invented people and text) in the shapes these public
sources show:
- Discord, tests/exports/discord/rich.discord.json: DiscordChatExporter's JSON
  writer as described by mlomb/chat-analytics pipeline/parse/parsers/Discord.d.ts
  (message `type` Default/Reply, `timestampEdited`, `reference.messageId`,
  `attachments` {id, url, fileName, fileSizeBytes}, `stickers` {id, name, format},
  `reactions` {count, emoji {id, name, isAnimated, imageUrl}}) and
  MMK21Hub/MMK21Hub.github.io discord-explorer/index.ts (`embeds`, `timestampEdited`);
  with `--media` the `url` is the saved file's path (`…_Files\\name-HASH.png`), the
  shape issue 14 reports; `users` under a reaction as newer DiscordChatExporter
  versions write it (an optional field: read when present).
- Slack, tests/exports/slack/repairs/2024-05-04.json: Slack's export message shape
  (`files` with name/title/mimetype/url_private/permalink, `reactions`
  [{name, users, count}], `edited` {user, ts}, link previews in `attachments` with
  from_url/title/title_link/original_url) as a public Slack TypeScript client's
  interfaces show it (`SlackReaction {name, count, users}`, `SlackFile {name,
  mimetype, url}`; found by the code search) and the reactions example of a public
  Slack event handler (`"reactions": [{"name": "smirk", "users": [...], "count": 1}]`);
  skin tones as `pray::skin-tone-3`; a deleted thread parent as
  `{"subtype": "tombstone", "text": "This message was deleted.", "user": "USLACKBOT",
  "hidden": true}`, as Slack's API delivers it in several public bots' tests (found by
  the code search for `"subtype": "tombstone"`).
- Signal, tests/exports/signal/rich.signal.txt: carderne/signal-export
  sigexport/models.py `Message.to_md` (reactions as `\\n(- Name: emoji, … -)`, a
  sticker without a file as `\\n(( label ))`, each attachment appended as
  `[name](./path)  ` with `!` before an image, a deleted message as
  `(This message was deleted)`) and its `MergeMessage.to_message`, which reads
  them back the same way.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from bs4 import BeautifulSoup

from pelican_chatlog import Attachment, Conversation, Message, Quote, Reaction, link, parse, read_file, render
from pelican_chatlog.readers import FORMATS
from pelican_chatlog.write import write_chat

EXPORTS = Path(__file__).parent / "exports"


def rich_of(message: Message) -> tuple:
    return (message.speaker.name, message.text, list(message.attachments), list(message.reactions), message.edited,
            message.deleted, message.forwarded_from)


def shape(conversation: Conversation) -> list:
    position = {id(message): index for index, message in enumerate(conversation.messages)}
    return [
        (*rich_of(message), [(q.speaker.name, q.text, position.get(id(q.target))) for q in message.quotes])
        for message in conversation.messages
    ]


def converted_the_same(conversation: Conversation) -> Conversation:
    """convert → read gives the same messages, quotes (linked to the same messages) and marks."""
    again = link(parse(write_chat(conversation)))
    assert shape(again) == shape(conversation)
    assert again.problems == []
    return again


def page_of(conversation: Conversation) -> BeautifulSoup:
    page = BeautifulSoup(render(conversation), "html.parser")
    hrefs = [a.get("href", "") for a in page.find_all("a")]
    for message in conversation.messages:
        for attachment in message.attachments:
            assert attachment.file not in hrefs  # a url or path from an export is a note, never a link
    return page


# --- Discord ----------------------------------------------------------------------------


def test_discord_media_reactions_edits_embeds_stickers_and_replies():
    conversation = link(read_file(str(EXPORTS / "discord" / "rich.discord.json")))
    tool, media, toast, sticker, orphan = conversation.messages
    assert rich_of(tool) == ("Aya", "Chain tool is back on the wall", [],
                             [Reaction("👍", ["Bo", "Cem"]), Reaction(":wrench_spin:", [], 1)], True, False, "")
    assert media.text == ""
    assert media.attachments == [
        Attachment("chain.png", "image", "repairs.json_Files\\chain-5A1B2.png"),  # --media, on Windows
        Attachment("wheel-true.mp4", "video", "media/wheel-true-7C3D1.mp4"),
    ]
    assert toast.text == ("That chain is toast, see the guide\n"
                          "[Measuring chain wear](https://bikes.example.org/chain-wear)\n"
                          "When to swap a chain, and how to tell.")
    # a reply to media only quotes what the message carries
    assert toast.quotes[0].target is media
    assert toast.quotes[0].text == "[image: chain.png] [video: wheel-true.mp4]"
    assert sticker.attachments == [
        Attachment("Thumbs Up Bike", "sticker", "https://media.discordapp.net/stickers/880000000000000700.png")]
    assert sticker.quotes[0].target is toast
    assert not orphan.quotes  # a reply to a deleted message: a warning, the message kept
    assert [p.message for p in conversation.problems] == [
        "a reply to message 880000000000000099, which is not in the export"]
    converted_the_same(conversation)
    page = page_of(conversation)
    assert [li.get_text() for li in page.select(".chatlog-reactions li")] == ["👍 2: Bo, Cem", ":wrench_spin: 1"]
    assert len(page.select(".chatlog-attachment")) == 3
    assert len(page.select(".chatlog-edited")) == 1
    assert "repairs.json_Files" not in str(page.find_all("a"))
    assert page.find("a", href="https://bikes.example.org/chain-wear").get_text() == "Measuring chain wear"


def test_discord_embed_with_an_unsafe_url_is_not_a_link():
    export = {"channel": {"name": "x"}, "messages": [
        {"id": "1", "type": "Default", "timestamp": "2020-01-01T12:00:00+00:00", "author": {"name": "jane"},
         "content": "look", "embeds": [{"title": "Click", "url": "javascript:alert(1)", "description": "<b>x</b>"}]},
    ]}
    page = render(link(FORMATS["discord"].read(json.dumps(export))))
    soup = BeautifulSoup(page, "html.parser")
    assert not any("script" in a.get("href", "") for a in soup.find_all("a"))
    assert "Click" in soup.get_text() and "<b>x</b>" in soup.get_text()  # shown, not markup


# --- Slack ------------------------------------------------------------------------------


def test_slack_files_reactions_edits_link_previews_and_a_thread_reply_to_a_file():
    conversation = link(read_file(str(EXPORTS / "slack" / "repairs")))
    tool, files, toast, parts = conversation.messages
    assert rich_of(tool) == ("Jane Doe", "Chain tool is back on the wall", [],
                             [Reaction("👍", ["Bob Smith", "Carol Reyes"]), Reaction(":wrench_spin:", ["Carol Reyes"])],
                             True, False, "")
    assert files.text == ""
    assert files.attachments == [
        Attachment("chain.png", "image", "https://files.slack.com/files-pri/T0RIDES01-F0000000001/chain.png"),
        Attachment("loop-north.gpx", "file", "https://files.slack.com/files-pri/T0RIDES01-F0000000002/loop-north.gpx"),
    ]
    assert files.reactions == [Reaction("👀", ["Jane Doe"])]
    assert toast.quotes[0].target is files  # a thread reply to a message of files only
    assert toast.quotes[0].text == "[image: chain.png] [file: loop-north.gpx]"
    assert toast.text == "That chain is toast, see https://bikes.example.org/chain-wear"  # its preview repeats it
    assert parts.text == ("Parts list for Saturday\n"
                          "[Saturday parts: chains, tubes, brake pads](https://shop.example.org/list/42)")
    assert parts.reactions == [Reaction("🙏", ["Bob Smith"])]  # a skin tone is dropped
    assert conversation.problems == []
    converted_the_same(conversation)
    page = page_of(conversation)
    assert [li.get_text() for li in page.select(".chatlog-reactions li")] == [
        "👍 2: Bob Smith, Carol Reyes", ":wrench_spin: 1: Carol Reyes", "👀 1: Jane Doe", "🙏 1: Bob Smith"]
    assert len(page.select(".chatlog-attachment")) == 2 and len(page.select(".chatlog-edited")) == 1
    assert "files.slack.com" not in str(page.find_all("a"))


def test_slack_deleted_thread_parent_is_a_deleted_message_its_replies_still_quote():
    export = [
        {"type": "message", "subtype": "tombstone", "text": "This message was deleted.", "user": "USLACKBOT",
         "hidden": True, "ts": "1714814020.000200", "thread_ts": "1714814020.000200", "reply_count": 1},
        {"type": "message", "text": "still here", "user": "U02", "ts": "1714814042.000300",
         "thread_ts": "1714814020.000200"},
    ]
    conversation = link(FORMATS["slack"].read(json.dumps(export)))
    gone, reply = conversation.messages
    assert (gone.text, gone.deleted) == ("", True)
    assert reply.quotes[0].target is gone
    converted_the_same(conversation)


# --- Signal -----------------------------------------------------------------------------


def test_signal_export_reactions_attachments_stickers_and_deletions():
    conversation = link(read_file(str(EXPORTS / "signal" / "rich.signal.txt")))
    assert [rich_of(m) for m in conversation.messages] == [
        ("Aya Brenner", "Who is bringing the pump on Saturday?", [],
         [Reaction("👍", ["Bo Lindqvist", "Cem Aydın"])], False, False, ""),
        ("Bo Lindqvist", "", [Attachment("IMG_2041.jpg", "image", "./media/IMG_2041.jpg")], [], False, False, ""),
        ("Cem Aydın", "I am, and the spare tubes", [], [Reaction("❤️", ["Aya Brenner"])], False, False, ""),
        ("Aya Brenner", "Route as a file", [Attachment("river-loop.gpx", "file", "./media/river-loop.gpx")],
         [Reaction("🙏", ["Bo Lindqvist"])], False, False, ""),
        ("Bo Lindqvist", "", [Attachment("🚲", "sticker")], [], False, False, ""),
        ("Cem Aydın", "", [], [], False, True, ""),
        ("Aya Brenner", "voice note:", [Attachment("photo.jpg", "image", "./media/photo.jpg"),
                                        Attachment("note.m4a", "audio", "./media/note.m4a")], [], False, False, ""),
        ("Bo Lindqvist", "", [Attachment("chain.png", "image", "./media/chain.png")],
         [Reaction("😂", ["Aya Brenner"])], False, False, ""),
        ("Cem Aydın", "nice, thanks", [], [], False, False, ""),
    ]
    pump, _, tubes, route, *_, thanks = conversation.messages
    assert tubes.quotes[0].target is pump and thanks.quotes[0].target is route
    assert conversation.problems == []
    converted_the_same(conversation)
    page = page_of(conversation)
    assert len(page.select(".chatlog-deleted")) == 1
    assert len(page.select(".chatlog-attachment")) == 6
    assert "./media/" not in str(page.find_all("a"))


def test_signal_lines_that_only_look_like_marks_in_the_middle_stay_text():
    text = "[2024-05-04 09:12:03] Aya: (- Bo: 👍 -) is how it looks\n[x](./y) in a sentence\n"
    [message] = FORMATS["signal"].read(text).messages
    assert message.text == "(- Bo: 👍 -) is how it looks\n[x](./y) in a sentence"
    assert not message.reactions and not message.attachments


# --- replies to media-only messages, through convert --------------------------------------


def telegram_chat(*entries: dict) -> str:
    messages = [{"id": number, "type": "message", "date": f"2024-05-04T09:{number:02d}:00", **entry}
                for number, entry in enumerate(entries, start=1)]
    return json.dumps({"name": "Rides", "type": "private_group", "id": 7, "messages": messages})


def test_telegram_replies_to_media_only_messages_convert_and_read_back():
    export = telegram_chat(
        {"from": "Aya", "from_id": "user1", "photo": "photos/photo_1@04-05-2024_09-01-00.jpg", "width": 1280,
         "height": 960, "text": "", "text_entities": []},
        {"from": "Bo", "from_id": "user2", "file": "voice_messages/audio_1@04-05-2024_09-02-00.ogg",
         "media_type": "voice_message", "mime_type": "audio/ogg", "duration_seconds": 4, "text": ""},
        {"from": "Cem", "from_id": "user3", "reply_to_message_id": 1, "text": "nice light"},
        {"from": "Aya", "from_id": "user1", "reply_to_message_id": 2, "text": "can't hear it"},
        {"from": "Cem", "from_id": "user3", "reply_to_message_id": 1, "text": "again"},
    )
    conversation = link(FORMATS["telegram"].read(export))
    photo, voice, light, hear, again = conversation.messages
    assert [m.quotes[0].target for m in (light, hear, again)] == [photo, voice, photo]
    assert [m.quotes[0].text for m in (light, hear, again)] == [
        "[image: photo_1@04-05-2024_09-01-00.jpg]", "[audio: audio_1@04-05-2024_09-02-00.ogg]",
        "[image: photo_1@04-05-2024_09-01-00.jpg]"]
    back = converted_the_same(conversation)
    assert len(back.messages) == 5
    page = page_of(back)
    assert page.select(".chatlog-quote")[0].get_text(" ", strip=True) == "Aya [image: photo_1@04-05-2024_09-01-00.jpg]"
    assert [m.quotes[0].target is back.messages[i] for m, i in zip(back.messages[2:], (0, 1, 0))] == [True] * 3


def test_discord_reply_to_an_attachment_only_message_converts_and_reads_back():
    export = {"channel": {"name": "x"}, "messages": [
        {"id": "1", "type": "Default", "timestamp": "2020-01-01T12:00:00+00:00", "author": {"name": "aya"},
         "content": "", "attachments": [{"id": "5", "url": "x.json_Files\\a-1.png", "fileName": "a.png"}]},
        {"id": "2", "type": "Default", "timestamp": "2020-01-01T12:01:00+00:00", "author": {"name": "aya"},
         "content": "and another thing"},
        {"id": "3", "type": "Reply", "timestamp": "2020-01-01T12:02:00+00:00", "author": {"name": "bo"},
         "content": "what a picture", "reference": {"messageId": "1"}},
    ]}
    conversation = link(FORMATS["discord"].read(json.dumps(export)))
    picture, _, reply = conversation.messages
    assert reply.quotes[0].target is picture
    back = converted_the_same(conversation)
    assert back.messages[2].quotes[0].target is back.messages[0]
    assert back.messages[0].attachments == [Attachment("a.png", "image", "x.json_Files\\a-1.png")]


def test_a_reply_to_a_whatsapp_media_message_converts_and_reads_back():
    """WhatsApp exports write no replies; an author who quotes a photo in a
    converted chat (or a tool that merges replies in) must get it back."""
    conversation = link(read_file(str(EXPORTS / "whatsapp" / "android-media.whatsapp.txt")))
    later = conversation.messages[-1]
    media = [m for m in conversation.messages[:-1] if m.attachments and not m.text]
    assert len(media) == 2
    for target in media:
        later.own("quotes").append(Quote(target.speaker, target.text, later.line, target=target))
    back = converted_the_same(conversation)
    position = {id(m): i for i, m in enumerate(back.messages)}
    assert [position[id(q.target)] for q in back.messages[-1].quotes] == [
        conversation.messages.index(m) for m in media]


# --- a Pelican build --------------------------------------------------------------------


def test_each_rich_export_builds_with_its_marks(build_site, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(EXPORTS / "slack", content / "slack-export")
    site = build_site({
        "repairs.discord.json": (EXPORTS / "discord" / "rich.discord.json").read_bytes(),
        "rides.signal.txt": (EXPORTS / "signal" / "rich.signal.txt").read_bytes(),
        "slack-repairs.chat": "Title: Slack repairs\nFormat: slack\nSource: slack-export/repairs\n",
    })
    pages = {name: site.page(name) for name in site.posts()}
    found = {}
    for name, page in pages.items():
        if page.select(".chatlog-message"):
            found[name] = (len(page.select(".chatlog-attachment")), len(page.select(".chatlog-reactions li")),
                           len(page.select(".chatlog-edited")), len(page.select(".chatlog-deleted")))
    assert sorted(found.values()) == sorted([(3, 2, 1, 0), (6, 4, 0, 1), (2, 4, 1, 0)])
    for page in pages.values():
        hrefs = " ".join(a.get("href", "") for a in page.find_all("a"))
        assert "_Files" not in hrefs and "./media" not in hrefs and "files.slack.com" not in hrefs
