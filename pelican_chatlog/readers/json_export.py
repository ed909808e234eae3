"""What the JSON importers share: loading, the shape of entries, their source lines.

An export is a frame (an object with a "messages" list, or a list of day
entries) around entries.  A frame of the wrong shape is our error
(:func:`whole_export`); an entry of the wrong shape costs a warning and is
kept as text (:func:`guarded_entry`), so that edited or truncated exports
still read.  Entries are read only through :func:`field` and
:func:`objects`, which tell an entry of another shape apart from a mistake
of ours: that one raises.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..model import ChatlogError, Conversation, Message
from .builder import ConversationBuilder
from .lines import without_lone_surrogates

# What reading an export of an unexpected shape raises.
SHAPE_ERRORS = (AttributeError, TypeError, KeyError, ValueError, IndexError, OverflowError)
# What a JSON export may hold where an app writes an id: anything a dict can be keyed by.
JSON_SCALARS = (str, int, float, bool)
# A JSON string, number, true, false or null, as written.
JSON_SCALAR = r'"(?:[^"\\]|\\.)*"|[-+.\w]+'

# Reads one entry into the builder: (builder, entry, its line, *what the format passes along).
EntryReader = Callable[..., None]


class EntryShapeError(ValueError):
    """An entry of a JSON export unlike what the app writes: kept as text, with a warning."""


def field(entry: dict, key: str, kind: type | tuple[type, ...], default: Any = None) -> Any:
    """``entry[key]`` when it is of the kind the app writes there; missing or null is the default."""
    value = entry.get(key)
    if value is None:
        return default
    if not isinstance(value, kind):
        raise EntryShapeError(f"`{key}` is {type(value).__name__}")
    return value


def objects(entry: dict, key: str) -> list[dict]:
    """``entry[key]``, a list of objects (attachments, files …); missing is none."""
    values = field(entry, key, list, [])
    for value in values:
        if not isinstance(value, dict):
            raise EntryShapeError(f"`{key}` holds {type(value).__name__}")
    return values


# a `\u` escape of half a surrogate pair, the only way JSON text holds a lone one
SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def load_json(text: str, kind: str) -> Any:
    try:
        data = json.loads(text)
        return strings_mended(data) if SURROGATE_ESCAPE.search(text) else data
    except json.JSONDecodeError as error:
        raise ChatlogError(f"not a {kind} JSON export: {error.msg}", line=error.lineno) from None
    except RecursionError:
        raise ChatlogError(f"not a {kind} JSON export: nested too deeply", line=1) from None
    except ValueError as error:  # a number of more digits than Python converts (int_max_str_digits)
        raise ChatlogError(f"not a {kind} JSON export as {kind} writes it: {error}", line=1) from None


def strings_mended(data: Any) -> Any:
    """The parsed JSON with lone surrogates in its strings (keys too) as U+FFFD; no recursion,
    since the data may be as deep as the parser allows."""
    root = [data]
    pending: list[list | dict] = [root]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            mended = {without_lone_surrogates(key): value for key, value in node.items()}
            node.clear()
            node.update(mended)
        for key, value in list(node.items() if isinstance(node, dict) else enumerate(node)):
            if isinstance(value, str):
                node[key] = without_lone_surrogates(value)
            elif isinstance(value, (dict, list)):
                pending.append(value)
    return root[0]


def read_json_file(
    path: Path, kind: str, read_bytes: Callable[[Path], bytes] = lambda path: path.read_bytes()
) -> tuple[Any, str]:
    """A JSON file of a folder export, as (data, text); errors name the file."""
    try:
        text = read_bytes(path).decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ChatlogError(f"not UTF-8 text at offset {error.start}", line=None, path=str(path)) from None
    try:
        return load_json(text, kind), text
    except ChatlogError as error:
        raise error.located(str(path)) from None


@contextlib.contextmanager
def whole_export(kind: str) -> Iterator[None]:
    """Turn a JSON export of the wrong shape as a whole into our error.

    Entries are guarded one by one (:func:`guarded_entry`); this is for the
    frame around them: "messages" a string, a channel that is a list.
    """
    try:
        yield
    except ChatlogError:
        raise
    except SHAPE_ERRORS as error:
        raise ChatlogError(f"not a {kind} export as {kind} writes it ({error})", line=1) from None


def guarded_entry(
    builder: ConversationBuilder, raw: object, line: int, kind: str, read: EntryReader, *arguments: object
) -> None:
    """Read one entry of a JSON export; one unlike what the app writes is kept as text.

    Exports are edited, truncated and produced by other tools: a bad
    entry costs a warning, not the import, and its JSON stays on the page.
    """
    count = len(builder.items)
    try:
        if not isinstance(raw, dict):
            raise EntryShapeError(f"{type(raw).__name__} instead of an object")
        read(builder, raw, line, *arguments)
    except EntryShapeError as error:  # a mistake of ours is no warning: it raises
        del builder.items[count:]
        builder.warn(line, f"an entry unlike what {kind} writes ({error}); kept as text")
        builder.narration(json.dumps(raw, ensure_ascii=False), line)


def read_messages(
    text: str,
    kind: str,
    frame: Callable[[Any], tuple[list, str | None]],
    read: EntryReader,
    *,
    first_line: int = 0,
    path: str | None = None,
) -> Conversation:
    """An export whose entries have ids and name the entry they reply to by id.

    ``frame`` finds the list of entries (and the conversation's title, if
    any) in the loaded JSON; ``read(builder, entry, line, by_id)`` reads one
    entry, quoting replies from ``by_id`` and adding its message there.
    """
    with whole_export(kind):
        entries, title = frame(load_json(text, kind))
        builder = ConversationBuilder(first_line=first_line, path=path)
        if title:
            builder.metadata["title"] = title
        lines = JsonLines(text, "id")
        by_id: dict[object, Message] = {}
        for entry in entries:
            line = lines.of(entry.get("id") if isinstance(entry, dict) else None)
            guarded_entry(builder, entry, line, kind, read, by_id)
        return builder.build()


class JsonLines:
    """Source lines of the entries of a JSON export, found by their ids in order.

    The json module keeps no positions, so each entry's line is the line of
    the next occurrence of its id, which is where the entry starts.  One
    forward scan lists where each value of the key occurs (with any spacing:
    `"id":1` as well as `"id": 1`); looking one up never reads the text again,
    so an id that is missing costs no more than one that is found.
    """

    def __init__(self, text: str, key: str):
        self.text = text
        self.key = key
        self.position = 0
        self.line = 1
        self.places: dict[str, list[int]] | None = None  # value as written → where it occurs

    def of(self, value: object) -> int:
        if self.places is None:
            self.places = {}
            pattern = re.compile(rf'"{re.escape(self.key)}"\s*:\s*({JSON_SCALAR})')
            for match in pattern.finditer(self.text):
                self.places.setdefault(match[1], []).append(match.start())
        places = self.places.get(json.dumps(value), [])
        at = bisect.bisect_left(places, self.position)
        if at == len(places):
            return self.line
        found = places[at]
        self.line += self.text.count("\n", self.position, found)
        self.position = found
        return self.line
