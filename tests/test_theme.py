"""report.yaml's theme changes the built PDF and HTML; without settings nothing changes."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import SAMPLE
from pdfcheck import fonts
from pypdf import PdfReader

from publish import build_pdf
from publish.build import build_html

THEME = "theme:\n  paper: Letter\n  font_size: 12pt\n  accent: '#b03020'\n  body: sans\n"


def themed(root: Path, settings: str) -> Path:
    """A copy of the sample content with *settings* added to report.yaml."""
    content = root / "content"
    shutil.copytree(SAMPLE, content)
    with (content / "report.yaml").open("a", encoding="utf-8") as stream:
        stream.write(settings)
    return content


def span_colours(pdf: Path, text: str) -> set[int]:
    """The colours of the text spans holding *text*."""
    import pymupdf

    with pymupdf.open(pdf) as document:
        return {span["color"] for page in document for block in page.get_text("dict")["blocks"]
                for line in block.get("lines", []) for span in line["spans"] if text in span["text"]}


def test_theme_sets_paper_accent_size_and_sans_body(tmp_path: Path) -> None:
    plain = build_pdf(themed(tmp_path / "plain", ""), tmp_path / "plain.pdf").output
    pdf = build_pdf(themed(tmp_path / "themed", THEME), tmp_path / "themed.pdf").output
    sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in PdfReader(pdf).pages}
    assert sizes == {(612, 792)}  # US Letter
    assert span_colours(pdf, "1.") & {0xB03020}  # chapter numbers take the accent
    assert 0xB03020 not in span_colours(plain, "1.")
    names = {row["name"].split("+", 1)[1] for row in fonts(pdf)}
    assert "Publish-Serif" not in names and "Publish-Sans" in names  # the Korean body text is sans
    assert "Publish-Serif" in {row["name"].split("+", 1)[1] for row in fonts(plain)}
    html = build_html(themed(tmp_path / "web", THEME), tmp_path / "web.html").output.read_text(encoding="utf-8")
    assert "--accent: #b03020;" in html and "font-size: 20.4px;" in html


def test_b5_paper_and_the_booklet_keeps_a5(tmp_path: Path) -> None:
    content = themed(tmp_path, "theme:\n  paper: B5\n")
    pdf = build_pdf(content, tmp_path / "b5.pdf", edition="handout").output
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in PdfReader(pdf).pages} == {(499, 709)}
    booklet = build_pdf(content, tmp_path / "booklet.pdf", edition="handout", booklet=True).output
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in PdfReader(booklet).pages} == {(842, 595)}


def test_settings_equal_to_the_defaults_change_no_byte(tmp_path: Path) -> None:
    plain = build_pdf(themed(tmp_path / "a", ""), tmp_path / "a.pdf").output.read_bytes()
    same = build_pdf(themed(tmp_path / "b", "theme:\n  body: serif\n"), tmp_path / "b.pdf").output.read_bytes()
    assert same == plain
