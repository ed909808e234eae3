"""WhatsApp exports in the shapes the app really writes, Android and iOS, in several locales.

The fixtures in tests/exports/whatsapp/ are our own (invented people and text), written in the
shapes these public sources show:
- Pustur/whatsapp-chat-parser, tests/unit/parser.test.ts: `13.6.2018 klo 21.25.15 - a: m`,
  `13. 6. 2018. 21:25:15 a: m`, `13.06.18 21.25.15: a: m`, `[06.13.18 21:25:15] a: m`,
  `[2018/06/13, 21:25:15]`; samples/short-chat.txt: Android system lines without a name.
- Pustur/whatsapp-chat-parser issue #258: iOS 2024 groups write system lines after the group's
  name (`My Group Name: Boris added you`) or the actor's (`Boris: Boris created group “…”`).
- lucasrodes/whatstk issue #139: iOS `[12/27/20, 18:51:14] My Group 2023: Messages and calls
  are end-to-end encrypted…`, `+1 (777) 777‑7777: +1 (777) 777‑7777 joined using this group's
  invite link`.
- joweich/chat-miner, test/whatsapp/test_mmddyy_24hrs.txt, test_yyyymmdd_24hrs.txt,
  test_mmddyyyy_12hrs.txt (history): `John Doe:.`, `2019/01/01, 11:25 - `, `00:08 a. m.`,
  `p.\\u00a0m.` with a no-break space, `9/24/2019 11:30 p.m. - `, `09-10-2022 10:37:00 p.m.`.
- starkdmi/whats_json, test/data/ios/*.txt and test/data/android/*.txt: iOS system lines as
  `Name: \\u200eText` (encryption notice, `Missed voice call`, security code, deleted messages,
  `Location: https://maps.google.com/…`), attachments with U+200E before the line too
  (`\\u200e[…] Name: \\u200eimage omitted`, `Bild weggelassen`, `imagem não revelada`), phone
  numbers between U+202A and U+202C, Portuguese iOS without a comma (`[3/18/22 14:56:00]`),
  German iOS dots, the Android group `created group`, `changed the subject from "A" to "B"`,
  `joined using this group's invite link`; the localized encryption notices (Finnish, Dutch).
- U+202F before AM/PM: WhatsApp exports since 2023 (e.g. `28/03/2025, 12:00\\u202fpm - ` in
  public parser tests found by the code search).
"""

import datetime
from pathlib import Path

import pytest

from pelican_chatlog import Message, Narration, link, parse, read_file
from pelican_chatlog.pipeline import decode
from pelican_chatlog.readers import whatsapp
from pelican_chatlog.write import write_chat

EXPORTS = Path(__file__).parent / "exports" / "whatsapp"
FIXTURES = sorted(path.name for path in EXPORTS.iterdir())


def read(name, **options):
    return link(read_file(str(EXPORTS / name), **options))


def said(conversation):
    return [(m.speaker.name, m.text) for m in conversation.messages]


def times(conversation):
    return [m.time for m in conversation.messages]


def narration(conversation):
    return [item.text for item in conversation.items if isinstance(item, Narration)]


def text(lines):
    return whatsapp.read("\n".join(lines) + "\n")


# --- every shape through the importer ---------------------------------------------------


