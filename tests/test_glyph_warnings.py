"""Every build checks glyphs: uncovered characters are warnings (errors with --strict), drawn from vendored fonts only."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from conftest import entry
from pdfcheck import fonts

from publish.cli import main

TLDR = "α β ✓ 😀 学习 \ue000 요약입니다."


def test_pdf_html_warn_about_uncovered_characters_and_embed_no_system_font(project, tmp_path: Path) -> None:
    content = project({"one/01-p.md": entry(tldr=TLDR, body="본문.\n\n코드 `✓ 习`.\n")})
    result = CliRunner().invoke(main, ["pdf", "-c", str(content)])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if "no vendored font" in line]
    assert [line.split(": ", 2)[2].split(" (")[0].split(";")[0] for line in lines] == [
        "no vendored font has a glyph for U+2713 ✓", "no vendored font has a glyph for U+4E60 习",
        "no vendored font has a glyph for U+E000 \ue000", "no vendored font has a glyph for U+1F600 😀",
    ]
    assert all(line.startswith("warning: ") and "01-p.md:4: no vendored font" in line for line in lines)
    names = {row["name"].split("+", 1)[1] for row in fonts(tmp_path / "build" / "report-2024.pdf")}
    assert "Publish-Last-Resort" in names and all(name.startswith("Publish-") for name in names), names  # not DejaVu
    web = CliRunner().invoke(main, ["html", "-c", str(content)])
    assert web.exit_code == 0 and "01-p.md:4: no vendored font has a glyph for U+4E60 习" in web.stderr


def test_strict_pdf_fails_on_warnings_and_writes_nothing(project, tmp_path: Path) -> None:
    content = project({"one/01-p.md": entry(tldr=TLDR)})
    result = CliRunner().invoke(main, ["pdf", "--strict", "-c", str(content)])
    assert result.exit_code == 1
    assert "01-p.md:4: no vendored font has a glyph for U+4E60 习 (CJK UNIFIED IDEOGRAPH-4E60)" in result.stderr
    assert not (tmp_path / "build").exists()
    clean = project({"one/01-p.md": entry()})
    assert CliRunner().invoke(main, ["pdf", "--strict", "-q", "-c", str(clean)]).exit_code == 0
