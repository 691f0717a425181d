"""The checks every page gets (tests/pages.py) catch what they are for, and the register
writes no character HTML forbids."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from markupsafe import Markup

from register.html_text import printable

from .pages import check_choices_are_asked, check_parses_strictly, check_title_matches_heading

PAGE = "<!DOCTYPE html><html lang=en><head><title>T</title></head><body>{}</body></html>"


@pytest.mark.parametrize(
    "title",
    ["Your entries – Register", "Error: Your entries – Register", "Your  entries\n – Register"],
)
def test_a_title_that_starts_with_the_heading_passes(title):
    check_title_matches_heading(title, "Your\n entries")


@pytest.mark.parametrize("title", ["Entries – Register", "Register", "Error: Error: Your entries"])
def test_a_title_that_does_not_start_with_the_heading_fails(title):
    with pytest.raises(AssertionError, match="does not start with the h1"):
        check_title_matches_heading(title, "Your entries")


@pytest.mark.parametrize(
    "body",
    ["<p>One</div>", "<p id=a id=b>Two</p>", "<input value='Nia\x07'>", "<ul><li>x</ul></li>"],
)
def test_markup_that_does_not_parse_fails(body):
    with pytest.raises(AssertionError, match="does not parse"):
        check_parses_strictly(PAGE.format(body))


def test_markup_that_parses_passes():
    check_parses_strictly(PAGE.format("<p>One &amp; two</p><input value='N\ufffdia'>"))


def test_forbidden_characters_are_written_as_the_replacement_character():
    assert printable("N\x07ia\x00\x7f\ufdd0") == "N\ufffdia\ufffd\ufffd\ufffd"
    assert printable(Markup("<b>x\x1b</b>")) == Markup("<b>x\ufffd</b>")
    assert printable("Tab\tline\nfeed\r\x0c") == "Tab\tline\nfeed\r\x0c"
    assert printable(3) == 3


def test_in_ascii_text_only_the_control_characters_html_forbids_are_replaced():
    allowed_controls = {"\t", "\n", "\x0c", "\r"}
    for code in range(128):
        character = chr(code)
        forbidden = (code < 32 or code == 127) and character not in allowed_controls
        assert printable(f"a{character}b") == ("a\ufffdb" if forbidden else f"a{character}b")
        # The same character in text that is not all ASCII, which is checked in full.
        assert printable(f"é{character}") == ("é\ufffd" if forbidden else f"é{character}")


def test_beyond_the_basic_plane_only_the_noncharacters_are_replaced():
    # An emoji and a character of each plane's start stay; each plane's last two do not.
    kept = "é😀\U00010000\U0010fffd"
    assert printable(kept) == kept
    assert printable("é\U0001fffe😀\U0010ffff") == "é\ufffd😀\ufffd"
    assert printable(Markup("<b>\U0002ffff</b>")) == Markup("<b>\ufffd</b>")


RADIOS = (
    '<input type="radio" name="role" value="editor" id="a"><label for="a">Editor</label>'
    '<input type="radio" name="role" value="publisher" id="b"><label for="b">Publisher</label>'
)


@pytest.mark.parametrize(
    "markup",
    [
        RADIOS,  # no fieldset at all
        f'<fieldset class="govuk-fieldset">{RADIOS}</fieldset>',  # no legend
        f'<fieldset><legend class="govuk-fieldset__legend"> </legend>{RADIOS}</fieldset>',
        '<input type="checkbox" name="entries" value="1"><input type="checkbox" name="entries">',
    ],
)
def test_choices_with_no_question_fail(markup):
    with pytest.raises(AssertionError, match="no legend"):
        check_choices_are_asked(BeautifulSoup(markup, "html.parser"))


@pytest.mark.parametrize(
    "markup",
    [
        f"<fieldset><legend>What will they do on the register?</legend>{RADIOS}</fieldset>",
        '<input type="checkbox" name="publish" id="p"><label for="p">Publish them</label>',
    ],
)
def test_choices_asked_by_a_legend_or_a_single_checkbox_pass(markup):
    check_choices_are_asked(BeautifulSoup(markup, "html.parser"))
