"""An export packed in a zip (WhatsApp's "Export chat → Attach media"), read in place.

The zip and every name in it are chat data, so not trusted.  The zip is
opened through a SourceFolder (inside the content folder, a regular file).
Only members at its top level are looked at, where WhatsApp puts the chat
and its files; a name holding a folder, `..`, or a control character is
never read, and nothing is ever written under a member's name.  A member is
read only when asked for by its exact name, never more than ``max_bytes``
of it and never more than ``max_bytes`` over all members read from one
archive: its declared size is checked before anything is decompressed, and
decompressing stops at that size (zipfile checks the CRC at its end), so a
zip bomb costs no more than the bound.  Only stored and deflated members
are read (what WhatsApp writes): zipfile inflates those no further than
asked, but decompresses a bzip2 or LZMA member a whole chunk at a time,
and under a kilobyte of bzip2 comes out as gigabytes.
"""

from __future__ import annotations

import zipfile
import zlib

from .sources import SourceFolder, SourceRefused

# what a damaged, encrypted or strangely compressed member raises while it is read
READ_ERRORS = (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError, ValueError, zlib.error)
# the compression methods whose output zipfile bounds by the size read
READ_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflated"}


def top_level(name: str) -> bool:
    """A member name that is a plain file name: no folder, no `..`, no control character."""
    return (bool(name) and name not in (".", "..") and "/" not in name and "\\" not in name
            and not any(ord(c) < 32 or c == "\x7f" for c in name))


class Archive:
    """One zip export, open for reading its top-level members by name."""

    def __init__(self, path: str, files: SourceFolder):
        self.path = path
        self.left = files.max_bytes  # what may still be read from it, over all its members
        self.max_bytes = files.max_bytes
        self.file = file = files.open(path)
        try:
            self.zip = zipfile.ZipFile(file)
        except READ_ERRORS as error:
            file.close()
            raise SourceRefused(f"{path} is not a zip archive that can be read ({error})") from None
        seen: dict[str, zipfile.ZipInfo | None] = {}
        for info in self.zip.infolist():
            if top_level(info.filename):
                seen[info.filename] = None if info.filename in seen else info  # twice: which one is meant?
        self.members = seen

    def names(self) -> list[str]:
        return list(self.members)

    def __contains__(self, name: str) -> bool:
        return name in self.members

    def read(self, name: str) -> bytes:
        """The member of that exact name, read within the bounds; SourceRefused otherwise."""
        where = f"{name} in {self.path}"
        if name not in self.members:
            raise SourceRefused(f"{where} does not exist")
        info = self.members[name]
        if info is None:
            raise SourceRefused(f"{where} is in the zip twice")
        if info.compress_type not in READ_METHODS:
            raise SourceRefused(f"{where} is compressed by method {info.compress_type}; only stored and deflated "
                                "members are read")
        bound = min(self.max_bytes, self.left)
        if info.file_size > bound:
            raise SourceRefused(
                f"{where} is {info.file_size} bytes, more than the {bound} bytes that may still be read "
                f"from the zip (CHATLOG_MAX_SOURCE_BYTES, per file and per zip, sets the limit)")
        try:
            with self.zip.open(info) as member:
                data = member.read(info.file_size + 1)
        except READ_ERRORS as error:
            raise SourceRefused(f"{where} cannot be read ({error})") from None
        if len(data) != info.file_size:
            raise SourceRefused(f"{where} is not the size its zip entry says")
        self.left -= len(data)
        return data

    def close(self) -> None:
        self.zip.close()
        self.file.close()  # a ZipFile leaves a file it was given open

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
