"""An attacker's review of the newest readers: each case a hostile input that
crashed a reader with an exception other than ChatlogError (which stops a
Pelican post with "Could not process") or cost the square of its size.

No clocks: cost is counted as the work a step does, at n and at 4n.
"""

from __future__ import annotations

import importlib
import json

import pytest

from pelican_chatlog import parse
from pelican_chatlog.model import ChatlogError, Conversation, Message
from pelican_chatlog.pipeline import read_conversation
from pelican_chatlog.readers.json_export import load_json

LINEAR = 4.5  # growth allowed from n to 4n

model = importlib.import_module("pelican_chatlog.model")


# --- JSON with a number Python will not convert --------------------------------------------

HUGE_NUMBER = "1" * 5000  # past sys.int_max_str_digits (4300): json.loads raises ValueError


def test_a_json_number_of_too_many_digits_is_our_error():
    with pytest.raises(ChatlogError, match="Slack"):
        load_json(f"[{HUGE_NUMBER}]", "Slack")


def test_a_slack_day_file_beside_a_users_json_of_huge_numbers_is_an_error_not_a_crash(tmp_path):
    # users.json is read beside a lone day file, outside the day file's own guard
    (tmp_path / "users.json").write_text(f'[{{"id": "U1", "name": {HUGE_NUMBER}}}]', encoding="utf-8")
    (tmp_path / "general").mkdir()
    day = tmp_path / "general" / "2019-01-30.slack.json"
    day.write_text('[{"type": "message", "user": "U1", "text": "hi", "ts": "1548881340.000200"}]', encoding="utf-8")
    with pytest.raises(ChatlogError):
        read_conversation(path=str(day))


@pytest.mark.parametrize("format", ["telegram", "slack", "discord"])
def test_an_export_holding_a_huge_number_is_an_error_not_a_crash(format):
    with pytest.raises(ChatlogError):
        parse(f'{{"messages": [{HUGE_NUMBER}]}}' if format != "slack" else f"[{HUGE_NUMBER}]", format=format)


# --- IRC: a day at the calendar's edge -------------------------------------------------------


def test_an_irc_day_change_to_year_one_then_a_day_and_month_stamp_reads():
    # "180 days before 1 January of year 1" overflowed datetime.date
    conversation = parse("--- Day changed Mon Jan 01 0001\n[01 Jan 12:00] <dana> hi", format="irc")
    assert [message.text for message in conversation.messages] == ["hi"]
    assert conversation.messages[0].time.isoformat() == "0001-01-01T12:00:00"


def test_an_irc_hexchat_stamp_after_year_one_reads():
    conversation = parse("--- Day changed Mon Jan 01 0001\nJan 01 12:00:00 <dana> hi", format="irc")
    assert conversation.messages[0].time.year == 1


# --- Signal: reply blocks cost linear work ---------------------------------------------------


def test_signal_reply_blocks_cost_linear_work(monkeypatch):
    """Each `>` reply block once listed every message of the chat anew."""
    read = [0]
    listed = Conversation.messages

    def counted(self):
        read[0] += len(self.items)
        return listed.fget(self)

    monkeypatch.setattr(model.Conversation, "messages", property(counted))
    block = "[2024-03-12 18:02] Ann:\n> hello there\n\n[2024-03-12 18:03] Bob: hello there\nreply"

    def count(n: int) -> int:
        read[0] = 0
        parse("\n".join([block] * n), format="signal")
        return read[0]

    small, large = count(200), count(800)
    assert small > 0
    assert large <= LINEAR * small


def test_signal_reply_blocks_still_quote_what_they_answer():
    block = "[2024-03-12 18:02] Ann: hello there\n[2024-03-12 18:03] Bob:\n> hello there\n\nyes"
    conversation = parse("\n".join([block] * 3), format="signal")
    replies = [message for message in conversation.messages if message.quotes]
    assert len(replies) == 3
    assert all(isinstance(reply.quotes[0].target, Message) for reply in replies)
    assert json.dumps([reply.text for reply in replies]) == json.dumps(["yes"] * 3)


# --- Source: a path no file can have --------------------------------------------------------


@pytest.mark.parametrize("source", ["a\x00b", "gen/\x00", "\x00"])
@pytest.mark.parametrize("format", ["slack", "whatsapp"])
def test_a_source_holding_a_nul_is_refused_not_a_crash(tmp_path, source, format):
    # os.path raises ValueError on a NUL; a ```chat fence in a Markdown post can hold one
    with pytest.raises(ChatlogError, match="NUL"):
        parse(f"Format: {format}\nSource: {source}\n", root=str(tmp_path))


# --- Telegram: one odd poll costs a warning, not the export ----------------------------------


@pytest.mark.parametrize("answers", [5, True, "yes"])
def test_a_poll_whose_answers_are_no_list_is_kept_as_text(answers):
    entries = [
        {"id": 1, "type": "message", "date": "2024-01-01T10:00:00", "from": "Ann", "text": "ok"},
        {"id": 2, "type": "message", "date": "2024-01-01T10:01:00", "from": "Bob", "text": "",
         "poll": {"question": "Lunch?", "answers": answers}},
    ]
    conversation = parse(json.dumps({"name": "Chat", "messages": entries}), format="telegram")
    assert [message.text for message in conversation.messages] == ["ok"]
    assert any("kept as text" in problem.message for problem in conversation.problems)


# --- check's output and the log: no terminal escapes from chat text -------------------------


def test_check_shows_escape_sequences_in_a_warning_as_pictures(tmp_path, capsys):
    from pelican_chatlog.cli import main

    export = tmp_path / "x.signal.txt"
    # a reply block no message says: the warning quotes it
    export.write_text("[2024-03-12 18:02] Ann:\n> \x1b]0;owned\x07\x1b[2J gone\n\nok\n", encoding="utf-8")
    main(["check", str(export)])
    err = capsys.readouterr().err
    assert "owned" in err
    assert "\x1b" not in err and "\x07" not in err
    assert "\u241b]0;owned\u2407" in err


def test_an_error_naming_chat_text_shows_its_controls_as_pictures():
    error = ChatlogError("`Source: a\x1b[2Jb` cannot be read", line=2, path="post.chat")
    assert str(error) == "post.chat:2: `Source: a\u241b[2Jb` cannot be read"
