"""Bloggers' narration around a chat is not a speaker's message.

Narration shapes: headings and labels a blogger writes around a pasted chat in a
`.chat` post ("Day 2 🚲:", "Morning ☀️:", "Update 2 🚨:"), invented here. Since
an emoji may stand in a name (`Dana 🌸`), every such label with an emoji was read
as a new speaker saying one line; on 07a08be each was narration.
"""

import pytest

from pelican_chatlog import parse
from pelican_chatlog.model import Narration

# the lines that turned into speakers' messages since 07a08be (a probe of 70 narration lines)
EMOJI_HEADINGS = [
    "Day 2 🚲: headwind all day.",
    "Day 3 🏖️: rest day.",
    "Morning ☀️: fog.",
    "Evening 🌙: pasta.",
    "Update 2 🚨: the ferry was late.",
    "Warning ⚠️: long post.",
    "Me 🙃: why did we do this?",
    "Round 1 🥊: Ana wins.",
    "Scene 3 🎬: the campsite.",
    "Bonus 🎁: a map of the route.",
    "Mood 😴: tired.",
    "Weather 🌧️: grim.",
    "Step 2 🔧: fix the chain.",
    "Monday 🗓️: packing.",
    "Breakfast 🥐: croissants.",
    "Question ❓: who has the key?",
    "Answer ✅: Ben does.",
    "Fazit 🤔: es hat sich gelohnt.",
    "Tag 2 🚲: Gegenwind.",
    "Jour 2 🚲: vent de face.",
    "Día 2 🚲: viento en contra.",
    "Giorno 2 🚲: vento contrario.",
    "Dag 2 🚲: tegenwind.",
]


def narrations(conversation):
    return [(item.text, item.line) for item in conversation.items if isinstance(item, Narration)]


@pytest.mark.parametrize("line", EMOJI_HEADINGS)
def test_a_heading_an_emoji_decorates_stays_narration_between_two_speakers(line):
    conversation = parse(f"Ana: morning\nBen: hey\nAna: off we go\n\n{line}\n\nBen: so\nAna: yes\nBen: ok\n")
    assert [m.speaker.name for m in conversation.messages] == ["Ana", "Ben", "Ana", "Ben", "Ana", "Ben"]
    assert narrations(conversation) == [(line, 5)]
    assert [p.message.split(":")[0] for p in conversation.problems] == ["read as text, not as a speaker"]


def test_a_name_with_an_emoji_who_speaks_again_is_still_a_speaker():
    conversation = parse("Ana: morning\nDana 🌸: hi\nAna: so\n\nDay 2 🚲: rain\n\nDana 🌸: yes\n")
    assert [m.speaker.name for m in conversation.messages] == ["Ana", "Dana 🌸", "Ana", "Dana 🌸"]
    assert narrations(conversation) == [("Day 2 🚲: rain", 5)]
