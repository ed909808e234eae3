"""The fast path for simple inline syntax writes what Python-Markdown writes.

inline.fast_inline renders a paragraph of `code`, **strong**, *em*,
[text](http…), bare URLs and line breaks without Python-Markdown, and gives
up (None) on anything else.  Wherever it does not give up, its output must be
Python-Markdown's, byte for byte: on random text built from the syntax, on
the link tricks tests/test_security_links.py refuses, and on bodies long
enough to matter to the scan budget.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pelican_chatlog import inline, parse, render
from pelican_chatlog.inline import fast_inline, python_markdown, render_body_text

ROOT = Path(__file__).resolve().parent.parent
HIDDEN_SCRIPT_LINKS = [
    "&#106;avascript:alert(1)", "&#x6A;avascript:alert(1)", "javascript&colon;alert(1)", "java&#9;script:alert(1)",
    "java&Tab;script:alert(1)", "&#32;javascript:alert(1)", "javascript:alert(1)", "{static}/../secret",
    "//evil.example", "data:text/html;base64,PHNjcmlwdD4=", "http://a.b/'onmouseover='x", "http://a.b/&#39;x",
]
PIECES = [
    "a", "word", "Ünï", "مرحبا", "1", " ", " ", "  ", "\t", "\n", "  \n", " \n", "\n ", "*", "**", "***", "_", "__",
    "`", "``", "[", "]", "(", ")", "](", "[t](", "http://", "https://example.org/", "www.", "example.org", "/path",
    "?a=1&b=2", "#top", "&", "&amp;", "&#106;", "<", ">", "<b>", '"', "'", ".", ",", "!", "?", ":", ";", "~", "\\",
    "{static}", "\x01", "\x7f", "\ufdd0*", "mailto:a@b.c", "\u202e", "\U0001f600", "\u2028",
]
CONSTRUCTS = [
    "*em*", "**strong**", "`code`", "` spaced `", "`a*b*c`", "`&lt;`", "[text](https://example.org/p?a=1&b=2)",
    "[t](http://example.org/a_b_c)", "https://example.org/notes", "www.example.org/x", "http://example.org/a*b*",
    "*a b*", "**a b c**", "[minutes](https://example.org/m)", "*really*.", "**now**!", "(*x*)", "x*y*z",
    *[f"[x]({target})" for target in HIDDEN_SCRIPT_LINKS],
]
inline_text = st.lists(st.sampled_from(PIECES + CONSTRUCTS) | st.text(max_size=3), max_size=24).map("".join)
readable_text = st.lists(
    st.sampled_from(CONSTRUCTS) | st.sampled_from(["a", "word", " ", " ", ".", "\n", "&", "<", '"', "'", "("]),
    max_size=30,
).map("".join)


def agrees(text: str) -> bool:
    """Whether the fast path renders each paragraph as Python-Markdown does; whether it took them all."""
    taken = True
    for paragraph in inline.PARAGRAPH_BREAK.split(text)[::2]:  # as render_body splits a body
        core = paragraph.strip()
        fast = fast_inline(core)
        if fast is not None:
            assert fast == python_markdown(core), core
        taken = taken and fast is not None
    return taken


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inline_text)
def test_random_inline_syntax_renders_as_python_markdown_does(text):
    agrees(text)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(readable_text)
def test_readable_inline_syntax_renders_as_python_markdown_does(text):
    agrees(text)


@pytest.mark.parametrize("construct", CONSTRUCTS)
def test_each_construct_renders_as_python_markdown_does(construct):
    for text in (construct, f"see {construct} now", f"{construct}\n{construct}"):
        agrees(text)


def test_the_fast_path_takes_the_common_syntax_and_leaves_other_links_to_markdown():
    for construct in ["*em*", "**strong**", "`code`", "[t](https://example.org/)", "https://example.org/a"]:
        assert agrees(f"a {construct} b")
    for target in HIDDEN_SCRIPT_LINKS:
        if not target.startswith("http"):
            assert fast_inline(f"[x]({target})") is None


@pytest.mark.parametrize("unit", ["[t](https://example.org/a) ", "`code` ", "*em* **strong** ", "https://e.org/ "])
def test_long_bodies_near_the_scan_budget_render_as_python_markdown_does(unit):
    body = (unit * (inline.MAX_MARKDOWN_CHARACTERS // len(unit)))[: inline.MAX_MARKDOWN_CHARACTERS].strip()
    assert agrees(body.rsplit(" ", 1)[0])


def test_hostile_openers_still_go_to_the_budgeted_markdown_path():
    for body in ["[" * 5000, "`" * 3000 + "a", "[a](" * 2000, "*a " * 3000]:
        assert fast_inline(body) is None
        render_body_text(body)


def test_the_benchmark_chat_is_rendered_the_same_with_and_without_the_fast_path(monkeypatch):
    sys.path.insert(0, str(ROOT / "bench"))
    import synthetic

    conversation = parse(synthetic.chat_post(400))
    fast = render(conversation)
    monkeypatch.setattr(inline, "fast_inline", lambda text: None)
    assert render(conversation) == fast
