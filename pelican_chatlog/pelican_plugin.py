"""Pelican glue: the `.chat` reader and the signal receivers.

The only module that imports Pelican.  It composes the core steps (read,
link, render) the way `pelican_chatlog.parse` does, but takes the post's
date from Pelican's own metadata processing so every date format Pelican
accepts works here too.
"""

from __future__ import annotations

import datetime
import filecmp
import functools
import hashlib
import logging
import os
import posixpath
import re
import shutil
import weakref
import zlib
from html import escape

from pelican import signals
from pelican.readers import BaseReader, MarkdownReader, parse_path_metadata
from pelican.utils import slugify

from . import __version__, fence
from .harmless import harmless
from .readers import SUFFIXES, format_for_path
from .pipeline import collector_paused, read_conversation, title_from_path
from .privacy import Privacy
from .model import ChatlogError, Conversation, format_location
from .readers.header import CHAT_KEYS, read_header
from .readers.lines import split_lines
from .render import STYLESHEET as STYLESHEET_SOURCE
from .render import render
from .readers.sources import DEFAULT_MAX_SOURCE_BYTES, SourceFolder
from .media import MEDIA_FOLDER, Copy, MediaFolder, copy_into, files_folder, lines_file
from .summary import chat_post_parts, clip, said

logger = logging.getLogger(__name__)

DEFAULT_EXTENSIONS = ["chat"]
FENCE_EXTENSION = "pelican_chatlog.fence"
STYLESHEET_OUTPUT = os.path.join("chatlog", "chatlog.css")
STYLESHEET_MARKER = "data-chatlog-stylesheet"
CHAT_ROOT = b'class="chatlog'  # the root's class list may go on: "chatlog chatlog-dark"
PRIVACY_SETTINGS = ("CHATLOG_REDACT", "CHATLOG_REDACT_MASK", "CHATLOG_PSEUDONYMS", "CHATLOG_MASK_PHONES",
                    "CHATLOG_MASK_EMAILS")


