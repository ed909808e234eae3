"""The readers' fast paths read every line as the slow paths did.

IRC lines are matched by one regular expression for the shapes their first
character allows (irc.shape_of), which must pick the same shape, with the
same groups, as trying every shape in order.
"""

from hypothesis import given, settings
from hypothesis import strategies as st

from pelican_chatlog.readers import irc
from pelican_chatlog.readers.builder import LINE_ENDS, tidy
from pelican_chatlog.readers.pastes import SPACES, squeeze

PIECES = [
    "[", "]", "[12:34]", "[12:34:56]", "12:34", "2015-07-08 02:00:04", "2015-07-08", "2005-01-08T23:34:46",
    "[02-Feb-2004 14:18:55]", "[14 Jan 12:37]", "[Sat Jan 8 2005]", "Dec 31 21:11:58", "2007 Jan 15 12:34:56",
    "Ünal. 3 12:00", "²ab 1 12:00", "٢٠١٥-٠٧-٠٨ 02:00", " ", "  ", "\t", "<nick>", "<@n!u@h>", "text", "-!-", "_", "x",
]


def first_shape(line):
    for client, shape in irc.SHAPES:
        found = shape.fullmatch(line)
        if found is not None:
            return client, shape.pattern, found.groupdict(), found.start("rest")
    return None


def fast_shape(line):
    shaped = irc.shape_of(line)
    if shaped is None:
        return None
    client, found = shaped
    return client, found.re.pattern, found.groupdict(), found.start("rest")


@settings(max_examples=2000)
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=4), max_size=6).map("".join))
def test_an_irc_line_has_the_shape_trying_each_in_order_finds(line):
    assert fast_shape(line) == first_shape(line)


def test_every_irc_shape_is_found_by_its_first_character():
    for line in ["2015-07-08 02:00:04\tnick\thi", "2007 Jan 15 12:34:56  <nick> hi", "2005-01-08T23:34:46  <n> hi",
                 "[2005-01-08 23:34:46] <n> hi", "[02-Feb-2004 14:18:55] <n> hi", "[14 Jan 12:37] <n!u@h> +hi",
                 "[Sat Jan 8 2005] [23:34:46] <n>\thi", "Dec 31 21:11:58 <n>\thi", "[12:34] <n> hi", "12:34 <n> hi",
                 "[12:34:56] [12:00] <n> hi", "²ab 1 12:00 <n> hi"]:
        assert first_shape(line) is not None
        assert fast_shape(line) == first_shape(line), line


@given(st.text(alphabet=" \t\u00a0\u202fab", max_size=12))
def test_squeezing_a_name_without_a_regex_when_none_is_needed_squeezes_as_the_regex(name):
    assert squeeze(name) == SPACES.sub(" ", name.strip(" \t"))


@given(st.text(alphabet=" \t\n\r\x00ab\x0b", max_size=12))
def test_tidying_one_line_without_splitting_it_tidies_as_splitting(text):
    lines = LINE_ENDS.sub("\n", text).replace("\x00", "\u2400").strip(" \t\n").split("\n")
    assert tidy(text) == "\n".join(line.rstrip(" \t") for line in lines)
