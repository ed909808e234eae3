"""Rich messages (issue 14, the core): attachments, reactions, edited, deleted
and forwarded marks in the model, the `.chat` format, `convert` and the page.

The `.chat` syntax: lines directly under a message (no blank line between),
each in its exact form, else text:

    [image: photo.jpg]          [file: plan.pdf | files/plan.pdf]   [sticker]
    (reactions: 👍 Dana, Bob; ❤️ Sam)
    (edited)   (deleted)   (forwarded from Lena)

Importers, fixtures of our own (invented people) in the shapes these public sources show:
- WhatsApp, tests/exports/whatsapp/android-media.whatsapp.txt and ios-media.whatsapp.txt:
  starkdmi/whats_json test/data/ios/*.txt (`\u200e[…] Name: \u200eimage omitted`, iOS deleted
  messages as `Name: \u200eThis message was deleted.`) and test/data/android/*.txt; the issue's
  real samples (issue 14: `<Media omitted>`, `\u200e<attached: 00000012-PHOTO-2024-03-12-09-20-11.jpg>`,
  `<This message was edited>`, `This message was deleted.`); Android `IMG-…-WA0007.jpg (file
  attached)` with its caption on the next line, as Pustur/whatsapp-chat-parser's attachment tests
  read it.
- Telegram, tests/exports/telegram/rich.telegram.json: pypi tg-parser 1.0.0
  docs/TELEGRAM_FORMAT.md (`forwarded_from`, `media_type`, `photo`, `reactions` with `emoji` and
  `count`), kant2002/TelegramExportProcessor TelegramExportProcessor/Reaction.cs and README.md
  (reaction `type` emoji/custom_emoji/paid, `count`, `emoji`), a public TypeScript parser's
  `RawTelegramReaction { emoji, count, recent?: [{from, date}] }` and `edited`/`edited_unixtime`
  (found by the code search); RobiMez/wttm src/routes/+page.server.ts (`"file": "(File not
  included. …)"`, `media_type`, `width`, `height`).
"""

from __future__ import annotations

import pickle
import shutil

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pathlib import Path

from pelican_chatlog import (
    Attachment,
    Conversation,
    Message,
    Narration,
    Reaction,
    Speaker,
    link,
    parse,
    read_file,
    render,
)
from pelican_chatlog.readers.builder import tidy  # texts as every reader leaves them
from pelican_chatlog.readers.chat import LineContext, Mark, Text, classify, escapes
from pelican_chatlog.render import TEMPLATE_FOLDER
from pelican_chatlog.write import write_chat

HEADER = "Speakers: Dana, Bob\n\n"
RICH = HEADER + (
    "Dana: look at this\n"
    "(forwarded from Lena)\n"
    "[image: photo.jpg]\n"
    "[file: plan.pdf | files/plan.pdf]\n"
    "(reactions: 👍 Dana, Bob; ❤️ Sam; 🎉)\n"
    "(edited)\n"
    "Bob:\n"
    "(deleted)\n"
)


def rich_of(message: Message) -> tuple:
    return list(message.attachments), list(message.reactions), message.edited, message.deleted, message.forwarded_from


# --- the .chat format --------------------------------------------------------------------


def test_mark_lines_under_a_message_are_what_it_carries():
    dana, bob = parse(RICH).messages
    assert dana.text == "look at this"
    assert dana.forwarded_from == "Lena"
    assert dana.attachments == [Attachment("photo.jpg", "image"), Attachment("plan.pdf", "file", "files/plan.pdf")]
    assert dana.reactions == [Reaction("👍", ["Dana", "Bob"]), Reaction("❤️", ["Sam"]), Reaction("🎉", [])]
    assert dana.edited and not dana.deleted
    assert bob.text == "" and bob.deleted and not bob.edited


@pytest.mark.parametrize("line", ["[image]", "[video: a.mp4]", "[audio: voice note.ogg]", "[sticker: 😀]"])
def test_each_attachment_kind_is_a_mark(line):
    event = classify(line, LineContext.of(["Dana"]))
    assert isinstance(event, Mark) and event.attachment is not None


@pytest.mark.parametrize("line", [
    "(Edited)", "(edited) yes", "edited", "[image:photo.jpg]", "[photo: x.jpg]", "[image: x.jpg] ok",
    "(reactions:)", "(reactions: )", "(forwarded from )", "(forwarded from)", "(deleted.)",
])
def test_near_misses_stay_text(line):
    assert isinstance(classify(line, LineContext.of(["Dana"])), Text)
    (message,) = parse(HEADER + f"Dana: hi\n{line}\n").messages
    assert message.text == f"hi\n{line}" and rich_of(message) == ([], [], False, False, "")


