"""Property tests: whatever people paste, nothing is lost, nothing is injected,
and reading fails only with our own error type.

Conversations are generated as a list of events with arbitrary Unicode names
and text (markup, scripts, quotes, RTL and combining marks, emoji, NUL and
control characters), written out with LF, CRLF or CR line ends and maybe a
BOM, read back and rendered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pelican.tests.support import get_settings

from pelican_chatlog import ChatlogError, parse, render
from pelican_chatlog.controls import visible_controls
from pelican_chatlog.pelican_plugin import ChatReader

PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
WORDS = re.compile(r"[^\W_]+")
PALETTE_STYLE = re.compile(r"--chatlog-c\d+:#[0-9a-f]{6}(;--chatlog-c\d+:#[0-9a-f]{6})*")
# Continuation and narration lines start with this, so they are not read as
# a time, a quote or a message: every other character stays arbitrary.
PLAIN = "|"
HOSTILE_SNIPPETS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<style>*{display:none}</style>",
    "[click](javascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "<iframe src=//evil>",
    "&lt;b&gt; &amp; &#x3c;",
    "\u202eevil\u202c",
    "e\u0301\u0301\u0301",
    "\U0001f600\u200d\U0001f4a9",
    "\x00\x01\x1b\x7f",
    "*",
    "`",
    "http://example.org/_x_",
]

line_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=40
) | st.sampled_from(HOSTILE_SNIPPETS)
names = (
    st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n:;,()|[>"),
        min_size=1,
        max_size=16,
    )
    | st.sampled_from(["<script>", "Dana", "دانا", "O'Brien", "a\u0301", "\U0001f916 bot", "&lt"])
).map(str.strip).filter(lambda name: name and not name.casefold().startswith("quoting"))
times = st.sampled_from(
    ["Tue 6:02 PM", "6:02 PM", "18:02", "Yesterday 6:02 PM", "Mar 3, 2024, 6:02 PM", "2024-03-03 18:02"]
)


@dataclass
class Quote:
    speaker: str
    text: str
    time: str | None = None


@dataclass
class Message:
    speaker: str
    first: str
    more: list[str]
    quotes: list[Quote] = field(default_factory=list)
    prefixed_time: str | None = None
    time_after: str | None = None
    expected_time: str | None = None


@dataclass
class Narration:
    text: str


@st.composite
def conversations(draw):
    speakers = draw(st.lists(names, min_size=1, max_size=5, unique_by=str.casefold))
    events = []
    for _ in range(draw(st.integers(1, 8))):
        if draw(st.integers(0, 5)) == 0:
            events.append(Narration(PLAIN + draw(line_text)))
            continue
        message = Message(
            speaker=draw(st.sampled_from(speakers)),
            first=draw(line_text),
            more=[PLAIN + text for text in draw(st.lists(line_text, max_size=2))],
            prefixed_time=draw(st.none() | times),
            time_after=draw(st.none() | times),
        )
        for _ in range(draw(st.integers(0, 2))):
            message.quotes.append(
                Quote(draw(st.sampled_from(speakers)), draw(line_text), draw(st.none() | times))
            )
        events.append(message)
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    bom = draw(st.sampled_from(["", "\ufeff"]))
    return speakers, events, bom + newline.join(source_lines(speakers, events)) + newline


def source_lines(speakers, events):
    lines = ["Speakers: " + ", ".join(speakers), ""]
    pending: list[Message] = []
    for event in events:
        if isinstance(event, Narration):
            lines += ["", event.text, ""]
            continue
        for quote in event.quotes:
            lines.append(f"Quoting {quote.speaker}: “{quote.text}”")
            if quote.time:
                lines.append(quote.time)
                # a time line after a quote also stamps what waits above it
                for waiting in pending:
                    waiting.expected_time = quote.time
                pending = []
        prefix = f"[{event.prefixed_time}] " if event.prefixed_time else ""
        lines.append(f"{prefix}{event.speaker}: {event.first}")
        lines.extend(event.more)
        if event.prefixed_time:
            event.expected_time = event.prefixed_time
        else:
            pending.append(event)
        if event.time_after:
            lines.append(event.time_after)
            for waiting in pending:
                waiting.expected_time = event.time_after
            pending = []
        lines.append("")
    return lines


def words(text: str) -> list[str]:
    return WORDS.findall(text)


def text_with_addresses(element) -> str:
    """The page's text, with each link's address after its text: nothing a
    person typed may vanish, and a link's address is still shown to them."""
    soup = BeautifulSoup(str(element), "html.parser")
    for anchor in soup.find_all("a", href=True):
        if not anchor["href"].startswith("#"):
            anchor.append(" " + anchor["href"])
    return soup.get_text(" ")


