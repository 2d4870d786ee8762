"""Every user mistake is one `path:line: message` line, all at once, exit 1, and nothing is written or lost."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, MINIMAL_REPORT, entry, write_tree

from publish.cli import main
from publish.engine.pdf import layout
from publish.errors import OutputError

REPORT = MINIMAL_REPORT.replace("chapters:\n  - one\n", "subtitel: 부제\nchapters:\n  - one\n  - two\n  - missing\n")

MISTAKES: dict[str, str | bytes] = {
    "report.yaml": REPORT,
    "one/chapter.md": "---\ntitle: 첫 장\n---\n",
    "one/01-yaml.md": "---\ntitle: [닫히지 않음\nurl: https://example.org/a\n---\n",
    "one/02-open.md": "---\ntitle: 열린 머리말\nurl: https://example.org/b\n",
    "one/03-types.md": "---\ntitle: [a, b]\nurl: https://example.org/c\ntldr: 요약\nfigures: 그림\n---\n",
    "one/04-missing.md": "---\ntitle: 주소 없음\ntldr: 요약\nvenu: ICML\n---\n",
    "one/05-same.md": entry(),
    "one/06-notes.md": entry(body="본문[^없음].\n\n[^안씀]: 쓰이지 않는 각주\n"),
    "one/07-image.md": entry(body="글\n\n![그림](images/none.png)\n"),
    "one/08-euckr.md": "---\ntitle: 한국어\n".encode("euc-kr") + b"url: https://example.org/d\n---\n",
    "one/09-bom-crlf.md": ("\ufeff" + entry(title="BOM CRLF", body="## 부분\n\n내용\n").replace("\n", "\r\n")).encode("utf-8"),
    "one/10-deep.md": entry(body="- " * 60 + "깊다\n"),
    "one/11-long.md": entry(body="긴 낱말: " + "가" * 4000 + "\n"),
    "one/12-date.md": "---\ntitle: 날짜\nurl: https://example.org/e\ntldr: 요약\nvenue: 2024-13-45\n---\n",
    "one/13-bomb.md": "---\ntitle: &a [*a]\nurl: https://example.org/f\ntldr: 요약\n---\n",
    "two/chapter.md": "---\ntitle: 둘째 장\n---\n",
    "two/05-same.md": entry(),
    "stray/01-unlisted.md": entry(),
}

EXPECTED = [  # in the order the CLI prints them: by file, then line
    "content/one/01-yaml.md:3: invalid YAML: expected ',' or ']', but got ':'",
    "content/one/02-open.md:1: front matter is not closed: add a line '---' after the last field",
    "content/one/03-types.md:2: field 'title' must be text, not a list",
    "content/one/03-types.md:5: field 'figures' must be a list, not '그림'",
    "content/one/04-missing.md:1: missing required field 'url'",
    "content/one/04-missing.md:4: unknown field 'venu' (did you mean 'venue'?)",
    "content/one/06-notes.md:6: footnote [^없음] has no definition (add a line '[^없음]: …')",
    "content/one/06-notes.md:8: footnote [^안씀] is defined but never referenced",
    "content/one/07-image.md:8: image 'images/none.png' not found",
    "content/one/08-euckr.md:2: file is not UTF-8 text (byte 0xc7); save it as UTF-8",
    "content/one/09-dir.md: cannot read file: Is a directory",
    "content/one/10-dangling.md: cannot read file: No such file or directory",
    "content/one/10-deep.md:6: nested too deeply (120 levels of lists, quotes or HTML; at most 40)",
    "content/one/11-long.md:6: a word of 4,000 characters without a space (at most 3,000); add spaces or shorten it",
    "content/one/12-date.md:5: invalid YAML: '2024-13-45' is not a valid date (month must be in 1..12)",
    "content/one/13-bomb.md:2: field 'title' must be text, not a list",
    "content/report.yaml:7: unknown field 'subtitel' (did you mean 'subtitle'?)",
    "content/report.yaml:8: chapter folder 'stray' is not listed in 'chapters'",
    "content/report.yaml:11: chapter folder 'missing' not found",
    "content/two/05-same.md:1: duplicate entry id 'same' (also content/one/05-same.md); rename one file",
]


def run_pdf(*args: str) -> tuple[int, str, str]:
    """`publish pdf -q` through click (no progress lines): exit code, stdout, stderr."""
    result = CliRunner().invoke(main, ["pdf", "-q", *args])
    return result.exit_code, result.stdout, result.stderr


def test_every_mistake_at_once_as_path_line_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = write_tree(tmp_path / "content", MISTAKES)
    (content / "one" / "09-dir.md").mkdir()  # unreadable: a folder named like an entry (tests run as root)
    (content / "one" / "10-dangling.md").symlink_to("gone.md")  # unreadable too: a dangling link
    monkeypatch.chdir(tmp_path)
    code, stdout, stderr = run_pdf("-c", "content", "-o", "out/report.pdf")
    assert code == 1
    lines = stderr.splitlines()
    assert lines[:-1] == EXPECTED
    assert lines[-1] == f"{len(EXPECTED)} problem(s); nothing was written."
    assert "Traceback" not in stdout + stderr and stdout == ""
    assert not (tmp_path / "out").exists() and not (tmp_path / "build").exists()
    assert "09-bom-crlf" not in stderr  # a BOM and CRLF line endings simply work


@pytest.mark.parametrize(("files", "expected"), [
    ({".gitkeep": ""}, "content/report.yaml: content folder has no report.yaml (run 'publish import' or see docs/content-format.md)"),
    ({"report.yaml": MINIMAL_REPORT.replace("2024-01-15", "2024-02-30")},
     "content/report.yaml:4: invalid YAML: '2024-02-30' is not a valid date (day is out of range for month)"),
    ({"report.yaml": "title: 1" + "0" * 5000 + "\n"}, "content/report.yaml:1: invalid YAML: '1000000000"),
    ({"report.yaml": "a: " + "[" * 5000 + "\n"}, "content/report.yaml:1: invalid YAML"),
    ({"report.yaml": MINIMAL_REPORT + "x0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
      + "".join(f"x{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]\n" for n in range(1, 12))},
     "content/report.yaml:9: unknown field 'x0'"),
    ({"report.yaml": b"\xff\xfetitle: x\n"}, "content/report.yaml:1: file is not UTF-8 text (byte 0xff); save it as UTF-8"),
])
def test_hostile_or_broken_report_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict, expected: str) -> None:
    write_tree(tmp_path / "content", files)
    monkeypatch.chdir(tmp_path)
    code, _, stderr = run_pdf("-c", "content")
    assert code == 1 and "Traceback" not in stderr
    assert any(line.startswith(expected) for line in stderr.splitlines()), stderr
    assert not (tmp_path / "build").exists()


def test_nesting_that_slips_past_markup_is_a_clean_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="nests elements too deeply"):
        layout("<html><body>" + "<div>" * 1000 + "x</body></html>", tmp_path, [], roots=(tmp_path,))


def test_hidden_editor_files_are_not_entries(project, tmp_path: Path) -> None:
    content = project({"one/01-p.md": entry(), "one/.01-p.md.swp.md": b"\x00binary", "one/.backup.md": "not an entry"})
    (content / "one" / ".#01-p.md").symlink_to("user@host.1234:1700000000")  # Emacs's lock link, dangling
    code, stdout, stderr = run_pdf("-c", str(content), "-o", str(tmp_path / "r.pdf"))
    assert code == 0, stderr


def test_an_interrupted_write_keeps_the_previous_pdf(project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = project({"one/01-p.md": entry()})
    out = tmp_path / "report.pdf"
    assert run_pdf("-c", str(content), "-o", str(out))[0] == 0
    good = out.read_bytes()
    (content / "one" / "01-p.md").write_text(entry(title="Changed"), encoding="utf-8")

    def interrupted(source: str, target: str) -> None:
        raise KeyboardInterrupt  # Ctrl-C at the worst moment: the new PDF is complete, not yet renamed

    monkeypatch.setattr(os, "replace", interrupted)
    code, _, stderr = run_pdf("-c", str(content), "-o", str(out))
    monkeypatch.undo()
    assert code == 130 and "Traceback" not in stderr
    assert out.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "report.pdf"]  # no temporary file left


def test_a_failed_build_after_a_good_one_keeps_it(project, tmp_path: Path) -> None:
    content = project({"one/01-p.md": entry()})
    out = tmp_path / "report.pdf"
    assert run_pdf("-c", str(content), "-o", str(out))[0] == 0
    good = out.read_bytes()
    (content / "one" / "02-q.md").write_text(entry(title="Q", body="많은 글 " * 2000), encoding="utf-8")
    code, _, stderr = run_pdf("-c", str(content), "-o", str(out), "--max-size", "5K")
    assert code == 1 and "over the budget of 5 KB; nothing was written" in stderr
    assert out.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "report.pdf"]


def test_import_never_overwrites_without_force(tmp_path: Path) -> None:
    dest = write_tree(tmp_path / "content", {"report.yaml": "mine", "one/01-mine.md": "the author's work"})
    before = {p: p.read_bytes() for p in dest.rglob("*") if p.is_file()}
    result = CliRunner().invoke(main, ["import", str(FIXTURES / "import" / "withdrawn.md"), "-o", str(dest)])
    assert result.exit_code == 2 and "not empty; use --force" in result.stderr
    assert {p: p.read_bytes() for p in dest.rglob("*") if p.is_file()} == before
    forced = CliRunner().invoke(main, ["import", str(FIXTURES / "import" / "withdrawn.md"), "-o", str(dest), "--force"])
    assert forced.exit_code == 0 and not (dest / "one").exists() and "imported" in forced.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content"]


@pytest.mark.parametrize("export", ["no_entries.md", "not_export.md"])
def test_import_error_writes_nothing(tmp_path: Path, export: str) -> None:
    dest = write_tree(tmp_path / "content", {"keep.md": "keep me"})
    result = CliRunner().invoke(main, ["import", str(FIXTURES / "import" / export), "-o", str(dest), "--force"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert (dest / "keep.md").read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content"]
    fresh = CliRunner().invoke(main, ["import", str(FIXTURES / "import" / export), "-o", str(tmp_path / "new")])
    assert fresh.exit_code == 1 and not (tmp_path / "new").exists()
    shutil.rmtree(dest)