@pytest.mark.parametrize("chat", [
    "(edited)\n[image: a.jpg]\n\nDana: hi\n",  # above any message
    "Dana: hi\n\n(edited)\n[image: a.jpg]\n",  # after a blank line: narration
    "Dana: hi\nQuoting Dana: “hi”\n(edited)\nBob: yes\n",  # under a quote, not a message
])
def test_a_mark_under_no_message_is_text(chat):
    conversation = parse(HEADER + chat)
    assert all(rich_of(message) == ([], [], False, False, "") for message in conversation.messages)
    assert any("(edited)" in item.text for item in conversation.items if isinstance(item, Narration))


def test_a_backslash_keeps_a_mark_line_as_text():
    (message,) = parse(HEADER + "Dana: hi\n\\(edited)\n\\[image: a.jpg]\n").messages
    assert message.text == "hi\n(edited)\n[image: a.jpg]" and not message.edited and not message.attachments
    assert escapes("(edited)", LineContext.of(["Dana"]))


def test_convert_keeps_every_mark_and_escapes_body_lines_that_look_like_one():
    conversation = parse(RICH)
    conversation.messages[1].text = "(edited)\n[image: not an attachment]"
    written = write_chat(conversation)
    assert "Bob: (edited)\n\\[image: not an attachment]\n(deleted)" in written
    again = parse(written)
    assert [rich_of(m) for m in again.messages] == [rich_of(m) for m in conversation.messages]
    assert [m.text for m in again.messages] == [m.text for m in conversation.messages]


def test_convert_writes_a_name_with_a_bar_and_no_file_so_it_reads_back():
    message = Message(Speaker("Dana"), "hi", 1, attachments=[Attachment("a | b.jpg", "image")])
    again = parse(write_chat(Conversation(items=[message], speakers=[message.speaker]))).messages[0]
    assert again.attachments == [Attachment("a | b.jpg", "image")]


# --- random rich messages: convert, pickle, render -----------------------------------------

NAME = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x00,;| "), min_size=1, max_size=8)
TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x00"), max_size=20)
attachments = st.builds(Attachment, NAME | st.just(""), st.sampled_from(["image", "video", "audio", "file", "sticker"]),
                        st.just("") | NAME)
reactions = st.builds(Reaction, NAME, st.lists(NAME, max_size=3))


@st.composite
def rich_conversations(draw) -> Conversation:
    speakers = [Speaker("Dana"), Speaker("Bob")]
    items = [
        Message(
            draw(st.sampled_from(speakers)), tidy(draw(TEXT)), number, id=f"msg-{number}",
            attachments=draw(st.lists(attachments, max_size=2)), reactions=draw(st.lists(reactions, max_size=2)),
            edited=draw(st.booleans()), deleted=draw(st.booleans()), forwarded_from=draw(st.just("") | NAME),
        )
        for number in range(1, draw(st.integers(1, 5)) + 1)
    ]
    return Conversation(items=items, speakers=speakers)


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                             HealthCheck.function_scoped_fixture])


@SETTINGS
@given(rich_conversations())
def test_random_rich_messages_convert_and_read_back(conversation):
    again = parse(write_chat(conversation)).messages
    assert [(m.text, *rich_of(m)) for m in again] == [(m.text, *rich_of(m)) for m in conversation.messages]


@SETTINGS
@given(rich_conversations())
def test_rich_messages_survive_pickle(conversation):
    again = pickle.loads(pickle.dumps(conversation))
    assert [rich_of(m) for m in again.messages] == [rich_of(m) for m in conversation.messages]


