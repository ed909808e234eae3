"""What mutation fuzzing of the readers found (session 5): each a small fixed case.

Shapes, with invented people and text:
- Telegram Desktop's `result.json` (Export chat history → Machine-readable JSON): a message's
  `text` is a string or a list of plain strings and entity objects (`{"type": "text_link",
  "text": …, "href": …}`, `bold`, …), which may be empty strings; see Telegram Desktop's
  Telegram/SourceFiles/export/output/export_output_json.cpp and the entity types listed in
  github.com/kant2002/TelegramExportProcessor (README).
- Slack's export day files: a list of messages whose `text` is mrkdwn, a link written
  `<https://…|label>` (docs.slack.dev/messaging/formatting-message-text/).
"""

from __future__ import annotations

import json

from bs4 import BeautifulSoup

from pelican_chatlog import parse, render
from pelican_chatlog.privacy import Privacy

GUIDE = "https://wheels.example/guide"


def links_and_text(conversation) -> tuple[list[tuple[str, str]], str]:
    body = BeautifulSoup(render(conversation), "html.parser").select_one(".chatlog-message")
    assert body is not None
    return [(a.get_text(), a["href"]) for a in body.select("a:not([href^='#'])")], body.get_text()


def telegram_export(parts: list) -> str:
    return json.dumps({"name": "Wheel Builders", "type": "private_group", "id": 7, "messages": [{
        "id": 1, "type": "message", "date": "2024-05-02T18:01:00", "from": "Ines Varga", "from_id": "user1",
        "text": parts,
    }]})


def test_a_telegram_text_link_after_a_bang_and_an_empty_part_is_still_a_link():
    # the `!` before a text link is marked literal (else `Done![…](…)` is an image's syntax,
    # refused); an empty part between them, a "" or an entity with no text, hid the `!`
    for empty in ("", {"type": "bold", "text": ""}):
        conversation = parse(telegram_export(
            ["Done!", empty, {"type": "text_link", "text": "the guide", "href": GUIDE}]), format="telegram")
        links, text = links_and_text(conversation)
        assert links == [("the guide", GUIDE)]
        assert "Done!the guide" in text and "](" not in text


def test_a_slack_labelled_link_right_after_a_bang_is_a_link_not_an_image():
    day = json.dumps([{"type": "message", "user": "U01", "ts": "1548881400.000200",
                       "text": f"Trued it!<{GUIDE}|the guide> and!<https://wheels.example/spokes|spokes>"}])
    links, text = links_and_text(parse(day, format="slack"))
    assert links == [("the guide", GUIDE), ("spokes", "https://wheels.example/spokes")]
    assert "Trued it!the guide and!spokes" in text and "](" not in text


def discord_export(content: str) -> str:
    # DiscordChatExporter's JSON (github.com/Tyrrrz/DiscordChatExporter, format Json)
    return json.dumps({"guild": {"id": "1", "name": "Wheel Builders"}, "channel": {"id": "2", "name": "general"},
                       "messages": [{"id": "3", "type": "Default", "timestamp": "2024-05-02T18:01:00+00:00",
                                     "author": {"id": "4", "name": "ines", "nickname": "Ines Varga"},
                                     "content": content}]})


def test_a_redacted_term_right_beside_a_link_is_hidden():
    # the view that finds names across a link's text leaves the link's marks out, which joined
    # the words beside them into one: `[map](…)Zeller Street` read "mapZeller Street" and
    # was not found, though the page shows the link (or, refused, its address) then the term
    privacy = Privacy.from_settings({"CHATLOG_REDACT": ["Zeller Street"], "CHATLOG_REDACT_MASK": "XXX"})
    for content, shown in [
        ("[the map](a:b)Zeller Street", "the map (a:b)XXX"),  # a refused link shows its address
        ("[the map](https://wheels.example/map)Zeller Street", "the mapXXX"),
        ("at[Zeller Street](https://wheels.example/map)", "atXXX"),
        ("Zeller Street[map](https://wheels.example/map)", "XXXmap"),
        ("[by Zeller Street](https://wheels.example/map)s", "by XXXs"),
    ]:
        conversation = parse(discord_export(content), format="discord", privacy=privacy)
        text = links_and_text(conversation)[1]
        assert shown in text and "Zeller" not in text, content
