"""`pelican-chatlog preview` of an IRC log: its fast paths and lazy imports give what the slow ones gave.

The IRC lines are in the shapes irclog2html reads (`[14:18] <nick> text`,
irssi's `--- Day changed`, `-!-` and `*` lines: its LogParser doctests in
src/irclog2html/tests/test_irclog2html.py, github.com/mgedmin/irclog2html)
and irssi writes (src/fe-common/core/fe-log.c and the default theme's
`[%H:%M]` timestamp, github.com/irssi/irssi); nicks and text are invented.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pelican_chatlog.readers import SUFFIXES, irc, lines

ROOT = Path(__file__).resolve().parent.parent
NEVER = re.compile(r"(?!)")  # a pattern no line fits: the reader's general path only


def read_slowly(text: str):
    """The log read without CLOCK_SAID's one-match path: every shape tried, as before it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(irc, "CLOCK_SAID", NEVER)
        return irc.read(text)


def summary(conversation) -> list:
    """What a reading decided, line by line: kinds, speakers, texts, times, problems."""
    items = [
        (type(item).__name__, getattr(getattr(item, "speaker", None), "name", None), item.text, item.line,
         getattr(item, "time", None), getattr(item, "time_text", None))
        for item in conversation.items
    ]
    speakers = [speaker.name for speaker in conversation.speakers]
    problems = [(problem.line, problem.message) for problem in conversation.problems]
    return [items, speakers, problems]


# --- lines ------------------------------------------------------------------------------


def reference_lines(text: str) -> list[str]:
    text = text.removeprefix("\ufeff")
    found = re.split(r"\r\n|\r|\n", text)
    return found[:-1] if found and found[-1] == "" else found


@settings(max_examples=800)
@given(st.lists(st.sampled_from(["\n", "\r", "\r\n", "\ufeff", "a", " ", "\v", "\x1c", "\u2028", "\x85"]), max_size=12)
       .map("".join))
def test_lines_are_split_at_cr_lf_and_crlf_only(text):
    assert lines.split_lines(text) == reference_lines(text)


def test_a_text_without_cr_is_split_without_the_line_end_pattern(monkeypatch):
    class Refused:
        def split(self, text):
            raise AssertionError("LINE_END used for a text without CR")

    monkeypatch.setattr(lines, "LINE_END", Refused())
    assert lines.split_lines("\ufeff[09:12] <wren> hi\n\n[09:13] <tobias> yo\u2028still\n") == [
        "[09:12] <wren> hi", "", "[09:13] <tobias> yo\u2028still",
    ]


# --- the IRC reader's one-match path ------------------------------------------------------

LINE_PIECES = [
    "[", "]", "[09:12]", "[9:05:59]", "[25:61]", "[12:34:56]", "09:12", " ", "  ", "\t", "<", ">", "<@", "<+",
    "< ", "wren", "tobias!~t@host", "tob ias", "@", "!", "-!- ", "* ", "text", "ok", "[Sat Jan 8 2005] ",
    "[14 Jan 12:37] ", "2005-01-08T23:34:46", "-", ":", "ä", "\x1c",
]
DAY_LINES = ["--- Day changed Sun Jan 09 2005", "--- Log opened Sat Jan 08 23:30:00 2005",
             "Session Start: Sat Jan 08 23:30:00 2005", "**** BEGIN LOGGING AT Mon Dec 31 21:11:55 2011"]
# lines near the message shape (a stamp, a gap, a nick in brackets, text), each part sometimes off
STAMPS = ["[09:12]", "[9:05:59]", "[25:61]", "[12:34:56]", "09:12", "[09:12", "[Sat Jan 8 2005] [09:12]",
          "[14 Jan 12:37]", "[2005-01-08 23:34:46]", "[1:2]", "[09:12] [09:13]", ""]
GAPS = [" ", "  ", "\t", " \t", "", "x"]
NICKS = ["<wren>", "<@tobias>", "<+ana>", "< wren >", "<tobias!~t@host>", "<wren", "<>", "<tob ias>", "<@>",
         "wren>", "* wren", "-!- wren", "<ä>"]
TEXTS = ["", " ", " hi", "\tok", " <b>", " [09:12] <x> y", "x", " \x1c"]
NEAR_MESSAGE = st.tuples(*(st.sampled_from(choices) for choices in (STAMPS, GAPS, NICKS, TEXTS))).map("".join)
LOG_LINE = (
    NEAR_MESSAGE | st.lists(st.sampled_from(LINE_PIECES), max_size=8).map("".join) | st.sampled_from(DAY_LINES)
)


@settings(max_examples=1500)
@given(st.lists(LOG_LINE, max_size=8))
def test_the_one_match_path_reads_random_lines_as_every_shape_did(log_lines):
    text = "\n".join(log_lines)
    assert summary(irc.read(text)) == summary(read_slowly(text))


def test_a_plain_message_line_is_read_in_one_match(monkeypatch):
    def refused(line):
        raise AssertionError(f"shape_of tried for {line!r}")

    monkeypatch.setattr(irc, "shape_of", refused)
    conversation = irc.read("[09:12] <wren> morning all\n[09:13]  <@tobias!~t@host>\n")
    assert summary(conversation)[0] == [
        ("Message", "wren", "morning all", 1, irc.clock_of("09:12"), "09:12"),
        ("Message", "tobias", "", 2, irc.clock_of("09:13"), "09:13"),
    ]