class ChatReader(BaseReader):
    """Reads `.chat` posts: an optional metadata header, then the chat."""

    enabled = True
    file_extensions = DEFAULT_EXTENSIONS

    # one pause over reading and rendering: resumed between them, the collector would pass
    # over the whole model once, freeing nothing (see pipeline.collector_paused)
    @collector_paused()
    def read(self, source_path):
        if not self.is_chat(source_path):
            # a .txt/.json/.log that is no export by name: not ours to read
            return None, {"status": "skip"}
        if format_for_path(source_path) and os.path.realpath(source_path) in self.posts_sources:
            # published as the post that reads it, with that post's `Redact:` and shown names;
            # as a post of its own it would show everything they hide
            logger.info("%s is the `Source:` of a post: not a post of its own", source_path)
            return None, {"status": "skip"}
        styles = self.settings.get("CHATLOG_SPEAKERS", {})
        sides = side_options(self.settings)
        try:
            sides["privacy"] = Privacy.from_settings(self.settings)  # with the other options of the site
            # the file name's title is hidden with the chat: an app names its export after the person
            sides["title"] = title_from_path(source_path)
            conversation = read_conversation(
                path=source_path, date=self.pelican_date, speaker_styles=styles,
                **source_options(self.settings), **sides,
            )
            metadata = self.header_metadata(conversation)
            chatlog = LazyConversation(
                source_path, metadata.get("date"), styles, {**source_options(self.settings), **sides}
            )
        except ChatlogError as error:
            located = error if error.path else error.located(source_path)
            # Pelican reports a failed file without the exception's text
            # unless DEBUG is on, so say what is wrong before it does.
            logger.error("%s", located)
            raise located from None
        for problem in conversation.problems:
            logger.warning("%s", format_location(problem.path or source_path, problem.line, problem.message))
        metadata["chatlog"] = chatlog
        metadata["speakers"] = [self.process_text("speakers", s.label) for s in conversation.speakers]
        if "slug" not in metadata and not self.pelican_slug(source_path, metadata["title"]):
            metadata["slug"] = self.slug_from_path(source_path)
        first_time = next((m.time for m in conversation.messages if isinstance(m.time, datetime.datetime)), None)
        if first_time is not None:
            metadata.setdefault("date", first_time)
        metadata["chatlog_media"] = self.resolve_media(conversation, source_path)
        if "summary" not in metadata:  # after the media: a contact card is shown by no name of the person's
            metadata["summary"] = self.process_text("summary", self.summary(conversation))
        content = render(
            conversation,
            template_folders=template_folders(self.settings),
            color_scheme=self.settings.get("CHATLOG_COLOR_SCHEME", "auto"),
        )
        if self.settings.get("CACHE_CONTENT"):
            content = CachedPage(content)
        return content, metadata

    @functools.cached_property
    def posts_sources(self) -> frozenset[str]:
        """The files the site's posts read with `Source:`, `.chat` headers and ```chat blocks alike."""
        return frozenset(sources_named(self.settings["PATH"], self.settings.get("CHATLOG_EXTENSIONS", DEFAULT_EXTENSIONS)))

    def resolve_media(self, conversation: Conversation, source_path: str) -> tuple[Copy, ...]:
        """Attachments whose files sit beside the export get the url of a copy we name;
        what to copy is kept with the post (and Pelican's cache), copied by `copy_media`."""
        media = MediaFolder(SourceFolder(**media_options(self.settings)), media_url(self.settings),
                            copy_uncleaned(self.settings))
        media.resolve(conversation.messages, files_folder(source_path, conversation.metadata),
                      lines_file(source_path, conversation.metadata))
        for warning in media.warnings:
            logger.warning("%s", warning)
        return tuple(media.copies.values())

    def is_chat(self, source_path: str) -> bool:
        extension = source_path.rsplit(".", 1)[-1]
        return extension in self.settings.get("CHATLOG_EXTENSIONS", DEFAULT_EXTENSIONS) or bool(
            format_for_path(source_path)
        )

    def pelican_date(self, conversation: Conversation):
        """The header's `Date:` read as Pelican reads dates: what `Tue 6:02 PM` resolves against."""
        return self.header_metadata(conversation, keys=("date",)).get("date")

    def header_metadata(self, conversation: Conversation, keys=None) -> dict:
        metadata = {}
        for key, value in conversation.metadata.items():
            if key in CHAT_KEYS or (keys is not None and key not in keys):
                continue
            try:
                metadata[key] = self.process_text(key, " ".join(value.split("\n")))
            except (ValueError, OverflowError) as error:
                raise ChatlogError(
                    f"`{key.capitalize()}: {value}` cannot be read: {error}",
                    line=conversation.header_lines.get(key),
                ) from None
        return metadata

    def process_text(self, key: str, text: str):
        """Every text this reader hands Pelican as metadata passes here.

        It all comes from the chat (its header, the export's chat or
        channel name, the file name, the messages), and themes print it
        raw, so it is made harmless first: see `pelican_chatlog.harmless`.
        """
        return self.process_metadata(key, harmless(text))

    def summary(self, conversation: Conversation) -> str:
        """The opening messages as plain text, "Dana: Hi! I found …"."""
        # each body as a reader sees it: no Markdown marks, a spoiler's words never in clear
        # (index pages and <meta> tags show the summary); made lazily, as far as the cut
        parts = ((message.speaker.label, said(message)) for message in conversation.messages)
        return clip(parts, *summary_limits(self.settings))

    def pelican_slug(self, source_path: str, title: str) -> str:
        """The slug Pelican gives a post with this title and no `Slug:`."""
        path_slug = parse_path_metadata(self.relative_path(source_path), settings=self.settings).get("slug")
        if path_slug:
            return path_slug
        if self.settings.get("SLUGIFY_SOURCE", "title") == "basename":
            return self.slugify(os.path.basename(os.path.splitext(source_path)[0]))
        return self.slugify(title)

    def slug_from_path(self, source_path: str) -> str:
        """For a title with nothing to slugify ("🎉"): one slug per file.

        Made from the path in the content folder, so two such exports named
        alike in different folders still get a page each; a path with
        nothing to slugify either gets a short hash of itself.
        """
        path = self.relative_path(source_path)
        stem = path.rsplit("/", 1)[-1].split(".")[0]
        folders = path.rsplit("/", 1)[0] if "/" in path else ""
        slug = self.slugify(f"{folders.replace('/', ' ')} {stem}")
        return slug or "chat-" + hashlib.sha256(path.encode()).hexdigest()[:8]

    def relative_path(self, source_path: str) -> str:
        path = os.path.relpath(os.path.abspath(source_path), os.path.abspath(self.settings.get("PATH", ".")))
        return path.replace(os.sep, "/")

    def slugify(self, text: str) -> str:
        return slugify(
            text,
            regex_subs=self.settings.get("SLUG_REGEX_SUBSTITUTIONS", []),
            preserve_case=self.settings.get("SLUGIFY_PRESERVE_CASE", False),
            use_unicode=self.settings.get("SLUGIFY_USE_UNICODE", False),
        )


