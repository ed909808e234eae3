"""The example site that `make example` builds, built here into tmp_path."""

import pytest
from bs4 import BeautifulSoup

from conftest import build_example

POSTS = {
    "volunteer-night-moved-and-why-the-tool-library-matters.html": 12,
    "ten-minutes-with-a-wheel-builder.html": 9,
    "ride-planning.html": 6,
    "bike-co-op.html": 6,  # a WhatsApp export, titled by the group it names
    "why-we-lock-the-truing-stand-now.html": 3,  # a ```chat block in a Markdown post
}
# Quoting/> lines in example_site/content, one per quote shown
EXAMPLE_QUOTES = 5


@pytest.fixture(scope="module")
def example_output(tmp_path_factory):
    output = tmp_path_factory.mktemp("example") / "output"
    build_example(output)
    return output


@pytest.mark.parametrize("page, count", POSTS.items())
def test_every_example_post_renders_its_messages(example_output, page, count):
    soup = BeautifulSoup((example_output / page).read_text(encoding="utf-8"), "html.parser")
    assert len(soup.select(".chatlog .chatlog-message")) == count


def test_example_quotes_are_all_linked(example_output):
    linked = 0
    for page in POSTS:
        soup = BeautifulSoup((example_output / page).read_text(encoding="utf-8"), "html.parser")
        for quote in soup.select(".chatlog-quote"):
            href = quote.find("a")["href"]
            assert soup.find(id=href[1:]) is not None
            linked += 1
    # the example's quotes, counted by hand: a page that rendered none would pass the loop
    assert linked == EXAMPLE_QUOTES
