"""The Python renderer writes exactly what the bundled templates write.

render() uses pelican_chatlog.direct when no site or theme overrides a
conversation template, and Jinja otherwise.  A folder holding copies of
the bundled templates is an override that changes nothing: rendering
through it must give the same bytes as the direct path.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pelican_chatlog import direct, parse, render
from pelican_chatlog.cli import load
from pelican_chatlog.readers import format_for_path
from pelican_chatlog.render import TEMPLATE_FOLDER, overridden

ROOT = Path(__file__).resolve().parent.parent


def chat_sources() -> list[Path]:
    """Every post, export and Slack channel folder the tests and the example site hold."""
    found = [*(ROOT / "example_site" / "content").glob("*.chat"), *(ROOT / "example_site" / "content").glob("*.txt")]
    for folder in (ROOT / "tests" / "fixtures", ROOT / "tests" / "exports"):
        found += [
            path for path in folder.rglob("*")
            if path.is_file() and (path.suffix == ".chat" or format_for_path(str(path)))
        ]
    found += [day.parent for day in (ROOT / "tests" / "exports" / "slack").glob("*/*.json")]
    return sorted(set(found))


SOURCES = chat_sources()
SCHEMES = ["auto", "light", "dark"]


@pytest.fixture(scope="module")
def copied_templates(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("templates")
    shutil.copytree(TEMPLATE_FOLDER / "chatlog", folder / "chatlog")
    return str(folder)


def both_ways(conversation, copied_templates: str, **options) -> tuple[str, str]:
    assert not overridden([]) and overridden([copied_templates])
    return render(conversation, **options), render(conversation, template_folders=[copied_templates], **options)


def test_every_conversation_template_is_stood_in_for():
    bundled = {path.stem for path in (TEMPLATE_FOLDER / "chatlog").glob("*.html")} - {"page"}  # page: below
    assert bundled == set(direct.TEMPLATES)


def test_one_overridden_template_sends_the_render_through_jinja(tmp_path):
    (tmp_path / "chatlog").mkdir()
    (tmp_path / "chatlog" / "day.html").write_text('{% macro day(block) %}<li class="mine"></li>{% endmacro %}')
    conversation = parse("Date: 2024-03-01\n\nDana: hi\n2024-03-01 10:00\n")
    assert '<li class="mine">' in render(conversation, template_folders=[tmp_path])
    assert '<li class="mine">' not in render(conversation)


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: str(path.relative_to(ROOT)))
@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_fixture_renders_the_same_both_ways(path, scheme, copied_templates):
    conversation = load(str(path))
    direct_html, jinja_html = both_ways(conversation, copied_templates, color_scheme=scheme)
    assert direct_html == jinja_html


QUOTED_TWICE = "Dana: a plan\nSam: ok\nQuoting Dana: “a plan”\nSam: yes\nQuoting Dana: “a plan”\nJo: no\n"
SNIPPETS = [
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "[x](javascript:alert(1))",
    "[minutes](https://example.org/m?a=1&b='2')", "*em* **strong** `code`", "https://example.org/_x_",
    "&lt;b&gt; &amp;", "\u202eevil\u202c", "\x00\x01\x1b\x7f", "a\n\nb", "tab\there", "\ufdd0*literal",
    "www.example.org", "[[[[", "``", "\\*not\\*", "مرحبا",
]
names = st.sampled_from(["Dana", "Marcus_R", "O'Brien", "<b>x</b>", "دانا", "Me", "a&b"])
times = st.sampled_from([
    "", "Tue 6:02 PM", "18:40", "2024-03-01 09:00", "2024-03-02 23:59:30", "Mar 4, 2024, 9:03 AM", "yesterday",
])
texts = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=30) | st.sampled_from(
    SNIPPETS
)


@st.composite
def chats(draw) -> tuple[str, dict]:
    speakers = draw(st.lists(names, min_size=1, max_size=4, unique=True))
    lines = ["Date: 2024-03-01", ""]
    said = []  # (speaker, text) a quote may find, so messages get backlinks
    for _ in range(draw(st.integers(1, 12))):
        kind = draw(st.sampled_from(["message", "message", "quote", "narration", "more"]))
        if kind == "narration":
            lines += ["", "|" + draw(texts).replace(":", ""), ""]
        elif kind == "quote":
            speaker, text = draw(st.sampled_from(said)) if said and draw(st.booleans()) else (
                draw(st.sampled_from(speakers)), draw(texts))
            lines.append(f"Quoting {speaker}: “{text}”")
        elif kind == "more":
            lines.append("|" + draw(texts))
        else:
            speaker, text = draw(st.sampled_from(speakers)), draw(texts)
            lines.append(f"{speaker}: {text}")
            said.append((speaker, text))
        time = draw(times)
        if time:
            lines.append(time)
    styles = {
        speaker: {"avatar": draw(st.sampled_from(["", "https://example.org/a.png", "/img/a b'.png"]))}
        for speaker in speakers
    }
    return "\n".join(lines) + "\n", styles


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(chat=chats(), scheme=st.sampled_from(SCHEMES), author=st.sampled_from(["", "Dana"]))
@example(chat=(QUOTED_TWICE, {}), scheme="auto", author="")
def test_random_chats_render_the_same_both_ways(chat, scheme, author, copied_templates):
    text, styles = chat
    conversation = parse(text, speaker_styles=styles, author=author)
    direct_html, jinja_html = both_ways(conversation, copied_templates, color_scheme=scheme)
    assert direct_html == jinja_html


@pytest.mark.parametrize("title", ["Ride planning", "<script>alert('x')</script> & \"more\""])
def test_the_preview_page_is_the_same_both_ways(title, copied_templates):
    from pelican_chatlog.render import render_page

    conversation = parse(QUOTED_TWICE)
    assert overridden([copied_templates], ("page",))
    assert render_page(conversation, title=title) == render_page(
        conversation, title=title, template_folders=[copied_templates]
    )
