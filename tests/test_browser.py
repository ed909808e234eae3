"""The built example site in a real browser: Debian's Chromium driven by Playwright.

Each theme's site is built once.  Every page is looked at three ways: at
1280 px in a light OS, at 1280 px with the OS in dark mode, and at 360 px;
the tests measure geometry and colour there, not just presence.
Screenshots land in test-artifacts/.  Outside CI a machine without
/usr/bin/chromium skips these tests; with CI=true a missing browser fails them.
"""

import pytest

from conftest import ROOT, build_example, served
ARTIFACTS = ROOT / "test-artifacts"
THREAD = "volunteer-night-moved-and-why-the-tool-library-matters.html"
FENCE_POST = "why-we-lock-the-truing-stand-now.html"
# name: (theme, extra settings); reflex needs AUTHOR and CC_LICENSE, which the example sets
SITES = {
    "notmyidea": ("notmyidea", {}),
    "simple": ("simple", {}),
    "reflex": ("reflex", {}),
    "reflex-dark": ("reflex", {"THEME_COLOR": "dark"}),
    "reflex-auto": ("reflex", {"THEME_COLOR_AUTO_DETECT_BROWSER_PREFERENCE": True}),
}
VIEWS = {"light": (1280, "light"), "os-dark": (1280, "dark"), "360px": (360, "light")}
# Whether the page itself is dark: notmyidea and reflex with its browser
# preference follow the OS, simple and reflex do not, reflex with
# THEME_COLOR = "dark" always is.
DARK_PAGE = {
    ("notmyidea", "os-dark"): True,
    ("reflex-auto", "os-dark"): True,
    ("reflex-dark", "light"): True,
    ("reflex-dark", "os-dark"): True,
    ("reflex-dark", "360px"): True,
}

# Colours as the browser computes them (rgb(), or color(srgb …) from
# color-mix()), laid over what is behind them, and their WCAG luminance.
MEASURE = """
() => {
  const parse = text => {
    let m = text.match(/^rgba?\\(([^)]*)\\)/);
    if (m) {
      const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
      return [p[0] / 255, p[1] / 255, p[2] / 255, p.length > 3 ? p[3] : 1];
    }
    m = text.match(/^color\\(srgb ([^)]*)\\)/);
    if (m) {
      const p = m[1].split(/[\\s\\/]+/).filter(Boolean).map(Number);
      return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    }
    throw new Error('unknown colour ' + text);
  };
  const over = (top, below) => [0, 1, 2].map(i => top[i] * top[3] + below[i] * (1 - top[3])).concat([1]);
  const background = element => {
    const layers = [];
    for (let e = element; e; e = e.parentElement) layers.push(parse(getComputedStyle(e).backgroundColor));
    return layers.reverse().reduce((below, top) => over(top, below), [1, 1, 1, 1]);
  };
  const luminance = c => {
    const [r, g, b] = c.slice(0, 3).map(v => v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const contrast = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const box = e => { const r = e.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  const chat = document.querySelector('.chatlog');
  const parent = chat.parentElement, ps = getComputedStyle(parent);
  const messages = [...document.querySelectorAll('.chatlog-message')].map(m => {
    const bubble = background(m);
    return {speaker: m.dataset.speaker, box: box(m), luminance: luminance(bubble),
            times: [...m.querySelectorAll(':scope > time')].filter(t => t.textContent).map(t => ({
              size: parseFloat(getComputedStyle(t).fontSize),
              contrast: contrast(over(parse(getComputedStyle(t).color), bubble), bubble)}))};
  });
  const floats = [...document.body.querySelectorAll('*')]
    .filter(e => !e.closest('.chatlog') && getComputedStyle(e).float !== 'none')
    .map(box).filter(b => b.right > b.left && b.bottom > b.top);
  const names = {};
  for (const m of document.querySelectorAll('.chatlog-message')) {
    const name = m.querySelector(':scope > b');
    if (name) names[m.dataset.speaker] = getComputedStyle(name).color;
  }
  return {
    chat: box(chat),
    column: {left: parent.getBoundingClientRect().left + parseFloat(ps.borderLeftWidth) + parseFloat(ps.paddingLeft),
             right: parent.getBoundingClientRect().right - parseFloat(ps.borderRightWidth) - parseFloat(ps.paddingRight)},
    page: luminance(background(parent)),
    messages, floats, names,
    rows: [...document.querySelectorAll('.chatlog-day, .chatlog-narration')].map(box),
    scrollWidth: document.scrollingElement.scrollWidth,
    innerWidth: window.innerWidth,
  };
}
"""


@pytest.fixture(scope="module", params=SITES)
def site(request, tmp_path_factory, browser):
    """The example site built once in one theme, served on loopback."""
    theme, settings = SITES[request.param]
    output = tmp_path_factory.mktemp(f"site-{request.param}") / "output"
    build_example(output, theme, **settings)
    with served(output) as base:
        yield request.param, base


@pytest.fixture(scope="module")
def measured(site, browser):
    """What each view of the thread measures, with a screenshot of each."""
    name, base = site
    results = {}
    for view, (width, scheme) in VIEWS.items():
        page = open_page(browser, base, width=width, scheme=scheme)
        results[view] = page.evaluate(MEASURE)
        screenshot(page, f"{name}-{view}")
        page.close()
    return name, results


def open_page(browser, base, path=THREAD, width=1280, scheme="light"):
    page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page.goto(f"{base}/{path}")
    page.wait_for_load_state("load")
    return page


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def intersects(a, b, slack=0.5):
    return min(a["right"], b["right"]) - max(a["left"], b["left"]) > slack and min(
        a["bottom"], b["bottom"]
    ) - max(a["top"], b["top"]) > slack


