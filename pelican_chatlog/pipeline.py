"""The one way in: a chat file or text, read, dated and linked.

Every caller, the API's ``parse()``, the command, the Pelican reader (and
``article.chatlog``) and the ```` ```chat ```` fence, goes through
:func:`read_conversation`: read the text in its format (``readers``), put
its times on a calendar and link its quotes (``link``).  Only what differs
between callers is passed in: where the text came from (its ``path``, and
``first_line`` for a fence inside a post), the folder a ``Source:`` may read
(``root``), and how the post's date is found.

Which format: the caller's choice, else the file name (`*.whatsapp.txt`),
else a `Format:` key in a `.chat` header, else our own chat format.  A
`.chat` file with `Format:` holds the export below its header, or names it
with `Source:` (a file, or a Slack channel folder, beside the `.chat` file),
which may read only inside a root folder: see `readers.sources`.
"""

from __future__ import annotations

import codecs
import contextlib
import datetime
import gc
import os
import re

from collections.abc import Callable, Iterator, Sequence

from .link import link, site_speaker_styles
from .model import ChatlogError, Conversation, Message, Problem
from .privacy import Privacy, hide
from .readers import CHAT, FORMATS, PASTE_FORMATS, format_for_path, format_named
from .readers.format import Format, is_archive
from .readers.header import Header, apply_header, read_header, style_imported_speakers
from .readers.lines import LINE_END, is_blank, split_lines
from .readers.shapes import no_message_in_chat, no_message_in_export
from .readers.sources import DEFAULT_MAX_SOURCE_BYTES, SourceFolder, SourceRefused

CHAT_OPTIONS = ("speakers", "timestamps")  # `me` applies to every format


