"""The speed work's caches, lazy imports and fast paths give what the slow paths gave.

The IRC log below is in the `[14:18] <nick> text` shape irclog2html reads
(its doctest_LogParser, src/irclog2html/tests/test_irclog2html.py in
github.com/mgedmin/irclog2html); the people and the text are invented.
"""

import importlib
import json
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pelican_chatlog import controls, inline, timestamps
from pelican_chatlog.readers import FORMATS, SUFFIXES, format_for_path

ROOT = Path(__file__).resolve().parent.parent
IRC_LOG = "[09:12] <wren> morning all\n[09:13] <@tobias> the *new* stand came\n[09:15] <wren> see https://example.org/x\n"

# Runs in a fresh interpreter: what a preview of an IRC log imported.
IMPORTED = r"""
import json, sys
from pelican_chatlog.cli import main
main(["preview", sys.argv[1], "--format", "irc", "-o", sys.argv[2]])
print(json.dumps(sorted(sys.modules)))
"""


def test_each_importer_is_listed_with_its_own_name_and_file_names():
    for name, suffixes in SUFFIXES.items():
        module = importlib.import_module(f"pelican_chatlog.readers.{name}")
        assert module.FORMAT.name == name
        assert module.FORMAT.suffixes == suffixes
        assert FORMATS[name] is module.FORMAT
        assert all(format_for_path(f"talk{suffix}") == name for suffix in suffixes)
    assert sorted(FORMATS) == sorted(SUFFIXES) and len(FORMATS) == len(SUFFIXES)


def test_an_irc_preview_imports_no_other_reader_nor_jinja(tmp_path):
    log = tmp_path / "channel.irc.log"
    log.write_text(IRC_LOG, encoding="utf-8")
    page = tmp_path / "page.html"
    result = subprocess.run(
        [sys.executable, "-c", IMPORTED, str(log), str(page)], cwd=ROOT, capture_output=True, text=True, check=True,
    )
    modules = set(json.loads(result.stdout.strip().splitlines()[-1]))
    readers = {name for name in modules if name.startswith("pelican_chatlog.readers.")}
    assert "pelican_chatlog.readers.irc" in readers
    assert not readers & {f"pelican_chatlog.readers.{name}" for name in SUFFIXES if name != "irc"}
    assert not {name for name in modules if name.split(".")[0] in ("jinja2", "markdown")}
    assert '<em>new</em>' in page.read_text(encoding="utf-8")


TIME_PIECES = ["Mon", "Tuesday", "Mar", "3", "31", "2024", "2024-02-29", "today", "yesterday", "at", "T", ",", " ",
               "6:02", "18:40", "24:00", "12:30:45", "0:30", "PM", "am", "p.m.", "13:05 pm", "x", ":"]


@settings(max_examples=1500)
@given(st.lists(st.sampled_from(TIME_PIECES) | st.text(max_size=3), max_size=6).map("".join))
def test_a_memoised_time_line_reads_as_reading_it_afresh(text):
    first = timestamps.parse_time(text)
    again = timestamps.parse_time(text)
    stripped = text.strip()
    if first is not None:
        assert again is first  # the second reading is the first one's result
        assert timestamps._parse_time_line.__wrapped__(stripped) == first
    else:
        assert again is None


def test_a_repeated_time_line_is_read_once():
    timestamps._parse_time_line.cache_clear()
    for _ in range(3):
        assert timestamps.parse_time("Tue 6:02 PM") is not None
    info = timestamps._parse_time_line.cache_info()
    assert (info.misses, info.hits) == (1, 2)


BODY_PIECES = ["*", "**", "_", "`", "```", "[", "](", "~~", "||", "++", "+", "|", ">", "> ", "- ", "1. ", "\n",
               "\n\n", "://", "http://a.b", "www.", "WwW.", "\ufdd0*", "\x02", "\ue000", "&", "<", "'", '"', "\t",
               "word", " ", "C++", "ſ", "K"]


@settings(max_examples=3000)
@given(st.lists(st.sampled_from(BODY_PIECES) | st.text(max_size=3), max_size=8).map("".join))
def test_a_plain_body_shows_as_the_full_path_shows_it(text):
    plain = inline.plain_body(text)
    if plain is not None:
        assert plain == inline.render_lines(text)
        assert inline.render_body_text(text) == plain


def test_the_plain_path_takes_plain_bodies_only():
    assert inline.plain_body("see you at 6 & bring <tools>") == "see you at 6 &amp; bring &lt;tools&gt;"
    for marked in ("a *b*", "x\ny", "> quoted", "go to www.Example.org", "https://x.y", "a_b", "C++ and C++"):
        assert inline.plain_body(marked) is None


def test_time_lines_groups_are_read_in_the_order_parse_time_unpacks_them():
    assert list(timestamps.TIME_LINE.groupindex) == [
        "iso", "month", "day", "year", "day_first", "month_second", "year_second", "weekday", "relative",
        "hour", "minute", "second", "meridiem",
    ]


CONTROL_PIECES = ["\x00", "\x08", "\t", "\n", "\x0b", "\x0c", "\r", "\x0e", "\x1f", " ", "\x7f", "\x80", "\x85", "é", "😀",
                  "\u2028", "\ud800", "a"]


@settings(max_examples=1500)
@given(st.lists(st.sampled_from(CONTROL_PIECES) | st.text(max_size=3), max_size=8).map("".join),
       st.sampled_from([0, 1, controls.CONTROL_CHUNK - 3, controls.CONTROL_CHUNK + 5]))
def test_controls_are_found_as_the_regular_expression_finds_them(text, padding):
    text = "x" * padding + text  # past the first chunk too
    assert controls.has_controls(text) == (controls.CONTROL_CHARACTERS.search(text) is not None)
