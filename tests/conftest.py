"""Shared helpers: build a real Pelican site into tmp_path and read it back."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "example_site"


class Site:
    def __init__(self, output: Path, log: list[logging.LogRecord]):
        self.output = output
        self.log = log

    def page(self, name: str) -> BeautifulSoup:
        return BeautifulSoup((self.output / name).read_text(encoding="utf-8"), "html.parser")

    def messages(self, level=logging.WARNING) -> list[str]:
        return [record.getMessage() for record in self.log if record.levelno >= level]


@pytest.fixture
def build_site(tmp_path, caplog):
    """build_site({"post.chat": text}, SETTING=value) -> Site, logs captured."""
    from pelican import Pelican
    from pelican.settings import read_settings

    def build(files: dict[str, str | bytes], **overrides) -> Site:
        content = tmp_path / "content"
        content.mkdir(exist_ok=True)
        for name, text in files.items():
            path = content / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(text, encoding="utf-8")
        output = tmp_path / "output"
        settings = read_settings(
            override={
                "PATH": str(content),
                "OUTPUT_PATH": str(output),
                "PLUGINS": ["pelican_chatlog"],
                "DEFAULT_DATE": (2024, 3, 7),
                "TIMEZONE": "UTC",
                "SITEURL": "",
                "FEED_DOMAIN": "https://example.test",
                "CACHE_CONTENT": False,
                "LOAD_CONTENT_CACHE": False,
                **overrides,
            }
        )
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            Pelican(settings).run()
        return Site(output, list(caplog.records))

    return build


def build_example(output, theme="notmyidea"):
    """The example site that `make example` builds, into ``output``."""
    from pelican import Pelican
    from pelican.settings import read_settings

    settings = read_settings(
        str(EXAMPLE / "pelicanconf.py"),
        override={"PATH": str(EXAMPLE / "content"), "OUTPUT_PATH": str(output), "THEME": theme},
    )
    Pelican(settings).run()


def injected(page: BeautifulSoup) -> list[str]:
    """Elements and attributes that chat text could only have put there."""
    found = [str(element)[:80] for element in page.find_all(["img", "script", "svg", "iframe"])]
    found += [
        f"{element.name} {attribute}"
        for element in page.find_all(True)
        for attribute in element.attrs
        if attribute.lower().startswith("on")
    ]
    return found