@pytest.fixture(scope="module")
def copied_templates(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("templates")
    shutil.copytree(TEMPLATE_FOLDER / "chatlog", folder / "chatlog")
    return str(folder)


@SETTINGS
@given(conversation=rich_conversations())
def test_rich_messages_render_the_same_through_jinja_and_directly(conversation, copied_templates):
    conversation = parse(write_chat(conversation))  # linked: ids, sides
    assert render(conversation) == render(conversation, template_folders=[copied_templates])


# --- the page -----------------------------------------------------------------------------


def test_the_page_shows_marks_as_text_readable_without_css():
    page = BeautifulSoup(render(parse(RICH.replace("Lena", "<b>Lena</b>"))), "html.parser")
    dana, bob = page.select("li.chatlog-message")
    assert dana.select_one(".chatlog-forwarded").get_text() == "Forwarded from <b>Lena</b>"
    assert [span.get_text() for span in dana.select(".chatlog-attachment")] == ["[image: photo.jpg]",
                                                                                 "[file: plan.pdf]"]
    assert "chatlog-image" in dana.select_one(".chatlog-attachment")["class"]
    assert not dana.select("img") and "files/plan.pdf" not in str(dana)  # a placeholder: no file is shown
    reactions = dana.select_one("ul.chatlog-reactions")
    assert reactions["aria-label"] == "Reactions"
    assert [li.get_text() for li in reactions.select("li")] == ["👍 2: Dana, Bob", "❤️ 1: Sam", "🎉"]
    assert dana.select_one(".chatlog-edited").get_text() == "(edited)"
    assert bob.select_one(".chatlog-deleted").get_text() == "(deleted)"
    text = dana.get_text()
    assert text.index("Forwarded from") < text.index("look at this") < text.index("[image: photo.jpg]")


def test_a_plain_message_has_none_of_the_marks():
    html = render(parse(HEADER + "Dana: hi\n"))
    for name in ("chatlog-forwarded", "chatlog-attachment", "chatlog-reactions", "chatlog-edited", "chatlog-deleted"):
        assert name not in html


def test_the_marks_are_styled_small_and_muted():
    css = (TEMPLATE_FOLDER.parent / "static" / "chatlog.css").read_text()
    for name in ("chatlog-attachment", "chatlog-reactions", "chatlog-edited", "chatlog-deleted", "chatlog-forwarded"):
        assert f".chatlog .{name}" in css
    assert "--chatlog-small: max(12px" in css


# --- importers ----------------------------------------------------------------------------

EXPORTS = Path(__file__).parent / "exports"


def converted_the_same(conversation: Conversation) -> None:
    again = parse(write_chat(conversation)).messages
    assert [(m.text, *rich_of(m)) for m in again] == [(m.text, *rich_of(m)) for m in conversation.messages]
    page = BeautifulSoup(render(conversation), "html.parser")
    assert len(page.select(".chatlog-attachment")) == sum(len(m.attachments) for m in conversation.messages)


def test_whatsapp_android_media_edits_and_deletions():
    conversation = link(read_file(str(EXPORTS / "whatsapp" / "android-media.whatsapp.txt")))
    assert [(m.text, *rich_of(m)) for m in conversation.messages] == [
        ("Morning! Photos from Sunday coming", [], [], False, False, ""),
        ("", [Attachment("", "file")], [], False, False, ""),  # <Media omitted>
        ("The bridge at dawn", [Attachment("IMG-20240314-WA0007.jpg", "image", "IMG-20240314-WA0007.jpg")],
         [], False, False, ""),
        ("", [], [], False, True, ""),
        ("Meet at 8, not 7", [], [], True, False, ""),
        ("", [Attachment("PTT-20240314-WA0008.opus", "audio", "PTT-20240314-WA0008.opus")], [], False, False, ""),
        ("", [], [], False, True, ""),  # You deleted this message
    ]
    assert conversation.problems == []
    converted_the_same(conversation)


def test_whatsapp_ios_media_edits_and_deletions():
    conversation = link(read_file(str(EXPORTS / "whatsapp" / "ios-media.whatsapp.txt")))
    assert [(m.speaker.name, m.text, *rich_of(m)) for m in conversation.messages] == [
        ("Dana Okafor", "Look at this", [], [], False, False, ""),
        ("Dana Okafor", "", [Attachment("00000012-PHOTO-2024-03-14-09-20-11.jpg", "image",
                                        "00000012-PHOTO-2024-03-14-09-20-11.jpg")], [], False, False, ""),
        ("Marek Nowak", "", [Attachment("", "video")], [], False, False, ""),
        ("Marek Nowak", "", [Attachment("", "sticker")], [], False, False, ""),
        ("Priya Raman", "", [], [], False, True, ""),  # a message deleted, not a system line
        ("Dana Okafor", "Saturday then", [], [], True, False, ""),
    ]
    assert not any(isinstance(item, Narration) for item in conversation.items)
    converted_the_same(conversation)


def test_telegram_attachments_reactions_edits_and_forwards():
    conversation = link(read_file(str(EXPORTS / "telegram" / "rich.telegram.json")))
    route, bridge, gpx, voice = conversation.messages
    assert route.reactions == [Reaction("👍", ["Marek Nowak", "Priya Raman"]), Reaction("🔥", ["Marek Nowak"])]
    assert bridge.text == "The bridge, still closed" and bridge.edited
    assert bridge.attachments == [Attachment("photo_3@14-03-2024_09-20-00.jpg", "image",
                                             "photos/photo_3@14-03-2024_09-20-00.jpg")]
    assert gpx.forwarded_from == "Lena Fischer" and gpx.text == ""
    assert gpx.attachments == [Attachment("loop-north.gpx", "file")]  # not included: no path
    assert voice.attachments == [Attachment("audio_1@14-03-2024_09-22-00.ogg", "audio",
                                            "voice_messages/audio_1@14-03-2024_09-22-00.ogg")]
    assert voice.quotes[0].target is bridge
    assert conversation.problems == []
    converted_the_same(conversation)
    page = BeautifulSoup(render(conversation), "html.parser")
    assert [li.get_text() for li in page.select(".chatlog-reactions li")] == [
        "👍 2: Marek Nowak, Priya Raman", "🔥 1: Marek Nowak"]
    assert page.select_one(".chatlog-forwarded").get_text() == "Forwarded from Lena Fischer"
