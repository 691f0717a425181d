"""Whether a link still works, asked of its web server as politely and safely as possible.

The links are typed by anyone with an account, so the check must not become a way to reach
the register's own network: every host name is resolved first, the request goes to the
address that was vetted (so a second lookup cannot give another), and private, loopback,
link-local and reserved addresses are refused, at every redirect too. Loopback is allowed
only to a test run that asks for it (`LINK_CHECK_ALLOW_LOOPBACK`), for a server on the
same machine.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from flask import current_app

# Seconds to wait for a server to connect or answer: a slow site should not hold up a run.
TIMEOUT = 10
MOST_REDIRECTS = 5
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class Outcome:
    """What one check found: whether the link works, and in a few words why (or why not)."""

    working: bool
    detail: str


Fetch = Callable[[str], Outcome]


class Refused(Exception):
    """The link points somewhere the register will not send a request."""


def check(url: str) -> Outcome:
    """Whether `url` answers, following up to `MOST_REDIRECTS` redirects: HEAD first, then
    GET for servers that refuse HEAD."""
    try:
        for _ in range(MOST_REDIRECTS + 1):
            status, location = _ask(url)
            if status in _REDIRECTS and location:
                url = urljoin(url, location)
                continue
            return Outcome(status < 400, f"HTTP {status}")
        return Outcome(False, "too many redirects")
    except Refused as refused:
        return Outcome(False, str(refused))
    except ValueError:  # a port out of range, say
        return Outcome(False, "not a web address")
    except TimeoutError:
        return Outcome(False, "timed out")
    except ssl.SSLError:
        return Outcome(False, "its certificate could not be checked")
    except http.client.HTTPException:
        return Outcome(False, "the server’s answer could not be read")
    except OSError:
        return Outcome(False, "could not connect")


def _ask(url: str) -> tuple[int, str]:
    """The status and redirect location of `url`, by HEAD, or by GET if HEAD fails."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused("not a web address")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = vetted_address(parts.hostname, port)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    status, location = _request("HEAD", parts.scheme, parts.hostname, port, address, target)
    if status >= 400:
        # Some servers answer HEAD with 403, 404 or 405 while GET works.
        status, location = _request("GET", parts.scheme, parts.hostname, port, address, target)
    return status, location


def vetted_address(host: str, port: int) -> str:
    """An address `host` resolves to, when every one of them is public; else Refused."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise Refused("its host name does not resolve") from None
    addresses = [info[4][0] for info in found]
    for address in addresses:
        if not _may_visit(ipaddress.ip_address(address.partition("%")[0])):
            raise Refused("it points to a private or reserved address")
    return addresses[0]


def _may_visit(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return bool(current_app.testing and current_app.config.get("LINK_CHECK_ALLOW_LOOPBACK"))
    return ip.is_global and not ip.is_multicast


def _request(
    method: str, scheme: str, host: str, port: int, address: str, target: str
) -> tuple[int, str]:
    connection_class = (
        http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_class(host, port, timeout=TIMEOUT)
    # Connect to the vetted address, while the Host header and TLS still name the host.
    connection._create_connection = lambda where, *args: socket.create_connection(
        (address, where[1]), *args
    )
    try:
        connection.request(method, target, headers={"User-Agent": _user_agent()})
        response = connection.getresponse()
        return response.status, response.getheader("Location", "")
    finally:
        connection.close()


def _user_agent() -> str:
    """Who is asking, and where to find out more, so a site's owners know the requests."""
    config = current_app.config
    contact = config.get("REGISTER_BASE_URL") or config.get("REGISTER_CONTACT_EMAIL")
    return f"{config['REGISTER_NAME']} link checker (+{contact})"
