"""`convert --anonymize`: a pseudonym for every speaker but the blog's owner,
and the mapping file that lets the author check them.

The pseudonyms ("Person 1", "Person 2" …) follow the order in which the
speakers first appear, so the same export always gives the same ones.  The
renaming itself (names, quotes, mentions in the text, a phone number however
it is written) is :func:`pelican_chatlog.privacy.rename_speakers`.

The mapping holds the real names, so it never goes where Pelican reads
content: a file inside a site's content folder is one upload away from being
published.  The site is the nearest folder above a file holding a
`pelicanconf.py`; its content folder is that file's `PATH`, read by Pelican's
own `read_settings` (imported only when needed: the core stays free of
Pelican), and `--content` names one too.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import re
from collections.abc import Sequence
from typing import NamedTuple

from .model import ChatlogError, Conversation, Speaker
from .privacy import KEEP_ALL, Privacy, hide, rename_speakers
from .readers.lines import split_lines

PERSON_PSEUDONYM = "Person {}"
# How --anonymize reads a chat: as it is (privacy.KEEP_ALL), so that the
# mapping says who "Person 2" is, not "Contact 1" or a display name, and the
# renaming follows numbers and addresses before what is left is masked.
READ_FOR_PSEUDONYMS = KEEP_ALL
MAPPING_SUFFIX = ".pseudonyms.json"
SETTINGS_FILE = "pelicanconf.py"
# A run of letters and digits: `bob_away`, an IRC nick changed, still holds the word "bob".
WORD = re.compile(r"[^\W_]+")


def choose_pseudonyms(conversation: Conversation, me: str | None = None) -> dict[Speaker, str]:
    """"Person 1", "Person 2" … for each speaker but ``me``, in order of first
    appearance; speakers whose names differ only in case are one person."""
    owner = me.casefold() if me else None
    numbers = (PERSON_PSEUDONYM.format(number) for number in itertools.count(1))
    chosen: dict[Speaker, str] = {}
    by_name: dict[str, str] = {}
    for speaker in first_appearance(conversation):
        key = speaker.name.casefold()
        if key == owner:
            continue
        if key not in by_name:
            # the owner keeps their own name, so no pseudonym may be it
            by_name[key] = next(name for name in numbers if name.casefold() != owner)
        chosen[speaker] = by_name[key]
    return chosen


def first_appearance(conversation: Conversation) -> list[Speaker]:
    """The speakers in the order a reader meets them: a quote comes above the
    message that quotes it; declared speakers who never speak come last."""
    seen: dict[int, Speaker] = {}
    for message in conversation.messages:
        for speaker in (*(quote.speaker for quote in message.quotes), message.speaker):
            seen.setdefault(id(speaker), speaker)
    for speaker in conversation.speakers:
        seen.setdefault(id(speaker), speaker)
    return list(seen.values())


def anonymize(
    conversation: Conversation, me: str | None = None, *, export: bool = False
) -> tuple[dict[str, str], str | None]:
    """Rename every speaker but ``me`` to a pseudonym, in place, the text
    following; the mapping, pseudonym -> original name, in pseudonym order,
    and the owner's name now (the name they are shown under, if any).

    The conversation is read with :data:`READ_FOR_PSEUDONYMS`; then, an
    ``export``'s phone numbers and e-mail addresses that name no speaker are
    masked as reading it would have (privacy's defaults)."""
    chosen = choose_pseudonyms(conversation, me)
    mapping: dict[str, str] = {}
    for speaker, pseudonym in chosen.items():
        mapping.setdefault(pseudonym, speaker.name)  # the first spelling met
    # the owner keeps the name they chose to be shown under, whole whatever it holds
    owner = {speaker: speaker.label for speaker in first_appearance(conversation) if speaker not in chosen}
    rename_speakers(conversation, {**chosen, **owner})
    hide(conversation, Privacy(pseudonyms=False), export=export)
    return mapping, next(iter(owner.values()), None)


def mapping_text(mapping: dict[str, str]) -> str:
    """The mapping file: one JSON object, pseudonym -> original name, one a line."""
    return json.dumps(mapping, ensure_ascii=False, indent=2) + "\n"


def leftover_words(
    text: str, mapping: dict[str, str], me: str | None = None, others: Sequence[str] = ()
) -> list[tuple[str, int, int]]:
    """Words of the real names still in the written text, as (word, the line
    it is first on, how many times): the renaming follows whole names, so a
    first name alone ("Dana" for "Dana Okafor") stays, and so do ``others``,
    people who do not speak; the author must be told where to look.  Words
    the owner's name or a pseudonym also has are not counted.  Each word of
    the text is looked up once: linear however many names there are."""
    kept = set().union(name_words(me or ""), *map(name_words, mapping))
    wanted = set().union(*map(name_words, [*mapping.values(), *others])) - kept
    found: dict[str, tuple[str, int, int]] = {}
    for number, line in enumerate(split_lines(text), start=1):
        for match in WORD.finditer(line):
            key = match.group().casefold()
            if key in wanted:
                word, first, count = found.get(key, (match.group(), number, 0))
                found[key] = (word, first, count + 1)
    return sorted(found.values(), key=lambda word_line_count: word_line_count[1])


def people_not_speaking(conversation: Conversation) -> list[str]:
    """The names of people who only react or are forwarded from: they get no
    pseudonym (a reaction's "You" would turn every "you" of the text into one)."""
    speakers = {speaker.name.casefold() for speaker in first_appearance(conversation)}
    names = [name for message in conversation.messages
             for name in (message.forwarded_from, *(who for reaction in message.reactions for who in reaction.who))]
    return [name for name in dict.fromkeys(names) if name and name.casefold() not in speakers]


def name_words(name: str) -> set[str]:
    """The words of a name worth looking for: two letters or digits or more."""
    return {word.casefold() for word in WORD.findall(name) if len(word) > 1}


class ContentFolder(NamedTuple):
    path: str  # absolute, links resolved
    named_by: str  # the pelicanconf.py whose PATH it is, or "--content"
    outside: str  # where a mapping goes instead: beside pelicanconf.py, or beside the folder


def content_folders(path: str, declared: str | None = None) -> list[ContentFolder]:
    """The content folders that may hold ``path``: ``declared`` (`--content`)
    and that of the Pelican site around it, if any."""
    folders = []
    if declared is not None:
        folder = os.path.realpath(declared)
        folders.append(ContentFolder(folder, "--content", os.path.dirname(folder)))
    site = site_around(path)
    if site is not None:
        folders.append(site)
    return folders


def site_around(path: str) -> ContentFolder | None:
    """The content folder of the Pelican site ``path`` lies in: that of the
    nearest folder above it holding a pelicanconf.py, as the path is written
    (`content/exports/x.chat`, `exports` a link to a folder elsewhere) or once
    its links are resolved; None outside any site."""
    for start in dict.fromkeys([os.path.abspath(path), os.path.realpath(path)]):
        folder = os.path.dirname(start)
        while True:
            settings = os.path.join(folder, SETTINGS_FILE)
            if os.path.isfile(settings):
                return ContentFolder(content_folder(settings), settings, folder)
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
    return None


def content_folder(settings_file: str) -> str:
    """`PATH` as Pelican reads it: relative to the settings file, and by
    default the folder Pelican runs in, which is the settings file's."""
    from pelican.settings import read_settings

    # Pelican's warnings about the site's feeds and time zone concern its builds,
    # not a converted chat: they would be all a user sees of `convert` besides its result
    settings_log = logging.getLogger("pelican.settings")
    level = settings_log.level
    settings_log.setLevel(logging.ERROR)
    try:
        settings = read_settings(settings_file)
    except Exception as error:  # the site's own code: whatever it raises, say where
        raise ChatlogError(f"cannot read the site's settings to find its content folder: {error}",
                           path=settings_file) from None
    finally:
        settings_log.setLevel(level)
    return os.path.realpath(os.path.join(os.path.dirname(settings_file), settings["PATH"]))


def inside(path: str, folder: str) -> bool:
    """Whether ``path`` is in ``folder`` (a real path), links resolved or as written: Pelican
    follows a link in the content folder, so a folder it points to is content too."""
    if os.path.commonpath([os.path.realpath(path), folder]) == folder:
        return True
    above = os.path.abspath(path)
    while os.path.dirname(above) != above:
        above = os.path.dirname(above)
        if os.path.realpath(above) == folder:
            return True
    return False


def mapping_path(beside: str, chosen: str | None = None, content: str | None = None) -> str:
    """Where the mapping goes: ``chosen`` (`--mapping`), refused inside a
    content folder (``content``, `--content`, or a site's); else beside
    ``beside`` (the output, or the export when the output is stdout) as
    NAME.pseudonyms.json, or, when that is in a content folder, beside the
    site's pelicanconf.py (or beside the `--content` folder)."""
    folders = content_folders(beside, content)
    if chosen is not None:
        for folder in folders + content_folders(chosen):
            if inside(chosen, folder.path):
                raise ChatlogError(
                    f"--mapping {chosen} is inside the content folder {folder.path} ({folder.named_by}); "
                    "the mapping holds the real names: write it outside that folder"
                )
        return chosen
    name = os.path.splitext(os.path.basename(os.path.normpath(beside)))[0] + MAPPING_SUFFIX
    holding = [folder for folder in folders if inside(beside, folder.path)]
    if not holding:
        return os.path.join(os.path.dirname(os.path.normpath(beside)), name)
    place = os.path.join(holding[0].outside, name)
    if any(inside(place, folder.path) for folder in folders):
        raise ChatlogError(
            f"{beside} is in the content folder {holding[0].path} ({holding[0].named_by}), and so is "
            "the place for its mapping beside that folder's settings; give --mapping FILE outside that folder"
        )
    return place


def write_mapping(path: str, text: str) -> bool:
    """Write the mapping; False when the file already holds exactly it.  A
    file holding anything else is never overwritten: it may be the only key
    to another post's pseudonyms."""
    try:
        # created readable by its owner only: it holds the real names
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        with open(path, encoding="utf-8", errors="replace") as existing:
            if existing.read() == text:
                return False
        raise ChatlogError(
            "already exists and holds other pseudonyms; it is not overwritten: "
            "remove it, or choose another file with --mapping", path=path
        ) from None
    with os.fdopen(descriptor, "w", encoding="utf-8") as mapping:
        mapping.write(text)
    return True
