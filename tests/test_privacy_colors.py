"""A speaker's colour is made from the name the page shows, never from a hidden one.

Colours are stable per name (colors.py): one made from a hidden name would let
a reader test guesses of that name against the page's colours.
"""

from __future__ import annotations

from pelican_chatlog import parse

WHATSAPP = """\
[2/3/24, 18:02:30] \u202a{number}\u202c: are you coming?
[2/3/24, 18:03:10] Marcus R: yes, at eight
"""


def colors(conversation):
    return [(speaker.name, speaker.color) for speaker in conversation.speakers]


def test_a_display_name_colours_the_speaker_as_that_name_would():
    hidden = parse("Speakers: Dana Okafor (name: D.), Marcus\n\nDana Okafor: hi\nMarcus: hello\n")
    shown = parse("D.: hi\nMarcus: hello\n")
    assert colors(hidden) == colors(shown)


def test_a_contact_colour_does_not_depend_on_the_hidden_number():
    first = parse(WHATSAPP.format(number="+44 7700 900123"), format="whatsapp")
    second = parse(WHATSAPP.format(number="+1 555-0134"), format="whatsapp")
    assert [s.name for s in first.speakers] == ["Contact 1", "Marcus R"]
    assert colors(first) == colors(second)


def test_a_colour_the_author_chose_is_kept_under_the_shown_name():
    conversation = parse("Speakers: Dana Okafor (name: D., color: #b03a5b)\n\nDana Okafor: hi\n")
    assert colors(conversation) == [("D.", "#b03a5b")]