HEADER_BYTES = 65_536  # a header is read from the start of a post, however long its chat


class CachedPage(str):
    """A chat page as Pelican's content cache keeps it: compressed once, and quickly.

    Pelican pickles every post into its content cache and gzips the lot at
    level 9 on every build, cached or not.  A chat page is megabytes of
    repetitive markup, the input level 9 is slowest at: 0.17 s for a chat of
    20,000 messages, where zlib's level 1 takes 0.03 s and leaves gzip bytes it
    passes over in 0.02 s.  A page read back from the cache keeps its
    compressed bytes, so a cached build compresses none of them again.
    """

    packed: bytes

    def __reduce__(self):
        packed = self.__dict__.get("packed")
        if packed is None:
            packed = self.packed = pack_page(self)
        return unpack_page, (packed,)


def pack_page(page: str) -> bytes:
    return zlib.compress(page.encode("utf-8"), 1)


def unpack_page(packed: bytes) -> CachedPage:
    page = CachedPage(zlib.decompress(packed).decode("utf-8"))
    page.packed = packed
    return page


def sources_named(root: str, chat_extensions) -> set[str]:
    """Every `Source:` of the `.chat` posts and Markdown ```chat blocks under ``root``, as a real path."""
    found = set()
    for folder, _, names in os.walk(root, followlinks=True):  # as Pelican finds posts
        for name in names:
            extension = name.rsplit(".", 1)[-1]
            path = os.path.join(folder, name)
            if extension in chat_extensions:
                with open(path, encoding="utf-8", errors="replace") as post:
                    headers = [post.read(HEADER_BYTES)]
            elif extension in MarkdownReader.file_extensions:
                with open(path, encoding="utf-8", errors="replace") as post:
                    headers = [block["text"] for block in fence.CHAT_FENCE.finditer(post.read())]
            else:
                continue
            for text in headers:
                try:
                    source = read_header(split_lines(text)).values.get("source")
                except ChatlogError:
                    continue  # reading the post will say what is wrong
                if source:
                    found.add(os.path.realpath(os.path.join(folder, source.strip())))
    return found


class LazyConversation:
    """``article.chatlog``: the post's linked Conversation, read when asked for.

    Holding every post's model for the whole build, and pickling it into
    Pelican's content cache, cost more memory and rebuild time than the
    page itself, and most themes never look at it.  So only what reading
    needs is kept; the first attribute a template asks for reads the file
    again and links it the way the reader linked the page's copy.
    """

    def __init__(self, source_path: str, date, speaker_styles: dict, read_options: dict):
        # underscored, so no name of the Conversation's own is hidden
        self._source_path = source_path
        self._date = date
        self._speaker_styles = speaker_styles
        self._read_options = read_options

    @functools.cached_property
    def conversation(self) -> Conversation:
        return read_conversation(
            path=self._source_path, date=self._date, speaker_styles=self._speaker_styles, **self._read_options
        )

    def __getattr__(self, name):
        # only reached for names not set above: the Conversation's own
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.conversation, name)

    def __getstate__(self) -> dict:
        return {key: value for key, value in self.__dict__.items() if key != "conversation"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)


def side_options(settings) -> dict:
    """Who sits on the right when a chat names no `Me:`: see link.style_speakers."""
    return {"author": settings.get("AUTHOR") or "", "guess_me": bool(settings.get("CHATLOG_GUESS_ME", True))}


def source_options(settings) -> dict:
    """A `Source:` reads only inside the content folder, and only so much of a file."""
    return {
        "root": settings["PATH"],
        "max_source_bytes": settings.get("CHATLOG_MAX_SOURCE_BYTES", DEFAULT_MAX_SOURCE_BYTES),
    }


