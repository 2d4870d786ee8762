"""Remote images: free when not fetched, bounded when fetched, cached for offline builds (real sockets)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import MINIMAL_REPORT, entry, pages_text, png, write_tree
from pdfcheck import image_sizes

from publish import build_pdf
from publish.content.remote import RemoteImages

PLACEHOLDER = "원본 보기"


@contextmanager
def image_server(routes: dict[str, tuple[int, str, bytes]]) -> Iterator[tuple[str, list[str]]]:
    """An HTTP server on 127.0.0.1 answering *routes* (path → status, type, body); yields its base URL and the paths asked."""
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server API)
            asked.append(self.path)
            status, kind, body = routes.get(self.path, (404, "text/plain", b"not found"))
            if kind == "trickle":  # headers at once, then one byte every 0.3 s
                self.send_response(status)
                self.send_header("Content-Type", "image/png")
                self.end_headers()
                for byte in body:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.3)
                return
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", asked
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def silent_host() -> Iterator[str]:
    """A host on 127.0.0.1 that accepts connections (the kernel completes them) and never answers."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        listener.close()


def remote_entries(base: str, count: int) -> dict[str, str]:
    """Entries referring to *count* remote images: lone Markdown images and front-matter figures."""
    files = {}
    for number in range(count):
        if number % 2:
            body = f"본문 {number}.\n\n![그림 {number}]({base}/img{number}.png)\n"
            files[f"one/{number:02d}-e{number}.md"] = entry(title=f"P{number}", body=body)
        else:
            figures = f"\n  - src: {base}/img{number}.png\n    caption: 그림 {number}"
            files[f"one/{number:02d}-e{number}.md"] = entry(title=f"P{number}", figures=figures)
    return files


def timed_build(content: Path, out: Path, **options: bool) -> tuple[float, object]:
    """Seconds one build takes, and its result."""
    start = time.perf_counter()
    result = build_pdf(content, out, **options)
    return time.perf_counter() - start, result


def test_remote_images_cost_nothing_when_not_fetched(project, tmp_path: Path, sample_pdf: Path) -> None:
    # sample_pdf: a build has run in this process, so fonts and stylesheets are loaded for both timings.
    with_images = project(remote_entries("https://images.example.invalid", 25))
    plain = write_tree(tmp_path / "plain", {
        "report.yaml": MINIMAL_REPORT, "one/chapter.md": "---\ntitle: 첫 장\n---\n",
        **{f"one/{n:02d}-e{n}.md": entry(title=f"P{n}", body=f"본문 {n}.") for n in range(25)},
    })
    without, _ = timed_build(plain, tmp_path / "plain.pdf")
    taken, result = timed_build(with_images, tmp_path / "images.pdf")
    assert taken < without * 1.5 or taken - without < 1.0, (taken, without)
    assert " ".join(pages_text(result.output)).count(PLACEHOLDER) == 25


def test_fetched_images_are_drawn_cached_and_reused_offline(project, tmp_path: Path) -> None:
    routes = {f"/{name}.png": (200, "image/png", png(width, 20)) for name, width in (("a", 31), ("b", 32), ("c", 33))}
    routes["/page"] = (200, "text/html", b"<html>not an image</html>")
    with image_server(routes) as (base, asked):
        body = f"![가]({base}/a.png)\n\n글 <img src=\"{base}/c.png\"> 끝\n\n![없음]({base}/missing.png)\n\n![쪽]({base}/page)\n"
        content = project({"one/01-p.md": entry(body=body, figures=f"\n  - src: {base}/b.png")})
        offline = build_pdf(content, tmp_path / "offline.pdf")
        assert asked == []  # without the flag nothing is asked for
        assert not {(31, 20), (32, 20), (33, 20)} & set(image_sizes(offline.output))
        online = build_pdf(content, tmp_path / "online.pdf", fetch_remote=True)
    assert {(31, 20), (32, 20), (33, 20)} <= set(image_sizes(online.output))
    assert "one/01-p.md:12: remote image not fetched, drawn as a placeholder: HTTP 404 Not Found" in "\n".join(online.warnings)
    assert "one/01-p.md:14: remote image not fetched, drawn as a placeholder: not an image (text/html)" in "\n".join(online.warnings)
    assert len(list((tmp_path / "build" / "cache").iterdir())) == 3
    # The server is gone: the cache alone draws the images again, with no new warning about them.
    again = build_pdf(content, tmp_path / "again.pdf", fetch_remote=True)
    assert {(31, 20), (32, 20), (33, 20)} <= set(image_sizes(again.output))
    assert not [w for w in again.warnings if "a.png" in w or "b.png" in w or "c.png" in w]


