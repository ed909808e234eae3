"""`Source:` reads only regular files inside the site's content folder, and
only so much of them; ```chat fences resolve it from their post and get ids
unique on any page; fence messages name the Markdown file."""

import os
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from pelican_chatlog import ChatlogError, parse, read_file
from pelican_chatlog.cli import main

EXPORTS = Path(__file__).parent / "exports"
SECRET = "30/01/19, 20:51 - Eve: TOPSECRET\n"
GOOD_EXPORT = "30/01/19, 20:51 - Jane Doe: Welcome!\n30/01/19, 20:52 - Bob: Thanks\n"


def wrapper(source, title="T"):
    """A `.chat` post whose line 3 names its export."""
    return f"Title: {title}\nFormat: whatsapp\nSource: {source}\n"


def every_output_text(output: Path) -> str:
    return "".join(path.read_text(encoding="utf-8", errors="replace") for path in output.rglob("*") if path.is_file())


@pytest.fixture
def outside(tmp_path):
    """Files beside the content folder, not in it: what no post may publish."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.txt").write_text(SECRET)
    shutil.copytree(EXPORTS / "slack", folder / "slack")
    (folder / "users.json").write_text('[{"id": "U01", "profile": {"real_name": "TOPSECRET"}}]')
    return folder


def test_every_way_out_of_the_content_folder_is_refused_and_the_build_goes_on(build_site, tmp_path, outside):
    content = tmp_path / "content"
    content.mkdir()
    (content / "link.txt").symlink_to(outside / "secret.txt")
    shutil.copytree(EXPORTS / "slack" / "general", content / "channel")
    (content / "channel" / "users.json").symlink_to(outside / "users.json")
    shutil.copytree(EXPORTS / "slack" / "general", content / "days")
    (content / "days" / "2019-02-01.json").symlink_to(outside / "slack" / "general" / "2019-01-30.json")
    escapes = {
        "dots.chat": wrapper("../outside/secret.txt"),
        "deep.chat": wrapper("../../../../../../../../../../etc/passwd"),
        "absolute.chat": wrapper(outside / "secret.txt"),
        "link.chat": wrapper("link.txt"),
        "slack-folder.chat": "Title: T\nFormat: slack\nSource: ../outside/slack/general\n",
        "slack-users.chat": "Title: T\nFormat: slack\nSource: channel\n",
        "slack-day.chat": "Title: T\nFormat: slack\nSource: days\n",
        "zero.chat": wrapper("/dev/zero"),
    }
    site = build_site({**escapes, "good.chat": wrapper("good.txt", title="Good"), "good.txt": GOOD_EXPORT})
    errors = site.messages()
    for name, post in escapes.items():
        source = post.split("Source: ")[1].strip()
        assert any(f"{name}:3: `Source: {source}` cannot be read:" in m and "outside the content folder" in m
                   for m in errors), name
    assert any("users.json (a link to" in m for m in errors)
    assert [m["data-speaker"] for m in site.page("good.html").select(".chatlog-message")] == ["Jane Doe", "Bob"]
    assert "TOPSECRET" not in every_output_text(site.output)
    assert "root:" not in every_output_text(site.output)


def test_a_fifo_in_the_content_folder_is_refused_without_waiting_for_a_writer(build_site, tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    os.mkfifo(content / "pipe")
    site = build_site({"fifo.chat": wrapper("pipe"), "good.chat": wrapper("good.txt", title="Good"),
                       "good.txt": GOOD_EXPORT})
    assert any("fifo.chat:3: `Source: pipe` cannot be read:" in m and "is not a regular file" in m
               for m in site.messages())
    assert (site.output / "good.html").exists()


def test_a_device_is_refused_even_inside_the_root():
    with pytest.raises(ChatlogError, match="`Source: /dev/zero` cannot be read: /dev/zero is not a regular file"):
        parse(wrapper("/dev/zero"), root="/")


def test_a_path_swapped_for_a_fifo_after_the_look_is_caught_on_the_opened_file(tmp_path, monkeypatch):
    regular = tmp_path / "regular.txt"
    regular.write_text(GOOD_EXPORT)
    os.mkfifo(tmp_path / "pipe")
    from pelican_chatlog.readers.sources import SourceFolder

    looked_at = os.stat(regular)
    monkeypatch.setattr(os, "stat", lambda path, *args, **kwargs: looked_at)
    with pytest.raises(ChatlogError, match="pipe is not a regular file"):
        SourceFolder(str(tmp_path)).read_bytes(str(tmp_path / "pipe"))


def test_a_source_over_the_size_limit_is_refused(build_site):
    export = GOOD_EXPORT * 10
    site = build_site({"big.chat": wrapper("big.txt"), "big.txt": export,
                       "small.chat": wrapper("small.txt", title="Small"), "small.txt": GOOD_EXPORT},
                      CHATLOG_MAX_SOURCE_BYTES=len(GOOD_EXPORT) + 1)
    assert any("big.chat:3: `Source: big.txt` cannot be read:" in m and f"larger than {len(GOOD_EXPORT) + 1} bytes" in m
               for m in site.messages())
    assert len(site.page("small.html").select(".chatlog-message")) == 2


def test_a_source_is_read_no_further_than_the_limit(tmp_path, monkeypatch):
    from pelican_chatlog.readers.sources import SourceFolder

    (tmp_path / "big.txt").write_text(GOOD_EXPORT * 1000)
    reads = []
    real_fdopen = os.fdopen

    def recording_fdopen(*args, **kwargs):
        file = real_fdopen(*args, **kwargs)
        read = file.read
        file.read = lambda size=-1: reads.append(size) or read(size)
        return file

    monkeypatch.setattr(os, "fdopen", recording_fdopen)
    with pytest.raises(ChatlogError, match="larger than 100 bytes"):
        SourceFolder(str(tmp_path), max_bytes=100).read_bytes(str(tmp_path / "big.txt"))
    assert reads == [101]


def test_legitimate_sources_inside_the_content_folder_still_work(build_site, tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    shutil.copytree(EXPORTS / "slack", content / "slack-export")
    (content / "exports").mkdir()
    (content / "exports" / "linked.txt").symlink_to(content / "exports" / "chat.txt")
    files = {
        "beside.chat": wrapper("beside.txt", title="Beside"),
        "beside.txt": GOOD_EXPORT,
        "sub.chat": wrapper("exports/chat.txt", title="Sub"),
        "exports/chat.txt": GOOD_EXPORT,
        "posts/up.chat": wrapper("../exports/linked.txt", title="Up"),
        "slack.chat": "Title: Slack\nFormat: slack\nSource: slack-export/general\n",
    }
    site = build_site(files)
    assert not site.messages()
    for page in ("beside.html", "sub.html", "up.html"):
        assert [m["data-speaker"] for m in site.page(page).select(".chatlog-message")] == ["Jane Doe", "Bob"]
    assert [m["data-speaker"] for m in site.page("slack.html").select(".chatlog-message")] == \
        ["Jane Doe", "Bob Smith", "Bob Smith"]


# --- outside Pelican ----------------------------------------------------------------


def test_the_api_reads_a_source_only_inside_its_root(tmp_path, outside, monkeypatch):
    monkeypatch.chdir(outside)
    with pytest.raises(ChatlogError, match="no folder to read it from"):
        parse(wrapper("secret.txt"))
    (tmp_path / "chat.txt").write_text(GOOD_EXPORT)
    assert [m.speaker.name for m in parse(wrapper("chat.txt"), root=str(tmp_path)).messages] == ["Jane Doe", "Bob"]
    with pytest.raises(ChatlogError, match="outside the content folder"):
        parse(wrapper("../outside/secret.txt"), root=str(tmp_path / "content"))


def test_read_file_and_the_command_default_to_the_posts_folder(tmp_path, outside, capsys):
    posts = tmp_path / "posts"
    posts.mkdir()
    (tmp_path / "shared.txt").write_text(GOOD_EXPORT)
    post = posts / "up.chat"
    post.write_text(wrapper("../shared.txt"))
    with pytest.raises(ChatlogError, match="outside the content folder"):
        read_file(str(post))
    assert [m.speaker.name for m in read_file(str(post), root=str(tmp_path)).messages] == ["Jane Doe", "Bob"]
    assert main(["check", str(post)]) == 1
    assert f"{post}:3: `Source: ../shared.txt` cannot be read" in capsys.readouterr().err
    assert main(["check", "--content", str(tmp_path), str(post)]) == 0
    page = tmp_path / "page.html"
    assert main(["preview", "--content", str(tmp_path), str(post), "-o", str(page)]) == 0
    assert main(["convert", "--content", str(tmp_path), str(post)]) == 0
    assert "Jane Doe: Welcome!" in capsys.readouterr().out


def test_an_export_given_directly_is_read(outside):
    slack = read_file(str(outside / "slack" / "general"))
    assert [m.speaker.name for m in slack.messages] == ["Jane Doe", "Bob Smith", "Bob Smith"]
    assert [m.speaker.name for m in read_file(str(outside / "secret.txt"), format="whatsapp").messages] == ["Eve"]


# --- ```chat fences -----------------------------------------------------------------


def fence(text):
    return f"```chat\n{text}```\n"


def test_fence_source_resolves_from_the_post_not_the_working_folder(build_site, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "chat.txt").write_text(SECRET)
    monkeypatch.chdir(elsewhere)
    post = "Title: Essay\nDate: 2024-03-08\n\n" + fence("Format: whatsapp\nSource: chat.txt\n")
    site = build_site({"posts/essay.md": post, "posts/chat.txt": GOOD_EXPORT})
    assert [m["data-speaker"] for m in site.page("essay.html").select(".chatlog-message")] == ["Jane Doe", "Bob"]
    assert "TOPSECRET" not in every_output_text(site.output)


def test_fence_source_may_not_leave_the_content_folder(build_site, tmp_path, outside, monkeypatch):
    monkeypatch.chdir(outside)
    post = ("Title: Essay\nDate: 2024-03-08\n\n"
            + fence("Format: whatsapp\nSource: ../outside/secret.txt\n")
            + "\n" + fence("Format: whatsapp\nSource: secret.txt\n"))
    site = build_site({"essay.md": post})
    errors = site.messages()
    assert any("essay.md:6: `Source: ../outside/secret.txt` cannot be read:" in m and "outside the content folder" in m
               for m in errors)
    assert any("essay.md:11: `Source: secret.txt` does not exist" in m for m in errors)
    assert "TOPSECRET" not in every_output_text(site.output)


def test_fence_errors_and_warnings_name_the_markdown_file_and_line(build_site):
    post = ("Title: Essay\nDate: 2024-03-08\n\n" + fence("Speakers: Dana\n\nDana: hi\nQuoting Ghost: boo\nDana: eh\n")
            + "\n" + fence("Title: only a header\n"))
    site = build_site({"essay.md": post})
    messages = site.messages()
    assert any(m.startswith(str(site.output.parent / "content" / "essay.md") + ":8: ") for m in messages)
    assert any("essay.md:13: the header is not followed" in m for m in messages)


CHAT = "Dana: Is the stand locked?\nQuoting Dana: Is the stand locked?\nMarcus: Yes.\n"


def assert_ids_unique_and_quotes_stay_home(soup: BeautifulSoup, chats: int):
    ids = [tag["id"] for tag in soup.select("[id]")]
    assert len(ids) == len(set(ids))
    blocks = soup.select(".chatlog")
    assert len(blocks) == chats
    for block in blocks:
        link = block.select_one(".chatlog-quote a")["href"][1:]
        assert block.find(id=link) is block.select(".chatlog-message")[0]


def test_identical_fences_in_one_post_get_unique_ids(build_site):
    post = "Title: Essay\nDate: 2024-03-08\n\n" + fence(CHAT) + "\nBetween.\n\n" + fence(CHAT)
    site = build_site({"essay.md": post})
    assert_ids_unique_and_quotes_stay_home(site.page("essay.html"), 2)


def test_identical_fences_in_two_posts_get_unique_ids_on_the_index(build_site, tmp_path):
    files = {
        "one.md": "Title: One\nDate: 2024-03-08\n\n" + fence(CHAT),
        "sub/two.md": "Title: Two\nDate: 2024-03-09\n\n" + fence(CHAT),
    }
    # an index that shows every post in full, as many themes' do (summaries
    # of posts with a chat are text, so they no longer bring its markup)
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "index.html").write_text("{% for article in articles_page.object_list %}{{ article.content }}{% endfor %}")
    site = build_site(files, THEME_TEMPLATES_OVERRIDES=[str(templates)])
    assert_ids_unique_and_quotes_stay_home(site.page("index.html"), 2)


def test_a_site_with_its_own_markdown_settings_and_reader_keeps_them(build_site):
    from pelican.readers import MarkdownReader

    class SiteReader(MarkdownReader):
        def read(self, source_path):
            content, metadata = super().read(source_path)
            return content + "<p>site reader</p>", metadata

    post = "Title: Essay\nDate: 2024-03-08\n\n[TOC]\n\n## Part\n\n" + fence("Format: whatsapp\nSource: chat.txt\n")
    site = build_site({"posts/essay.md": post, "posts/chat.txt": GOOD_EXPORT}, READERS={"md": SiteReader},
                      MARKDOWN={"extensions": ["markdown.extensions.toc"], "output_format": "html5"})
    page = site.page("essay.html")
    assert "site reader" in page.get_text()
    assert page.select_one(".toc a")["href"] == "#part"
    assert [m["data-speaker"] for m in page.select(".chatlog-message")] == ["Jane Doe", "Bob"]
