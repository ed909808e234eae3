# The example site: an ordinary Pelican blog with the plugin enabled.
import os

AUTHOR = "Northside Cycle Co-op"
SITENAME = "Chatlog example"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
# The header-less post takes its date (and slug) from its file name.
FILENAME_METADATA = r"(?P<date>\d{4}-\d{2}-\d{2})-(?P<slug>.*)"
RELATIVE_URLS = True
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_DOMAIN = "https://chatlog.example"  # feeds need absolute links
CC_LICENSE = "CC-BY-SA"  # wanted by the pelican-theme-reflex theme

PLUGINS = ["pelican_chatlog"]

# `CHATLOG_EXAMPLE_THEME=simple make example` (or notmyidea, reflex) tries the site in another theme.
THEME = os.environ.get("CHATLOG_EXAMPLE_THEME", "notmyidea")

# Site-wide speaker styles; a post's `Speakers:` header wins over these.
CHATLOG_SPEAKERS = {
    "Marcus_R": {"name": "Marcus R.", "color": "#1f6f8b"},
}
