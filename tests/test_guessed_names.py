"""Names with an apostrophe are guessed as speakers; prose with one is not.

`Conor O'Brien: hey` in a pasted chat with no `Speakers:` line was read as
narration, silently, for any name with an apostrophe (O'Brien, D’Angelo,
N’Golo). An apostrophe before a capital is a name's; one before a small
letter ("Here's the thing:", "Dana's take:") is prose's, and stays narration.
"""

import pytest

from pelican_chatlog import parse
from pelican_chatlog.model import Message, Narration
from pelican_chatlog.write import write_chat


@pytest.mark.parametrize("name", ["Conor O'Brien", "D’Angelo", "N’Golo Kanté", "Aoife O'Neill-Byrne", "d'Artagnan"])
def test_a_name_with_an_apostrophe_before_a_capital_is_a_speaker(name):
    conversation = parse(f"{name}: are you around?\nDana: yes\n{name}: great\n")
    assert [message.speaker.name for message in conversation.messages] == [name, "Dana", name]
    assert not conversation.problems


@pytest.mark.parametrize("line", [
    "Here's the thing: the stand is locked.",
    "Dana's take: it was the board.",
    "Don't: lend it out again.",
    "O'Brien's idea: a sign-out sheet.",
    "'Bob: hi",
])
def test_prose_with_an_apostrophe_before_a_small_letter_stays_narration(line):
    conversation = parse(f"{line}\nDana: yes\n")
    assert isinstance(conversation.items[0], Narration)
    assert conversation.items[0].text == line
    assert [message.speaker.name for message in conversation.messages] == ["Dana"]


def test_convert_keeps_a_narrated_line_that_now_reads_as_a_name():
    # A WhatsApp call notice is narration naming the caller; written as `.chat`, its line
    # must read back as narration, not as a message of a speaker it would make up.
    export = ("[30/01/19, 20:49:05] Dana Okafor: hi\n"
              "[30/01/19, 20:50:00] Conor O'Brien: \u200eMissed voice call\n"
              "[30/01/19, 20:51:00] Conor O'Brien: sorry, call you later\n")
    imported = parse(export, format="whatsapp")
    narrated = [item.text for item in imported.items if isinstance(item, Narration)]
    assert narrated and "Conor O'Brien: Missed voice call" in narrated[0]
    again = parse(write_chat(imported))
    assert [(type(item), item.text) for item in again.items] == [(type(item), item.text) for item in imported.items]
    assert [m.speaker.name for m in again.messages if isinstance(m, Message)] == ["Dana Okafor", "Conor O'Brien"]


def test_a_one_off_label_is_said_to_be_text_where_it_stays_in_the_message_above():
    # the line is text of Dana's message: a warning saying "narration" sent the author looking for one
    conversation = parse("Dana: hi\nSam: yo\nDana: ok\nPS: bring the key\nSam: sure\n")
    assert conversation.messages[2].text == "ok\nPS: bring the key"
    assert [problem.message.split(":")[0] for problem in conversation.problems] == ["read as text, not as a speaker"]


def test_a_label_an_emoji_decorates_is_prose_like_the_plain_label():
    # an emoji may stand in a name (`Dana 🌸:`), so `Update 🎉:` looks like one: it is the label `Update`
    conversation = parse("Dana: hi\nSam: yo\nDana: ok\n\nUpdate 🎉: we won\n\nSam: nice\nDana: yes\n")
    assert [m.speaker.name for m in conversation.messages] == ["Dana", "Sam", "Dana", "Sam", "Dana"]
    assert isinstance(conversation.items[3], Narration) and conversation.items[3].text == "Update 🎉: we won"
    assert [m.speaker.name for m in parse("Dana 🌸: hi\nSam: yo\nDana 🌸: ok\n").messages] == ["Dana 🌸", "Sam", "Dana 🌸"]


@pytest.mark.parametrize("name", ["Ana de la Cruz", "María de los Ángeles", "Jan van der Berg", "Ana Ruiz de la Vega"])
def test_particles_do_not_count_against_a_name_s_three_words(name):
    conversation = parse(f"Dana: hi\n\n{name}: hello\n")
    assert [message.speaker.name for message in conversation.messages] == ["Dana", name]


@pytest.mark.parametrize("line", ["Ana Maria Ruiz Vega: hello", "Meet me at the van: hello", "Bring the van der Berg: hi"])
def test_four_words_or_prose_with_particles_stay_narration(line):
    conversation = parse(f"Dana: hi\n\n{line}\n")
    assert [message.speaker.name for message in conversation.messages] == ["Dana"]
