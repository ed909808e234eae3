"""An export's files on the site: which ones may be shown, and under what name.

Exports name the files they were saved with (WhatsApp's `<attached: …>`
beside `_chat.txt` or in its zip, Telegram's `photos/…` beside
`result.json`, DiscordChatExporter's `….json_Files\\…`, slackdump's
`__uploads/…`).  That name is chat data, so not trusted: it is never used
as a path to write, and read only when it is a plain relative name below
the export's folder (for a zip: a name at its top level, see
readers.archive) that stays inside the site's content folder once symlinks
are resolved (one :class:`~pelican_chatlog.readers.sources.SourceFolder`
does the reading: regular files only, never more than
CHATLOG_MAX_SOURCE_BYTES).

A file that passes gets a name we choose, ``chatlog/media/<sha256>.<ext>``,
the extension taken from what the bytes are (PNG, JPEG, GIF, WebP) for an
image, from a short allowlist for other files, else ``bin``.  A JPEG, PNG,
WebP or GIF loses its location first (photo_location); the name is the
digest of what is served.  A file that may say where it was taken in a way
we cannot take out (HEIC, AVIF, TIFF, video: see ``location_kind``) is not
copied unless the site allows it (CHATLOG_COPY_UNCLEANED_MEDIA): it keeps
its placeholder, with its size.  Its :class:`~pelican_chatlog.model.Attachment`
gets ``url``, ``size`` and, for an image, ``width`` and ``height``: plain data
the renderer writes out.  The Pelican glue copies the files into the output
folder.  Nothing here imports Pelican.
"""

from __future__ import annotations

import hashlib
import io
import os
import posixpath
import re
import struct
from collections.abc import Callable, Iterable
from typing import NamedTuple
from urllib.parse import unquote

from .model import Attachment, Message, format_location
from .photo_location import LocationKept, without_location
from .readers import FORMATS, format_for_path
from .readers.archive import Archive, top_level
from .readers.format import Format, is_archive
from .readers.sources import SourceFolder, SourceRefused

MEDIA_FOLDER = "chatlog/media"
SHOWN_KINDS = ("image", "sticker")  # kinds shown inline when their bytes are an image a browser shows
# Other files keep their extension only when it is one of these (lower case);
# nothing a browser would run as a page (html, svg, xml, js) is here.
FILE_EXTENSIONS = frozenset({
    "pdf", "txt", "csv", "zip", "7z", "gz", "mp4", "m4v", "mov", "webm", "3gp", "mkv", "mp3", "m4a", "ogg",
    "oga", "opus", "wav", "flac", "aac", "heic", "heif", "avif", "bmp", "tiff", "jpg", "jpeg", "png", "gif",
    "webp", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "epub", "tgs",
})


