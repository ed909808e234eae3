"""An export's files on the site (issue 14, media): images shown inline, other files
linked with their size, anything a chat names outside its folder left a placeholder.

Shapes: a WhatsApp iOS "with media" export is a folder holding `_chat.txt` and the files
it names in `‎<attached: 00000012-PHOTO-2024-03-12-09-20-11.jpg>` lines (the issue's real
samples; starkdmi/whats_json test/data/ios/*.txt); our own fixture lines are invented.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import struct
import zlib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pelican_chatlog import Attachment, Conversation, Message, Speaker, link, parse, render
from pelican_chatlog.media import image_size, relative_name
from pelican_chatlog.render import TEMPLATE_FOLDER


def png(width: int, height: int) -> bytes:
    """A real PNG, grey pixels: signature, IHDR, one IDAT, IEND."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))  # filter 0, 8-bit grey
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


PHOTO = png(7, 3)
POST = "Title: Ride photos\nFormat: whatsapp\nSource: ride/_chat.txt\n"
CHAT = (
    "[14/03/2024, 09:20:05] Dana Okafor: Look at this\n"
    "\u200e[14/03/2024, 09:20:11] Dana Okafor: \u200e<attached: 00000012-PHOTO-2024-03-14-09-20-11.png>\n"
    "\u200e[14/03/2024, 09:21:40] Marek Nowak: \u200e<attached: 00000013-route.pdf>\n"
    "\u200e[14/03/2024, 09:22:05] Marek Nowak: \u200e<attached: 00000014-PHOTO-2024-03-14-09-22-05.jpg>\n"
)


def build(build_site, chat: str = CHAT, settings: dict | None = None, **extra: bytes):
    files = {"ride.chat": POST, "ride/_chat.txt": chat,
             "ride/00000012-PHOTO-2024-03-14-09-20-11.png": PHOTO, "ride/00000013-route.pdf": b"%PDF-1.4\n" * 300}
    files.update({f"ride/{name}": data for name, data in extra.items()})
    site = build_site(files, **(settings or {}))
    return site, site.page("ride-photos.html")


def test_an_image_beside_the_export_is_copied_and_shown_inline_and_sized(build_site):
    site, page = build(build_site)
    (img,) = page.select(".chatlog img")
    assert img["loading"] == "lazy" and img["width"] == "7" and img["height"] == "3"
    assert img["alt"] == "00000012-PHOTO-2024-03-14-09-20-11.png"
    src = img["src"].removeprefix("/")  # Pelican's own link: SITEURL + "/" + path
    assert src.startswith("chatlog/media/") and src.endswith(".png") and "PHOTO" not in src
    assert (site.output / src).read_bytes() == PHOTO
    assert src.removeprefix("chatlog/media/").startswith(hashlib.sha256(PHOTO).hexdigest()[:20])
    assert img.parent.name == "a" and img.parent["href"] == img["src"]
    # the file absent from the folder keeps its placeholder, and that is no warning
    assert page.select_one(".chatlog-attachment.chatlog-image").get_text() == (
        "[image: 00000014-PHOTO-2024-03-14-09-22-05.jpg]")
    assert site.messages() == []


def test_the_image_link_is_right_from_every_page_and_in_the_feed(build_site):
    site, page = build(build_site, settings={"RELATIVE_URLS": True})
    assert page.select_one(".chatlog img")["src"].startswith("./chatlog/media/")
    (img,) = site.page("index.html").select(".chatlog img")
    assert (site.output / img["src"]).read_bytes() == PHOTO
    (img,) = site.page("category/misc.html").select(".chatlog img")
    assert img["src"].startswith("../chatlog/media/")
    site, _ = build(build_site, settings={"SITEURL": "https://example.test"})
    feed = (site.output / "feeds" / "all.atom.xml").read_text()
    assert 'src="https://example.test/chatlog/media/' in feed


