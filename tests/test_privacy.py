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


import pytest  # noqa: E402

from pelican_chatlog import ChatlogError, Privacy, render  # noqa: E402
from pelican_chatlog.privacy import check_regex, read_terms  # noqa: E402

HIDDEN_NAME = """\
Title: Coffee with Dana Okafor
Tags: Dana Okafor, coffee
Speakers: Dana Okafor (name: D.), Marcus_R
Me: Marcus_R

Dana Okafor: Hi! Dana Okafor here, @Marcus_R
18:02
Marcus_R: Hello @Dana Okafor, dana OKAFOR
18:03
Quoting Dana Okafor: “Dana Okafor here”
Marcus_R: quoted
(reactions: 👍 Dana Okafor)
(forwarded from Dana Okafor)
[file: Dana Okafor CV.pdf]
"""


def everything(conversation) -> str:
    """The page and every text of the model, to look for what must be gone."""
    return render(conversation) + repr(conversation.metadata) + repr(conversation.items)


def test_a_name_shown_instead_hides_the_original_everywhere_and_quotes_still_link():
    conversation = parse(HIDDEN_NAME)
    dana, marcus = conversation.speakers
    assert (dana.name, dana.display_name, dana.slug, dana.initials) == ("D.", "", "d", "D")
    first, second, third = conversation.messages
    assert third.quotes[0].target is first and first.quoted_by[0].id == third.id
    assert second.text == "Hello @D., D."
    assert third.reactions[0].who == ["D."] and third.forwarded_from == "D."
    assert third.attachments[0].name == "D. CV.pdf"
    assert conversation.metadata["title"] == "Coffee with D."
    assert conversation.metadata["tags"] == "D., coffee"
    assert "okafor" not in everything(conversation).lower()


def test_a_site_display_name_hides_the_original_too():
    styles = {"dana okafor": {"name": "D."}}
    conversation = parse("Dana Okafor: hi, Dana Okafor here\nMarcus_R: hi", speaker_styles=styles)
    assert [s.name for s in conversation.speakers] == ["D.", "Marcus_R"]
    assert "okafor" not in everything(conversation).lower()


# WhatsApp iOS: an unsaved contact's number between U+202A and U+202C; Android: bare.
WHATSAPP_IOS = """\
[2/3/24, 18:01:07] Trail Fixers: \u200eMessages and calls are end-to-end encrypted.
[2/3/24, 18:02:30] \u202a+44 7700 900123\u202c: \u200e\u202a+44 7700 900123\u202c joined using this group's invite link
[2/3/24, 18:03:00] Mei Lin: Welcome @447700900123! Mail me at mei.lin@example.org or call 07700 900456
[2/3/24, 18:04:12] \u202a+44 7700 900123\u202c: Thanks! I am +44 7700 900123, Ana is \u202a+1 (555) 010-2030\u202c
[2/3/24, 18:05:00] \u202a+1 (555) 010-2030\u202c: hi all
"""


def test_an_export_hides_contacts_phone_numbers_and_addresses_by_default():
    conversation = parse(WHATSAPP_IOS, format="whatsapp")
    assert [s.name for s in conversation.speakers] == ["Mei Lin", "Contact 1", "Contact 2"]
    welcome, thanks, _ = conversation.messages
    assert welcome.text == "Welcome @Contact 1! Mail me at ███ or call ███"
    assert thanks.text == "Thanks! I am Contact 1, Ana is Contact 2"
    joined = conversation.items[1].text
    assert "Contact 1 joined" in joined and "7700" not in joined


def test_each_export_default_can_be_turned_off_by_the_site():
    quiet = parse(WHATSAPP_IOS, format="whatsapp", privacy=Privacy(pseudonyms=False, mask_emails=False))
    assert [s.name for s in quiet.speakers] == ["Mei Lin", "+44 7700 900123", "+1 (555) 010-2030"]
    welcome = quiet.messages[0].text
    assert welcome == "Welcome @███! Mail me at mei.lin@example.org or call ███"
    off = Privacy(pseudonyms=False, mask_phones=False, mask_emails=False)
    nothing = parse(WHATSAPP_IOS, format="whatsapp", privacy=off)
    assert nothing.messages[0].text == "Welcome @447700900123! Mail me at mei.lin@example.org or call 07700 900456"


