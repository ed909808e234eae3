"""An attack on privacy: ways a hidden thing reached the built site, each shut.

Every fixture is written here with invented people, numbers and addresses, in the shapes the
apps write:
- WhatsApp iOS export lines `[2/3/24, 18:02:30] ‪+44 7700 900123‬: text`, an unsaved contact named
  by its number between U+202A and U+202C (github.com/AyazKhuraishi/whatsapp-export-inconsistencies;
  tests/exports/whatsapp/ios-group.whatsapp.txt); numbers written in the text as people write
  them: `tel:+44…`, `(+44) 7700 …`, `0044 7700 …` and WhatsApp's click-to-chat `https://wa.me/<digits>`
  (faq.whatsapp.com "How to use click to chat": the number in full international format, no `+`);
- Telegram Desktop's result.json, whose text entities include `phone` and `text_link` (the list in
  github.com/kant2002/TelegramExportProcessor README; tests/exports/telegram/entities.telegram.json);
- `.chat` posts and ```` ```chat ```` blocks in Markdown as README "The .chat format" describes them.
"""

from __future__ import annotations

import html
import json
import os
import unicodedata
import urllib.parse

from pelican_chatlog.cli import main


def found_in(site, secret: str) -> list[str]:
    """Every file under the site's output holding the secret, plain, escaped or URL-encoded, any case."""
    forms = {secret, html.escape(secret), urllib.parse.quote(secret), json.dumps(secret)[1:-1]}
    forms = {form.casefold() for form in forms}
    return sorted(
        str(path.relative_to(site.output))
        for path in site.output.rglob("*")
        if path.is_file() and any(form in path.read_bytes().decode("utf-8", "replace").casefold() for form in forms)
    )


def test_a_chat_block_that_cannot_be_read_does_not_publish_its_text(build_site):
    # the block's own `Date:` is wrong: before, the whole block, `Redact:` terms, the original
    # name and a phone number with it, went to the page and the feeds as a <pre>
    post = """\
Title: Essay
Date: 2024-03-08

Some prose.

```chat
Redact: Zqvillage
Speakers: "Zqdana Okafor" (name: D.), Marcus
Date: not a date

"Zqdana Okafor": meet me in Zqvillage
Marcus: or call +44 7700 900461
```
"""
    site = build_site({"essay.md": post})
    assert any("essay.md:9: `Date: not a date` is not a date" in message for message in site.messages())
    assert "could not be shown" in site.page("essay.html").select_one(".chatlog-error").get_text()
    for secret in ("Zqvillage", "Zqdana", "7700 900461"):
        assert found_in(site, secret) == []


WHATSAPP_NUMBERS = """\
[2/3/24, 18:01:07] Trail Fixers: \u200eMessages and calls are end-to-end encrypted.
[2/3/24, 18:02:30] \u202a+44 7700 900123\u202c: Hi, I am new here
[2/3/24, 18:03:00] Mei Lin: Welcome! Ring tel:+447700900471 or Phone:+44 7700 900472
[2/3/24, 18:03:40] Mei Lin: or (+44) 7700 900473, from abroad 0044 7700 900474
[2/3/24, 18:04:10] Mei Lin: or chat https://wa.me/447700900475 and https://wa.me/447700900123
[2/3/24, 18:05:00] \u202a+44 7700 900123\u202c: my other phone is 0044 7700 900123
"""


def test_phone_numbers_written_as_people_write_them_are_masked(build_site):
    site = build_site({"trail.whatsapp.txt": WHATSAPP_NUMBERS})
    for number in ("447700900471", "7700 900472", "7700 900473", "7700 900474", "447700900475",
                   "447700900123", "7700 900123"):
        assert found_in(site, number) == [], number
    text = site.page("trail-fixers.html").select_one(".chatlog").get_text()
    assert "Ring tel:███ or Phone:███" in text
    assert "or ███, from abroad ███" in text
    assert "https://wa.me/███" in text
    assert "my other phone is Contact 1" in text  # 0044 … is the contact's +44 … number


def test_telegram_phone_links_are_masked(build_site):
    export = {
        "name": "Rides", "type": "private_group", "id": 4242002,
        "messages": [{
            "id": 1, "type": "message", "date": "2024-03-14T09:20:00", "date_unixtime": "1710408000",
            "from": "Mei Lin", "from_id": "user1002",
            "text": ["ask ", {"type": "text_link", "text": "him", "href": "tel:+447700900481"}],
            "text_entities": [{"type": "plain", "text": "ask "},
                              {"type": "text_link", "text": "him", "href": "tel:+447700900481"}],
        }],
    }
    site = build_site({"rides.telegram.json": json.dumps(export)})
    assert found_in(site, "447700900481") == []