def test_a_file_that_is_no_image_is_linked_with_its_name_and_size(build_site):
    site, page = build(build_site)
    link = page.select_one(".chatlog-attachment.chatlog-file")
    assert link.get_text() == "[file: 00000013-route.pdf, 2.7 kB]"
    href = link.a["href"].removeprefix("/")
    assert href.startswith("chatlog/media/") and href.endswith(".pdf") and "route" not in href
    assert (site.output / href).read_bytes() == b"%PDF-1.4\n" * 300


def test_a_file_whose_type_is_not_allowed_gets_a_harmless_extension(build_site):
    chat = CHAT + "\u200e[14/03/2024, 09:23:00] Dana Okafor: \u200e<attached: 00000015-page.html>\n"
    site, page = build(build_site, chat, **{"00000015-page.html": b"<script>alert(1)</script>"})
    (href,) = [a["href"].removeprefix("/") for a in page.select(".chatlog-attachment a") if "page.html" in a.get_text()]
    assert href.endswith(".bin") and (site.output / href).read_bytes() == b"<script>alert(1)</script>"


def test_an_image_named_for_a_type_it_is_not_is_linked_not_shown(build_site):
    chat = CHAT + "\u200e[14/03/2024, 09:23:00] Dana Okafor: \u200e<attached: 00000016-PHOTO-fake.jpg>\n"
    site, page = build(build_site, chat, **{"00000016-PHOTO-fake.jpg": b"<svg onload=alert(1)>"})
    assert len(page.select(".chatlog img")) == 1
    (href,) = [a["href"].removeprefix("/") for a in page.select(".chatlog-attachment a") if "fake" in a.get_text()]
    assert href.endswith(".jpg")  # a download named .jpg: the browser never runs it as a page


@pytest.mark.parametrize("name", ["../secret.png", "../../outside/secret.png", "/etc/passwd", "..\\secret.png",
                                  "C:\\Users\\dana\\secret.png", "link-out.png"])
def test_a_name_that_leaves_the_folder_is_a_placeholder_with_a_warning_and_nothing_is_copied(
        build_site, tmp_path, name):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.png").write_bytes(PHOTO)
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "secret.png").write_bytes(PHOTO)
    os.makedirs(tmp_path / "content" / "ride")
    os.symlink(outside / "secret.png", tmp_path / "content" / "ride" / "link-out.png")
    chat = CHAT.splitlines()[0] + f"\n\u200e[14/03/2024, 09:20:11] Dana Okafor: \u200e<attached: {name}>\n"
    files = {"ride.chat": POST, "ride/_chat.txt": chat}
    site = build_site(files)
    page = site.page("ride-photos.html")
    assert not page.select(".chatlog img") and not page.select(".chatlog-attachment a")
    assert page.select_one(".chatlog-attachment").get_text().endswith(f": {name}]")
    assert not (site.output / "chatlog" / "media").exists() or not os.listdir(site.output / "chatlog" / "media")
    assert any("shown as a placeholder" in message for message in site.messages())


def test_a_file_larger_than_the_source_limit_is_a_placeholder_with_a_warning(build_site):
    site, page = build(build_site, settings={"CHATLOG_MAX_SOURCE_BYTES": len(CHAT.encode()) + 10})
    assert page.select_one(".chatlog-attachment.chatlog-file").get_text() == "[file: 00000013-route.pdf]"
    assert len(page.select(".chatlog img")) == 1  # the small photo is under the limit
    assert any("larger than" in message and "route.pdf" in message for message in site.messages())


def test_a_copy_never_goes_through_a_link_left_in_the_output(build_site, tmp_path):
    elsewhere = tmp_path / "elsewhere.png"
    elsewhere.write_bytes(b"keep")
    name = hashlib.sha256(PHOTO).hexdigest()[:20] + ".png"
    media = tmp_path / "output" / "chatlog" / "media"
    media.mkdir(parents=True)
    os.symlink(elsewhere, media / name)
    site, _ = build(build_site)
    assert elsewhere.read_bytes() == b"keep"
    assert (site.output / "chatlog" / "media" / name).read_bytes() == PHOTO


def test_outside_pelican_attachments_stay_placeholders():
    conversation = parse("Speakers: Dana\n\nDana: look\n[image: a.png | a.png]\n")
    html = render(conversation)
    assert "<img" not in html and '<span class="chatlog-attachment chatlog-image">[image: a.png]</span>' in html


