"""Reading the values other registers' files hold: messy dates, vocabulary values in other
spellings, yes and no in their many forms.

Each reader returns the register's own value, or raises `Unreadable` saying why in words a
person can act on. Nothing here knows about a particular format.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from ..schema import Vocabulary
from ..schema.texts import N_, Composed, Given, Listed, Lowered

# Cells that say "nothing here" in the ways real files do. "[]" is an empty list, as the US
# 2025 inventory writes an unanswered multiple-choice question (thousands of its cells).
BLANKS = frozenset(
    {
        "",
        "-",
        "--",
        "n/a",
        "na",
        "none",
        "null",
        "nil",
        "not applicable",
        "tbd",
        "tbc",
        "unknown",
        "[]",
        "[ ]",
        "['']",
        '[""]',
        "{}",
    }
)

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}

# Spreadsheets count days from 30 December 1899; serials in this range are 1955 to 2119.
_SPREADSHEET_EPOCH = date(1899, 12, 30)
_SERIALS = range(20000, 80000)
_TYPED_YEARS = range(1950, 2200)  # as day numbers: 3 May 1905 to 8 January 1906


class Unreadable(ValueError):
    """A value that cannot be read as what the field holds. `reason` says why, in English,
    as a `Composed` sentence, so that a page can say it in its own language."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# No text longer than this is one of the BLANKS (casefolding never shortens a text), so a
# long cell is not casefolded to find out.
_LONGEST_BLANK = max(map(len, BLANKS))


def clean(raw: object) -> str:
    """The text of a cell without surrounding space, or "" for the ways of saying nothing."""
    if raw is None:
        return ""
    text = unicodedata.normalize("NFC", str(raw)).replace("\u00a0", " ").strip()
    return "" if len(text) <= _LONGEST_BLANK and text.casefold() in BLANKS else text