def media_options(settings) -> dict:
    return {"root": settings["PATH"], "max_bytes": source_options(settings)["max_source_bytes"]}


def copy_uncleaned(settings) -> bool:
    """Whether files that may say where they were taken, and cannot be cleaned, are copied as they are."""
    return bool(settings.get("CHATLOG_COPY_UNCLEANED_MEDIA", False))


MEDIA_KEY = MEDIA_FOLDER + "/{}"


def media_url(settings):
    """A media copy's link as Pelican's own intrasite link (`{filename}/chatlog/media/…`),
    which Pelican makes right on every page and in feeds, RELATIVE_URLS or not; a
    site whose INTRASITE_LINK_REGEX takes neither `{…}` nor `|…|` gets SITEURL/…."""
    pattern = re.compile(settings.get("INTRASITE_LINK_REGEX", "[{|](?P<what>.*?)[|}]"))
    for marker in ("{filename}", "|filename|"):
        found = pattern.match(marker)
        if found and found.end() == len(marker) and found.groupdict().get("what") == "filename":
            return lambda name: f"{marker}/{MEDIA_KEY.format(name)}"
    siteurl = settings.get("SITEURL", "").rstrip("/")
    return lambda name: f"{siteurl}/{MEDIA_KEY.format(name)}"


class MediaLink:
    """What Pelican's `{filename}` link finds for a media copy: only its url."""

    def __init__(self, url: str):
        self.url = url


def say_how_to_date(content) -> None:
    """A chat post Pelican is about to skip for want of a date is told how to get one.

    Pelican's own message ("could not find information about 'date'") says
    nothing of the cause: a chat whose times name no day (`Tue 6:02 PM`,
    as most pastes) and whose header has no `Date:`.  Runs when the post is
    made, after Pelican has tried the file name and DEFAULT_DATE, so only a
    post it would skip is named (a page needs no date).
    """
    if "chatlog" not in getattr(content, "metadata", {}) or hasattr(content, "date"):
        return
    if "date" in getattr(content, "mandatory_properties", ()):
        logger.error(
            "%s", format_location(content.source_path, 1, "no date for this post: its header has no `Date:` "
                                  "and no message's time names a day (as `Tue 6:02 PM` does not); add one, "
                                  "such as `Date: 2024-03-07` (a weekday is the latest such day on or before it)")
        )


def register_media(content) -> None:
    """A post's media copies: linkable as `{filename}/chatlog/media/…`, copied once all is read.

    Runs for every post made, read now or taken from Pelican's cache."""
    copies = content.metadata.get("chatlog_media") if hasattr(content, "metadata") else None
    context = getattr(content, "_context", None)
    if not copies or context is None:
        return
    for copy in copies:
        key = MEDIA_KEY.format(copy.name)
        context.setdefault("generated_content", {})[key] = MediaLink(key)
        context.setdefault("chatlog_media", {})[copy.name] = copy


def copy_media(generators) -> None:
    """Copy every post's media into OUTPUT_PATH/chatlog/media, under the names we gave them."""
    if not generators:
        return
    context = generators[0].context
    copies = context.get("chatlog_media")
    if not copies:
        return
    for warning in copy_into(context["OUTPUT_PATH"], copies.values(), SourceFolder(**media_options(context)),
                             copy_uncleaned(context)):
        logger.warning("%s", warning)


def template_folders(settings) -> list[str]:
    """Where a site or theme overrides our templates, searched in this order."""
    theme_templates = os.path.join(settings.get("THEME", ""), "templates")
    return [*settings.get("THEME_TEMPLATES_OVERRIDES", []), theme_templates]