def test_a_hidden_name_typed_decomposed_is_hidden_too(build_site):
    # the header says "José" with é as one character; a message typed on a Mac or pasted
    # from a file name holds e and a combining accent (NFD): before, that one stayed
    decomposed = unicodedata.normalize("NFD", "José Zqokafor")
    post = f"""\
Title: Talk
Date: 2024-03-08
Speakers: "José Zqokafor" (name: J.), Marcus
Redact: Zqnúñez
Me: Marcus

"José Zqokafor": hi
Marcus: hello {decomposed}, how is {unicodedata.normalize("NFD", "Zqnúñez")}?
"""
    site = build_site({"talk.chat": post})
    assert found_in(site, "Zqokafor") == []
    assert found_in(site, "Zqnu") == []  # the decomposed term starts Zqnu + a combining accent
    assert "hello J., how is ███?" in site.page("talk.html").select_one(".chatlog").get_text()


def test_a_site_name_hides_people_who_only_react_or_are_forwarded_from(build_site):
    # CHATLOG_SPEAKERS names a person site-wide; in this export she never speaks, so link
    # styled no speaker of hers, and her real name stayed in "Forwarded from" and reactions
    export = {
        "name": "Rides", "type": "private_group", "id": 4242003,
        "messages": [{
            "id": 5, "type": "message", "date": "2024-03-14T09:18:00", "date_unixtime": "1710407880",
            "from": "Mei Lin", "from_id": "user1002", "forwarded_from": "Zqlena Fischer",
            "text": "Route for Sunday?", "text_entities": [{"type": "plain", "text": "Route for Sunday?"}],
            "reactions": [{"type": "emoji", "count": 1, "emoji": "👍", "recent": [
                {"from": "Zqlena Fischer", "from_id": "user1003", "date": "2024-03-14T09:19:00"}]}],
        }],
    }
    site = build_site({"rides.telegram.json": json.dumps(export)},
                      CHATLOG_SPEAKERS={"Zqlena Fischer": {"name": "L."}})
    assert found_in(site, "Zqlena") == []
    chat = site.page("rides.html").select_one(".chatlog")
    assert chat.select_one(".chatlog-forwarded").get_text() == "Forwarded from L."
    assert chat.select_one(".chatlog-reactors").get_text() == ": L."


EXPORT = """\
[2/3/24, 18:03:00] Mei Lin: Meet at Zqvillage with Zqdana Okafor
[2/3/24, 18:04:00] Zqdana Okafor: ok
"""


def test_an_export_a_post_reads_is_not_also_published_on_its_own(build_site):
    # README: "a `.chat` with `Format:` ... names it with `Source:`", and an export named
    # `*.whatsapp.txt` is a post by itself: the same file was published twice, once as the
    # post with its `Redact:` and shown names, once as itself without them
    post = """\
Title: Talk
Format: whatsapp
Source: trail.whatsapp.txt
Redact: Zqvillage
Speakers: "Zqdana Okafor" (name: D.), Mei Lin
"""
    essay = f"Title: Essay\nDate: 2024-03-08\n\n```chat\nFormat: whatsapp\nSource: exports/day.whatsapp.txt\n" \
            f"Redact: Zqvillage\n```\n"
    site = build_site({"talk.chat": post, "trail.whatsapp.txt": EXPORT, "essay.md": essay,
                       "exports/day.whatsapp.txt": EXPORT}, CHATLOG_SPEAKERS={"Zqdana Okafor": {"name": "D."}})
    assert site.posts() == ["essay.html", "talk.html"]
    assert "Meet at ███ with D." in site.page("talk.html").select_one(".chatlog").get_text()
    assert "Meet at ███ with D." in site.page("essay.html").select_one(".chatlog").get_text()
    assert found_in(site, "Zqvillage") == [] and found_in(site, "Zqdana") == []


def test_the_mapping_never_lands_in_a_folder_the_content_folder_links_to(tmp_path, monkeypatch):
    # content/exports is a link to a folder elsewhere, which Pelican reads as content (it follows
    # links); resolved, the post's path was outside the content folder, so the mapping of real
    # names was written beside it: inside the content folder as Pelican sees it
    site = tmp_path / "blog"
    (site / "content").mkdir(parents=True)
    (site / "pelicanconf.py").write_text('SITENAME = "Notes"\nPATH = "content"\n', encoding="utf-8")
    elsewhere = tmp_path / "phone-backup"
    elsewhere.mkdir()
    (elsewhere / "trail.whatsapp.txt").write_text(EXPORT, encoding="utf-8")
    os.symlink(elsewhere, site / "content" / "exports")
    monkeypatch.chdir(site)
    assert main(["convert", "content/exports/trail.whatsapp.txt", "-o", "content/exports/trail.chat",
                 "--anonymize"]) == 0
    assert sorted(path.name for path in elsewhere.iterdir()) == ["trail.chat", "trail.whatsapp.txt"]
    assert "Zqdana Okafor" in (site / "trail.pseudonyms.json").read_text(encoding="utf-8")


