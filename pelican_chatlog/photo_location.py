"""Photos copied from an export lose where they were taken.

A phone writes the place a photo was taken into it: the EXIF GPS block,
and often again in XMP (`exif:GPSLatitude`, `photoshop:City`).  A JPEG,
PNG or WebP that carries either is saved again through Pillow with its
EXIF minus the GPS block (the orientation and the rest kept, so it still
shows upright) and without XMP or comments; a JPEG keeps its own
quantisation tables and subsampling (what ``quality="keep"`` keeps, which
Pillow refuses for an MPO, a JPEG with more pictures after it), a PNG its
pixels exactly, a WebP is lossless when it was.  A photo that carries neither is
copied byte for byte, unless it holds something else where a place may
hide that Pillow does not read as EXIF or XMP (a second EXIF segment,
extended XMP, IPTC, a text chunk, bytes after the picture): then it is
saved again too, which keeps none of it.  A GIF keeps its XMP in an
application extension (XMP Specification Part 3), which Pillow neither
reads nor writes: its blocks are copied but for application extensions
other than the animation's loop count, comments, and bytes after its end,
so every frame stays exactly as it was (saving a GIF again through Pillow
may merge frames and change palettes).  The result depends only on the
bytes given, so the copy's digest can be checked again when it is written.
"""

from __future__ import annotations

import io
import warnings

GPS_IFD = 0x8825
# Where a format keeps XMP once Pillow has read it (a PNG's iTXt chunk keeps its keyword)
XMP_KEYS = ("xmp", "XML:com.adobe.xmp")
FORMATS = {"jpg": "JPEG", "png": "PNG", "webp": "WEBP"}


class LocationKept(ValueError):
    """A photo whose location could not be taken out: it is not copied."""