def decode(data: bytes, path: str | None = None) -> str:
    """Bytes as text, or an error naming the first byte that is not UTF-8."""
    refuse_binary(data, path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ChatlogError(
            f"not UTF-8 text: byte 0x{data[error.start]:02x} at offset {error.start} "
            "cannot be decoded (save the file as UTF-8)",
            line=data.count(b"\n", 0, error.start) + 1,
            path=path,
        ) from None


def refuse_binary(data: bytes, path: str | None) -> None:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ChatlogError("this file is UTF-16 text; save it as UTF-8", line=1, path=path)
    nul = data.find(b"\x00")
    if nul >= 0:
        raise ChatlogError(
            f"this looks like a binary file, not text: NUL byte at offset {nul}",
            line=data.count(b"\n", 0, nul) + 1,
            path=path,
        )


def decode_export(data: bytes, path: str, format: str | None) -> tuple[str, list[Problem]]:
    """A file's bytes as text: strict UTF-8 (:func:`decode`), unless its format
    decodes its own way (IRC logs mix encodings line by line), with warnings."""
    importer = FORMATS.get(format.lower()) if format else None
    if importer is None or importer.decode is None:
        return decode(data, path), []
    refuse_binary(data, path)
    return importer.decode(data)


DateRule = Callable[[Conversation], "datetime.date | datetime.datetime | None"]


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a chat is read, linked and hidden.

    The model holds no reference cycles (model.py), so collecting frees
    nothing of it while it is built; yet the collector runs once every 700
    new objects, and now and then over all of them: a fifth of the time of
    reading 20,000 messages.  Left as it was found, error or not.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@collector_paused()
def read_conversation(
    text: str | None = None,
    *,
    path: str | None = None,
    format: str | None = None,
    first_line: int = 0,
    root: str | None = None,
    max_source_bytes: int = DEFAULT_MAX_SOURCE_BYTES,
    date: datetime.date | datetime.datetime | DateRule | None = None,
    id_prefix: str = "msg-",
    speaker_styles: dict[str, dict[str, str]] | None = None,
    author: str | None = None,
    guess_me: bool = True,
    speakers: list[str] | None = None,
    me: str | None = None,
    timestamps: str | None = None,
    privacy: Privacy | None = None,
    title: str | None = None,
    **import_options,
) -> Conversation:
    """Read, date, link and hide what is private: what every caller does.

    ``text`` is the chat itself; without it the file at ``path`` is read
    (a Slack channel may be a folder).  With ``text``, ``path`` is the file
    it came from, if any, and ``first_line`` the number of lines above it
    there (a ```` ```chat ```` block in a post), so every line number, and
    every `Source:`, is the file's.  A `Source:` reads only inside ``root``
    (default: the file's own folder).  ``date`` is what relative times
    (``Tue 6:02 PM``) resolve against: a date, or a function of the read,
    unlinked conversation (Pelican's reader reads the header's `Date:` the
    way Pelican does); by default the header's `Date:` in ISO form.
    ``speaker_styles`` are the site's (CHATLOG_SPEAKERS); ``author`` and
    ``guess_me`` choose the owner's side when no `Me:` does (see link).
    ``privacy`` is the site's (see privacy.py); by default speakers shown
    under another name are renamed everywhere, and an export's contacts,
    phone numbers and e-mail addresses are hidden.  ``title`` is the chat's
    when neither its header nor its export gives one (one made from the file
    name, which an app may have named after the person: "WhatsApp Chat with
    +44 7700 900123"), hidden like the rest.

    ``speakers``, ``me`` and ``timestamps`` override the header; ``me``
    applies to every format, the other two only to `.chat` text, and
    ``import_options`` (``day_first``, ``chat``) only to a format that takes
    them: anything else is a :class:`ChatlogError`, never ignored.
    """
    if timestamps is not None and timestamps not in (modes := chat_timestamp_modes()):
        raise ChatlogError(f"timestamps must be one of {', '.join(modes)}, not {timestamps!r}")
    given = {key: value for key, value in import_options.items() if value is not None}
    chat = {key: value for key, value in (("speakers", speakers), ("timestamps", timestamps)) if value is not None}
    read_options = dict(root=root, max_source_bytes=max_source_bytes, first_line=first_line, me=me, **chat, **given)
    if text is None and path is None:
        raise TypeError("read_conversation() needs the text or the path of a file")
    try:
        if text is None:
            assert path is not None
            conversation = read_file(path, format=format, **read_options)
        else:
            base_dir = os.path.dirname(path) if path else None
            conversation = read_text(text, format=format, base_dir=base_dir, **read_options)
        if title is not None:
            conversation.metadata.setdefault("title", title)
        found = date(conversation) if callable(date) else date
        link(
            conversation,
            date=found if found is not None else header_date(conversation),
            id_prefix=id_prefix,
            speaker_styles=speaker_styles,
            author=author,
            guess_me=guess_me,
        )
        # after link: the site's styles are keyed by real names, and quotes name the original
        hide(conversation, privacy, export=conversation.exported,
             site_names=shown_names(speaker_styles))
    except ChatlogError as error:
        # every error names the file it is about: a bad `Date:` is found only after reading
        raise error.located(path) if path and not error.path else error from None
    # in line order, each file's together (the post's own first, then any `Source:` file's)
    conversation.problems.sort(key=lambda problem: (problem.path or "", problem.line or 0))
    return conversation


def title_from_path(path: str) -> str:
    """The title a post gets from its file name, as the Pelican reader gives it and
    `convert` writes it: ``2024-03-02-ride-planning.chat`` → "Ride planning"."""
    stem = os.path.basename(os.path.normpath(path)).split(".")[0]
    stem = re.sub(r"^\d{4}-\d{2}-\d{2}[-_ ]+", "", stem) or stem
    words = stem.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else stem


def shown_names(speaker_styles: dict[str, dict[str, str]] | None) -> dict[str, str]:
    """CHATLOG_SPEAKERS' `name`s, by the name each hides (link has checked the setting)."""
    return {name: style["name"] for name, style in site_speaker_styles(speaker_styles or {}).items() if style.get("name")}


def chat_timestamp_modes() -> tuple[str, ...]:
    from .readers.chat import TIMESTAMP_MODES

    return TIMESTAMP_MODES


def read_file(
    path: str,
    *,
    format: str | None = None,
    root: str | None = None,
    max_source_bytes: int = DEFAULT_MAX_SOURCE_BYTES,
    **options,
) -> Conversation:
    """A chat post or an export on disk, unlinked; errors name the file.

    A `Source:` in its header reads only inside ``root``: by default the
    file's own folder (for a folder export, the folder around it, where
    Slack keeps `users.json`).
    """
    try:
        if os.path.isdir(path):
            files = SourceFolder(root or os.path.dirname(os.path.abspath(path)), max_source_bytes)
            options.pop("first_line", None)  # a folder has no lines of its own
            me = options.pop("me", None)
            conversation = read_folder(path, format_named(format or "slack"), files, options)
            apply_header(conversation, Header(), me)
            return conversation
        format = format or format_for_path(path)
        if is_archive(path):  # a zip export: its chat is read from inside it, bounded like a Source
            files = SourceFolder(root or os.path.dirname(os.path.abspath(path)), max_source_bytes)
            if format is None:
                raise ChatlogError("a zip is read as an export named for its app: `….whatsapp.zip`")
            text, problems = chat_of_archive(path, format_named(format), files), list[Problem]()
        else:
            with open(path, "rb") as source:
                text, problems = decode_export(source.read(), path, format)
        base_dir = os.path.dirname(path) or "."
        # what an export file may read beside it (a Slack day file, ../users.json): inside
        # the root, else no further up than its folder's parent, as for a folder export
        beside = (path, SourceFolder(root or os.path.dirname(os.path.abspath(base_dir)), max_source_bytes))
        conversation = read_text(
            text, format=format, base_dir=base_dir, root=root or base_dir,
            max_source_bytes=max_source_bytes, beside=beside, **options,
        )
        conversation.problems[:0] = problems  # the lines not read as UTF-8 (IRC)
        return conversation
    except ChatlogError as error:
        raise error if error.path else error.located(path) from None


def chat_of_archive(path: str, importer: Format, files: SourceFolder) -> str:
    """The chat's text inside a zip export (WhatsApp "with media"), read through ``files``."""
    if importer.chat_in_archive is None:
        raise ChatlogError(f"{importer.title} exports are not read from a zip: unpack it", path=path)
    from .readers.archive import Archive  # zipfile, only for a zip

    with Archive(path, files) as archive:
        return decode(archive.read(importer.chat_in_archive(archive.names())), path)


def read_folder(path: str, importer, files: SourceFolder, options: dict) -> Conversation:
    if importer.read_folder is None:
        raise ChatlogError(f"{importer.title} exports are files, not folders", path=path)
    conversation = importer.read_folder(path, files=files, **import_options(importer, options))
    conversation.exported = True
    if not has_messages(conversation):
        conversation.problems.append(no_message_in_export(importer, None, path))
    return conversation


def has_messages(conversation: Conversation) -> bool:
    """Whether any item is a message: found at the first, without listing them all."""
    return any(isinstance(item, Message) for item in conversation.items)


def import_options(importer, options: dict) -> dict:
    """The options an importer takes; one it does not take is an error, not ignored."""
    for key in options:
        if key in CHAT_OPTIONS:
            raise ChatlogError(
                f"`speakers` and `timestamps` are options of the `.chat` format, not of {importer.title} exports"
            )
        if key not in importer.options:
            takes = ", ".join(importer.options) or "no options"
            raise ChatlogError(f"the {importer.title} reader does not take `{key}` (it takes {takes})")
    return options


def chat_options(options: dict) -> dict:
    for key in options:
        if key not in CHAT_OPTIONS:
            raise ChatlogError(f"`{key}` is an option of chat exports, not of the `.chat` format")
    return options


def read_text(
    text: str,
    *,
    format: str | None = None,
    base_dir: str | None = None,
    root: str | None = None,
    max_source_bytes: int = DEFAULT_MAX_SOURCE_BYTES,
    first_line: int = 0,
    me: str | None = None,
    beside: tuple[str, SourceFolder] | None = None,
    **options,
) -> Conversation:
    """Text in the given format, or a `.chat` post that may wrap an export; unlinked.

    A `Source:` resolves from ``base_dir`` (the post's folder, else ``root``)
    and reads only inside ``root``; with neither, none is read.  Lines are
    counted from ``first_line`` + 1.  ``speakers`` and ``timestamps`` are
    options of `.chat` text only; the rest belong to the format read.
    ``beside`` is the file the text is, and what it may read beside it.
    """
    ours = (CHAT, *PASTE_FORMATS)  # our `.chat` text, or a paste from an app's window
    if format is not None and format not in ours:
        conversation = read_export(format_named(format), text, first_line, None, options, beside)
        apply_header(conversation, Header(), me)
        return conversation
    lines = split_lines(text)
    header = read_header(lines, first_line=first_line)
    declared = header.values.get("format", CHAT).strip().lower()
    if format in ours or declared in ours:
        from .readers.chat import read_chat  # when a chat is ours: an export's reading needs none of it

        conversation = read_chat(lines, first_line=first_line, me=me, header=header, shape=format,
                                 **chat_options(options))
        if not has_messages(conversation):
            body_line = first_line + header.end + first_text_line(lines[header.end :])
            conversation.problems.append(no_message_in_chat(body_line))
        return conversation
    importer = format_named(declared, header.lines["format"])
    options = {**options, **header_import_options(header)}
    source = header.values.get("source")
    body = lines[header.end :]
    if source is None:
        conversation = read_export(importer, "\n".join(body), first_line + header.end, None, options)
    elif any(not is_blank(line) for line in body):
        raise ChatlogError(
            "give the export either below the header or in `Source:`, not both",
            line=first_line + header.end + 1,
        )
    else:
        folder = root or base_dir
        files = SourceFolder(folder, max_source_bytes) if folder else None
        conversation = read_source(source, header.lines["source"], base_dir or root, files, importer, options)
    apply_header(conversation, header, me)
    style_imported_speakers(conversation, header)
    return conversation


def read_export(importer: Format, text: str, first_line: int, path: str | None, options: dict,
                beside: tuple[str, SourceFolder] | None = None) -> Conversation:
    """An export's text read by its importer, which numbers its lines from ``first_line``;
    ``beside``, (the file it is, a SourceFolder), for an importer that reads files beside it."""
    try:
        if beside is not None and importer.read_beside is not None:
            day, files = beside
            conversation = importer.read_beside(text, day=day, files=files, first_line=first_line, path=path,
                                                **import_options(importer, options))
        else:
            conversation = importer.read(text, first_line=first_line, path=path, **import_options(importer, options))
    except ChatlogError as error:
        # An export that cannot be read at all ("not JSON") says so at its own line.
        if first_line and error.line is not None and not error.path:
            raise ChatlogError(error.message, line=error.line + first_line) from None
        raise
    conversation.exported = True
    if not has_messages(conversation):
        conversation.problems.append(no_message_in_export(importer, first_line + first_text_line(text), path))
    return conversation


def first_text_line(text: str | Sequence[str]) -> int:
    """The number of the first line that is not blank (counted from 1), or 1."""
    if isinstance(text, str):
        text = text.removeprefix("\ufeff")
        blank = text[: len(text) - len(text.lstrip(" \t\r\n"))]
        return len(LINE_END.findall(blank.rstrip(" \t"))) + 1 if blank != text else 1
    return next((number for number, line in enumerate(text, start=1) if not is_blank(line)), 1)


def read_source(source: str, line: int, base_dir, files: SourceFolder | None, importer: Format,
                options: dict) -> Conversation:
    """The export a `.chat` header names with `Source:`, every file of it read through ``files``."""
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
        try:
            if os.path.isdir(path):
                return read_folder(path, importer, files, options)
            if is_archive(path):
                return read_export(importer, chat_of_archive(path, importer, files), 0, path, options)
            text, problems = decode_export(files.read_bytes(path), path, importer.name)
            conversation = read_export(importer, text, 0, path, options, (path, files))
            conversation.problems[:0] = [Problem(p.line, p.message, path) for p in problems]
            return conversation
        except SourceRefused:
            raise
        except ChatlogError as error:
            raise error if error.path else error.located(path) from None
    except SourceRefused as refused:
        raise ChatlogError(f"`Source: {source}` cannot be read: {refused.message}", line=line) from None


def header_import_options(header: Header) -> dict:
    options: dict[str, object] = {}
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
