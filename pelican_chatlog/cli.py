"""The `pelican-chatlog` command (also `python -m pelican_chatlog`).

    pelican-chatlog convert EXPORT [-o POST.chat] [--format F] [--title T] [--me NAME]
                            [--anonymize [--mapping FILE]] [--publish]
    pelican-chatlog check [--quiet] PATH...
    pelican-chatlog preview FILE [--format F] [-o page.html]
    pelican-chatlog formats
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time

from . import __version__
from .readers import FORMATS, PASTE_FORMATS, SUFFIXES
from .pipeline import CHAT, collector_paused, read_conversation, title_from_path
from .model import ChatlogError, Conversation, format_location

PROGRAM = "pelican-chatlog"
CHAT_SUFFIXES = (".chat",)


class Progress:
    """A bar on stderr, shown only once a job has taken longer than a second."""

    def __init__(self, steps: list[str], stream=None, delay: float = 1.0):
        self.steps = steps
        self.stream = stream or sys.stderr
        self.delay = delay
        self.done = 0
        self.shown = False
        self.started = time.monotonic()
        self.finished = threading.Event()
        self.lock = threading.Lock()

    def __enter__(self):
        threading.Thread(target=self._watch, daemon=True).start()
        return self

    def _watch(self):
        if not self.finished.wait(self.delay):
            while not self.finished.wait(0.25):
                self.draw()

    def step(self) -> None:
        with self.lock:
            self.done += 1
        if self.shown:
            self.draw()

    def draw(self) -> None:
        with self.lock:
            width = 24
            filled = width * self.done // len(self.steps)
            name = self.steps[min(self.done, len(self.steps) - 1)]
            elapsed = time.monotonic() - self.started
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {name:<10} {elapsed:5.1f}s")
            self.stream.flush()
            self.shown = True

    def __exit__(self, *exc):
        self.finished.set()
        with self.lock:
            if self.shown:
                self.stream.write("\n")
                self.stream.flush()


def parser() -> argparse.ArgumentParser:
    formats = [CHAT, *sorted(PASTE_FORMATS), *sorted(FORMATS)]  # naming a format imports none
    main = argparse.ArgumentParser(
        prog=PROGRAM, description="Chat exports and `.chat` posts for Pelican blogs."
    )
    main.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def import_options(command):
        command.add_argument(
            "--format", choices=formats, help="the input's format (default: from its name or header)"
        )
        order = command.add_mutually_exclusive_group()
        order.add_argument("--day-first", dest="day_first", action="store_true", default=None,
                           help="WhatsApp dates are day/month (default: read from the file)")
        order.add_argument("--month-first", dest="day_first", action="store_false",
                           help="WhatsApp dates are month/day")
        command.add_argument("--chat", help="which chat of a full Telegram account export")

    def content_option(command):
        command.add_argument(
            "--content", metavar="DIR", help="the site's content folder: a post's `Source:` may read "
            "only inside it (default: the post's own folder)",
        )

    convert = commands.add_parser(
        "convert", help="write an export as a .chat post", description="Write a chat export as a "
        ".chat post in our own format; reading the post back gives the same messages.",
    )
    convert.add_argument("export", metavar="EXPORT", help="export file (or Slack channel folder)")
    convert.add_argument("-o", "--output", metavar="POST.chat", help="where to write (default: stdout)")
    convert.add_argument("--title", help="the post's title (default: the export's own, if any)")
    convert.add_argument("--me", metavar="NAME", help="the blog's owner among the speakers, written as `Me:` "
                         "(default: the header's `Me:`, if any)")
    convert.add_argument("--anonymize", action="store_true", help="give every speaker but Me a pseudonym "
                         "(Person 1, Person 2 …), mentions in the text following; the real names are written "
                         "to a mapping file, never inside the site's content folder")
    convert.add_argument("--mapping", metavar="FILE", help="where --anonymize writes the pseudonyms' real names "
                         "(default: NAME.pseudonyms.json beside the output, or beside the export when writing "
                         "to stdout; beside pelicanconf.py when that is in the content folder)")
    convert.add_argument("--publish", action="store_true", help="leave out the `Status: draft` that keeps a "
                         "converted chat unpublished until reviewed")
    import_options(convert)
    content_option(convert)

    check = commands.add_parser(
        "check", help="lint .chat posts and exports", description="Print what each file holds "
        "(messages, speakers, system or narration lines, messages without a time, quotes linked), "
        "then a summary, on stdout; report problems on stderr as file:line: message (unresolved "
        "quotes, speakers outside Speakers:, unreadable times, a chat with no message …). "
        "Exits 1 when there are any problems, 2 when a file cannot be read: for a blog's CI.",
    )
    check.add_argument("paths", metavar="PATH", nargs="+", help="files, or folders searched for .chat posts")
    check.add_argument("-q", "--quiet", action="store_true", help="print only the problems")
    content_option(check)

    preview = commands.add_parser(
        "preview", help="render one post to a standalone HTML page",
        description="Render one .chat post or export to an HTML page with the bundled CSS, "
        "without a Pelican site.",
    )
    preview.add_argument("file", metavar="FILE")
    preview.add_argument("-o", "--output", metavar="page.html", help="where to write (default: stdout)")
    preview.add_argument("--title", help="the page's title")
    import_options(preview)
    content_option(preview)

    commands.add_parser("formats", help="list the formats that can be imported")
    return main


def import_kwargs(arguments) -> dict:
    # options not given are None, which the pipeline leaves out; one given to a
    # format that does not take it is an error there, not ignored here
    return {"format": arguments.format, "root": arguments.content,
            "day_first": arguments.day_first, "chat": arguments.chat}


def load(path: str, **options) -> Conversation:
    """A file read and linked, its header's `Date:` resolving relative times."""
    return read_conversation(path=path, **options)


