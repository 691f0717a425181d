"""What a person reading the register in Welsh sees on any page, checked in a real browser.

A Welsh page says it is in Welsh (`<html lang="cy">`); no text of the interface that has
Welsh in the catalogue is left in English unless it is marked `lang="en"` (WCAG 3.1.2,
language of parts: a screen reader otherwise reads English with Welsh sounds); each
language's name is marked with its own language; and every link to another page keeps the
`/cy` address, except links to the files and the API, which have one address in every
language.
"""

from __future__ import annotations

import functools
from pathlib import Path
from urllib.parse import urlsplit

from babel.messages.mofile import read_mo
from flask import Flask
from werkzeug.exceptions import HTTPException

from register.languages import DEFAULT_LANGUAGE, LANGUAGES, ONE_ADDRESS_BLUEPRINTS, PREFIXES
from tests.factories import publishable_values
from tests.search_corpus import built

CATALOGUE = Path(__file__).resolve().parents[2] / "register/translations/cy/LC_MESSAGES/messages.mo"

# Every piece of text a person meets on the page (text, the names given to controls, the
# page's title), each with the language it is marked as being in and where it is.
TEXTS_SCRIPT = """() => {
    const found = [];
    const describe = element => {
        const id = element.id ? "#" + element.id : "";
        const classes = [...element.classList].slice(0, 2).map(name => "." + name).join("");
        return element.tagName.toLowerCase() + id + classes;
    };
    const add = (text, element) => {
        text = (text || "").replace(/\\s+/g, " ").trim();
        if (!text) return;
        const marked = element.closest("[lang]");
        found.push({text, lang: marked ? marked.getAttribute("lang") : "", at: describe(element)});
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const element = node.parentElement;
        // Code is in no language: a field's name, a command, an address.
        if (element && !element.closest("script, style, template, code, pre, kbd, samp")) {
            add(node.textContent, element);
        }
    }
    const named = ["aria-label", "alt", "title", "placeholder"];
    for (const element of document.querySelectorAll(named.map(name => `[${name}]`).join())) {
        for (const name of named) add(element.getAttribute(name), element);
    }
    add(document.title, document.documentElement);
    return found;
}"""


def _normal(text: str) -> str:
    return " ".join(text.split())


@functools.cache
def english_with_welsh() -> frozenset[str]:
    """Every English text of the interface whose Welsh differs from it, as the catalogue
    compiled for the running app has it."""
    with CATALOGUE.open("rb") as compiled:
        catalogue = read_mo(compiled)
    english, welsh = set(), set()
    for message in catalogue:
        ids = message.id if isinstance(message.id, (list, tuple)) else [message.id]
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if any(strings):
            english.update(_normal(text) for text in ids if text)
            welsh.update(_normal(text) for text in strings if text)
    # A word that is the same in both ("JSON", "Data") is Welsh too.
    return frozenset(english - welsh)


def texts_on(page) -> list[dict[str, str]]:
    """Each text on the page with the language it is marked in (`lang`) and where it is."""
    return page.evaluate(TEXTS_SCRIPT)


def language_problems(page) -> list[str]:
    """Texts in the wrong language, or marked with the wrong one: the page in another
    language than its address names; each language's name not marked as that language; on a
    Welsh page, English the catalogue has Welsh for, unless it is marked as English."""
    names = {name: code for code, name in LANGUAGES.items()}
    language = page.locator("html").get_attribute("lang")
    path = urlsplit(page.url).path
    addressed = next(
        (code for code, start in PREFIXES.items() if path == start or path.startswith(start + "/")),
        DEFAULT_LANGUAGE,
    )
    problems = []
    if language != addressed:
        problems.append(f"<html lang={language!r}> on a page whose address is in {addressed!r}")
    welsh_page = language == "cy"
    for found in texts_on(page):
        text, marked = found["text"], found["lang"]
        if text in names and marked != names[text]:
            problems.append(f"{text!r} at {found['at']} is marked lang={marked!r}")
        elif welsh_page and marked != "en" and text in english_with_welsh():
            problems.append(f"{text!r} at {found['at']} is English, not marked lang='en'")
    return problems


def _has_one_address(app: Flask, path: str) -> bool:
    """Whether the page or file at `path` has the same address in every language."""
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _arguments = adapter.match(path.split("?")[0].split("#")[0])
    except HTTPException:
        return False
    return endpoint == "static" or endpoint.split(".")[0] in ONE_ADDRESS_BLUEPRINTS


def links_leaving_welsh(page, app: Flask) -> list[str]:
    """The links and forms to another of the register's pages that lose the Welsh address
    (the language switcher's link to English aside, and links to files and the API)."""
    links = page.eval_on_selector_all(
        "a[href], form[action]",
        "links => links.map(link => ({href: link.getAttribute('href') || "
        "link.getAttribute('action'), hreflang: link.getAttribute('hreflang')}))",
    )
    return [
        link["href"]
        for link in links
        if link["href"].startswith("/")
        and not link["href"].startswith("//")
        and link["hreflang"] != "en"
        and not (link["href"] == "/cy" or link["href"].startswith(("/cy/", "/cy?")))
        and not _has_one_address(app, link["href"])
    ]


def check_welsh(page, app: Flask) -> None:
    """Assert the page is in Welsh as a reader meets it: marked `lang="cy"`, with no
    English left unmarked (see `language_problems`), and every link and form to a page
    keeping the Welsh address."""
    assert page.locator("html").get_attribute("lang") == "cy", f"{page.url} is not in Welsh"
    problems = language_problems(page)
    assert not problems, f"on {page.url}:\n" + "\n".join(problems)
    leaving = links_leaving_welsh(page, app)
    assert not leaving, f"links or forms on {page.url} leave the Welsh pages: {leaving}"


def register_to_read(world) -> dict[str, str]:
    """The search tests' register (a retired entry in two versions, a withdrawn one) and an
    entry bought from a supplier, "bought": each reference by its key."""
    references = built(world)
    references["bought"] = world.entry(
        "published",
        values=publishable_values(
            title="Pothole finder",
            built_by="external_supplier",
            supplier_name="Roadscan Vision Ltd",
            supplier_registry="gb_coh",
            supplier_company_number="SC123456",
            product_name="Roadscan Inspector",
        ),
    )
    return references
