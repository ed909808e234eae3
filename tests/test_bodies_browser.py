"""A ||spoiler|| in a built site, in a real browser (Debian's Chromium driven by
Playwright, as tests/test_browser.py): covered until it is clicked, without
JavaScript, its text in the page all along.

Outside CI a machine without /usr/bin/chromium skips this; with CI=true a
missing browser fails it.
"""

import functools
import http.server
import os
import threading
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
POST = "Title: Spokes\nDate: 2024-03-07\nSpeakers: Dana, Bob\n\nDana: who trued it?\nBob: it was ||the **new** volunteer|| again\n"

STYLE = """
element => {
  const style = getComputedStyle(element);
  const inner = getComputedStyle(element.querySelector('strong'));
  const box = element.getBoundingClientRect();
  const alpha = colour => {
    const m = colour.match(/rgba?\\(([^)]*)\\)/);
    if (!m) return 1;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return p.length > 3 ? p[3] : 1;
  };
  return {
    color: alpha(style.color), background: alpha(style.backgroundColor),
    innerColor: alpha(inner.color), innerVisible: inner.visibility === 'visible',
    width: box.width, height: box.height, text: element.textContent,
  };
}
"""


def _browser_missing():
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    return None


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_a_spoiler_is_covered_until_clicked(build_site):
    missing = _browser_missing()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests cannot run under CI: {missing}")
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    site = build_site({"spokes.chat": POST})
    handler = functools.partial(QuietHandler, directory=str(site.output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/spokes.html")
            spoiler = page.locator(".chatlog-spoiler")
            before = spoiler.evaluate(STYLE)
            assert before["text"] == "the new volunteer"  # in the page, for feeds and screen readers
            assert before["width"] > 0 and before["height"] > 0  # a covered box to click
            assert before["color"] == 0 and before["background"] == 1, before  # the text is not shown
            assert before["innerColor"] == 0 or not before["innerVisible"], before
            spoiler.click()
            after = spoiler.evaluate(STYLE)
            assert after["color"] == 1 and after["innerColor"] == 1 and after["innerVisible"], after
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