def report_problems(path: str, conversation: Conversation) -> int:
    for problem in conversation.problems:
        print(format_location(problem.path or path, problem.line, problem.message), file=sys.stderr)
    return len(conversation.problems)


def run_convert(arguments) -> int:
    from .write import write_chat  # each command imports what only it needs: a quicker start

    if arguments.mapping and not arguments.anonymize:
        raise ChatlogError("--mapping names the file --anonymize writes: give --anonymize too")
    if arguments.anonymize:
        from .anonymize import (
            READ_FOR_PSEUDONYMS, anonymize, leftover_words, mapping_path, mapping_text, people_not_speaking, write_mapping,
        )

        # decided before the export is read: a refused place fails fast, and nothing is written
        place = mapping_path(arguments.output or arguments.export, arguments.mapping, arguments.content)
    privacy = READ_FOR_PSEUDONYMS if arguments.anonymize else None
    with Progress(["reading", "writing"]) as progress:
        # the file name's title, hidden with the chat: "WhatsApp Chat with +44 7700 900123"
        conversation = load(arguments.export, me=arguments.me, privacy=privacy,
                            title=title_from_path(arguments.output or arguments.export), **import_kwargs(arguments))
        progress.step()
        me = arguments.me or conversation.metadata.get("me")
        title = arguments.title or conversation.metadata["title"]
        if arguments.anonymize:
            conversation.metadata["title"] = title  # an export's name often names the other person
            mapping, me = anonymize(conversation, me, export=conversation.exported)
            title = conversation.metadata["title"]
        text = write_chat(conversation, title=title, me=me, status=None if arguments.publish else "draft")
        progress.step()
    report_problems(arguments.export, conversation)
    if arguments.anonymize:
        for word, line, count in leftover_words(text, mapping, me, people_not_speaking(conversation)):
            print(format_location(arguments.output or "<stdout>", line, f"{word!r}, a word of a real name, is "
                                  f"still in the text ({plural(count, 'time')}, the first here): check it"), file=sys.stderr)
        # the key first: a post without its mapping could not be checked
        written = write_mapping(place, mapping_text(mapping))
        print(f"{PROGRAM}: the real names behind the pseudonyms are in {place}"
              f"{'' if written else ' (unchanged)'}", file=sys.stderr)
    write_output(arguments.output, text)
    return 0


def write_output(path: str | None, text: str) -> None:
    """The command's result: into the `-o` file, else on standard output."""
    if path:
        with open(path, "w", encoding="utf-8") as output:
            output.write(text)
    else:
        sys.stdout.write(text)


def chat_files(paths: list[str]) -> list[str]:
    suffixes = CHAT_SUFFIXES + tuple(suffix for suffixes in SUFFIXES.values() for suffix in suffixes)
    found = []
    for path in paths:
        if os.path.isdir(path):
            for folder, _, names in os.walk(path):
                found += sorted(os.path.join(folder, name) for name in names if name.lower().endswith(suffixes))
        else:
            found.append(path)
    return found