@pytest.mark.parametrize("view", VIEWS)
def test_no_message_meets_a_floated_theme_element(measured, view):
    name, results = measured
    result = results[view]
    if name == "notmyidea":
        assert result["floats"], "notmyidea floats its post-info panel: the test must see it"
    for message in result["messages"]:
        for floated in result["floats"]:
            assert not intersects(message["box"], floated), (message["speaker"], floated)
    # day rules and narration span the chat, never squeezed beside a float
    for row in result["rows"]:
        assert row["right"] - row["left"] == pytest.approx(result["chat"]["right"] - result["chat"]["left"], abs=1)


@pytest.mark.parametrize("view", VIEWS)
def test_bubbles_follow_the_page_not_the_os(measured, view):
    name, results = measured
    result = results[view]
    dark = DARK_PAGE.get((name, view), False)
    assert (result["page"] < 0.2) if dark else (result["page"] > 0.6)
    for message in result["messages"]:
        assert (message["luminance"] < 0.2) if dark else (message["luminance"] > 0.6), message["speaker"]


@pytest.mark.parametrize("view", VIEWS)
def test_times_are_readable_on_their_bubble(measured, view):
    _, results = measured
    times = [time for message in results[view]["messages"] for time in message["times"]]
    assert len(times) >= 10
    for time in times:
        assert time["size"] >= 12
        assert time["contrast"] >= 4.5


@pytest.mark.parametrize("view", VIEWS)
def test_two_speakers_two_colours_two_sides(measured, view):
    _, results = measured
    result = results[view]
    names = result["names"]
    assert names["Dana"] != names["Marcus R."]  # the name shown: the original is nowhere on the page
    chat = result["chat"]
    middle = (chat["left"] + chat["right"]) / 2
    dana = [m["box"] for m in result["messages"] if m["speaker"] == "Dana"]
    marcus = [m["box"] for m in result["messages"] if m["speaker"] == "Marcus R."]
    assert all(box["left"] < middle and box["left"] - chat["left"] < 20 for box in dana)
    assert all(box["right"] > middle and chat["right"] - box["right"] < 20 for box in marcus)
    assert max(box["left"] for box in dana) < min(box["left"] for box in marcus)


@pytest.mark.parametrize("view", VIEWS)
def test_chat_fills_the_theme_column_and_never_scrolls_sideways(measured, view):
    _, results = measured
    result = results[view]
    # aligned with the theme's content column: not centred in it, not narrower
    assert result["chat"]["left"] == pytest.approx(result["column"]["left"], abs=1)
    assert result["chat"]["right"] == pytest.approx(result["column"]["right"], abs=1)
    assert result["scrollWidth"] <= result["innerWidth"]


def test_quote_link_targets_and_highlights_its_source_and_the_backlink_returns(browser, site):
    page = open_page(browser, site[1])
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


def test_print_drops_backgrounds_and_shows_names_and_link_targets(browser, site):
    page = open_page(browser, site[1], path=FENCE_POST)
    page.emulate_media(media="print")
    page.wait_for_timeout(400)  # let the background transition finish
    background = "e => [getComputedStyle(e).backgroundImage, getComputedStyle(e).backgroundColor]"
    for selector in (".chatlog", ".chatlog-message", ".chatlog-quote"):
        assert page.eval_on_selector(selector, background) == ["none", "rgba(0, 0, 0, 0)"]
    name = page.locator(".chatlog-message > b").first
    assert name.is_visible() and name.evaluate("e => getComputedStyle(e).color") == "rgb(0, 0, 0)"
    link = page.locator('.chatlog-message a[href^="https:"]').first
    shown = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert link.get_attribute("href") in shown
    page.close()


def test_an_image_from_an_export_folder_loads_inline_in_the_built_site(browser, tmp_path):
    """A WhatsApp "with media" folder (its `_chat.txt` and a PNG it names): the
    built page shows the copy, loaded, at the size its header gives."""
    import struct
    import zlib

    from pelican import Pelican
    from pelican.settings import read_settings

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x40" * 40 for _ in range(30))
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 40, 30, 8, 0, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
    content = tmp_path / "content"
    (content / "ride").mkdir(parents=True)
    (content / "ride.chat").write_text("Title: Ride photos\nFormat: whatsapp\nSource: ride/_chat.txt\n")
    (content / "ride" / "_chat.txt").write_text(
        "[14/03/2024, 09:20:05] Dana Okafor: Look at this\n"
        "\u200e[14/03/2024, 09:20:11] Dana Okafor: \u200e<attached: 00000012-PHOTO-2024-03-14-09-20-11.png>\n"
    )
    (content / "ride" / "00000012-PHOTO-2024-03-14-09-20-11.png").write_bytes(png)
    output = tmp_path / "output"
    override = {"PATH": str(content), "OUTPUT_PATH": str(output), "PLUGINS": ["pelican_chatlog"],
                "RELATIVE_URLS": True, "TIMEZONE": "UTC", "CACHE_CONTENT": False}
    Pelican(read_settings(None, override=override)).run()
    with served(output) as base:
        page = open_page(browser, base, path="ride-photos.html")
        image = page.locator(".chatlog img")
        image.scroll_into_view_if_needed()  # lazy: loaded once near the view
        page.wait_for_function("() => document.querySelector('.chatlog img').complete")
        assert image.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [40, 30]
        box = image.bounding_box()
        assert box is not None and round(box["width"]) == 40 and round(box["height"]) == 30
        screenshot(page, "media-inline-image")
        page.close()
