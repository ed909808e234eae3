"""Files that can say where they were taken, which we cannot clean, stay off the site (issue 16).

An HEIC photo, an MP4 or QuickTime video, a TIFF scan or a WebM clip sent as a file is not
copied unless CHATLOG_COPY_UNCLEANED_MEDIA allows it: the page shows the placeholder with its
name and size, and the build log says once per file why and how to allow it.  A GIF loses its
XMP and keeps its frames; a PDF and a voice note are copied as before.

Shapes (every fixture is made here, people and places invented):
- WhatsApp iOS "with media" export: `_chat.txt` beside the files it names in
  `‎[14/03/2024, 09:20:11] Name: ‎<attached: 00000012-PHOTO-….jpg>` lines, documents as
  `00000016-name.ext` (starkdmi/whats_json test/data/ios/*.txt); the zip as the phone writes it
  (lucasrodes/whatstk docs export_chat.rst: "iOS: the chat is exported as a zip").  Android
  `IMG-20240314-WA0001.jpg (file attached)` lines (whatstk's Android samples).
- ISO media (ISO/IEC 14496-12): an `ftyp` box, then `moov`; QuickTime keeps a place in the
  `udta` atom `©xyz` (a 16-bit length, a language code, an ISO 6709 string such as
  `+52.4725+013.4018/`) and in `meta`/`keys` as `com.apple.quicktime.location.ISO6709`
  (Apple's QuickTime File Format, "Location metadata"); an HEIC (`ftyp` brand `heic`) keeps
  EXIF with its GPS IFD as an `Exif` item.
- TIFF: `II*\\0` and a GPS IFD (tag 34853), written here by Pillow.
- Matroska/WebM: the EBML magic `1A 45 DF A3` and a `webm` DocType.
- GIF XMP: an application extension `XMP DataXMP` holding the raw packet and a 258-byte
  "magic trailer" (01 FF FE … 01 00 00), per the XMP Specification Part 3 (as
  dragon66/pixymeta-android src/pixy/meta/gif/GifXMP.java writes it).
- Opus voice note: an Ogg page (`OggS`) holding `OpusHead` (RFC 7845).
"""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile

import pytest
from jinja2.filters import do_filesizeformat
from PIL import ExifTags, Image, ImageSequence

from pelican_chatlog.media import MEDIA_FOLDER, Copy, copy_into
from pelican_chatlog.photo_location import without_location
from pelican_chatlog.readers.sources import SourceFolder

GPS = {1: "N", 2: (52.0, 28.0, 21.0), 3: "E", 4: (13.0, 24.0, 6.5)}
PLACE = "+52.4725+013.4018/"
SETTING = "CHATLOG_COPY_UNCLEANED_MEDIA"


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def exif_with_gps() -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Phone"
    exif[ExifTags.IFD.GPSInfo] = GPS
    return exif.tobytes()


def mp4(brand: bytes = b"isom") -> bytes:
    """An MP4 whose `udta` says where it was filmed, as a phone's camera writes `©xyz`."""
    where = struct.pack(">HH", len(PLACE), 0x15C7) + PLACE.encode()
    return (box(b"ftyp", brand + b"\0\0\2\0" + brand + b"mp41")
            + box(b"moov", box(b"mvhd", bytes(100)) + box(b"udta", box(b"\xa9xyz", where))) + box(b"mdat", bytes(64)))


def quicktime() -> bytes:
    """A QuickTime movie whose `meta` keys say where it was filmed, as an iPhone writes them."""
    key = b"com.apple.quicktime.location.ISO6709"
    keys = box(b"keys", b"\0\0\0\0" + struct.pack(">I", 1) + box(b"mdta", key))
    item = box(struct.pack(">I", 1), box(b"data", struct.pack(">II", 1, 0) + PLACE.encode()))
    meta = box(b"meta", b"\0\0\0\0" + box(b"hdlr", bytes(8) + b"mdta" + bytes(13)) + keys + box(b"ilst", item))
    return box(b"ftyp", b"qt  \0\0\0\0qt  ") + box(b"moov", box(b"mvhd", bytes(100)) + meta) + box(b"mdat", bytes(64))


