"""The `.chat` reader on its own and inside real Pelican builds."""

import datetime
import logging
import pickle

import pytest
from pelican.tests.support import get_settings

from conftest import FIXTURES
from pelican_chatlog import ChatlogError
from pelican_chatlog.pelican_plugin import ChatReader

PASTED = (FIXTURES / "pasted-dm-thread.chat").read_text(encoding="utf-8")


def read(tmp_path, text, name="post.chat", **settings):
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return ChatReader(get_settings(**settings)).read(str(path))


# --- reader unit -------------------------------------------------------------


def test_header_goes_through_pelicans_metadata_processing(tmp_path):
    _, metadata = read(
        tmp_path,
        "Title: Shop talk\nDate: 2024-03-07 10:00\nTags: a, b\nCategory: Co-op\n"
        "Author: Dana\nSeries: Talks\n\nDana: hi\n",
    )
    assert metadata["title"] == "Shop talk"
    assert metadata["date"] == datetime.datetime(2024, 3, 7, 10, 0)
    assert [str(tag) for tag in metadata["tags"]] == ["a", "b"]
    assert str(metadata["category"]) == "Co-op"
    assert str(metadata["author"]) == "Dana"
    assert metadata["series"] == "Talks"


def test_pelican_date_formats_resolve_chat_times(tmp_path):
    _, metadata = read(tmp_path, "Date: 7 March 2024\n\nDana: hi\nTue 6:02 PM\n")
    assert metadata["chatlog"].messages[0].time == datetime.datetime(2024, 3, 5, 18, 2)


def test_title_falls_back_to_the_file_name(tmp_path):
    _, metadata = read(tmp_path, "Dana: hi\n", name="2024-03-02-ride-planning_notes.chat")
    assert metadata["title"] == "Ride planning notes"


def test_model_speakers_and_summary_on_the_article(tmp_path):
    content, metadata = read(tmp_path, "Dana: Hi! I found <your> post\nMarcus: yes\n")
    assert metadata["speakers"] == ["Dana", "Marcus"]
    assert [m.text for m in metadata["chatlog"].messages] == ["Hi! I found <your> post", "yes"]
    assert metadata["summary"] == "Dana: Hi! I found ‹your› post Marcus: yes"
    assert "<your>" not in content


def test_summary_is_cut_at_summary_max_length(tmp_path):
    words = " ".join(f"w{i}" for i in range(100))
    _, metadata = read(tmp_path, f"Dana: {words}\n", SUMMARY_MAX_LENGTH=5)
    assert metadata["summary"] == "Dana: w0 w1 w2 w3 …"


def test_header_summary_wins(tmp_path):
    _, metadata = read(tmp_path, "Summary: Mine\n\nDana: hi\n")
    assert metadata["summary"] == "Mine"


def test_metadata_pickles_for_the_content_cache(tmp_path):
    content, metadata = read(tmp_path, PASTED)
    restored_content, restored = pickle.loads(pickle.dumps((content, metadata)))
    assert restored_content == content
    assert [q.target.id for m in restored["chatlog"].messages for q in m.quotes] == ["msg-7", "msg-4"]


@pytest.mark.parametrize(
    "source, line, fragment",
    [
        (b"Dana: ok\nDana: caf\xe9\n", 2, "not UTF-8 text: byte 0xe9 at offset 18"),
        (b"", 1, "empty"),
        (b"Title: A\nDate: never\n\nDana: hi\n", 2, "`Date: never` cannot be read"),
        (b"Title: A\nnot a header line\n\nDana: hi\n", 2, "not `Key: value`"),
        (b"Title: A\n", 1, "not followed by any chat"),
    ],
)
def test_bad_input_names_file_and_line(tmp_path, source, line, fragment):
    with pytest.raises(ChatlogError) as error:
        read(tmp_path, source, name="bad.chat")
    message = str(error.value)
    assert message.startswith(f"{tmp_path / 'bad.chat'}:{line}: ")
    assert fragment in message


