"""`publish preview`: the server's routes and event stream, and live reload in headless Chromium."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE

from publish.author.preview import PreviewServer

CHROMIUM = shutil.which("chromium")


def fetch(url: str) -> tuple[str, bytes]:
    """Content type and body of a GET."""
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.headers["Content-Type"], response.read()


def test_server_serves_page_pdf_and_state_and_stops(tmp_path: Path) -> None:
    page, pdf = tmp_path / "r.html", tmp_path / "r.pdf"
    page.write_text("<!DOCTYPE html><html><head><style></style></head><body><h1>첫 판</h1></body></html>", encoding="utf-8")
    pdf.write_bytes(b"%PDF-1.7 test")
    server = PreviewServer().start()
    try:
        assert server.url.startswith("http://127.0.0.1:") and not server.url.endswith(":0/")
        kind, body = fetch(server.url)
        assert kind.startswith("text/html") and b"Building the first version" in body  # before the first build
        server.succeeded(page, pdf)
        kind, body = fetch(server.url)
        text = body.decode("utf-8")
        assert "<h1>첫 판</h1>" in text and f'let [version, session] = [1, "{server.session}"];' in text and text.index("publish-preview") < text.index("</body>")
        assert fetch(server.url + "r.pdf") == ("application/pdf", b"%PDF-1.7 test")
        with pytest.raises(urllib.error.HTTPError):
            fetch(server.url + "r.html")  # only the page, the PDF and the events are served
        server.failed(["content/one/01-p.md:2: invalid YAML: …"])
        with urllib.request.urlopen(server.url + "events", timeout=10) as stream:
            assert stream.headers["Content-Type"] == "text/event-stream"
            assert stream.readline() == b"event: state\n"
            assert stream.readline().decode("utf-8") == (
                f'data: {{"version": 1, "session": "{server.session}", "problems": ["content/one/01-p.md:2: invalid YAML: …"]}}\n')
            stream.readline()
            server.succeeded(page, pdf)
            assert stream.readline() == b"event: state\n"
            assert stream.readline().decode("utf-8") == f'data: {{"version": 2, "session": "{server.session}", "problems": []}}\n'
    finally:
        started = time.monotonic()
        server.close()
    assert not server.thread.is_alive() and time.monotonic() - started < 5


def test_port_in_use_is_a_usage_error(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from publish.cli import main

    server = PreviewServer().start()
    try:
        port = server.httpd.server_address[1]
        result = CliRunner().invoke(main, ["preview", "-c", str(tmp_path), "--port", str(port)])
        assert result.exit_code == 2 and f"cannot serve on 127.0.0.1:{port}" in result.stderr
    finally:
        server.close()


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (see apt-packages.txt)")
def test_live_reload_and_error_overlay_in_chromium(tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    content = tmp_path / "content"
    shutil.copytree(SAMPLE, content)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "publish", "preview", "-c", str(content), "-o", str(tmp_path / "build" / "r.pdf")],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
    )
    try:
        url = process.stdout.readline().split()[-1]
        assert url.startswith("http://127.0.0.1:")
        assert "r.pdf" in process.stdout.readline()  # the first build is served
        assert fetch(url + "r.pdf")[1].startswith(b"%PDF-")
        beta = content / "methods" / "02-beta-paper.md"
        good = beta.read_text(encoding="utf-8")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page()
            page.goto(url)
            title = page.locator("#entry-beta-paper .entry-title > a").first
            expect(title).to_have_text("Beta Paper")
            page.evaluate("window.stillTheSamePage = true")
            page.locator("#entry-beta-paper summary").click()  # the author unfolds the details they are editing
            details = page.locator("#entry-beta-paper details.details")
            expect(details).to_have_attribute("open", "")
            beta.write_text(good.replace("title: Beta Paper", "title: Beta Paper, Revised"), encoding="utf-8")
            expect(title).to_contain_text("Beta Paper, Revised", timeout=60_000)
            expect(details).to_have_attribute("open", "")  # still unfolded after the update
            overlay = page.locator("#publish-problems")
            expect(overlay).to_be_hidden()
            beta.write_text("---\ntitle: [broken\n---\n", encoding="utf-8")
            expect(overlay).to_be_visible(timeout=60_000)
            expect(overlay).to_contain_text("02-beta-paper.md:2: invalid YAML")
            expect(title).to_contain_text("Beta Paper, Revised")  # the last good content stays
            beta.write_text(good.replace("title: Beta Paper", "title: Beta Paper, Fixed"), encoding="utf-8")
            expect(overlay).to_be_hidden(timeout=60_000)
            expect(title).to_contain_text("Beta Paper, Fixed")
            assert page.evaluate("window.stillTheSamePage") is True  # updated in place, never reloaded
            browser.close()
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 130
    finally:
        if process.poll() is None:
            process.kill()


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (see apt-packages.txt)")
def test_an_open_page_follows_a_restarted_preview(tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    pages = []
    for word in ("before", "after"):
        pages.append(tmp_path / f"{word}.html")
        pages[-1].write_text(f"<!DOCTYPE html><html><head><style></style></head><body><p id='word'>{word}</p></body></html>", encoding="utf-8")
    first = PreviewServer().start()
    first.succeeded(pages[0])
    port = first.httpd.server_address[1]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(first.url)
        expect(page.locator("#word")).to_have_text("before")
        first.close()
        second = PreviewServer(port).start()  # `publish preview` run again: its versions start at 1 again
        try:
            second.succeeded(pages[1])
            expect(page.locator("#word")).to_have_text("after", timeout=30_000)
        finally:
            second.close()
            browser.close()
