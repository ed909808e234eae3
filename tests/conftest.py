"""Shared helpers: build a real Pelican site into tmp_path and read it back."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import logging
import re
import threading
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "example_site"
# The pages Pelican writes for every site, whatever its posts
LISTINGS = frozenset({"index.html", "archives.html", "authors.html", "categories.html", "tags.html"})


class Site:
    def __init__(self, output: Path, log: list[logging.LogRecord]):
        self.output = output
        self.log = log

    def page(self, name: str) -> BeautifulSoup:
        return BeautifulSoup((self.output / name).read_text(encoding="utf-8"), "html.parser")

    def posts(self) -> list[str]:
        """The written pages that are not Pelican's listings: one a post, for a one-page site."""
        return sorted(path.name for path in self.output.glob("*.html") if path.name not in LISTINGS)

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


def build_example(output, theme="notmyidea", **settings):
    """The example site that `make example` builds, into ``output``, maybe with more settings."""
    from pelican import Pelican
    from pelican.settings import read_settings

    override = {"PATH": str(EXAMPLE / "content"), "OUTPUT_PATH": str(output), "THEME": theme, **settings}
    Pelican(read_settings(str(EXAMPLE / "pelicanconf.py"), override=override)).run()


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


def site_text(site) -> str:
    """Every file of the built site, lower-cased: pages, listings with summaries, feeds."""
    return " ".join(path.read_bytes().decode("utf-8", "replace").casefold()
                    for path in site.output.rglob("*") if path.is_file())


def shown_text(tag) -> str:
    """An element's text as a reader sees it: white space squeezed."""
    return " ".join(tag.get_text().split())


def outside_links(tag) -> list[str]:
    """The addresses of the links to other sites (not a message's own permalink)."""
    return [link["href"] for link in tag.select("a[href]") if not link["href"].startswith("#")]


def telegram_crew(text: list) -> str:
    """A Telegram group export ("Crew"): Zqdana Zqokafor says morning, then Mei Lin says ``text``
    (Telegram's list of plain strings and entities such as text links)."""
    messages = [
        {"id": 1, "type": "message", "date": "2024-05-04T09:00:00", "from": "Zqdana Zqokafor",
         "from_id": "user41", "text": "morning"},
        {"id": 2, "type": "message", "date": "2024-05-04T09:01:00", "from": "Mei Lin", "from_id": "user42",
         "text": text},
    ]
    return json.dumps({"name": "Crew", "type": "private_group", "id": 4200, "messages": messages})


# --- the browser tests' Chromium (Debian's, driven by Playwright; never a download) ---
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


def browser_missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    return None


@pytest.fixture(scope="module")
def browser():
    """Chromium for one test module; skipped without it, except under CI=true, where that fails."""
    import os

    missing = browser_missing()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests cannot run under CI: {missing}")
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def served(folder):
    """A built site served on loopback while the block runs: its base URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# --- counting a regular expression's work (cost tests count work, never time) ---------------


class CountedPattern:
    """A compiled pattern counting the work of each call: one, and the characters it reads
    (from where it starts to the end of what it finds, to the text's end when nothing)."""

    work = 0

    def __init__(self, compiled: re.Pattern):
        self.compiled = compiled

    def __getattr__(self, name):
        return getattr(self.compiled, name)

    def search(self, text, pos=0, *rest):
        found = self.compiled.search(text, pos, *rest)
        CountedPattern.work += 1 + (found.end() if found else len(text)) - pos
        return found

    def match(self, text, pos=0, *rest):
        found = self.compiled.match(text, pos, *rest)
        CountedPattern.work += 1 + (found.end() - pos if found else 0)
        return found

    def fullmatch(self, text, pos=0, *rest):
        found = self.compiled.fullmatch(text, pos, *rest)
        CountedPattern.work += 1 + (found.end() - pos if found else 0)
        return found

    def finditer(self, text, pos=0, *rest):
        CountedPattern.work += 1 + len(text) - pos
        return self.compiled.finditer(text, pos, *rest)

    def sub(self, replacement, text, *rest):
        CountedPattern.work += 1 + len(text)
        return self.compiled.sub(replacement, text, *rest)


class CountingRe:
    """The re module, whose compile() gives counted patterns."""

    def __getattr__(self, name):
        return getattr(re, name)

    @staticmethod
    def compile(pattern, flags=0):
        return CountedPattern(re.compile(pattern, flags))
