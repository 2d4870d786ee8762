"""Loader and validation: every problem reported at once as path:line: message."""

from __future__ import annotations

from pathlib import Path

from conftest import MINIMAL_REPORT, entry

from publish.content.loader import load_report
from publish.errors import Problem


def messages(root: Path) -> list[str]:
    """Problems of a content folder formatted relative to the folder's name."""
    _, problems = load_report(root)
    return [p.format(root) for p in problems]


def test_valid_content_loads(project) -> None:
    root = project({"one/01-paper.md": entry(body="본문\n\n# 상세\n\n머리말\n\n## 기존 문제\n\n내용\n\n## 직관\n\n더")})
    report, problems = load_report(root)
    assert problems == []
    (paper,) = report.chapters[0].entries
    assert paper.id == "paper" and paper.body.text.strip() == "본문"
    assert paper.details.title == "상세" and paper.details.lead.text.strip() == "머리말"
    assert [p.label for p in paper.details.parts] == ["기존 문제", "직관"]
    assert paper.details.parts[1].body.line == 17  # the line after "## 직관" (line 16)
    assert report.chapters[0].number == 1 and report.license.info.short_name == "CC BY 4.0"


def test_default_details_title_and_parts_from_level_two(project) -> None:
    root = project({"one/01-paper.md": entry(body="## 기존 문제\n\n내용\n")})
    report, _ = load_report(root)
    assert report.chapters[0].entries[0].details.title == "상세 및 개인 의견"


def test_all_problems_at_once_with_lines(project) -> None:
    root = project({
        "one/01-a.md": "---\ntitle: A\nurl: https://example.org/a\ntldr: x\nvenu: ICML\n---\n",
        "one/02-b.md": "---\ntitle: B\ntldr: y\n---\n",
        "one/03-c.md": "---\ntitle: [unclosed\n---\n",
        "one/04-d.md": "---\ntitle: D\n",
        "one/05-e.md": entry(title="E", figures="\n  - src: images/missing.png"),
    })
    found = messages(root)
    assert "content/one/01-a.md:5: unknown field 'venu' (did you mean 'venue'?)" in found
    assert "content/one/02-b.md:1: missing required field 'url'" in found
    assert any(m.startswith("content/one/03-c.md:2: invalid YAML") for m in found)
    assert "content/one/04-d.md:1: front matter is not closed: add a line '---' after the last field" in found
    assert "content/one/05-e.md:6: image 'images/missing.png' not found" in found


def test_wrong_types_and_unknown_licence(project) -> None:
    report = MINIMAL_REPORT.replace("CC-BY-4.0", "CC-BY-NC-SA-4") + "keywords: {a: 1}\n"
    root = project(report=report)
    found = messages(root)
    assert "content/report.yaml:6: unknown licence 'CC-BY-NC-SA-4' (did you mean 'CC-BY-NC-SA-4.0'?)" in found
    assert "content/report.yaml:9: field 'keywords' must be a list of text, not a mapping" in found


def test_chapters_listed_and_folders_must_agree(project) -> None:
    root = project({"two/chapter.md": "---\ntitle: 둘\n---\n"}, report=MINIMAL_REPORT + "  - three\n")
    found = messages(root)
    assert "content/report.yaml:9: chapter folder 'three' not found" in found
    assert "content/report.yaml:7: chapter folder 'two' is not listed in 'chapters'" in found


def test_duplicate_entry_ids(project) -> None:
    report = MINIMAL_REPORT + "  - two\n"
    root = project({"one/01-same.md": entry(), "two/chapter.md": "---\ntitle: 둘\n---\n", "two/02-same.md": entry()}, report=report)
    assert any("duplicate entry id 'same'" in m for m in messages(root))


def test_bom_and_crlf_simply_work(project) -> None:
    text = "\ufeff" + entry(body="## 기존 문제\n\n내용\n").replace("\n", "\r\n")
    root = project({"one/01-paper.md": text.encode("utf-8")})
    report, problems = load_report(root)
    assert problems == [] and report.chapters[0].entries[0].title == "Paper"


def test_not_utf8_is_reported(project) -> None:
    root = project({"one/01-paper.md": "---\ntitle: 한국\n".encode("euc-kr") + b"url: x\n---\n"})
    assert "content/one/01-paper.md:2: file is not UTF-8 text (byte 0xc7); save it as UTF-8" in messages(root)


def test_empty_content_folder(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    _, problems = load_report(tmp_path / "content")
    assert [p.message for p in problems] == ["content folder has no report.yaml (run 'publish import' or see docs/content-format.md)"]


def test_withdrawn_entry_may_omit_tldr(project) -> None:
    root = project({"one/01-w.md": "---\ntitle: W\nurl: https://example.org/w\nstatus: withdrawn\n---\n"})
    report, problems = load_report(root)
    assert problems == [] and report.chapters[0].entries[0].withdrawn


def test_bad_status_and_url(project) -> None:
    root = project({"one/01-w.md": entry(status="withdrawm").replace("https://example.org/paper", "example")})
    found = messages(root)
    assert "content/one/01-w.md:3: 'example' is not an http(s) URL" in found
    assert "content/one/01-w.md:5: status must be one of active, draft, withdrawn, not 'withdrawm' (did you mean 'withdrawn'?)" in found


def test_problem_format_without_line() -> None:
    assert Problem(Path("a/b.md"), None, "oops").format() == "a/b.md: oops"