def without_location(data: bytes, extension: str) -> bytes:
    """``data`` (a JPEG, PNG or WebP by ``extension``) without its location; other data unchanged."""
    if extension == "gif":
        return gif_without_metadata(data)
    if extension not in FORMATS:
        return data
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            # an image of more pixels than Pillow's bound is refused, never decoded
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[FORMATS[extension]]) as image:
                exif = image.getexif()
                has_xmp = any(image.info.get(key) for key in XMP_KEYS)
                if GPS_IFD not in exif and not has_xmp and not hides_more(data, extension, image):
                    return data
                exif.pop(GPS_IFD, None)
                return saved_again(image, data, extension, exif.tobytes() if len(exif) else b"")
    except (OSError, ValueError, SyntaxError, UnidentifiedImageError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as error:
        raise LocationKept(f"its location data could not be removed ({error})") from None


def hides_more(data: bytes, extension: str, image) -> bool:
    """Whether a photo holds more than what Pillow reads as its EXIF and XMP."""
    if extension == "jpg":
        return jpeg_hides_more(data)
    if extension == "png":
        return bool(image.text)  # tEXt, zTXt, iTXt: ImageMagick keeps XMP and IPTC in "Raw profile type …"
    riff_end = 8 + int.from_bytes(data[4:8], "little")
    return len(data) > riff_end or any(kind not in WEBP_CHUNKS for kind in webp_chunks(data))


# JPEG segments a copy may keep as they are: JFIF (APP0), ICC profile (APP2), Adobe's colour transform (APP14)
KEPT_SEGMENTS = frozenset({0xE0, 0xE2, 0xEE})
EXIF_HEADER = b"Exif\0\0"
XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\0"
# WebP chunks Pillow reads; a copy keeps only the image and what is asked for of the rest
WEBP_CHUNKS = frozenset({b"VP8X", b"VP8 ", b"VP8L", b"ALPH", b"ANIM", b"ANMF", b"ICCP", b"EXIF", b"XMP "})


def jpeg_hides_more(data: bytes) -> bool:
    """Whether a JPEG holds what Pillow does not read as its EXIF or XMP: a second EXIF
    segment, extended XMP, IPTC (APP13), a maker's segment, a comment, or bytes after
    its picture (an MPO's second picture with its own EXIF, a phone's trailer)."""
    exifs, at = 0, 2
    while at + 4 <= len(data) and data[at] == 0xFF:
        marker, length = data[at + 1], int.from_bytes(data[at + 2 : at + 4], "big")
        if marker == 0xFF:  # a fill byte before a marker
            at += 1
            continue
        if marker == 0xDA:  # the scans, which only the end marker (EOI) can end
            end = data.find(b"\xff\xd9", at + 2 + length)
            return end >= 0 and bool(data[end + 2 :].strip(b"\0"))
        payload = data[at + 4 : at + 2 + length]
        if marker == 0xE1:
            exifs += payload.startswith(EXIF_HEADER)
            if exifs > 1 or not payload.startswith((EXIF_HEADER, XMP_HEADER)):
                return True
        elif (0xE0 <= marker <= 0xEF and marker not in KEPT_SEGMENTS) or marker == 0xFE:
            return True
        at += 2 + length
    return True  # its segments do not lead to its picture: not known to hold nothing else


def saved_again(image, data: bytes, extension: str, exif: bytes) -> bytes:
    out = io.BytesIO()
    options: dict = {"exif": exif}
    if image.info.get("icc_profile"):
        options["icc_profile"] = image.info["icc_profile"]
    if extension == "jpg":
        from PIL.JpegImagePlugin import get_sampling

        options.update(qtables=image.quantization, subsampling=get_sampling(image), comment=b"",
                       progressive=bool(image.info.get("progressive")))
    elif extension == "webp":
        options.update(lossless=lossless_webp(data), quality=100, exact=True)
    if getattr(image, "n_frames", 1) > 1 and extension != "jpg":  # an animated PNG or WebP stays animated
        options["save_all"] = True
    image.save(out, FORMATS[extension], **options)
    return out.getvalue()


def lossless_webp(data: bytes) -> bool:
    """Whether a WebP's image data is lossless: its first image chunk is VP8L, not VP8."""
    for kind in webp_chunks(data):
        if kind in (b"VP8L", b"VP8 "):
            return kind == b"VP8L"
    return False


def webp_chunks(data: bytes):
    """The kind of each top-level chunk of a WebP, to the end of its RIFF data."""
    at, end = 12, min(len(data), 8 + int.from_bytes(data[4:8], "little"))
    while at + 8 <= end:
        size = int.from_bytes(data[at + 4 : at + 8], "little")
        yield data[at : at + 4]
        at += 8 + size + (size & 1)


# The extensions a GIF keeps: graphic control (a frame's delay, disposal, transparency), plain
# text, and the one application extension that says how often an animation loops
GIF_DRAWING = frozenset({0xF9, 0x01})
GIF_LOOPS = (b"NETSCAPE2.0", b"ANIMEXTS1.0")


def gif_without_metadata(data: bytes) -> bytes:
    """A GIF's blocks in order, without application extensions (XMP, ICC, a maker's) other
    than the loop count, comments or unknown extensions, ending at its trailer; unchanged
    when it held none of them.  One walk over its blocks, each skipped by its lengths."""
    if len(data) < 13:
        raise LocationKept("its location data could not be removed (a GIF cut short)")
    at = 13 + colour_table(data[10])  # header, screen, global colours
    kept = [data[:at]]
    while at < len(data):
        start = data[at]
        if start == 0x3B:  # the trailer
            kept.append(b"\x3b")
            return b"".join(kept)
        if start == 0x21 and at + 1 < len(data):  # an extension: its label, then sub-blocks
            label, end = data[at + 1], sub_blocks_end(data, at + 2)
            if label in GIF_DRAWING or (label == 0xFF and data[at + 3 : at + 14] in GIF_LOOPS):
                kept.append(data[at:end])
        elif start == 0x2C and at + 10 <= len(data):  # an image: descriptor, local colours, LZW size, data
            end = sub_blocks_end(data, at + 10 + colour_table(data[at + 9]) + 1)
            kept.append(data[at:end])
        else:
            break
        at = end
    raise LocationKept("its location data could not be removed (a GIF whose blocks do not lead to its end)")


def colour_table(flags: int) -> int:
    """The size of the colour table a GIF's screen or image descriptor flags announce."""
    return 3 << ((flags & 7) + 1) if flags & 0x80 else 0


def sub_blocks_end(data: bytes, at: int) -> int:
    """Where the sub-blocks starting at ``at`` end, after their zero-length terminator."""
    while at < len(data):
        size = data[at]
        at += 1 + size
        if size == 0:
            return at
    raise LocationKept("its location data could not be removed (a GIF cut short)")
