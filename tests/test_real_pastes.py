"""Real pasted and exported shapes with the names and texts people really have.

Every fixture here is ours (invented people and text), in the shapes these public sources show:

- WhatsApp iOS: starkdmi/whats_json, test/data/ios/*.txt (17 real exports, 2022, with and without
  media): U+200E opens the line only before an attachment (`\\u200e[3/27/22, 21:41:55] Name:
  \\u200e<attached: …>`, `\\u200eBild weggelassen`); the encryption notice, `Your security code
  with … changed`, deleted messages and `Location:` lines start with `[` and carry the mark after
  the name only. Other parsers' fixtures (found by find_string "\\u200e[", e.g. a Portuguese
  IOS_LEADING_MARK sample `\\u200e[10/02/26, 09:38:02] Name: \\u200eMessages and calls are
  end-to-end encrypted.`, and a test "Some iOS exports prepend the LTR mark to all lines") show
  the notice after U+200E too: our tests/exports/whatsapp-ios.whatsapp.txt has that shape.
- Pastes: the sources named at the top of tests/test_pastes.py (Slack `Dana Okafor  6:02 PM`,
  Discord `Dana — Today at 6:02 PM`, Teams `[6:02 PM] Dana Okafor`, Telegram Desktop
  `Dana Okafor, [12.03.2024 18:02]`, WhatsApp Web `[18:02, 12/03/2024] Dana: text`), and our own
  `Dana: text` DM shape (README "Pasting from an app").
"""

from __future__ import annotations

import pytest

from pelican_chatlog import parse
from pelican_chatlog.model import Narration
from pelican_chatlog.write import write_chat


def said(conversation) -> list[tuple[str, str]]:
    return [(m.speaker.name, m.text) for m in conversation.messages]


def narration(conversation) -> list[str]:
    return [item.text for item in conversation.items if isinstance(item, Narration)]


# --- WhatsApp iOS: which lines U+200E opens ---------------------------------------------------


def test_ios_notices_after_a_mark_before_the_line_are_narration_not_messages():
    conversation = parse("\n".join([
        "\u200e[3/9/24, 08:00:00] Siân Ní Bhriain: \u200eMessages and calls are end-to-end encrypted. "
        "No one outside of this chat, not even WhatsApp, can read or listen to them.",
        "\u200e[3/9/24, 08:00:01] Siân Ní Bhriain: \u200e\u200eYour security code with Siân Ní Bhriain "
        "changed. \u200eTap to learn more.",
        "\u200e[3/9/24, 08:02:00] Siân Ní Bhriain: \u200eMissed voice call",
        "[3/9/24, 08:03:00] Siân Ní Bhriain: Sorry, on the tram",
        "\u200e[3/9/24, 08:04:00] Siân Ní Bhriain: \u200e<attached: 00000007-PHOTO-2024-03-09-08-04-00.jpg>",
        "\u200e[3/9/24, 08:05:00] Conor O'Brien: \u200eimage omitted",
    ]), format="whatsapp")
    assert said(conversation) == [
        ("Siân Ní Bhriain", "Sorry, on the tram"), ("Siân Ní Bhriain", ""), ("Conor O'Brien", ""),
    ]
    assert [[a.kind for a in m.attachments] for m in conversation.messages] == [[], ["image"], ["image"]]
    assert [text.split(": ", 1)[1][:24] for text in narration(conversation)] == [
        "Messages and calls are e", "Your security code with ", "Missed voice call",
    ]


def test_ios_group_notice_after_a_mark_before_the_line_names_the_group():
    conversation = parse("\n".join([
        "\u200e[3/9/24, 08:00:00] Trail Fixers: \u200eMessages and calls are end-to-end encrypted.",
        "[3/9/24, 08:00:01] Trail Fixers: \u200eConor O'Brien added you",
        "[3/9/24, 08:01:00] Conor O'Brien: Welcome!",
    ]), format="whatsapp")
    assert said(conversation) == [("Conor O'Brien", "Welcome!")]
    assert conversation.metadata["title"] == "Trail Fixers"


# --- pastes: which shape a file is read in ------------------------------------------------------


def test_a_discord_paste_whose_messages_hold_labels_stays_a_discord_paste():
    conversation = parse("\n".join([
        "Date: 2024-03-12", "",
        "Siân Ní Bhriain — Today at 6:02 PM",
        "Note: bring water",
        "Update: the trail is closed past the bridge",
        "Conor O'Brien — Today at 6:04 PM",
        "PS: I have a pump",
    ]))
    assert said(conversation) == [
        ("Siân Ní Bhriain", "Note: bring water\nUpdate: the trail is closed past the bridge"),
        ("Conor O'Brien", "PS: I have a pump"),
    ]
    assert [m.time.hour for m in conversation.messages] == [18, 18]


def test_one_heading_like_line_in_our_own_chat_stays_ours():
    conversation = parse("Dana: hi\nBen — Today at 6:02 PM\nMarcus: yo\n")
    assert said(conversation) == [("Dana", "hi\nBen — Today at 6:02 PM"), ("Marcus", "yo")]


