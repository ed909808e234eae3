"""Pelican's content cache must not keep in view what a changed setting hides.

Pelican knows a cached post by its file's stamp alone; a post cached before a
term was added to CHATLOG_REDACT would be published again as it was.
"""

from __future__ import annotations

from pelican_chatlog.pelican_plugin import ChatReader

CHAT = "Title: Shop talk\nDate: 2024-03-05\n\nDana: the key is under the Zorblax mat\nMarcus: ok\n"


def test_a_changed_setting_reads_the_post_afresh_and_an_unchanged_one_uses_the_cache(build_site, tmp_path, monkeypatch):
    cache = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "CACHE_PATH": str(tmp_path / "cache")}
    first = build_site({"talk.chat": CHAT}, **cache)
    assert "Zorblax" in first.page("shop-talk.html").get_text()

    reads = []
    original_read = ChatReader.read
    monkeypatch.setattr(ChatReader, "read", lambda self, path: reads.append(path) or original_read(self, path))
    redacted = build_site({}, CHATLOG_REDACT=["zorblax"], **cache)
    assert len(reads) == 1  # read again, not taken from the cache
    assert "Zorblax" not in redacted.page("shop-talk.html").get_text()
    assert "███" in redacted.page("shop-talk.html").get_text()

    reads.clear()
    again = build_site({}, CHATLOG_REDACT=["zorblax"], **cache)
    assert reads == []  # the same settings: the cache serves the post
    assert "Zorblax" not in again.page("shop-talk.html").get_text()


def test_another_template_folder_reads_the_post_afresh(build_site, tmp_path, monkeypatch):
    cache = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "CACHE_PATH": str(tmp_path / "cache")}
    build_site({"talk.chat": CHAT}, **cache)
    overrides = tmp_path / "overrides" / "chatlog"
    overrides.mkdir(parents=True)
    (overrides / "message.html").write_text('<li class="mine">{{ item.message.text }}</li>', encoding="utf-8")
    reads = []
    original_read = ChatReader.read
    monkeypatch.setattr(ChatReader, "read", lambda self, path: reads.append(path) or original_read(self, path))
    build_site({}, THEME_TEMPLATES_OVERRIDES=[str(tmp_path / "overrides")], **cache)
    assert len(reads) == 1
