"""Attack review of this session's media and body code: each test is a hole found, closed.

Shapes: a WhatsApp iOS "with media" zip is `_chat.txt` with its files beside it at the top
(starkdmi/whats_json test/data/ios/*.txt; lucasrodes/whatstk docs: "iOS: the chat is exported
as a zip"), `‎<attached: 00000012-PHOTO-2024-03-14-09-20-11.jpg>` naming a photo.  Zip members
may be compressed by method 12 (bzip2) or 14 (LZMA) (PKWARE APPNOTE.TXT 4.4.5), which
Python's zipfile reads.  A JPEG is SOI, then marker segments (APP1 `Exif\\0\\0` + a TIFF
header, APP1 `http://ns.adobe.com/xap/1.0/\\0` XMP, APP1 `http://ns.adobe.com/xmp/extension/\\0`
extended XMP, APP13 `Photoshop 3.0\\0` IPTC), the scans, EOI (ITU T.81 B.1.1; EXIF 2.3 4.5.4;
XMP spec part 3 1.1.3.1); an MPO or a camera's trailer puts more after EOI (CIPA DC-007).
A Telegram Desktop export is `result.json`, `{"name", "type", "id", "messages": [{"id", "type":
"message", "date", "from", "from_id", "text", "reactions": [{"type": "emoji", "count", "emoji",
"recent": [{"from", "from_id", "date"}]}]}]}` (Telegram Desktop's export_output_json.cpp).
JSON writes a character beyond U+FFFF as a `\ud83d\ude00` pair (RFC 8259 7), and a lone
half of one is valid JSON that no UTF-8 page can hold.
The people, places and texts are invented.
"""

from __future__ import annotations

import io
import json
import struct
import tracemalloc
import zipfile

import pytest

from pelican_chatlog.model import ChatlogError
from pelican_chatlog.pipeline import read_conversation

CHAT = "[14/03/2024, 09:20:05] Dana Okafor: from the field\n"


def declared_as(data: bytes, name: str, size: int) -> bytes:
    """A zip whose member ``name`` says, in its local and central headers, it is ``size`` bytes."""
    out = bytearray(data)
    for signature, name_at, size_at in ((b"PK\x03\x04", 30, 22), (b"PK\x01\x02", 46, 24)):
        at = out.find(signature)
        while at >= 0:
            if out[at + name_at : at + name_at + len(name)] == name.encode():
                struct.pack_into("<I", out, at + size_at, size)
            at = out.find(signature, at + 4)
    return bytes(out)


# --- zips: a bzip2 member is a bomb zipfile does not bound -----------------------------------


def test_a_bzip2_member_is_refused_before_it_is_decompressed(tmp_path):
    # 45 MB of zeros is one bzip2 block of about 50 bytes; the zip says the chat is 40 bytes, so
    # the size check passes, and zipfile decompressed the whole block before cutting it to 40
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("_chat.txt", b"\0" * 45_000_000, zipfile.ZIP_BZIP2)
    bomb = tmp_path / "ride.whatsapp.zip"
    bomb.write_bytes(declared_as(out.getvalue(), "_chat.txt", 40))
    assert bomb.stat().st_size < 400
    tracemalloc.start()
    try:
        with pytest.raises(ChatlogError) as refused:
            read_conversation(path=str(bomb))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "ride.whatsapp.zip" in str(refused.value) and "_chat.txt" in str(refused.value)
    assert peak < 5_000_000, f"{peak} bytes allocated reading a {bomb.stat().st_size}-byte zip"


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_a_photo_compressed_by_bzip2_or_lzma_is_a_placeholder_with_a_warning(build_site, method):
    chat = CHAT + "\u200e[14/03/2024, 09:20:11] Dana Okafor: \u200e<attached: 00000012-PHOTO.png>\n"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("_chat.txt", chat)
        archive.writestr("00000012-PHOTO.png", b"\0" * 1000, method)
    site = build_site({"ride.whatsapp.zip": out.getvalue()})
    warned = [m for m in site.messages() if "00000012-PHOTO.png" in m and "only stored and deflated" in m]
    assert warned, site.messages()


# --- photos: a place hidden where Pillow reads no EXIF or XMP is published --------------------

PLACE = b"Tempelhofer Feld"


