"""An author's redaction wins over a renaming that would cut the term apart.

Found by the Hypothesis proof (tests/test_privacy_build.py): a `Redact:`
phrase holding a hidden speaker's name was left in view once the name inside
it had been renamed first.
"""

from __future__ import annotations

from pelican_chatlog import Privacy, parse

POST = """\
Title: Notes
Speakers: Zorblax Quint (name: Z.), Marcus
Redact: Zorblax Quint of Elm Road

Zorblax Quint: I am Zorblax Quint of Elm Road, hello
Marcus: hi Zorblax Quint
"""


def test_a_redacted_phrase_holding_a_hidden_name_is_masked_whole():
    conversation = parse(POST)
    first, second = conversation.messages
    assert first.text == "I am ███, hello"
    assert second.text == "hi Z."
    assert [speaker.name for speaker in conversation.speakers] == ["Z.", "Marcus"]


def test_a_term_inside_a_shown_name_is_masked_too():
    conversation = parse("Speakers: Dana (name: Dana of Elm Road), Marcus\nRedact: Elm Road\n\nDana: hi\nMarcus: hi Dana\n")
    assert conversation.messages[1].text == "hi Dana of ███"


def test_a_hidden_name_holding_a_redacted_word_is_renamed_whole():
    # the other way round, also found by the proof: masking the word first left the rest of the name
    conversation = parse(
        "Speakers: Zorblax Quint (name: Z.), Marcus\nRedact: Zorblax\n\n"
        "Zorblax Quint: hi\nMarcus: hi Zorblax Quint, and Zorblax alone\n"
    )
    assert conversation.messages[1].text == "hi Z., and ███ alone"


def test_a_term_inside_a_contacts_number_leaves_no_digits_of_it():
    export = (
        "[2/3/24, 18:02:30] \u202a+44 7700 900123\u202c: are you coming?\n"
        "[2/3/24, 18:03:10] Marcus R: yes @447700900123, call +44 7700 900456\n"
    )
    conversation = parse(export, format="whatsapp", privacy=Privacy(redact=("/7700/",)))
    assert conversation.messages[1].text == "yes @Contact 1, call ███"
