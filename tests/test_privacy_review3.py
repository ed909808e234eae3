"""A last privacy attack on exports whose plain text we keep literal in Markdown.

escape_markdown marks `_`, `*`, `[` … with U+FDD0 so they stay literal: a hidden name, a
`Redact:` term or an e-mail address holding one must still be found through that mark.

Fixture of our own (invented people and text) in the shape of Tyrrrz/DiscordChatExporter's
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