def body_of(message):
    """A message's own text: its <li> without the name, quotes, time and backlinks."""
    body = BeautifulSoup(str(message), "html.parser").li
    for element in body.find_all(["b", "time", "blockquote", "p"], recursive=False):
        if element.name != "blockquote" or "chatlog-quote" in element.get("class", []):  # `> x` in a body stays
            element.decompose()
    return body


def is_subsequence(needle: list[str], haystack: list[str]) -> bool:
    remaining = iter(haystack)
    return all(word in remaining for word in needle)


@PROPERTY_SETTINGS
@given(conversations())
def test_nothing_is_lost(case):
    _, events, source = case
    conversation = parse(source)
    soup = BeautifulSoup(render(conversation), "html.parser")
    rendered = soup.select(".chatlog-message")
    messages = [event for event in events if isinstance(event, Message)]
    assert len(rendered) == len(messages)
    expected_words = []
    for event in events:
        if isinstance(event, Narration):
            expected_words += words(event.text)
            continue
        for quote in event.quotes:
            expected_words += words(quote.speaker) + words(quote.text)
        expected_words += words(event.first) + [w for line in event.more for w in words(line)]
    assert is_subsequence(expected_words, words(text_with_addresses(soup)))

    page_text = soup.get_text()
    for name in {m.speaker for m in messages} | {q.speaker for m in messages for q in m.quotes}:
        assert visible_controls(name) in page_text
    for event, element in zip(messages, rendered):
        assert element["data-speaker"] == visible_controls(event.speaker)
        own_words = words(event.first) + [w for line in event.more for w in words(line)]
        assert is_subsequence(own_words, words(text_with_addresses(body_of(element))))
        stamp = element.find("time", recursive=False)
        if event.expected_time is None:
            assert stamp is None
        elif stamp.get_text():
            # printed where it changes; under its day's separator, only the time of day
            assert event.expected_time.endswith(stamp.get_text())
        else:
            assert stamp["datetime"]  # not printed: the same as above, still machine-readable
        quotes = element.select(".chatlog-quote")
        assert len(quotes) == len(event.quotes)
        for quote, quote_element in zip(event.quotes, quotes):
            assert visible_controls(quote.speaker) in quote_element.get_text()
            assert is_subsequence(words(quote.text), words(quote_element.get_text()))
            quote_time = quote_element.select_one("time")
            assert (quote_time is None) == (quote.time is None)
            assert quote_time is None or quote.time.endswith(quote_time.get_text())


def assert_nothing_injected(html: str):
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(True):
        assert element.name not in {"script", "style", "iframe", "object", "embed", "img", "svg", "math"}
        for attribute, value in element.attrs.items():
            assert not attribute.lower().startswith("on")
            value = " ".join(value) if isinstance(value, list) else value
            if attribute in ("href", "src"):
                scheme = re.sub(r"[\x00-\x20]", "", value).split(":", 1)
                assert len(scheme) == 1 or scheme[0].lower() in ("http", "https", "mailto"), value
            if attribute == "style":
                assert PALETTE_STYLE.fullmatch(value), value


@PROPERTY_SETTINGS
@given(conversations())
def test_nothing_is_injected(case):
    _, _, source = case
    conversation = parse(source)
    assert_nothing_injected(render(conversation))
    for speaker in conversation.speakers:
        assert re.fullmatch(r"#[0-9a-f]{6}", speaker.color)