# --- the reader of image headers, and the names it takes ------------------------------------

JPEG = (b"\xff\xd8" + b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00" + b"\x00" * 9
        + b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, 480, 640, 1) + b"\x01\x11\x00" + b"\xff\xd9")
GIF = b"GIF89a" + struct.pack("<HH", 12, 34) + b"\x00" * 8
WEBP_LOSSY = (b"RIFF" + b"\x00" * 4 + b"WEBPVP8 " + b"\x00" * 4 + b"\x00" * 3 + b"\x9d\x01\x2a"
              + struct.pack("<HH", 50, 60))
WEBP_EXTENDED = (b"RIFF" + b"\x00" * 4 + b"WEBPVP8X" + b"\x00" * 8
                 + (99).to_bytes(3, "little") + (199).to_bytes(3, "little"))


@pytest.mark.parametrize("data, expected", [
    (PHOTO, ("png", 7, 3)), (JPEG, ("jpg", 640, 480)), (GIF, ("gif", 12, 34)),
    (WEBP_LOSSY, ("webp", 50, 60)), (WEBP_EXTENDED, ("webp", 100, 200)),
    (b"\xff\xd8\xff\xe0\x00", ("jpg", 0, 0)), (b"<svg/>", None), (b"", None),
    (b"\xff\xd8\xff" + b"\xff" * 10_000, ("jpg", 0, 0)),
])
def test_image_headers(data, expected):
    assert image_size(data) == expected


@pytest.mark.parametrize("file, expected", [
    ("photos/photo_1@14-03-2024_09-20-11.jpg", "photos/photo_1@14-03-2024_09-20-11.jpg"),
    ("chat.json_Files\\image-1A2B.png", "chat.json_Files/image-1A2B.png"), ("./a.png", "a.png"),
    ("../a.png", None), ("a/../../b.png", None), ("/a.png", None), ("C:\\a.png", None), ("a\x00.png", None), ("", None),
])
def test_only_a_relative_name_below_the_folder_is_taken(file, expected):
    assert relative_name(file) == expected


# --- the page markup, both renderers ----------------------------------------------------------

def resolved() -> Conversation:
    dana = Speaker("Dana")
    attachments = [
        Attachment("a <b>.png", "image", "a.png", url="{filename}/chatlog/media/ab.png", size=9, width=7, height=3,
                   inline=True),
        Attachment("", "sticker", "s.webp", url="chatlog/media/cd.webp", size=9, inline=True),
        Attachment("plan & co.pdf", "file", "plan.pdf", url="chatlog/media/ef.pdf", size=123456),
        Attachment("b.jpg", "image", "b.jpg"),
    ]
    message = Message(dana, "hi", 1, id="msg-1", attachments=attachments)
    conversation = Conversation(items=[message], speakers=[dana])
    return link(conversation)


def test_the_markup_of_shown_linked_and_placeholder_attachments_is_the_same_both_ways(tmp_path):
    shutil.copytree(TEMPLATE_FOLDER / "chatlog", tmp_path / "chatlog")
    direct_html = render(resolved())
    assert direct_html == render(resolved(), template_folders=[str(tmp_path)])
    assert ('hi\n<a class="chatlog-media chatlog-image" href="{filename}/chatlog/media/ab.png">'
            '<img src="{filename}/chatlog/media/ab.png" alt="a &lt;b&gt;.png" width="7" height="3" '
            'loading="lazy"></a>\n'
            '<a class="chatlog-media chatlog-sticker" href="chatlog/media/cd.webp"><img src="chatlog/media/cd.webp" '
            'alt="sticker" loading="lazy"></a>\n'
            '<span class="chatlog-attachment chatlog-file">[file: '
            '<a href="chatlog/media/ef.pdf">plan &amp; co.pdf</a>, '
            '123.5 kB]</span>\n'
            '<span class="chatlog-attachment chatlog-image">[image: b.jpg]</span>') in direct_html