def test_android_us_month_first_unpadded_with_narrow_space_before_pm():
    conversation = read("android-us.whatsapp.txt")
    assert said(conversation) == [
        ("Rosa Vega", "Morning! Who has the chain whip?"),
        ("Omar Haddad", "Me, I'll bring it\nalong with the cassette tool"),
        ("Omar Haddad", "."),  # `Omar Haddad:.`, no space after the colon
        ("+1 555-0134", "Hi all, thanks for the link"),
    ]
    assert times(conversation) == [
        datetime.datetime(2020, 12, 10, 7, 2), datetime.datetime(2020, 12, 10, 7, 5),
        datetime.datetime(2020, 12, 10, 7, 6), datetime.datetime(2020, 12, 13, 9, 16),
    ]
    assert narration(conversation)[1:] == [
        '12/9/20, 11:55\u202fPM Rosa Vega created group "Spoke Club"',
        "12/9/20, 11:56\u202fPM Rosa Vega added Omar Haddad",
        "12/11/20, 6:40\u202fPM +1 555-0134 joined using this group's invite link",
        "12/11/20, 6:41\u202fPM Rosa Vega changed this group's icon",
        '12/13/20, 9:15\u202fAM Rosa Vega changed the subject from "Spoke Club" to "Spoke Club: Winter"',
        "12/13/20, 9:30\u202fAM Omar Haddad left",
    ]
    assert conversation.metadata["title"] == "Spoke Club: Winter"  # the last subject
    assert conversation.problems == []


def test_ios_group_system_lines_in_the_groups_name_are_narration_and_its_title():
    conversation = read("ios-group.whatsapp.txt")
    assert said(conversation) == [
        ("Mei Lin", "Saturday we clear the north loop\nBring loppers"),
        ("Mei Lin", ""),  # `image omitted`, an attachment (issue 14): U+200E before the line too
        ("+44 7700 900123", "Count me in"),  # U+202A/U+202C around the number are gone
        ("Mei Lin", "Location: https://maps.google.com/?q=51.5,-0.12"),
        ("Mei Lin", ""),  # `This message was deleted.`: a deleted message (issue 14), no longer narration
    ]
    assert [a.kind for a in conversation.messages[1].attachments] == ["image"]
    assert conversation.messages[-1].deleted
    assert [s.name for s in conversation.speakers] == ["Mei Lin", "+44 7700 900123"]  # not the group
    assert narration(conversation) == [
        "2/3/24, 18:01:07 Messages and calls are end-to-end encrypted. No one outside of this chat, "
        "not even WhatsApp, can read or listen to them.",
        "2/3/24, 18:01:07 Mei Lin created group “Trail Fixers”",
        "2/3/24, 18:01:08 Mei Lin added you",
        "2/3/24, 18:01:09 You're now an admin",
        "2/3/24, 18:02:30 +44 7700 900123 joined using this group's invite link",
    ]
    assert conversation.messages[0].time == datetime.datetime(2024, 2, 3, 18, 3)
    assert conversation.metadata["title"] == "Trail Fixers"
    assert conversation.problems == []


def test_ios_contact_system_lines_are_narration_and_no_title():
    conversation = read("ios-contact.whatsapp.txt")
    assert said(conversation) == [
        ("Pablo Ruiz", "Sorry, was on the bike"),
        ("Nora Berg", "No worries. Brakes fixed?"),
        ("Pablo Ruiz", "Yes, new pads"),
    ]
    assert narration(conversation) == [
        "1/14/24, 9:12:40\u202fAM Pablo Ruiz: Messages and calls are end-to-end encrypted. No one outside "
        "of this chat, not even WhatsApp, can read or listen to them.",
        "1/14/24, 9:12:40\u202fAM Pablo Ruiz is a contact.",
        "1/14/24, 9:13:02\u202fAM Pablo Ruiz: Missed voice call",
        "1/14/24, 1:02:09\u202fPM Pablo Ruiz: Your security code with Nora Berg changed. Tap to learn more.",
    ]
    assert times(conversation)[2] == datetime.datetime(2024, 1, 14, 13, 5)
    assert "title" not in conversation.metadata


def test_ios_german_group_title_and_attachment():
    conversation = read("ios-german.whatsapp.txt")
    assert said(conversation) == [
        ("Jonas Weber", "Servus! Tour am Sonntag?"), ("Jonas Weber", "Bild weggelassen"), ("Lena Koch", "Bin dabei"),
    ]
    assert narration(conversation)[1] == "14.08.24, 21:00:11 Jonas Weber hat dich hinzugefügt."
    assert times(conversation)[2] == datetime.datetime(2024, 8, 15, 7, 45, 12)
    assert conversation.metadata["title"] == "Radgruppe"
    assert conversation.problems == []


