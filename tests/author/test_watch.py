"""`publish watch`: no save is lost, not even one made while the first build runs; Ctrl-C exits 130."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

from conftest import ROOT, SAMPLE, wait_for
from pypdf import PdfReader

from publish.author.watch import watch
from publish.build import build_pdf


def pdf_text(path: Path) -> str:
    """The text of every page."""
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_a_save_during_the_first_build_is_built(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(SAMPLE, content)
    out = tmp_path / "watch.pdf"
    beta = content / "methods" / "02-beta-paper.md"
    saved = threading.Event()

    def save_mid_build(stage: str) -> None:
        # The content has been read; the author saves while the first build lays it out.
        if stage == "layout" and not saved.is_set():
            beta.write_text(beta.read_text(encoding="utf-8").replace("Beta Paper", "Beta Revised Title"), encoding="utf-8")
            saved.set()

    results, errors, stop = [], [], threading.Event()
    thread = threading.Thread(
        target=watch, args=([content], lambda: build_pdf(content, out, progress=save_mid_build), results.append, errors.append, stop),
        kwargs={"debounce_ms": 100}, daemon=True,
    )
    thread.start()
    try:
        wait_for(lambda: len(results) >= 2)
    finally:
        stop.set()
        thread.join(timeout=15)
    assert saved.is_set() and not errors and not thread.is_alive()
    text = pdf_text(out)
    assert "Beta Revised Title" in text and "Beta Paper" not in text


def test_a_save_during_a_rebuild_is_built(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(SAMPLE, content)
    out = tmp_path / "watch.pdf"
    alpha, delta = content / "methods" / "01-alpha-paper.md", content / "others" / "01-delta.md"
    builds = []

    def build() -> object:
        builds.append(1)
        if len(builds) == 2:  # the second build: the author saves another file meanwhile
            delta.write_text(delta.read_text(encoding="utf-8").replace("title: Delta", "title: Delta Second Save"), encoding="utf-8")
        return build_pdf(content, out)

    results, stop = [], threading.Event()
    thread = threading.Thread(target=watch, args=([content], build, results.append, print, stop), kwargs={"debounce_ms": 100}, daemon=True)
    thread.start()
    try:
        wait_for(lambda: len(results) == 1)
        alpha.write_text(alpha.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        wait_for(lambda: len(results) >= 3)
    finally:
        stop.set()
        thread.join(timeout=15)
    assert "Delta Second Save" in pdf_text(out)


def test_ctrl_c_exits_130(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(SAMPLE, content)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "publish", "watch", "-c", str(content), "-o", str(tmp_path / "w.pdf"), "--no-html"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        line = process.stdout.readline()  # the first build's result
        assert "w.pdf" in line
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 130
    finally:
        if process.poll() is None:
            process.kill()
