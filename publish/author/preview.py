"""`publish preview`: serve the HTML version on 127.0.0.1 and reload it in the browser after each rebuild.

The standard library's ThreadingHTTPServer serves three things: the page (the built HTML file with
a small script added), the PDF, and `/events`, a server-sent-events stream that tells open pages
the build's state. After a good build the script fetches the new page and swaps its body in place
(scroll position kept, no reload); after a failed one it shows the `path:line` problems in an
overlay above the last good content.
"""

from __future__ import annotations

import json
import os
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

HOST = "127.0.0.1"
KEEPALIVE_S = 15.0
"""How often an idle event stream sends a comment, so that a closed tab is noticed."""
POLL_S = 0.5
"""How long an event stream waits before looking at the state (and at shutdown) again."""

CLIENT = """<script id="publish-preview">
(() => {
  let [version, session] = [%(version)d, "%(session)s"];
  const overlay = document.createElement("div");
  overlay.id = "publish-problems";
  overlay.setAttribute("role", "alert");
  overlay.style.cssText = "position:fixed;left:0;right:0;bottom:0;z-index:2147483647;max-height:50vh;overflow:auto;" +
    "margin:0;padding:1rem 1.2rem;background:#7f1d1d;color:#fff;font:14px/1.5 monospace;white-space:pre-wrap;display:none";
  document.documentElement.append(overlay);
  function show(problems) {
    overlay.textContent = problems.length ? "The last build failed; showing the last good version.\\n\\n" + problems.join("\\n") : "";
    overlay.style.display = problems.length ? "block" : "none";
  }
  async function refresh(next) {
    const response = await fetch("/", {cache: "no-store"});
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const [oldStyle, newStyle] = [document.querySelector("head > style"), page.querySelector("head > style")];
    if (oldStyle && newStyle && oldStyle.textContent !== newStyle.textContent) oldStyle.textContent = newStyle.textContent;
    document.title = page.title;
    const [x, y] = [scrollX, scrollY];
    const opened = [...document.querySelectorAll("details")].map((d) => d.open);  // keep what the author unfolded
    document.body.replaceWith(document.adoptNode(page.body));
    const folds = document.querySelectorAll("details");
    if (folds.length === opened.length) folds.forEach((d, i) => { d.open = opened[i]; });
    scrollTo(x, y);
    [version, session] = next;
    document.dispatchEvent(new CustomEvent("publish:updated", {detail: next}));
  }
  new EventSource("/events").addEventListener("state", (event) => {
    const state = JSON.parse(event.data);
    show(state.problems);
    // A restarted server counts from 1 again: its session tells the page to fetch anyway.
    if (state.version > version || (state.session !== session && state.version > 0)) refresh([state.version, state.session]);
  });
})();
</script>
"""

WAITING = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>publish preview</title><style></style></head>
<body><p>Building the first version…</p></body></html>
"""


class PreviewServer:
    """The preview's state (version, problems, files) and the HTTP server that shows it."""

    def __init__(self, port: int = 0, host: str = HOST) -> None:
        self.version = 0
        self.session = f"{os.getpid()}-{time.time_ns()}"
        self.problems: list[str] = []
        self.html: Path | None = None
        self.pdf: Path | None = None
        self.closing = False
        self.changed = threading.Condition()
        self.httpd = ThreadingHTTPServer((host, port), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.preview = self  # type: ignore[attr-defined]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": POLL_S}, daemon=True)

    @property
    def url(self) -> str:
        """The page's address, with the port the system chose."""
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/"

    @property
    def pdf_url(self) -> str | None:
        """Where the PDF is served, once there is one."""
        return f"{self.url}{self.pdf.name}" if self.pdf else None

    def start(self) -> PreviewServer:
        """Serve in a background thread."""
        self.thread.start()
        return self

    def succeeded(self, html: Path, pdf: Path | None = None) -> None:
        """A good build: open pages fetch the new version and the overlay goes."""
        with self.changed:
            self.html, self.pdf = html, pdf or self.pdf
            self.version += 1
            self.problems = []
            self.changed.notify_all()

    def serve_pdf(self, pdf: Path) -> None:
        """A newly written PDF, served from now on (the page needs no update for it)."""
        with self.changed:
            self.pdf = pdf

    def failed(self, problems: list[str]) -> None:
        """A failed build: open pages keep their content and show *problems* over it."""
        with self.changed:
            self.problems = list(problems)
            self.changed.notify_all()

    def state(self) -> tuple[int, list[str]]:
        """The version and problems, read together."""
        with self.changed:
            return self.version, list(self.problems)

    def close(self) -> None:
        """Stop serving: event streams end within POLL_S, the socket is closed."""
        with self.changed:
            self.closing = True
            self.changed.notify_all()
        if self.thread.is_alive():
            self.httpd.shutdown()
            self.thread.join(timeout=5)
        self.httpd.server_close()

    def page(self) -> bytes:
        """The current HTML with the live-reload script before `</body>`."""
        version, _ = self.state()
        html = self.html
        try:
            text = html.read_text(encoding="utf-8") if html else WAITING
        except OSError:
            text = WAITING
        script = CLIENT % {"version": version if html else 0, "session": self.session}
        head, marker, tail = text.rpartition("</body>")
        return (head + script + marker + tail if marker else text + script).encode("utf-8")


class _Handler(BaseHTTPRequestHandler):
    """GET /, GET /<the PDF's name>, GET /events; nothing else."""

    server_version = "publish-preview"
    protocol_version = "HTTP/1.1"

    @property
    def preview(self) -> PreviewServer:
        """The server's state."""
        return self.server.preview  # type: ignore[attr-defined]

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        """Route by path."""
        path = urlsplit(self.path).path
        preview = self.preview
        if path in ("/", "/index.html"):
            self._send(preview.page(), "text/html; charset=utf-8")
        elif path == "/events":
            self._events()
        elif preview.pdf is not None and path == f"/{preview.pdf.name}" and preview.pdf.is_file():
            self._send(preview.pdf.read_bytes(), "application/pdf")
        else:
            self._send(b"not found\n", "text/plain; charset=utf-8", HTTPStatus.NOT_FOUND)

    def _send(self, body: bytes, mime: str, status: HTTPStatus = HTTPStatus.OK) -> None:
        """A complete response that is never cached: every request sees the latest build."""
        self.send_response(status)
        self.send_header("Content-Type", mime)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _events(self) -> None:
        """Send the state now and after every change, until the client goes or the server stops."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        preview, sent, idle = self.preview, None, 0.0
        try:
            while True:
                with preview.changed:
                    if preview.closing:
                        return
                    state = (preview.version, list(preview.problems))
                    if state == sent:
                        preview.changed.wait(POLL_S)
                        state = (preview.version, list(preview.problems))
                if state != sent:
                    data = json.dumps({"version": state[0], "session": preview.session, "problems": state[1]}, ensure_ascii=False)
                    self.wfile.write(f"event: state\ndata: {data}\n\n".encode("utf-8"))
                    sent, idle = state, 0.0
                else:
                    idle += POLL_S
                    if idle >= KEEPALIVE_S:
                        self.wfile.write(b": keep-alive\n\n")
                        idle = 0.0
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (http.server's signature)
        """Quiet: the terminal shows builds, not requests."""
