"""A chat page in Pelican's content cache is kept compressed once, quickly.

Pelican gzips its whole content cache at level 9 on every build; a chat
page is kept in it as zlib level-1 bytes instead, and a page read back from
the cache keeps them, so a cached build compresses none of it again.
"""

from __future__ import annotations

import gzip
import pickle

from pelican_chatlog import pelican_plugin
from pelican_chatlog.pelican_plugin import CachedPage, ChatReader, unpack_page

CHAT = (
    "Title: Shop talk\nDate: 2024-03-05\n\n"
    "Dana: the stand is back **on site**\nTue 6:02 PM\n"
    "Marcus: with a bent caliper? é ✓ 🚲\nTue 6:04 PM\n"
    "Quoting dana: “the stand is back on site”\nPriya: good\n"
)


def cache_settings(tmp_path) -> dict:
    return {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "CACHE_PATH": str(tmp_path / "cache")}


def cached_entries(tmp_path) -> list:
    with gzip.open(tmp_path / "cache" / "ArticlesGenerator-Readers", "rb") as cache:
        return list(pickle.load(cache).values())


def test_a_page_survives_the_cache_unchanged_and_compressed(build_site, tmp_path):
    build_site({"talk.chat": CHAT}, **cache_settings(tmp_path))
    written = (tmp_path / "output" / "shop-talk.html").read_bytes()
    (stamp, (content, metadata)), = cached_entries(tmp_path)
    assert type(content) is CachedPage
    assert content.encode("utf-8") in written
    with gzip.open(tmp_path / "cache" / "ArticlesGenerator-Readers", "rb") as cache:
        raw = cache.read()
    assert b"chatlog-message" not in raw  # the page's markup is not in the pickle in clear

    (tmp_path / "output" / "shop-talk.html").unlink()
    build_site({}, **cache_settings(tmp_path))
    assert (tmp_path / "output" / "shop-talk.html").read_bytes() == written


def test_a_cached_build_compresses_nothing_of_ours_and_reads_nothing(build_site, tmp_path, monkeypatch):
    build_site({"talk.chat": CHAT}, **cache_settings(tmp_path))
    packed = []
    original_pack = pelican_plugin.pack_page
    monkeypatch.setattr(pelican_plugin, "pack_page", lambda page: packed.append(len(page)) or original_pack(page))
    reads = []
    original_read = ChatReader.read
    monkeypatch.setattr(ChatReader, "read", lambda self, path: reads.append(path) or original_read(self, path))
    build_site({}, **cache_settings(tmp_path))
    assert reads == [] and packed == []  # served from the cache, its bytes kept as they were
    (stamp, (content, metadata)), = cached_entries(tmp_path)
    assert type(content) is CachedPage and "chatlog-message" in content


def test_the_pickle_round_trip_is_exact_for_any_text():
    texts = ["", "plain", "é ✓ 🚲 \u200f\U0010ffff", "<li>\n" * 1000, "\x00 \ud7ff \ue000"]
    for text in texts:
        page = CachedPage(text)
        back = pickle.loads(pickle.dumps(page))
        assert back == text and type(back) is CachedPage
        assert back.packed == page.packed  # kept, not made again
        assert unpack_page(back.packed) == text


def test_without_the_content_cache_the_page_is_a_plain_string(build_site, tmp_path, monkeypatch):
    made = []
    original_read = ChatReader.read

    def read(self, path):
        content, metadata = original_read(self, path)
        made.append(type(content))
        return content, metadata

    monkeypatch.setattr(ChatReader, "read", read)
    build_site({"talk.chat": CHAT})
    assert made == [str]  # no copy of a large page where nothing will pickle it


def test_a_post_is_read_and_rendered_with_the_collector_paused_once(tmp_path, monkeypatch):
    import gc

    from pelican.tests.support import get_settings

    post = tmp_path / "talk.chat"
    post.write_text(CHAT, encoding="utf-8")
    seen = []
    render = pelican_plugin.render
    monkeypatch.setattr(pelican_plugin, "render", lambda *a, **k: seen.append(gc.isenabled()) or render(*a, **k))
    assert gc.isenabled()
    content, metadata = ChatReader(get_settings()).read(str(post))
    assert seen == [False] and gc.isenabled() and "chatlog-message" in content


def test_a_cached_build_finds_its_sources_once(build_site, tmp_path, monkeypatch):
    build_site({"talk.chat": CHAT}, **cache_settings(tmp_path))
    found = []
    original = pelican_plugin.sources_stamp
    monkeypatch.setattr(pelican_plugin, "sources_stamp", lambda settings: found.append(1) or original(settings))
    build_site({}, **cache_settings(tmp_path))
    assert found == [1]  # made as the build begins, written as it ends
