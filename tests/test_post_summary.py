"""A chat post's own summary is its opening messages as a reader sees them.

Index pages print the summary and notmyidea puts it in a <meta> tag: a
spoiler's words must not stand there in clear, nor Markdown marks as typed.
"""

from __future__ import annotations

import json

CHAT = (
    "Title: Race night\nDate: 2024-03-05\n\n"
    "Dana: the winner is ||Bob Zeller|| and it was **close**\n"
    "Marcus: ~~28~~ 30 laps, see [results](https://example.org/r)\n"
)


def summary_of(site, page_name: str) -> str:
    """The summary as notmyidea prints it: in the article page's <meta name="description">."""
    meta = site.page(page_name).find("meta", attrs={"name": "description"})
    assert meta is not None
    return " ".join(meta["content"].split())


def test_a_chat_posts_summary_hides_spoilers_and_drops_marks(build_site):
    site = build_site({"race.chat": CHAT})
    summary = summary_of(site, "race-night.html")
    assert "Zeller" not in summary and "||" not in summary and "**" not in summary and "~~" not in summary
    assert summary == "Dana: the winner is [spoiler] and it was close Marcus: 28 30 laps, see results"


def test_a_spoiler_in_a_discord_export_post_stays_out_of_the_summary(build_site):
    export = {
        "guild": {"id": "1", "name": "Co-op"},
        "channel": {"id": "2", "type": "GuildTextChat", "name": "races"},
        "messages": [
            {"id": "10", "type": "Default", "timestamp": "2024-03-05T18:02:00+00:00", "content": "it was ||Bob Zeller||",
             "author": {"id": "5", "name": "dana", "nickname": "Dana", "isBot": False}, "attachments": [],
             "embeds": [], "reactions": [], "mentions": []},
        ],
    }
    site = build_site({"races.discord.json": json.dumps(export)})
    (post,) = site.posts()
    assert summary_of(site, post) == "Dana: it was [spoiler]"
