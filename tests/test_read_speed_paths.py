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
import gc
import pickle
import importlib.util
import re
import tracemalloc
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pelican_chatlog import ChatlogError, model, pipeline, timestamps
from pelican_chatlog import link as _link_function  # noqa: F401  (the package exports link(); the module is below)
from pelican_chatlog.readers import chat

link = importlib.import_module("pelican_chatlog.link")
render = importlib.import_module("pelican_chatlog.render")
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


NAMES = ["Dana", "dana", "DANA", "Dana  Okafor", "Dana Okafor", "Dr. Ada Lee", "Marcus_R", "Note", "ps", "A: B", "A",
         "", "\\Bob", "Zoë", "ſam", "Sam", "quinn", "the reason is simple", "x" * 41]
LINE_PIECES = NAMES + [":", ": ", " : ", ":\t", ":\u00a0", "::", " ", "  ", "\t", "\u00a0", "\x0b", "\\", "> ", ">",
                       "Quoting ", "quoting\t", "[18:02] ", "[image: a.png]", "(edited)", "(reactions: 👍 Dana)", "“hi”",
                       '"Bob (x)"', "Mon 9:02 AM", "18:02", "9:5", "Tue 13:02 PM", "2024-03-03T9:02", "hi", "https://x.y",
                       "6:02 PM", "(message 3)", "\ufdd0"]


@st.composite
def contexts(draw):
    declared = draw(st.lists(st.sampled_from(NAMES + ['Bob (x)']), max_size=3))
    known = {name.casefold() for name in draw(st.lists(st.sampled_from(NAMES), max_size=4))}
    narrated = draw(st.lists(st.sampled_from(["note", "ps"]), max_size=2))
    context = chat.LineContext.of(declared, known=known | {name.casefold() for name in declared}, narrated=narrated)
    return context.with_quote_open(draw(st.booleans()))


@settings(max_examples=4000)
@given(st.lists(st.sampled_from(LINE_PIECES) | st.text(max_size=3), max_size=6).map("".join), contexts())
def test_a_line_classified_by_its_shape_is_what_the_full_reading_says(line, context):
    stripped = line.strip(" \t")
    common = chat.common_line(line, stripped, context) if stripped else None
    full = chat.classify_fully(line, context)
    if common is not None:
        assert common == full
    assert chat.classify(line, context) == full


def test_the_common_shapes_take_the_short_path():
    context = chat.LineContext.of([], known={"dana", "dr. ada lee"})
    for line, event in [
        ("Dana: hi ", chat.MessageLine("Dana", "hi")),
        ("  Dr. Ada Lee:  hi: there", chat.MessageLine("Dr. Ada Lee", "hi: there")),
        ("Mon 9:02 AM", chat.TimeLine("Mon 9:02 AM", timestamps.parse_time("Mon 9:02 AM"))),
        ("  more of it ", chat.Text("  more of it")),
    ]:
        assert chat.common_line(line, line.strip(" \t"), context) == event == chat.classify_fully(line, context)
    for rare in ("Eve: hi", "Quoting Dana: “hi”", "[18:02] Dana: hi", "\\18:02", "(edited)", "Tue 13:02 PM", "a:b"):
        assert chat.common_line(rare, rare, context) is None


def read_checking_each_line(lines, context_narrated=frozenset()):
    """Read a `.chat` file's lines as `assemble` does, asserting that every line
    is classified in its context as the full reading classifies it."""
    try:
        header = read_header(lines)
        declared, styles = list(header.speaker_styles()), header.speaker_styles()
    except ChatlogError:
        header, declared, styles = read_header([]), [], {}
    assembler = chat.ChatAssembler(declared, styles, narrated=context_narrated)
    checked = 0
    for number, line in enumerate(lines[header.end :], start=header.end + 1):
        context = assembler.context()
        event = chat.classify(line, context)
        assert event == chat.classify_fully(line, context), (number, line)
        assembler.add(event, number)
        checked += 1
    return checked


def chat_texts():
    """Every `.chat` file of the tests and the example site, every ```` ```chat ```` block
    of their Markdown posts, and the benchmark's chat (bench/synthetic.py)."""
    for path in chat_files():
        try:
            yield path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # the broken files that are not UTF-8: no line of them is read
    for path in sorted(path for folder in ("tests", "example_site") for path in (ROOT / folder).rglob("*.md")):
        yield from re.findall(r"^```chat\n(.*?)^```", path.read_text(encoding="utf-8"), re.MULTILINE | re.DOTALL)
    yield synthetic_chat(400)
    yield synthetic_chat(100, blank_lines=True)


