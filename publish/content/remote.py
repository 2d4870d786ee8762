"""Remote images, fetched only when asked (`--fetch-remote`): bounded in time and size, cached in build/cache.

A build never waits long on the network: one image may take at most TIMEOUT seconds (name lookup,
connection and whole response), a host that timed out or refused once is not asked again, and all fetching
of one build stops after BUDGET seconds. Whatever cannot be had becomes a placeholder and a
warning. Fetched files are kept under a hash of their URL and reused without the network.
"""

from __future__ import annotations

import dataclasses
import hashlib
import http.client
import mimetypes
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import SplitResult, urljoin, urlsplit

from .. import __version__
from ..errors import Problem
from .limits import image_bytes_problem
from .model import Report

TIMEOUT = 5.0
"""Seconds one image may take: looking up the host, connecting, the answer and the body together."""
BUDGET = 10.0
"""Seconds all remote fetching of one build may take; later images become placeholders."""
MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 3
_REDIRECTS = {301, 302, 303, 307, 308}
_CHUNK = 64 * 1024


class RemoteError(Exception):
    """Why a remote image could not be had."""


@dataclass
class RemoteImages:
    """Fetches the remote images of one build through a cache that also works offline."""

    cache: Path
    store: Callable[[Path, bytes], None]
    """Writes a cache file (the build's atomic writer: build.py stays the only writer to build/)."""
    timeout: float = TIMEOUT
    budget: float = BUDGET
    max_bytes: int = MAX_BYTES
    failed_hosts: dict[str, str] = field(default_factory=dict)
    spent: float = 0.0
    _results: dict[str, tuple[Path | None, str | None]] = field(default_factory=dict)

    def resolve(self, url: str) -> tuple[Path | None, str | None]:
        """The local copy of *url*, fetched first if not cached; or (None, why not)."""
        if url not in self._results:
            self._results[url] = self._resolve(url.strip())
        return self._results[url]

    def read(self, url: str) -> tuple[bytes, str]:
        """The bytes and MIME type of *url* (for the URL fetcher); RemoteError if unavailable."""
        path, reason = self.resolve(url)
        if path is None:
            raise RemoteError(reason or "not available")
        return path.read_bytes(), mimetypes.guess_type(path.name)[0] or "application/octet-stream"

    def _resolve(self, url: str) -> tuple[Path | None, str | None]:
        """Cache hit, or download and store."""
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()[:32]
        cached = sorted(self.cache.glob(f"{key}.*"))
        if cached:
            reason = image_bytes_problem(cached[0].read_bytes())
            return (None, reason) if reason else (cached[0], None)
        started = time.monotonic()
        try:
            data, mime = self._download(url, started)
        except RemoteError as exc:
            return None, str(exc)
        finally:
            self.spent += time.monotonic() - started
        if (reason := image_bytes_problem(data)) is not None:  # too many pixels or SVG fan-out (limits.py)
            return None, reason
        extension = (mimetypes.guess_extension(mime) if mime else None) or ".bin"
        path = self.cache / f"{key}{extension}"
        try:
            self.store(path, data)
        except OSError as exc:
            return None, f"cannot write {path}: {exc.strerror or exc}"
        return path, None

    def _download(self, url: str, started: float) -> tuple[bytes, str]:
        """GET *url*, following a few redirects, within the per-image timeout and the build's budget."""
        for _ in range(MAX_REDIRECTS + 1):
            try:
                parts = urlsplit(url)
                host = (parts.hostname or "").lower()
                parts.port  # noqa: B018 (raises ValueError on a malformed port)
            except ValueError:
                raise RemoteError(f"'{url}' is not a valid URL") from None
            if parts.scheme.lower() not in ("http", "https") or not host:
                raise RemoteError(f"'{url}' is not an http(s) URL")
            if host in self.failed_hosts:
                raise RemoteError(f"{host} {self.failed_hosts[host]} earlier in this build; not asked again")
            left = self.budget - self.spent - (time.monotonic() - started)
            if left <= 0:
                raise RemoteError(f"the build's {self.budget:g} s for remote images are spent")
            deadline = time.monotonic() + min(self.timeout, left)
            try:
                status, location, mime, data = _get(parts, deadline, self.max_bytes)
            except TimeoutError:
                self.failed_hosts[host] = f"did not answer within {min(self.timeout, left):.3g} s"
                raise RemoteError(f"{host} {self.failed_hosts[host]}") from None
            except (OSError, http.client.HTTPException, ValueError) as exc:
                self.failed_hosts[host] = f"could not be reached ({_reason(exc)})"
                raise RemoteError(f"{host} {self.failed_hosts[host]}") from None
            if status not in _REDIRECTS:
                return data, mime
            if not location:
                raise RemoteError(f"HTTP {status} without a Location")
            url = urljoin(url, location)
        raise RemoteError(f"more than {MAX_REDIRECTS} redirects")


