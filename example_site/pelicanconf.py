# The example site: an ordinary Pelican blog with the plugin enabled.
import os

AUTHOR = "Northside Cycle Co-op"
SITENAME = "Chatlog example"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_DATE = "fs"  # the header-less post has no Date of its own
RELATIVE_URLS = True
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_DOMAIN = "https://chatlog.example"  # feeds need absolute links
CC_LICENSE = "CC-BY-SA"  # wanted by the pelican-theme-reflex theme

PLUGINS = ["pelican_chatlog"]

# `make example THEME=simple` (or notmyidea, reflex) tries the site in another theme.
THEME = os.environ.get("CHATLOG_EXAMPLE_THEME", "notmyidea")