def exif_with_place(place: bool = True) -> bytes:
    from PIL import ExifTags, Image

    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Phone"
    if place:
        exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (52.0, 28.0, 5.5), 18: PLACE.decode()}  # 18: GPSMapDatum, ASCII
    return exif.tobytes()


def picture(kind: str, **options) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (24, 16), (200, 120, 40)).save(out, kind, **options)
    return out.getvalue()


def segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def with_segments(jpeg: bytes, *segments: bytes) -> bytes:
    """The JPEG with ``segments`` first after its start (SOI)."""
    return jpeg[:2] + b"".join(segments) + jpeg[2:]


def webp_with_chunk(webp: bytes, kind: bytes, payload: bytes) -> bytes:
    body = webp[12:] + kind + struct.pack("<I", len(payload)) + payload + b"\0" * (len(payload) & 1)
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + body


def png_with_text(keyword: str, text: str) -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text(keyword, text)
    return picture("PNG", pnginfo=info)


HIDDEN = {
    # a phone's EXIF without GPS, then an editor's second EXIF segment with it
    "second EXIF": ("jpg", lambda: with_segments(picture("JPEG"), segment(0xE1, exif_with_place(False)),
                                                 segment(0xE1, exif_with_place()))),
    "extended XMP": ("jpg", lambda: with_segments(picture("JPEG"), segment(
        0xE1, b"http://ns.adobe.com/xmp/extension/\0" + b"0" * 32 + struct.pack(">II", 40, 0)
        + b'<rdf:Description photoshop:City="' + PLACE + b'"/>'))),
    "IPTC city": ("jpg", lambda: with_segments(picture("JPEG"), segment(
        0xED, b"Photoshop 3.0\0" + b"8BIM\x04\x04\0\0" + struct.pack(">I", 5 + len(PLACE))
        + b"\x1c\x02\x5a" + struct.pack(">H", len(PLACE)) + PLACE))),
    # an MPO: a second picture after the first one's end, with its own EXIF
    "second picture": ("jpg", lambda: picture("JPEG") + picture("JPEG", exif=exif_with_place())),
    "PNG raw profile": ("png", lambda: png_with_text(
        "Raw profile type xmp", f'<rdf:Description photoshop:City="{PLACE.decode()}"/>')),
    "WebP chunk": ("webp", lambda: webp_with_chunk(picture("WEBP", lossless=True), b"LOCA", PLACE)),
}


@pytest.mark.parametrize("where", HIDDEN)
def test_a_place_hidden_where_pillow_reads_no_exif_or_xmp_is_not_published(where):
    from PIL import Image

    from pelican_chatlog.photo_location import without_location

    extension, make = HIDDEN[where]
    photo = make()
    assert PLACE in photo
    cleaned = without_location(photo, extension)
    assert PLACE not in cleaned
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.size == (24, 16)


def test_an_mpo_with_its_location_is_published_without_it(build_site):
    from PIL import Image

    second = Image.new("RGB", (24, 16), "blue")
    out = io.BytesIO()
    Image.new("RGB", (24, 16), "red").save(out, "MPO", save_all=True, append_images=[second],
                                            exif=exif_with_place())
    chat = CHAT + "\u200e[14/03/2024, 09:20:11] Dana Okafor: \u200e<attached: 00000012-PHOTO.jpg>\n"
    export = io.BytesIO()
    with zipfile.ZipFile(export, "w") as archive:
        archive.writestr("_chat.txt", chat)
        archive.writestr("00000012-PHOTO.jpg", out.getvalue())
    site = build_site({"ride.whatsapp.zip": export.getvalue()})
    (post,) = site.posts()
    assert site.page(post).select(".chatlog img"), site.messages()
    (copied,) = (site.output / "chatlog" / "media").iterdir()
    assert PLACE not in copied.read_bytes() and Image.open(copied).size == (24, 16)


# --- a lone surrogate from a JSON escape stopped the build ---------------------------------------


def test_a_lone_surrogate_in_a_quoted_reactor_name_is_shown_as_a_replacement_character(build_site):
    site = build_site({"walk.chat": 'Title: Walk\n\nDana: at the gate\n(reactions: 👍 "Sam\\udc00", Ola)\n'})
    (post,) = site.posts()
    assert "Sam\ufffd, Ola" in site.page(post).select_one(".chatlog-reactors").get_text()


