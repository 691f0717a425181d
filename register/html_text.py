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


# Those of them below U+0080: most of what a page writes is ASCII (markup above all, which
# the macros pass on level after level), and this short class is scanned twice as fast.
FORBIDDEN_IN_ASCII = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")


def printable(value: Any) -> Any:
    """Jinja's `finalize`: every value a template writes, with forbidden characters replaced
    (`str.replace` keeps markup as markup, and these characters are never part of a tag)."""
    if isinstance(value, str):
        forbidden = FORBIDDEN_IN_ASCII if value.isascii() else FORBIDDEN
        for character in set(forbidden.findall(value)):
            value = value.replace(character, REPLACEMENT)
    return value
