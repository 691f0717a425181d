"""How a text value is written in a CSV cell so that a spreadsheet cannot run it, and read
back exactly: one rule for the downloads that write cells and the importer that reads them.

Spreadsheets treat a cell starting with `=`, `+`, `-` or `@` (and their full-width forms,
which some convert), a pipe (a DDE call in older ones), a tab or a carriage return as a
formula. Such a cell gets a single quote in front, as OWASP advises. So that the quote can
always be told apart, a value that itself starts with a quote gets one more too: whenever a
cell starts with a quote, exactly one was added, and taking it off gives the value back.
"""

from __future__ import annotations

FORMULA_STARTS = frozenset("=+-@|\t\r\uff1d\uff0b\uff0d\uff20")
NEUTRALISING_PREFIX = "'"
# A cell that starts with one of these gets the prefix.
GUARDED_STARTS = frozenset(FORMULA_STARTS | {NEUTRALISING_PREFIX})


def neutralise(text: str) -> str:
    """`text` made safe to open in a spreadsheet: it cannot start a formula."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    if text[:1] in GUARDED_STARTS and text:
        return NEUTRALISING_PREFIX + text
    return text


def restore_cell(text: str) -> str:
    """The text a CSV cell held before `neutralise`: the one added quote taken off."""
    return text[1:] if text[:1] == NEUTRALISING_PREFIX else text
