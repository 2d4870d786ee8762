"""`publish init`: a new report that builds at once, never written over anything."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner

from publish.cli import main
from publish.content.loader import load_report


def test_init_writes_a_report_that_checks_clean(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["init", str(tmp_path / "my-report")])
    assert result.exit_code == 0, result.output
    root = tmp_path / "my-report"
    assert sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) == [
        ".gitignore", "content/basics/01-example-paper.md", "content/basics/chapter.md",
        "content/basics/figure.png", "content/report.yaml",
    ]
    assert (root / ".gitignore").read_text() == "build/\n"
    steps = [line.strip() for line in result.stdout.splitlines()[1:]]
    assert steps[0] == f"cd {root}" and [s.split()[:2] for s in steps[1:]] == [["publish", "new"], ["publish", "pdf"], ["publish", "check"]]
    yaml_text = (root / "content" / "report.yaml").read_text(encoding="utf-8")
    assert f"date: {dt.date.today().isoformat()}" in yaml_text and yaml_text.count("#") > 10  # commented
    report, problems = load_report(root / "content")
    assert problems == [] and report is not None
    assert report.slug == "my-report" and report.license.info
    (example,) = report.entries
    assert example.venue and example.note and example.tldr and example.figures[0].local_path and example.figures[0].link
    assert example.details and example.details.lead and len(example.details.parts) == 2
    assert "[^note]" in example.body.text
    check = CliRunner().invoke(main, ["check", "-c", str(root / "content")])
    assert check.exit_code == 0 and "0 error(s), 0 warning(s)" in check.stdout, check.output


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert result.exit_code == 2
    assert "is not an empty folder" in result.stderr and "Traceback" not in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
