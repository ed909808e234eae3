"""Time lines as chat apps print them, and how they become datetimes.

Apps show a message's time relative to when you look at the thread: ``6:02
PM`` today, ``Tue 6:02 PM`` this week, ``Mar 3, 2024, 6:02 PM`` further back.
A pasted thread keeps those words, so they are resolved against the post's
``Date`` (the day the thread was copied), never against today.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass

WEEKDAYS = {
    name: number
    for number, names in enumerate(
        [
            ("mon", "monday"),
            ("tue", "tues", "tuesday"),
            ("wed", "wednesday"),
            ("thu", "thur", "thurs", "thursday"),
            ("fri", "friday"),
            ("sat", "saturday"),
            ("sun", "sunday"),
        ]
    )
    for name in names
}
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
RELATIVE_DAYS = {"today": 0, "yesterday": 1}
TIME_ENDINGS = frozenset("0123456789mM.")
_DIGITS = frozenset("0123456789")  # what `\d` matches in TIME_LINE (ASCII)
MAX_TIME_LINE = 80  # "Wednesday, September 30th, 2024 at 12:30:45 p.m." fits


def _alternatives(words) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_WEEKDAY = rf"(?:{_alternatives(WEEKDAYS)})\.?"
_MONTH = rf"(?P<month>{_alternatives(MONTHS)})\.?"
_DAY_OF_MONTH = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_DATE = (
    r"(?:"
    rf"(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})"
    rf"|(?:{_WEEKDAY},?\s+)?{_MONTH}\s+{_DAY_OF_MONTH}(?:,?\s+{_YEAR})?"
    rf"|(?:{_WEEKDAY},?\s+)?(?P<day_first>\d{{1,2}})(?:st|nd|rd|th)?\s+"
    rf"(?P<month_second>{_alternatives(MONTHS)})\.?(?:,?\s+(?P<year_second>\d{{4}}))?"
    rf"|(?P<weekday>{_alternatives(WEEKDAYS)})\.?"
    rf"|(?P<relative>{_alternatives(RELATIVE_DAYS)})"
    r")"
)
_CLOCK = (
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"(?:\s*(?P<meridiem>[ap])\.?\s?m\.?)?"
)
_DAY_PART = rf"(?:{_DATE}(?:,?\s+(?:at\s+)?|T))?"
# ASCII: "ſep" must not match "sep", nor Arabic digits a clock
# The whole grammar of a time line: read in halves below (_parse_time_line), and
# held equal to this in tests/test_read_speed_paths.py.
TIME_LINE = re.compile(_DAY_PART + _CLOCK, re.IGNORECASE | re.ASCII)
# The two halves of a time line, read apart (see _parse_time_line): each half
# repeats far more often than the whole line does.
DAY_PART = re.compile(_DAY_PART, re.IGNORECASE | re.ASCII)
CLOCK = re.compile(_CLOCK, re.IGNORECASE | re.ASCII)


@dataclass(frozen=True)
class ParsedTime:
    """What a time line says, before it is placed on a calendar."""

    clock: datetime.time
    date: datetime.date | None = None
    month_day: tuple[int, int] | None = None
    weekday: int | None = None
    days_ago: int | None = None

    def resolve(
        self,
        reference: datetime.date | None,
        previous: datetime.datetime | None,
    ) -> datetime.datetime | datetime.time:
        """A datetime where the day can be known, else the bare clock time.

        ``reference`` is the post's date; ``previous`` the last resolved
        stamp, which carries the day to later bare times.
        """
        try:
            day = self._day(reference, previous)
        except OverflowError:  # a step past year 1 or 9999
            day = None
        if day is None:
            return self.clock
        return _combine(day, self.clock)

    def _day(self, reference, previous) -> datetime.date | None:
        if self.date is not None:
            return self.date
        if self.month_day is not None:
            if reference is None:
                return None
            month, day = self.month_day
            candidate = _safe_date(reference.year, month, day)
            if candidate is None or candidate > reference:
                candidate = _safe_date(reference.year - 1, month, day)
            return candidate
        if self.days_ago is not None:
            if reference is None:
                return None
            return reference - datetime.timedelta(days=self.days_ago)
        if self.weekday is not None:
            if reference is not None:
                return _latest_weekday(reference, self.weekday)
            if previous is not None:
                ahead = (self.weekday - previous.weekday()) % 7
                return previous.date() + datetime.timedelta(days=ahead)
            return None
        if previous is not None:
            day = previous.date()
            return day + _ONE_DAY if rolls_over(self.clock, previous.time()) else day
        return reference


_ONE_DAY = datetime.timedelta(days=1)
_combine = datetime.datetime.combine  # once for every stamp of a chat
# A clock set back by no more than this stays on its day: the hour summer time
# gives back (02:59, then 02:00), or lines a bouncer replays a minute out of order.
SET_BACK = datetime.timedelta(hours=1)


def rolls_over(clock: datetime.time, before: datetime.time) -> bool:
    """Whether a bare time after the bare time ``before`` is the next day's:
    it is earlier than ``before`` by more than an hour (see SET_BACK)."""
    if clock >= before:
        return False
    day = datetime.date.min
    return _combine(day, before.replace(tzinfo=None)) - _combine(day, clock.replace(tzinfo=None)) > SET_BACK


# A post has one reference date and a week seven days: the same few
# subtractions for every weekday stamp (0.7 µs of resolving one's 0.9).
@functools.lru_cache(maxsize=64)
def _latest_weekday(reference: datetime.date, weekday: int) -> datetime.date:
    """The latest day on or before ``reference`` that is this weekday (0: Monday)."""
    return reference - datetime.timedelta(days=(reference.weekday() - weekday) % 7)


def _safe_date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def parse_time(text: str) -> ParsedTime | None:
    """The time a whole line states, or None when the line is not a time."""
    text = text.strip()
    # Every time ends in a digit, "am"/"pm" or "a.m."/"p.m.": most chat lines
    # are turned away here, before the regular expression.
    if len(text) > MAX_TIME_LINE or not text or text[-1] not in TIME_ENDINGS:
        return None
    # Nor can a line be a time whose first colon is not a clock's, followed by a
    # digit: `Dana: hi.` is turned away without the regular expression.
    colon = text.find(":")
    if colon < 0 or text[colon + 1 : colon + 2] not in _DIGITS:
        return None
    return _parse_time_line(text)


# Chats repeat a time line for messages in a row (`18:40` under four of
# them), and a ParsedTime is immutable, so one may serve every line that
# says the same: a repeated text is a look-up.  Kept small: holding the
# times of a week of messages (8,192) raised a 20,000-message build's peak
# memory by 11 MB, 256 by none measurable.
@functools.lru_cache(maxsize=256)
def _parse_time_line(text: str) -> ParsedTime | None:
    """What TIME_LINE.fullmatch(text) says, read as its day and its clock apart.

    Most time lines are new ("Mon 9:02 AM", "Mon 9:05 AM"…) but their
    halves are not: a chat has a few days and at most 1,440 clocks a day,
    so each half is memoised on its own, and the whole regular expression
    (2 µs on a weekday) is never run.  The split is the only one TIME_LINE
    could match at: no day holds a colon, so the first colon is the
    clock's, and its hour is the one or two ASCII digits before it (a day
    ends in white space or `T`, never a digit).
    """
    colon = text.find(":")
    start = colon - 2 if colon >= 2 and text[colon - 2] in _DIGITS else colon - 1
    if start < 0:
        return None
    day = _read_day(text[:start])
    if day is None:
        return None
    time = _read_clock(text[start:])
    if time is None:
        return None
    return _made(time, day)


# (date, month_day, weekday, days_ago): the fields of ParsedTime after its clock
Day = tuple[datetime.date | None, tuple[int, int] | None, int | None, int | None]
NO_DAY: Day = (None, None, None, None)


@functools.lru_cache(maxsize=256)
def _read_day(text: str) -> Day | None:
    """What a time line's day part (`Mon `, `Mar 4, 2024, `, or nothing) says; None: no day."""
    match = DAY_PART.fullmatch(text)
    if match is None:
        return None
    # the groups in their order, in one call (a dict of them took 0.6 µs a line)
    iso, month, day, year, day_first, month_second, year_second, weekday, relative = match.groups()
    if iso:
        date = _iso_date(iso)
        return (date, None, None, None) if date else None
    month_name = month or month_second
    if month_name:
        month_number = MONTHS[month_name.lower()]
        day_number = int(day or day_first)
        year = year or year_second
        if year:
            date = _safe_date(int(year), month_number, day_number)
            return (date, None, None, None) if date else None
        if _safe_date(2000, month_number, day_number) is None:  # 2000 is a leap year
            return None
        return (None, (month_number, day_number), None, None)
    if weekday:
        return (None, None, WEEKDAYS[weekday.lower()], None)
    if relative:
        return (None, None, None, RELATIVE_DAYS[relative.lower()])
    return NO_DAY


