"""From a file or text in any supported format to an unlinked Conversation.

Which format: the caller's choice, else the file name (`*.whatsapp.txt`),
else a `Format:` key in a `.chat` header, else our own chat format.  A
`.chat` file with `Format:` holds the export below its header, or names it
with `Source:` (a file, or a Slack channel folder, beside the `.chat` file),
which may read only inside a root folder: see `pelican_chatlog.sources`.
"""

from __future__ import annotations

import codecs
import datetime
import os

from .readers import FORMATS, format_for_path
from .model import ChatlogError, Conversation
from .readers.chat import read_chat
from .readers.header import Header, apply_header, read_header, style_imported_speakers
from .readers.lines import split_lines
from .readers.sources import DEFAULT_MAX_SOURCE_BYTES, SourceFolder, SourceRefused

CHAT = "chat"
CHAT_OPTIONS = ("speakers", "me", "timestamps")  # the rest are importers' options


def decode(data: bytes, path: str | None = None) -> str:
    """Bytes as text, or an error naming the first byte that is not UTF-8."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ChatlogError("this file is UTF-16 text; save it as UTF-8", line=1, path=path)
    nul = data.find(b"\x00")
    if nul >= 0:
        raise ChatlogError(
            f"this looks like a binary file, not text: NUL byte at offset {nul}",
            line=data.count(b"\n", 0, nul) + 1,
            path=path,
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ChatlogError(
            f"not UTF-8 text: byte 0x{data[error.start]:02x} at offset {error.start} "
            "cannot be decoded (save the file as UTF-8)",
            line=data.count(b"\n", 0, error.start) + 1,
            path=path,
        ) from None


def read_file(
    path: str,
    *,
    format: str | None = None,
    root: str | None = None,
    max_source_bytes: int = DEFAULT_MAX_SOURCE_BYTES,
    **options,
) -> Conversation:
    """A chat post or an export on disk; errors name the file.

    A `Source:` in its header reads only inside ``root``: by default the
    file's own folder (for a folder export, the folder around it, where
    Slack keeps `users.json`).
    """
    try:
        if os.path.isdir(path):
            files = SourceFolder(root or os.path.dirname(os.path.abspath(path)), max_source_bytes)
            return read_folder(path, format or "slack", files=files, **options)
        with open(path, "rb") as source:
            text = decode(source.read(), path)
        base_dir = os.path.dirname(path) or "."
        return read_text(
            text, format=format or format_for_path(path), base_dir=base_dir, root=root or base_dir,
            max_source_bytes=max_source_bytes, **options,
        )
    except ChatlogError as error:
        raise error if error.path else error.located(path) from None


def read_folder(path: str, format: str, **options) -> Conversation:
    importer = known_format(format)
    if importer.read_folder is None:
        raise ChatlogError(f"{importer.title} exports are files, not folders", path=path)
    return importer.read_folder(path, **options)


def known_format(name: str, line: int | None = None):
    importer = FORMATS.get(name.lower())
    if importer is None:
        raise ChatlogError(
            f"unknown format {name!r} (known: {CHAT}, {', '.join(sorted(FORMATS))})", line=line
        )
    return importer


def read_text(
    text: str,
    *,
    format: str | None = None,
    base_dir: str | None = None,
    root: str | None = None,
    max_source_bytes: int = DEFAULT_MAX_SOURCE_BYTES,
    **options,
) -> Conversation:
    """Text in the given format, or a `.chat` post that may wrap an export.

    A `Source:` resolves from ``base_dir`` (the post's folder, else ``root``)
    and reads only inside ``root``; with neither, none is read.
    """
    if format not in (None, CHAT):
        return known_format(format).read(text, **options)
    lines = split_lines(text)
    header = read_header(lines)
    declared = header.values.get("format", CHAT).strip().lower()
    if format == CHAT or declared == CHAT:
        return read_chat(lines, header=header, **{key: options[key] for key in CHAT_OPTIONS if key in options})
    importer = known_format(declared, header.lines["format"])
    files = SourceFolder(root or base_dir, max_source_bytes) if root or base_dir else None
    conversation = read_wrapped(importer, header, lines, base_dir or root, files, options)
    apply_header(conversation, header)
    style_imported_speakers(conversation, header)
    return conversation


def read_wrapped(importer, header: Header, lines: list[str], base_dir, files, options) -> Conversation:
    """The export a `.chat` header introduces: below it, or in its `Source:`."""
    options = {**options, **header_import_options(header)}
    body = lines[header.end :]
    source = header.values.get("source")
    if source is None:
        conversation = importer.read("\n".join(body), **options)
        for item in conversation.items:
            item.line += header.end
            for quote in getattr(item, "quotes", ()):
                quote.line += header.end
        for problem in conversation.problems:
            problem.line = problem.line and problem.line + header.end
        return conversation
    if any(line.strip() for line in body):
        raise ChatlogError(
            "give the export either below the header or in `Source:`, not both",
            line=header.end + 1,
        )
    line = header.lines["source"]
    if files is None:
        raise ChatlogError(
            f"`Source: {source}` cannot be read: this chat was not read from a file, so there is "
            "no folder to read it from (give parse() a root= folder)",
            line=line,
        )
    path = os.path.join(base_dir, source)
    try:
        files.check(path)
        if not os.path.exists(path):
            raise ChatlogError(f"`Source: {source}` does not exist (looked for {path})", line=line)
        conversation = read_source(path, importer, files, options)
    except SourceRefused as refused:
        raise ChatlogError(f"`Source: {source}` cannot be read: {refused.message}", line=line) from None
    for problem in conversation.problems:
        problem.path = problem.path or path
    return conversation


def read_source(path: str, importer, files: SourceFolder, options) -> Conversation:
    """The export a `Source:` names, every file of it read through ``files``."""
    try:
        if os.path.isdir(path):
            return read_folder(path, importer.name, files=files, **options)
        return importer.read(decode(files.read_bytes(path), path), **options)
    except SourceRefused:
        raise
    except ChatlogError as error:
        raise error if error.path else error.located(path) from None


def header_import_options(header: Header) -> dict:
    options = {}
    day_first = header.yes_no("day-first")
    if day_first is not None:
        options["day_first"] = day_first
    if "chat" in header.values:
        options["chat"] = header.values["chat"]
    return options


def header_date(conversation: Conversation) -> datetime.datetime | None:
    """The header's `Date:` in ISO form: what resolves `Tue 6:02 PM` outside Pelican."""
    value = conversation.metadata.get("date")
    if value is None:
        return None
    try:
        return datetime.datetime.fromisoformat(value.strip())
    except ValueError:
        raise ChatlogError(
            f"`Date: {value}` is not a date (write it as 2024-03-05 or 2024-03-05 18:00)",
            line=conversation.header_lines.get("date"),
        ) from None
