"""Clients that send their requests slowly cannot take the register down.

The attack seen from outside: four clients sending request bodies a byte at a time held
every gunicorn worker, and nobody else was served. gunicorn's workers serve one request
each, so the register is deployed behind nginx, which reads each request whole before a
worker sees it. These tests serve the register through the nginx settings the README points
to (docs/nginx.conf), as written, and carry out the attack through them.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from .servers import ROOT, RegisterServer, free_port, fresh_database, missing, serving

pytestmark = pytest.mark.reliability

WORKERS = 2
# The address nginx serves; loopback too, for the test's own check that gunicorn is up.
BEHIND_NGINX = {
    "PROXY_COUNT": "1",
    "REGISTER_BASE_URL": "https://register.example",
    "REGISTER_EXTRA_HOSTS": "127.0.0.1",
}
SLOW_CLIENTS = 4 * WORKERS
# What docs/nginx.conf allows a body to pause for, and the shorter pause the test's copy
# allows so that the attack (which pauses for good) is cut off sooner; the trickle below
# pauses for about a second.
DOCUMENTED_PAUSE = "client_body_timeout 10s;"
BODY_PAUSE_LIMIT = 4


def nginx_configuration(server: RegisterServer, port: int, folder: Path) -> Path:
    """A whole nginx configuration serving on `port` that includes docs/nginx.conf, with its
    upstream pointed at `server`."""
    included = (ROOT / "docs" / "nginx.conf").read_text()
    assert "proxy_pass http://127.0.0.1:8000;" in included
    assert DOCUMENTED_PAUSE in included
    (folder / "register.conf").write_text(
        included.replace("127.0.0.1:8000", f"127.0.0.1:{server.port}").replace(
            DOCUMENTED_PAUSE, f"client_body_timeout {BODY_PAUSE_LIMIT}s;"
        )
    )
    temporary = {name: folder / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temporary.values():
        path.mkdir()
    # Run as root (as CI is), nginx's workers would otherwise become a user who cannot
    # reach the test's private folder.
    user = "user root;" if os.geteuid() == 0 else ""
    configuration = folder / "nginx.conf"
    configuration.write_text(
        f"""
        {user}
        daemon off;
        worker_processes 1;
        pid {folder}/nginx.pid;
        error_log {folder}/error.log warn;
        events {{ worker_connections 512; }}
        http {{
            access_log off;
            client_body_temp_path {temporary["body"]};
            proxy_temp_path {temporary["proxy"]};
            fastcgi_temp_path {temporary["fastcgi"]};
            uwsgi_temp_path {temporary["uwsgi"]};
            scgi_temp_path {temporary["scgi"]};
            server {{
                listen 127.0.0.1:{port};
                server_name register.example;
                include {folder}/register.conf;
            }}
        }}
        """
    )
    return configuration


@contextmanager
def nginx_in_front_of(server: RegisterServer, folder: Path) -> Iterator[int]:
    """nginx serving the register on a port of its own; the port."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        missing("nginx is not installed (Debian's nginx-light)")
    port = free_port()
    configuration = nginx_configuration(server, port, folder)
    log = (folder / "nginx.out").open("wb")
    process = subprocess.Popen(
        [binary, "-p", str(folder), "-c", str(configuration)],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            assert process.poll() is None, (folder / "error.log").read_text(errors="replace")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def start_slow_post(port: int) -> socket.socket:
    """A client that starts a sign-in form and then sends its body a byte at a time."""
    connection = socket.create_connection(("127.0.0.1", port), timeout=30)
    connection.sendall(
        b"POST /sign-in HTTP/1.1\r\nHost: register.example\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: 100000\r\n\r\nemail=a"
    )
    return connection


def timed_get(port: int, path: str = "/sign-in") -> tuple[int, float]:
    """The status of a plain GET through nginx, and how long it took."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=15) as connection:
        connection.sendall(f"GET {path} HTTP/1.0\r\nHost: register.example\r\n\r\n".encode("ascii"))
        status_line = connection.recv(64).split(b"\r\n", 1)[0]
    return int(status_line.split()[1]), time.monotonic() - started


def closed_by_server(connection: socket.socket) -> bool:
    """Whether the other end has answered or closed the connection."""
    connection.settimeout(0.2)
    try:
        connection.recv(1024)
    except TimeoutError:
        return False
    except OSError:
        pass
    return True


def test_slow_request_bodies_do_not_hold_the_workers(tmp_path):
    with (
        fresh_database(tmp_path, engine="sqlite") as database,
        serving(database, tmp_path, workers=WORKERS, settings=BEHIND_NGINX) as server,
        nginx_in_front_of(server, tmp_path) as port,
        ExitStack() as slow,
    ):
        clients = [slow.enter_context(start_slow_post(port)) for _ in range(SLOW_CLIENTS)]
        # Trickle: every slow client sends another byte, well inside nginx's pause limit.
        for _ in range(3):
            for client in clients:
                client.sendall(b"a")
            # Meanwhile everyone else is served at once: no worker is waiting on a body.
            status, seconds = timed_get(port)
            assert status == 200
            assert seconds < 2, f"a page took {seconds:.1f}s while slow clients were sending"
            time.sleep(1)

        # A client that stops sending is cut off by nginx, not left to hold anything.
        deadline = time.monotonic() + BODY_PAUSE_LIMIT + 10
        while time.monotonic() < deadline and not all(map(closed_by_server, clients)):
            time.sleep(0.5)
        assert all(map(closed_by_server, clients)), "nginx kept stalled clients open"
        status, seconds = timed_get(port)
        assert status == 200 and seconds < 2


def test_a_request_naming_another_host_through_nginx_is_refused(tmp_path):
    with (
        fresh_database(tmp_path, engine="sqlite") as database,
        serving(database, tmp_path, workers=1, settings=BEHIND_NGINX) as server,
        nginx_in_front_of(server, tmp_path) as port,
        socket.create_connection(("127.0.0.1", port), timeout=15) as connection,
    ):
        connection.sendall(b"GET /forgot-password HTTP/1.0\r\nHost: evil.example\r\n\r\n")
        assert connection.recv(64).startswith(b"HTTP/1.1 400")