@pytest.mark.parametrize(
    "name, expected, time_text",
    [
        ("android-finnish.whatsapp.txt",
         [("Aino Virtanen", "Moi! Lähdetkö lenkille?", datetime.datetime(2018, 6, 13, 21, 25, 15)),
          ("Eero Nieminen", "Joo, kahdeksalta", datetime.datetime(2018, 6, 13, 21, 27, 2)),
          ("Aino Virtanen", "Hyvää huomenta", datetime.datetime(2018, 6, 14, 8, 3, 44))],
         "13.6.2018 klo 21.25.15"),
        ("dotted-spaced.whatsapp.txt",
         [("Ivana Horvat", "Vidimo se u radionici", datetime.datetime(2018, 6, 13, 21, 25, 15)),
          ("Luka Babić", "Može, nosim ključeve", datetime.datetime(2018, 6, 13, 21, 26, 40)),
          ("Ivana Horvat", "Hvala!", datetime.datetime(2018, 7, 2, 9, 5))],
         "13. 6. 2018. 21:25:15"),
        ("colon-after-stamp.whatsapp.txt",
         [("Sanne de Vries", "Hoi allemaal", datetime.datetime(2018, 6, 13, 21, 25, 15)),
          ("Joost Bakker", "Hoi! Morgen sleutelen?", datetime.datetime(2018, 6, 13, 21, 26, 2)),
          ("Sanne de Vries", "Ja, om tien uur", datetime.datetime(2018, 6, 14, 8, 10, 30))],
         "13.06.18 21.25.15"),
        ("ios-dotted-month-first.whatsapp.txt",
         [("Dana Cole", "Tire levers are in the blue box", datetime.datetime(2018, 6, 13, 21, 25, 15)),
          ("Eli Park", "Found them", datetime.datetime(2018, 6, 13, 21, 26)),
          ("Dana Cole", "Great", datetime.datetime(2018, 6, 14, 8, 0, 5))],
         "06.13.18 21:25:15"),
        ("android-dutch.whatsapp.txt",
         [("Femke Jansen", "Wie heeft de pomp?", datetime.datetime(2018, 6, 13, 21, 25)),
          ("Ruud Smit", "Ik, ligt in de schuur", datetime.datetime(2018, 6, 13, 21, 31))],
         "13-06-2018 21:25"),
        ("ios-portuguese.whatsapp.txt",
         [("Inês Costa", "Olá! A oficina abre às 10h", datetime.datetime(2022, 3, 18, 14, 57, 10)),
          ("Tiago Sousa", "Perfeito, obrigado", datetime.datetime(2022, 3, 18, 14, 58, 45)),
          ("Tiago Sousa", "imagem não revelada", datetime.datetime(2022, 3, 18, 14, 59, 1))],
         "18/03/22 14:57:10"),
        ("android-spanish.whatsapp.txt",
         [("Marta Gil", "¿Quién cierra hoy?", datetime.datetime(2020, 6, 20, 0, 8)),  # `00:08 a. m.`
          ("Diego Paz", "Yo cierro", datetime.datetime(2020, 6, 20, 0, 10)),
          ("Marta Gil", "Gracias", datetime.datetime(2020, 6, 20, 11, 45))],
         "06/20/2020, 00:08 a.\u00a0m."),
        ("android-year-first.whatsapp.txt",
         [("Kenji Sato", "Happy new year, riders", datetime.datetime(2019, 1, 1, 11, 25)),
          ("Yuki Mori", "Same to you!", datetime.datetime(2019, 1, 2, 8, 0))],
         "2019/01/01, 11:25"),
    ],
)
def test_each_locales_stamp_reads(name, expected, time_text):
    conversation = read(name)
    assert [(m.speaker.name, m.text, m.time) for m in conversation.messages] == expected
    assert conversation.messages[0].time_text == time_text
    assert conversation.problems == []


