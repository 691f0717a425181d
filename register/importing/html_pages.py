"""Reading a web page (HTML) for import as headings and the text under each.

GOV.UK serves a record's body as HTML with a heading per field; a page saved from the site
has the same body inside its `govspeak` block, among the site's navigation. This reads the
headings (h1 to h4) and the text after each until the next, as plain text: paragraphs apart,
list items on lines of their own, a link's address after its words. Python's own HTML
parser builds no tree, so no nesting can exhaust the memory or the stack; the page's length,
its number of headings and the time reading it takes are bounded by `ReadLimits`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

from ..schema.texts import N_, Composed, Given
from .files import DEFAULT_LIMITS, Deadline, FileRefused, ReadLimits, too_long

_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4}
# Elements whose text is never content: scripts, styles, and the site's own furniture.
_SKIPPED = frozenset({"script", "style", "template", "noscript", "svg", "nav", "button", "form"})
_BREAKS = frozenset(
    {"p", "div", "ul", "ol", "table", "blockquote", "pre", "section", "article", "dl", "hr"}
)
_CHUNK = 64 * 1024


@dataclass
class PageSection:
    """A heading and the text under it (until the next heading)."""

    level: int
    heading: str
    text: str = ""
    links: list[str] = field(default_factory=list)


@dataclass
class Page:
    title: str = ""  # the page's h1, if it has one
    description: str = ""  # its meta description, if any
    address: str = ""  # its canonical address, if it gives one
    sections: list[PageSection] = field(default_factory=list)


def read_page(text: str, limits: ReadLimits = DEFAULT_LIMITS, *, base_url: str = "") -> Page:
    """The page's headings and text. Relative links are made absolute against `base_url`.
    Raises `FileRefused` for a page over a limit."""
    if len(text) > limits.cell:
        raise too_long(N_("The page"), limits)
    deadline = Deadline(limits)
    reader = _Reader(limits, base_url, only_body="govspeak" in text)
    for start in range(0, len(text), _CHUNK):
        reader.feed(text[start : start + _CHUNK])
        deadline.check()
    reader.close()
    return reader.page


class _Reader(HTMLParser):
    def __init__(self, limits: ReadLimits, base_url: str, *, only_body: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.limits = limits
        self.base_url = base_url
        self.page = Page()
        # A saved page: only what is inside its govspeak block is the record.
        self.only_body = only_body
        self.body_depth = 0  # open divs inside the govspeak block, when in it
        self.skipping: list[str] = []
        self.heading: list[str] | None = None  # the text of a heading being read
        self.heading_level = 0
        self.words: list[str] = []  # the text under the current heading
        self.link: str = ""
        self.link_words: list[str] = []
        self.in_title = False
        self.title_words: list[str] = []

    # Where we are ---------------------------------------------------------------------

    @property
    def reading(self) -> bool:
        return not self.skipping and (not self.only_body or self.body_depth > 0)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "meta" and (attributes.get("name") or "").lower() == "description":
            self.page.description = " ".join((attributes.get("content") or "").split())
        if tag == "link" and (attributes.get("rel") or "").lower() == "canonical":
            self.page.address = urljoin(self.base_url, attributes.get("href") or "")
        if tag == "div" and self.only_body:
            if self.body_depth:
                self.body_depth += 1
            elif any("govspeak" in name for name in (attributes.get("class") or "").split()):
                self.body_depth = 1
                return
        if tag == "h1" and not self.skipping and not self.title_words:
            self.in_title = True
        if tag in _SKIPPED:
            self.skipping.append(tag)
        if not self.reading:
            return
        if tag in _HEADINGS:
            self._end_section()
            self.heading, self.heading_level = [], _HEADINGS[tag]
        elif tag in _BREAKS or tag == "tr":
            self._write("\n\n")
        elif tag == "li":
            self._write("\n- ")
        elif tag == "br":
            self._write("\n")
        elif tag in ("td", "th"):
            self._write(" | ")
        elif tag == "a":
            self.link = urljoin(self.base_url, attributes.get("href") or "")
            self.link_words = []

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()
            return
        if tag == "h1":
            self.in_title = False
        if tag == "div" and self.body_depth:
            self.body_depth -= 1
            return
        if not self.reading:
            return
        if tag in _HEADINGS and self.heading is not None:
            self.page.sections.append(
                PageSection(self.heading_level, _one_line("".join(self.heading)))
            )
            if len(self.page.sections) > self.limits.columns:
                raise FileRefused(
                    Composed(
                        N_(
                            "The page has more than %(most)s headings, far more than a record "
                            "has fields."
                        ),
                        most=Given(f"{self.limits.columns:,}"),
                    )
                )
            self.heading = None
            self.words = []
        elif tag == "a" and self.link:
            self._end_link()
        elif tag in _BREAKS or tag in ("li", "tr"):
            self._write("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title_words.append(data)
        if not self.reading:
            return
        if self.heading is not None:
            self.heading.append(data)
            return
        self._write(data)
        if self.link:
            self.link_words.append(data)

    def close(self) -> None:
        super().close()
        self._end_section()
        self.page.title = _one_line("".join(self.title_words))

    # Writing the text -----------------------------------------------------------------

    def _write(self, text: str) -> None:
        self.words.append(text)

    def _end_link(self) -> None:
        """A link's address follows its words, unless the words are the address."""
        words = _one_line("".join(self.link_words))
        address = self.link
        self.link = ""
        if not address.startswith(("http://", "https://", "mailto:")):
            return
        if self.page.sections and self.heading is None:
            self.page.sections[-1].links.append(address)
        shown = address.removeprefix("mailto:")
        if words.rstrip("/") != shown.rstrip("/"):
            self._write(f" ({shown})")

    def _end_section(self) -> None:
        """Put the text read since the last heading under it."""
        text = _tidy("".join(self.words)) if self.words else ""
        self.words = []
        if not text:
            return
        if not self.page.sections:
            # Words before the first heading: a section of their own, without one.
            self.page.sections.append(PageSection(0, ""))
        section = self.page.sections[-1]
        section.text = f"{section.text}\n\n{text}" if section.text else text


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _tidy(text: str) -> str:
    """Runs of spaces made one, paragraphs kept apart by one blank line, a list item's words
    on its own line, a table's cells apart."""
    lines = []
    for line in text.split("\n"):
        line = " ".join(line.split())
        lines.append(line[2:] if line.startswith("| ") else line)
    joined = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    joined = re.sub(r"(?m)^-\s*\n+(?=\S)", "- ", joined)
    return re.sub(r"\n\n(?=- )", "\n", joined).strip()
