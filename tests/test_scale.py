"""The generated report (benchmarks/generate.py) builds whole; docs/reliability.md has the 30/100/300 figures."""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import ROOT
from pdfcheck import outline

from publish import build_pdf
from publish.build import load

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate  # noqa: E402 (benchmarks/ is not a package)


def test_generation_is_deterministic(tmp_path: Path) -> None:
    first, second = generate(tmp_path / "a", 12, seed=3), generate(tmp_path / "b", 12, seed=3)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert all((first / name).read_bytes() == (second / name).read_bytes() for name in files)


def test_generated_report_of_30_entries_builds_whole(tmp_path: Path) -> None:
    content = generate(tmp_path / "content", 30)
    report, _ = load(content)
    active = [e for e in report.entries if not e.withdrawn]
    assert len(report.entries) == 30 and len(report.chapters) == 7
    assert any(e.details and e.details.parts for e in active) and any(e.figures for e in active)
    result = build_pdf(content, tmp_path / "generated.pdf")
    assert result.warnings == () and result.pages >= len(active)
    titles = {title for _, title, _ in outline(result.output)}
    assert all(e.title in titles for e in active)