# Pieces of the format mixed with arbitrary text, to reach deep into the parser.
FORMAT_PIECES = st.sampled_from(
    [
        "Title: ", "Date: ", "Date: 2024-03-07", "Date: 0001-01-01", "Date: 9999-12-31 23:59",
        "Speakers: ", "Me: ", "Timestamps: before", "Timestamps: after", "Tags: ",
        "Dana", "dana", "Marcus_R", ": ", ":", "Quoting ", "quoting dana: ", "> ", ">",
        "“", "”", '"', "(color: #fff)", "(side: right)", "(avatar: x)", "(", ")", ",", ";",
        "[", "]", "[18:02] ", "Tue 6:02 PM", "Yesterday 11:59 PM", "12:00 AM", "Mar 3, 2024, 6:02 PM",
        "Dec 31, 11:59 PM", "Feb 29, 6:00", "2024-03-03 18:02", "    ", "\t", "*", "_", "`", "[x](", "http://",
        "&amp;", "<b>", "\x00", "\x02", "\ue000", "\u202e", "\r", "\n", "\r\n", "\n\n", "\ufeff",
    ]
)
structured_text = st.lists(FORMAT_PIECES | st.text(max_size=5), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.text() | structured_text)
def test_any_text_reads_or_fails_with_our_error(text):
    try:
        conversation = parse(text)
    except ChatlogError as error:
        assert error.message and str(error).startswith("<chat>")
        return
    assert_nothing_injected(render(conversation))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary() | (st.text() | structured_text).map(lambda text: text.encode("utf-8")))
def test_any_file_reads_or_fails_with_our_error(tmp_path, data):
    path = tmp_path / "post.chat"
    path.write_bytes(data)
    try:
        content, metadata = ChatReader(get_settings()).read(str(path))
    except ChatlogError as error:
        assert str(error).startswith(f"{path}:")
        return
    assert_nothing_injected(content)
    assert "<" not in metadata["summary"]


# --- importers -------------------------------------------------------------------

from pelican_chatlog import link  # noqa: E402
from pelican_chatlog.readers import FORMATS, whatsapp  # noqa: E402

EXPORT_PIECES = st.sampled_from(
    [
        "30/01/19, 20:49 - ", "01/30/2019, 08:49 p. m. - ", "[01/30/19 20:49] ", "06.08.2016, 13:23 - ",
        "31/02/19, 25:61 - ", "99/99/99, 99:99 - ", "\u200e", "[2019-12-24, 12:23] ", "[2019-02-30, 12:23] ",
        "[12:34] ", "2005-01-08T23:34:46  ", "12:34 ", "--- Day changed Sat Jan 08 2005", "--- Day changed Mon Feb 31 2005",
        "<nick> ", "<@op> ", "* nick waves", "Jane Doe: ", "Bob:", ": ", "\n", "\r\n", "<script>", "[x](javascript:1)",
    ]
)
export_text = st.lists(EXPORT_PIECES | st.text(max_size=6), max_size=30).map("".join)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10)
    | st.sampled_from(["2019-01-30T20:49:00", "1548881400.0002", "message", "service", "Reply", "Default"]),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(
        st.sampled_from(
            ["id", "type", "date", "from", "text", "messages", "reply_to_message_id", "actor", "action",
             "ts", "user", "subtype", "thread_ts", "files", "channel", "author", "content", "timestamp",
             "reference", "messageId", "attachments", "name", "href", "chats", "list", "members", "photo"]
        ),
        children,
        max_size=6,
    ),
    max_leaves=25,
)


@settings(max_examples=100, deadline=None)
@given(name=st.sampled_from(sorted(FORMATS)), text=export_text | json_values.map(__import__("json").dumps))
def test_any_export_reads_or_fails_with_our_error(name, text):
    try:
        conversation = FORMATS[name].read(text)
    except ChatlogError as error:
        assert error.message
        return
    assert_nothing_injected(render(link(conversation)))


