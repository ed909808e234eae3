"""`render()` without Pelican: the markup contract, bodies, colours, overrides."""

import colorsys
import datetime
import os
import random
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup

from pelican_chatlog import ChatlogError, parse, render
from pelican_chatlog.colors import (
    BUBBLE_MIX,
    DARK_BACKGROUND,
    DARK_TEXT,
    LIGHT_BACKGROUND,
    LIGHT_TEXT,
    NAME_MIX,
    contrast,
    mix,
    parse_hex,
    speaker_colors,
)


def page(text, **options):
    return BeautifulSoup(render(parse(text, **options)), "html.parser")


THREAD = (
    "Title: T\nDate: 2024-03-07\nMe: Marcus\n\n"
    "Site title\n\n"
    "Dana: first\nDana: second\nMon 9:00 PM\n"
    "Marcus: reply\nMon 9:05 PM\n"
    "Quoting dana: “second”\n"
    "Marcus: quoting you\nTue 8:05 AM\n"
    "Quoting Dana: “never said this”\n"
    "Marcus: unresolved\nTue 8:06 AM\n\n"
    "Leave a comment\n"
)


# --- markup contract ----------------------------------------------------------


def test_one_root_with_list_semantics():
    soup = page(THREAD)
    (root,) = soup.select(".chatlog")
    assert root.find("ol", class_="chatlog-items").parent is root
    assert all(message.name == "li" for message in soup.select(".chatlog-message"))
    assert all(message.parent.name == "ol" for message in soup.select(".chatlog-message"))


def name_of(message):
    """The name a message shows: only the first of a run has one."""
    first = message.find(True)
    return first.get_text(strip=True) if first is not None and first.name == "b" else None


def test_consecutive_messages_of_one_speaker_are_one_run_with_the_name_once():
    soup = page(THREAD)
    messages = soup.select(".chatlog-message")
    assert [name_of(message) for message in messages] == ["Dana", None, "Marcus", "Marcus", None]
    # the first of a run carries the speaker's classes; the others only theirs
    assert [message["class"][:2] for message in messages[:2]] == [
        ["chatlog-message", "chatlog-speaker-dana"],
        ["chatlog-message"],
    ]


def test_day_separator_when_the_date_changes():
    soup = page(THREAD)
    days = soup.select(".chatlog-day time")
    assert [day["datetime"] for day in days] == ["2024-03-04", "2024-03-05"]
    assert days[0].get_text() == "Monday, March 4, 2024"
    # the new day splits Marcus's messages into two runs
    items = soup.select_one(".chatlog-items").find_all("li", recursive=False)
    assert [item["class"][0] for item in items] == [
        "chatlog-narration",
        "chatlog-day",
        "chatlog-message",
        "chatlog-message",
        "chatlog-message",
        "chatlog-day",
        "chatlog-message",
        "chatlog-message",
        "chatlog-narration",
    ]
    assert [name_of(item) for item in items if "chatlog-message" in item["class"]] == [
        "Dana", None, "Marcus", "Marcus", None
    ]


def test_messages_are_dir_auto_and_a_message_without_a_time_shows_no_stray_link():
    soup = page("Dana: שלום\nMarcus: no time here\n")
    for message in soup.select(".chatlog-message"):
        assert message["dir"] == "auto"
        assert message.find("b")["dir"] == "auto"  # the name stays out of the text's direction
        assert message.find("a") is None and message.find("time") is None
        assert "#" not in message.get_text()


def test_the_time_is_the_permalink_with_a_datetime_attribute():
    soup = page(THREAD)
    message = soup.select_one(".chatlog-message")
    time = message.select_one("time")
    # the time of day: the day is in the separator above
    assert (time.get_text(), time["datetime"]) == ("9:00 PM", "2024-03-04T21:00")
    assert time.select_one("a")["href"] == f"#{message['id']}"


def test_quotes_link_both_ways():
    soup = page(THREAD)
    second = soup.find("li", attrs={"data-speaker": "Dana"}, string=None, id="msg-2")
    quote = soup.select("blockquote.chatlog-quote")[0]
    assert quote.find("a")["href"] == "#msg-2"
    assert quote.find("bdi").get_text() == "Dana"
    reply = quote.find_parent(class_="chatlog-message")
    backlinks = second.select("a.chatlog-backlink")
    assert [link["href"] for link in backlinks] == [f"#{reply['id']}"]


