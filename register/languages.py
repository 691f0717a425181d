"""The register in English and in Welsh: the language is part of a page's address.

English pages have no prefix (`/entries`); Welsh ones start with `/cy` (`/cy/entries`), so
either can be bookmarked, shared and crawled. `LanguageFromPath`, a WSGI middleware, moves
`/cy` from the path onto the script root before Flask sees the request: every route stays
written once, and every link `url_for` builds on a Welsh page, and every redirect, keeps the
prefix. The language chosen is kept in the request's environment for the locale selector.

The read and submission APIs (`/api/...`) answer in one language only: under `/cy` they are
not found.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from flask import Flask, has_app_context, has_request_context, request
from flask import url_for as flask_url_for
from flask_babel import Babel, force_locale, get_translations

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment
    from babel.support import NullTranslations

DEFAULT_LANGUAGE = "en"
# Each language's name in itself, as the language switcher shows it; the default first.
LANGUAGES = {"en": "English", "cy": "Cymraeg"}
WELSH = "cy"  # the language an answer may be given in besides English, too
# Hidden text for a screen reader on the link to each language, in that language.
CHANGE_TO = {"en": "Change the language to English", "cy": "Newid yr iaith i’r Gymraeg"}
PREFIXES = {"cy": "/cy"}
# Paths that have no Welsh address: the API's (machines read them, and one address each is
# enough). The page about the API, /api, is a page like any other.
LANGUAGE_FREE = ("/api/",)

# Where the middleware leaves the language, and the script root the register had before it.
LANGUAGE_KEY = "register.language"
ROOT_KEY = "register.root"

# Flask-Babel's own date and number filters are left out: register/formatting.py is the one
# home of how a date reads, in either language.
babel = Babel(configure_jinja=False)


def _language_in(path: str) -> tuple[str, str] | None:
    """(language, the rest of the path) when `path` starts with a language's prefix."""
    for language, start in PREFIXES.items():
        if path == start or path.startswith(start + "/"):
            return language, path[len(start) :] or "/"
    return None


def _is_language_free(path: str) -> bool:
    return path.startswith(LANGUAGE_FREE)


class LanguageFromPath:
    """WSGI middleware: a path starting `/cy/` (or exactly `/cy`) is the same page in Welsh.

    The prefix moves from PATH_INFO to SCRIPT_NAME, in a copy of the environment (a test
    client that follows a redirect rebuilds the next request from the one it sent). It runs
    inside ProxyFix, so a proxy's own prefix is already in SCRIPT_NAME.
    """

    def __init__(self, wsgi_app: WSGIApplication) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        root = environ.get("SCRIPT_NAME", "")
        found = _language_in(environ.get("PATH_INFO", ""))
        if found is None or _is_language_free(found[1]):
            # Unprefixed, or an API path under /cy, which no route matches: not found.
            environ = {**environ, LANGUAGE_KEY: DEFAULT_LANGUAGE, ROOT_KEY: root}
            return self.wsgi_app(environ, start_response)
        language, rest = found
        environ = {
            **environ,
            "SCRIPT_NAME": root + PREFIXES[language],
            "PATH_INFO": rest,
            LANGUAGE_KEY: language,
            ROOT_KEY: root,
        }
        return self.wsgi_app(environ, start_response)


# Set while text that is not a page is written (an email), during a request or not.
_forced: ContextVar[str | None] = ContextVar("register_forced_language", default=None)


@contextmanager
def writing_in(language: str) -> Iterator[None]:
    """Write in `language` whatever the page's: texts, dates and the register's own links
    (`register.addresses`). The mail layer writes each email this way, in its recipient's
    language."""
    language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    token = _forced.set(language)
    try:
        with force_locale(language):
            yield
    finally:
        _forced.reset(token)


# Each language's catalogue once Flask-Babel has loaded it. Flask-Babel keeps them while the
# register runs too, but finds one through the request's context on every text (about 10 µs),
# and a listing shows a few hundred texts.
_catalogues: dict[str, NullTranslations] = {}


