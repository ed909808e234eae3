"""The render's shortcuts agree with the plain functions they stand in for."""

from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from pelican_chatlog.render import _clock, clock

WRITTEN = st.lists(
    st.sampled_from(["Tue", "Am", "am", "pm", "PM", "a.m.", "p. m.", "Mon", "9", "09", ":", "02", ",", " ",
                     "Mar", "2024", "٣", "x", "m", "a", "p", ".", "Uhr", "h"]),
    max_size=8,
).map("".join)


@settings(max_examples=400)
@given(st.lists(st.tuples(WRITTEN, st.datetimes(min_value=datetime.datetime(2000, 1, 1))), max_size=12))
def test_the_clock_found_once_per_shape_is_the_clock(cases):
    markers: dict[str, str] = {}  # shared across the cases, as within one render
    for written, stamp in cases:
        assert _clock(stamp, written, markers) == clock(stamp, written), written


def test_the_shape_keeps_digits_in_place_so_the_same_shape_shares_its_marker():
    markers: dict[str, str] = {}
    stamp = datetime.datetime(2024, 3, 5, 18, 2)
    assert _clock(stamp, "Tue 6:02 PM", markers) == "6:02 PM"
    assert _clock(stamp, "Tue 9:41 PM", markers) == "6:02 PM"  # the stamp gives the time, the shape the marker
    assert _clock(stamp, "Am 5. März, 18:02", markers) == clock(stamp, "Am 5. März, 18:02")
    assert list(markers) == ["Tue 0:00 PM", "Am 0. März, 00:00"]


BODY = st.lists(
    st.sampled_from(["word", " ", "*em*", "**strong**", "`code`", "https://example.org/a", "[t](https://e.org)",
                     "\v", "\u2028", "\x1c", "\t", "_", "~~", "<b>", "&", "é"]),
    max_size=10,
).map("".join)


@settings(max_examples=400)
@given(BODY)
def test_a_one_paragraph_body_renders_as_the_paragraph_split_would(text):
    from pelican_chatlog.inline import PARAGRAPH_BREAK, _markdown_paragraph, plain_text_lines, render_inline_text

    def split_route(text):
        if not text:
            return ""
        parts = PARAGRAPH_BREAK.split(text)
        return "".join(plain_text_lines(part) if index % 2 else _markdown_paragraph(part)
                       for index, part in enumerate(parts))

    from pelican_chatlog.inline import needs_markdown
    expected = split_route(text) if needs_markdown(text) else plain_text_lines(text)
    assert render_inline_text(text) == expected


def test_a_paragraph_keeps_the_edges_markdown_would_strip():
    from pelican_chatlog.inline import _markdown_paragraph

    assert _markdown_paragraph("\v*em*\u2028") == "\v<em>em</em>\u2028"
    assert _markdown_paragraph("*em*") == "<em>em</em>"


@settings(max_examples=400)
@given(st.lists(st.sampled_from(list("ab <>&;'\"#x0é\t\v\u2028\r") + ["&amp;", "&lt;", "&#39;", "\x00"]),
                max_size=30).map("".join))
def test_a_plain_bodys_preview_is_what_reading_its_page_text_gives(text):
    from pelican_chatlog.inline import plain_body, render_body_text
    from pelican_chatlog.preview import _TextReader, preview_text

    reader = _TextReader()
    reader.feed(render_body_text(text))
    reader.close()
    assert preview_text(text) == "".join(reader.text).strip("\n")
    if plain_body(text) is not None:
        assert preview_text(text) == text


@settings(max_examples=300)
@given(st.lists(st.times(timezones=st.one_of(st.none(), st.timezones())), max_size=20))
def test_a_memoised_clock_attribute_is_the_times_own(stamps):
    from pelican_chatlog.render import html_datetime

    for stamp in stamps:
        assert html_datetime(stamp) == stamp.isoformat(timespec="seconds" if stamp.second else "minutes")


def test_equal_times_in_two_zones_keep_their_own_offsets():
    from pelican_chatlog.render import html_datetime

    one = datetime.time(10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))
    other = datetime.time(9, 0, tzinfo=datetime.timezone.utc)
    assert one == other
    assert (html_datetime(one), html_datetime(other)) == ("10:00+01:00", "09:00+00:00")
