"""Issue 14's Done-when, app by app: one export per app in its real shape carrying every
rich feature the app exports, read by its importer, `convert` → read giving the same
conversation, and a Pelican build checked with BeautifulSoup.  Also: a reply's quoted
preview shows the text as plain text (no `~~`, `**`, `[…](…)` marks) and never a
spoiler in clear, nor does a post's summary.

What each app's export carries (IRC logs have none of these features):
- WhatsApp: media (omitted or attached, a caption), edits, deletions, its formatting.
  No replies, reactions or forwards: the text export does not write them.
- Telegram: media, replies (to media too), reactions with counts, edits, forwards,
  calls, stickers, entities.  No deletions: a deleted message is not exported.
- Slack: files, thread replies (to files too), reactions with counts, edits, a deleted
  thread parent, link previews, mrkdwn.
- Discord: attachments, stickers, replies (to attachments too, to deleted messages),
  reactions with counts, edits, embeds, calls, its Markdown with spoilers.
- Signal (signal-export's Markdown): attachments, stickers, reactions, deletions,
  replies.  No edits or formatting: the export does not write them.

Fixtures of our own (invented people and text) in the shapes these public sources show:
- tests/exports/whatsapp/everything.whatsapp.txt: Android export lines as Pustur/
  whatsapp-chat-parser's attachment tests read them (`IMG-….jpg (file attached)` with the
  caption on the next line), `<Media omitted>`, `<This message was edited>`, `This message
  was deleted` / `You deleted this message` (issue 14's real samples); formatting as
  chatwithio/free-whatsapp-inbox src/app/shared/pipes/whatsapp-format.pipe.ts.
- tests/exports/telegram/everything.telegram.json: Telegram Desktop result.json as
  kant2002/TelegramExportProcessor README and mlomb/chat-analytics
  pipeline/parse/parsers/Telegram.d.ts (entities, `pre` with `language`, `text_link`
  `href`), the tg-parser package's docs/TELEGRAM_FORMAT.md (`forwarded_from`,
  `media_type`, `photo`, `sticker_emoji`, reactions `{emoji, count}` with `recent`);
  `phone_call` with `duration_seconds` and `discard_reason` as the service entry of
  Telegram's messageActionPhoneCall (danog/MadelineProtoDocs constructors/
  messageActionPhoneCall.md: call_id, reason, duration).
- tests/exports/slack/workshop/2024-05-11.json: Slack's export message shape (`files`,
  `reactions` {name, users, count}, `edited`, `thread_ts`/`parent_user_id`, link previews
  in `attachments`, a `tombstone` thread parent) as described in tests/test_apps_rich.py's
  sources (a public Slack TypeScript client's SlackReaction/SlackFile interfaces, public
  bots' tests of `"subtype": "tombstone"`); mrkdwn (`*bold*`, `~strike~`, `<url|text>`,
  `&gt;` quotes, ``` blocks) as Slack's formatting reference.
- tests/exports/discord/everything.discord.json: DiscordChatExporter JSON as
  mlomb/chat-analytics pipeline/parse/parsers/Discord.d.ts (`type` Default/Reply/Call,
  `timestampEdited`, `callEndedTimestamp`, `reference.messageId`, `attachments`,
  `stickers`, `reactions` {emoji, count, users}, `embeds`, `inlineEmojis`), `--media`
  paths as Tyrrrz/DiscordChatExporter ExportAssetDownloader.cs names them.
- tests/exports/signal/everything.signal.txt: carderne/signal-export sigexport/models.py
  `Message.to_md` (reactions `(- Name: emoji -)`, a sticker `(( emoji ))`, attachments as
  `[name](./path)  ` with `!` for an image, `(This message was deleted)`, a reply as a
  `>` block after a blank line).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from pelican_chatlog import Conversation, Message, link, render
from pelican_chatlog.cli import main
from pelican_chatlog.pipeline import read_conversation
from pelican_chatlog.readers import FORMATS
from pelican_chatlog.summary import chat_post_parts, clip

EXPORTS = Path(__file__).parent / "exports"
EXPORT_OF = {
    "whatsapp": EXPORTS / "whatsapp" / "everything.whatsapp.txt",
    "telegram": EXPORTS / "telegram" / "everything.telegram.json",
    "slack": EXPORTS / "slack" / "workshop",
    "discord": EXPORTS / "discord" / "everything.discord.json",
    "signal": EXPORTS / "signal" / "everything.signal.txt",
}
SPOILER = "the blue hubs"  # the spoiler's words in the Telegram and Discord exports

# What each app's fixture carries, as features() names it: the audit, app by app.
FEATURES = {
    "whatsapp": {"image", "file", "audio", "caption", "edited", "deleted", "bold", "strike", "code block"},
    "telegram": {"image", "file", "audio", "sticker", "reactions", "reaction count", "edited", "forwarded",
                 "reply", "reply to media", "event", "bold", "strike", "spoiler", "link", "code block"},
    "slack": {"image", "file", "reactions", "reaction count", "edited", "deleted", "reply", "reply to media",
              "bold", "strike", "link", "code block", "block quote"},
    "discord": {"image", "file", "sticker", "caption", "reactions", "reaction count", "edited", "reply", "reply to media",
                "event", "strike", "underline", "spoiler", "link", "code block"},
    "signal": {"image", "file", "audio", "sticker", "reactions", "deleted", "reply", "caption"},
}


def features(conversation: Conversation) -> set[str]:
    found = set()
    for item in conversation.items:
        if not isinstance(item, Message):
            found.add("event")
            continue
        found.update(attachment.kind for attachment in item.attachments)
        if item.attachments and item.text:
            found.add("caption")
        if item.reactions:
            found.add("reactions")
        if any(reaction.count for reaction in item.reactions):
            found.add("reaction count")  # more reacted than the export names
        found.update(mark for mark in ("edited", "deleted") if getattr(item, mark))
        if item.forwarded_from:
            found.add("forwarded")
        for quote in item.quotes:
            found.add("reply")
            if quote.target is not None and quote.target.attachments and not quote.target.text:
                found.add("reply to media")
        signs = {"bold": "**", "strike": "~~", "underline": "++", "spoiler": "||", "link": "](",
                 "code block": "```"}
        found.update(name for name, sign in signs.items() if sign in item.text)
        if item.text.startswith("> "):
            found.add("block quote")
    return found


def model(conversation: Conversation) -> list[tuple]:
    """Everything a reader sees of a conversation: a quote by the position of its target."""
    position = {id(message): index for index, message in enumerate(conversation.messages)}
    shown: list[tuple] = []
    for item in conversation.items:
        if not isinstance(item, Message):
            shown.append(("narration", item.text))
            continue
        shown.append((
            item.speaker.name, item.text, item.time,
            [(quote.speaker.name, quote.text, position.get(id(quote.target))) for quote in item.quotes],
            [(a.name, a.kind, a.file) for a in item.attachments],
            [(r.emoji, r.who, r.count) for r in item.reactions],
            item.edited, item.deleted, item.forwarded_from,
        ))
    return shown


@pytest.mark.parametrize("app", sorted(EXPORT_OF))
def test_each_apps_export_carries_every_feature_and_converts_to_the_same_conversation(app, tmp_path):
    export = read_conversation(path=str(EXPORT_OF[app]))
    assert features(export) == FEATURES[app]
    post = tmp_path / f"{app}.chat"
    assert main(["convert", str(EXPORT_OF[app]), "-o", str(post)]) == 0
    back = read_conversation(path=str(post))
    assert model(back) == model(export)
    assert [problem.message for problem in back.problems] == []
    assert post.read_text(encoding="utf-8").count("\nStatus: draft\n") == 1


def test_calls_say_how_long_they_lasted():
    said = {app: [item.text for item in read_conversation(path=str(EXPORT_OF[app])).items
                  if not isinstance(item, Message)] for app in ("telegram", "discord")}
    assert said == {"telegram": ["2024-05-11 10:10:00 Oren Adler called (12 min 0 s)"],
                    "discord": ["2024-05-11 10:05 Oren called (12 min 0 s)"]}


def test_a_deleted_slack_thread_parent_is_its_authors_not_slackbots(tmp_path):
    conversation = read_conversation(path=str(EXPORT_OF["slack"]))
    deleted = [message for message in conversation.messages if message.deleted]
    assert [message.speaker.name for message in deleted] == ["Bob Smith"]  # its reply's parent_user_id
    post = tmp_path / "workshop.chat"
    assert main(["convert", str(EXPORT_OF["slack"]), "-o", str(post)]) == 0
    assert "USLACKBOT" not in post.read_text(encoding="utf-8")


def test_a_telegram_sticker_is_a_sticker_attachment():
    conversation = read_conversation(path=str(EXPORT_OF["telegram"]))
    sticker = conversation.messages[-1]
    assert (sticker.text, model(conversation)[-2][4]) == ("", [("🚲", "sticker", "stickers/sticker.webp")])


# --- quote previews and summaries ---------------------------------------------------------


def discord_reply_to(content: str) -> Conversation:
    import json

    export = {"channel": {"name": "x"}, "messages": [
        {"id": "1", "type": "Default", "timestamp": "2020-01-01T12:00:00+00:00", "author": {"name": "aya"},
         "content": content},
        {"id": "2", "type": "Reply", "timestamp": "2020-01-01T12:01:00+00:00", "author": {"name": "bo"},
         "content": "ok", "reference": {"messageId": "1"}},
    ]}
    return link(FORMATS["discord"].read(json.dumps(export)))


def preview_of(page: str) -> str:
    return BeautifulSoup(page, "html.parser").select_one(".chatlog-quote p").get_text()


@pytest.mark.parametrize(("content", "shown"), [
    ("gear ~~28~~ 32, **new** __hubs__ `11-34`", "gear 28 32, new hubs 11-34"),
    ("winner: ||the blue hubs|| ok", "winner: [spoiler] ok"),
    ("see [the chart](https://wheels.example.org/) or https://a.example.org",
     "see the chart or https://a.example.org"),
    ("> asked\nanswer ||**secret** word||", "asked\nanswer [spoiler]"),
    ("```\nx = 1\n\ny = 2\n```", "x = 1\n\ny = 2"),
    ("plain <b>&amp; text", "plain <b>&amp; text"),
])
def test_a_quote_preview_is_the_text_without_marks_and_spoilers_hidden(content, shown):
    conversation = discord_reply_to(content)
    page = render(conversation)
    assert preview_of(page) == shown
    assert BeautifulSoup(page, "html.parser").select(".chatlog-quote a") == [
        BeautifulSoup(page, "html.parser").select_one(".chatlog-quote > a")]  # no link inside the quote's link


def test_plain_export_text_that_only_looks_like_marks_is_quoted_as_typed():
    conversation = link(FORMATS["telegram"].read(
        '{"name": "x", "messages": ['
        '{"id": 1, "type": "message", "date": "2024-05-04T09:00:00", "from": "Aya", "text": "a ||b|| ~~c~~ **d**"},'
        '{"id": 2, "type": "message", "date": "2024-05-04T09:01:00", "from": "Bo", "reply_to_message_id": 1,'
        ' "text": "ok"}]}'))
    assert preview_of(render(conversation)) == "a ||b|| ~~c~~ **d**"


def test_a_spoiler_in_a_long_quoted_body_is_hidden_too():
    conversation = discord_reply_to("x " * 12_000 + "||the blue hubs||")
    preview = preview_of(render(conversation))
    assert SPOILER not in preview and preview.endswith("[spoiler]")


def test_a_summary_shows_no_spoiler_in_clear():
    page = render(discord_reply_to("winner: ||the blue hubs|| ok"))
    parts = chat_post_parts(page)
    assert parts is not None and clip(parts, None, "") == "aya: winner: [spoiler] ok bo: ok"


# --- a Pelican build, each app ---------------------------------------------------------------

# (attachments shown as placeholders or links, reaction lines, edited, deleted, forwarded, quotes
# linked to their message, narration lines) on each app's page
PAGE_COUNTS = {
    "whatsapp": (4, 0, 1, 2, 0, 0, 0),
    "telegram": (4, 1, 1, 0, 1, 3, 1),
    "slack": (2, 2, 1, 1, 0, 3, 0),
    "discord": (3, 2, 1, 0, 0, 2, 1),
    "signal": (4, 2, 0, 1, 0, 2, 0),
}


def build_files(app: str) -> dict[str, bytes | str]:
    if app == "slack":  # a channel folder is read through a post's `Source:`, users.json beside it
        files: dict[str, bytes | str] = {
            "slack-export/users.json": (EXPORTS / "slack" / "users.json").read_bytes(),
            "slack-export/channels.json": (EXPORTS / "slack" / "channels.json").read_bytes(),
            "workshop.chat": "Title: Workshop\nFormat: slack\nSource: slack-export/workshop\n",
        }
        for day in EXPORT_OF["slack"].iterdir():
            files[f"slack-export/workshop/{day.name}"] = day.read_bytes()
        return files
    return {EXPORT_OF[app].name: EXPORT_OF[app].read_bytes()}


@pytest.mark.parametrize("app", sorted(EXPORT_OF))
def test_each_apps_export_builds_with_its_rich_messages(app, build_site):
    site = build_site(build_files(app))
    [name] = [name for name in site.posts() if site.page(name).select(".chatlog-message")]
    page = site.page(name)
    counts = (
        len(page.select(".chatlog-attachment")), len(page.select(".chatlog-reactions li")),
        len(page.select(".chatlog-edited")), len(page.select(".chatlog-deleted")),
        len(page.select(".chatlog-forwarded")), len(page.select('.chatlog-quote > a[href^="#msg-"]')),
        len(page.select(".chatlog-narration")),
    )
    assert counts == PAGE_COUNTS[app]
    for quote in page.select(".chatlog-quote p"):
        text = quote.get_text()
        assert SPOILER not in text
        assert not any(mark in text for mark in ("~~", "**", "||", "++", "](", "```")), text
    if app in ("telegram", "discord"):
        assert page.select_one(".chatlog-spoiler").get_text() == SPOILER  # covered by CSS, in the page
        assert page.select_one(".chatlog-message del").get_text() == "28"
    if app != "signal":
        assert page.select(".chatlog-message pre code")
    hrefs = " ".join(a.get("href", "") for a in page.find_all("a"))
    assert "_Files" not in hrefs and "./media" not in hrefs and "files.slack.com" not in hrefs


def test_a_signal_exports_media_folder_shows_its_image_and_links_its_file(build_site):
    """signal-export writes the files into `media/` beside the chat, named in `./media/…` links."""
    import io

    from PIL import Image

    photo = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(photo, "JPEG")
    site = build_site({
        "rides/everything.signal.txt": EXPORT_OF["signal"].read_bytes(),
        "rides/media/rim.jpg": photo.getvalue(),
        "rides/media/tension.pdf": b"%PDF-1.4\n% an invented document\n",
    })
    [name] = [name for name in site.posts() if site.page(name).select(".chatlog-message")]
    page = site.page(name)
    [image] = page.select(".chatlog-media img")
    assert (image["alt"], image["width"], image["height"]) == ("rim.jpg", "64", "48")
    assert (site.output / image["src"].lstrip("/")).read_bytes() == photo.getvalue()
    linked = [span.get_text() for span in page.select(".chatlog-attachment") if span.a]
    assert linked == ["[file: tension.pdf, 32 Bytes]"]
    assert [span.get_text() for span in page.select(".chatlog-attachment") if not span.a] == [
        "[sticker: 🚲]", "[audio: note.m4a]"]  # not in the folder: placeholders
