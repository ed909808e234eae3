"""Signal conversations exported as text (signal-export and similar tools).

    [2019-12-24, 12:23] Jane Doe: Hello
    [2019-12-24 12:24:05] Bob: Hi!
"""

from __future__ import annotations

import datetime
import re

from .lines import split_lines
from . import ConversationBuilder, Format, register

STAMPED = re.compile(
    r"\[(?P<date>\d{4}-\d{2}-\d{2}),?[ T](?P<clock>\d{1,2}:\d{2}(?::\d{2})?)\][ \t](?P<rest>.*)"
)
NAME_AND_TEXT = re.compile(r"(?P<name>[^:]{1,80}?):(?: (?P<text>.*))?")  # "Bob:" is an empty message


def read(text: str, **_options):
    builder = ConversationBuilder()
    for number, line in enumerate(split_lines(text), start=1):
        stamp = STAMPED.fullmatch(line)
        if stamp is None:
            builder.unstamped(line, number)
            continue
        try:
            clock = [int(part) for part in stamp["clock"].split(":")]
            when = datetime.datetime.combine(datetime.date.fromisoformat(stamp["date"]), datetime.time(*clock))
        except ValueError:
            builder.bad_stamp(line, number, f"{stamp['date']} {stamp['clock']}")
            continue
        time_text = f"{stamp['date']} {stamp['clock']}"
        builder.stamped(NAME_AND_TEXT.fullmatch(stamp["rest"]), stamp["rest"], number, when, time_text)
    return builder.build()


register(
    Format(
        name="signal",
        title="Signal",
        suffixes=(".signal.txt",),
        read=read,
        sample="[2019-12-24, 12:23] Jane Doe: Hello",
        how_to_export="Signal Desktop has no text export of its own: use signal-export "
        "(`sigexport --no-html`, then `chat.md`/`.txt`), whose lines look like the sample.",
    )
)
