"""The `pelican-chatlog` command: convert, check, preview, formats."""

import io
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from pelican_chatlog import parse
from pelican_chatlog.cli import Progress, main

EXPORTS = Path(__file__).parent / "exports"
FIXTURES = Path(__file__).parent / "fixtures"


def test_convert_writes_a_post_that_reads_back(tmp_path, capsys):
    output = tmp_path / "post.chat"
    assert main(["convert", str(EXPORTS / "result.telegram.json"), "-o", str(output), "--title", "Co-op"]) == 0
    post = output.read_text(encoding="utf-8")
    assert post.startswith("Title: Co-op\nDate: 2019-01-30 20:50\nSpeakers: Jane Doe, Bob\n")
    conversation = parse(post)
    assert [m.speaker.name for m in conversation.messages] == ["Jane Doe", "Bob", "Bob", "Jane Doe"]
    assert conversation.messages[1].quotes[0].target is conversation.messages[0]
    assert "result.telegram.json:46: a reply to message 999" in capsys.readouterr().err


def test_convert_to_stdout_with_an_explicit_format(tmp_path, capsys):
    export = tmp_path / "_chat.txt"
    export.write_bytes((EXPORTS / "whatsapp-ambiguous.whatsapp.txt").read_bytes())
    assert main(["convert", str(export), "--format", "whatsapp", "--month-first"]) == 0
    out = capsys.readouterr()
    assert "[2019-02-03 10:00] Jane: Is this February or March?" in out.out
    assert out.err == ""


def test_check_reports_file_line_message_and_exits_1(tmp_path, capsys):
    good = tmp_path / "good.chat"
    good.write_text("Dana: hi\nQuoting Dana: hi\nMarcus: yo\n")
    bad = tmp_path / "posts" / "bad.chat"
    bad.parent.mkdir()
    bad.write_text(
        "Speakers: Dana\n\nDana: hi\nTue 13:02 PM\n\nMarcus: who?\nQuoting Dana: never said\nDana: hm\n"
    )
    assert main(["check", str(good)]) == 0
    assert capsys.readouterr().err == ""
    assert main(["check", str(tmp_path)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert f"{bad}:4: 'Tue 13:02 PM' looks like a time but cannot be read; kept as text" in err
    assert f"{bad}:6: 'Marcus' is not in `Speakers:`; the line is kept as text" in err
    assert any(line.startswith(f"{bad}:7: quote of Dana not found") for line in err)
    assert err[-1] == "3 problems in 2 files"


def test_check_reports_errors_too(tmp_path, capsys):
    empty = tmp_path / "empty.chat"
    empty.write_text("")
    assert main(["check", str(empty)]) == 1
    assert f"{empty}:1: the file is empty" in capsys.readouterr().err


def test_preview_renders_a_standalone_page(tmp_path):
    page = tmp_path / "page.html"
    assert main(["preview", str(FIXTURES / "pasted-dm-thread.chat"), "-o", str(page)]) == 0
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert soup.title.get_text() == "pasted-dm-thread.chat"
    assert ".chatlog {" in soup.find_all("style")[-1].get_text()
    assert len(soup.select(".chatlog-message")) == 12
    assert soup.find("link") is None and soup.find("script") is None  # nothing fetched


def test_preview_of_an_export(tmp_path):
    page = tmp_path / "page.html"
    assert main(["preview", str(EXPORTS / "irssi.irc.log"), "-o", str(page), "--title", "#bikes"]) == 0
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert soup.h1.get_text() == "#bikes"
    assert [m["data-speaker"] for m in soup.select(".chatlog-message")] == ["alice", "bob", "carol", "alice"]


@pytest.mark.parametrize("arguments", [["convert", "missing.txt"], ["preview", "missing.chat", "-o", "x.html"]])
def test_missing_file_is_one_clear_line(tmp_path, capsys, arguments, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(arguments) == 2
    assert capsys.readouterr().err == (
        f"pelican-chatlog: error: cannot read or write {arguments[1]}: No such file or directory\n"
    )


def test_unreadable_input_is_one_clear_line(tmp_path, capsys):
    binary = tmp_path / "photo.chat"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert main(["preview", str(binary), "-o", str(tmp_path / "x.html")]) == 2
    assert capsys.readouterr().err == (
        f"pelican-chatlog: error: {binary}:3: this looks like a binary file, not text: NUL byte at offset 8\n"
    )


@pytest.mark.parametrize("command", ["convert", "check", "preview", "formats"])
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    assert f"usage: pelican-chatlog {command}" in capsys.readouterr().out


def test_formats_lists_every_importer(capsys):
    assert main(["formats"]) == 0
    out = capsys.readouterr().out
    for name in ("whatsapp", "signal", "irc", "telegram", "slack", "discord"):
        assert name in out


def test_python_dash_m_runs_the_same_command():
    result = subprocess.run(
        [sys.executable, "-m", "pelican_chatlog", "check", str(FIXTURES)], capture_output=True, text=True
    )
    assert (result.returncode, result.stderr) == (0, "")


def test_progress_bar_only_for_slow_jobs():
    quick = io.StringIO()
    with Progress(["reading", "writing"], stream=quick) as progress:
        progress.step()
    assert quick.getvalue() == ""
    slow = io.StringIO()
    with Progress(["reading", "writing"], stream=slow, delay=0.05) as progress:
        time.sleep(0.4)
        progress.step()
    drawn = slow.getvalue()
    assert "\r[............" in drawn and "reading" in drawn
    assert "\r[############............] writing" in drawn
    assert drawn.endswith("\n")
