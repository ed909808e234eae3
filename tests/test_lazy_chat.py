"""Reading an export imports none of our `.chat` reader (nor the pastes it reads).

A preview of one IRC log pays only for what it uses: `readers.chat` and
`readers.pastes` compile dozens of patterns when imported.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from pelican_chatlog.readers import PASTE_FORMATS
from pelican_chatlog.readers.pastes import PASTE_SHAPES

ROOT = Path(__file__).resolve().parent.parent
READ_AN_EXPORT = """
import json, sys
from pelican_chatlog.pipeline import read_conversation
read_conversation(path=sys.argv[1])
print(json.dumps(sorted(sys.modules)))
"""


def test_the_paste_names_the_pipeline_knows_are_the_pastes_read():
    assert sorted(PASTE_FORMATS) == sorted(PASTE_SHAPES)


def test_reading_an_export_imports_neither_the_chat_reader_nor_the_pastes(tmp_path):
    log = tmp_path / "channel.irc.log"
    log.write_text("[09:02] <Priya> the stand is back\n[09:03] <Dana> at last\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", READ_AN_EXPORT, str(log)], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    modules = set(json.loads(result.stdout.strip().splitlines()[-1]))
    assert "pelican_chatlog.readers.irc" in modules
    assert not modules & {"pelican_chatlog.readers.chat", "pelican_chatlog.readers.pastes"}
