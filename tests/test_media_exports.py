"""Media of real exports, end to end through a Pelican build (issue 14): a WhatsApp
"with media" zip, DiscordChatExporter `--media`, slackdump's downloads, and images in a
```chat block of a Markdown post.

Shapes (every fixture below is our own, invented people and text):
- WhatsApp "Export chat → Attach media" is a zip with the chat and its files side by side at
  its top: iOS `_chat.txt` with `‎[14/03/2024, 09:20:11] Name: ‎<attached: 00000012-PHOTO-….jpg>`
  lines, Android `WhatsApp Chat with Name.txt` with `IMG-20240314-WA0001.jpg (file attached)`
  (lucasrodes/whatstk docs/…/export_chat.rst: "iOS: the chat is exported as a zip";
  BXAMRA/whatszip-flutter README: "Include media … generate a .zip file"; starkdmi/whats_json
  test/data/ios/*.txt for the lines).
- DiscordChatExporter `--media`: files in `<export>.json_Files/`, named `<name>-<5 hex>.<ext>`,
  the attachment's `url` the path relative to the export, with the exporting system's
  separator (Tyrrrz/DiscordChatExporter Core/Exporting/ExportAssetDownloader.cs,
  ExportContext.cs ResolveAssetUrlAsync); older versions URL-encoded it.
- slackdump: `__uploads/<file id>/<name>` beside the channel folders ("Mattermost" layout, the
  default) or `<channel>/attachments/<file id>-<name>` ("Standard"); the day files keep Slack's
  `url_private` (rusq/slackdump cmd/slackdump/internal/export/assets/export.md,
  internal/source StdFilepath/MattermostFilepath).
"""

from __future__ import annotations

import io
import os
import struct
import zipfile

from PIL import Image

IOS_CHAT = (
    "[14/03/2024, 09:20:05] Dana Okafor: Look at the new stand\n"
    "\u200e[14/03/2024, 09:20:11] Dana Okafor: \u200e<attached: 00000012-PHOTO-2024-03-14-09-20-11.png>\n"
    "\u200e[14/03/2024, 09:21:40] Marek Nowak: \u200e<attached: 00000013-opening-hours.pdf>\n"
    "\u200e[14/03/2024, 09:22:05] Marek Nowak: \u200e<attached: 00000014-PHOTO-2024-03-14-09-22-05.jpg>\n"
)
PDF = b"%PDF-1.4\n" + b"0" * 1991


def png(width: int = 9, height: int = 4, colour: str = "teal") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


PHOTO = png()


def zipped(members: dict[str, bytes | str], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data.encode() if isinstance(data, str) else data)
    return out.getvalue()


def media_files(site) -> list[str]:
    """Every file the build wrote under chatlog/media, as a path from the output folder."""
    folder = site.output / "chatlog" / "media"
    return sorted(str(path.relative_to(site.output)) for path in folder.rglob("*")) if folder.exists() else []


def the_post(site):
    (name,) = site.posts()
    return site.page(name)


def served(site, img) -> bytes:
    return (site.output / img["src"].removeprefix("/")).read_bytes()


# --- WhatsApp "with media" zip ------------------------------------------------------------------

def test_an_ios_zip_in_the_content_folder_shows_its_photo_links_its_file_and_names_the_absent_one(build_site):
    export = zipped({"_chat.txt": IOS_CHAT, "00000012-PHOTO-2024-03-14-09-20-11.png": PHOTO,
                     "00000013-opening-hours.pdf": PDF})
    site = build_site({"ride.whatsapp.zip": export})
    page = site.page("ride.html")
    (img,) = page.select(".chatlog img")
    assert served(site, img) == PHOTO and (img["width"], img["height"]) == ("9", "4")
    assert img["alt"] == "00000012-PHOTO-2024-03-14-09-20-11.png" and img["loading"] == "lazy"
    pdf = page.select_one(".chatlog-attachment.chatlog-file")
    assert pdf.get_text() == "[file: 00000013-opening-hours.pdf, 2.0 kB]"
    assert (site.output / pdf.a["href"].removeprefix("/")).read_bytes() == PDF
    assert page.select_one(".chatlog-attachment.chatlog-image").get_text() == (
        "[image: 00000014-PHOTO-2024-03-14-09-22-05.jpg]")
    assert len(page.select(".chatlog-message")) == 4 and site.messages() == []


