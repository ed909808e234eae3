"""A last privacy attack on exports whose plain text we keep literal in Markdown.

escape_markdown marks `_`, `*`, `[` … with U+FDD0 so they stay literal: a hidden name, a
`Redact:` term or an e-mail address holding one must still be found through that mark.

WhatsApp writes italics as `_text_`, and so does Markdown: a name, term, number or address
in italics has an `_` on each side, which is a mark, not part of a word.

Fixtures of our own (invented people and text): a WhatsApp iOS export's lines
(`[2/3/24, 18:02:30] Name: text`, as tests/test_privacy_review.py has them), and the shape of
Tyrrrz/DiscordChatExporter's
JSON writer (DiscordChatExporter.Core/Exporting/JsonMessageWriter.cs: a message's `reference`
{type "Forward", messageId} and `forwardedMessage` {timestamp, content, attachments, embeds,
stickers}; an embed's `title`, `url`, `description`).
"""

from __future__ import annotations

import json

# "lee" too: the part of the address before its `_` must go with the rest of it
SECRETS = ("dana_okafor", "plot_17b", "lee_vance@example.org", "vance@example.org", "lee")


def message(number: int, author: str, **fields) -> dict:
    return {
        "id": f"99000000000000010{number}", "type": "Default",
        "timestamp": f"2024-06-02T09:{number}0:00.0000000+00:00", "timestampEdited": None,
        "callEndedTimestamp": None, "isPinned": False, "content": "",
        "author": {"id": f"9900000000000000{number}", "name": author, "discriminator": "0000",
                   "nickname": author, "color": None, "isBot": False, "roles": [],
                   "avatarUrl": "https://cdn.discordapp.com/embed/avatars/1.png"},
        "attachments": [], "embeds": [], "stickers": [], "reactions": [], "mentions": [],
        "inlineEmojis": [], **fields,
    }


def export() -> str:
    embed = {"title": "dana_okafor's stream: plot_17b, mail lee_vance@example.org",
             "url": "https://stream.example.org/watch", "timestamp": None,
             "description": "Weeding the beds", "color": None, "fields": []}
    messages = [
        message(1, "dana_okafor", content="Going live now", embeds=[embed]),
        message(2, "tobin", reference={"type": "Forward", "messageId": "990000000000000101",
                                       "channelId": "990000000000000002", "guildId": "990000000000000001"},
                forwardedMessage={"timestamp": "2024-06-02T09:10:00.000+00:00", "timestampEdited": None,
                                  "content": "Going live now", "attachments": [], "embeds": [embed],
                                  "stickers": []}),
    ]
    return json.dumps({"guild": {"id": "990000000000000001", "name": "Compost club"},
                       "channel": {"id": "990000000000000002", "type": "GuildTextChat", "name": "garden"},
                       "messages": messages})


def test_hidden_names_terms_and_addresses_in_a_forwards_embed_never_reach_the_site(build_site):
    site = build_site({
        "garden.discord.json": export(),
        "garden.chat": "Title: Garden\nFormat: discord\nSource: garden.discord.json\n"
                       "Speakers: dana_okafor (name: D.)\nRedact: plot_17b\n",
    })
    pages = [site.page(name) for name in site.posts()]
    assert any(page.select(".chatlog-message") for page in pages)
    for path in site.output.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace").casefold()
            assert not [secret for secret in SECRETS if secret in text], path


def words_in_site(site) -> str:
    return " ".join(path.read_text(encoding="utf-8", errors="replace").casefold()
                    for path in site.output.rglob("*") if path.is_file())


def test_a_term_and_a_name_that_overlap_are_hidden_whole(build_site):
    # a term ending inside a hidden name, a term starting inside one, and a shorter term
    # starting where a longer one does: each cut the other and left its rest in view
    post = """\
Title: Gate
Date: 2024-03-08
Speakers: Zqdana Zqokafor (name: D.), Marcus
Redact: /at Zqdana/, Zqokafor Zqstreet, Zqplot, Zqplot Zqnorth Zqbed

Zqdana Zqokafor: hi
Marcus: meet at Zqdana Zqokafor's gate, by Zqdana Zqokafor Zqstreet, Zqplot Zqnorth Zqbed
"""
    site = build_site({"gate.chat": post})
    assert site.page("gate.html").select(".chatlog-message")
    found = words_in_site(site)
    assert [word for word in ("zqokafor", "zqstreet", "zqnorth", "zqbed") if word in found] == []


WHATSAPP_ITALICS = """\
[2/3/24, 18:01:07] Trail Fixers: \u200eMessages and calls are end-to-end encrypted.
[2/3/24, 18:02:30] Zqdana Zqokafor: Hi all
[2/3/24, 18:03:00] Mei Lin: ask _Zqdana Zqokafor_ about _Zqplot_
[2/3/24, 18:03:40] Mei Lin: ring _+44 7700 900486_ or _07700 900487_, or mail _zqlee@example.org_
"""


def test_italic_names_terms_numbers_and_addresses_are_hidden(build_site):
    site = build_site({
        "trail.whatsapp.txt": WHATSAPP_ITALICS,
        "trail.chat": "Title: Trail\nFormat: whatsapp\nSource: trail.whatsapp.txt\n"
                      "Speakers: Zqdana Zqokafor (name: D.)\nRedact: Zqplot\n",
    })
    assert site.page("trail.html").select(".chatlog-message")
    found = words_in_site(site)
    assert [word for word in ("zqokafor", "zqplot", "900486", "900487", "zqlee") if word in found] == []
    text = " ".join(site.page("trail.html").select_one(".chatlog").get_text().split())
    assert "ask D. about ███" in text and "ring ███ or ███, or mail ███" in text