def test_a_slack_mention_names_the_person_as_their_messages_do(build_site):
    # a day file read without users.json: messages carry their author's `user_profile`
    # (Slack's export writes it on each message); a mention `<@U01|handle>` showed the
    # handle of someone whose messages show, and hide, their real name
    day = [
        {"type": "message", "user": "U01", "text": "hello", "ts": "1548881340.000100",
         "user_profile": {"real_name": "Zqdana Okafor", "display_name": "zqhandle", "name": "zqhandle"}},
        {"type": "message", "user": "U02", "text": "Welcome <@U01|zqhandle>, and <@U01>", "ts": "1548881400.000200",
         "user_profile": {"real_name": "Mei Lin", "display_name": "mei", "name": "mei"},
         "reactions": [{"name": "wave", "users": ["U01"], "count": 1}]},
    ]
    site = build_site({"day.slack.json": json.dumps(day)}, CHATLOG_SPEAKERS={"Zqdana Okafor": {"name": "D."}})
    assert found_in(site, "zqhandle") == [] and found_in(site, "Zqdana") == []
    chat = site.page("day.html").select_one(".chatlog")
    assert "Welcome @D., and @D." in chat.get_text()
    assert chat.select_one(".chatlog-reactors").get_text() == ": D."


UNSAVED_CONTACT = """\
[2/3/24, 18:03:00] \u202a+44 7700 900491\u202c: hi, it is me
[2/3/24, 18:04:00] Marcus: oh hello
"""


def test_a_title_made_from_the_export_s_file_name_is_hidden_too(build_site, tmp_path, capsys):
    # WhatsApp names the export of a chat after the other person, an unsaved contact by
    # number: "WhatsApp Chat with +44 7700 900491.txt" (faq.whatsapp.com, "How to export
    # your chat history"); README says to name it *.whatsapp.txt.  Before, the number was the
    # post's title and URL on every listing and feed, and the title of `convert`'s post
    name = "WhatsApp Chat with +44 7700 900491.whatsapp.txt"
    site = build_site({name: UNSAVED_CONTACT})
    assert site.posts() == ["whatsapp-chat-with-contact-1.html"]
    assert site.page("whatsapp-chat-with-contact-1.html").title.get_text().startswith("WhatsApp Chat with Contact 1")
    for secret in ("7700 900491", "7700-900491", "447700900491"):
        assert found_in(site, secret) == []
    capsys.readouterr()  # Pelican's own report of the build
    assert main(["convert", str(site.output.parent / "content" / name)]) == 0
    assert capsys.readouterr().out.startswith("Title: WhatsApp Chat with Contact 1\n")


def test_a_shared_contact_card_is_never_copied_to_the_site(build_site):
    # WhatsApp "with media" keeps a shared contact as a vCard named after the person,
    # `‎<attached: 00000034-Name.vcf>` (tests/exports/whatsapp/ios-media.whatsapp.txt has the
    # line's shape; the card is RFC 6350's, as iOS writes it, with WhatsApp's `waid`).  Before,
    # the card was copied to chatlog/media/ and linked: the name and number in full
    chat = ("[2/3/24, 18:03:00] Mei Lin: here is her number\n"
            "\u200e[2/3/24, 18:03:05] Mei Lin: \u200e<attached: 00000034-Zqdana Okafor.vcf>\n"
            "[2/3/24, 18:04:00] Marcus: thanks\n")
    card = ("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Okafor;Zqdana;;;\r\nFN:Zqdana Okafor\r\n"
            "TEL;type=CELL;type=VOICE;waid=447700900777:+44 7700 900777\r\nEND:VCARD\r\n")
    site = build_site({"trip/trip.whatsapp.txt": chat, "trip/00000034-Zqdana Okafor.vcf": card})
    assert not (site.output / "chatlog" / "media").exists()
    for secret in ("Zqdana", "7700 900777", "447700900777"):
        assert found_in(site, secret) == []
    assert "[file: contact card]" in site.page("trip.html").select_one(".chatlog").get_text()
    assert any("a contact card holds" in message for message in site.messages())


def test_a_header_holding_redact_is_never_read_as_chat(build_site):
    # README: a block not opened by `Title:` is chat when one of its keys could be a speaker,
    # e.g. `Me:` naming nobody who speaks (here a typo).  Read as chat, the block published its
    # `Redact:` terms as a message from "Redact", and redacted nothing
    post = "Redact: Zqvillage\nMe: Marcu\n\nDana: I was in Zqvillage\nMarcus: nice\n"
    site = build_site({"village.chat": post})
    assert found_in(site, "Zqvillage") == []
    chat = site.page("village.html").select_one(".chatlog")
    assert [message["data-speaker"] for message in chat.select(".chatlog-message")] == ["Dana", "Marcus"]
    assert any("`Me: Marcu` names nobody" in message for message in site.messages())
