"""The command line through click's runner and one real subprocess."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from conftest import ROOT, SAMPLE, entry

from publish import __version__
from publish.cli import main


def test_pdf_builds_and_reports_output(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(SAMPLE, content)
    out = tmp_path / "out.pdf"
    result = CliRunner().invoke(main, ["pdf", "-c", str(content), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"{out} (6 pages, " in result.stdout and " KB)" in result.stdout
    assert "left out (withdrawn): " in result.stderr and "03-gamma-withdrawn.md" in result.stderr
    first = out.read_bytes()
    assert first.startswith(b"%PDF-")
    # Same content, same bytes: dates come from report.yaml and the /ID from the HTML.
    again = CliRunner().invoke(main, ["pdf", "-c", str(content), "-o", str(out)])
    assert again.exit_code == 0 and out.read_bytes() == first


def test_bad_content_fails_cleanly_and_keeps_previous_pdf(project, tmp_path: Path) -> None:
    content = project({"one/01-p.md": entry()})
    out = tmp_path / "report.pdf"
    assert CliRunner().invoke(main, ["pdf", "-c", str(content), "-o", str(out)]).exit_code == 0
    good = out.read_bytes()
    (content / "one" / "01-p.md").write_text("---\ntitle: P\ntldr: x\nfoo: 1\n---\n", encoding="utf-8")
    (content / "one" / "02-q.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["pdf", "-c", str(content), "-o", str(out)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert any(line.endswith("01-p.md:1: missing required field 'url'") for line in lines)
    assert any(line.endswith("01-p.md:4: unknown field 'foo'") for line in lines)
    assert any("02-q.md:2: invalid YAML" in line for line in lines)
    assert "Traceback" not in result.output
    assert out.read_bytes() == good
    assert not list(tmp_path.glob(".report.pdf.*"))  # no temporary file left behind


def test_usage_error_exits_2() -> None:
    result = CliRunner().invoke(main, ["pdf", "--no-such-option"])
    assert result.exit_code == 2


def test_missing_content_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["pdf", "-c", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "nowhere: content folder not found" in result.stderr


def test_real_subprocess_version_and_help() -> None:
    version = subprocess.run([sys.executable, "-m", "publish", "--version"], capture_output=True, text=True, cwd=ROOT)
    assert version.returncode == 0 and __version__ in version.stdout
    helptext = subprocess.run([sys.executable, "-m", "publish", "pdf", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert helptext.returncode == 0 and "Examples:" in helptext.stdout