def test_an_android_zip_named_by_a_chat_header_source_is_read_with_its_media(build_site):
    chat = ("14/03/2024, 09:20 - Dana Okafor: Look at the new stand\n"
            "14/03/2024, 09:20 - Dana Okafor: IMG-20240314-WA0001.png (file attached)\n"
            "14/03/2024, 09:21 - Marek Nowak: Nice\n")
    export = zipped({"WhatsApp Chat with Dana Okafor.txt": chat, "IMG-20240314-WA0001.png": PHOTO})
    post = "Title: New stand\nFormat: whatsapp\nSource: exports/stand.zip\n"
    site = build_site({"stand.chat": post, "exports/stand.zip": export})
    page = site.page("new-stand.html")
    (img,) = page.select(".chatlog img")
    assert served(site, img) == PHOTO and img["alt"] == "IMG-20240314-WA0001.png"
    assert site.messages() == []


def test_only_names_at_the_top_of_the_zip_are_read_and_nothing_is_written_under_a_zips_name(build_site):
    chat = IOS_CHAT.splitlines()[0] + "\n" + "".join(
        f"\u200e[14/03/2024, 09:2{n}:00] Dana Okafor: \u200e<attached: {name}>\n"
        for n, name in enumerate(["../evil.png", "media/nested.png", "/abs.png", "..\\win.png"]))
    export = zipped({"_chat.txt": chat, "../evil.png": PHOTO, "media/nested.png": PHOTO, "/abs.png": PHOTO,
                     "..\\win.png": PHOTO})
    site = build_site({"ride.whatsapp.zip": export})
    page = site.page("ride.html")
    assert not page.select(".chatlog img") and len(page.select(".chatlog-attachment")) == 4
    assert media_files(site) == []
    warned = [message for message in site.messages() if "not a file name at the top of the zip" in message]
    assert len(warned) == 4
    assert not [path for path in site.output.parent.rglob("*") if path.name in ("evil.png", "nested.png", "win.png")
                and "content" not in path.parts]


def test_a_member_is_read_only_within_the_source_limit_alone_and_over_the_whole_zip(build_site):
    noise = os.urandom(3000)  # incompressible, so the zip is as big as what it holds
    photo = png(300, 3, "navy")
    big = png(40, 40) + noise
    chat = IOS_CHAT.splitlines()[0] + "\n" + "".join(
        f"\u200e[14/03/2024, 09:2{n}:00] Dana Okafor: \u200e<attached: {name}>\n"
        for n, name in enumerate(["00000020-PHOTO-big.png", "00000021-PHOTO-a.png", "00000022-PHOTO-b.png"]))
    export = zipped({"_chat.txt": chat, "00000020-PHOTO-big.png": big, "00000021-PHOTO-a.png": photo + noise[:1500],
                     "00000022-PHOTO-b.png": png(5, 5) + noise[1500:]})
    limit = 2800
    site = build_site({"ride.whatsapp.zip": export}, CHATLOG_MAX_SOURCE_BYTES=limit)
    page = site.page("ride.html")
    # the first small photo fits; the big one never does, the last one no more: the zip's bound is spent
    (img,) = page.select(".chatlog img")
    assert img["alt"] == "00000021-PHOTO-a.png"
    warnings = site.messages()
    assert any("00000020-PHOTO-big.png" in w and "more than the 2800 bytes" in w for w in warnings)
    assert any("00000022-PHOTO-b.png" in w and "may still be read" in w for w in warnings)
    assert len(media_files(site)) == 1


