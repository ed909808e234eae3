"""Reading what a `.chat` header's `Source:` names, and nothing else.

`Source:` is chat data, so not trusted: it may name any path.  Every file
read for it goes through one SourceFolder, which reads only regular files
that are inside one folder (the site's content folder) once symlinks are
resolved, and never more than a set number of bytes of each.
"""

from __future__ import annotations

import os
import stat

from ..model import ChatlogError

DEFAULT_MAX_SOURCE_BYTES = 50 * 1024 * 1024
# Never follow a symlink swapped in after the check; never wait for a FIFO's writer.
OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


class SourceRefused(ChatlogError):
    """A path a Source may not read; the reader says which header line named it."""


class SourceFolder:
    """The folder a Source may read from, and the most it may read of one file."""

    def __init__(self, root: str, max_bytes: int = DEFAULT_MAX_SOURCE_BYTES):
        self.root = os.path.realpath(root)
        self.max_bytes = max_bytes

    def holds(self, path) -> bool:
        real = os.path.realpath(path)
        return real == self.root or real.startswith(os.path.join(self.root, ""))

    def check(self, path) -> str:
        """The path with its symlinks resolved, if that is inside the folder."""
        if "\0" in os.fspath(path):  # no file has one; os.path would raise ValueError, not refuse
            raise SourceRefused(f"{os.fspath(path)!r} holds a NUL character: no file is named so")
        real = os.path.realpath(path)
        if not self.holds(real):
            plain = os.path.abspath(path)
            shown = plain if plain == real else f"{plain} (a link to {real})"
            raise SourceRefused(f"{shown} is outside the content folder {self.root}")
        return real

    def open(self, path):
        """The regular file at ``path``, opened for reading in binary, if the folder holds it."""
        real = self.check(path)
        # Opening a device can have effects of its own, so look before opening,
        # and again at what was opened, in case the path changed in between.
        try:
            regular = stat.S_ISREG(os.stat(real).st_mode)
        except OSError as error:
            raise SourceRefused(f"{path} cannot be read: {error.strerror}") from None
        if not regular:
            raise SourceRefused(f"{path} is not a regular file")
        try:
            descriptor = os.open(real, OPEN_FLAGS)
        except OSError as error:
            raise SourceRefused(f"{path} cannot be read: {error.strerror}") from None
        file = os.fdopen(descriptor, "rb")
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            file.close()
            raise SourceRefused(f"{path} is not a regular file")
        return file

    def read_bytes(self, path) -> bytes:
        with self.open(path) as file:
            data = file.read(self.max_bytes + 1)
        if len(data) > self.max_bytes:
            raise SourceRefused(
                f"{path} is larger than {self.max_bytes} bytes (CHATLOG_MAX_SOURCE_BYTES sets the limit)"
            )
        return data