def heic() -> bytes:
    """An HEIC photo holding its EXIF (with a GPS IFD) as an item."""
    return (box(b"ftyp", b"heic\0\0\0\0mif1heic") + box(b"meta", b"\0\0\0\0" + box(b"hdlr", bytes(8) + b"pict" + bytes(13)))
            + box(b"mdat", b"\0\0\0\6Exif\0\0" + exif_with_gps()))


def tiff() -> bytes:
    image = Image.new("RGB", (8, 6), (40, 90, 140))
    out = io.BytesIO()
    image.save(out, "TIFF", exif=exif_with_gps())
    return out.getvalue()


def webm() -> bytes:
    header = b"\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm\x42\x87\x81\x04"
    return b"\x1a\x45\xdf\xa3" + bytes([0x80 | len(header)]) + header + b"\x18\x53\x80\x67\x01" + bytes(40)


XMP = (f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       f'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="52,28.35N"'
       f' exif:GPSLongitude="13,24.11E"/></rdf:RDF></x:xmpmeta>').encode()
MAGIC_TRAILER = bytes([1, *range(255, -1, -1), 0])


def gif(xmp: bool = True) -> bytes:
    """A two-frame looping GIF, with an XMP application extension and a comment after its screen."""
    frames = [Image.new("P", (6, 4), colour) for colour in (1, 2)]
    for frame in frames:
        frame.putpalette([0, 0, 0, 200, 30, 30, 30, 200, 30] + [0] * 759)
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], loop=0, duration=150)
    data = out.getvalue()
    if not xmp:
        return data
    start = 13 + (3 << ((data[10] & 7) + 1))  # after the header, screen and global colours
    extra = b"\x21\xff\x0bXMP DataXMP" + XMP + MAGIC_TRAILER + b"\x21\xfe\x09Kreuzberg\x00"
    return data[:start] + extra + data[start:]


PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + b"1 0 obj << /Type /Catalog >> endobj\n" * 40 + b"%%EOF\n"
OPUS = b"OggS\0\2" + bytes(20) + b"\1\x13OpusHead\1\1\x38\1\x80\xbb\0\0\0\0\0" + bytes(300)

HELD = {  # name in the export -> (bytes, what the warning calls it)
    "00000012-IMG_4410.HEIC": (heic(), "HEIC"),
    "00000013-VIDEO-2024-03-14-09-21-00.mp4": (mp4(), "MP4"),
    "00000014-IMG_4412.MOV": (quicktime(), "QuickTime"),
    "00000015-scan.tiff": (tiff(), "TIFF"),
    "00000016-clip.webm": (webm(), "WebM"),
}
COPIED = {"00000017-opening-hours.pdf": PDF, "00000018-AUDIO-2024-03-14-09-25-00.opus": OPUS}


def chat(names) -> str:
    return "[14/03/2024, 09:20:05] Dana Okafor: from the lake\n" + "".join(
        f"\u200e[14/03/2024, 09:2{n % 10}:00] Dana Okafor: \u200e<attached: {name}>\n" for n, name in enumerate(names))


def build(build_site, files: dict[str, bytes], text: str | None = None, **settings):
    post = {"lake.chat": "Title: Lake trip\nFormat: whatsapp\nSource: lake/_chat.txt\n",
            "lake/_chat.txt": text if text is not None else chat(files)}
    site = build_site({**post, **{f"lake/{name}": data for name, data in files.items()}}, **settings)
    return site, site.page("lake-trip.html")


def served(site) -> dict[str, bytes]:
    folder = site.output / MEDIA_FOLDER
    return {path.name: path.read_bytes() for path in folder.iterdir()} if folder.exists() else {}


def attachment(page, name: str):
    (found,) = [span for span in page.select(".chatlog-attachment, .chatlog-media")
                if name in span.get_text() or (span.img is not None and span.img.get("alt") == name)]
    return found


def test_files_whose_location_cannot_be_removed_are_not_copied_but_shown_as_placeholders(build_site):
    with Image.open(io.BytesIO(tiff())) as scan:
        assert scan.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the fixtures do say where
    files = {**{name: data for name, (data, _) in HELD.items()}, **COPIED}
    site, page = build(build_site, files)
    copies = served(site).values()
    for name, (data, _) in HELD.items():
        shown = attachment(page, name)
        kind = shown["class"][1].removeprefix("chatlog-")
        assert shown.a is None and shown.get_text() == f"[{kind}: {name}, {do_filesizeformat(len(data))}]"
        assert data not in copies
    assert not any(PLACE.encode() in copy or b"ftyp" in copy for copy in copies)
    warnings = site.messages()
    for name, (_, called) in HELD.items():
        (warning,) = [message for message in warnings if repr(name) in message]
        assert called in warning and "can hold where it was taken" in warning and f"{SETTING} = True" in warning
    for name, data in COPIED.items():  # a PDF and a voice note are copied as before, without a word
        link = attachment(page, name).a
        assert (site.output / link["href"].removeprefix("/")).read_bytes() == data
        assert not any(repr(name) in message for message in warnings)


