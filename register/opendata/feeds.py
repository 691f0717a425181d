"""Atom feeds of newly published and updated entries, and the sitemap, as XML.

Built with ElementTree, which escapes every text and attribute; characters XML 1.0 cannot
carry at all (control characters) are dropped first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from xml.etree import ElementTree  # writes XML, never parses it  # nosec B405

from flask_babel import gettext

ATOM = "http://www.w3.org/2005/Atom"
TOMBSTONES = "http://purl.org/atompub/tombstones/1.0"  # RFC 6721
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Sitemaps name a page's other languages with XHTML's link element.
XHTML = "http://www.w3.org/1999/xhtml"
FEED_LENGTH = 50
# Entries per sitemap file: each is listed once per language, and the protocol allows 50,000.
SITEMAP_PAGE = 10_000

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str | None) -> str:
    return _NOT_XML.sub("", text or "")


@dataclass(frozen=True)
class FeedItem:
    url: str
    title: str
    summary: str
    organisation: str
    version: int
    updated: datetime
    published: datetime
    change_note: str
    # The language of the title when it is not the feed's (an English title in the Welsh feed),
    # and of the summary.
    title_lang: str = ""
    summary_lang: str = ""


@dataclass(frozen=True)
class Tombstone:
    """An entry withdrawn from the register: `ref` is the id the feed gave its last version."""

    ref: str
    url: str
    when: datetime
    reason: str


def _rfc3339(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def item_id(url: str, version: int) -> str:
    # One id per version, so readers show each update as new.
    return f"{url}/versions/{version}"


def atom_feed(
    *,
    title: str,
    feed_url: str,
    page_url: str,
    updated: datetime,
    items: Iterable[FeedItem],
    withdrawn: Iterable[Tombstone] = (),
    feed_id: str | None = None,
    pages: Mapping[str, str] | None = None,
) -> bytes:
    """An Atom feed (RFC 4287) of `items`, newest first, then a tombstone (RFC 6721) for
    each entry in `withdrawn`, so readers can take it down.

    A page of a longer feed has the id of the whole feed (`feed_id`, its first page's
    address) and links to its neighbours by relation (`pages`: RFC 5005's first, next and
    previous)."""
    ElementTree.register_namespace("", ATOM)
    ElementTree.register_namespace("at", TOMBSTONES)
    feed = ElementTree.Element(f"{{{ATOM}}}feed")

    def add(parent: ElementTree.Element, tag: str, text: str | None = None, **attributes: str):
        element = ElementTree.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
        if text is not None:
            element.text = xml_text(text)
        return element

    add(feed, "id", feed_id or feed_url)
    add(feed, "title", xml_text(title))
    add(feed, "updated", _rfc3339(updated))
    add(feed, "link", rel="self", type="application/atom+xml", href=feed_url)
    add(feed, "link", rel="alternate", type="text/html", href=page_url)
    for relation, address in (pages or {}).items():
        add(feed, "link", rel=relation, type="application/atom+xml", href=address)
    for item in items:
        entry = add(feed, "entry")
        add(entry, "id", item_id(item.url, item.version))
        title = add(entry, "title", item.title)
        if item.title_lang:
            title.set(XML_LANG, item.title_lang)
        add(entry, "updated", _rfc3339(item.updated))
        add(entry, "published", _rfc3339(item.published))
        add(entry, "link", rel="alternate", type="text/html", href=item.url)
        author = add(entry, "author")
        add(author, "name", item.organisation)
        summary, summary_lang = item.summary, item.summary_lang
        if item.version > 1 and item.change_note:
            said = gettext(
                "Version %(number)s: %(note)s", number=item.version, note=item.change_note
            )
            # A plain text has one language: a summary said in the feed's, with the note.
            summary, summary_lang = f"{said}\n\n{summary}", ""
        summary_element = add(entry, "summary", summary, type="text")
        if summary_lang:
            summary_element.set(XML_LANG, summary_lang)
    for tombstone in withdrawn:
        deleted = ElementTree.SubElement(
            feed,
            f"{{{TOMBSTONES}}}deleted-entry",
            {"ref": tombstone.ref, "when": _rfc3339(tombstone.when)},
        )
        add(deleted, "link", rel="alternate", type="text/html", href=tombstone.url)
        comment = ElementTree.SubElement(deleted, f"{{{TOMBSTONES}}}comment")
        gone = gettext("Withdrawn from the register.")
        comment.text = xml_text(f"{gone} {tombstone.reason or ''}".strip())
    return _document(feed)


def sitemap_index(urls: Iterable[str]) -> bytes:
    ElementTree.register_namespace("", SITEMAP)
    index = ElementTree.Element(f"{{{SITEMAP}}}sitemapindex")
    for url in urls:
        sitemap = ElementTree.SubElement(index, f"{{{SITEMAP}}}sitemap")
        ElementTree.SubElement(sitemap, f"{{{SITEMAP}}}loc").text = xml_text(url)
    return _document(index)


def url_set(pages: Iterable[tuple[Mapping[str, str], datetime | None]]) -> bytes:
    """A sitemap of `pages`, each given as its address in every language (the default
    language first) and when it last changed. Each address is listed, with links to all of
    them (the first also as x-default): the form search engines read for alternates."""
    ElementTree.register_namespace("", SITEMAP)
    ElementTree.register_namespace("xhtml", XHTML)
    url_set_element = ElementTree.Element(f"{{{SITEMAP}}}urlset")
    for addresses, modified in pages:
        alternates = [*addresses.items(), ("x-default", next(iter(addresses.values())))]
        for url in addresses.values():
            element = ElementTree.SubElement(url_set_element, f"{{{SITEMAP}}}url")
            ElementTree.SubElement(element, f"{{{SITEMAP}}}loc").text = xml_text(url)
            if modified is not None:
                lastmod = ElementTree.SubElement(element, f"{{{SITEMAP}}}lastmod")
                lastmod.text = _rfc3339(modified)
            for language, href in alternates:
                link = {"rel": "alternate", "hreflang": language, "href": xml_text(href)}
                ElementTree.SubElement(element, f"{{{XHTML}}}link", link)
    return _document(url_set_element)


def _document(root: ElementTree.Element) -> bytes:
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
