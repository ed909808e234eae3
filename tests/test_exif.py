"""Photos copied from exports lose where they were taken (issue 16): the EXIF GPS block and
XMP are gone from every JPEG, PNG and WebP copy, the orientation stays, and the picture
decodes at the same size; a photo without them is copied byte for byte.

Shapes: the photos are made here with Pillow the way phones write them (EXIF IFD0 with
Orientation 274 and the GPSInfo pointer 34853 to a GPS IFD of GPSLatitudeRef/GPSLatitude/
GPSLongitudeRef/GPSLongitude, tags 1-4, as in the EXIF 2.3 standard; XMP in a JPEG APP1, a
PNG `XML:com.adobe.xmp` iTXt chunk, a WebP `XMP ` chunk), sent in a WhatsApp iOS "with media"
export (`‎<attached: 00000012-PHOTO-2024-03-14-09-20-11.jpg>`; starkdmi/whats_json
test/data/ios/*.txt).  The people and places are invented.
"""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import ExifTags, Image
from PIL.PngImagePlugin import PngInfo

GPS = {1: "N", 2: (52.0, 13.0, 5.5), 3: "E", 4: (13.0, 24.0, 1.0)}
PLACE = "Tempelhofer Feld"  # what the XMP says, as a phone's photo app writes a place name
XMP = (f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       f'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"'
       f' exif:GPSLatitude="52,13.09N" photoshop:City="{PLACE}"/></rdf:RDF></x:xmpmeta>')
ROTATED = 6  # EXIF orientation: shown turned 90° clockwise


def photo(kind: str, size=(48, 32), gps=True, xmp=True, **options) -> bytes:
    image = Image.new("RGB", size)
    image.putdata([(x * 5 % 256, y * 7 % 256, (x * y) % 256) for y in range(size[1]) for x in range(size[0])])
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = ROTATED
    exif[ExifTags.Base.Make] = "Phone"
    if gps:
        exif[ExifTags.IFD.GPSInfo] = GPS
    out = io.BytesIO()
    if kind == "png":
        info = PngInfo()
        if xmp:
            info.add_itxt("XML:com.adobe.xmp", XMP)
        image.save(out, "PNG", exif=exif, pnginfo=info, **options)
    else:
        image.save(out, {"jpg": "JPEG", "webp": "WEBP"}[kind], exif=exif, **({"xmp": XMP.encode()} if xmp else {}),
                   **options)
    return out.getvalue()


def build(build_site, name: str, data: bytes, **settings):
    chat = ("[14/03/2024, 09:20:05] Dana Okafor: from the field\n"
            f"\u200e[14/03/2024, 09:20:11] Dana Okafor: \u200e<attached: {name}>\n")
    files = {"ride.chat": "Title: Ride photos\nFormat: whatsapp\nSource: ride/_chat.txt\n",
             "ride/_chat.txt": chat, f"ride/{name}": data}
    site = build_site(files, **settings)
    return site, site.page("ride-photos.html")


def copy_of(site, page) -> bytes:
    (img,) = page.select(".chatlog img")
    return (site.output / img["src"].removeprefix("/")).read_bytes()