def test_a_localized_encryption_notice_without_a_name_is_narration():
    assert narration(read("android-finnish.whatsapp.txt")) == [
        "13.6.2018 klo 21.25.15 Viestit ja puhelut salataan täysin. Kukaan tämän keskustelun ulkopuolinen, "
        "ei edes WhatsApp, voi lukea tai kuunnella niitä."
    ]
    assert narration(read("android-dutch.whatsapp.txt"))[0].startswith("13-06-2018 21:25 Berichten en gesprekken")


# --- the date order ----------------------------------------------------------------------------


def test_year_first_stays_year_first_whatever_order_is_given():
    for day_first in (True, False, None):
        conversation = read("android-year-first.whatsapp.txt", day_first=day_first)
        assert times(conversation)[0] == datetime.datetime(2019, 1, 1, 11, 25)
        assert conversation.problems == []


def test_a_late_stamp_settles_month_first_for_the_whole_file():
    lines = ["12/9/20, 23:55 - Ana: first"] + [f"12/{day}/20, 10:00 - Ben: x" for day in (10, 11, 12)]
    conversation = text(lines + ["12/13/20, 10:00 - Ana: settles it"])
    assert times(conversation)[0] == datetime.datetime(2020, 12, 9, 23, 55)
    assert conversation.problems == []


def test_a_day_over_12_in_either_place_of_any_stamp_counts():
    # the first stamp is year first and the dotted one could be either: neither decides
    lines = ["2020/12/01, 09:00 - Ana: a", "1.2.20, 09:00 - Ben: b", "1/13/20, 09:00 - Ana: c"]
    conversation = text(lines)
    assert times(conversation) == [datetime.datetime(2020, 12, 1, 9), datetime.datetime(2020, 1, 2, 9),
                                   datetime.datetime(2020, 1, 13, 9)]
    assert conversation.problems == []


def test_when_no_number_is_over_12_the_dates_running_forward_decide():
    month_first = text(["1/2/20, 10:00 - Ana: a", "1/3/20, 10:00 - Ben: b", "2/1/20, 10:00 - Ana: c"])
    assert times(month_first)[2] == datetime.datetime(2020, 2, 1, 10)
    day_first = text(["1/2/20, 10:00 - Ana: a", "2/2/20, 10:00 - Ben: b", "1/3/20, 10:00 - Ana: c"])
    assert times(day_first)[2] == datetime.datetime(2020, 3, 1, 10)
    assert month_first.problems == day_first.problems == []


def test_dotted_dates_that_nothing_settles_are_day_first_without_a_warning():
    conversation = text(["02.03.19, 10:00 - Ana: a", "02.03.19, 10:05 - Ben: b"])
    assert times(conversation)[0] == datetime.datetime(2019, 3, 2, 10)
    assert conversation.problems == []


def test_no_space_after_the_colon_is_a_message_but_a_time_in_a_system_line_is_not():
    conversation = text(["30/01/19, 20:49 - Ana:.", "30/01/19, 20:50 - Reminder set for 10:30 tomorrow"])
    assert said(conversation) == [("Ana", ".")]
    assert narration(conversation) == ["30/01/19, 20:50 Reminder set for 10:30 tomorrow"]


def test_marks_inside_names_and_texts_are_removed_and_nothing_else():
    conversation = text(["[30/01/19, 20:49:00] \u202a+49 151 2345\u202c: see \u202a+49 151 9876\u202c\u200e now",
                         "and \u200ethen"])
    assert said(conversation) == [("+49 151 2345", "see +49 151 9876 now\nand then")]


# --- convert, then read: the same conversation ----------------------------------------------


def signature(conversation):
    items = [
        (item.speaker.name, item.text, item.time) if isinstance(item, Message) else ("narration", item.text)
        for item in conversation.items
    ]
    return [speaker.name for speaker in conversation.speakers], items


