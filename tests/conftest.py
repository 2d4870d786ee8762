"""Shared fixtures: small content projects written for the test, and PDF inspection helpers."""

from __future__ import annotations

import re
import shutil
import subprocess
import textwrap
import time
from pathlib import Path
from typing import Callable

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLE = FIXTURES / "sample"

MINIMAL_REPORT = """\
title: 작은 보고서
author:
  name: 홍길동
date: 2024-01-15
license:
  id: CC-BY-4.0
chapters:
  - one
"""


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Create *files* (relative path → text, dedented, or bytes) under *root*."""
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(textwrap.dedent(data), encoding="utf-8")
    return root


def copy_sample(root: Path) -> Path:
    """A writable copy of the sample content at *root*/content."""
    content = root / "content"
    shutil.copytree(SAMPLE, content)
    return content


def png(width: int, height: int, color: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """A small PNG whose size identifies it among a PDF's images (pdfimages -list)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "PNG")
    return buffer.getvalue()


def entry(title: str = "Paper", tldr: str = "요약입니다.", body: str = "", **fields: str) -> str:
    """Text of an entry file with the given front matter fields and body."""
    lines = ["---", f"title: {title}", "url: https://example.org/paper", f"tldr: {tldr}"]
    lines += [f"{key}: {value}" for key, value in fields.items()]
    return "\n".join(lines) + "\n---\n" + body


@pytest.fixture
def project(tmp_path: Path):
    """Factory: a content folder with a minimal valid report plus *files*."""

    def make(files: dict[str, str | bytes] | None = None, report: str = MINIMAL_REPORT) -> Path:
        content = tmp_path / "content"
        base = {"report.yaml": report, "one/chapter.md": "---\ntitle: 첫 장\n---\n"}
        return write_tree(content, {**base, **(files or {})})

    return make



@pytest.fixture
def fresh_process_state():
    """Forget laid-out parts, recorded pages and loaded fonts, as in a new process."""
    from publish.engine import pdf as engine
    from publish.engine import split

    def reset() -> None:
        split._CACHE = split._Cache()
        engine._stylesheets.cache_clear()

    reset()
    yield reset
    reset()

def pdftotext(pdf: Path, *args: str) -> str:
    """Text of a PDF via poppler's pdftotext."""
    return subprocess.run(["pdftotext", *args, str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def pages_text(pdf: Path) -> list[str]:
    """Whitespace-normalised text of each page."""
    return [normalise(page) for page in pdftotext(pdf).split("\f")[:-1]]


def normalise(text: str) -> str:
    """Collapse whitespace so text comparisons ignore line breaks."""
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="session")
def sample_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample fixture report, built once per test session."""
    from publish import build_pdf

    work = tmp_path_factory.mktemp("sample")
    content = work / "content"
    shutil.copytree(SAMPLE, content)
    return build_pdf(content, work / "sample.pdf").output


def wait_for(condition: Callable[[], bool], timeout: float = 90) -> None:
    """Poll until *condition* holds; fail the test after *timeout* seconds (builds run in threads)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)
