"""The register's own public address: the only source of absolute links.

Links in emails, feeds, sitemaps, the API, JSON-LD and the data package are built from
`REGISTER_BASE_URL`, never from the host a request names, which anyone can forge (a reset
link pointing at an attacker's site hands them the token). Production refuses to start
without it; development and tests, which have no fixed address, fall back to the request's.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, request, url_for

from .languages import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    prefix,
    register_root,
    within_register,
    written_language,
)


class AddressError(ValueError):
    """`REGISTER_BASE_URL` is not a usable address; the message says why."""


def check_base_url(value: str) -> str:
    """`value` without a trailing slash, if it is an http(s) address with a host and
    nothing after its path; else `AddressError`."""
    parts = urlsplit(value.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise AddressError(
            f"REGISTER_BASE_URL must be the register's public address, such as "
            f"https://ai-register.example.gov, not {value!r}."
        )
    if parts.query or parts.fragment or parts.username or parts.password:
        raise AddressError("REGISTER_BASE_URL must have no query, fragment or user name.")
    return value.strip().rstrip("/")


def trusted_hosts(base_url: str, extra: str) -> list[str] | None:
    """The host names requests may name: the base address's, and any listed in `extra`
    (comma-separated); None, meaning any, when there is no base address."""
    if not base_url:
        return None
    hosts = [urlsplit(base_url).hostname or ""]
    hosts += [name.strip().lower() for name in extra.split(",") if name.strip()]
    return hosts


def base_url() -> str:
    """The register's address without a trailing slash: REGISTER_BASE_URL, or in development
    and tests (production cannot start without it) the address the request came to."""
    configured = current_app.config.get("REGISTER_BASE_URL") or ""
    if configured:
        return configured.rstrip("/")
    # The root the register is served under, without a language's prefix.
    return request.host_url.rstrip("/") + register_root()


def absolute_path(path: str, language: str | None = None) -> str:
    """The full address of `path` in `language`: a path within the register such as
    `/entries?q=fraud`, or one `url_for` built, which starts with the path the register is
    served under. Unless asked, the language an email is written in (`writing_in`), else
    English: feeds, sitemaps and the API speak English whatever page asks."""
    language = language or written_language() or DEFAULT_LANGUAGE
    # The base address already holds the path the register is served under.
    return base_url() + prefix(language) + within_register(path)


def absolute_url(endpoint: str, _language: str | None = None, **values: Any) -> str:
    """The full address of `endpoint`, as `url_for` would build it, on the register's own
    address, in `_language` (as `absolute_path` chooses unless asked)."""
    return absolute_path(url_for(endpoint, **values), _language)


def current_address(language: str | None = None) -> str:
    """The full address of the page being answered, with its query string, in `language`
    (as `absolute_path` chooses unless asked)."""
    query = request.query_string.decode("latin-1")
    return absolute_path(request.path + (f"?{query}" if query else ""), language)


def in_every_language(path: str) -> dict[str, str]:
    """The full address of the page at `path` (within the register) in each language."""
    return {language: absolute_path(path, language) for language in LANGUAGES}