def run_check(arguments) -> int:
    problems = failed = unreadable = 0
    total = Tally()
    files = chat_files(arguments.paths)
    with Progress(["checking"] * max(len(files), 1)) as progress:
        for path in files:
            try:
                conversation = load(path, root=arguments.content)
            except ChatlogError as error:
                print(error if error.path else error.located(path), file=sys.stderr)
                problems += 1
                failed += 1
            except OSError as error:
                print(f"{PROGRAM}: error: cannot read {error.filename or path}: {error.strerror}", file=sys.stderr)
                unreadable += 1
            else:
                tally = Tally.of(conversation)
                total.add(tally)
                if not arguments.quiet:
                    print(f"{path}: {tally.describe(imported=is_import(path, conversation))}")
                problems += report_problems(path, conversation)
            progress.step()
    if not arguments.quiet:
        print(total.summary(len(files), failed + unreadable, problems))
    if problems:
        print(f"{plural(problems, 'problem')} in {plural(len(files), 'file')}", file=sys.stderr)
    return 2 if unreadable else 1 if problems else 0


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    return f"{count:,} {noun if count == 1 else nouns or noun + 's'}"


def is_import(path: str, conversation: Conversation) -> bool:
    """Whether an importer read the file (an export, or a `.chat` post with `Format:`)."""
    from .readers import format_for_path

    declared = conversation.metadata.get("format", CHAT).strip().lower()
    return os.path.isdir(path) or format_for_path(path) is not None or declared != CHAT


class Tally:
    """What `check` counts in a conversation, so a user sees whether a file was read whole."""

    def __init__(self) -> None:
        self.messages = self.narration = self.untimed = self.quotes = self.linked = 0
        self.speakers: set[str] = set()

    @classmethod
    def of(cls, conversation: Conversation) -> Tally:
        from .model import Message

        tally = cls()
        for item in conversation.items:
            if isinstance(item, Message):
                tally.messages += 1
                tally.speakers.add(item.speaker.name.casefold())
                tally.untimed += item.time is None
                tally.quotes += len(item.quotes)
                tally.linked += sum(quote.target is not None for quote in item.quotes)
            else:
                tally.narration += item.text.count("\n") + 1
        return tally

    def add(self, other: Tally) -> None:
        self.messages += other.messages
        self.narration += other.narration
        self.untimed += other.untimed
        self.quotes += other.quotes
        self.linked += other.linked
        self.speakers |= other.speakers

    def describe(self, *, imported: bool) -> str:
        """`412 messages, 5 speakers, 9 system lines, 0 without time, 31 quotes (30 linked, 1 unlinked)`"""
        other = "system line" if imported else "narration line"
        return (
            f"{plural(self.messages, 'message')}, {plural(len(self.speakers), 'speaker')}, "
            f"{plural(self.narration, other)}, {self.untimed:,} without time, "
            f"{plural(self.quotes, 'quote')} ({self.linked:,} linked, {self.quotes - self.linked:,} unlinked)"
        )

    def summary(self, files: int, failed: int, problems: int) -> str:
        """The line under all files: `3 files: 1,204 messages, 12 speakers, 30 of 31 quotes linked, 0 problems`"""
        not_read = f" ({failed:,} not read)" if failed else ""
        return (
            f"{plural(files, 'file')}{not_read}: {plural(self.messages, 'message')}, "
            f"{plural(len(self.speakers), 'speaker')}, {self.linked:,} of {plural(self.quotes, 'quote')} linked, "
            f"{plural(problems, 'problem')}"
        )


def run_preview(arguments) -> int:
    from .render import render_page

    with Progress(["reading", "rendering"]) as progress, collector_paused():
        conversation = load(arguments.file, title=os.path.basename(arguments.file), **import_kwargs(arguments))
        progress.step()
        title = arguments.title or conversation.metadata["title"]
        page = render_page(conversation, title=title)
        progress.step()
    report_problems(arguments.file, conversation)
    write_output(arguments.output, page)
    return 0


def run_formats(_arguments) -> int:
    for fmt in FORMATS.values():
        print(f"{fmt.name:<9} {fmt.title}: files named *{', *'.join(fmt.suffixes)}\n"
              f"{'':<9} e.g. {fmt.sample}\n{'':<9} {fmt.how_to_export}\n")
    return 0


COMMANDS = {"convert": run_convert, "check": run_check, "preview": run_preview, "formats": run_formats}


def main(argv: list[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    try:
        return COMMANDS[arguments.command](arguments)
    except ChatlogError as error:
        print(f"{PROGRAM}: error: {error}", file=sys.stderr)
    except OSError as error:
        print(f"{PROGRAM}: error: cannot read or write {error.filename}: {error.strerror}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