def test_a_silent_host_cannot_stall_the_build(project, tmp_path: Path) -> None:
    with silent_host() as base:
        content = project(remote_entries(base, 25))
        taken, result = timed_build(content, tmp_path / "out.pdf", fetch_remote=True)
    assert taken < 15, taken
    assert " ".join(pages_text(result.output)).count(PLACEHOLDER) == 25
    warnings = "\n".join(result.warnings)
    assert warnings.count("did not answer within 5 s") == 25  # one timeout, then the host is not asked again
    assert warnings.count("not asked again") == 24
    assert "one/00-e0.md:" in warnings and "one/01-e1.md:" in warnings


def test_one_image_is_bounded_by_its_deadline_size_and_the_build_budget(tmp_path: Path) -> None:
    stored: dict[Path, bytes] = {}

    def store(path: Path, data: bytes) -> None:
        stored[path] = data

    routes = {"/slow.png": (200, "trickle", b"x" * 100), "/big.png": (200, "image/png", b"x" * 2048)}
    with image_server(routes) as (base, _):
        images = RemoteImages(tmp_path / "cache", store, timeout=1.0, max_bytes=1024)
        start = time.perf_counter()
        assert images.resolve(f"{base}/slow.png") == (None, "127.0.0.1 did not answer within 1 s")
        assert time.perf_counter() - start < 2.5  # a trickle does not reset the clock
        other = RemoteImages(tmp_path / "cache", store, max_bytes=1024)
        assert other.resolve(f"{base}/big.png") == (None, "larger than 1 KB")
    assert stored == {}
    with silent_host() as base:
        images = RemoteImages(tmp_path / "cache", store, timeout=5.0, budget=0.5)
        start = time.perf_counter()
        path, reason = images.resolve(f"{base}/a.png")
        assert path is None and time.perf_counter() - start < 1.5
        assert images.resolve("http://192.0.2.1/b.png")[1] == "the build's 0.5 s for remote images are spent"


@pytest.mark.parametrize("url", ["http://:80/x.png", "http://host:port/x.png", "ftp://example.org/x.png"])
def test_malformed_remote_urls_are_reasons_not_crashes(tmp_path: Path, url: str) -> None:
    path, reason = RemoteImages(tmp_path / "cache", lambda p, d: None).resolve(url)
    assert path is None and reason


def test_a_name_lookup_that_hangs_is_bounded_by_the_deadline(tmp_path: Path, monkeypatch) -> None:
    """The system resolver has no timeout: a host whose lookup never returns costs one deadline."""
    import socket

    real = socket.getaddrinfo

    def hanging(host, *args, **kwargs):
        if host == "hanging.example":
            time.sleep(30)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", hanging)
    images = RemoteImages(tmp_path / "cache", lambda path, data: None, timeout=0.5)
    start = time.perf_counter()
    assert images.resolve("http://hanging.example/a.png") == (None, "hanging.example did not answer within 0.5 s")
    assert images.resolve("http://hanging.example/b.png")[1].endswith("earlier in this build; not asked again")
    assert time.perf_counter() - start < 1.5
    with image_server({"/ok.png": (200, "image/png", b"\x89PNG ok")}) as (base, _):  # real lookups still work
        path, reason = images.resolve(f"{base}/ok.png")
        assert reason is None and path.name.endswith(".png")