def test_unresolved_quote_is_marked_and_never_a_dead_link():
    soup = page(THREAD)
    unresolved = soup.select_one(".chatlog-quote-unresolved")
    assert unresolved.find("a") is None
    assert "original not found" in unresolved.get_text()
    assert "never said this" in unresolved.get_text()


def test_me_speaker_sits_on_the_other_side():
    soup = page(THREAD)
    right = {message["data-speaker"]: "chatlog-right" in message["class"] for message in soup.select(".chatlog-message")}
    assert right == {"Dana": False, "Marcus": True}


def test_speaker_class_and_no_badge_without_an_avatar():
    soup = page("Dr. Ada Lee: hi\n")
    message = soup.select_one(".chatlog-message")
    assert "chatlog-speaker-dr-ada-lee" in message["class"]
    assert message.select_one(".chatlog-avatar") is None


def test_everything_of_the_source_is_in_the_page_text():
    text = page(THREAD).get_text()
    for fragment in [
        "Site title",
        "Dana",
        "Marcus",
        "first",
        "second",
        "reply",
        "quoting you",
        "never said this",
        "unresolved",
        "Leave a comment",
        "9:00 PM",
        "9:05 PM",
        "8:05 AM",
        "8:06 AM",
    ]:
        assert fragment in text


def body_of(text):
    """A message's body: the <li> without the name, quotes and time around it."""
    message = page(f"Dana: {text}\n").select_one(".chatlog-message")
    for element in message.find_all(["b", "time", "blockquote"], recursive=False):
        element.decompose()
    return message


def test_multi_line_bodies_keep_their_line_breaks():
    body = body_of("one\ntwo")
    assert body.find("br") is not None
    assert body.get_text().split() == ["one", "two"]


# --- hostile input ----------------------------------------------------------------

HOSTILE = [
    '<script>alert("x")</script>',
    '"><img src=x onerror=alert(1)>',
    "<style>body{display:none}</style>",
    "' onmouseover='alert(1)",
    "<iframe src=javascript:alert(1)>",
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_names_and_text_are_shown_never_run(hostile):
    text = (
        f"Speakers: Dana, {hostile.replace(',', ' ')}\n\n"
        f"{hostile.replace(',', ' ')}: {hostile}\n"
        f"Quoting {hostile.replace(',', ' ')}: {hostile}\n"
        f"Dana: {hostile} [x]({hostile})\n\n"
        f"{hostile}\n"
    )
    soup = page(text)
    root = soup.select_one(".chatlog")
    for tag in ("script", "style", "iframe", "img", "object"):
        assert root.find(tag) is None
    for element in root.find_all(True):
        assert not [name for name in element.attrs if name.startswith("on")]
    assert hostile in root.get_text()
    assert root.select_one(".chatlog-quote a") is not None


# --- message bodies -------------------------------------------------------------


def test_inline_markdown_in_bodies():
    body = body_of("*soft* **loud** `code <x>` [site](https://example.org/a)")
    assert body.find("em").get_text() == "soft"
    assert body.find("strong").get_text() == "loud"
    assert body.find("code").get_text() == "code <x>"
    link = body.find("a")
    assert link["href"] == "https://example.org/a"
    assert link["rel"] == ["nofollow", "noopener"]


def test_bare_urls_become_links_without_trailing_punctuation():
    link = body_of("see https://example.org/x_y?q=1.").find("a")
    assert link["href"] == "https://example.org/x_y?q=1"
    assert link["rel"] == ["nofollow", "noopener"]


def test_raw_html_and_entities_show_as_typed():
    body = body_of("<b>bold?</b> &amp; *yes*")
    assert body.find("b") is None
    assert "<b>bold?</b> &amp; yes" in body.get_text()


@pytest.mark.parametrize(
    "href", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "data:text/html,<b>x"]
)
def test_script_and_data_links_are_neutralised(href):
    body = body_of(f"[click]({href}) **x**")
    assert body.find("a") is None
    assert "click" in body.get_text()


def test_site_links_stay_and_are_not_marked_external():
    link = body_of("[about](/about.html)").find("a")
    assert link["href"] == "/about.html"
    assert not link.get("rel")


def test_block_markdown_is_not_applied_to_chat_lines():
    body = body_of("# not a heading *but emphasis*")
    assert body.find("h1") is None
    assert body.get_text().strip().startswith("# not a heading")


