"""The catalogue of broken files in tests/broken/, each with the message it must give.

Every file is built beside two good posts: the message names the file and
line, the good posts are built, and `pelican --fatal errors` (or
`--fatal warnings` for problems that only warrant a warning) stops with the
reason.  The two huge cases are written at test time instead of stored.
"""

import logging
import subprocess
import sys
from pathlib import Path

import pytest

BROKEN = Path(__file__).parent / "broken"
GOOD = {
    "good-one.chat": "Title: Good one\n\nDana: hi\nMarcus: hello\n",
    "good-two.chat": "Title: Good two\n\nDana: still here\n",
}

# file: (level, line, what the message says)
CATALOGUE = {
    "not-utf8.chat": ("error", 3, "not UTF-8 text: byte 0xe9 at offset 25 cannot be decoded"),
    "empty.chat": ("error", 1, "the file is empty"),
    "header-only.chat": ("error", 3, "the header is not followed by any chat"),
    "malformed-header.chat": ("error", 2, "header line is not `Key: value`: 'this line is not a header line'"),
    "duplicate-header.chat": ("warning", 2, "duplicate header key `Title` (first given on line 1)"),
    "bad-date.chat": ("error", 2, "`Date: someday soon` cannot be read"),
    "huge-date.chat": ("error", 2, "`Date: 99999999999999999999` cannot be read"),
    "bad-timestamps.chat": ("error", 2, "`Timestamps: sideways` must be one of after, before"),
    "bad-speaker-colour.chat": ("error", 2, "not a colour of the form #rrggbb or #rgb: 'red;}body{display:none'"),
    "quote-of-later.chat": ("warning", 4, "quote of Dana not found, only a later message (line 6) says it"),
    "quote-of-nobody.chat": ("warning", 4, "quote of Dana not found, no earlier message says it"),
    "long-speaker-name.chat": ("warning", 4, "a name of 500 characters is too long to be guessed as a speaker"),
    "binary.chat": ("error", 3, "this looks like a binary file, not text: NUL byte at offset 8"),
    "utf16.chat": ("error", 1, "this file is UTF-16 text; save it as UTF-8"),
    "five-megabyte-line.chat": ("warning", 3, "a message of 5,242,880 characters: over 20,000 it is shown as typed"),
    "fifty-thousand-speakers.chat": ("warning", 1003, "more than 1,000 speakers, the latest 'Speaker1000'"),
}
GENERATED = {
    "five-megabyte-line.chat": lambda: "Title: One huge line\n\nDana: " + "x" * (5 * 1024 * 1024) + "\n",
    "fifty-thousand-speakers.chat": lambda: "Title: Crowd\n\n"
    + "".join(f"Speaker{n}: hello from {n}\n" for n in range(50_000)),
}


def source_of(name):
    if name in GENERATED:
        return GENERATED[name]()
    return (BROKEN / name).read_bytes()


def test_every_stored_broken_file_is_in_the_catalogue():
    assert {path.name for path in BROKEN.iterdir()} == set(CATALOGUE) - set(GENERATED)


@pytest.mark.parametrize("name", CATALOGUE)
def test_broken_file_gets_its_message_and_the_site_still_builds(build_site, name):
    level, line, fragment = CATALOGUE[name]
    site = build_site({name: source_of(name), **GOOD})
    wanted = logging.ERROR if level == "error" else logging.WARNING
    located = [
        record.getMessage()
        for record in site.log
        if record.levelno == wanted and f"{name}:{line}: " in record.getMessage()
    ]
    assert any(fragment in message for message in located), site.messages()
    assert (site.output / "good-one.html").exists()
    assert (site.output / "good-two.html").exists()
    assert (len(site.posts()) == 3) == (
        level == "warning"
    )


@pytest.mark.parametrize("name", CATALOGUE)
def test_pelican_fatal_stops_with_the_reason(tmp_path, name):
    level, line, fragment = CATALOGUE[name]
    content = tmp_path / "content"
    content.mkdir()
    source = source_of(name)
    (content / name).write_bytes(source if isinstance(source, bytes) else source.encode("utf-8"))
    for good, text in GOOD.items():
        (content / good).write_text(text, encoding="utf-8")
    (tmp_path / "conf.py").write_text(
        'PLUGINS = ["pelican_chatlog"]\nDEFAULT_DATE = (2024, 3, 7)\nTIMEZONE = "UTC"\n'
        'FEED_DOMAIN = "https://example.test"\n'
    )
    result = subprocess.run(
        [sys.executable, "-m", "pelican", str(content), "-o", str(tmp_path / "out"),
         "-s", str(tmp_path / "conf.py"), "--fatal", f"{level}s"],
        capture_output=True,
        text=True,
        env={"COLUMNS": "1000", "PATH": "/usr/bin:/bin"},
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"{name}:{line}: " in output and " ".join(fragment.split()) in " ".join(output.split())
