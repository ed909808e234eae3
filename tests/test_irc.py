"""IRC logs as each client writes them: tests/exports/irc/, one fixture per shape.

The fixtures are our own (invented nicks and text), in the shapes these public
sources show:

- WeeChat (date, TAB, prefix, TAB, text; "-->"/"<--"/"--"/" *" prefixes;
  "****  Beginning of log  ****"): weechat/weechat src/plugins/logger/logger-buffer.c
  (logger_buffer_write_line, logger_buffer_stop), misterhat/weechat-log test.js.
- WeeChat 0.2 ("%Y %b %d %H:%M:%S", two spaces, the line as shown;
  "****  Beginning of log  <date>  ****"): weechat/weechat src/gui/gui-log.c and
  src/core/wee-config.c (log_time_format, look_prefix_*) of the 0.2 series.
- XChat/HexChat ("**** BEGIN LOGGING AT <ctime>", "%b %d %H:%M:%S " stamps, a TAB
  after the left column): hexchat/hexchat src/common/text.c (log_open_file,
  log_write), log2timeline/plaso test_data/xchat.log and
  plaso/parsers/text_plugins/xchatlog.py; irclog2html's xchatlogsplit.py (the year
  from the BEGIN line, the New Year wrap).
- dircproxy ("[14 Jan 12:37] <nick!user@host> +text"): mgedmin/irclog2html
  testcases/dircproxy-example.log and src/irclog2html/tests/test_irclog2html.py
  (doctest_LogParser_dircproxy_support).
- mixed encodings (cp1252 per line): mgedmin/irclog2html
  testcases/2011-01-16-hybrid-charset.log, doctest_LogParser_encodings.
- supybot/Limnoria ("2005-01-08T23:34:46  <nick> text", "-nick- notice", old
  "[02-Feb-2004 14:18:55]"): progval/Limnoria plugins/ChannelLogger/test.py,
  mgedmin/irclog2html testcases/test1.log and its LogParser doctests.
- ZNC ("[12:34:56]", "*** Joins: nick (ident@host)", "*** Quits: …"): znc's
  modules/log.cpp (CLogMod::OnJoin/OnQuit/OnPart).
- mIRC ("Session Start: Tue Dec 09 18:27:34 2003", "Session Ident", "[18:28] <nick>"):
  the mIRC log parser found by `search` (parse_mirc_logs.py, SESSION_*_PATTERN).
- Konversation ("[<date>] [<hh:mm:ss>] <nick>TAB text", "*** Logfile started"):
  KDE konversation src/viewer/chatwindow.cpp (ChatWindow::logText).
- irssi ("--- Log opened", "--- Day changed", "< nick>", "-!-"): irssi's default
  theme, as the MoinMoin and meetbot irssi parsers read it (`search`).
Quassel keeps its logs in a database, not in files: no shape to read.
"""

import datetime
from pathlib import Path

import pytest

from pelican_chatlog import ChatlogError, Message, Narration, link, parse, read_file
from pelican_chatlog.readers import irc
from pelican_chatlog.readers.lines import split_lines
from pelican_chatlog.write import write_chat

IRC = Path(__file__).parent / "exports" / "irc"
D = datetime.datetime
T = datetime.time

