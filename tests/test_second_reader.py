"""A second reader of the session's change: what its README says, tried.

Fixtures are our own `.chat` text in the shape README's "The .chat format"
documents (`Mask:`, `Redact:`, `Speakers:` with a JSON-quoted name), with
invented people and numbers from Ofcom's drama range (+44 7700 900xxx).
The WhatsApp iOS lines (`‎[M/D/YY, H:MM:SS AM] Name: ‎<attached: 00000012-….vcf>`,
each opened by U+200E) are in the shape of tests/exports/whatsapp/ios-media.whatsapp.txt,
whose public sources the importer's own tests cite.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from pelican_chatlog.cli import main
from pelican_chatlog.model import ChatlogError
from pelican_chatlog.pipeline import read_conversation

CONTACT_CHAT = (
    "Title: Keys\n"
    "Mask: contacts, phones\n"
    'Speakers: "+44 7700 900123", Sam\n'
    "\n"
    "[2024-03-01 10:00] +44 7700 900123: the key is under the bench\n"
    "[2024-03-01 10:01] Sam: thanks @447700900123, or call +44 7700 900456\n"
)


def test_anonymize_maps_a_pseudonym_to_the_number_a_mask_header_would_hide(tmp_path: Path) -> None:
    # `Mask: contacts` must not turn the speaker into "Contact 1" before --anonymize
    # names them: the mapping is the author's key to who each pseudonym really is.
    export = tmp_path / "keys.chat"
    export.write_text(CONTACT_CHAT, encoding="utf-8")
    output = tmp_path / "out" / "keys.chat"
    output.parent.mkdir()
    assert main(["convert", str(export), "--anonymize", "-o", str(output)]) == 0
    mapping = json.loads((tmp_path / "out" / "keys.pseudonyms.json").read_text(encoding="utf-8"))
    assert mapping == {"Person 1": "+44 7700 900123", "Person 2": "Sam"}
    text = output.read_text(encoding="utf-8")
    assert "@Person 1" in text and "900456" not in text and "Mask:" not in text


@pytest.mark.parametrize("terms", ["/(?P<a>x)/, /(?P<a>y)/", "/(?i)zeller/"])
def test_a_redact_pattern_that_cannot_join_the_others_names_its_line(terms: str) -> None:
    text = f"Title: Keys\nDate: 2024-03-01\nRedact: {terms}\n\nDana: the key is under the bench\n"
    with pytest.raises(ChatlogError) as raised:
        read_conversation(text, path="keys.chat")
    assert str(raised.value).startswith("keys.chat:3: ")


def test_a_redaction_leaves_the_metadata_that_tells_pelican_what_to_do() -> None:
    # a masked `Status: draft` is an unknown status (Pelican skips the post), a masked
    # `Template:` names no template (the build fails): neither is what the chat is about
    text = (
        "Title: Zeller rides\nStatus: draft\nTemplate: zeller\nLang: en\n"
        "Redact: Zeller; /dra.t/; /\\ben\\b/\n\nDana: Zeller lends the stand\n"
    )
    metadata = read_conversation(text, path="rides.chat").metadata
    assert (metadata["status"], metadata["template"], metadata["lang"]) == ("draft", "zeller", "en")
    assert metadata["title"] == "███ rides"


def test_an_unknown_format_lists_the_paste_shapes_it_could_have_named() -> None:
    # README "Pasting from an app": `Format: slack-paste` … are as valid as `Format: whatsapp`
    with pytest.raises(ChatlogError) as raised:
        read_conversation("Title: Rides\nFormat: slack-pastes\n\nDana Okafor  6:02 PM\nhi\n", path="rides.chat")
    assert "rides.chat:2: " in str(raised.value)
    assert "slack-paste, discord-paste, teams-paste, telegram-paste, whatsapp-paste" in str(raised.value)


def test_an_export_in_a_linked_folder_is_known_as_a_posts_source(tmp_path: Path) -> None:
    # Pelican walks the content folder following links (generators.get_files), so a
    # post's `Source:` export in a linked folder must be found too: else, whenever the
    # post cannot be read, the export is published as a post of its own, without the
    # post's `Redact:` and display names.
    from pelican_chatlog.pelican_plugin import sources_named

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "talk.whatsapp.txt").write_text("12/03/2024, 18:02 - Dana: hi\n", encoding="utf-8")
    (elsewhere / "talk.chat").write_text(
        "Title: Talk\nFormat: whatsapp\nSource: talk.whatsapp.txt\nRedact: Zeller\n", encoding="utf-8"
    )
    content = tmp_path / "content"
    content.mkdir()
    (content / "chats").symlink_to(elsewhere, target_is_directory=True)
    assert os.path.realpath(elsewhere / "talk.whatsapp.txt") in sources_named(str(content), ["chat"])


def test_site_patterns_that_cannot_be_used_together_are_refused_naming_the_setting() -> None:
    from pelican_chatlog.privacy import Privacy

    with pytest.raises(ChatlogError, match="the CHATLOG_REDACT patterns cannot be used together"):
        Privacy.from_settings({"CHATLOG_REDACT": ["/(?P<street>Zeller)/", "/(?P<street>Acme)/"]})


def test_a_source_exports_attachment_warning_names_the_export_and_its_line(build_site) -> None:
    lrm = "\u200e"
    site = build_site({
        "talk.chat": "Title: Talk\nFormat: whatsapp\nSource: chat/_chat.txt\n",
        "chat/_chat.txt": (
            "[3/14/24, 9:12:40 AM] Dana Okafor: the key is under the bench\n"
            f"{lrm}[3/14/24, 9:13:00 AM] Dana Okafor: {lrm}<attached: 00000012-Lena Ross.vcf>\n"
        ),
    })
    (warning,) = [message for message in site.messages() if "00000012-Lena Ross.vcf" in message]
    # line 2 is the export's, not talk.chat's (which says `Format: whatsapp` there)
    assert f"{os.sep}chat{os.sep}_chat.txt:2: attachment " in warning and "talk.chat" not in warning


def test_a_hidden_name_holding_a_redacted_word_is_still_shown_as_its_display_name() -> None:
    # terms are masked before names are renamed; "Dana Zeller" then reads "Dana ███",
    # which must still become "D.", not leave the first name in view
    text = (
        "Title: Rides with Dana Zeller\nSpeakers: Dana Zeller (name: D.), Sam\nRedact: Zeller\n\n"
        "Dana Zeller: the key is under the bench\nSam: thanks, dana  zeller and @Dana Zeller\n"
    )
    conversation = read_conversation(text, path="rides.chat")
    assert conversation.metadata["title"] == "Rides with D."
    assert conversation.messages[1].text == "thanks, D. and @D."


def test_convert_titles_a_dated_file_as_the_site_would(tmp_path: Path) -> None:
    # one rule for a title made from a file name: Pelican's reader drops a leading date
    # (`2024-03-02-ride-planning.chat` is "Ride planning"), and so does `convert`
    export = tmp_path / "2024-03-02-ride-planning.whatsapp.txt"
    export.write_text("14/03/2024, 18:02 - Dana Okafor: the key is under the bench\n", encoding="utf-8")
    output = tmp_path / "2024-03-02-ride-planning.chat"
    assert main(["convert", str(export), "--day-first", "-o", str(output)]) == 0
    assert output.read_text(encoding="utf-8").startswith("Title: Ride planning\n")