# Nothing lost through the importers: exports written from generated
# messages, read back and rendered, show every name and every word in order.

import datetime as _datetime  # noqa: E402
import json as _json  # noqa: E402

from pelican_chatlog.readers.whatsapp import stamp_of  # noqa: E402

export_names = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters=':"“”<>[]\u200e\u200f\u202a\u202c\ufeff'),
    min_size=1,
    max_size=20,
).map(str.strip).filter(lambda name: name and len(WORDS.findall(name)) > 0)
export_lines = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=30)
export_messages = st.lists(
    st.tuples(export_names, st.lists(export_lines, min_size=1, max_size=3), st.integers(0, 10**6)),
    min_size=1,
    max_size=6,
)


def whatsapp_export(messages):
    lines = []
    for name, body, minutes in messages:
        when = _datetime.datetime(2019, 1, 30) + _datetime.timedelta(minutes=minutes)
        lines.append(f"{when:%d/%m/%y, %H:%M} - {name}: {body[0]}")
        # a line that itself looks like a new WhatsApp message would be one
        lines.extend(line for line in body[1:] if not stamp_of(line.lstrip("\u200e")))
    return "\n".join(lines)


def irc_export(messages):
    return "\n".join(
        f"[{minutes // 60 % 24:02d}:{minutes % 60:02d}] <{WORDS.findall(name)[0]}> {' '.join(body)}"
        for name, body, minutes in messages
    )


def telegram_export(messages):
    entries = [
        {"id": index, "type": "message", "date": "2019-01-30T20:49:00", "from": name, "text": "\n".join(body)}
        for index, (name, body, _) in enumerate(messages, start=1)
    ]
    return _json.dumps({"name": "chat", "messages": entries})


def slack_export(messages):
    def slack_escape(text):  # what Slack does to typed text
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    return _json.dumps(
        [
            {"type": "message", "user": "U1", "user_profile": {"real_name": name},
             "text": slack_escape("\n".join(body)), "ts": f"{1548881400 + index}.000100"}
            for index, (name, body, _) in enumerate(messages)
        ]
    )


def discord_export(messages):
    entries = [
        {"id": str(index), "type": "Default", "timestamp": "2020-01-01T12:00:00+00:00",
         "author": {"name": name}, "content": "\n".join(body)}
        for index, (name, body, _) in enumerate(messages)
    ]
    return _json.dumps({"messages": entries})


EXPORT_WRITERS = {
    "whatsapp": whatsapp_export,
    "irc": irc_export,
    "telegram": telegram_export,
    "slack": slack_export,
    "discord": discord_export,
}


@settings(max_examples=60, deadline=None)
@given(name=st.sampled_from(sorted(EXPORT_WRITERS)), messages=export_messages)
@example(name="whatsapp", messages=[("0", ["audio omitted"], 0)])  # WhatsApp's own words: an attachment
def test_nothing_is_lost_through_importers(name, messages):
    export = EXPORT_WRITERS[name](messages)
    soup = BeautifulSoup(render(link(FORMATS[name].read(export))), "html.parser")
    expected, previous = [], None
    for speaker, body, _ in messages:
        kept = body if name != "whatsapp" else [body[0]] + [
            line for line in body[1:] if not stamp_of(line.lstrip("\u200e"))
        ]
        if name == "whatsapp" and (body[0] in whatsapp.OMITTED or "\n".join(body) in whatsapp.DELETED_LINES):
            kept = kept[1:]  # WhatsApp's own words for a file or a deletion: a mark on the page, not text
        speaker = WORDS.findall(speaker)[0] if name == "irc" else speaker
        if speaker.casefold() != previous:  # a run of one speaker names them once
            expected += words(speaker)
        previous = speaker.casefold()
        expected += [word for line in kept for word in words(line)]
    page_words = words(text_with_addresses(soup))
    assert is_subsequence(expected, page_words), (expected, page_words)
    assert len(soup.select(".chatlog-message")) == len(messages)
