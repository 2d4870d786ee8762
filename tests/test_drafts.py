"""Drafts and non-entry files: `status: draft` is left out unless --drafts, which marks it; `_x.md`
and README.md in a chapter folder are not entries."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from conftest import entry
from pdfcheck import body_text as pdf_text

from publish.cli import main
from publish.content.loader import load_report


def test_underscore_files_and_readme_are_not_entries_and_todo_gets_a_hint(project) -> None:
    content = project({
        "one/01-p.md": entry(title="Kept"),
        "one/_todo.md": "할 일: 그림 고치기\n",
        "one/README.md": "# 이 장에 대하여\n",
    })
    report, problems = load_report(content)
    assert problems == [] and [e.title for e in report.entries] == ["Kept"]
    (content / "one" / "TODO.md").write_text("할 일\n", encoding="utf-8")
    _, problems = load_report(content)
    assert [p.format() for p in problems] == [
        f"{content / 'one' / 'TODO.md'}:1: entry has no front matter: start the file with '---', the fields (title, url, tldr, …) "
        "and '---' (notes that are not an entry: name the file '_TODO.md')"]


def test_drafts_are_left_out_unless_asked_and_then_marked(project, tmp_path: Path) -> None:
    content = project({
        "one/01-p.md": entry(title="Finished Paper"),
        "one/02-d.md": "---\ntitle: Unfinished Paper\nurl: https://example.org/d\nstatus: draft\n---\n",  # a draft may lack its tl;dr
    })
    plain = CliRunner().invoke(main, ["pdf", "-c", str(content), "-o", str(tmp_path / "a.pdf")])
    assert plain.exit_code == 0, plain.output
    assert f"left out (draft): {content / 'one' / '02-d.md'}" in plain.stderr
    text = pdf_text(tmp_path / "a.pdf")
    assert "Finished Paper" in text and "Unfinished Paper" not in text
    shown = CliRunner().invoke(main, ["pdf", "-c", str(content), "-o", str(tmp_path / "b.pdf"), "--drafts"])
    assert shown.exit_code == 0, shown.output
    text = pdf_text(tmp_path / "b.pdf")
    assert "Unfinished Paper" in text and "DRAFT" in text
    page = CliRunner().invoke(main, ["html", "-c", str(content), "-o", str(tmp_path / "b.html"), "--drafts"])
    assert page.exit_code == 0 and '<p class="draft-mark">초안 · DRAFT</p>' in (tmp_path / "b.html").read_text(encoding="utf-8")
