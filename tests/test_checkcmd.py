"""`pelican-chatlog check` shows what each file held; every problem names its file, in line order;
a chat with no message is warned about; `preview` writes to stdout without `-o`.

Shapes used (written here, invented people and text):
- WhatsApp Android lines, `20/06/19, 15:59 - Name: text`, and an unattributed system line
  after the stamp (`… - Messages to this group are now secured with end-to-end encryption.`):
  as in yellyoshua/whatsapp-chat-parser, whatsapp/whatsapp_test.go.
- Everything else is our own `.chat` format (README "The .chat format"), or a screenplay-like
  paste (`DANA` on a line, then the text) that no reader reads: it stands for any paste in a
  shape we do not recognise.
"""

from bs4 import BeautifulSoup

from pelican_chatlog import ChatlogError, parse
from pelican_chatlog.cli import main
from pelican_chatlog.pipeline import read_conversation
from pelican_chatlog.readers.shapes import chat_shapes

WHATSAPP = (
    "20/06/19, 15:58 - Messages to this group are now secured with end-to-end encryption.\n"
    "20/06/19, 15:59 - Rosa Ibarra: Is the trailer back?\n"
    "20/06/19, 16:01 - Tomas: It is, behind the shed\n"
    "and the lock code is the usual one\n"
    "20/06/19, 16:02 - Rosa Ibarra: Thanks!\n"
)
POST = (
    "Title: Stand\n"
    "\n"
    "Dana: The stand is locked again\n"
    "Marcus_R: Since when?\n"
    "6:02 PM\n"
    "Quoting Dana: the stand is locked\n"
    "Marcus_R: I'll ask at the desk\n"
    "Quoting Dana: something else entirely\n"
    "Marcus_R: ?\n"
    "\n"
    "Leave a comment\n"
)
# No line of this is a message in any shape we read.
SCREENPLAY = "DANA\nAre we riding Saturday?\n\nMARCUS\nOnly if the rain stops.\n"


def write(folder, name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_check_prints_what_an_export_and_a_post_hold(tmp_path, capsys):
    export = write(tmp_path, "talk.whatsapp.txt", WHATSAPP)
    post = write(tmp_path, "stand.chat", POST)
    assert main(["check", str(export), str(post)]) == 1  # the unlinked quote is a problem
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        f"{export}: 3 messages, 2 speakers, 1 system line, 0 without time, 0 quotes (0 linked, 0 unlinked)"
    )
    assert out[1] == (
        f"{post}: 4 messages, 2 speakers, 1 narration line, 2 without time, 2 quotes (1 linked, 1 unlinked)"
    )


def test_check_ends_with_a_summary_on_success(tmp_path, capsys):
    export = write(tmp_path, "talk.whatsapp.txt", WHATSAPP)
    write(tmp_path, "dm.chat", "Dana: hi\nQuoting Dana: hi\nRosa Ibarra: hello\n")
    assert main(["check", str(export), str(tmp_path / "dm.chat")]) == 0
    out = capsys.readouterr()
    assert out.err == ""
    assert out.out.splitlines()[-1] == "2 files: 5 messages, 3 speakers, 1 of 1 quote linked, 0 problems"


def test_check_quiet_prints_only_problems(tmp_path, capsys):
    write(tmp_path, "dm.chat", "Dana: hi\nQuoting Dana: nope\nRosa: hello\n")
    assert main(["check", "--quiet", str(tmp_path)]) == 1
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err.startswith(f"{tmp_path / 'dm.chat'}:2: quote of Dana not found")