def test_without_the_setting_none_is_copied_with_it_each_is_copied_as_it_is(build_site):
    files = {name: data for name, (data, _) in HELD.items()}
    site, page = build(build_site, files)
    assert served(site) == {}
    site, page = build(build_site, files, **{SETTING: True})
    for name, (data, _) in HELD.items():
        link = attachment(page, name).a
        assert (site.output / link["href"].removeprefix("/")).read_bytes() == data
    assert not site.messages()


def test_bytes_decide_not_the_name_an_heic_sent_as_a_jpg_is_held(build_site):
    text = "14/03/2024, 09:20 - Dana Okafor: IMG-20240314-WA0001.jpg (file attached)\n"
    site, page = build(build_site, {"IMG-20240314-WA0001.jpg": heic()}, text=text)
    assert attachment(page, "IMG-20240314-WA0001.jpg").a is None
    assert served(site) == {}
    assert any("IMG-20240314-WA0001.jpg" in message and "HEIC" in message for message in site.messages())


def test_one_warning_a_file_however_many_messages_name_it(build_site):
    name = "00000013-VIDEO-2024-03-14-09-21-00.mp4"
    site, page = build(build_site, {name: mp4()}, text=chat([name, name, name]))
    assert len(page.select(".chatlog-attachment.chatlog-video")) == 3
    assert len([message for message in site.messages() if name in message]) == 1


def test_a_gif_loses_its_xmp_and_comment_and_keeps_its_frames_and_loop(build_site):
    name = "00000019-GIF-2024-03-14-09-26-00.gif"
    original = gif()
    assert b"XMP DataXMP" in original and b"Kreuzberg" in original
    site, page = build(build_site, {name: original})
    link = attachment(page, name).a
    copy = (site.output / link["href"].removeprefix("/")).read_bytes()
    assert b"XMP DataXMP" not in copy and b"GPSLatitude" not in copy and b"Kreuzberg" not in copy
    assert copy == gif(xmp=False)  # every other block as it was
    assert without_location(gif(xmp=False), "gif") == gif(xmp=False)  # nothing to take out: byte for byte
    with Image.open(io.BytesIO(original)) as before, Image.open(io.BytesIO(copy)) as after:
        assert after.info["loop"] == 0 and after.n_frames == before.n_frames == 2
        for one, two in zip(ImageSequence.Iterator(before), ImageSequence.Iterator(after)):
            assert one.convert("RGB").tobytes() == two.convert("RGB").tobytes()


def test_a_video_in_a_whatsapp_zip_is_held_then_copied_when_allowed(build_site):
    name = "00000014-IMG_4412.MOV"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("_chat.txt", chat([name]))
        archive.writestr(name, quicktime())
    site = build_site({"lake.whatsapp.zip": out.getvalue()})
    assert served(site) == {} and any(name in message for message in site.messages())
    site = build_site({"lake.whatsapp.zip": out.getvalue()}, **{SETTING: True})
    assert list(served(site).values()) == [quicktime()]


@pytest.mark.parametrize("allowed", [False, True])
def test_a_copy_made_with_the_setting_on_is_not_written_once_it_is_off(tmp_path, allowed):
    """A post from Pelican's cache may carry copies made while the setting was on."""
    content, output = tmp_path / "content", tmp_path / "output"
    content.mkdir()
    (content / "clip.mp4").write_bytes(mp4())
    digest = hashlib.sha256(mp4()).hexdigest()
    warnings = copy_into(str(output), [Copy(str(content / "clip.mp4"), f"{digest[:20]}.mp4", digest)],
                         SourceFolder(str(content)), copy_uncleaned=allowed)
    written = output / MEDIA_FOLDER / f"{digest[:20]}.mp4"
    assert written.exists() == allowed
    assert bool(warnings) != allowed
