"""What text a page may carry: HTML forbids control characters and noncharacters anywhere in a
document, even written as character references, so a value holding one (an answer sent back
with its error, a cell of an imported file) shows U+FFFD in its place."""

from __future__ import annotations

import re
from typing import Any

REPLACEMENT = "\ufffd"
# C0 controls but tab, line feed, form feed and carriage return; DEL and the C1 controls;
# lone surrogates; and the noncharacters U+FDD0 to U+FDEF and the last two of each plane.
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(
        f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
    )
    + "]"
)


# Every character but those a page may carry, as one class of ranges: what a page writes is
# scanned with it, and what it finds is checked with FORBIDDEN. `re` tests ranges of the Basic
# Multilingual Plane against a bitmap, but FORBIDDEN's 32 noncharacters above it one by one
# (twenty times slower on a page not all ASCII, whose markup the macros pass on level after
# level): so every character above the plane matches here, and few are ever found.
NOT_ALLOWED = re.compile("[^\t\n\x0c\r -~\xa0-\ud7ff\ue000-\ufdcf\ufdf0-\ufffd]")


def printable(value: Any) -> Any:
    """Jinja's `finalize`: every value a template writes, with forbidden characters replaced
    (`str.replace` keeps markup as markup, and these characters are never part of a tag)."""
    if isinstance(value, str) and NOT_ALLOWED.search(value):
        for character in set(NOT_ALLOWED.findall(value)):
            if FORBIDDEN.match(character):
                value = value.replace(character, REPLACEMENT)
    return value
