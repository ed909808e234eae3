"""An IRC log of times alone takes the post's `Date:` as its first day.

ZNC and dircproxy write one log a day, stamped `[23:58]` with no date; under
a `.chat` header with `Format: irc` and `Date:` those times stayed bare, so
the page showed no day and its `datetime` attributes no date.
"""

import datetime

from pelican_chatlog import parse, render

LOG = "[23:58] <dana> the stand is back\n[23:59] <sam> finally\n[00:01] <dana> night all\n"


def test_bare_times_are_dated_from_the_post_s_date_and_roll_over_at_midnight():
    conversation = parse("Title: Late\nFormat: irc\nDate: 2024-03-05\n\n" + LOG)
    assert [m.time.isoformat() for m in conversation.messages] == [
        "2024-03-05T23:58:00", "2024-03-05T23:59:00", "2024-03-06T00:01:00"]
    page = render(conversation)
    assert '<time datetime="2024-03-06T00:01">' in page
    assert 'datetime="2024-03-06"' in page  # the day the last message is on gets its separator


def test_without_a_date_the_times_stay_times_of_day():
    conversation = parse(LOG, format="irc")
    assert [m.time for m in conversation.messages] == [
        datetime.time(23, 58), datetime.time(23, 59), datetime.time(0, 1)]


def test_a_log_that_names_its_days_keeps_them():
    irssi = "--- Log opened Tue Mar 12 09:00:00 2024\n09:01 <dana> hi\n09:02 <sam> hello\n"
    conversation = parse(irssi, format="irc", date=datetime.date(2024, 3, 5))
    assert [m.time.isoformat() for m in conversation.messages] == ["2024-03-12T09:01:00", "2024-03-12T09:02:00"]


def test_a_log_that_would_roll_past_the_last_day_keeps_its_clock():
    # dated as our own bare time lines are: a day past the calendar's end is no crash
    conversation = parse("[23:58] <dana> hi\n[00:01] <dana> late\n", format="irc", date=datetime.date(9999, 12, 31))
    assert [m.time for m in conversation.messages] == [datetime.datetime(9999, 12, 31, 23, 58), datetime.time(0, 1)]