CLEANED = "cleaned"  # photo_location takes its location out
CARRIES_NONE = "carries none"  # its format has no field a phone or camera writes a location to
HEIF_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif", b"avis"})
QUICKTIME_ATOMS = frozenset({b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"})


def iso_media(data: bytes) -> bool:
    """Whether ``data`` is ISO media: it begins with an `ftyp` box, or (an old QuickTime
    file) with another top-level atom whose size fits the file (0: to its end, 1: 64-bit)."""
    size = int.from_bytes(data[:4], "big")
    return data[4:8] == b"ftyp" or (data[4:8] in QUICKTIME_ATOMS and (size in (0, 1) or 8 <= size <= len(data)))


# Formats that can hold where they were taken in metadata Pillow cannot take out: ISO media
# (HEIC, HEIF, AVIF, MP4, MOV, 3GP, M4A: QuickTime's `©xyz` atom, the
# `com.apple.quicktime.location.ISO6709` key, a HEIF's EXIF item, XMP), TIFF and the raw
# formats built on it (a GPS IFD), Matroska and WebM (tags), AVI (EXIF-like chunks).
# Known by their first bytes, and by their name too (bytes we do not recognise, under a
# name that says one of them).
UNCLEANABLE_BYTES: tuple[tuple[str, Callable[[bytes], bool]], ...] = (
    ("an HEIC, HEIF or AVIF image", lambda data: data[4:8] == b"ftyp" and data[8:12] in HEIF_BRANDS),
    ("an MP4 or QuickTime file", iso_media),
    ("a TIFF image", lambda data: data[:4] in (b"II*\0", b"MM\0*", b"II+\0", b"MM\0+")),
    ("a Matroska or WebM video", lambda data: data.startswith(b"\x1a\x45\xdf\xa3")),
    ("an AVI video", lambda data: data[:4] == b"RIFF" and data[8:12] == b"AVI "),
)
UNCLEANABLE_EXTENSIONS = {
    "heic": "an HEIC image", "heif": "an HEIF image", "hif": "an HEIF image", "avif": "an AVIF image",
    "tif": "a TIFF image", "tiff": "a TIFF image", "dng": "a DNG photo", "jxl": "a JPEG XL image",
    "mp4": "an MP4 video", "m4v": "an MP4 video", "m4a": "an MP4 audio file", "mov": "a QuickTime video",
    "qt": "a QuickTime video", "3gp": "a 3GP video", "3g2": "a 3GP video", "mkv": "a Matroska video",
    "webm": "a WebM video", "avi": "an AVI video",
}


def location_kind(data: bytes, name: str) -> str:
    """The one place that decides what becomes of where a file was taken: CLEANED (a JPEG,
    PNG, WebP or GIF, by its bytes), CARRIES_NONE (PDF, office documents, MP3, Ogg/Opus and
    other audio, text, archives: no location field; a photo embedded in one is not opened),
    else the kind of file whose location we cannot take out ("a TIFF image")."""
    if image_size(data):
        return CLEANED
    for kind, is_it in UNCLEANABLE_BYTES:
        if is_it(data):
            return kind
    extension = posixpath.splitext(name.replace("\\", "/"))[1][1:].lower()
    return UNCLEANABLE_EXTENSIONS.get(extension, CARRIES_NONE)


# A contact shared in the chat (WhatsApp's `<attached: 00000034-Dana Okafor.vcf>`): never
# copied, whatever privacy hides on the page, the card would show in full
CONTACT_CARDS = (".vcf", ".vcard")
CONTACT_CARD_NAME = "contact card"


def is_contact_card(file: str) -> bool:
    return file.lower().endswith(CONTACT_CARDS)


class Copy(NamedTuple):
    """A file to copy: from its real path in the content folder (or ``member`` of the zip
    there), to ``name`` inside the media folder of the output, if its bytes still hash to
    ``digest``; what is written (a photo without its location) hashes to ``served``."""

    source: str
    name: str
    digest: str
    member: str = ""
    served: str = ""


def image_size(data: bytes) -> tuple[str, int, int] | None:
    """(extension, width, height) of a PNG, JPEG, GIF or WebP, from its header; else None.

    Width or height is 0 where the header does not say.  Reads a bounded
    walk of the header: JPEG segments are skipped by their lengths.
    """
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24]) if len(data) >= 24 else (0, 0)
        return "png", width, height
    if data[:6] in (b"GIF87a", b"GIF89a"):
        width, height = struct.unpack("<HH", data[6:10]) if len(data) >= 10 else (0, 0)
        return "gif", width, height
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ("webp", *webp_size(data))
    if data[:3] == b"\xff\xd8\xff":
        return ("jpg", *jpeg_size(data))
    return None


def webp_size(data: bytes) -> tuple[int, int]:
    chunk = data[12:16]
    if chunk == b"VP8X" and len(data) >= 30:
        return 1 + int.from_bytes(data[24:27], "little"), 1 + int.from_bytes(data[27:30], "little")
    if chunk == b"VP8 " and len(data) >= 30 and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and len(data) >= 25 and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    return 0, 0


# Start-of-frame markers, the ones that carry the image's size
ORIENTATION = 0x0112  # the EXIF tag
JPEG_FRAMES = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})