def test_warnings_name_file_and_line(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        read(tmp_path, "Dana: hi\nQuoting Dana: “never”\nMarcus: eh\n", name="q.chat")
    assert any(
        record.getMessage().startswith(f"{tmp_path / 'q.chat'}:2: quote of Dana not found")
        for record in caplog.records
    )


# --- real builds --------------------------------------------------------------


def test_pasted_thread_builds_into_a_linked_conversation(build_site):
    site = build_site({"thread.chat": PASTED})
    page = site.page("thread.html")
    messages = page.select(".chatlog-message")
    assert len(messages) == 12
    assert {m["data-speaker"] for m in messages} == {"Dana", "Marcus_R"}
    assert all(m.find("time") for m in messages)
    quotes = page.select(".chatlog-quote")
    assert len(quotes) == 2
    by_id = {m["id"]: m for m in messages}
    targets = [by_id[q.find("a")["href"][1:]] for q in quotes]
    assert "nobody told the Thursday crew" in targets[0].get_text()
    assert "Sorry if that sounds like a complaint" in targets[1].get_text()
    narration = [n.get_text(" ", strip=True) for n in page.select(".chatlog-narration")]
    assert narration == [
        "Northside Cycle Co-op Notes",
        "Volunteer Night Moved, and Why the Tool Library Matters",
        "2 thoughts on “Volunteer Night Moved, and Why the Tool Library Matters”",
        "Leave a comment",
    ]
    assert site.messages() == []


def test_pasted_thread_model_through_the_reader(tmp_path):
    _, metadata = read(tmp_path, "Date: 2024-03-07\n\n" + PASTED)
    conversation = metadata["chatlog"]
    assert [s.name for s in conversation.speakers] == ["Dana", "Marcus_R"]
    assert all(isinstance(m.time, datetime.datetime) for m in conversation.messages)
    assert conversation.messages[0].time == datetime.datetime(2024, 3, 5, 18, 2)
    assert conversation.problems == []


def test_contract_markup_and_escaping_in_a_build(build_site):
    site = build_site(
        {
            "x.chat": "Title: X\nDate: 2024-03-07\nSpeakers: Dana, <b>Evil</b>\n\n"
            'Dana: <script>alert(1)</script> & "hi"\n'
            "Tue 6:02 PM\n"
            "Quoting Dana: <script>alert(1)</script>\n"
            "<b>Evil</b>: <img src=x onerror=alert(1)>\n"
        }
    )
    page = site.page("x.html")
    chat = page.select_one(".chatlog")
    assert chat.find("script") is None and chat.find("img") is None
    # the only <b> are the names the template prints, none from the text
    assert all(b.parent.name == "li" and b.get("dir") == "auto" for b in chat.find_all("b"))
    first = chat.select_one(".chatlog-message")
    assert first["data-speaker"] == "Dana"
    assert "<script>alert(1)</script>" in first.get_text()
    assert first.find("time")["datetime"] == "2024-03-05T18:02"
    quote = chat.select_one(".chatlog-quote")
    assert quote.find("a")["href"] == f"#{first['id']}"
    evil = chat.select(".chatlog-message")[1]
    assert evil["data-speaker"] == "<b>Evil</b>"
    assert evil.find("b").get_text(strip=True) == "<b>Evil</b>"
    assert "<img src=x onerror=alert(1)>" in evil.get_text()


def test_chatlog_extensions_setting(build_site):
    site = build_site({"talk.dm": "Dana: hi\n"}, CHATLOG_EXTENSIONS=["dm"])
    assert site.page("talk.html").select_one(".chatlog-message")["data-speaker"] == "Dana"


def test_one_broken_post_does_not_stop_the_site(build_site):
    site = build_site(
        {
            "good.chat": "Title: Good\n\nDana: hi\n",
            "bad.chat": b"Title: Bad\n\nDana: \xff\n",
            "also-good.chat": "Title: Also good\n\nMarcus: yo\n",
        }
    )
    assert (site.output / "good.html").exists()
    assert (site.output / "also-good.html").exists()
    assert not (site.output / "bad.html").exists()
    assert any("bad.chat:3: not UTF-8" in message for message in site.messages(logging.ERROR))


def test_content_cache_round_trip(build_site, tmp_path):
    files = {"thread.chat": PASTED}
    cache = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "CACHE_PATH": str(tmp_path / "cache")}
    first = build_site(files, **cache).page("thread.html").select_one(".chatlog")
    second = build_site(files, **cache).page("thread.html").select_one(".chatlog")
    assert str(first) == str(second)
    assert any((tmp_path / "cache").iterdir())


def test_the_cached_model_is_only_what_reading_it_again_needs(tmp_path):
    short = read(tmp_path, "Dana: hi\n", name="short.chat")[1]["chatlog"]
    long = read(tmp_path, "Dana: hi\n" * 5000, name="long.chat")[1]["chatlog"]
    assert len(pickle.dumps(long)) - len(pickle.dumps(short)) < 10
    assert len(long.messages) == 5000
    assert len(pickle.loads(pickle.dumps(long)).messages) == 5000


def test_the_reader_frees_its_model_without_waiting_for_the_cyclic_collector(tmp_path):
    # Pelican's feeds need several times the page in memory; the model of a
    # long chat must be gone by then, not left for a later gc pass.
    import gc

    from pelican_chatlog.model import Message

    def live_messages():
        return sum(isinstance(thing, Message) for thing in gc.get_objects())

    gc.collect()
    gc.disable()
    try:
        before = live_messages()
        content, _ = read(tmp_path, PASTED)
        assert 'class="chatlog-backlink"' in content  # a chat with quote links both ways
        assert live_messages() == before
    finally:
        gc.enable()
