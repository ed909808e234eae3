"""A ||spoiler|| in a built site, in a real browser (Debian's Chromium driven by
Playwright, as tests/test_browser.py): covered until it is clicked, without
JavaScript, its text in the page all along.

Outside CI a machine without /usr/bin/chromium skips this; with CI=true a
missing browser fails it.
"""

from conftest import served
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



def test_a_spoiler_is_covered_until_clicked(build_site, browser):
    site = build_site({"spokes.chat": POST})
    with served(site.output) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
        page.goto(f"{base}/spokes.html")
        spoiler = page.locator(".chatlog-spoiler")
        before = spoiler.evaluate(STYLE)
        assert before["text"] == "the new volunteer"  # in the page, for feeds and screen readers
        assert before["width"] > 0 and before["height"] > 0  # a covered box to click
        assert before["color"] == 0 and before["background"] == 1, before  # the text is not shown
        assert before["innerColor"] == 0 or not before["innerVisible"], before
        spoiler.click()
        after = spoiler.evaluate(STYLE)
        assert after["color"] == 1 and after["innerColor"] == 1 and after["innerVisible"], after
        page.close()