def jpeg_size(data: bytes) -> tuple[int, int]:
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return 0, 0
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD8)):  # markers without a length
            at += 2
            continue
        if marker in (0xD9, 0xDA):  # end of image, start of scan: no frame header before it
            return 0, 0
        length = int.from_bytes(data[at + 2 : at + 4], "big")
        if marker in JPEG_FRAMES and at + 9 <= len(data):
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return width, height
        if length < 2:
            return 0, 0
        at += 2 + length
    return 0, 0


def quarter_turned(data: bytes) -> bool:
    """Whether a JPEG's EXIF orientation (5 to 8) has browsers show it turned a quarter,
    so its width and height swap places; every browser honours it in a JPEG."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data), formats=["JPEG"]) as image:
            return image.getexif().get(ORIENTATION, 1) in (5, 6, 7, 8)
    except (OSError, ValueError, SyntaxError):
        return False


WEB_ADDRESS = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


def relative_name(file: str) -> str | None:
    """The export's note as a relative path below its folder, or None when it
    is absolute, climbs (`..`), names a drive, or holds a control character."""
    name = file.replace("\\", "/")
    if not name or name.startswith("/") or any(ord(c) < 32 or c == "\x7f" for c in name):
        return None
    parts = name.split("/")
    if ":" in parts[0] or any(part == ".." for part in parts):
        return None
    return "/".join(part for part in parts if part not in ("", ".")) or None


def export_folder(path: str, importer: Format | None = None) -> str:
    """Where the file notes of the export at ``path`` (a file, a folder or a zip) are looked up:
    its folder, the zip itself, or where its format keeps its files (a Slack workspace)."""
    if importer is not None and importer.media_folder is not None:
        return importer.media_folder(path)
    if is_archive(path) or os.path.isdir(path):
        return path
    return os.path.dirname(os.path.abspath(path))


def lines_file(post_path: str, metadata: dict) -> str:
    """The file a post's message lines are counted in: the post's own, or the export its `Source:` names."""
    source = metadata.get("source")
    return os.path.join(os.path.dirname(post_path), source.strip()) if source is not None else post_path


def files_folder(post_path: str, metadata: dict) -> str:
    """Where the files a post's chat names are looked up: beside the post (a `.chat`
    file, an export, a Markdown post's ```chat block), or beside the export its
    `Source:` names (in its zip, in its Slack workspace)."""
    path, importer = post_path, FORMATS.get(format_for_path(post_path) or "")
    source = metadata.get("source")
    if source is not None:
        path = os.path.join(os.path.dirname(os.path.abspath(post_path)), source.strip())
        importer = FORMATS.get(metadata.get("format", "").strip().lower())
    return export_folder(path, importer)


class MediaFolder:
    """Resolves a conversation's attachments to the copies a site would serve.

    ``files`` reads only inside the content folder; ``url_of`` makes the
    site's link to a media name (e.g. Pelican's ``{filename}`` link).
    Whatever is refused is said in ``warnings`` and keeps its placeholder.
    """

    def __init__(self, files: SourceFolder, url_of=lambda name: f"{MEDIA_FOLDER}/{name}", copy_uncleaned=False):
        self.files = files
        self.url_of = url_of
        self.copy_uncleaned = copy_uncleaned  # copy files whose location we cannot take out, as they are
        self.copies: dict[str, Copy] = {}
        self.warnings: list[str] = []  # `file:line: message`, as every problem is logged
        self.lines_in = ""  # the file the messages being resolved are numbered in
        self.served: dict[tuple[str, str], Served | Held | str] = {}  # by (real path, member): what it is served as

    def resolve(self, messages: Iterable[Message], folder: str, lines_in: str = "") -> None:
        """Give each attachment whose file is present beside the export (in ``folder``,
        or in the zip ``folder`` names) its url; ``lines_in`` is the file the messages'
        lines count in (see lines_file), named by the warnings."""
        self.lines_in = lines_in
        attached = [(attachment, message.line) for message in messages for attachment in message.attachments
                    if attachment.file and not WEB_ADDRESS.match(attachment.file)]
        for attachment, line in attached:
            if is_contact_card(attachment.file):
                self.refused(attachment, line, "a contact card holds a person's name and phone numbers")
                attachment.name = CONTACT_CARD_NAME  # the app names the card after the person
        attached = [(attachment, line) for attachment, line in attached if not is_contact_card(attachment.file)]
        if not attached:
            return
        if not is_archive(folder):
            for attachment, line in attached:
                self.attach(attachment, line, self.in_folder(attachment, folder, line))
            return
        try:
            archive = Archive(folder, self.files)
        except SourceRefused as refused:
            self.warnings.append(format_location(self.lines_in, None,
                                                 f"the attachments are shown as placeholders: {refused.message}"))
            return
        with archive:
            for attachment, line in attached:
                self.attach(attachment, line, self.in_archive(attachment, archive, line))

    def refused(self, attachment: Attachment, line: int, why: str) -> None:
        self.warnings.append(format_location(self.lines_in, line,
                                             f"attachment {attachment.file!r} shown as a placeholder: {why}"))

    def in_folder(self, attachment: Attachment, folder: str, line: int) -> Found | None:
        """Where a file below ``folder`` is (its real path, ""), and how to read it; None when absent or refused."""
        name = relative_name(attachment.file)
        if name is None:
            self.refused(attachment, line, "it is not a file name below the export's folder")
            return None
        path = os.path.join(folder, *name.split("/"))
        if not os.path.lexists(path) and "%" in name:
            unquoted = relative_name(unquote(name))  # DiscordChatExporter writes its media paths URL-encoded
            if unquoted is None:
                return None
            path = os.path.join(folder, *unquoted.split("/"))
        if not os.path.lexists(path):
            return None  # an export without its files: the placeholder says what was sent
        return Found(os.path.realpath(path), "", lambda: self.files.read_bytes(path))

    def in_archive(self, attachment: Attachment, archive: Archive, line: int) -> Found | None:
        """Where a file at the zip's top level is (the zip's real path, the member), and how to read it."""
        if not top_level(attachment.file):
            self.refused(attachment, line, "it is not a file name at the top of the zip")
            return None
        if attachment.file not in archive:
            return None
        return Found(os.path.realpath(archive.path), attachment.file, lambda: archive.read(attachment.file))

    def attach(self, attachment: Attachment, line: int, found: Found | None) -> None:
        if found is None:
            return
        # read and cleaned once, however many messages name it (a sticker sent again and again)
        key = (found.source, found.member)
        first = key not in self.served
        if first:
            self.served[key] = served_file(found.read, attachment.file, self.copy_uncleaned)
        served = self.served[key]
        if isinstance(served, str):
            self.refused(attachment, line, served)
            return
        if isinstance(served, Held):
            attachment.size = served.size  # the placeholder says how large it is
            if first:  # one warning a file, however many messages name it
                self.refused(attachment, line, f"it is {served.kind}, which can hold where it was taken in a way "
                             "pelican-chatlog cannot remove; CHATLOG_COPY_UNCLEANED_MEDIA = True copies such "
                             "files as they are")
            return
        image = served.image
        shown = image is not None and attachment.kind in SHOWN_KINDS
        if shown:
            assert image is not None
            extension, attachment.width, attachment.height = image
            if served.turned:  # a phone held upright: shown turned
                attachment.width, attachment.height = attachment.height, attachment.width
        else:
            extension = posixpath.splitext(attachment.file.replace("\\", "/"))[1][1:].lower()
            extension = extension if extension in FILE_EXTENSIONS else "bin"
        stored = f"{served.served[:20]}.{extension}"
        self.copies[stored] = Copy(found.source, stored, served.digest, found.member, served.served)
        attachment.url = self.url_of(stored)
        attachment.size = served.size
        attachment.inline = shown


class Found(NamedTuple):
    """A file an attachment names: its real path (or its zip's), its member in the zip, how to read it."""

    source: str
    member: str
    read: Callable[[], bytes]


class Served(NamedTuple):
    """What a file comes to on the site: its image header, whether its EXIF shows it turned a
    quarter, the size and digest of what is served, and the digest of the file as read."""

    image: tuple[str, int, int] | None
    turned: bool
    size: int
    served: str
    digest: str


class Held(NamedTuple):
    """A file not copied: what kind it is, which may say where it was taken, and its size."""

    kind: str
    size: int


def served_file(read: Callable[[], bytes], name: str, copy_uncleaned: bool = False) -> Served | Held | str:
    """The file as it is served (a photo without its location), or held back, or why it is not served."""
    try:
        data = read()
    except SourceRefused as refused:
        return refused.message
    kind = location_kind(data, name)
    if kind not in (CLEANED, CARRIES_NONE) and not copy_uncleaned:
        return Held(kind, len(data))
    image = image_size(data)
    try:
        served = without_location(data, image[0]) if image else data
    except LocationKept as kept:
        return str(kept)
    turned = image is not None and image[0] == "jpg" and quarter_turned(served)
    return Served(image, turned, len(served), hashlib.sha256(served).hexdigest(), hashlib.sha256(data).hexdigest())


def copy_into(output: str, copies: Iterable[Copy], files: SourceFolder, copy_uncleaned: bool = False) -> list[str]:
    """Copy each file to ``<output>/chatlog/media/<name>``; a name is ours, never the export's.

    The media folder must resolve inside the output folder; each copy is
    written beside its place and renamed over it, so a link left there is
    replaced, never followed.  What is written is the source's bytes read
    again, checked against the digest they had when the page was made, then
    cleaned of a photo's location the same way; a file whose location cannot be
    taken out is copied only when ``copy_uncleaned`` (a post read from Pelican's
    cache may have been made with the setting on).  Returns the warnings.
    """
    warnings: list[str] = []
    root = os.path.realpath(output)
    folder = os.path.join(root, *MEDIA_FOLDER.split("/"))
    os.makedirs(folder, exist_ok=True)
    real = os.path.realpath(folder)
    if not real.startswith(os.path.join(root, "")):
        return [f"{folder} resolves outside the output folder {root}: no media copied"]
    archives: dict[str, Archive] = {}
    try:
        for copy in copies:
            target = os.path.join(real, copy.name)
            served = copy.served or copy.digest
            if os.path.isfile(target) and not os.path.islink(target) and os.path.getsize(target) > 0:
                with open(target, "rb") as existing:
                    if hashlib.sha256(existing.read()).hexdigest() == served:
                        continue
            where = f"{copy.member} in {copy.source}" if copy.member else copy.source
            try:
                data = read_source(copy, files, archives)
            except SourceRefused as refused:
                warnings.append(f"{where} not copied: {refused.message}")
                continue
            if hashlib.sha256(data).hexdigest() != copy.digest:
                warnings.append(f"{where} changed while the site was built; not copied")
                continue
            kind = location_kind(data, posixpath.basename(copy.member) or os.path.basename(copy.source))
            if kind not in (CLEANED, CARRIES_NONE) and not copy_uncleaned:
                warnings.append(f"{where} not copied: it is {kind}, which can hold where it was taken "
                                "(CHATLOG_COPY_UNCLEANED_MEDIA = True copies such files)")
                continue
            image = image_size(data)
            try:
                data = without_location(data, image[0]) if image else data
            except LocationKept as kept:
                warnings.append(f"{where} not copied: {kept}")
                continue
            if hashlib.sha256(data).hexdigest() != served:
                warnings.append(f"{where} did not come out as it did when the page was made; not copied")
                continue
            partial = f"{target}.{os.getpid()}.part"
            try:
                descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0),
                                     0o644)
                with os.fdopen(descriptor, "wb") as out:
                    out.write(data)
                os.replace(partial, target)
            except OSError as error:
                warnings.append(f"{where} not copied to {target}: {error.strerror}")
    finally:
        for archive in archives.values():
            archive.close()
    return warnings


def read_source(copy: Copy, files: SourceFolder, archives: dict[str, Archive]) -> bytes:
    """A copy's bytes, from its file or its zip (each zip opened once)."""
    if not copy.member:
        return files.read_bytes(copy.source)
    if copy.source not in archives:
        archives[copy.source] = Archive(copy.source, files)
    return archives[copy.source].read(copy.member)
