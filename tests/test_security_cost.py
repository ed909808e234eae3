"""Hostile chat text costs linear work (issue 10, F5).

No clocks: each test counts the work a step does (characters a scan reads,
comparisons, characters copied) at n and at 4n; linear work grows about 4
times, the square of n 16 times.  The shapes are bench/hostile.py's.
"""

import importlib
import json
import sys

import pytest
from markdown.inlinepatterns import BacktickInlineProcessor, LinkInlineProcessor
from conftest import ROOT

from pelican_chatlog import parse
from pelican_chatlog.readers import FORMATS, builder
from pelican_chatlog.inline import render_body
from pelican_chatlog.model import Message, Narration, Quote
from pelican_chatlog.readers.lines import split_lines

sys.path.insert(0, str(ROOT / "bench"))
import hostile  # noqa: E402

# the modules, which the package's functions of the same names hide
link = importlib.import_module("pelican_chatlog.link")
chat_module = importlib.import_module("pelican_chatlog.readers.chat")

LINEAR = 4.5  # growth allowed from n to 4n


def grows_linearly(count, n: int) -> bool:
    small, large = count(n), count(4 * n)
    assert small > 0
    return large <= LINEAR * small


# --- (a) Markdown's forward scans --------------------------------------------------


@pytest.fixture
def characters_scanned(monkeypatch):
    """Characters Python-Markdown's link and code-span scans read."""
    read = [0]
    get_text, get_link, code_spans = (
        LinkInlineProcessor.getText, LinkInlineProcessor.getLink, BacktickInlineProcessor.find_code_spans
    )

    def counted_text(self, data, index):
        text, end, handled = get_text(self, data, index)
        read[0] += end - index
        return text, end, handled

    def counted_link(self, data, index):
        href, title, end, handled = get_link(self, data, index)
        read[0] += (end if handled else len(data)) - index
        return href, title, end, handled

    def counted_spans(self, start, text):
        span_start, end = code_spans(self, start, text)
        read[0] += (len(text) if end is None else end) - start
        return span_start, end

    monkeypatch.setattr(LinkInlineProcessor, "getText", counted_text)
    monkeypatch.setattr(LinkInlineProcessor, "getLink", counted_link)
    monkeypatch.setattr(BacktickInlineProcessor, "find_code_spans", counted_spans)

    def count(body: str) -> int:
        read[0] = 0
        render_body(body)
        return read[0]

    return count


@pytest.mark.parametrize("unit", ["[", "[a](", "[a][", "[](", "``a`", "[`", "[a"])
def test_markdown_scans_of_openers_without_an_end_are_linear(characters_scanned, unit):
    def body(n):
        return (unit * n)[:n]

    assert grows_linearly(lambda n: characters_scanned(body(n)), 1_000)


def test_a_body_of_openers_keeps_every_character():
    html = str(render_body("[a](" * 2_000 + "[" * 2_000))
    assert html == "[a](" * 2_000 + "[" * 2_000


def test_links_and_code_after_stray_brackets_still_render():
    html = str(render_body("[sic [draft ( [a](https://example.org) and `code` [b](/c)"))
    assert '<a href="https://example.org" rel="nofollow noopener">a</a>' in html
    assert "<code>code</code>" in html
    assert '<a href="/c">b</a>' in html


# --- (b, c) quotes --------------------------------------------------------------------


class CountedText(str):
    """A loose text that counts the searches made in it."""

    searches = 0

    def __contains__(self, needle):
        CountedText.searches += 1
        return super().__contains__(needle)


@pytest.fixture
def quote_searches(monkeypatch):
    loose = link.loose
    monkeypatch.setattr(link, "loose", lambda text: CountedText(loose(text)))
    # a small look-back, so small chats show how the work grows past it
    monkeypatch.setattr(link, "QUOTE_LOOK_BACK_MESSAGES", 20, raising=False)

    def count(text: str) -> int:
        CountedText.searches = 0
        parse(text)
        return CountedText.searches

    return count


def test_quotes_that_match_nothing_cost_bounded_work_each(quote_searches):
    assert grows_linearly(lambda n: quote_searches(hostile.unmatched_quotes(n)[0]), 200)


def test_quotes_of_the_first_message_cost_bounded_work_each(quote_searches):
    assert grows_linearly(lambda n: quote_searches(hostile.old_quotes(n)[0]), 200)


def chat_with_old_message(between: int, quote: str) -> str:
    lines = ["Dana: the truing stand came back bent, twice"]
    lines += [f"Dana: message number {index}" for index in range(between)]
    lines += [f"Quoting Dana: “{quote}”", "Sam: why?"]
    return "\n".join(lines) + "\n"


def test_a_quote_of_an_old_message_within_the_look_back_links():
    conversation = parse(chat_with_old_message(250, "came back BENT"))
    assert conversation.messages[-1].quotes[0].target is conversation.messages[0]
    assert conversation.problems == []