IRC_FIXTURES = sorted((ROOT / "tests" / "exports").glob("**/*.irc.*"))


@pytest.mark.parametrize("path", IRC_FIXTURES, ids=lambda path: str(path.relative_to(ROOT / "tests" / "exports")))
def test_every_irc_fixture_reads_as_before(path):
    text, _ = irc.decode(path.read_bytes())
    assert summary(irc.read(text)) == summary(read_slowly(text))


def test_the_benchmark_log_reads_as_before():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import synthetic
    finally:
        sys.path.remove(str(ROOT / "bench"))
    text = synthetic.irc_log(400)
    fast = irc.read(text)
    assert len(fast.messages) == 400
    assert summary(fast) == summary(read_slowly(text))


# --- what a preview imports -----------------------------------------------------------------

# Runs in a fresh interpreter: what a preview of an IRC log imported, and which of the
# reader's alternations of shapes it compiled.
PREVIEW = r"""
import sys
from pelican_chatlog.cli import main
from pelican_chatlog.readers import irc
main(["preview", sys.argv[1], "--format", "irc", "-o", sys.argv[2]])
modules = sorted(sys.modules)
import json  # after the list is made
print(json.dumps({"modules": modules, "alternations": irc.shapes_opening.cache_info().currsize}))
"""
LOG = "[09:12] <wren> morning all\n[09:13] <@tobias> the *new* stand came\n[09:15] <wren> see https://example.org/x\n"


def preview(tmp_path, log: str) -> tuple[dict, str]:
    path = tmp_path / "channel.irc.log"
    path.write_text(log, encoding="utf-8")
    page = tmp_path / "page.html"
    result = subprocess.run([sys.executable, "-c", PREVIEW, str(path), str(page)], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1]), page.read_text(encoding="utf-8")


def test_an_irc_preview_imports_only_what_it_uses(tmp_path):
    found, page = preview(tmp_path, LOG)
    modules = set(found["modules"])
    ours = {name.removeprefix("pelican_chatlog.") for name in modules if name.startswith("pelican_chatlog.")}
    assert "readers.irc" in ours
    # the other readers, `.chat`'s and the pastes', and what only a site, a template or a zip needs
    others = {f"readers.{name}" for name in SUFFIXES if name != "irc"}
    assert not ours & (others | {"readers.chat", "readers.pastes", "readers.archive", "pelican_plugin", "fence",
                                 "preview"})  # a quote's preview, and html.parser with it: no quote here
    assert "html.parser" not in modules
    assert not {name.split(".")[0] for name in modules} & {"jinja2", "markdown", "markupsafe", "pelican", "zipfile", "json"}
    assert "<em>new</em>" in page and 'href="https://example.org/x"' in page


def test_a_preview_of_a_log_with_a_quote_shows_it(tmp_path):
    # irclog2html's logs hold no quotes; a `.chat` post with `Format: irc` adds none either,
    # so the quote here comes from a `.chat` post: its preview imports what a quote needs
    post = tmp_path / "post.chat"
    post.write_text("Title: T\n\nwren: the *new* stand\n> wren: the *new* stand\ntobias: where?\n",
                    encoding="utf-8")
    page = tmp_path / "page.html"
    from pelican_chatlog.cli import main

    assert main(["preview", str(post), "-o", str(page)]) == 0
    assert '<blockquote class="chatlog-quote' in page.read_text(encoding="utf-8")


def test_a_log_of_plain_message_lines_compiles_none_of_the_shapes_alternations(tmp_path):
    assert preview(tmp_path, LOG)[0]["alternations"] == 0
    # a line in another shape compiles the alternation its first character asks for, and only it
    assert preview(tmp_path, LOG + "2015-07-08 02:00:04\twren\tbye\n")[0]["alternations"] == 1


# --- the cyclic collector -------------------------------------------------------------------


def test_a_preview_reads_and_renders_with_the_collector_paused_and_resumes_it(tmp_path, monkeypatch):
    import gc

    from pelican_chatlog import cli

    log = tmp_path / "channel.irc.log"
    log.write_text(LOG, encoding="utf-8")
    seen = []
    import importlib

    render_module = importlib.import_module("pelican_chatlog.render")  # the package's `render` is a function

    render_page = render_module.render_page

    def rendering(*args, **kwargs):
        seen.append(gc.isenabled())
        return render_page(*args, **kwargs)

    monkeypatch.setattr(render_module, "render_page", rendering)
    assert gc.isenabled()
    assert cli.main(["preview", str(log), "-o", str(tmp_path / "page.html")]) == 0
    assert seen == [False]  # rendered with it paused too, not only read
    assert gc.isenabled()
    gc.disable()  # a caller's choice is left as it was
    try:
        assert cli.main(["preview", str(log), "-o", str(tmp_path / "page.html")]) == 0
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert "<em>new</em>" in (tmp_path / "page.html").read_text(encoding="utf-8")


def test_a_preview_that_fails_resumes_the_collector(tmp_path):
    import gc

    from pelican_chatlog import cli

    missing = tmp_path / "missing.irc.log"
    assert cli.main(["preview", str(missing)]) == 2
    assert gc.isenabled()