@functools.lru_cache(maxsize=65536)
def squeeze(text: str) -> str:
    """A key for comparing names and codes: case, accents, punctuation and spacing ignored.
    Remembered, because a file repeats the same few names and codes on every row."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    letters = letters.replace("&", " and ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", letters).split())


def read_date(raw: str, *, day_first: bool) -> str:
    """A partial date (YYYY, YYYY-MM or YYYY-MM-DD) from the forms dates take in real files:
    2024-10-01 00:00:00, 2024-10, 01/2024, Jul-25, 24-Nov (November 2024), July 2025, 2025,
    1/1/2022 (month first in US files, day first in UK ones) and spreadsheet day numbers."""
    text = clean(raw)
    if not text:
        return ""
    found = _read_date(text.replace(",", " ").strip(), day_first=day_first)
    if found is None:
        raise Unreadable(
            Composed(N_("“%(value)s” is not a date the register can read"), value=Given(text))
        )
    return found


def _read_date(text: str, *, day_first: bool) -> str | None:
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?", text):
        return _day(int(match[1]), int(match[2]), int(match[3]))
    if match := re.fullmatch(r"(\d{4})[-/](\d{1,2})", text):
        return _month(int(match[1]), int(match[2]))
    if match := re.fullmatch(r"(\d{4})(?:\.0)?", text):
        return _year(int(match[1]))
    if match := re.fullmatch(r"(\d{1,2})[/.-](\d{4})", text):
        return _month(int(match[2]), int(match[1]))
    if match := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(?:\s.*)?", text):
        first, second, year = int(match[1]), int(match[2]), _full_year(match[3])
        day, month = (first, second) if day_first else (second, first)
        return _day(year, month, day)
    if match := re.fullmatch(r"([A-Za-z]+)\.?[\s-]+(\d{2}|\d{4})", text):
        month = MONTHS.get(match[1].casefold())
        return _month(_full_year(match[2]), month) if month else None
    if match := re.fullmatch(r"(\d{1,2})[\s-]+([A-Za-z]+)\.?[\s-]+(\d{2}|\d{4})", text):
        month = MONTHS.get(match[2].casefold())
        return _day(_full_year(match[3]), month, int(match[1])) if month else None
    if match := re.fullmatch(r"(\d{2})-([A-Za-z]+)", text):
        # "24-Nov": a spreadsheet's year-month format, November 2024. Never a day, for a day
        # without a year is no date; and the US 2024 inventory has only 14 to 25 there.
        month = MONTHS.get(match[2].casefold())
        return _month(_full_year(match[1]), month) if month else None
    if match := re.fullmatch(r"([A-Za-z]+)\.?\s+(\d{1,2})\s+(\d{4})", text):
        month = MONTHS.get(match[1].casefold())
        return _day(int(match[3]), month, int(match[2])) if month else None
    if re.fullmatch(r"\d{5}(?:\.\d+)?", text) and int(float(text)) in _SERIALS:
        return (_SPREADSHEET_EPOCH + timedelta(days=int(float(text)))).isoformat()
    return None


def _full_year(digits: str) -> int:
    # Two-digit years in these files are this century's: "Jul-25" is July 2025.
    return 2000 + int(digits) if len(digits) == 2 else int(digits)


def _year(year: int) -> str | None:
    return f"{year:04d}" if 1900 <= year <= 2199 else None


def _month(year: int, month: int) -> str | None:
    return f"{year:04d}-{month:02d}" if _year(year) and 1 <= month <= 12 else None


def _day(year: int, month: int, day: int) -> str | None:
    try:
        found = date(year, month, day) if _year(year) else None
    except ValueError:
        return None
    if found is None:
        return None
    # A year typed into a spreadsheet's date cell is shown as that day number: 2023 is
    # 15 July 1905. No tool was recorded in 1905, so such a date is read as the year.
    serial = (found - _SPREADSHEET_EPOCH).days
    return _year(serial) if serial in _TYPED_YEARS else found.isoformat()


YES = frozenset({"yes", "y", "true", "t", "1"})
NO = frozenset({"no", "n", "false", "f", "0"})


def read_yes_no(raw: str) -> bool | None:
    """True or False from yes/no in its spellings ("Yes", "Y", "TRUE", "Yes - see notes");
    None for a blank."""
    text = clean(raw)
    if not text:
        return None
    words = squeeze(text).split()
    if words and words[0] in YES:
        return True
    if words and words[0] in NO:
        return False
    raise Unreadable(Composed(N_("“%(value)s” is not yes or no"), value=Given(text)))


def read_code(
    vocabulary: Vocabulary,
    raw: str,
    *,
    source: str | None = None,
    synonyms: Mapping[str, str] | None = None,
) -> str:
    """The code of `vocabulary` that `raw` names: by code, label, the `source` register's
    own value in the crosswalk, or a format's `synonyms` (value -> code), in any case or
    spacing. Raises `Unreadable` if it names none of them."""
    text = clean(raw)
    if not text:
        return ""
    code = _lookup(_codes_by_name(vocabulary, source, synonyms), text)
    if code is None:
        raise Unreadable(
            Composed(
                N_("“%(value)s” is not a %(kind)s (one of: %(choices)s)"),
                value=Given(text),
                kind=Lowered(vocabulary.label),
                choices=Listed(choice.label for choice in vocabulary.choices),
            )
        )
    return code


def read_codes(
    vocabulary: Vocabulary,
    raw: str,
    *,
    source: str | None = None,
    synonyms: Mapping[str, str] | None = None,
) -> tuple[list[str], list[str]]:
    """The codes named in a cell listing several values (split on ; | or new lines, and on
    commas where the pieces name codes), and the values that name none."""
    names = _codes_by_name(vocabulary, source, synonyms)
    codes: list[str] = []
    unknown: list[str] = []
    for part in re.split(r"[;|\n]+", raw or ""):
        text = clean(part)
        if not text:
            continue
        found = [(text, _lookup(names, text))]
        if found[0][1] is None:
            # "Classical ML, NLP" lists two codes; "mostly statistics, some rules" is one
            # answer in free text, kept whole rather than in pieces.
            pieces = [piece for piece in map(clean, text.split(",")) if piece]
            split = [(piece, _lookup(names, piece)) for piece in pieces]
            if len(split) > 1 and any(code for _, code in split):
                found = split
        for value, code in found:
            if code is None:
                unknown.append(value)
            elif code not in codes:
                codes.append(code)
    return codes, unknown


# "a) ", "(b) ", "3. ": the letter or number of an option on the form the file was made from.
_ENUMERATOR = re.compile(r"\(?(?:[a-z]|\d{1,2})[).]\s+", re.IGNORECASE)
# "Deployed – The use case is being actively…", "Generative AI: AI that generates…".
_EXPLANATION = re.compile(r"\s+[-\u2013\u2014]\s+|:\s+")


def explanations(
    vocabulary: Vocabulary,
    raw: str,
    *,
    source: str | None = None,
    synonyms: Mapping[str, str] | None = None,
) -> list[str]:
    """The words a cell writes after the values that name codes, which the codes do not
    carry: "Other: a fuzzy name matcher" names other, and says "a fuzzy name matcher"."""
    names = _codes_by_name(vocabulary, source, synonyms)
    found = (_lookup_with_rest(names, clean(part)) for part in re.split(r"[;|\n]+", raw or ""))
    return [rest for code, rest in found if code and rest]


def _lookup(names: Mapping[str, str], text: str) -> str | None:
    return _lookup_with_rest(names, text)[0]


def _lookup_with_rest(names: Mapping[str, str], text: str) -> tuple[str | None, str]:
    """The code `text` names: as it is, without the option letter the source's form put in
    front of it, or without the explanation written after it (returned with the code)."""
    spellings, head, rest = _spellings(text)
    for spelling in spellings:
        code = names.get(spelling)
        if code is not None:
            return code, ""
    code = names.get(head) if head is not None else None
    return (code, rest) if code else (None, "")


@functools.lru_cache(maxsize=8192)
def _spellings(text: str) -> tuple[tuple[str, ...], str | None, str]:
    """The keys `text` may name a code by (as it is, and without an option letter), and the
    key and words of it split at an explanation (None and "" if it has none). Remembered,
    because a column gives the same few values on every row."""
    bare = _ENUMERATOR.sub("", text, count=1) if _ENUMERATOR.match(text) else text
    head, *rest = _EXPLANATION.split(bare, maxsplit=1)
    spellings = tuple(squeeze(spelling) for spelling in dict.fromkeys((text, bare)))
    return spellings, (squeeze(head) if rest else None), (rest[0].strip() if rest else "")


# Built once per vocabulary, source and synonyms table, not once per cell.
_NAME_TABLES: dict[tuple[str, str | None, tuple], dict[str, str]] = {}


def _codes_by_name(
    vocabulary: Vocabulary, source: str | None, synonyms: Mapping[str, str] | None
) -> dict[str, str]:
    key = (vocabulary.name, source, tuple(synonyms.items()) if synonyms else ())
    if key not in _NAME_TABLES:
        _NAME_TABLES[key] = _build_codes_by_name(vocabulary, source, synonyms)
    return _NAME_TABLES[key]


def _build_codes_by_name(
    vocabulary: Vocabulary, source: str | None, synonyms: Mapping[str, str] | None
) -> dict[str, str]:
    names: dict[str, str] = {}
    for choice in vocabulary.choices:
        for name in _names_of(choice.code, choice.label):
            names.setdefault(name, choice.code)
    for choice in vocabulary.choices:
        value = choice.crosswalk.get(source or "", "")
        # The crosswalk maps our code to their value; several of ours may share one of
        # theirs (US "Pre-deployment" is planned or in development): the first wins.
        if value:
            names.setdefault(squeeze(value), choice.code)
    for value, code in (synonyms or {}).items():
        names[squeeze(value)] = code
    return names


def _names_of(*texts: str) -> Iterable[str]:
    return (squeeze(text) for text in texts)


_LINK = re.compile(r"(?:https?://|www\.)\S+|[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/\S*", re.IGNORECASE)


def looks_like_link(raw: str) -> bool:
    """Whether a cell holds a web address, rather than words about one ("not published",
    "available on request")."""
    return bool(_LINK.match(clean(raw)))
