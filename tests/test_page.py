"""The conversation page: who sits where, which times are printed, how lean the markup is."""

import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from pelican_chatlog import parse, render

sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
import synthetic  # noqa: E402


def soup_of(text, **options):
    return BeautifulSoup(render(parse(text, **options)), "html.parser")


def right_side(conversation):
    return [speaker.name for speaker in conversation.speakers if speaker.side == "right"]


# --- sides ------------------------------------------------------------------------


def test_me_sits_on_the_right():
    assert right_side(parse("Me: Dana\n\nDana: hi\nMarcus: yo\nPriya: hey\n")) == ["Dana"]


def test_without_me_the_speaker_named_like_the_author_sits_on_the_right():
    text = "Dana: hi\nMarcus R.: yo\nPriya: hey\n"
    assert right_side(parse(text, author="marcus r.")) == ["Marcus R."]
    # the label counts too: a site's CHATLOG_SPEAKERS may rename the author
    styles = {"Priya": {"name": "Priya Shah"}}
    assert right_side(parse(text, author="Priya Shah", speaker_styles=styles)) == ["Priya Shah"]  # the name shown is the name


def test_without_me_or_author_the_second_of_two_speakers_sits_on_the_right():
    assert right_side(parse("Dana: hi\nMarcus: yo\nDana: so\n")) == ["Marcus"]
    assert right_side(parse("Dana: hi\nMarcus: yo\n", author="Somebody else")) == ["Marcus"]
    assert right_side(parse("Dana: hi\nMarcus: yo\nPriya: hey\n")) == []


def test_the_guess_can_be_turned_off_and_never_overrides_a_chosen_side():
    assert right_side(parse("Dana: hi\nMarcus: yo\n", guess_me=False)) == []
    assert right_side(parse("Speakers: Dana, Marcus (side: left)\n\nDana: hi\nMarcus: yo\n")) == []
    assert right_side(parse("Me: Dana\n\nDana: hi\nMarcus: yo\n", author="Marcus")) == ["Dana"]


def test_the_site_author_and_the_setting_reach_the_page(build_site):
    chat = "Title: T\nDate: 2024-03-07\n\nDana: hi\nMarcus: yo\nPriya: hey\n"

    def right(**settings):
        page = build_site({"t.chat": chat}, **settings).page("t.html")
        return [m["data-speaker"] for m in page.select(".chatlog-message.chatlog-right")]

    assert right(AUTHOR="Priya") == ["Priya"]
    assert right(AUTHOR="Priya", CHATLOG_GUESS_ME=False) == []


# --- times ------------------------------------------------------------------------

PASTED = (
    "Title: T\nDate: 2024-03-07\n\n"
    "Dana: one\nDana: two\nMarcus: three\nTue 6:40 PM\n"
    "Dana: four\nTue 6:41 PM\n"
    "Dana: five\nWed 9:00 AM\n"
)


def test_a_time_is_printed_only_where_it_changes_and_stays_machine_readable():
    messages = soup_of(PASTED).select(".chatlog-message")
    stamps = [message.find("time", recursive=False) for message in messages]
    assert [stamp.get_text() for stamp in stamps] == ["6:40 PM", "", "", "6:41 PM", "9:00 AM"]
    assert [stamp["datetime"] for stamp in stamps] == [
        "2024-03-05T18:40",
        "2024-03-05T18:40",
        "2024-03-05T18:40",
        "2024-03-05T18:41",
        "2024-03-06T09:00",
    ]
    # a printed time is the message's permalink; an unprinted one links nowhere
    assert [stamp.a and stamp.a["href"] for stamp in stamps] == ["#msg-1", None, None, "#msg-4", "#msg-5"]


def test_under_a_day_separator_only_the_time_of_day_in_the_chats_own_clock():
    export = "30/01/19, 20:51 - Jane Doe: Welcome!\n30/01/19, 20:52 - Bob: Thanks\n30/01/19, 20:52 - Jane Doe: :)\n"
    soup = soup_of(export, format="whatsapp")
    assert soup.select_one(".chatlog-day").get_text() == "Wednesday, January 30, 2019"
    assert [t.get_text() for t in soup.select(".chatlog-message > time")] == ["20:51", "20:52", ""]
    spanish = "30/01/2019, 8:49 p. m. - Ana: hola\n"
    assert soup_of(spanish, format="whatsapp").select_one(".chatlog-message > time").get_text() == "8:49 p. m."


def test_without_a_known_day_the_time_shows_as_written():
    soup = soup_of("Dana: hi\nTue 6:02 PM\n")
    assert soup.select(".chatlog-day") == []
    assert soup.select_one(".chatlog-message > time").get_text() == "Tue 6:02 PM"


# --- lean markup ------------------------------------------------------------------


def test_speaker_styles_are_set_once_and_the_name_once_per_run():
    soup = soup_of(PASTED)
    assert [element.name for element in soup.find_all(style=True)] == ["div"]
    assert soup.find("style") is None
    names = [message.find("b") for message in soup.select(".chatlog-message")]
    # a new day starts a new run
    assert [name and name.get_text(strip=True) for name in names] == ["Dana", None, "Marcus", "Dana", "Dana"]


def test_the_page_is_about_three_and_a_half_times_the_chat_text():
    text = synthetic.chat_post(2_000)
    html = render(parse(text)).encode()
    # 0.1 wrote 7.3 times the text, 668 bytes a message. Now 3.56 times here
    # and 3.49 at 20,000 messages; this generator changes day at nearly
    # every other message, and those separators are 0.4 of it.
    assert len(html) <= 3.6 * len(text.encode())
    assert len(html) / 2_000 <= 330


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_colour_scheme_can_be_forced(build_site, scheme):
    page = build_site({"t.chat": "Dana: hi\n"}, CHATLOG_COLOR_SCHEME=scheme).page("t.html")
    assert page.select_one(".chatlog")["class"] == ["chatlog", f"chatlog-{scheme}"]
    assert page.find("link", attrs={"data-chatlog-stylesheet": True}) is not None


def test_the_page_follows_its_theme_by_default_and_refuses_unknown_schemes():
    assert soup_of("Dana: hi\n").select_one(".chatlog")["class"] == ["chatlog"]
    with pytest.raises(ValueError, match="CHATLOG_COLOR_SCHEME"):
        render(parse("Dana: hi\n"), color_scheme="sepia")
