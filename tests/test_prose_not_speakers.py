"""Bloggers' narration around a chat is not a speaker's message; a clock set back
a little is not a new day.

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


# --- a bare time a little earlier than the one before it stays on its day ----------------------
# ZNC's log module writes one file a day, each line stamped `[HH:MM:SS]` in local
# time (github.com/znc/znc modules/log.cpp); a bouncer replaying its buffer, or the hour summer
# time gives back, sets the clock back a little without a new day.

def times(conversation):
    return [m.time.isoformat() for m in conversation.messages]


def test_an_irc_log_set_back_a_minute_stays_on_its_day():
    log = "[10:05:10] <dana> the stand is back\n[10:04:58] <sam> finally\n[10:06:02] <dana> come by\n"
    conversation = parse("Title: Stand\nFormat: irc\nDate: 2024-03-05\n\n" + log)
    assert times(conversation) == ["2024-03-05T10:05:10", "2024-03-05T10:04:58", "2024-03-05T10:06:02"]


def test_the_hour_summer_time_gives_back_stays_on_its_day_and_midnight_still_rolls_over():
    log = "[02:59:40] <dana> still up\n[02:00:15] <sam> clocks went back\n[23:58:00] <dana> night\n[00:01:00] <sam> night\n"
    conversation = parse("Title: Late\nFormat: irc\nDate: 2024-10-27\n\n" + log)
    assert times(conversation) == [
        "2024-10-27T02:59:40", "2024-10-27T02:00:15", "2024-10-27T23:58:00", "2024-10-28T00:01:00"]


def test_a_chat_s_own_time_lines_set_back_a_minute_stay_on_their_day():
    conversation = parse("Title: t\nDate: 2024-03-05\n\nDana: a\n10:05\nSam: b\n10:04\nDana: c\n10:06\n")
    assert times(conversation) == ["2024-03-05T10:05:00", "2024-03-05T10:04:00", "2024-03-05T10:06:00"]
