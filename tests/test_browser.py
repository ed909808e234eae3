"""The built example site in a real browser: Debian's Chromium driven by Playwright.

Screenshots land in test-artifacts/ (light, dark, 360 px, per theme).
Outside CI a machine without /usr/bin/chromium skips these tests; with
CI=true a missing browser fails them.
"""

import functools
import http.server
import os
import threading
from pathlib import Path

import pytest

from conftest import ROOT, build_example

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
ARTIFACTS = ROOT / "test-artifacts"
THREAD = "volunteer-night-moved-and-why-the-tool-library-matters.html"
THEMES = ["notmyidea", "simple", "reflex"]


def _browser_missing():
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    return None


@pytest.fixture(scope="session")
def browser():
    missing = _browser_missing()
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests cannot run under CI: {missing}")
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session", params=THEMES)
def site(request, tmp_path_factory):
    """The example site built in one theme, served on loopback."""
    output = tmp_path_factory.mktemp(f"site-{request.param}") / "output"
    build_example(output, theme=request.param)
    handler = functools.partial(QuietHandler, directory=str(output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield request.param, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def open_page(browser, site, path=THREAD, width=1000, scheme="light"):
    theme, base = site
    page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page.goto(f"{base}/{path}")
    page.wait_for_load_state("load")
    return page


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def name_color(page, speaker):
    return page.eval_on_selector(
        f'.chatlog-run:has([data-speaker="{speaker}"]) .chatlog-name', "e => getComputedStyle(e).color"
    )


def test_speakers_get_different_colours(browser, site):
    page = open_page(browser, site)
    assert name_color(page, "Dana") != name_color(page, "Marcus_R")
    screenshot(page, f"{site[0]}-light")
    page.close()


def test_me_sits_on_the_other_side(browser, site):
    page = open_page(browser, site)
    chat = page.locator(".chatlog").bounding_box()
    dana = page.locator('[data-speaker="Dana"]').first.bounding_box()
    marcus = page.locator('[data-speaker="Marcus_R"]').first.bounding_box()
    chat_middle = chat["x"] + chat["width"] / 2
    assert dana["x"] < chat_middle and dana["x"] + dana["width"] < chat["x"] + chat["width"] - 20
    assert marcus["x"] + marcus["width"] > chat_middle and marcus["x"] > chat["x"] + 20
    page.close()


def test_quote_link_targets_and_highlights_its_source_and_the_backlink_returns(browser, site):
    page = open_page(browser, site)
    quote_link = page.locator(".chatlog-quote a").first
    target_id = quote_link.get_attribute("href")[1:]
    reply_id = quote_link.evaluate("a => a.closest('.chatlog-message').id")
    before = page.eval_on_selector(f"#{target_id}", "e => getComputedStyle(e).backgroundColor")
    quote_link.click()
    assert page.evaluate("location.hash") == f"#{target_id}"
    assert page.eval_on_selector(f"#{target_id}", "e => e.matches(':target')")
    page.wait_for_timeout(400)  # the highlight fades in
    after = page.eval_on_selector(f"#{target_id}", "e => getComputedStyle(e).backgroundColor")
    assert after != before
    assert page.locator(f"#{target_id}").is_visible()
    page.locator(f'#{target_id} a.chatlog-backlink[href="#{reply_id}"]').click()
    assert page.evaluate("location.hash") == f"#{reply_id}"
    assert page.eval_on_selector(f"#{reply_id}", "e => e.matches(':target')")
    page.close()


def test_no_horizontal_overflow_at_360px(browser, site):
    page = open_page(browser, site, width=360)
    overflow = page.evaluate(
        """() => [...document.querySelectorAll('.chatlog, .chatlog *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5
                      || e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible')
            .map(e => e.className || e.tagName)"""
    )
    assert overflow == []
    screenshot(page, f"{site[0]}-360px")
    page.close()


def test_dark_mode_changes_the_colours(browser, site):
    light = open_page(browser, site)
    dark = open_page(browser, site, scheme="dark")
    for selector, css in [(".chatlog", "backgroundColor"), (".chatlog-name", "color"), (".chatlog-message", "backgroundColor")]:
        script = f"e => getComputedStyle(e).{css}"
        assert light.eval_on_selector(selector, script) != dark.eval_on_selector(selector, script)
    screenshot(dark, f"{site[0]}-dark")
    light.close()
    dark.close()


def test_print_drops_backgrounds_and_keeps_names(browser, site):
    page = open_page(browser, site)
    page.emulate_media(media="print")
    page.wait_for_timeout(400)  # let the background transition finish
    background = "e => [getComputedStyle(e).backgroundImage, getComputedStyle(e).backgroundColor]"
    for selector in (".chatlog", ".chatlog-message", ".chatlog-quote"):
        assert page.eval_on_selector(selector, background) == ["none", "rgba(0, 0, 0, 0)"]
    assert page.locator(".chatlog-name").first.is_visible()
    page.close()