@pytest.mark.parametrize("kind, options", [
    ("jpg", {"quality": 85}), ("png", {}), ("webp", {"lossless": True}), ("webp", {"quality": 70}),
])
def test_a_copied_photo_has_no_gps_block_nor_xmp_and_keeps_its_orientation_and_size(build_site, kind, options):
    original = photo(kind, **options)
    with Image.open(io.BytesIO(original)) as before:  # the photo as made does carry all of it
        assert before.getexif().get_ifd(ExifTags.IFD.GPSInfo) == GPS and PLACE.encode() in original
    site, page = build(build_site, f"00000012-PHOTO-2024-03-14-09-20-11.{kind}", original)
    copy = copy_of(site, page)
    with Image.open(io.BytesIO(copy)) as after:
        exif = after.getexif()
        assert ExifTags.IFD.GPSInfo not in exif and exif.get_ifd(ExifTags.IFD.GPSInfo) == {}
        assert exif[ExifTags.Base.Orientation] == ROTATED and exif[ExifTags.Base.Make] == "Phone"
        assert not after.info.get("xmp") and not after.info.get("XML:com.adobe.xmp")
        assert after.size == (48, 32)
        after.load()
        if kind == "png" or options.get("lossless"):
            with Image.open(io.BytesIO(original)) as before:
                assert after.tobytes() == before.convert(after.mode).tobytes()  # not a pixel changed
    assert PLACE.encode() not in copy and b"GPSLatitude" not in copy
    (img,) = page.select(".chatlog img")
    # sized as browsers show it: every browser turns a JPEG by its orientation
    assert (img["width"], img["height"]) == (("32", "48") if kind == "jpg" else ("48", "32"))
    assert img["src"].removeprefix("/").removeprefix("chatlog/media/").startswith(hashlib.sha256(copy).hexdigest()[:20])
    assert site.messages() == []


def test_a_jpeg_keeps_its_quantisation_tables_and_subsampling():
    from pelican_chatlog.photo_location import without_location

    original = photo("jpg", quality=62, subsampling="4:2:0")
    with Image.open(io.BytesIO(original)) as before, Image.open(io.BytesIO(without_location(original, "jpg"))) as after:
        assert after.quantization == before.quantization
        assert after.layer == before.layer  # the sampling factors of each component


@pytest.mark.parametrize("kind", ["jpg", "png", "webp"])
def test_a_photo_without_location_is_copied_byte_for_byte(build_site, kind):
    original = photo(kind, gps=False, xmp=False)
    site, page = build(build_site, f"00000012-PHOTO-2024-03-14-09-20-11.{kind}", original)
    assert copy_of(site, page) == original


def test_a_photo_linked_as_a_file_loses_its_location_too(build_site):
    original = photo("jpg")
    post = "Title: Scans\nSpeakers: Dana\n\nDana: the scan\n[file: scan.jpg | scan.jpg]\n"
    site = build_site({"scans.chat": post, "scan.jpg": original})
    link = site.page("scans.html").select_one(".chatlog-attachment.chatlog-file a")
    copy = (site.output / link["href"].removeprefix("/")).read_bytes()
    with Image.open(io.BytesIO(copy)) as after:
        assert ExifTags.IFD.GPSInfo not in after.getexif() and after.getexif()[ExifTags.Base.Orientation] == ROTATED
    assert PLACE.encode() not in copy


def test_a_photo_whose_location_cannot_be_removed_is_not_copied(build_site):
    broken = photo("jpg", size=(400, 300))
    broken = broken[: len(broken) * 2 // 3]  # cut off in its image data: it cannot be decoded to be saved again
    site, page = build(build_site, "00000012-PHOTO-2024-03-14-09-20-11.jpg", broken)
    assert not page.select(".chatlog img") and not list(site.output.glob("chatlog/media/*"))
    assert page.select_one(".chatlog-attachment").get_text() == "[image: 00000012-PHOTO-2024-03-14-09-20-11.jpg]"
    assert any("its location data could not be removed" in message for message in site.messages())


def test_a_copy_is_written_only_if_it_comes_out_as_the_page_was_made_with(build_site, monkeypatch):
    from pelican_chatlog import media

    real = media.without_location
    calls = []

    def drifting(data: bytes, extension: str) -> bytes:
        calls.append(extension)
        cleaned = real(data, extension)
        return cleaned if len(calls) == 1 else cleaned + b"\x00"  # the copy step's result differs

    monkeypatch.setattr(media, "without_location", drifting)
    site, page = build(build_site, "00000012-PHOTO-2024-03-14-09-20-11.jpg", photo("jpg"))
    assert len(calls) == 2
    (img,) = page.select(".chatlog img")
    assert not (site.output / img["src"].removeprefix("/")).exists()
    assert any("did not come out as it did when the page was made" in message for message in site.messages())