def test_every_line_of_every_chat_is_classified_as_the_full_reading_classifies_it():
    checked = 0
    for text in chat_texts():
        lines = split_lines(text)
        checked += read_checking_each_line(lines)
        checked += read_checking_each_line(lines, frozenset({"note", "ps", "update"}))
    assert checked > 2000


def test_a_time_made_without_its_init_is_the_time_its_init_makes():
    clock = datetime.time(9, 2)
    for day in [timestamps.NO_DAY, (datetime.date(2024, 3, 4), None, None, None), (None, (3, 4), None, None),
                (None, None, 5, None), (None, None, None, 1)]:
        made, initialised = timestamps._made(clock, day), timestamps.ParsedTime(clock, *day)
        assert vars(made) == vars(initialised) and made == initialised and hash(made) == hash(initialised)
        assert pickle.loads(pickle.dumps(made)) == initialised


WORDS = ["fix", "the", "stand", "Tuesday", "chain", "lock"]


@st.composite
def quoting_chats(draw):
    """Messages of three speakers, some quoting what one of them said before,
    after, never, or as the whole of an old message."""
    speakers = [model.Speaker(name) for name in ("Dana", "Marcus", "Priya")]
    said = st.lists(st.sampled_from(WORDS), min_size=0, max_size=4).map(" ".join)
    messages = []
    for number in range(draw(st.integers(1, 14))):
        message = model.Message(draw(st.sampled_from(speakers)), draw(said), number + 1)
        for _ in range(draw(st.integers(0, 2))):
            text = draw(said | st.sampled_from([m.text for m in messages] or [""]))
            message.own("quotes").append(model.Quote(draw(st.sampled_from(speakers)), text, number + 1))
        message.id = f"msg-{number + 1}"
        messages.append(message)
    return messages


def quotes_linked_one_by_one(messages):
    """Each quote looked for on its own, among its speaker's messages listed in
    full and counted before it: what resolve_quotes did before its one pass."""
    problems = []
    for index, message in enumerate(messages):
        for quote in message.quotes:
            said = [m for m in messages if m.speaker is quote.speaker]
            count = sum(1 for m in messages[:index] if m.speaker is quote.speaker)
            needle = link.loose(quote.text)
            target, read_all = link._latest_saying(said, count, needle, {})
            if target is None and not read_all:
                target = link.WholeMessages({}).latest(said, count, needle)
            if target is not None:
                model.link_quote(quote, target, message)
            else:
                problems.append(model.Problem(quote.line, link._unresolved_reason(
                    quote, needle, said, count, read_all, {})))
    return problems


def links_of(messages):
    return [([(m.line, m.speaker.name) for m in (q.target for q in message.quotes) if m],
             [(b.id, b.speaker.name) for b in message.quoted_by]) for message in messages]


@settings(max_examples=1500)
@given(quoting_chats(), st.sampled_from([(2, 30), (3, 1000), (300, 30_000)]))
def test_quotes_linked_in_one_pass_link_as_one_by_one(messages, look_back):
    copied = pickle.loads(pickle.dumps(messages))
    original = (link.QUOTE_LOOK_BACK_MESSAGES, link.QUOTE_LOOK_BACK_CHARACTERS)
    link.QUOTE_LOOK_BACK_MESSAGES, link.QUOTE_LOOK_BACK_CHARACTERS = look_back
    try:
        problems = link.resolve_quotes(messages)
        expected = quotes_linked_one_by_one(copied)
    finally:
        link.QUOTE_LOOK_BACK_MESSAGES, link.QUOTE_LOOK_BACK_CHARACTERS = original
    assert problems == expected
    assert links_of(messages) == links_of(copied)


@settings(max_examples=1500)
@given(st.dates(), st.sampled_from(["Mon 9:02", "Sunday 23:59", "6:02 PM", "0:00", "Mar 3 1:00", "yesterday 1:00"]),
       st.none() | st.datetimes())
