"""Privacy rules on the model: renamed speakers, masked contacts, redactions.

Shapes of the fixtures, written here with invented people and numbers:
- WhatsApp iOS names an unsaved contact by its number between bidi marks,
  `[2/3/24, 18:02:30] \u202a+44 7700 900123\u202c: text`, Android without them,
  `12/11/20, 6:40 PM - +1 555-0134: text` (see tests/exports/whatsapp/, and the
  whatsapp-export-inconsistencies notes in github.com/AyazKhuraishi/whatsapp-export-inconsistencies);
- a WhatsApp mention of an unsaved contact is `@` and the number's digits
  (`@5511999999999`, as WhatsApp bots' mention parsers read it), of a saved
  one `@\u2068Name\u2069` (U+2068/U+2069 around the name).
"""

from __future__ import annotations

import pickle

from pelican_chatlog import parse
from pelican_chatlog.privacy import rename_speakers

TWO_NAMES = """\
Title: Lunch with Dana Okafor
Speakers: Dana Okafor, Marcus_R, +44 7700 900123

Dana Okafor: hi @Marcus_R, dana  okafor here
Marcus_R: hi @\u2068Dana Okafor\u2069 and @447700900123
Quoting Dana Okafor: “dana okafor here”
+44 7700 900123: Marcus_R told me. (+44) no: +447700900123 is me
"""


def test_rename_speakers_renames_them_and_every_mention_of_them():
    conversation = parse(TWO_NAMES)
    dana, marcus, number = conversation.speakers
    rename_speakers(conversation, {dana: "Person 1", number: "Person 2"})

    assert [(s.name, s.slug, s.initials, s.display_name) for s in conversation.speakers] == [
        ("Person 1", "person-1", "P1", ""),
        ("Marcus_R", "marcus-r", "MR", ""),
        ("Person 2", "person-2", "P2", ""),
    ]
    first, second, third = conversation.messages
    assert first.text == "hi @Marcus_R, Person 1 here"
    assert second.text == "hi @\u2068Person 1\u2069 and @Person 2"
    assert third.text == "Marcus_R told me. (+44) no: Person 2 is me"
    assert third.quotes[0].text == "Person 1 here"
    assert third.quotes[0].target is first  # linked before, still linked
    assert first.quoted_by[0].speaker is number
    assert conversation.metadata["title"] == "Lunch with Person 1"
    assert "Okafor" not in repr(pickle.loads(pickle.dumps(conversation)).__dict__)
