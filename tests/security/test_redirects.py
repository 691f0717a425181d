"""Open redirects: after signing in, `next` only ever leads to a page of this register.

Browsers forgive a great deal in an address: they drop tabs and line breaks, read a
backslash as a slash, and treat "//host" as another site. Each of these would turn a link
to the sign-in page into a link to an attacker's copy of it.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest
from bs4 import BeautifulSoup

from register.security import local_path

from ..conftest import TEST_PASSWORD

ELSEWHERE = [
    "https://attacker.example/",
    "//attacker.example",
    "///attacker.example",
    "/\\attacker.example",
    "\\\\attacker.example",
    "/\t/attacker.example",
    "/\n/attacker.example",
    "/\r\n/attacker.example",
    "/ /attacker.example",
    " //attacker.example",
    "/\x0b/attacker.example",
    "/\u3000/attacker.example",
    "/\uff0f/attacker.example",
    "http:/attacker.example",
    "https:attacker.example",
    "javascript:alert(1)",
    "/manage\r\nSet-Cookie: stolen=1",
    "",
]

HERE = [
    "/manage/entries/AIR-00001",
    "/manage?tab=feedback#waiting",
    "/entries/AIR-00001",
    # The same pages in Welsh.
    "/cy/manage/entries/AIR-00001",
    "/cy/entries/AIR-00001",
]


def _sign_in(client, next_value: str):
    """Sign in through the form, which posts back to its own address, `next` and all."""
    url = f"/sign-in?next={quote(next_value, safe='')}"
    page = BeautifulSoup(client.get(url).get_data(as_text=True), "html.parser")
    token = page.select_one("main form input[name=csrf_token]")["value"]
    data = {"csrf_token": token, "email": "admin@register.example", "password": TEST_PASSWORD}
    return client.post(url, data=data)


def _is_here(location: str) -> bool:
    parts = urlsplit(location)
    return (
        not parts.scheme
        and not parts.netloc
        and location.startswith("/")
        and not location.startswith("//")
        and all("!" <= character <= "~" and character != "\\" for character in location)
    )


@pytest.mark.parametrize("target", ELSEWHERE, ids=repr)
def test_signing_in_never_sends_anyone_to_another_site(client, make_user, target):
    make_user("admin@register.example", is_admin=True)
    response = _sign_in(client, target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/manage"


@pytest.mark.parametrize("target", HERE)
def test_signing_in_returns_to_the_page_asked_for(client, make_user, target):
    make_user("admin@register.example", is_admin=True)
    response = _sign_in(client, target)
    assert response.headers["Location"] == target


@pytest.mark.parametrize("target", ELSEWHERE, ids=repr)
def test_someone_already_signed_in_is_not_sent_elsewhere_either(
    client_request, sign_in, make_user, target
):
    sign_in(make_user("admin@register.example", is_admin=True))
    response = client_request.client.get(f"/sign-in?next={quote(target, safe='')}")
    assert response.status_code == 302
    assert _is_here(response.headers["Location"])


@pytest.mark.parametrize("target", ELSEWHERE)
def test_only_a_path_here_counts_as_local(target):
    assert local_path(target) is None
