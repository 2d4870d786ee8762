"""Editions: the email copy, what every edition shares, and the real report's copies.

The handout and its booklet are tested in test_handout.py, the archive copy in test_archive.py.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLE, copy_sample
from pdfcheck import decoded_qr_codes

from publish import build_pdf
from publish.build import parse_size
from publish.cli import main

# Email copy -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "size"), [
    ("2MB", 2 * 1024**2), ("2 mb", 2 * 1024**2), ("1.5M", 1_572_864), ("500K", 512_000), ("500KiB", 512_000),
    ("1500000", 1_500_000), ("10b", 10),
])
def test_parse_size(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "two MB", "2GB", "-1K", "2 M B"])
def test_parse_size_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_size(text)


def test_max_size_fails_the_build_and_writes_nothing(tmp_path: Path) -> None:
    content = copy_sample(tmp_path)
    out = tmp_path / "mail.pdf"
    over = CliRunner().invoke(main, ["pdf", "-c", str(content), "-o", str(out), "--max-size", "20K"])
    assert over.exit_code == 1 and "over the budget of 20 KB" in over.stderr and not out.exists()
    within = CliRunner().invoke(main, ["pdf", "-c", str(content), "-o", str(out), "--max-size", "2MB"])
    assert within.exit_code == 0 and out.is_file()
    bad = CliRunner().invoke(main, ["pdf", "-c", str(content), "--max-size", "lots"])
    assert bad.exit_code == 2 and "--max-size" in bad.output


def test_output_names_are_short_ascii_and_dated(tmp_path: Path) -> None:
    from publish.build import default_output, load
    from publish.editions.catalog import EDITIONS
    from publish.project import Project

    report, _ = load(SAMPLE)
    names = [default_output(report, Project(tmp_path, tmp_path / "content"), EDITIONS[edition], variant).name
             for edition, variant in (("report", ""), ("handout", ""), ("handout", "booklet"), ("report", "archive"))]
    assert names == ["sample-report-2024.pdf", "sample-report-2024-handout.pdf",
                     "sample-report-2024-handout-booklet.pdf", "sample-report-2024-archive.pdf"]


@pytest.mark.parametrize("args", [["--booklet"], ["--edition", "handout", "--booklet", "--archive"], ["--edition", "flyer"]])
def test_edition_usage_errors(args: list[str], tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["pdf", "-c", str(copy_sample(tmp_path)), *args])
    assert result.exit_code == 2, result.output


# Every edition --------------------------------------------------------------------------------

EDITION_ARGS = {
    "report": {}, "handout": {"edition": "handout"},
    "booklet": {"edition": "handout", "booklet": True}, "archive": {"archive": True},
}


@pytest.mark.parametrize("name", EDITION_ARGS)
def test_same_content_gives_the_same_bytes_anywhere(name: str, tmp_path: Path) -> None:
    """Built twice, from two copies of the content in different folders: identical files."""
    first = build_pdf(copy_sample(tmp_path / "a"), tmp_path / "first.pdf", **EDITION_ARGS[name]).output
    second = build_pdf(copy_sample(tmp_path / "b" / "elsewhere"), tmp_path / "second.pdf", **EDITION_ARGS[name]).output
    assert first.read_bytes() == second.read_bytes()


# The real report, once the importer has committed it ------------------------------------------

REAL = ROOT / "content"
needs_real = pytest.mark.skipif(not (REAL / "report.yaml").is_file(), reason="content/ has no report yet")


@needs_real
def test_real_report_email_copy_under_2mb_and_handout_within_8_pages(tmp_path: Path) -> None:
    from publish.build import load

    content = tmp_path / "content"
    shutil.copytree(REAL, content)
    email = build_pdf(content, max_size=parse_size("2MB"))
    assert email.output.name.isascii() and re.fullmatch(r"[a-z0-9-]+-\d{4}\.pdf", email.output.name)
    handout = build_pdf(content, tmp_path / "handout.pdf", edition="handout")
    assert handout.pages <= 8
    report, _ = load(content)
    urls = {entry.url for entry in report.entries if not entry.withdrawn}
    assert set(decoded_qr_codes(handout.output)) == urls
