"""Photos copied from an export lose where they were taken.

A phone writes the place a photo was taken into it: the EXIF GPS block,
and often again in XMP (`exif:GPSLatitude`, `photoshop:City`).  A JPEG,
PNG or WebP that carries either is saved again through Pillow with its
EXIF minus the GPS block (the orientation and the rest kept, so it still
shows upright) and without XMP or comments; a JPEG keeps its own
quantisation tables and subsampling (``quality="keep"``), a PNG its pixels
exactly, a WebP is lossless when it was.  A photo that carries neither is
copied byte for byte.  The result depends only on the bytes given, so the
copy's digest can be checked again when it is written.
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
                if GPS_IFD not in exif and not has_xmp:
                    return data
                exif.pop(GPS_IFD, None)
                return saved_again(image, data, extension, exif.tobytes() if len(exif) else b"")
    except (OSError, ValueError, SyntaxError, UnidentifiedImageError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as error:
        raise LocationKept(f"its location data could not be removed ({error})") from None


def saved_again(image, data: bytes, extension: str, exif: bytes) -> bytes:
    out = io.BytesIO()
    options: dict = {"exif": exif}
    if image.info.get("icc_profile"):
        options["icc_profile"] = image.info["icc_profile"]
    if extension == "jpg":
        options.update(quality="keep", comment=b"", progressive=bool(image.info.get("progressive")))
    elif extension == "webp":
        options.update(lossless=lossless_webp(data), quality=100, exact=True)
    if getattr(image, "n_frames", 1) > 1 and extension != "jpg":  # an animated PNG or WebP stays animated
        options["save_all"] = True
    image.save(out, FORMATS[extension], **options)
    return out.getvalue()


def lossless_webp(data: bytes) -> bool:
    """Whether a WebP's image data is lossless: its first image chunk is VP8L, not VP8."""
    at = 12
    while at + 8 <= len(data):
        kind, size = data[at : at + 4], int.from_bytes(data[at + 4 : at + 8], "little")
        if kind in (b"VP8L", b"VP8 "):
            return kind == b"VP8L"
        at += 8 + size + (size & 1)
    return False