# --- colours -----------------------------------------------------------------------


def test_colour_is_stable_across_posts_and_processes():
    ours = parse("Dana: a\nMarcus_R: b\n").speakers[0].color
    assert parse("Zed: x\nDANA: y\n").speakers[1].color == ours
    script = "import pelican_chatlog as c; print(c.parse('Dana: a\\nMarcus_R: b').speakers[0].color)"
    for seed in ("1", "2"):
        environment = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run([sys.executable, "-c", script], env=environment, capture_output=True, text=True)
        assert result.stdout.strip() == ours


def test_colour_is_fixed_by_the_name_alone():
    # a fixed value: a change here changes every published chat's colours
    assert speaker_colors(["Dana"]) == ["#742fdb"]


def test_colours_are_distinct_within_a_chat():
    names = random.Random(7)
    for _ in range(200):
        group = [f"user{names.randrange(10**6)}" for _ in range(names.randint(2, 12))]
        assert len(set(speaker_colors(group))) == len(set(group))


@pytest.mark.parametrize("chosen", [None, "#ffff00", "#000", "#0000ff", "#fff"])
def test_names_are_readable_on_light_and_dark_pages(chosen):
    """A name is its colour mixed with the page's text colour (see chatlog.css)."""
    names = [f"speaker {n}" for n in range(30)]
    colors = speaker_colors(names, {names[0]: chosen} if chosen else {})
    pages = [(parse_hex(LIGHT_BACKGROUND), parse_hex(LIGHT_TEXT)), (parse_hex(DARK_BACKGROUND), parse_hex(DARK_TEXT))]
    for color in colors:
        for background, text in pages:
            name = mix(parse_hex(color), text, NAME_MIX)
            assert contrast(name, background) >= 4.5
            assert contrast(name, mix(text, background, BUBBLE_MIX)) >= 4.5


def test_colours_are_set_once_on_the_root_and_named_by_class():
    conversation = parse("Dana: hi\nMarcus: yo\nDana: again\n")
    soup = BeautifulSoup(render(conversation), "html.parser")
    dana, marcus = conversation.speakers
    assert soup.select_one(".chatlog")["style"] == f"--chatlog-c1:{dana.color};--chatlog-c2:{marcus.color}"
    assert [m.get("class") for m in soup.select(".chatlog-message")] == [
        ["chatlog-message", "chatlog-speaker-dana", "chatlog-c1"],
        ["chatlog-message", "chatlog-speaker-marcus", "chatlog-c2", "chatlog-right"],
        ["chatlog-message", "chatlog-speaker-dana", "chatlog-c1"],
    ]
    assert len(soup.find_all(style=True)) == 1


# --- per-speaker overrides -------------------------------------------------------


def test_header_overrides_colour_side_name_and_avatar():
    text = (
        "Speakers: Dana (color: #b03a5b, side: right, name: Dana K., avatar: /img/dana.png), Marcus_R\n\n"
        "Dana: hi\nMarcus_R: yo\n"
    )
    conversation = parse(text)
    dana = conversation.speakers[0]
    assert (dana.side, dana.label) == ("right", "Dana K.")
    assert dana.color == "#b03a5b"
    soup = BeautifulSoup(render(conversation), "html.parser")
    first = soup.select_one(".chatlog-message")
    assert first.find("b").get_text(strip=True) == "Dana K."
    assert first.select_one("b img.chatlog-avatar")["src"] == "/img/dana.png"
    assert first["data-speaker"] == "Dana K."  # the name shown: the original is nowhere
    assert "chatlog-right" in first["class"]


def test_site_styles_apply_where_the_post_chose_nothing():
    styles = {"dana": {"color": "#123456", "side": "right"}, "Marcus": {"name": "M."}}
    conversation = parse("Speakers: Dana (side: left), Marcus\n\nDana: hi\nMarcus: yo\n", speaker_styles=styles)
    dana, marcus = conversation.speakers
    assert dana.side == "left"  # the post's own choice wins
    assert parse_hex(dana.color) is not None and dana.color != speaker_colors(["Dana"])[0]
    assert marcus.label == "M."


