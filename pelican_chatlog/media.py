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
image, from a short allowlist for other files, else ``bin``.  A JPEG, PNG
or WebP loses its location first (photo_location); the name is the digest
of what is served.  Its :class:`~pelican_chatlog.model.Attachment` gets
``url``, ``size`` and, for an image, ``width`` and ``height``: plain data
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
from collections.abc import Iterable
from typing import NamedTuple
from urllib.parse import unquote

from .model import Attachment, Message
from .photo_location import LocationKept, without_location
from .readers import FORMATS, format_for_path
from .readers.archive import Archive, is_archive, top_level
from .readers.format import Format
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

    def __init__(self, files: SourceFolder, url_of=lambda name: f"{MEDIA_FOLDER}/{name}"):
        self.files = files
        self.url_of = url_of
        self.copies: dict[str, Copy] = {}
        self.warnings: list[str] = []

    def resolve(self, messages: Iterable[Message], folder: str) -> None:
        """Give each attachment whose file is present beside the export (in ``folder``,
        or in the zip ``folder`` names) its url."""
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
            self.warnings.append(f"the attachments are shown as placeholders: {refused.message}")
            return
        with archive:
            for attachment, line in attached:
                self.attach(attachment, line, self.in_archive(attachment, archive, line))

    def refused(self, attachment: Attachment, line: int, why: str) -> None:
        self.warnings.append(f"line {line}: attachment {attachment.file!r} shown as a placeholder: {why}")

    def in_folder(self, attachment: Attachment, folder: str, line: int) -> tuple[bytes, str, str] | None:
        """(its bytes, its real path, "") for a file below ``folder``; None when absent or refused."""
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
        try:
            return self.files.read_bytes(path), os.path.realpath(path), ""
        except SourceRefused as refused:
            self.refused(attachment, line, refused.message)
            return None

    def in_archive(self, attachment: Attachment, archive: Archive, line: int) -> tuple[bytes, str, str] | None:
        """(its bytes, the zip's real path, the member) for a file at the zip's top level."""
        if not top_level(attachment.file):
            self.refused(attachment, line, "it is not a file name at the top of the zip")
            return None
        if attachment.file not in archive:
            return None
        try:
            return archive.read(attachment.file), os.path.realpath(archive.path), attachment.file
        except SourceRefused as refused:
            self.refused(attachment, line, refused.message)
            return None

    def attach(self, attachment: Attachment, line: int, found: tuple[bytes, str, str] | None) -> None:
        if found is None:
            return
        data, source, member = found
        image = image_size(data)
        try:
            served = without_location(data, image[0]) if image else data
        except LocationKept as kept:
            self.refused(attachment, line, str(kept))
            return
        digest = hashlib.sha256(served).hexdigest()
        shown = image is not None and attachment.kind in SHOWN_KINDS
        if shown:
            assert image is not None
            extension, attachment.width, attachment.height = image
            if extension == "jpg" and quarter_turned(served):  # a phone held upright: shown turned
                attachment.width, attachment.height = attachment.height, attachment.width
        else:
            extension = posixpath.splitext(attachment.file.replace("\\", "/"))[1][1:].lower()
            extension = extension if extension in FILE_EXTENSIONS else "bin"
        stored = f"{digest[:20]}.{extension}"
        self.copies[stored] = Copy(source, stored, hashlib.sha256(data).hexdigest(), member, digest)
        attachment.url = self.url_of(stored)
        attachment.size = len(served)
        attachment.inline = shown


def copy_into(output: str, copies: Iterable[Copy], files: SourceFolder) -> list[str]:
    """Copy each file to ``<output>/chatlog/media/<name>``; a name is ours, never the export's.

    The media folder must resolve inside the output folder; each copy is
    written beside its place and renamed over it, so a link left there is
    replaced, never followed.  What is written is the source's bytes read
    again, checked against the digest they had when the page was made, then
    cleaned of a photo's location the same way.  Returns the warnings.
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