@pytest.mark.parametrize("name", FIXTURES)
def test_convert_then_read_gives_the_same_conversation(name):
    conversation = read(name)
    written = write_chat(conversation)
    decode(written.encode("utf-8"))
    again = parse(written)
    assert signature(again) == signature(conversation), written
    if "title" in conversation.metadata:
        assert again.metadata["title"] == conversation.metadata["title"]
    assert again.problems == []


# --- in Pelican ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FIXTURES)
def test_every_fixture_builds_as_a_post(build_site, name):
    # every line as the export has it, numbers too (privacy: tests/test_privacy*.py)
    site = build_site({name: (EXPORTS / name).read_bytes()}, CHATLOG_PSEUDONYMS=False, CHATLOG_MASK_PHONES=False)
    expected = read(name)
    [post] = site.posts()
    page = site.page(post)
    assert [m["data-speaker"] for m in page.select(".chatlog-message")] == [m.speaker.name for m in expected.messages]
    shown = page.get_text()
    for line in narration(expected):
        assert line in shown
    if "title" in expected.metadata:
        assert expected.metadata["title"] in page.title.get_text()


def test_ios_2017_group_system_lines_without_a_name_and_the_groups_current_name():
    conversation = read("ios-2017-group.whatsapp.txt")
    assert said(conversation) == [
        ("Hana Ito", "Truing night on Friday?"), ("Sam Okafor", "Yes: bring the dishing tool"), ("Sam Okafor", "Nice name"),
    ]
    assert narration(conversation)[1:] == [
        "10/08/2017, 22:47:26 Hana Ito created group “Wheel Nerds”",
        "10/08/2017, 22:47:26 Hana Ito added you",
        "12/08/2017, 09:10:00 Hana Ito changed the subject to “Wheel Nerds 🚲”",
    ]
    assert times(conversation)[2] == datetime.datetime(2017, 9, 1, 18, 30)  # only day first runs forward
    assert conversation.metadata["title"] == "Wheel Nerds 🚲"
    assert conversation.problems == []


def test_android_subject_without_the_group_sender_gives_the_title():
    conversation = text(['30/01/19, 20:49 - Ana created group "Rides"', "30/01/19, 20:50 - Ana: hi",
                         '31/01/19, 08:00 - Ben changed the subject from "Rides" to "Rides: 2019"'])
    assert conversation.metadata["title"] == "Rides: 2019"
    assert text(["30/01/19, 20:50 - Ana: hi"]).metadata == {}


def test_a_stamp_without_a_dash_in_a_file_with_dashes_is_a_line_of_the_message():
    conversation = text(["13.06.18, 21:25 - Jonas: Treffen:", "14.6.2018 10:00 Werkstatt", "13.06.18, 21:26 - Lena: ok"])
    assert said(conversation) == [("Jonas", "Treffen:\n14.6.2018 10:00 Werkstatt"), ("Lena", "ok")]


def test_an_android_message_starting_with_a_mark_is_still_a_message():
    conversation = text(["30/01/19, 20:49 - Ana: \u200eשלום", "30/01/19, 20:50 - Ben: \u200fhi"])
    assert said(conversation) == [("Ana", "שלום"), ("Ben", "hi")]
    assert "title" not in conversation.metadata


def test_a_name_may_hold_guillemets():
    assert said(text(["30/01/19, 20:49 - Jean «Vélo»: salut"])) == [("Jean «Vélo»", "salut")]


def test_a_stamp_impossible_either_way_does_not_unsettle_the_order():
    # 20/06/19 settles day first; 99/99/19 is no date in any order and stays a bad stamp
    conversation = parse("20/06/19, 15:59 - Rosa: hi\n99/99/19, 16:00 - Tomas: when?\n", format="whatsapp")
    assert [problem.line for problem in conversation.problems] == [2]
    assert "not a real date" in conversation.problems[0].message