def test_a_member_that_holds_more_than_its_entry_declares_is_refused(build_site):
    bomb = b"\x00" * 200_000
    export = bytearray(zipped({"_chat.txt": IOS_CHAT.splitlines()[0] + "\n\u200e[14/03/2024, 09:21:00] Dana Okafor:"
                               " \u200e<attached: 00000030-PHOTO-x.png>\n", "00000030-PHOTO-x.png": bomb}))
    # the central directory says 100 bytes; the deflated stream holds 200,000
    entry = export.index(b"PK\x01\x02", export.index(b"PK\x01\x02") + 4)
    export[entry + 24 : entry + 28] = struct.pack("<I", 100)
    site = build_site({"ride.whatsapp.zip": bytes(export)})
    page = site.page("ride.html")
    assert not page.select(".chatlog img") and media_files(site) == []
    assert any("00000030-PHOTO-x.png in" in message and "cannot be read" in message for message in site.messages())


def test_a_zip_without_a_chat_or_that_is_no_zip_says_so(build_site):
    site = build_site({"ride.whatsapp.zip": zipped({"notes.md": "x", "a.txt": "x", "b.txt": "y"}),
                       "other.whatsapp.zip": b"PK\x03\x04 not really"})
    errors = site.messages()
    assert any("no WhatsApp chat found in this zip" in message for message in errors)
    assert any("not a zip archive that can be read" in message for message in errors)


# --- DiscordChatExporter --media ------------------------------------------------------------------

def discord_export(*attachments: tuple[str, str]) -> str:
    import json

    author = {"id": "880000000000000011", "name": "aya.b", "discriminator": "0000", "nickname": "Aya",
              "isBot": False, "avatarUrl": "trail.discord.json_Files/1-8F0E1.png"}
    messages = [
        {"id": f"88000000000000020{n}", "type": "Default", "timestamp": f"2024-05-04T09:1{n}:03.123+00:00",
         "timestampEdited": None, "isPinned": False, "content": f"photo {n}", "author": author,
         "attachments": [{"id": f"88000000000000030{n}", "url": url, "fileName": name, "fileSizeBytes": 1234}],
         "embeds": [], "stickers": [], "reactions": [], "mentions": []}
        for n, (name, url) in enumerate(attachments)
    ]
    return json.dumps({
        "guild": {"id": "880000000000000001", "name": "Bike co-op", "iconUrl": ""},
        "channel": {"id": "880000000000000002", "type": "GuildTextChat", "category": "Workshop", "name": "trail",
                    "topic": None},
        "dateRange": {"after": None, "before": None}, "exportedAt": "2024-05-06T08:00:00+00:00",
        "messages": messages, "messageCount": len(messages)})


def test_discord_media_beside_the_export_show_inline_from_windows_and_encoded_paths(build_site, tmp_path):
    chain, key = png(12, 5, "olive"), png(6, 6, "maroon")
    outside = tmp_path / "secret.png"
    outside.write_bytes(png(3, 3))
    export = discord_export(
        ("chain.png", "trail.discord.json_Files\\chain-5A1B2.png"),  # written on Windows
        ("spoke key.png", "trail.discord.json_Files/spoke%20key-0C9D8.png"),  # an older, URL-encoded one
        ("gone.png", "trail.discord.json_Files\\gone-11111.png"),  # not downloaded
        ("secret.png", "..\\..\\secret.png"),  # leaves the content folder
        ("link.png", "trail.discord.json_Files\\link-22222.png"),  # a link to a file outside it
    )
    (tmp_path / "content" / "co-op" / "trail.discord.json_Files").mkdir(parents=True)
    os.symlink(outside, tmp_path / "content" / "co-op" / "trail.discord.json_Files" / "link-22222.png")
    site = build_site({"co-op/trail.discord.json": export,
                       "co-op/trail.discord.json_Files/chain-5A1B2.png": chain,
                       "co-op/trail.discord.json_Files/spoke key-0C9D8.png": key})
    page = the_post(site)
    first, second = page.select(".chatlog img")
    assert served(site, first) == chain and (first["alt"], first["width"], first["height"]) == ("chain.png", "12", "5")
    assert served(site, second) == key and second["alt"] == "spoke key.png"
    placeholders = [span.get_text() for span in page.select("span.chatlog-attachment")]
    assert placeholders == ["[image: gone.png]", "[image: secret.png]", "[image: link.png]"]
    assert "json_Files" not in str(page.select(".chatlog")) and len(media_files(site)) == 2
    warnings = site.messages()
    assert any("'..\\\\..\\\\secret.png' shown as a placeholder" in w for w in warnings)
    assert any("link-22222.png" in w and "outside the content folder" in w for w in warnings)


