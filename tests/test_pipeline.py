"""The one way in: every caller reads, dates and links through pipeline.read_conversation,
and every option either applies to the format read or is an error."""

from __future__ import annotations

import datetime
import gc

import pytest

from pelican_chatlog import ChatlogError, cli, fence, parse, pelican_plugin, pipeline, read_file
from pelican_chatlog.timestamps import ParsedTime

WHATSAPP = "30/01/19, 20:49 - Jane Doe: hi\n30/01/19, 20:50 - Bob: hello\n"
CHAT = "Date: 2024-03-07\n\nDana: hi\nTue 6:02 PM\nMarcus: hello\n"


def test_me_applies_to_every_format():
    conversation = parse(WHATSAPP, format="whatsapp", me="jane doe")
    assert {speaker.name: speaker.side for speaker in conversation.speakers}["Jane Doe"] == "right"


@pytest.mark.parametrize(
    "options, message",
    [
        ({"timestamps": "bogus"}, "timestamps must be one of"),
        ({"timestamps": "after"}, "options of the `.chat` format"),
        ({"speakers": ["Jane Doe"]}, "options of the `.chat` format"),
        ({"chat": "Bikes"}, "does not take `chat`"),
        ({"colour": "red"}, "does not take `colour`"),
    ],
)
def test_an_option_a_whatsapp_export_does_not_take_is_an_error(options, message):
    # 0.1: parse(text, format="whatsapp", me="Jane", timestamps="bogus") ignored all three
    with pytest.raises(ChatlogError, match=message):
        parse(WHATSAPP, format="whatsapp", me="Jane Doe", **options)


@pytest.mark.parametrize("options", [{"day_first": True}, {"chat": "Bikes"}, {"timestamps": "sideways"}])
def test_an_option_the_chat_format_does_not_take_is_an_error(options):
    with pytest.raises(ChatlogError):
        parse(CHAT, **options)


def test_import_options_reach_an_export_below_a_chat_header():
    text = "Title: Bikes\nFormat: whatsapp\n\n01/02/19, 20:49 - Jane Doe: hi\n"
    assert parse(text, day_first=False).messages[0].time == datetime.datetime(2019, 1, 2, 20, 49)
    assert parse(text, day_first=True).messages[0].time == datetime.datetime(2019, 2, 1, 20, 49)


def test_line_numbers_are_the_files_when_the_chat_starts_inside_it():
    conversation = pipeline.read_conversation("Dana: hi\n\nDana: [x](javascript:alert(1))\n", first_line=10)
    assert [message.line for message in conversation.messages] == [11, 13]
    assert [problem.line for problem in conversation.problems] == [13]
    with pytest.raises(ChatlogError) as error:
        pipeline.read_conversation("Title: x\nDate: someday\n\nDana: hi\n", first_line=10)
    assert error.value.line == 12


def test_an_export_below_a_header_numbers_its_lines_from_the_file():
    text = "Title: Bikes\nFormat: whatsapp\n\n30/01/19, 20:49 - Jane Doe: hi\n30/01/19, 99:99 - Bob: x\n"
    conversation = pipeline.read_conversation(text, first_line=5)
    assert conversation.messages[0].line == 5 + 4
    assert [problem.line for problem in conversation.problems] == [5 + 5]


def test_the_date_may_be_a_function_of_the_read_conversation():
    seen = []

    def date_of(conversation):
        seen.append(conversation.metadata["date"])
        return datetime.date(2024, 3, 7)

    conversation = pipeline.read_conversation(CHAT, date=date_of)
    assert seen == ["2024-03-07"]
    assert conversation.messages[0].time == datetime.datetime(2024, 3, 5, 18, 2)


def test_a_time_line_waits_in_parsed_time_never_in_time():
    unlinked = pipeline.read_text(CHAT)
    assert unlinked.messages[0].time is None
    assert isinstance(unlinked.messages[0].parsed_time, ParsedTime)
    linked = parse(CHAT)
    assert linked.messages[0].time == datetime.datetime(2024, 3, 5, 18, 2)
    assert linked.messages[0].parsed_time is None
    assert not any(isinstance(m.time, ParsedTime) for m in linked.messages)


def test_a_linked_model_holds_no_cycle():
    # quoted_by holds (id, speaker) values, not the quoting messages
    conversation = parse("Dana: hi\nQuoting Dana: hi\nMarcus: hello\n")
    assert conversation.messages[0].quoted_by[0].id == conversation.messages[1].id
    gc.collect()
    gc.disable()
    try:
        del conversation
        assert gc.collect() == 0
    finally:
        gc.enable()


@pytest.fixture
def calls(monkeypatch):
    """Every module that reads a chat, spied on: which called the one entry."""
    seen: list[str] = []
    real = pipeline.read_conversation

    def spy(module_name):
        def read_conversation(*args, **kwargs):
            seen.append(module_name)
            return real(*args, **kwargs)

        return read_conversation

    import pelican_chatlog

    for module in (pelican_chatlog, cli, fence, pelican_plugin):
        monkeypatch.setattr(module, "read_conversation", spy(module.__name__))
    return seen


def test_the_api_the_command_the_reader_and_the_fence_all_use_the_one_entry(calls, tmp_path, build_site):
    import markdown

    post = tmp_path / "post.chat"
    post.write_text(CHAT, encoding="utf-8")
    parse(CHAT)
    assert cli.main(["check", str(post)]) == 0
    markdown.markdown("```chat\nDana: hi\n```\n", extensions=["pelican_chatlog.fence"])
    build_site({"talk.chat": CHAT})
    assert calls[:3] == ["pelican_chatlog", "pelican_chatlog.cli", "pelican_chatlog.fence"]
    assert "pelican_chatlog.pelican_plugin" in calls[3:]


def test_read_file_is_the_read_step_alone(tmp_path):
    post = tmp_path / "post.chat"
    post.write_text(CHAT, encoding="utf-8")
    conversation = read_file(str(post))
    assert conversation.messages[0].id == "" and conversation.messages[0].time is None


def test_the_core_imports_no_pelican_module():
    import subprocess
    import sys

    script = (
        "import sys, pelican_chatlog, pelican_chatlog.pipeline, pelican_chatlog.render, pelican_chatlog.write;"
        "print(sorted(m for m in sys.modules if m == 'pelican' or m.startswith('pelican.')))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_a_slack_channel_folder_reads_through_the_one_entry(capsys):
    from conftest import ROOT

    folder = str(ROOT / "tests" / "exports" / "slack" / "general")
    conversation = pipeline.read_conversation(path=folder, me="Jane Doe")
    assert conversation.messages and any(s.side == "right" for s in conversation.speakers)
    assert cli.main(["check", "-q", folder]) in (0, 1)  # read, not refused with an error (exit 2)