def test_a_lone_surrogate_in_a_json_export_is_shown_as_a_replacement_character(build_site):
    export = {"name": "Walk", "type": "personal_chat", "id": 4412, "messages": [
        {"id": 1, "type": "message", "date": "2024-03-14T09:20:05", "from": "Dana\ud800", "from_id": "user1",
         "text": "at the \udc00gate", "reactions": [{"type": "emoji", "count": 1, "emoji": "👍",
                                                     "recent": [{"from": "Sam", "from_id": "user2",
                                                                 "date": "2024-03-14T09:21:00"}]}]},
        {"id": 2, "type": "message", "date": "2024-03-14T09:21:00", "from": "Sam", "from_id": "user2",
         "text": "coming"}]}
    site = build_site({"walk.telegram.json": json.dumps(export)})
    (post,) = site.posts()
    page = site.page(post).get_text()
    assert "Dana\ufffd" in page and "at the \ufffdgate" in page


# --- a file named again and again was read and cleaned again each time --------------------------


def noisy_png() -> bytes:
    import random

    from PIL import Image

    noise = random.Random(7)
    image = Image.frombytes("RGB", (40, 40), bytes(noise.randrange(256) for _ in range(40 * 40 * 3)))
    out = io.BytesIO()
    image.save(out, "PNG", exif=exif_with_place())
    return out.getvalue()


def sent_again(times: int) -> str:
    return CHAT + "".join(f"\u200e[14/03/2024, 09:{21 + n // 60:02}:{n % 60:02}] Dana Okafor: \u200e<attached: "
                          "00000012-PHOTO.png>\n" for n in range(times))


def test_a_photo_sent_ten_times_from_a_zip_costs_the_zips_budget_once(build_site):
    photo = noisy_png()
    export = io.BytesIO()
    with zipfile.ZipFile(export, "w") as archive:
        archive.writestr("_chat.txt", sent_again(10))
        archive.writestr("00000012-PHOTO.png", photo)
    site = build_site({"ride.whatsapp.zip": export.getvalue()}, CHATLOG_MAX_SOURCE_BYTES=len(photo) * 3)
    (post,) = site.posts()
    assert len(site.page(post).select(".chatlog img")) == 10, site.messages()


@pytest.mark.parametrize("times", [10, 40])
def test_a_photo_named_by_many_messages_is_cleaned_of_its_location_once(build_site, monkeypatch, times):
    from pelican_chatlog import media

    calls = []
    real = media.without_location
    monkeypatch.setattr(media, "without_location", lambda *args: calls.append(args[1]) or real(*args))
    site = build_site({"ride.chat": "Title: Ride\nFormat: whatsapp\nSource: ride/_chat.txt\n",
                       "ride/_chat.txt": sent_again(times), "ride/00000012-PHOTO.png": noisy_png()})
    (post,) = site.posts()
    assert len(site.page(post).select(".chatlog img")) == times
    assert calls == ["png", "png"]  # for the page, and again for the copy


# --- plain export text: a backtick, or a mark just past an address, still formatted -------------

FORMATTING = ["code", "del", "u", "ins", "em", "strong", "span", "blockquote", "ul", "ol"]


@pytest.mark.parametrize("text", [
    "type `ls` then `pwd`",  # every backtick is marked literal, yet a code span was made of them
    "https://example.org/a.**:~~not/struck~~!",  # the link ends at the marked `*`: the rest is text
    "www.example.org/++**||not/hidden||}",
    "HTTP://EXAMPLE.ORG/~~not/struck~~",  # no link (the renderer's scheme is lower case): all text
    "www.example.org/a.`~~not/struck~~",  # a link ends before a backtick
])
def test_plain_export_text_shows_as_typed_and_unformatted(text):
    from bs4 import BeautifulSoup

    from pelican_chatlog.inline import render_body_text
    from pelican_chatlog.readers.markup import escape_markdown

    html = render_body_text(escape_markdown(text))
    page = BeautifulSoup(html, "html.parser")
    assert page.get_text() == text, html
    assert not page.find_all(FORMATTING), html
