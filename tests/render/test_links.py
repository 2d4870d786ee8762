"""Links between entries: a relative `.md` link becomes an internal link, never a `file:` URL or a local path."""

from __future__ import annotations

import subprocess
from pathlib import Path

from click.testing import CliRunner
from conftest import MINIMAL_REPORT, entry
from pypdf import PdfReader

from publish.cli import main

REPORT = MINIMAL_REPORT.replace("  - one\n", "  - one\n  - two\n")
BODY_A = "같은 장의 [다음 항목](02-beta.md#methods), 다른 장의 [항목](../two/01-gamma.md)과 [그 장](../two/chapter.md).\n"


def linked_project(project) -> Path:
    """Two chapters whose entries link to each other by file."""
    return project({
        "one/01-alpha.md": entry("Alpha", body=BODY_A),
        "one/02-beta.md": entry("Beta", body="[처음](01-alpha.md)으로.\n"),
        "two/chapter.md": "---\ntitle: 둘째 장\n---\n",
        "two/01-gamma.md": entry("Gamma", body="끝.\n"),
    }, report=REPORT)


def internal_links(pdf: Path) -> list[str]:
    """The named destinations that the PDF's link annotations go to."""
    found = []
    for page in PdfReader(pdf).pages:
        for annot in page.get("/Annots", []) or []:
            annot = annot.get_object()
            target = annot.get("/Dest") or annot.get("/A", {}).get("/D")
            assert "/URI" not in annot.get("/A", {}) or str(annot["/A"]["/URI"]).startswith("https://"), annot
            if target is not None:
                found.append(str(target))
    return found


def raw(pdf: Path, tmp_path: Path) -> bytes:
    """The PDF with every stream uncompressed and no object streams, to grep it."""
    plain = tmp_path / "plain.pdf"
    subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(pdf), str(plain)], check=True)
    return plain.read_bytes()


def test_links_between_entries_and_chapters_are_internal_in_pdf_and_html(project, tmp_path: Path) -> None:
    content = linked_project(project)
    for command in (["pdf"], ["html"], ["pdf", "--edition", "handout"]):
        result = CliRunner().invoke(main, [*command, "-q", "-c", str(content)])
        assert result.exit_code == 0, result.output
    pdf = tmp_path / "build" / "report-2024.pdf"
    assert {"entry-beta", "entry-gamma", "chapter-two", "entry-alpha"} <= set(internal_links(pdf))
    assert {"entry-beta", "entry-gamma", "chapter-two", "entry-alpha"} <= set(PdfReader(pdf).named_destinations)
    html = (tmp_path / "build" / "report-2024.html").read_text(encoding="utf-8")
    for anchor in ("entry-beta", "entry-gamma", "chapter-two", "entry-alpha"):
        assert f'href="#{anchor}"' in html and f'id="{anchor}"' in html
    for output in (pdf, tmp_path / "build" / "report-2024-handout.pdf"):
        data = raw(output, tmp_path)
        assert b"file:" not in data and str(tmp_path).encode() not in data and b"beta.md" not in data
    assert "file:" not in html and str(tmp_path) not in html
    assert not {"02-beta.md", "01-gamma.md", "chapter.md", "01-alpha.md"} & set(html.replace('"', " ").split())


def test_link_to_a_markdown_file_that_is_no_entry_is_an_error(project, tmp_path: Path) -> None:
    content = project({"one/01-p.md": entry(body="첫 줄.\n\n[노트](../todo.md)를 보라.\n"), "todo.md": "# 할 일\n"})
    for command in ("pdf", "check"):
        result = CliRunner().invoke(main, [command, "-c", str(content)])
        assert result.exit_code == 1
        assert "01-p.md:8: link '../todo.md' points to no entry or chapter of the report" in result.stderr
    assert not (tmp_path / "build").exists()


def test_link_to_another_local_file_is_dropped_with_a_warning(project, tmp_path: Path) -> None:
    content = project({"one/01-p.md": entry(body="[데이터](data.csv)\n"), "one/data.csv": "a,b\n"})
    result = CliRunner().invoke(main, ["pdf", "-c", str(content)])
    assert result.exit_code == 0, result.output
    assert "01-p.md:6: link 'data.csv' to a local file left out" in result.stderr
    assert b"data.csv" not in raw(tmp_path / "build" / "report-2024.pdf", tmp_path)
