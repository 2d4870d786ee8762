"""The project is the report's folder: found from where the command runs, outputs in its build/."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, entry
from pypdf import PdfReader

from publish.cli import main
from publish.project import defaults, find_project


def test_project_is_the_nearest_folder_with_content_report_yaml(project, tmp_path: Path) -> None:
    project({"one/01-p.md": entry()})
    inner = tmp_path / "content" / "one"
    found = find_project(start=inner)
    assert found.root == tmp_path and found.content.resolve() == tmp_path / "content"
    assert found.build == tmp_path / "build" and found.cache == tmp_path / "build" / "cache"
    assert find_project(start=tmp_path).content == Path("content")  # relative where it runs: short messages
    nowhere = tmp_path.parent / f"{tmp_path.name}-empty"
    nowhere.mkdir()
    assert find_project(start=nowhere).root == nowhere.resolve()


def test_content_option_names_the_content_or_the_project_folder(project, tmp_path: Path) -> None:
    project()
    assert find_project(tmp_path / "content").root == tmp_path
    assert find_project(tmp_path).content == tmp_path / "content"  # `-c myreport`


def test_packaged_defaults_come_from_the_checkout_when_run_from_it() -> None:
    assert defaults().styles == ROOT / "styles" and defaults().fonts == ROOT / "fonts"


def test_pdf_from_inside_the_project_writes_to_its_build_folder(project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project({"one/01-p.md": entry()})
    monkeypatch.chdir(tmp_path / "content" / "one")
    checkout_output = ROOT / "build" / "report-2024.pdf"  # what the old checkout fallback wrote
    existed = checkout_output.exists()
    result = CliRunner().invoke(main, ["pdf", "-q"])
    assert result.exit_code == 0, result.output
    written = tmp_path / "build" / "report-2024.pdf"  # no slug: from the title, which has no ASCII
    assert result.stdout.startswith(str(written)) and written.is_file()
    assert checkout_output.exists() == existed


def test_project_styles_apply_after_the_packaged_ones(project, tmp_path: Path) -> None:
    content = project({"one/01-p.md": entry()})
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "report.css").write_text("@page { size: A5 }\n", encoding="utf-8")
    (tmp_path / "styles" / "web.css").write_text(".entry-title { letter-spacing: 0.123em }\n", encoding="utf-8")
    assert CliRunner().invoke(main, ["pdf", "-q", "-c", str(content)]).exit_code == 0
    pdf = PdfReader(tmp_path / "build" / "report-2024.pdf")
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pdf.pages} == {(420, 595)}
    assert CliRunner().invoke(main, ["html", "-q", "-c", str(content)]).exit_code == 0
    html = (tmp_path / "build" / "report-2024.html").read_text(encoding="utf-8")
    assert html.index("letter-spacing: 0.123em") > html.index("--accent: #1d4e89")  # after web.css