def test_settings_turn_the_rules_on_and_off(tmp_path):
    privacy = Privacy.from_settings(
        {"CHATLOG_PSEUDONYMS": False, "CHATLOG_MASK_PHONES": True, "CHATLOG_REDACT": ["Mei"],
         "CHATLOG_REDACT_MASK": "[gone]"}
    )
    assert privacy == Privacy(("Mei",), "[gone]", pseudonyms=False, mask_phones=True, mask_emails=None)
    chat = parse("Mei Lin: call 07700 900456 or mail a@b.org\nBo: ok", privacy=privacy)
    assert chat.messages[0].text.replace("\ufdd0", "") == "call [gone] or mail a@b.org"
    assert chat.speakers[0].name == "[gone] Lin"
    for settings, named in [
        ({"CHATLOG_MASK_PHONES": "yes"}, "CHATLOG_MASK_PHONES"),
        ({"CHATLOG_REDACT": "Mei"}, "CHATLOG_REDACT"),
        ({"CHATLOG_REDACT": ["/(a+)+/"]}, "CHATLOG_REDACT"),
        ({"CHATLOG_REDACT_MASK": ""}, "CHATLOG_REDACT_MASK"),
    ]:
        with pytest.raises(ChatlogError, match=named):
            Privacy.from_settings(settings)


def test_hand_written_chat_keeps_numbers_unless_asked():
    text = (
        "Speakers: Mei Lin, +44 7700 900123\n\n"
        "Mei Lin: call 07700 900456 or mail mei@example.org\n+44 7700 900123: ok"
    )
    kept = parse(text)
    assert kept.messages[0].text == "call 07700 900456 or mail mei@example.org"
    assert kept.speakers[1].name == "+44 7700 900123"
    masked = parse("Mask: phones, contacts\n" + text)
    assert masked.messages[0].text == "call ███ or mail mei@example.org"
    assert masked.speakers[1].name == "Contact 1"
    assert "mask" not in masked.metadata


def test_a_mask_header_chooses_for_an_export():
    header = "Title: Trail\nFormat: whatsapp\nMask: {}\n\n"
    none = parse(header.format("none") + WHATSAPP_IOS)
    assert none.speakers[1].name == "+44 7700 900123" and "mei.lin@example.org" in none.messages[0].text
    emails = parse(header.format("emails") + WHATSAPP_IOS)
    assert emails.messages[0].text == "Welcome @447700900123! Mail me at ███ or call 07700 900456"
    with pytest.raises(ChatlogError) as refused:
        parse(header.format("phones, faces") + WHATSAPP_IOS)
    assert refused.value.line == 3 and "must list some of contacts, phones, emails" in str(refused.value)


@pytest.mark.parametrize(
    "text",
    [
        "on 2024-03-05 at 18:02:30", "05/03/2024, 6:02 PM", "12.03.2024 klo 18.02", "it costs $1,234.56 or €1.234,56",
        "version 1.2.3, build 10.0.19045.2006", "server 192.168.100.200 and 10.0.0.1", "ids 1234567890123456789",
        "<@123456789012345678> snowflake", "order 20240305180230", "room 101, 5 people", "call me at 6:30 tomorrow",
        "ISBN 978-3-16-148410-0", "01-02-2024 10:30", "x = 3.14159265358979",
    ],
)
def test_numbers_that_are_no_phone_numbers_are_kept(text):
    assert parse(f"Bo: {text}", privacy=Privacy(mask_phones=True)).messages[0].text == text


