"""What kind of attachment a file is, from its name's extension or its MIME type.

For exports that name files without saying what they are (DiscordChatExporter,
Slack, signal-export); the name is only looked at, never opened.
"""

from __future__ import annotations

EXTENSIONS = {
    **dict.fromkeys(("jpg", "jpeg", "png", "gif", "webp", "heic", "bmp", "tif", "tiff", "apng", "avif"), "image"),
    **dict.fromkeys(("mp4", "mov", "webm", "mkv", "mpeg", "3gp", "qt", "m4v"), "video"),
    **dict.fromkeys(("mp3", "ogg", "opus", "m4a", "aac", "wav", "flac"), "audio"),
}
MIME_KINDS = {"image": "image", "video": "video", "audio": "audio"}


def kind_of_name(name: str) -> str:
    """``image``, ``video``, ``audio`` by the name's extension, else ``file``."""
    stem, dot, extension = name.rpartition(".")
    return EXTENSIONS.get(extension.lower(), "file") if dot else "file"


def kind_of_mime(mimetype: str, name: str = "") -> str:
    """By the MIME type's top level (`image/png`), else by the name."""
    return MIME_KINDS.get(mimetype.partition("/")[0].lower()) or kind_of_name(name)


def last_part(path: str) -> str:
    """A file's name from a path as an export writes it (`/`, or `\\` on Windows)."""
    return path.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]


def one_line(text: str) -> str:
    """A name or note for a mark line, as the `.chat` writer writes it: line ends
    as spaces, NUL as its sign, no spaces at the ends."""
    return text.replace("\r", " ").replace("\n", " ").replace("\x00", "\u2400").strip()
