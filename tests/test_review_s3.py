"""Attack review of this session's media and body code: each test is a hole found, closed.

Shapes: a WhatsApp iOS "with media" zip is `_chat.txt` with its files beside it at the top
(starkdmi/whats_json test/data/ios/*.txt; lucasrodes/whatstk docs: "iOS: the chat is exported
as a zip"), `‎<attached: 00000012-PHOTO-2024-03-14-09-20-11.jpg>` naming a photo.  Zip members
may be compressed by method 12 (bzip2) or 14 (LZMA) (PKWARE APPNOTE.TXT 4.4.5), which
Python's zipfile reads.  A JPEG is SOI, then marker segments (APP1 `Exif\\0\\0` + a TIFF
header, APP1 `http://ns.adobe.com/xap/1.0/\\0` XMP, APP1 `http://ns.adobe.com/xmp/extension/\\0`
extended XMP, APP13 `Photoshop 3.0\\0` IPTC), the scans, EOI (ITU T.81 B.1.1; EXIF 2.3 4.5.4;
XMP spec part 3 1.1.3.1); an MPO or a camera's trailer puts more after EOI (CIPA DC-007).
The people, places and texts are invented.
"""

from __future__ import annotations

import io
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
