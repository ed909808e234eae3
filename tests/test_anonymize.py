"""`pelican-chatlog convert --anonymize`, its mapping file, and `Status: draft`.

Fixtures: the exports in tests/exports/ and tests/fixtures/ (each in its app's
real shape, with the sources cited in the importers' own tests), and below a
WhatsApp export of our own: iOS `_chat.txt` lines (`[M/D/YY, H:MM:SS AM] Name:
text`, as in tests/exports/whatsapp/) with a mention as the app writes one, the
name between U+2068 and U+2069 (`@⁨Name⁩`; the export's marks are surveyed in
linuswillner/whatsapp-export-inconsistencies and in parsers that strip them).
The site layout is `pelican-quickstart`'s: pelicanconf.py with `PATH =
"content"` beside the content folder (getpelican/pelican,
pelican/tools/templates/pelicanconf.py.jinja2).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pelican_chatlog.cli import main
from pelican_chatlog.model import Conversation
from pelican_chatlog.pipeline import read_conversation
from pelican_chatlog.privacy import Privacy

EXPORTS = Path(__file__).parent / "exports"
FIXTURES = Path(__file__).parent / "fixtures"

MENTIONS_WHATSAPP = (
    "[3/14/24, 9:12:40 AM] Dana Okafor: @\u2068Marcus Reyes\u2069 is the truing stand free on Saturday?\n"
    "[3/14/24, 9:13:05 AM] Marcus Reyes: It is, Dana. Ask Priya Raman for the key\n"
    "[3/14/24, 9:14:00 AM] Priya Raman: @\u2068Dana Okafor\u2069 the key is under the bench\n"
)

# (export, extra arguments, the owner's name, which keeps it): every format convert reads
EXPORTS_OF_EVERY_FORMAT = {
    "whatsapp": (EXPORTS / "whatsapp" / "ios-group.whatsapp.txt", [], None),
    "whatsapp-mentions": ("mentions.whatsapp.txt", [], "Marcus Reyes"),
    "signal": (EXPORTS / "signal" / "rich.signal.txt", [], "Aya Brenner"),
    "irc": (EXPORTS / "irssi.irc.log", [], None),
    "telegram": (EXPORTS / "telegram" / "rich.telegram.json", [], None),
    "slack-day": (EXPORTS / "slack" / "general" / "2019-01-30.json", ["--format", "slack"], None),
    "slack-folder": (EXPORTS / "slack" / "rides", [], "Jane Doe"),
    "discord": (EXPORTS / "discord" / "rich.discord.json", [], None),
    "chat": (FIXTURES / "pasted-dm-thread.chat", [], "Marcus_R"),
    "paste": (EXPORTS / "pastes" / "whatsapp.chat", [], None),
}


def export_path(tmp_path: Path, export: Path | str) -> Path:
    if isinstance(export, str):  # one of ours, written for the test
        path = tmp_path / export
        path.write_text(MENTIONS_WHATSAPP, encoding="utf-8")
        return path
    return export


def convert(*arguments: object) -> int:
    return main(["convert", *map(str, arguments)])


def named(name: str, text: str) -> bool:
    """Whether the name is in the text as a word of its own, in any case."""
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE) is not None


def linked_quotes(conversation: Conversation) -> list[tuple[int, int]]:
    """Each quote as (the quoting message's number, the quoted one's)."""
    number = {id(message): at for at, message in enumerate(conversation.messages)}
    return [
        (at, number[id(quote.target)])
        for at, message in enumerate(conversation.messages)
        for quote in message.quotes
        if quote.target is not None
    ]


# --- every format ----------------------------------------------------------------------------


@pytest.mark.parametrize("app", EXPORTS_OF_EVERY_FORMAT)
def test_anonymize_leaves_no_speaker_name_but_mine_and_quotes_still_link(app, tmp_path, capsys):
    export, options, me = EXPORTS_OF_EVERY_FORMAT[app]
    export = export_path(tmp_path, export)
    # the names as the export has them, a phone number's too (reading would call it "Contact 1")
    original = read_conversation(path=str(export), privacy=Privacy(pseudonyms=False),
                                 **({"format": "slack"} if "--format" in options else {}))
    names = [speaker.name for speaker in original.speakers]
    output = tmp_path / "post.chat"
    owner = ["--me", me] if me else []
    assert convert(export, "-o", output, "--anonymize", *owner, *options) == 0
    post = output.read_text(encoding="utf-8")
    others = [name for name in names if name != me]
    assert others and not [name for name in others if named(name, post)], post
    back = read_conversation(path=str(output))
    expected = [f"Person {number}" for number in range(1, len(others) + 1)]
    assert sorted(speaker.name for speaker in back.speakers) == sorted(expected + ([me] if me else []))
    assert len(back.messages) == len(original.messages)
    assert linked_quotes(back) == linked_quotes(original)
    assert back.metadata["status"] == "draft"
    if me:
        assert back.metadata["me"] == me
        assert [s.side for s in back.speakers if s.name == me] == ["right"]
    mapping = json.loads((tmp_path / "post.pseudonyms.json").read_text(encoding="utf-8"))
    assert list(mapping) == expected and sorted(mapping.values()) == sorted(others)
    assert f"the real names behind the pseudonyms are in {tmp_path / 'post.pseudonyms.json'}" in capsys.readouterr().err


@pytest.mark.parametrize("app", ["whatsapp-mentions", "signal", "slack-day", "telegram", "chat"])
def test_the_same_export_gives_the_same_post_and_mapping(app, tmp_path):
    export, options, me = EXPORTS_OF_EVERY_FORMAT[app]
    export = export_path(tmp_path, export)
    written = []
    for attempt in ("first", "second"):
        (tmp_path / attempt).mkdir()
        output = tmp_path / attempt / "post.chat"
        assert convert(export, "-o", output, "--anonymize", *(["--me", me] if me else []), *options) == 0
        written.append((output.read_bytes(), (tmp_path / attempt / "post.pseudonyms.json").read_bytes()))
    assert written[0] == written[1]


def test_pseudonyms_follow_first_appearance_and_mentions_follow(tmp_path, capsys):
    export = export_path(tmp_path, "mentions.whatsapp.txt")
    output = tmp_path / "post.chat"
    assert convert(export, "-o", output, "--anonymize") == 0
    post = output.read_text(encoding="utf-8")
    assert "Speakers: Person 1, Person 2, Person 3\n" in post
    assert "Person 1: @\u2068Person 2\u2069 is the truing stand free on Saturday?" in post
    # a first name alone is no speaker's name: it stays, and the author is told where
    assert "Person 2: It is, Dana. Ask Person 3 for the key" in post
    line = post.splitlines().index("[2024-03-14 09:13:05] Person 2: It is, Dana. Ask Person 3 for the key") + 1
    assert f"{output}:{line}: 'Dana', a word of a real name, is still in the text (1 time, the first here): check it" in capsys.readouterr().err
    assert "Person 3: @\u2068Person 1\u2069 the key is under the bench" in post
    mapping = json.loads((tmp_path / "post.pseudonyms.json").read_text(encoding="utf-8"))
    assert mapping == {"Person 1": "Dana Okafor", "Person 2": "Marcus Reyes", "Person 3": "Priya Raman"}


PHONE_WHATSAPP = (
    "[3/14/24, 9:12:40 AM] \u202a+44 7700 900123\u202c: new number, mail me at dana@example.org\n"
    "[3/14/24, 9:13:00 AM] Mei Lin: @447700900123 saved. Call +44 7700 900999 for the key\n"
    "[3/14/24, 9:14:00 AM] \u202a+44 7700 900123\u202c: thanks\n"
)


def test_a_speaker_named_by_a_phone_number_is_in_the_mapping_as_the_export_has_it(tmp_path, capsys):
    export = tmp_path / "number.whatsapp.txt"
    export.write_text(PHONE_WHATSAPP, encoding="utf-8")
    output = tmp_path / "post.chat"
    assert convert(export, "-o", output, "--anonymize", "--me", "Mei Lin") == 0
    post = output.read_text(encoding="utf-8")
    assert "Mei Lin: @Person 1 saved. Call ███ for the key" in post  # the mention follows; another number is masked
    assert "Person 1: new number, mail me at ███" in post
    assert not re.search(r"7700|dana@", post)
    mapping = json.loads((tmp_path / "post.pseudonyms.json").read_text(encoding="utf-8"))
    assert [re.sub(r"[^+\d ]", "", name) for name in mapping.values()] == ["+44 7700 900123"]


def test_slack_mentions_irc_addressing_and_reactions_follow(tmp_path, capsys):
    slack, irc, telegram = tmp_path / "slack.chat", tmp_path / "irc.chat", tmp_path / "telegram.chat"
    assert convert(EXPORTS / "slack" / "general", "-o", slack, "--anonymize") == 0
    assert "Person 1: Welcome @Person 2! The **truing stand**" in slack.read_text(encoding="utf-8")
    assert convert(EXPORTS / "irssi.irc.log", "-o", irc, "--anonymize") == 0
    assert "Person 3: Person 2: agreed <3" in irc.read_text(encoding="utf-8")
    # a nick changed is another name, which the author is shown
    lines = irc.read_text(encoding="utf-8").splitlines()
    line = next(number for number, text in enumerate(lines, 1) if text.endswith("Person 2 is now known as bob_away"))
    assert f"{irc}:{line}: 'bob', a word of a real name, is still in the text" in capsys.readouterr().err
    assert convert(EXPORTS / "telegram" / "rich.telegram.json", "-o", telegram, "--anonymize") == 0
    lines = telegram.read_text(encoding="utf-8").splitlines()
    assert "(reactions: 👍 Person 2, Person 3; 🔥 Person 2)" in lines
    # who a message was forwarded from does not speak here: no pseudonym, but the author is told
    line = lines.index("(forwarded from Lena Fischer)") + 1
    assert f"{telegram}:{line}: 'Fischer', a word of a real name, is still in the text" in capsys.readouterr().err


def test_the_title_an_export_s_name_gives_is_anonymized_too(tmp_path, capsys):
    export = tmp_path / "WhatsApp Chat with Dana Okafor.txt"
    export.write_text(MENTIONS_WHATSAPP, encoding="utf-8")
    assert convert(export, "--format", "whatsapp", "--anonymize", "--me", "Marcus Reyes") == 0
    out = capsys.readouterr().out
    assert out.startswith("Title: WhatsApp Chat with Person 1\n") and "Okafor" not in out
    mapping = tmp_path / "WhatsApp Chat with Dana Okafor.pseudonyms.json"
    assert json.loads(mapping.read_text(encoding="utf-8")) == {"Person 1": "Dana Okafor", "Person 2": "Priya Raman"}


# --- the mapping file: where it goes ---------------------------------------------------------


def make_site(tmp_path: Path, settings: str = 'PATH = "content"\n') -> Path:
    site = tmp_path / "blog"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "pelicanconf.py").write_text(f'AUTHOR = "Marcus"\nSITENAME = "Co-op notes"\n{settings}', encoding="utf-8")
    return site


def files_in(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


def test_a_post_in_the_content_folder_gets_its_mapping_beside_pelicanconf(tmp_path, capsys):
    site = make_site(tmp_path)
    post = site / "content" / "posts" / "truing-stand.chat"
    assert convert(FIXTURES / "pasted-dm-thread.chat", "-o", post, "--anonymize", "--me", "Marcus_R") == 0
    assert files_in(site / "content") == ["posts/truing-stand.chat"]
    mapping = site / "truing-stand.pseudonyms.json"
    assert json.loads(mapping.read_text(encoding="utf-8")) == {"Person 1": "Dana"}
    assert f"in {mapping}" in capsys.readouterr().err


def test_mapping_inside_the_content_folder_is_refused_and_nothing_is_written(tmp_path, capsys):
    site = make_site(tmp_path)
    post = site / "content" / "posts" / "truing-stand.chat"
    inside = site / "content" / "names.json"
    assert convert(FIXTURES / "pasted-dm-thread.chat", "-o", post, "--anonymize", "--mapping", inside) == 2
    error = capsys.readouterr().err
    assert f"--mapping {inside} is inside the content folder {site / 'content'}" in error
    assert files_in(site / "content") == []
    # refused for where the mapping is, wherever the post goes
    assert convert(FIXTURES / "pasted-dm-thread.chat", "-o", tmp_path / "x.chat", "--anonymize", "--mapping", inside) == 2
    assert files_in(site / "content") == [] and not (tmp_path / "x.chat").exists()
    outside = tmp_path / "keys" / "names.json"
    outside.parent.mkdir()
    assert convert(FIXTURES / "pasted-dm-thread.chat", "-o", post, "--anonymize", "--mapping", outside) == 0
    assert json.loads(outside.read_text(encoding="utf-8")) == {"Person 1": "Dana", "Person 2": "Marcus_R"}


def test_a_site_whose_content_is_its_own_folder_needs_a_mapping_given_outside(tmp_path, capsys):
    site = make_site(tmp_path, settings="")  # no PATH: Pelican reads the folder it runs in
    post = site / "content" / "posts" / "truing-stand.chat"
    assert convert(FIXTURES / "pasted-dm-thread.chat", "-o", post, "--anonymize") == 2
    assert "give --mapping FILE outside that folder" in capsys.readouterr().err
    assert files_in(site) == ["pelicanconf.py"]
    assert convert(FIXTURES / "pasted-dm-thread.chat", "-o", post, "--anonymize", "--mapping", site / "k.json") == 2
    assert convert(FIXTURES / "pasted-dm-thread.chat", "-o", post, "--anonymize", "--mapping", tmp_path / "k.json") == 0


def test_the_content_folder_given_with_content_is_one_too(tmp_path, capsys):
    content = tmp_path / "content"
    content.mkdir()
    post = content / "truing-stand.chat"
    arguments = [FIXTURES / "pasted-dm-thread.chat", "-o", post, "--anonymize", "--content", content]
    assert convert(*arguments, "--mapping", content / "k.json") == 2
    assert f"--mapping {content / 'k.json'} is inside the content folder {content} (--content)" in capsys.readouterr().err
    assert convert(*arguments) == 0
    assert files_in(tmp_path) == ["content/truing-stand.chat", "truing-stand.pseudonyms.json"]


def test_settings_that_cannot_be_read_are_an_error_naming_them(tmp_path, capsys):
    site = make_site(tmp_path, settings='PATH = "nowhere"\n')
    post = site / "content" / "truing-stand.chat"
    assert convert(FIXTURES / "pasted-dm-thread.chat", "-o", post, "--anonymize") == 2
    assert f"{site / 'pelicanconf.py'}: cannot read the site's settings" in capsys.readouterr().err
    assert not post.exists()


def test_to_stdout_the_mapping_goes_beside_the_export(tmp_path, capsys):
    export = export_path(tmp_path, "mentions.whatsapp.txt")
    assert convert(export, "--anonymize") == 0
    out = capsys.readouterr()
    assert "Person 1: @\u2068Person 2\u2069" in out.out and "Okafor" not in out.out and "Marcus" not in out.out
    mapping = tmp_path / "mentions.whatsapp.pseudonyms.json"
    assert json.loads(mapping.read_text(encoding="utf-8"))["Person 1"] == "Dana Okafor"
    assert str(mapping) in out.err


def test_an_export_in_the_content_folder_converted_to_stdout_keeps_its_mapping_out(tmp_path):
    site = make_site(tmp_path)
    export = site / "content" / "mentions.whatsapp.txt"
    export.write_text(MENTIONS_WHATSAPP, encoding="utf-8")
    assert convert(export, "--anonymize") == 0
    assert files_in(site / "content") == ["mentions.whatsapp.txt"]
    assert (site / "mentions.whatsapp.pseudonyms.json").is_file()


def test_a_mapping_holding_other_names_is_never_overwritten(tmp_path, capsys):
    export = export_path(tmp_path, "mentions.whatsapp.txt")
    output, mapping = tmp_path / "post.chat", tmp_path / "post.pseudonyms.json"
    mapping.write_text('{"Person 1": "Someone Else"}\n', encoding="utf-8")
    assert convert(export, "-o", output, "--anonymize") == 2
    assert f"{mapping}: already exists and holds other pseudonyms" in capsys.readouterr().err
    assert mapping.read_text(encoding="utf-8") == '{"Person 1": "Someone Else"}\n'
    assert not output.exists()
    mapping.unlink()
    assert convert(export, "-o", output, "--anonymize") == 0
    assert convert(export, "-o", output, "--anonymize") == 0  # the same names again: left as it is
    assert "(unchanged)" in capsys.readouterr().err


def test_mapping_without_anonymize_is_an_error(tmp_path, capsys):
    assert convert(FIXTURES / "pasted-dm-thread.chat", "--mapping", tmp_path / "k.json") == 2
    assert "--mapping names the file --anonymize writes" in capsys.readouterr().err


def test_me_keeps_its_name_and_no_pseudonym_is_it(tmp_path):
    export = tmp_path / "talk.chat"
    export.write_text("Person 1: hi Dana\nDana: hi, Person 1\n", encoding="utf-8")
    output = tmp_path / "post.chat"
    assert convert(export, "-o", output, "--anonymize", "--me", "person 1") == 0
    post = output.read_text(encoding="utf-8")
    assert "Speakers: Person 1, Person 2\nMe: Person 1\n" in post
    assert "Person 2: hi, Person 1" in post
    assert json.loads((tmp_path / "post.pseudonyms.json").read_text(encoding="utf-8")) == {"Person 2": "Dana"}


def test_the_header_s_me_keeps_its_name_without_the_option(tmp_path):
    export = tmp_path / "talk.chat"
    export.write_text("Title: Stand\nMe: Marcus_R\n\nDana: is it free?\nMarcus_R: yes, Dana\n", encoding="utf-8")
    output = tmp_path / "post.chat"
    assert convert(export, "-o", output, "--anonymize") == 0
    assert output.read_text(encoding="utf-8") == (
        "Title: Stand\nSpeakers: Person 1, Marcus_R\nMe: Marcus_R\nStatus: draft\n\n"
        "Person 1: is it free?\nMarcus_R: yes, Person 1\n"
    )


def test_the_mapping_holds_the_names_behind_display_names_and_me_keeps_the_one_shown(tmp_path):
    export = tmp_path / "talk.chat"
    export.write_text(
        "Title: Stand\nSpeakers: Dana Okafor (name: D.), Marcus Reyes (name: Marcus R.)\n\n"
        "Dana Okafor: hi Marcus Reyes\nMarcus Reyes: hi Dana Okafor\n", encoding="utf-8",
    )
    output = tmp_path / "post.chat"
    assert convert(export, "-o", output, "--anonymize", "--me", "marcus reyes") == 0
    post = output.read_text(encoding="utf-8")
    assert post.endswith("Speakers: Person 1, Marcus R.\nMe: Marcus R.\nStatus: draft\n\n"
                         "Person 1: hi Marcus R.\nMarcus R.: hi Person 1\n")
    assert json.loads((tmp_path / "post.pseudonyms.json").read_text(encoding="utf-8")) == {"Person 1": "Dana Okafor"}


def test_me_keeps_its_whole_name_when_it_holds_another_speaker_s(tmp_path):
    export = tmp_path / "talk.chat"
    export.write_text("Dana Okafor: hi Dana\nDana: hi\n", encoding="utf-8")
    output = tmp_path / "post.chat"
    assert convert(export, "-o", output, "--anonymize", "--me", "Dana Okafor") == 0
    post = output.read_text(encoding="utf-8")
    assert "Speakers: Dana Okafor, Person 1\nMe: Dana Okafor\n" in post
    assert "Dana Okafor: hi Person 1\n" in post


# --- Status: draft ---------------------------------------------------------------------------


def test_convert_writes_status_draft_unless_publish(tmp_path):
    draft, published = tmp_path / "draft.chat", tmp_path / "published.chat"
    assert convert(EXPORTS / "result.telegram.json", "-o", draft) == 0
    assert convert(EXPORTS / "result.telegram.json", "-o", published, "--publish") == 0
    assert "\nStatus: draft\n" in draft.read_text(encoding="utf-8")
    assert "Status" not in published.read_text(encoding="utf-8")
    assert read_conversation(path=str(draft)).metadata["status"] == "draft"
    # Status changes nothing in the conversation itself
    assert [(m.speaker.name, m.text) for m in read_conversation(path=str(draft)).messages] == [
        (m.speaker.name, m.text) for m in read_conversation(path=str(published)).messages
    ]


def test_a_converted_chat_is_published_only_once_its_status_line_is_removed(tmp_path, build_site):
    output = tmp_path / "co-op.chat"
    assert convert(EXPORTS / "result.telegram.json", "-o", output, "--title", "Co-op") == 0
    text = output.read_text(encoding="utf-8")
    site = build_site({"co-op.chat": text})
    assert site.posts() == []
    assert (site.output / "drafts" / "co-op.html").is_file()  # Pelican's drafts: written, listed nowhere
    assert "Co-op" not in (site.output / "index.html").read_text(encoding="utf-8")
    assert not any("Co-op" in feed.read_text(encoding="utf-8") for feed in (site.output / "feeds").glob("*"))
    site = build_site({"co-op.chat": text.replace("Status: draft\n", "")})
    assert site.posts() == ["co-op.html"]
    assert "Co-op" in (site.output / "index.html").read_text(encoding="utf-8")
