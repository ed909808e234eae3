"""README.md, read as a new user and a theme author read it, held to the code.

Each test takes what README shows (a snippet, a table, a list of names) out
of README itself, so a change to either side that parts them fails here.
Fixtures are our own `.chat` text in the shape README's "The .chat format"
documents, with invented people; the one site is a bare `pelicanconf.py`
(Pelican's own settings file, as `pelican-quickstart` writes one).  The
WhatsApp lines are Android's text export (`D/M/YY, HH:MM - Name: text`, a
photo sent alone as `<Media omitted>`), the shape github.com/Brodluck/
Data-Analyzer-for-WhatsApp-Chats src/benchpress_parser.py parses and
example_site/content/co-op-group.whatsapp.txt holds.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

import pelican_chatlog
from pelican_chatlog.model import ATTACHMENT_KINDS, Message
from pelican_chatlog.pelican_plugin import DEFAULT_EXTENSIONS
from pelican_chatlog.privacy import MASK
from pelican_chatlog.readers.sources import DEFAULT_MAX_SOURCE_BYTES

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "pelican_chatlog"
README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    """The text under a `## ` or `### ` heading, up to the next heading of any level."""
    match = re.search(rf"^#{{2,3}} {re.escape(title)}\n(.*?)(?=^#{{2,3}} )", README, re.M | re.S)
    assert match, f"README has no section {title!r}"
    return match[1]


def fenced(text: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", text, re.M | re.S)


def code_spans(text: str) -> list[str]:
    """Markdown code spans, a line break inside one read as a space (as Markdown reads it)."""
    return [span.replace("\n", " ") for span in re.findall(r"`([^`]+)`", text)]


# The chat that gives the markup README's "HTML contract" shows: a narration
# line, a day, a run of two messages (the second at the same time), and the
# owner's reply quoting the first, under a display name.
CONTRACT_CHAT = """\
Title: Why the stand is locked
Date: 2024-03-07
Speakers: Dana, Marcus_R (name: Marcus R.)
Me: Marcus_R

Leave a comment