def test_a_bad_date_names_the_file(tmp_path, capsys):
    post = write(tmp_path, "ride.chat", "Title: Ride\nDate: next tuesday\n\nDana: hi\n")
    assert main(["check", str(post)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{post}:2: `Date: next tuesday` is not a date")
    assert "<chat>" not in err
    try:
        read_conversation(path=str(post))
    except ChatlogError as error:
        assert (error.path, error.line) == (str(post), 2)
    else:
        raise AssertionError("a bad Date is an error")


def test_preview_names_the_file_of_a_bad_date(tmp_path, capsys):
    post = write(tmp_path, "ride.chat", "Title: Ride\nDate: next tuesday\n\nDana: hi\n")
    assert main(["preview", str(post)]) == 2
    assert capsys.readouterr().err.startswith(f"pelican-chatlog: error: {post}:2: `Date: next tuesday`")


def test_problems_come_in_line_order(tmp_path, capsys):
    post = write(
        tmp_path, "order.chat",
        "Title: t\nTitle: u\n\nDana: hi\nQuoting Bob: nope\nBob: x\n18:02\n18:03\n",
    )
    assert main(["check", str(post)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert [line.split(":")[1] for line in err[:-1]] == ["2", "5", "8"]
    assert [problem.line for problem in read_conversation(path=str(post)).problems] == [2, 5, 8]


def test_problems_of_a_source_export_name_it_after_the_posts_own(tmp_path, capsys):
    write(tmp_path, "_chat.txt", "20/06/19, 15:59 - Rosa: hi\n99/99/19, 16:00 - Tomas: when?\n")
    post = write(tmp_path, "talk.chat", "Title: T\nTitle: again\nFormat: whatsapp\nSource: _chat.txt\n")
    assert main(["check", str(post)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"{post}:2: duplicate header key `Title`")
    assert err[1].startswith(f"{tmp_path / '_chat.txt'}:2: '99/99/19, 16:00")  # not a real date


def test_preview_writes_to_stdout_without_o(tmp_path, capsys):
    post = write(tmp_path, "dm.chat", "Dana: hi\nMarcus: hello\n")
    assert main(["preview", str(post), "--title", "DM"]) == 0
    out = capsys.readouterr()
    soup = BeautifulSoup(out.out, "html.parser")
    assert soup.title.get_text() == "DM"
    assert len(soup.select(".chatlog-message")) == 2
    assert out.err == ""


def test_a_paste_with_no_message_warns_and_fails_check(tmp_path, capsys):
    paste = write(tmp_path, "paste.chat", "Title: Saturday\n\n" + SCREENPLAY)
    assert main(["check", str(paste)]) == 1
    out = capsys.readouterr()
    assert f"{paste}: 0 messages, 0 speakers, 4 narration lines" in out.out
    warning = out.err.splitlines()[0]
    assert warning.startswith(f"{paste}:3: no line was recognised as a message")
    for sample, _ in chat_shapes():
        assert f"`{sample}`" in warning
    assert '"Pasting from an app"' in warning and '"The .chat format"' in warning


def test_the_warning_is_the_pipelines_so_parse_and_pelican_give_it(build_site):
    problems = parse(SCREENPLAY).problems
    assert [problem.line for problem in problems] == [1]
    assert problems[0].message.startswith("no line was recognised as a message")
    site = build_site({"paste.chat": "Title: Saturday\nDate: 2024-03-02\n\n" + SCREENPLAY})
    assert any(
        message.endswith("paste.chat:4: " + problems[0].message) for message in site.messages()
    ), site.messages()


def test_a_chat_with_messages_gets_no_such_warning():
    assert parse("Dana: hi\n\nsome narration\n").problems == []


def test_an_export_with_no_message_warns(tmp_path, capsys):
    # an IRC log saved under a WhatsApp name: every line is narration
    export = write(tmp_path, "talk.whatsapp.txt", "\n12:34 <dana> hi\n12:35 <marcus> hello\n")
    assert main(["check", str(export)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{export}:2: no message was recognised in this WhatsApp export")
    assert '"Chat app exports"' in err


def test_check_goes_on_after_a_file_it_cannot_read_and_exits_2(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "dm.chat", "Dana: hi\n")
    assert main(["check", "missing.chat", "dm.chat"]) == 2
    out = capsys.readouterr()
    assert out.err == "pelican-chatlog: error: cannot read missing.chat: No such file or directory\n"
    assert out.out.splitlines() == [
        "dm.chat: 1 message, 1 speaker, 0 narration lines, 1 without time, 0 quotes (0 linked, 0 unlinked)",
        "2 files (1 not read): 1 message, 1 speaker, 0 of 0 quotes linked, 0 problems",
    ]


def test_preview_and_check_take_a_paste_shape_as_format(tmp_path, capsys):
    post = tmp_path / "paste.chat"
    post.write_text("Dana Okafor, [12.03.2024 18:02]\nAre you riding Sunday?\n", encoding="utf-8")
    assert main(["preview", "--format", "telegram-paste", str(post), "-o", str(tmp_path / "p.html")]) == 0
    assert 'data-speaker="Dana Okafor"' in (tmp_path / "p.html").read_text(encoding="utf-8")
