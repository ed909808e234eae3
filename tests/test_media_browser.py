"""An inline image from a WhatsApp "with media" zip, in a built site, in a real browser
(Debian's Chromium driven by Playwright, as tests/test_browser.py): it loads, and its box
stays inside the message's bubble even when the photo is far wider than the screen.

Shape: the zip an iOS "Export chat → Attach media" gives, `_chat.txt` beside its files
(lucasrodes/whatstk docs "iOS: the chat is exported as a zip"; starkdmi/whats_json
test/data/ios/*.txt for the lines); people and text invented.

Outside CI a machine without /usr/bin/chromium skips this; with CI=true a missing browser
fails it.
"""

from __future__ import annotations

import io
import zipfile

from PIL import Image

from conftest import served

CHAT = (
    "[14/03/2024, 09:20:05] Dana Okafor: The view from the pass\n"
    "\u200e[14/03/2024, 09:20:11] Dana Okafor: \u200e<attached: 00000012-PHOTO-2024-03-14-09-20-11.jpg>\n"
    "[14/03/2024, 09:21:40] Marek Nowak: Wow\n"
)

BOXES = """
img => {
  const own = img.getBoundingClientRect();
  const bubble = img.closest('.chatlog-message').getBoundingClientRect();
  return {natural: img.naturalWidth, complete: img.complete, own: [own.left, own.top, own.right, own.bottom],
          bubble: [bubble.left, bubble.top, bubble.right, bubble.bottom]};
}
"""


def export(**options) -> bytes:
    photo = io.BytesIO()
    Image.new("RGB", (1600, 500), "steelblue").save(photo, "JPEG", **options)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("_chat.txt", CHAT)
        archive.writestr("00000012-PHOTO-2024-03-14-09-20-11.jpg", photo.getvalue())
    return out.getvalue()


def test_an_image_from_a_zip_export_loads_inside_its_bubble(build_site, browser):
    site = build_site({"pass.whatsapp.zip": export()})
    with served(site.output) as base:
        page = browser.new_page(viewport={"width": 420, "height": 900}, java_script_enabled=False)
        page.goto(f"{base}/pass.html")
        img = page.locator(".chatlog img")
        img.scroll_into_view_if_needed()
        page.wait_for_function("document.querySelector('.chatlog img').complete")
        boxes = img.evaluate(BOXES)
        page.close()
    assert boxes["natural"] == 1600, boxes
    left, top, right, bottom = boxes["own"]
    b_left, b_top, b_right, b_bottom = boxes["bubble"]
    assert right - left > 50, boxes  # shown, scaled to the screen
    assert b_left <= left and right <= b_right and b_top <= top and bottom <= b_bottom, boxes


def test_a_photo_taken_upright_is_sized_as_the_browser_turns_it(build_site, browser):
    exif = Image.Exif()
    exif[0x0112] = 6  # EXIF orientation: turned a quarter clockwise, as a phone held upright writes it
    site = build_site({"pass.whatsapp.zip": export(exif=exif)})
    with served(site.output) as base:
        page = browser.new_page(viewport={"width": 420, "height": 900}, java_script_enabled=False)
        page.goto(f"{base}/pass.html")
        img = page.locator(".chatlog img")
        img.scroll_into_view_if_needed()
        page.wait_for_function("document.querySelector('.chatlog img').complete")
        size = img.evaluate("img => [img.getAttribute('width'), img.getAttribute('height'), img.naturalWidth,"
                            " img.naturalHeight, img.getBoundingClientRect().width]")
        page.close()
    assert size[:4] == ["500", "1600", 500, 1600], size  # the attributes say what the browser shows
    assert size[4] <= 420, size
