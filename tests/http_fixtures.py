"""A local HTTP server for import tests: 127.0.0.1 only, a free port, one route per path.

Routes are plain functions of the request handler. The slow ones sleep in
small steps and give up as soon as the server is stopping, so a test that
stops waiting for them never leaves the suite hanging.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

#: A route answers one GET request.
Route = Callable[["Handler"], None]

#: How long the slow routes take at most (the tests' timeouts are far shorter).
SLOW_SECONDS = 20.0


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, routes: dict[str, Route]) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.routes = routes
        self.stopping = threading.Event()
        #: The paths requested, in order (to see redirects being followed).
        self.requests: list[str] = []

    def url(self, path: str) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}{path}"

    def nap(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; False when the server began stopping meanwhile."""
        return not self.stopping.wait(seconds)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up mid-answer is what the timeout tests want; stay quiet."""


class Handler(BaseHTTPRequestHandler):
    server: Server

    def do_GET(self) -> None:
        self.server.requests.append(self.path)
        route = self.server.routes.get(self.path)
        try:
            if route is None:
                self.send_error(404, "Not Found")
            else:
                route(self)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped waiting

    def log_message(self, format: str, *args: Any) -> None:
        """No access log on the test output."""


def body(
    data: bytes,
    status: int = 200,
    length: int | None = None,
    content_type: str = "application/json",
) -> Route:
    """Answers ``data``; a ``length`` above its size announces more than is sent."""

    def route(handler: Handler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data) if length is None else length))
        handler.end_headers()
        handler.wfile.write(data)

    return route


#: What a web server answers for a site's address: its start page.
PAGE = b"<!DOCTYPE html>\n<html><head><title>Team docs</title></head><body>Hi</body></html>\n"


def page(data: bytes = PAGE, content_type: str = "text/html; charset=utf-8") -> Route:
    """Answers an HTML page (as a site's start page, a directory listing or a login page)."""
    return body(data, content_type=content_type)


def redirect(location: str, status: int = 302) -> Route:
    def route(handler: Handler) -> None:
        handler.send_response(status)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return route


def slow(data: bytes) -> Route:
    """Answers only after :data:`SLOW_SECONDS` (or never, when the server stops first)."""

    def route(handler: Handler) -> None:
        deadline = time.monotonic() + SLOW_SECONDS
        while time.monotonic() < deadline:
            if not handler.server.nap(0.05):
                return
        body(data)(handler)

    return route


def trickle(data: bytes, interval: float = 0.05, seconds: float = 4.0) -> Route:
    """Sends the headers at once, then one byte per ``interval``: each read is quick.

    Gives up (a short body) after ``seconds``, so a client without a deadline
    of its own fails in seconds rather than hanging for the whole body.
    """

    def route(handler: Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        for i in range(min(len(data), int(seconds / interval))):
            handler.wfile.write(data[i : i + 1])
            handler.wfile.flush()
            if not handler.server.nap(interval):
                return

    return route


def garbage(handler: Handler) -> None:
    """Not HTTP at all."""
    handler.wfile.write(b"HELLO THERE\r\n\r\n")
    handler.close_connection = True


@contextmanager
def serve(routes: dict[str, Route]) -> Iterator[Server]:
    """A running :class:`Server`; stopped (and its slow routes released) on exit."""
    server = Server(routes)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(5)