# --- our own `Dana: text` shape: names people really have -------------------------------------


@pytest.mark.parametrize("name", ["🦊 Fox", "Dana 🌸", "Jean-Luc d'Arc", "Vincent van Gogh", "María del Mar"])
def test_names_with_an_emoji_or_a_small_particle_are_speakers(name):
    text = f"Date: 2024-03-12\n\nDana: the stand is back\n{name}: finally\nDana: come by at six\n{name}: ok\n"
    conversation = parse(text)
    assert [m.speaker.name for m in conversation.messages] == ["Dana", name, "Dana", name]
    assert not conversation.problems
    assert [m.speaker.name for m in parse(write_chat(conversation)).messages] == ["Dana", name, "Dana", name]


@pytest.mark.parametrize("line", ["Lunch at de Kas: great", "Meet the van: at six", "🔥🔥: so good", "Ana de: hi"])
def test_prose_with_particles_or_emoji_stays_text(line):
    conversation = parse(f"{line}\nDana: yes\nBen: no\nDana: ok\n")
    assert conversation.items[0].text == line
    assert [m.speaker.name for m in conversation.messages] == ["Dana", "Ben", "Dana"]


@pytest.mark.parametrize("status", [":palm_tree:", ":house_with_garden:"])
def test_a_slack_status_emoji_after_the_name_keeps_the_message(status):
    # Slack copies a status emoji as its code after the name (the `:emoji:` a paste
    # cleaner strips: see the module's sources); the name ending in `:` hid the heading
    one_line = f"Date: 2024-03-12\n\nDana Okafor {status}  6:02 PM\nhey all\nBen Lee  6:05 PM\nyes\nDana Okafor  6:06 PM\nback\n"
    two_lines = f"Date: 2024-03-12\n\nDana Okafor {status}\n  6:02 PM\nhey all\nBen Lee\n  6:05 PM\nyes\n"
    assert said(parse(one_line)) == [("Dana Okafor", "hey all"), ("Ben Lee", "yes"), ("Dana Okafor", "back")]
    assert said(parse(two_lines)) == [("Dana Okafor", "hey all"), ("Ben Lee", "yes")]
    assert parse(one_line).messages[0].time.hour == 18


TELEGRAM_REPLIES = """Date: 2024-03-12

Conor O'Brien, [12.03.2024 18:02]
who has a pump?

José Álvarez, [12.03.2024 18:03]
[In reply to Conor O'Brien]
I do, a floor pump

Mary Ann Smith, [12.03.2024 18:04]
[In reply to Siân Ní Bhriain]
not in this paste
"""


def test_a_telegram_reply_line_quotes_the_message_it_answers():
    # `Gerhard, [03/06/2022 21:58]` ↵ `[In reply to Sammy Tuga]` and `Яша, [05.10.2022 10:12]` ↵
    # `[In reply to Vladimir Sarychev]`: Telegram Desktop copies pasted into public files
    # (find_string "[In reply to "), the line in English whatever the app's language
    conversation = parse(TELEGRAM_REPLIES)
    assert said(conversation) == [
        ("Conor O'Brien", "who has a pump?"),
        ("José Álvarez", "I do, a floor pump"),
        ("Mary Ann Smith", "[In reply to Siân Ní Bhriain]\nnot in this paste"),  # no target: kept as text
    ]
    [quote] = conversation.messages[1].quotes
    assert (quote.speaker.name, quote.text) == ("Conor O'Brien", "who has a pump?")
    assert quote.target is conversation.messages[0]
    assert not conversation.messages[2].quotes
    again = parse(write_chat(conversation))
    assert said(again) == said(conversation)
    assert [[q.text for q in m.quotes] for m in again.messages] == [[], ["who has a pump?"], []]


def test_the_pelican_reader_builds_these_shapes(build_site):
    discord = ("Title: Pump\nDate: 2024-03-12\n\nSiân Ní Bhriain — Today at 6:02 PM\nNote: bring water\n"
               "Update: the trail is closed\nConor O'Brien — Today at 6:04 PM\nPS: I have a pump\n")
    names = "Title: Names\nDate: 2024-03-12\n\nDana: here\n🦊 Fox: me too\nDana: good\n🦊 Fox: ok\n"
    site = build_site({"pump.chat": discord, "names.chat": names, "replies.chat": "Title: Replies\n" + TELEGRAM_REPLIES})
    speakers, quotes = {}, {}
    for post in site.posts():
        page = site.page(post)
        title = page.title.get_text().split("|")[0].strip()
        speakers[title] = [li["data-speaker"] for li in page.select("li.chatlog-message")]
        quotes[title] = [quote.get("class") for quote in page.select("blockquote.chatlog-quote")]
    assert speakers["Pump"] == ["Siân Ní Bhriain", "Conor O'Brien"]
    assert speakers["Names"] == ["Dana", "🦊 Fox", "Dana", "🦊 Fox"]
    assert speakers["Replies"] == ["Conor O'Brien", "José Álvarez", "Mary Ann Smith"]
    assert len(quotes["Replies"]) == 1 and "chatlog-quote-unresolved" not in quotes["Replies"][0]
