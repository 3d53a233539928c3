"""Getting an import's bytes: a path read from disk, or an http(s) download.

The second half of :mod:`.import_source` (which re-exports these names):
every way a source can fail ends in one :class:`SourceError` whose message
says what is wrong and what would be right. Only :func:`fetch` touches the
network; a path source is read from disk and nothing else. Pure apart from
that I/O; no Sphinx here.
"""

from __future__ import annotations

import os
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Collection
from http.client import HTTPException
from pathlib import Path
from typing import IO, Any, NoReturn
from urllib.parse import urlsplit, urlunsplit

from .jsonformat import FILENAME

__all__ = [
    "MAX_BYTES",
    "WEB",
    "SourceError",
    "StrPath",
    "fetch",
    "host",
    "read_file",
    "resolve",
]

#: A response larger than this is not an ``mlrefarch.json`` (and must not fill the memory).
MAX_BYTES = 64 * 1024 * 1024
#: The URL schemes a source may have.
WEB = ("http", "https")
#: Media types of web pages: what a server sends for a page rather than a file.
_PAGE_TYPES = ("text/html", "application/xhtml+xml")

StrPath = str | os.PathLike[str]


class SourceError(Exception):
    """Why a source cannot be used: the tail of the message that names the import."""


def read_file(source: str, confdir: Path, own_outputs: Collection[StrPath]) -> bytes:
    """The bytes of a path source (relative to ``confdir``), refusing this build's own output."""
    path = resolve(confdir / source)
    if any(path == resolve(Path(own)) for own in own_outputs):
        raise SourceError(
            f"it is this project's own {FILENAME}; a project cannot import itself (its "
            "solutions are its own already, and this build rewrites that file)"
        )
    if path.is_dir():
        inside = os.path.join(source, FILENAME)
        raise SourceError(
            f"{path} is a directory, not a file; name the file in it, e.g. {inside!r}"
        )
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise SourceError(
            f"no such file ({path}); build that project first, or correct the path "
            f"(relative to {confdir})"
        ) from None
    except OSError as error:
        raise SourceError(f"cannot read {path}: {error.strerror or error}") from None


class _WebRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects to http(s) URLs only (urllib's own handler also follows ``ftp:``)."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        if urlsplit(newurl).scheme.lower() not in WEB:
            raise urllib.error.HTTPError(
                req.full_url, code, f"redirected to {newurl!r}, not an http(s) URL", headers, fp
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, timeout: float) -> bytes:
    """The body of ``url``, redirects followed; ``timeout`` bounds the whole download.

    urllib's own timeout applies to each socket operation, so a server that
    trickles bytes could hold a build forever without the deadline here.
    """

    def timed_out() -> NoReturn:
        raise SourceError(f"timed out after {timeout:g} s (mlrefarch_import_timeout)")

    deadline = time.monotonic() + timeout
    request = urllib.request.Request(
        url, headers={"Accept": "application/json", "User-Agent": "sphinx-mlrefarch"}
    )
    try:
        with urllib.request.build_opener(_WebRedirects()).open(request, timeout=timeout) as resp:
            chunks: list[bytes] = []
            size = 0
            while chunk := resp.read1(65536):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise SourceError(f"the response is larger than {MAX_BYTES >> 20} MiB")
                if time.monotonic() > deadline:
                    timed_out()
                chunks.append(chunk)
            expected = resp.headers.get("Content-Length", "")
            if expected.isdigit() and size < int(expected):  # read1() does not check
                raise SourceError(f"the connection closed after {size} of {expected} bytes")
            data = b"".join(chunks)
            _refuse_page(url, resp.headers.get_content_type(), data)
            return data
    except urllib.error.HTTPError as error:
        error.close()
        after = f" (at {error.filename}, after redirects)" if error.filename != url else ""
        raise SourceError(f"HTTP {error.code} {error.reason}{after}") from None
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, TimeoutError):
            timed_out()
        if isinstance(reason, ConnectionRefusedError):
            raise SourceError(f"connection refused by {host(url)}") from None
        if isinstance(reason, socket.gaierror):
            raise SourceError(f"cannot resolve the host {host(url)!r}") from None
        raise SourceError(f"cannot reach {host(url)}: {reason}") from None
    except TimeoutError:
        timed_out()
    except (HTTPException, OSError, ValueError) as error:
        raise SourceError(f"the download failed ({type(error).__name__}: {error})") from None


def _refuse_page(url: str, media_type: str, data: bytes) -> None:
    """A web page where the file was expected: say so, and what the source should name.

    A page is what a server sends for a directory or site address (or a login
    or error page); a JSON parser would only say "invalid JSON at line 1:1".
    """
    start = data.removeprefix(b"\xef\xbb\xbf").lstrip()[:1]
    if start != b"<" and (media_type not in _PAGE_TYPES or start in (b"{", b"[")):
        return
    said = f" (Content-Type {media_type})" if media_type in _PAGE_TYPES else ""
    parts = urlsplit(url)
    folder, _slash, last = parts.path.rpartition("/")
    if last == FILENAME:
        advice = (
            f"check that the server publishes that project's {FILENAME} at this address "
            "(a login or error page?)"
        )
    else:
        path = (f"{folder}/" if "." in last else parts.path.rstrip("/") + "/") + FILENAME
        suggested = urlunsplit((parts.scheme, parts.netloc, path, "", ""))
        advice = f"the source must name the {FILENAME} file itself, e.g. {suggested!r}"
    raise SourceError(f"the server answered with an HTML page{said}, not {FILENAME}; {advice}")


def host(url: str) -> str:
    """The ``host[:port]`` of a URL; "" when there is none."""
    try:
        return urlsplit(url).netloc
    except ValueError:
        return ""


def resolve(path: Path) -> Path:
    """``path`` made absolute, symlinks resolved where possible."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return Path(os.path.abspath(path))