# --- slackdump's downloads --------------------------------------------------------------------------

USERS = '[{"id": "U01", "name": "dana", "profile": {"real_name": "Dana Okafor"}}]'


def slack_day(*files: dict) -> str:
    import json

    return json.dumps([{"type": "message", "user": "U01", "text": f"file {n}", "ts": f"171040{n}000.000100",
                        "files": [file]} for n, file in enumerate(files)])


def slack_file(file_id: str, name: str) -> dict:
    return {"id": file_id, "name": name, "title": name, "mimetype": "image/png", "filetype": "png",
            "url_private": f"https://files.slack.com/files-pri/T0-{file_id}/{name}"}


def test_slackdump_files_in_uploads_and_in_a_channels_attachments_show_inline(build_site, tmp_path):
    stand, route = png(8, 3, "purple"), png(5, 7, "green")
    outside = tmp_path / "secret.png"
    outside.write_bytes(png(3, 3))
    (tmp_path / "content" / "work" / "__uploads" / "F0LINK0001").mkdir(parents=True)
    os.symlink(outside, tmp_path / "content" / "work" / "__uploads" / "F0LINK0001" / "secret.png")
    site = build_site({
        "stand.chat": "Title: Stand\nFormat: slack\nSource: work/general\n",
        "work/users.json": USERS,
        "work/general/2024-03-14.json": slack_day(slack_file("F0STAND001", "stand.png"),
                                                  slack_file("F0GONE0001", "gone.png"),
                                                  slack_file("F0LINK0001", "secret.png"),
                                                  slack_file("F0UP000001", "../../../secret.png")),
        "work/__uploads/F0STAND001/stand.png": stand,
        # slackdump's "Standard" layout, a day file read alone
        "work/rides/2024-03-15.slack.json": slack_day(slack_file("F0ROUTE001", "route.png")),
        "work/rides/attachments/F0ROUTE001-route.png": route,
    })
    page = site.page("stand.html")
    (img,) = page.select(".chatlog img")
    assert served(site, img) == stand and (img["alt"], img["width"], img["height"]) == ("stand.png", "8", "3")
    assert [span.get_text() for span in page.select("span.chatlog-attachment")] == [
        "[image: gone.png]", "[image: secret.png]", "[image: ../../../secret.png]"]
    (rides,) = [name for name in site.posts() if name != "stand.html"]
    (img,) = site.page(rides).select(".chatlog img")
    assert served(site, img) == route and img["alt"] == "route.png"
    assert len(media_files(site)) == 2 and site.messages() == []


# --- a ```chat block in a Markdown post -----------------------------------------------------------------

def test_images_in_a_chat_block_show_when_their_files_sit_beside_the_post(build_site, tmp_path):
    (tmp_path / "outside.png").write_bytes(png(3, 3))
    post = ("Title: Workshop notes\nDate: 2024-03-07\n\nThe stand came back:\n\n```chat\n"
            "Dana: look\n[image: stand.png | photos/stand.png]\n"
            "Marek: and the old one\n[image: old.png | ../../outside.png]\n"
            "Dana: gone\n[image: lost.png | photos/lost.png]\n```\n")
    stand = png(10, 6, "coral")
    site = build_site({"notes/workshop.md": post, "notes/photos/stand.png": stand})
    page = site.page("workshop-notes.html")
    (img,) = page.select(".chatlog img")
    assert served(site, img) == stand and (img["alt"], img["width"], img["height"]) == ("stand.png", "10", "6")
    assert [span.get_text() for span in page.select("span.chatlog-attachment")] == [
        "[image: old.png]", "[image: lost.png]"]
    assert len(media_files(site)) == 1
    (warning,) = site.messages()
    assert "workshop.md:9: attachment '../../outside.png' shown as a placeholder" in warning
    (img,) = site.page("index.html").select(".chatlog img")  # the summary or index shows it too
    assert served(site, img) == stand