Dana: Why did the co-op stop lending the truing stand?
Dana: Just curious.
Tue 6:02 PM
Quoting Dana: “Why did the co-op stop lending the truing stand?”
Tue 6:02 PM
Marcus_R: It came back bent, twice.
Tue 6:15 PM
"""


def test_the_html_contract_snippet_is_what_render_writes():
    # README prints, beside some lines, the template that writes them: not part of the markup
    (snippet,) = fenced(section("HTML contract for theme authors"), "html")
    markup = "".join(re.sub(r" {2,}[a-z]+\.html$", "", line) for line in snippet.splitlines(keepends=True))
    conversation = pelican_chatlog.parse(CONTRACT_CHAT)
    assert conversation.problems == []
    assert pelican_chatlog.render(conversation) == markup.rstrip("\n")


def test_what_a_message_carries_is_marked_up_as_readme_shows():
    paragraph = section("HTML contract for theme authors").split("A message with more than text:")[1]
    paragraph = paragraph.split("All read well")[0]
    shown = [span for span in code_spans(paragraph) if span.startswith("<") and "…" not in span]
    assert len(shown) >= 6
    chat = (
        "Dana: look at this ||secret|| and [text](javascript:alert(1))\n"
        "(forwarded from Lena)\n"
        "[image: photo.jpg]\n"
        "(edited)\n"
        "(deleted)\n"
        "(reactions: 👍 2 Dana, Bob)\n"
    )
    html = pelican_chatlog.render(pelican_chatlog.parse(chat))
    for span in shown:
        assert span in html
    # the forwarded mark comes before the text, the rest after it, as README says
    assert html.index("chatlog-forwarded") < html.index("look at this") < html.index("chatlog-attachment")


def test_every_class_the_package_writes_is_in_the_readme():
    # Theme authors style what README names; a class it does not name is one they cannot know of.
    # Two names here are no class: a data- attribute and the cache's settings stamp.
    not_classes = {"chatlog-stylesheet", "chatlog-settings"}
    sources = [*PACKAGE.glob("*.py"), *(PACKAGE / "templates" / "chatlog").glob("*.html")]
    written = {
        name
        for source in sources
        for name in re.findall(r"chatlog-[a-z][a-z0-9-]*", source.read_text(encoding="utf-8"))
    } - not_classes
    named = set(re.findall(r"chatlog-[a-z][a-z0-9-]*", README))
    assert sorted(written - named) == []


def test_every_class_the_readme_names_is_written_or_styled():
    css = (PACKAGE / "static" / "chatlog.css").read_text(encoding="utf-8")
    sources = [*PACKAGE.rglob("*.py"), *(PACKAGE / "templates" / "chatlog").glob("*.html")]
    code = "".join(path.read_text(encoding="utf-8") for path in sources)
    text = section("HTML contract for theme authors") + section("The stylesheet")
    # custom properties (`--chatlog-…`) are checked below; `chatlog-speaker-<slug>` is a prefix
    named = set(re.findall(r"(?<![-\w])chatlog-[a-z][a-z0-9-]*[a-z0-9]", text))
    examples = {name for name in named if re.fullmatch(r"chatlog-(speaker-[a-z0-9-]+|c\d+)", name)}
    # an attachment's second class is its kind, written as chatlog-{kind}
    kinds = {name for name in named if name.removeprefix("chatlog-") in ATTACHMENT_KINDS}
    assert kinds
    for name in sorted(named - examples - kinds):
        assert name in code or f".{name}" in css, name


def test_the_stylesheet_table_names_properties_the_stylesheet_sets():
    css = (PACKAGE / "static" / "chatlog.css").read_text(encoding="utf-8")
    table = section("The stylesheet").split("| property | default |")[1]
    properties = re.findall(r"`(--chatlog-[a-z-]+)`", table)
    assert len(properties) == 10
    for name in properties:
        assert re.search(rf"^\s*{name}:", css, re.M), name


def test_the_settings_table_is_every_setting_the_plugin_reads():
    table = section("Settings").split("| setting | default | meaning |")[1]
    rows = re.findall(r"^\| `(CHATLOG_[A-Z_]+)` \| (.*?) \|", table, re.M)
    code = "".join(path.read_text(encoding="utf-8") for path in PACKAGE.rglob("*.py"))
    read = set(re.findall(r"[\"'](CHATLOG_[A-Z_]+)[\"']", code))
    assert {name for name, _ in rows} == read


@pytest.mark.parametrize(
    ("setting", "default"),
    [
        ("CHATLOG_EXTENSIONS", DEFAULT_EXTENSIONS),
        ("CHATLOG_REDACT_MASK", MASK),
        ("CHATLOG_MAX_SOURCE_BYTES", DEFAULT_MAX_SOURCE_BYTES),
    ],
)
def test_a_settings_default_is_the_codes(setting, default):
    (shown,) = re.findall(rf"^\| `{setting}` \| `([^`]+)`", section("Settings"), re.M)
    assert ast.literal_eval(shown) == default


@pytest.mark.parametrize("model", ["Conversation", "Message", "Quote", "Speaker"])
def test_every_attribute_the_model_section_names_exists(model):
    conversation = pelican_chatlog.parse(CONTRACT_CHAT)
    reply = conversation.messages[2]
    instances = {"Conversation": conversation, "Message": reply, "Quote": reply.quotes[0], "Speaker": reply.speaker}
    (bullet,) = re.findall(rf"^- `{model}`: (.*?)(?=^- |^## |\Z)", section("The model: a public API"), re.M | re.S)
    # each attribute is the first word of a code span: `quoted_by` (a `Backlink(id, speaker)` …)
    names = {span.split("(")[0] for span in code_spans(bullet) if re.fullmatch(r"[a-z_]+", span.split("(")[0])}
    names -= {"datetime", "left", "right"}  # the types and values README gives some of them
    assert names, model
    for name in sorted(names):
        assert hasattr(instances[model], name), f"{model}.{name}"


def test_the_api_example_runs_with_the_options_readme_lists():
    (example,) = fenced(section("The model: a public API"), "python")
    call = example.split("conversation = pelican_chatlog.parse(")[1].split("\n)")[0]
    options = dict(re.findall(r"(\w+)=([^,#\n]+)", call))
    # every option README shows is one parse() takes, with the default README gives it
    for name, shown in options.items():
        assert ast.literal_eval(shown.strip()) == pelican_chatlog.parse.__kwdefaults__[name], name


def test_the_quick_start_chat_reads_as_readme_says():
    quick_start = section("Quick start")
    (chat,) = fenced(quick_start, "text")
    conversation = pelican_chatlog.parse(chat)
    assert conversation.problems == []
    assert [(m.speaker.name, m.speaker.side) for m in conversation.messages] == [
        ("Dana", "left"), ("Marcus_R", "right"), ("Marcus_R", "right"),
    ]
    # "every "Quoting X: “…”" line linked to the message it quotes, with a backlink on that message"
    first, _, reply = conversation.messages
    assert reply.quotes[0].target is first and [link.id for link in first.quoted_by] == [reply.id]


def test_a_pasted_thread_without_a_date_has_none_of_its_own():
    # Quick start: a chat whose times name no day needs `Date:` (Pelican skips an article without one)
    assert "could not find information about 'date'" in section("Quick start")
    pasted = "Dana: Is the stand back?\nTue 6:02 PM\nMarcus_R: Not yet.\nTue 6:15 PM\n"
    conversation = pelican_chatlog.parse(pasted)
    assert conversation.date is None
    assert all(message.time is not None and not hasattr(message.time, "date") for message in conversation.messages)
    dated = pelican_chatlog.parse("Title: Stand\nDate: 2024-03-07\n\n" + pasted)
    assert [message.time.isoformat() for message in dated.messages] == ["2024-03-05T18:02:00", "2024-03-05T18:15:00"]


@pytest.mark.parametrize(
    ("name", "guessed"),
    [
        ("Dr. Ada Lee", True),  # README's own examples
        ("Marcus_R", True),
        ("Ana Ruiz de la Vega", True),  # three words and two particles between them
        ("Ana Maria Ruiz Vega", False),  # more than three words
        ("María O'Neil", True),  # an apostrophe before a capital
        ("Dana's take", False),  # an apostrophe before a small letter: prose
        ("Abcdefghijklmnopqrstu Abcdefghijklmnopqrstu", False),  # over 40 characters
    ],
)
def test_which_names_start_messages_undeclared_and_declared(name, guessed):
    undeclared = pelican_chatlog.parse(f"Dana: hi\n\n{name}: hello\n")
    assert any(m.speaker.name == name for m in undeclared.messages) is guessed
    declared = pelican_chatlog.parse(f"Title: t\nSpeakers: Dana, {name}\n\nDana: hi\n\n{name}: hello\n")
    assert [m.speaker.name for m in declared.messages] == ["Dana", name]


def test_a_speaker_without_an_avatar_gets_no_picture():
    row = next(line for line in section("Header").splitlines() if line.startswith("| `avatar` |"))
    assert "initials badge" not in row
    plain = pelican_chatlog.render(pelican_chatlog.parse("Dana: hi\n"))
    assert "chatlog-avatar" not in plain
    pictured = pelican_chatlog.render(pelican_chatlog.parse(
        "Title: t\nSpeakers: Dana (avatar: /images/dana.png)\n\nDana: hi\n"
    ))
    assert '<img class="chatlog-avatar" src="/images/dana.png" alt="Dana" aria-hidden="true"' in pictured


def test_a_line_outside_speakers_stays_text_of_the_message_above():
    # README "Speakers": such a line stays text (of the message above it, or narration), with a warning
    conversation = pelican_chatlog.parse("Title: t\nSpeakers: Dana, Bob\n\nBob: yes\nCarl: me too\n\nCarl: alone\n")
    assert [m.text for m in conversation.messages] == ["yes\nCarl: me too"]
    assert [item.text for item in conversation.items if not isinstance(item, Message)] == ["Carl: alone"]
    assert [problem.line for problem in conversation.problems] == [5, 7]


def test_convert_anonymize_in_a_site_prints_no_pelican_build_warnings(tmp_path):
    # `convert --anonymize` reads the site's PATH with Pelican's read_settings; Pelican's
    # warnings about feeds and time zones concern a build, and were all a user saw besides the result
    site = tmp_path / "blog"
    (site / "content").mkdir(parents=True)
    (site / "pelicanconf.py").write_text('AUTHOR = "Sam"\nPATH = "content"\n', encoding="utf-8")
    chat = tmp_path / "talk.chat"
    chat.write_text("Dana: the stand is locked\nSam: since when?\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pelican_chatlog", "convert", str(chat), "--anonymize", "--me", "Sam",
         "-o", str(site / "content" / "talk.chat")],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"pelican-chatlog: the real names behind the pseudonyms are in {site / 'talk.pseudonyms.json'}"
    ]


def test_a_chat_post_pelican_skips_for_want_of_a_date_says_how_to_give_one(build_site):
    # Quick start's trap: a paste whose times name no day, without `Date:`, is skipped by
    # Pelican, whose message says nothing of why; ours names the file and the fix.
    pasted = "Dana: Is the stand back?\nTue 6:02 PM\nMarcus_R: Not yet.\nTue 6:15 PM\n"
    site = build_site(
        {
            "thread.chat": pasted,
            "2024-03-07-dated-by-name.chat": pasted,  # FILENAME_METADATA below gives it a date
            "pages/about.chat": "Title: About\n\n" + pasted,  # a page needs none
        },
        DEFAULT_DATE=None,
        FILENAME_METADATA=r"(?P<date>\d{4}-\d{2}-\d{2})-.*",
    )
    hints = [message for message in site.messages() if "no date for this post" in message]
    assert len(hints) == 1
    assert hints[0].startswith(str(Path(site.output).parent / "content" / "thread.chat") + ":1: ")
    assert "`Date: 2024-03-07`" in hints[0]
    assert site.posts() == ["dated-by-name.html"]
    assert (site.output / "pages" / "about.html").is_file()


def test_every_module_is_in_the_architecture_section():
    architecture = section("Architecture")
    modules = [path.name for path in [*PACKAGE.glob("*.py"), *(PACKAGE / "readers").glob("*.py")]]
    trivial = {"__main__.py"}  # `python -m pelican_chatlog`, which "The pelican-chatlog command" names
    missing = sorted({name for name in modules if f"`{name}`" not in architecture} - trivial - {"__init__.py"})
    assert missing == []


def test_the_header_in_the_model_hides_what_the_page_hides():
    # README "The model": `metadata` is the header with what privacy hides hidden there too
    assert "`Me: Marcus_R` under `name:\n  Marcus R.` reads `Marcus R.`" in section("The model: a public API")
    conversation = pelican_chatlog.parse(CONTRACT_CHAT)
    assert conversation.metadata["me"] == "Marcus R."
    assert "Marcus_R" not in repr(conversation.metadata)


def test_a_summary_shows_what_a_message_carried_never_a_name_alone(build_site):
    # README "What the article gets": the summary is the opening messages as a reader sees
    # them; a photo sent alone read "Ana Lind: Ana Lind: see you there", a name with nothing after it
    export = (
        "12/03/24, 18:02 - Ana Lind: <Media omitted>\n"
        "12/03/24, 18:03 - Ana Lind: This message was deleted\n"
        "13/03/24, 09:15 - Ana Lind: see you there\n"
        "13/03/24, 09:16 - Tomas Berg: with the pump\n"
    )
    site = build_site({"ride.whatsapp.txt": export})
    feed = (site.output / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    (summary,) = re.findall(r'<summary type="html">(.*?)</summary>', feed, re.S)
    assert summary == "Ana Lind: [file] Ana Lind: (deleted) Ana Lind: see you there Tomas Berg: with the pump"


@pytest.mark.parametrize("command", ["convert", "check", "preview", "formats"])
def test_every_option_of_the_command_is_in_its_readme_section(command, capsys):
    from pelican_chatlog.cli import main

    with pytest.raises(SystemExit):
        main([command, "--help"])
    usage = capsys.readouterr().out
    # an option with a short form (`-o page.html, --output page.html`) is documented by either
    short = dict((long, short) for short, long in re.findall(r"(?<![\w-])(-\w)(?: [\w.]+)?, (--[a-z-]+)", usage))
    options = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]+)", usage)) - {"--help"}
    text = section("The `pelican-chatlog` command") + section("Chat app exports")

    def documented(option: str) -> bool:
        return any(f"`{name}" in text or f" {name} " in text for name in (option, short.get(option, option)))

    assert sorted(option for option in options if not documented(option)) == []