def add_reader(readers) -> None:
    settings = readers.settings
    for extension in settings.get("CHATLOG_EXTENSIONS", DEFAULT_EXTENSIONS):
        readers.reader_classes[extension] = ChatReader
    if settings.get("CHATLOG_IMPORTS", True):
        # Pelican picks a reader by the last extension: `talk.whatsapp.txt`
        # comes to us as "txt", and is_chat turns away other .txt files.
        for suffixes in SUFFIXES.values():  # the names alone: no importer is imported for them
            for suffix in suffixes:
                readers.reader_classes.setdefault(suffix.rsplit(".", 1)[-1], ChatReader)
    if settings.get("CHATLOG_MARKDOWN_FENCE", True):
        # Readers are built right after this signal, so the Markdown reader
        # picks the extension up from its settings.
        markdown = settings.setdefault("MARKDOWN", {})
        markdown.setdefault("extension_configs", {})[FENCE_EXTENSION] = {
            "template_folders": template_folders(settings),
            "speaker_styles": settings.get("CHATLOG_SPEAKERS", {}),
            "max_source_bytes": source_options(settings)["max_source_bytes"],
            "color_scheme": settings.get("CHATLOG_COLOR_SCHEME", "auto"),
            "privacy": {key: value for key, value in settings.items() if key in PRIVACY_SETTINGS},
            **side_options(settings),
        }
        extensions = markdown.setdefault("extensions", [])
        if FENCE_EXTENSION not in extensions:
            extensions.append(FENCE_EXTENSION)
        for suffix, reader_class in readers.reader_classes.items():
            if reader_class and issubclass(reader_class, MarkdownReader):
                readers.reader_classes[suffix] = telling_the_fence(reader_class)


class FencePostReader(MarkdownReader):
    def read(self, source_path):
        media = MediaFolder(SourceFolder(**media_options(self.settings)), media_url(self.settings),
                            copy_uncleaned(self.settings))
        token = fence.CURRENT_POST.set(fence.Post(source_path, self.settings["PATH"], media))
        try:
            content, metadata = super().read(source_path)
        finally:
            fence.CURRENT_POST.reset(token)
        if media.copies:  # the files the post's ```chat blocks show: copied as a .chat post's are
            metadata["chatlog_media"] = tuple(media.copies.values())
        return content, metadata


@functools.cache
def telling_the_fence(reader_class: type) -> type:
    """The Markdown reader, telling the fence which post it is converting.

    Python-Markdown hands an extension only the text, yet a fence's
    `Source:` must resolve from the post's folder and stay in the content
    folder, and its ids must differ from another post's.  Its config is
    shared by every post, so a context variable carries the post's path for
    the one conversion; a fence converted without it reads no `Source:`.
    Whatever Markdown reader the site uses (its own subclass too) is kept.
    """
    if issubclass(reader_class, FencePostReader):
        return reader_class

    class Reader(FencePostReader, reader_class):
        pass

    Reader.__name__ = Reader.__qualname__ = reader_class.__name__
    return Reader


def summary_limits(settings) -> tuple[int | None, str]:
    """SUMMARY_MAX_LENGTH (None: no cut) and SUMMARY_END_SUFFIX, as Pelican reads them."""
    return settings.get("SUMMARY_MAX_LENGTH", 50), settings.get("SUMMARY_END_SUFFIX", "…")


def summarise_chat_post(content) -> None:
    """A post showing a chat, from a ```chat fence or otherwise, gets a text summary.

    Left alone, Pelican cuts the post's HTML after so many words, anywhere
    in the conversation's markup (see `pelican_chatlog.summary`).  Runs as
    the post is made (content_object_init), before anything asks for its
    summary; a `Summary:` of the post's own comes first.  The text is the
    page's, chat text included, so it is made harmless like our metadata.
    """
    html = getattr(content, "_content", None)  # `content` itself would resolve links too early
    if "summary" in content.metadata or not isinstance(html, str) or CHAT_ROOT.decode() not in html:
        return
    parts = chat_post_parts(html)
    if parts is None:
        return
    summary = harmless(clip(parts, *summary_limits(content.settings)))
    content.metadata["summary"] = content._summary = summary


def link_stylesheet(path: str, context: dict) -> None:
    """Give every written page that shows a chat our stylesheet, no theme edits.

    The link is relative to the page, so it works with and without
    RELATIVE_URLS and wherever the site is served from.
    """
    settings = context  # Pelican's template context is a copy of the settings
    if not settings.get("CHATLOG_CSS", True) or not path.endswith(".html"):
        return
    # A chat page can be tens of megabytes: work on its bytes and write
    # slices of them, so no decoded or joined copy is ever held.
    with open(path, "rb") as page:
        html = page.read()
    if CHAT_ROOT not in html or STYLESHEET_MARKER.encode() in html:
        return
    stylesheet = os.path.join(settings["OUTPUT_PATH"], STYLESHEET_OUTPUT)
    os.makedirs(os.path.dirname(stylesheet), exist_ok=True)
    if not os.path.exists(stylesheet) or not filecmp.cmp(STYLESHEET_SOURCE, stylesheet, shallow=False):
        shutil.copyfile(STYLESHEET_SOURCE, stylesheet)
    href = posixpath.join(*os.path.relpath(stylesheet, os.path.dirname(path)).split(os.sep))
    tag = f'<link rel="stylesheet" href="{escape(href)}" {STYLESHEET_MARKER}>\n'.encode()
    head_end = max(html.find(b"</head>"), 0)
    with open(path, "wb") as page:
        page.write(memoryview(html)[:head_end])
        page.write(tag)
        page.write(memoryview(html)[head_end:])