def translations() -> NullTranslations:
    """The catalogue of the language being written (`current_language`)."""
    language = current_language()
    found = _catalogues.get(language)
    if found is None:
        # Asked for by name: the locale Flask-Babel keeps for the context may be another
        # language's (an application context that outlives several requests keeps the first).
        with force_locale(language):
            found = get_translations()
        if has_app_context():  # outside the app Flask-Babel has no catalogue to give
            _catalogues[language] = found
    return found


def written_language() -> str | None:
    """The language `writing_in` writes in just now, or None when it is not in use."""
    return _forced.get()


def current_language() -> str:
    """The language of the page being answered, or of the text `writing_in` writes ("en"
    outside a request otherwise)."""
    if _forced.get() is not None or not has_request_context():
        return _forced.get() or DEFAULT_LANGUAGE
    language = request.environ.get(LANGUAGE_KEY, DEFAULT_LANGUAGE)
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


class Said(str):
    """An answer given in English, Welsh or both, in the version a page reads: `lang` is the
    language it is in when that is not the page's (for the `lang` attribute of whatever
    shows it), and "" when it is."""

    lang: str

    def __new__(cls, text: str, lang: str = "") -> Said:
        said = super().__new__(cls, text)
        said.lang = lang
        return said


def in_page_language(english: str | None, welsh: str | None, language: str | None = None) -> Said:
    """Of an answer given in English, Welsh or both, the version a page in `language` (the
    page's own by default) reads: the one in its language when given, else the other, marked
    with the language it is in."""
    language = language or current_language()
    texts = {DEFAULT_LANGUAGE: english or "", WELSH: welsh or ""}
    wanted = WELSH if language == WELSH else DEFAULT_LANGUAGE
    other = DEFAULT_LANGUAGE if wanted == WELSH else WELSH
    if texts[wanted].strip() or not texts[other].strip():
        return Said(texts[wanted])
    return Said(texts[other], other)


def register_root() -> str:
    """The path the register is served under (a proxy's prefix), without the language's."""
    return request.environ.get(ROOT_KEY, request.script_root)


def prefix(language: str) -> str:
    """What a page's path starts with in `language`: "/cy" for Welsh, nothing for English."""
    return PREFIXES.get(language, "")


def within_register(path: str) -> str:
    """`path` as the register names it, without the script root (nor language) `url_for`
    puts in front: "/cy/entries" on a Welsh page is "/entries"."""
    root = request.script_root if has_request_context() else ""
    if root and (path == root or path.startswith(root + "/")):
        return path[len(root) :] or "/"
    return path


def this_page_in(language: str) -> str:
    """The address of the page being answered in `language`, query string and all, as a
    link from the page (no scheme or host)."""
    query = request.query_string.decode("latin-1")
    return register_root() + prefix(language) + request.path + (f"?{query}" if query else "")


# Blueprints whose addresses are the same in every language: the downloads (the same files
# whatever page links to them) and the API (not found under /cy at all).
ONE_ADDRESS_BLUEPRINTS = ("downloads", "api")


def url_for(endpoint: str, **values: Any) -> str:
    """`url_for` for templates: static files have one address in every language, so that
    browsers keep one copy of each, and so have the downloads and the API."""
    address = flask_url_for(endpoint, **values)
    one_address = endpoint == "static" or endpoint.split(".")[0] in ONE_ADDRESS_BLUEPRINTS
    if one_address and has_request_context():
        return register_root() + within_register(address)
    return address


def selected_locale() -> str:
    """The locale selector: the language the address names."""
    return current_language()


def init_languages(app: Flask) -> None:
    """Read the language from the address, and load the catalogues (register/translations,
    compiled by `make`). Call before the host check and the proxy fix are installed, so that
    this runs after both."""
    app.wsgi_app = LanguageFromPath(app.wsgi_app)  # type: ignore[method-assign]
    babel.init_app(app, default_locale=DEFAULT_LANGUAGE, locale_selector=selected_locale)