def _reason(exc: BaseException) -> str:
    """A short human reason for a network error."""
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def _size(count: int) -> str:
    """Bytes as MB or KB."""
    return f"{count / 1024**2:g} MB" if count >= 1024**2 else f"{count / 1024:g} KB"


def _get(parts: SplitResult, deadline: float, max_bytes: int) -> tuple[int, str | None, str, bytes]:
    """One GET that must finish before *deadline* (time.monotonic()): status, Location, MIME type, body."""

    def left() -> float:
        """Seconds until the deadline; TimeoutError once it has passed."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("deadline passed")
        return remaining

    kind = http.client.HTTPSConnection if parts.scheme.lower() == "https" else http.client.HTTPConnection
    connection = kind(parts.hostname, parts.port, timeout=left())
    addresses = _lookup(parts.hostname or "", connection.port, left())
    # Connect to the addresses looked up within the deadline; TLS still checks the host's name.
    connection._create_connection = lambda _address, _timeout, source: _connect(addresses, left, source)  # type: ignore[attr-defined]
    try:
        connection.connect()
        # Kept: http.client drops its own reference when the server announces it will close.
        sock = connection.sock
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request("GET", target, headers={"User-Agent": f"publish/{__version__}", "Accept": "image/*"})
        sock.settimeout(left())
        response = connection.getresponse()
        if response.status in _REDIRECTS:
            return response.status, response.getheader("Location"), "", b""
        if response.status != 200:
            raise RemoteError(f"HTTP {response.status} {response.reason}".strip())
        mime = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
        if mime and not mime.startswith("image/") and mime != "application/octet-stream":
            raise RemoteError(f"not an image ({mime})")
        length = response.getheader("Content-Length") or ""
        if length.isdigit() and int(length) > max_bytes:
            raise RemoteError(f"larger than {_size(max_bytes)}")
        chunks, size = [], 0
        while not response.isclosed():  # it may close itself, and the socket, at the end of the body
            sock.settimeout(left())  # a slow trickle must not stretch one image past its deadline
            chunk = response.read1(_CHUNK)  # read() would wait for the whole chunk, however slowly it comes
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise RemoteError(f"larger than {_size(max_bytes)}")
            chunks.append(chunk)
        return 200, None, mime, b"".join(chunks)
    finally:
        connection.close()


def _lookup(host: str, port: int, timeout: float) -> list[tuple]:
    """The addresses of *host*, or TimeoutError after *timeout* s: the system resolver has no timeout.

    The lookup runs in a daemon thread, so one that never returns neither stalls the build nor
    keeps the process from exiting.
    """
    found: list = []

    def look() -> None:
        try:
            found.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except OSError as exc:
            found.append(exc)

    worker = threading.Thread(target=look, name=f"lookup {host}", daemon=True)
    worker.start()
    worker.join(timeout)
    if not found:
        raise TimeoutError(f"no address for {host} within {timeout:.3g} s")
    if isinstance(found[0], OSError):
        raise found[0]
    return found[0]


def _connect(addresses: list[tuple], left: Callable[[], float], source: tuple | None) -> socket.socket:
    """A socket connected to the first of *addresses* that answers before the deadline."""
    error: OSError = OSError("no address")
    for family, kind, protocol, _name, address in addresses:
        sock = socket.socket(family, kind, protocol)
        try:
            sock.settimeout(left())
            if source:
                sock.bind(source)
            sock.connect(address)
            return sock
        except OSError as exc:  # TimeoutError included: the next address gets what time is left
            sock.close()
            error = exc
    raise error


def fetch_figures(report: Report, images: RemoteImages) -> tuple[Report, list[Problem]]:
    """The report with its remote front-matter figures pointing at their local copies; warnings for the rest."""
    problems: list[Problem] = []
    chapters = []
    for chapter in report.chapters:
        entries = []
        for entry in chapter.entries:
            figures = []
            for figure in entry.figures:
                if figure.local_path is None and not entry.withdrawn:
                    path, reason = images.resolve(figure.src)
                    if path is None:
                        problems.append(Problem(entry.path, figure.line, f"remote image not fetched, drawn as a placeholder: {reason}", "warning"))
                    figure = dataclasses.replace(figure, local_path=path)
                figures.append(figure)
            entries.append(dataclasses.replace(entry, figures=tuple(figures)))
        chapters.append(dataclasses.replace(chapter, entries=tuple(entries)))
    return dataclasses.replace(report, chapters=tuple(chapters)), problems