def test_shown_images_never_overflow_the_bubble():
    css = (TEMPLATE_FOLDER.parent / "static" / "chatlog.css").read_text()
    assert ".chatlog .chatlog-media img" in css and "max-width: 100%" in css and "height: auto" in css


NAMES = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"), max_size=10)
ATTACHMENTS = st.builds(
    Attachment, NAMES, st.sampled_from(["image", "video", "audio", "file", "sticker"]), NAMES,
    url=st.just("") | NAMES, size=st.integers(0, 10**10), width=st.integers(0, 5000), height=st.integers(0, 5000),
    inline=st.booleans(),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=NAMES, attachments=st.lists(ATTACHMENTS, max_size=4))
def test_random_resolved_attachments_render_the_same_both_ways(tmp_path, text, attachments):
    folder = tmp_path / "templates"
    if not folder.exists():
        shutil.copytree(TEMPLATE_FOLDER / "chatlog", folder / "chatlog")
    dana = Speaker("Dana")
    conversation = link(Conversation(items=[Message(dana, text.strip(), 1, attachments=attachments)], speakers=[dana]))
    assert render(conversation) == render(conversation, template_folders=[str(folder)])


EXPORTS = Path(__file__).parent / "exports"


def test_a_telegram_export_folder_shows_its_photo_and_links_its_voice_message(build_site):
    # Telegram Desktop's "photos/" and "voice_messages/" beside result.json (the fixture's shape: see test_rich)
    export = (EXPORTS / "telegram" / "rich.telegram.json").read_text(encoding="utf-8")
    site = build_site({
        "trail/result.telegram.json": export,
        "trail/photos/photo_3@14-03-2024_09-20-00.jpg": PHOTO,
        "trail/voice_messages/audio_1@14-03-2024_09-22-00.ogg": b"OggS" + b"\x00" * 2044,
    })
    (name,) = [path.name for path in site.output.glob("*.html") if path.name != "index.html"
               and "chatlog" in path.read_text(encoding="utf-8")]
    page = site.page(name)
    (img,) = page.select(".chatlog img")
    assert (img["width"], img["height"]) == ("7", "3")  # the bytes' own size, not the export's "width"
    assert (site.output / img["src"].removeprefix("/")).read_bytes() == PHOTO
    audio = page.select_one(".chatlog-attachment.chatlog-audio")
    assert audio.get_text() == "[audio: audio_1@14-03-2024_09-22-00.ogg, 2.0 kB]"
    assert audio.a["href"].endswith(".ogg")
    assert site.messages() == []


def test_a_build_from_pelicans_cache_still_copies_the_media(build_site, tmp_path, monkeypatch):
    from pelican import Pelican
    from pelican.settings import read_settings

    from pelican_chatlog.pelican_plugin import ChatReader

    cache = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "CACHE_PATH": str(tmp_path / "cache")}
    build(build_site, settings=cache)
    shutil.rmtree(tmp_path / "output")
    monkeypatch.setattr(ChatReader, "resolve_media", None)  # the post comes from the cache, not read again
    Pelican(read_settings(override={
        "PATH": str(tmp_path / "content"), "OUTPUT_PATH": str(tmp_path / "output"), "PLUGINS": ["pelican_chatlog"],
        "TIMEZONE": "UTC", "SITEURL": "", **cache,
    })).run()
    page = BeautifulSoup((tmp_path / "output" / "ride-photos.html").read_text(encoding="utf-8"), "html.parser")
    (img,) = page.select(".chatlog img")
    assert (tmp_path / "output" / img["src"].removeprefix("/")).read_bytes() == PHOTO


def test_an_attachment_noted_by_its_web_address_is_a_placeholder_without_a_warning(tmp_path):
    from pelican_chatlog.media import MediaFolder
    from pelican_chatlog.model import Attachment, Message, Speaker
    from pelican_chatlog.readers.sources import SourceFolder

    message = Message(Speaker("Dana"), "", 1)
    message.own("attachments").append(Attachment("stand.jpg", "image", "https://files.slack.com/stand.jpg"))
    media = MediaFolder(SourceFolder(str(tmp_path)))
    media.resolve([message], str(tmp_path))
    assert media.warnings == [] and message.attachments[0].url == ""