# Pelican's content cache knows a post by its file's stamp only: a changed setting
# (a new CHATLOG_REDACT term, a display name in CHATLOG_SPEAKERS) would let it reuse
# a post made before, with what is now to be hidden in view.  So a stamp of the
# settings our pages depend on is kept beside the cache, and a build whose settings
# differ from it reads every post afresh (and caches them again).
SETTINGS_STAMP_FILE = "chatlog-settings.sha256"


def settings_stamp(settings) -> str:
    ours = sorted((key, repr(value)) for key, value in settings.items() if key.startswith("CHATLOG_"))
    # the templates our fragment is made with: a theme, or an override folder, of its own
    ours += [(key, repr(settings.get(key))) for key in ("AUTHOR", "THEME", "THEME_TEMPLATES_OVERRIDES")]
    ours.append(("version", __version__))
    ours.append(("sources", repr(sources_stamp(settings))))
    return hashlib.sha256(repr(ours).encode("utf-8")).hexdigest()


def sources_stamp(settings) -> list[tuple[str, int, int] | str]:
    """The size and time of every file a post reads with `Source:` (a folder's files too).

    Pelican's cache knows a post by its own file's stamp: an export edited
    (a message taken out, a number deleted) under a post left as it was
    would keep the page made before.  A post's source changed, every post
    is read afresh."""
    stamps: list[tuple[str, int, int] | str] = []
    for source in sorted(sources_named(settings["PATH"], settings.get("CHATLOG_EXTENSIONS", DEFAULT_EXTENSIONS))):
        files = [source] if not os.path.isdir(source) else sorted(
            os.path.join(folder, name) for folder, _, names in os.walk(source) for name in names
        )
        for path in files:
            try:
                stat = os.stat(path)
            except OSError:
                stamps.append(path)  # missing: reading the post will say so
                continue
            stamps.append((path, stat.st_mtime_ns, stat.st_size))
    return stamps


def settings_stamp_path(settings) -> str:
    return os.path.join(settings["CACHE_PATH"], SETTINGS_STAMP_FILE)


# Each build's stamp, made once as it begins (finding the sources reads every post's
# header and every Markdown post): kept for the end of the build, which writes it.
STAMPS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def read_afresh_if_settings_changed(pelican) -> None:
    settings = pelican.settings
    if not settings.get("LOAD_CONTENT_CACHE"):
        return
    try:
        with open(settings_stamp_path(settings), encoding="utf-8") as stamp:
            cached = stamp.read().strip()
    except OSError:
        cached = None
    STAMPS[pelican] = stamp_now = settings_stamp(settings)
    if cached != stamp_now:
        logger.info("pelican-chatlog: its settings changed since the content cache was written: reading every post afresh")
        settings["LOAD_CONTENT_CACHE"] = False


def remember_settings(pelican) -> None:
    settings = pelican.settings
    if not settings.get("CACHE_CONTENT"):
        return
    os.makedirs(settings["CACHE_PATH"], exist_ok=True)
    with open(settings_stamp_path(settings), "w", encoding="utf-8") as stamp:
        # as the build began: a source changed since then makes the next build read afresh
        stamp.write((STAMPS.pop(pelican, None) or settings_stamp(settings)) + "\n")


def register() -> None:
    signals.initialized.connect(read_afresh_if_settings_changed)
    signals.finalized.connect(remember_settings)
    signals.readers_init.connect(add_reader)
    signals.content_written.connect(link_stylesheet)
    signals.content_object_init.connect(summarise_chat_post)
    signals.content_object_init.connect(register_media)
    signals.content_object_init.connect(say_how_to_date)
    signals.all_generators_finalized.connect(copy_media)