# Per fixture: the client detected, then (speaker, text, time) of every message,
# then lines that must be narration.
EXPECTED = {
    "weechat.irc.log": ("weechat", [
        ("ottoline", "here's a line for the ride sheet", D(2015, 7, 8, 2, 0, 4)),
        ("marguerite", "thanks, adding my name", D(2015, 7, 8, 2, 0, 31)),
        ("fenwick", "see you there <3", D(2015, 7, 8, 2, 3, 45)),
    ], [
        "2015-07-08 01:58:10 --> marguerite (~mg@203.0.113.7) has joined #tandem",
        "2015-07-08 02:01:02 * ottoline checks the tyre pressure",
        "2015-07-08 02:05:00 <-- fenwick (~fen@198.51.100.4) has quit (Ping timeout: 240 seconds)",
        "2015-07-08 02:06:12 -- marguerite is now known as marguerite_away",
    ]),
    "weechat-0.2.irc.log": ("weechat-0.2", [
        ("ysolde", "anyone tried the new heddle frames?", D(2007, 3, 3, 18, 41, 5)),
        ("barnaby", "yes, they are lighter", D(2007, 3, 3, 18, 42, 30)),
    ], [
        "2007 Mar 03 18:40:12  -->  ysolde (~ys@192.0.2.40) has joined #loomworks",
        "2007 Mar 03 18:43:02  -*- ysolde takes notes",
    ]),
    "hexchat.irc.log": ("hexchat", [
        ("rosalind", "firing starts at midnight", D(2010, 12, 31, 23, 58, 2)),
        ("thaddeus", "happy new year, kiln people", D(2011, 1, 1, 0, 0, 15)),  # the year turns
    ], [
        "Dec 31 23:59:40 * thaddeus raises a mug",
        "Jan 01 00:01:00 <-- rosalind (~ros@203.0.113.9) has left #kiln",
    ]),
    "dircproxy.irc.log": ("dircproxy", [
        ("wendeline", "does anyone know a tool for gear ratios?", T(12, 36)),
        ("corentin", "no clue... a spreadsheet maybe", T(12, 37)),
        ("corentin", "-1 to doing it by hand though", T(12, 37)),  # one sign taken, "-1" kept
        ("pelagia", "corentin: try the gear calculator", T(12, 40)),
        ("pelagia", "-2 teeth on the back cog, then", T(12, 41)),  # not every line signed: text
    ], [
        "[14 Jan 10:36] --> wendeline (n=wen@192.0.2.15) joined the channel",
        "[15 Jan 08:42] * corentin wanders away...",
    ]),
    "supybot.irc.log": ("supybot", [
        ("isembard", "morning, is the timetable bot alive?", D(2016, 4, 2, 9, 14, 30)),
        ("aurelie", "it is, and it is even right today", D(2016, 4, 2, 9, 16, 45)),
    ], [
        "2016-04-02T09:14:07  *** isembard <isem@192.0.2.77> has joined #railway",
        "2016-04-02T09:14:31  -timetabler- Next departure: 09:20 platform 2",
        "2016-04-02T09:15:02  * isembard cheers",
    ]),
    "supybot-2004.irc.log": ("supybot", [
        ("wystan", "the mirror is back up", D(2004, 2, 2, 14, 18, 55)),
        ("ottilie", "thanks, syncing now", D(2004, 2, 2, 14, 19, 20)),
    ], ["[02-Feb-2004 14:19:31] *** ottilie has quit IRC (Client Quit)"]),
    "znc.irc.log": ("znc", [
        ("leocadia", "who has the key to the shed?", T(9, 0, 12)),
        ("Hildegard", "I do, back at noon", T(9, 1, 40)),
    ], [
        "[09:00:01] *** Joins: leocadia (leo@192.0.2.90)",
        "[09:01:41] * leocadia nods",
        "[09:02:00] -Hildegard- the key is under the flower pot",
        "[09:05:00] *** Quits: leocadia (leo@192.0.2.90) (Quit: bye)",
    ]),
    "mirc.irc.log": ("mirc", [
        ("Ferdinand", "e4 or d4 tonight?", D(2003, 12, 9, 18, 28)),
        ("Perpetua", "d4, I want a slow game", D(2003, 12, 9, 18, 29)),
    ], [
        "Session Ident: #chess",
        "[18:30] * Ferdinand sets up the board",
        "[18:31] * Perpetua (pp@198.51.100.61) Quit (Leaving)",
        "Session Close: Tue Dec 09 19:02:10 2003",
    ]),
    "irssi.irc.log": ("irssi", [
        ("eulalie", "is anyone watching the occultation?", D(2014, 3, 14, 22, 11)),
        ("cuthbert", "yes, clouds just cleared", D(2014, 3, 14, 22, 12)),
        ("ambrose", "cuthbert: seen it, great view", D(2014, 3, 14, 22, 14)),
        ("eulalie", "good night, all", D(2014, 3, 15, 0, 2)),
    ], [
        "22:10 -!- eulalie [~eu@192.0.2.12] has joined #stargazers",
        "22:13  * eulalie grabs the binoculars",
    ]),
    "konversation.irc.log": ("konversation", [
        ("quillon", "the build is green again", D(2005, 1, 8, 23, 34, 46)),
        ("marisol", "nice, tagging tonight", D(2005, 1, 8, 23, 35, 2)),
    ], [
        "[Sat Jan 8 2005] [23:35:10] * quillon dances",
        "[Sat Jan 8 2005] [23:36:00] Join osric has joined this channel (~os@192.0.2.3).",
    ]),
    "mixed-encoding.irc.log": ("supybot", [
        ("kazimiera", "labas, kaip sekasi?", D(2011, 1, 15, 20, 30)),
        ("jurgis", "aišku :)", D(2011, 1, 15, 20, 32, 39)),  # 0x9a in Windows-1252
        ("kazimiera", "gerai, ačiū", D(2011, 1, 15, 20, 33, 10)),
        ("jurgis", "“quoted” and \x81 kept", D(2011, 1, 15, 20, 34)),  # 0x81: no cp1252 letter, kept
    ], []),
}