@pytest.mark.parametrize(
    "phone",
    ["+44 7700 900123", "+447700900123", "+1 (555) 010-2030", "+1 555-0134", "\u202a+33 1 23 45 67 89\u202c",
     "07700 900123", "020 7946 0018", "(555) 010-2030", "555-010-2030", "555.010.2030", "+49 30 1234567"],
)
def test_phone_numbers_as_people_write_them_are_masked(phone):
    text = parse(f"Bo: ring {phone} now", privacy=Privacy(mask_phones=True)).messages[0].text
    assert "███" in text and not any(char.isdigit() for char in text)


REDACTED = """\
Title: The Zeller Street fix
Summary: Zeller  street, again
Redact: zeller street; "Acme, Inc."; /ticket-\\d{1,6}/
    Mira

Mira: Zeller\tStreet flooded; see TICKET-4411 and Acme, Inc.
Quoting Mira: “zeller street flooded”
Bo: Zellerstreet is fine, Zeller Streets too
"""


def test_redact_masks_terms_in_any_case_and_spacing_names_and_metadata():
    conversation = parse(REDACTED)
    mira, bo = conversation.speakers
    assert mira.name == "███" and mira.slug != "mira"
    first, second = conversation.messages
    assert first.text == "███ flooded; see ███ and ███"
    assert second.quotes[0].text == "███ flooded" and second.quotes[0].target is first
    assert second.text == "Zellerstreet is fine, Zeller Streets too"  # whole words only
    assert conversation.metadata["title"] == "The ███ fix"
    assert conversation.metadata["summary"] == "███, again"
    assert "redact" not in conversation.metadata


def test_a_mask_with_markdown_signs_stays_as_typed_on_the_page():
    conversation = parse("Title: t\nRedact: Mira\n\nBo: *Mira* said Mira", privacy=Privacy(mask="***"))
    html = render(conversation)
    assert "<em>***</em> said ***" in html.replace("\ufdd0", "")


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        ("(a{1,3}){1,3}", "a repeat holds another repeat"),
        ("(ab|cd){1,9}", "a repeat holds an alternation"),
        ("(a+)+", "no upper bound"),
        (r"(a)x\1", "refers back to a group"),
        ("a.*b", "no upper bound"),
        ("x+", "no upper bound"),
        (r"\w{0,99}\w{0,99}\w{0,99}!", "over 10,000 ways"),
        ("x{0,3}", "can match empty text"),
        ("(?=a)", "can match empty text"),
        ("a[", "no regular expression"),
    ],
)
def test_dangerous_patterns_are_refused_naming_the_header_line(pattern, why):
    with pytest.raises(ChatlogError, match=why) as refused:
        parse(f"Title: t\nRedact: Bo,\n    /{pattern}/\n\nBo: hi")
    assert refused.value.line == 3


def test_redact_terms_are_split_as_speakers_are_and_regexes_are_whole():
    header = 'Redact: Mira; "Acme, Inc."; /a{1,3},b/; x, y\n    /q;r/; Bo\n'
    assert read_terms(header.partition(": ")[2].rstrip("\n").replace("\n    ", "\n"), 1) == [
        ("Mira", 1), ("Acme, Inc.", 1), ("/a{1,3},b/", 1), ("x, y", 1), ("/q;r/", 2), ("Bo", 2),
    ]
    assert read_terms("Mira, /a{1,3},b/\n/q;r/", 5) == [("Mira", 5), ("/a{1,3},b/", 5), ("/q;r/", 6)]


def test_safe_patterns_are_accepted():
    for pattern in [r"ticket-\d{1,6}", r"(?:foo|bar)-\d{2}", r"\bA[a-z]{2,12}\b", "a|b"]:
        check_regex(pattern, 1)


def test_keep_all_keeps_the_chat_as_it_was_read():
    from pelican_chatlog.privacy import KEEP_ALL

    conversation = parse(HIDDEN_NAME, privacy=KEEP_ALL)
    assert (conversation.speakers[0].name, conversation.speakers[0].display_name) == ("Dana Okafor", "D.")
    export = parse(WHATSAPP_IOS, format="whatsapp", privacy=KEEP_ALL)
    assert "mei.lin@example.org or call 07700 900456" in export.messages[0].text