def test_a_quote_of_a_whole_message_links_however_old():
    conversation = parse(chat_with_old_message(5_000, "The truing stand came back bent, twice."))
    assert conversation.messages[-1].quotes[0].target is conversation.messages[0]
    assert conversation.problems == []


def test_a_partial_quote_beyond_the_look_back_says_so():
    conversation = parse(chat_with_old_message(5_000, "came back bent"))
    assert conversation.messages[-1].quotes[0].target is None
    [problem] = conversation.problems
    assert "last 300 messages" in problem.message
    assert problem.line == 5_002


def test_the_latest_message_saying_a_quote_still_wins():
    text = "Dana: yes\nSam: ok\nDana: yes, sure\nQuoting Dana: “yes”\nSam: which?\n"
    conversation = parse(text)
    assert conversation.messages[-1].quotes[0].target is conversation.messages[2]


def test_a_quote_only_a_later_message_says_is_named():
    text = "Dana: hi\nQuoting Dana: “see you”\nSam: what?\nDana: see you Thursday\n"
    [problem] = parse(text).problems
    assert "only a later message (line 4) says it" in problem.message


# --- (d) slugs ---------------------------------------------------------------------------


class CountedSlug(str):
    """A slug that counts the candidates made from it."""

    made = 0

    def __format__(self, spec):
        CountedSlug.made += 1
        return super().__format__(spec)


def test_colliding_slugs_cost_one_step_each(monkeypatch):
    slugify = link.slugify
    monkeypatch.setattr(link, "slugify", lambda name: CountedSlug(slugify(name)))

    def count(n):
        CountedSlug.made = 0
        parse(hostile.colliding_slugs(n)[0])
        return CountedSlug.made

    assert grows_linearly(count, 100)


def test_colliding_slugs_stay_unique_and_as_before():
    conversation = parse("X 3: hi\nx: hi\nx.: hi\nx-: hi\nx_: hi\nX 3.: hi\n")
    assert [s.slug for s in conversation.speakers] == ["x-3", "x", "x-2", "x-4", "x-5", "x-3-2"]


# --- (e) messages of many lines ----------------------------------------------------------


@pytest.fixture
def characters_copied(monkeypatch):
    """Characters written to the text of messages, quotes and narration."""
    copied = [0]

    def counting(cls):
        class Counted(cls):
            __slots__ = ()

            def __setattr__(self, name, value):
                if name == "text":
                    copied[0] += len(value)
                super().__setattr__(name, value)

        return Counted

    for module in (chat_module, builder):
        monkeypatch.setattr(module, "Message", counting(Message))
        monkeypatch.setattr(module, "Narration", counting(Narration))
    monkeypatch.setattr(chat_module, "Quote", counting(Quote))

    def count(shape, n):
        copied[0] = 0
        text, format = shape(n)
        if format == "chat":
            chat_module.read_chat(split_lines(text))
        else:
            FORMATS[format].read(text)
        return copied[0]

    return count


@pytest.mark.parametrize("shape", [hostile.long_message, hostile.long_whatsapp_message])
def test_lines_of_a_message_are_copied_once(characters_copied, shape):
    assert grows_linearly(lambda n: characters_copied(shape, n), 2_000)


def test_a_narration_of_many_lines_keeps_them_all():
    lines = ["Leave a comment"] + [f"line {index}" for index in range(1_000)]
    conversation = parse("Dana: hi\n\n" + "\n".join(lines) + "\n")
    assert conversation.items[-1].text == "\n".join(lines)


# --- (f) compact JSON exports --------------------------------------------------------------


class CountedExport(str):
    """An export's text that counts the characters its searches read."""

    read = 0

    def find(self, sub, start=0, end=None):
        found = super().find(sub, start, *([] if end is None else [end]))
        CountedExport.read += (len(self) if found < 0 else found) - start
        return found


def test_compact_json_entries_are_found_in_one_pass():
    def count(n):
        CountedExport.read = 0
        conversation = FORMATS["telegram"].read(CountedExport(hostile.compact_json(n)[0]))
        assert len(conversation.messages) == n
        return CountedExport.read + 1

    assert grows_linearly(count, 300)


def test_json_written_without_spaces_gets_its_lines():
    messages = [
        {"id": index, "type": "message", "date": "2019-01-30T20:49:00", "from": "Jane", "text": f"hi {index}"}
        for index in (1, 2, 3)
    ]
    text = json.dumps({"name": "Bikes", "messages": messages}, indent=1, separators=(",", ":"))
    conversation = FORMATS["telegram"].read(text)
    lines = text.split("\n")
    assert [lines[m.line - 1].strip() for m in conversation.messages] == ['"id":1,', '"id":2,', '"id":3,']


def test_one_line_json_reads_every_message_on_line_one():
    conversation = FORMATS["telegram"].read(hostile.compact_json(50)[0])
    assert [m.text for m in conversation.messages] == [f"hi {index}" for index in range(1, 51)]
    assert {m.line for m in conversation.messages} == {1}