def test_a_time_resolves_as_the_calendar_says(reference, text, previous):
    parsed = timestamps.parse_time(text)
    try:
        resolved = parsed.resolve(reference, previous)
    except OverflowError:  # resolve() itself never lets one out
        raise AssertionError("OverflowError") from None
    if parsed.weekday is not None and isinstance(resolved, datetime.datetime):
        assert resolved.weekday() == parsed.weekday and 0 <= (reference - resolved.date()).days < 7
    if parsed.weekday is None and parsed.month_day is None and parsed.days_ago is None and previous is not None:
        assert isinstance(resolved, datetime.datetime) or previous.date() == datetime.date.max
        if isinstance(resolved, datetime.datetime):
            # the next day only when the clock went back by more than an hour (a set-back clock stays)
            went_back = datetime.datetime.combine(datetime.date.min, previous.time()) - datetime.datetime.combine(
                datetime.date.min, parsed.clock)
            rolled = int(went_back > datetime.timedelta(hours=1))
            assert resolved.date() - previous.date() == datetime.timedelta(days=rolled)


def test_a_weeks_weekday_stamps_are_placed_by_seven_subtractions():
    timestamps._latest_weekday.cache_clear()
    reference = datetime.date(2024, 3, 20)
    for day in range(21):
        text = f"{('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun')[day % 7]} 9:{day:02}"
        resolved = timestamps.parse_time(text).resolve(reference, None)
        assert resolved.weekday() == day % 7 and datetime.timedelta(0) <= reference - resolved.date() < datetime.timedelta(7)
    assert timestamps._latest_weekday.cache_info().misses == 7


def synthetic_chat(count, blank_lines=False):
    """bench/synthetic.py's chat of ``count`` messages, as the benchmark reads it."""
    spec = importlib.util.spec_from_file_location("synthetic", ROOT / "bench" / "synthetic.py")
    synthetic = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(synthetic)
    return synthetic.chat_post(count, blank_lines)


def test_a_chat_is_read_and_linked_with_the_cycle_collector_paused(monkeypatch):
    seen = []

    def link_seeing_the_collector(conversation, **options):
        seen.append(gc.isenabled())
        return link.link(conversation, **options)

    monkeypatch.setattr(pipeline, "link", link_seeing_the_collector)
    text = synthetic_chat(200)  # a module loaded and dropped: garbage of its own
    gc.collect()  # what earlier tests left
    conversation = pipeline.read_conversation(text)
    assert len(conversation.messages) == 200
    assert seen == [False]
    assert gc.isenabled()
    assert gc.collect() == 0  # reading left no cycles for the collector to find


def test_the_cycle_collector_is_left_as_it_was_found():
    assert gc.isenabled()
    pipeline.read_conversation("Dana: hi")
    assert gc.isenabled()
    try:
        pipeline.read_conversation("Title: x\nDate: not a date\n\nDana: hi")
    except ChatlogError:
        pass
    else:
        raise AssertionError("a bad Date is an error")
    assert gc.isenabled()
    gc.disable()
    try:
        pipeline.read_conversation("Dana: hi")
        assert not gc.isenabled()
    finally:
        gc.enable()


# --- memory: what a long chat keeps alive while it is read and rendered ----------------------------


def test_messages_with_no_quotes_files_or_reactions_share_one_empty_tuple():
    conversation = pipeline.read_conversation("Dana: hi\nBob: hello\nQuoting Dana: “hi”\nBob: that")
    first, second, third = conversation.messages
    for name in ("quotes", "attachments", "reactions"):
        assert getattr(first, name) is getattr(second, name) == ()
    assert second.quoted_by is () and type(first.quoted_by) is list  # only what was added to is a list
    assert [quote.target for quote in third.quotes] == [first]


def test_own_makes_a_message_s_list_once_and_leaves_the_shared_empty_tuple_alone():
    first, second = pipeline.read_conversation("Dana: hi\nBob: hello").messages
    attachments = first.own("attachments")
    attachments.append(model.Attachment("a.png", "image"))
    assert first.own("attachments") is attachments == first.attachments
    assert second.attachments == () and model.Message(first.speaker, "", 1).attachments == ()


def test_a_render_holds_one_run_at_a_time_not_the_whole_chat_shaped_again():
    # Before blocks() gave its runs one by one, a render held every message's
    # shape at once: 3.4 times the page it returned; now 2.3.
    conversation = pipeline.read_conversation(synthetic_chat(2000))
    render.render(conversation)  # templates and caches made first: not part of the figure
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        page = render.render(conversation)
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    assert peak < 2.75 * len(page)