def _made(clock: datetime.time, day: Day) -> ParsedTime:
    """``ParsedTime(clock, *day)``, made without the frozen dataclass's
    ``__init__``, which sets each of its five fields through
    ``object.__setattr__``: 1 µs of a time line's 2.  The same object,
    equal, hashed and pickled alike (tests compare their ``vars``)."""
    parsed = object.__new__(ParsedTime)
    fields = parsed.__dict__
    fields["clock"] = clock
    fields["date"], fields["month_day"], fields["weekday"], fields["days_ago"] = day
    return parsed


# A day has at most 1,440 clocks to the minute, written a few ways.
@functools.lru_cache(maxsize=2048)
def _read_clock(text: str) -> datetime.time | None:
    """The time a time line's clock part (`9:02 AM`, `18:02:30`) shows; None: none."""
    match = CLOCK.fullmatch(text)
    if match is None:
        return None
    hour, minute, second, meridiem = match.groups()
    return clock(int(hour), int(minute), int(second or 0), meridiem or "")


def clock(hour: int, minute: int, second: int = 0, meridiem: str = "") -> datetime.time | None:
    """The time a clock shows, or None when it shows none (``24:00``, ``13:05 pm``, ``0:30 am``).

    ``meridiem`` is how the time ends, ``"am"``, ``"P.M."``, ``"p"`` …, or
    nothing for a 24-hour clock.  The one reading of a clock for our format
    and every importer, so that one time is valid in all or in none.
    """
    half = meridiem[:1].lower()
    if half not in ("", "a", "p"):
        raise ValueError(f"{meridiem!r} is neither am nor pm")
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "p" else 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59 and 0 <= second <= 59):
        return None
    return datetime.time(hour, minute, second)


def _iso_date(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None