def read(name):
    return link(read_file(str(IRC / name)))


def said(conversation):
    return [(m.speaker.name, m.text, m.time) for m in conversation.messages]


def narration(conversation):
    return [item.text for item in conversation.items if isinstance(item, Narration)]


def test_every_fixture_is_expected():
    assert sorted(path.name for path in IRC.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_client_shape_reads_messages_speakers_times_and_system_lines(name):
    client, messages, system = EXPECTED[name]
    conversation = read(name)
    assert said(conversation) == messages
    assert [s.name for s in conversation.speakers] == list(dict.fromkeys(name for name, _, _ in messages))
    assert set(system) <= set(narration(conversation))
    # every line is a message, narration or blank: nothing dropped
    lines = split_lines((IRC / name).read_bytes().decode("utf-8", "replace"))
    assert len(conversation.items) == sum(1 for line in lines if line.strip())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_client_is_detected_from_the_first_lines(name):
    text = (IRC / name).read_bytes().decode("utf-8", "replace")
    assert irc.detect(split_lines(text)) == EXPECTED[name][0]


def signature(conversation):
    return [
        (m.speaker.name, m.text, m.time) if isinstance(m, Message) else m.text for m in conversation.items
    ]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_convert_then_read_gives_the_same_conversation(name):
    imported = read(name)
    assert len(imported.messages) == len(EXPECTED[name][1])
    again = parse(write_chat(imported))
    assert signature(again) == signature(imported)
    assert [s.name for s in again.speakers] == [s.name for s in imported.speakers]


# --- days and years ----------------------------------------------------------------------


def test_dircproxy_takes_its_year_from_the_posts_date(tmp_path):
    (tmp_path / "gears.irc.log").write_bytes((IRC / "dircproxy.irc.log").read_bytes())
    post = tmp_path / "gears.chat"
    post.write_text("Title: Gears\nDate: 2009-01-20\nFormat: irc\nSource: gears.irc.log\n", encoding="utf-8")
    conversation = link(read_file(str(post)), date=datetime.date(2009, 1, 20))
    assert [m.time for m in conversation.messages][:2] == [D(2009, 1, 14, 12, 36), D(2009, 1, 14, 12, 37)]
    dated = parse(post.read_text(encoding="utf-8"), root=str(tmp_path))
    assert dated.messages[0].time == D(2009, 1, 14, 12, 36)
    assert signature(parse(write_chat(dated))) == signature(dated)


def test_a_stamp_without_a_year_is_warned_about_once():
    conversation = read("dircproxy.irc.log")
    warned = [p for p in conversation.problems if "no year" in p.message]
    assert len(warned) == 1
    hexchat = link(irc.read("Dec 31 23:58:02 <rosalind>\tlate\nJan 01 00:00:15 <thaddeus>\tearly\n"),
                   date=datetime.date(2011, 1, 2))
    assert [m.time for m in hexchat.messages] == [D(2010, 12, 31, 23, 58, 2), D(2011, 1, 1, 0, 0, 15)]
    assert any("no year" in p.message for p in hexchat.problems)


def test_a_weechat_stamp_that_is_no_real_date_is_kept_as_text_with_a_warning():
    conversation = link(irc.read("2015-02-30 10:00:00\talice\thi\n2015-03-01 10:00:00\talice\tthere\n"))
    assert said(conversation) == [("alice", "there", D(2015, 3, 1, 10))]
    assert narration(conversation) == ["2015-02-30 10:00:00\talice\thi"]
    assert "not a real date" in conversation.problems[0].message


# --- encodings ---------------------------------------------------------------------------


def test_mixed_encodings_are_read_line_by_line_with_a_warning_naming_the_lines():
    conversation = read("mixed-encoding.irc.log")
    assert [(p.line, p.message) for p in conversation.problems] == [
        (2, "lines 2, 4 are not UTF-8: read as Windows-1252 (cp1252)")
    ]


def test_a_mixed_encoding_source_names_its_file(tmp_path):
    (tmp_path / "log.txt").write_bytes((IRC / "mixed-encoding.irc.log").read_bytes())
    post = tmp_path / "t.chat"
    post.write_text("Title: T\nFormat: irc\nSource: log.txt\n", encoding="utf-8")
    conversation = read_file(str(post))
    assert [m.text for m in conversation.messages][1] == "aišku :)"
    assert conversation.problems[0].path == str(tmp_path / "log.txt") and conversation.problems[0].line == 2


def test_many_lines_in_another_encoding_are_counted_not_all_named(tmp_path):
    path = tmp_path / "a.irc.log"
    path.write_bytes(b"".join(b"[12:%02d] <bo> caf\xe9\n" % minute for minute in range(15)))
    problems = read_file(str(path)).problems
    assert problems[0].message == (
        "lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 5 more are not UTF-8: read as Windows-1252 (cp1252)"
    )


def test_other_formats_still_refuse_what_is_not_utf8(tmp_path):
    path = tmp_path / "a.whatsapp.txt"
    path.write_bytes(b"01/02/19, 12:00 - Bob: caf\xe9\n")
    with pytest.raises(ChatlogError, match="not UTF-8 text: byte 0xe9"):
        read_file(str(path))
    binary = tmp_path / "b.irc.log"
    binary.write_bytes(b"[12:00] <bo> a\x00b\xe9\n")
    with pytest.raises(ChatlogError, match="NUL byte"):
        read_file(str(binary))


# --- in Pelican --------------------------------------------------------------------------


def test_one_pelican_build_shows_every_shape(build_site):
    site = build_site({name: (IRC / name).read_bytes() for name in EXPECTED}, CHATLOG_MASK_EMAILS=False)  # hostmasks kept
    pages = {}
    for page_path in site.output.glob("*.html"):
        page = site.page(page_path.name)
        speakers = [m["data-speaker"] for m in page.select(".chatlog-message")]
        if speakers:
            pages[tuple(speakers)] = page.get_text()
    for name, (_, messages, system) in EXPECTED.items():
        text = pages[tuple(speaker for speaker, _, _ in messages)]
        for _, message, _ in messages:
            assert message in text
        for line in system:
            assert line in text
    assert any("lines 2, 4 are not UTF-8" in m for m in site.messages())