def test_unreadable_chosen_colour_keeps_its_hue_but_is_made_readable():
    dana = parse("Speakers: Dana (color: #ffff00)\n\nDana: hi\n").speakers[0]
    assert dana.color != "#ffff00"
    name = mix(parse_hex(dana.color), parse_hex(LIGHT_TEXT), NAME_MIX)
    assert contrast(name, parse_hex(LIGHT_BACKGROUND)) >= 4.5
    hue = colorsys.rgb_to_hls(*parse_hex(dana.color))[0]
    assert hue == pytest.approx(colorsys.rgb_to_hls(1, 1, 0)[0], abs=0.01)


@pytest.mark.parametrize(
    "entry, message",
    [
        ("Dana (color: red;}body{display:none)", "not a colour"),
        ("Dana (color: #12345g)", "not a colour"),
        ("Dana (side: middle)", "side must be left or right"),
        ("Dana (avatar: javascript:alert(1))", "avatar must be"),
        ("Dana (mood: happy)", "unknown option `mood`"),
        ("Dana (color: #fff, side)", "not `key: value`"),
    ],
)
def test_bad_speaker_options_are_errors_on_the_header_line(entry, message):
    with pytest.raises(ChatlogError, match=message) as error:
        parse(f"Title: T\nSpeakers: {entry}\n\nDana: hi\n")
    assert error.value.line == 2


def test_bad_site_style_is_an_error_naming_the_setting():
    with pytest.raises(ChatlogError, match=r"CHATLOG_SPEAKERS\['Dana'\]: not a colour"):
        parse("Dana: hi\n", speaker_styles={"Dana": {"color": "url(x)"}})


def test_template_folders_override_single_templates(tmp_path):
    (tmp_path / "chatlog").mkdir()
    (tmp_path / "chatlog" / "avatar.html").write_text(
        '{% macro avatar(speaker) %}<i class="mine">{{ speaker.initials }}</i>{% endmacro %}'
    )
    conversation = parse("Speakers: Dana (avatar: /img/dana.png)\n\nDana: hi\n")
    soup = BeautifulSoup(render(conversation, template_folders=[tmp_path]), "html.parser")
    assert soup.select_one("i.mine").get_text() == "D"
    assert soup.select_one(".chatlog-message") is not None


def test_a_theme_s_conversation_template_may_count_and_index_the_blocks(tmp_path):
    (tmp_path / "chatlog").mkdir()
    (tmp_path / "chatlog" / "conversation.html").write_text(
        '<p class="mine">{{ blocks|length }} blocks, the first a {{ blocks[0].kind }}'
        '{% if blocks %}, not empty{% endif %}</p>'
    )
    html = render(parse("Dana: hi\nBob: yo\nBob: so\n"), template_folders=[tmp_path])
    assert BeautifulSoup(html, "html.parser").select_one("p.mine").get_text() == "2 blocks, the first a run, not empty"


def test_render_of_a_date_without_times_has_no_day_separator():
    soup = page("Dana: hi\n", date=datetime.date(2024, 3, 7))
    assert soup.select(".chatlog-day") == []


def test_the_contrast_checks_use_the_stylesheets_own_figures():
    """colors.py checks contrast for the mixes chatlog.css draws: one drift and the check means nothing."""
    import re

    from pelican_chatlog import colors
    from pelican_chatlog.render import STYLESHEET

    css = STYLESHEET.read_text(encoding="utf-8")
    percent = f"{colors.BUBBLE_MIX * 100:g}%"
    assert f"--chatlog-bubble: color-mix(in srgb, currentColor {percent}, transparent)" in css
    name_mixes = re.findall(r"color-mix\(in srgb, var\(--chatlog-accent, currentColor\) (\d+)%, currentColor\)", css)
    assert name_mixes and {int(share) for share in name_mixes} == {round(colors.NAME_MIX * 100)}
    for scheme, background, text in (
        ("light", colors.LIGHT_BACKGROUND, colors.LIGHT_TEXT),
        ("dark", colors.DARK_BACKGROUND, colors.DARK_TEXT),
    ):
        # every rule whose selector ends with this scheme's class: the shared one and its own
        rule = "".join(re.findall(rf"^\.chatlog\.chatlog-{scheme} \{{(.*?)\}}", css, re.S | re.M))
        assert f"background: {background};" in rule and f"color: {text};" in rule


def test_render_refuses_a_misspelt_keyword():
    # 0.1 took **settings and read none of them: `colour_scheme="dark"` did nothing, silently
    with pytest.raises(TypeError):
        render(parse("Dana: hi\n"), colour_scheme="dark")
