"""`publish new` cannot break the build: no empty title, no duplicate id, and its placeholders are
reported until replaced (the handout refuses a placeholder tl;dr)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLE

from publish.cli import main


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A writable copy of the sample content."""
    content = tmp_path / "content"
    shutil.copytree(SAMPLE, content)
    return content


def new(content: Path, *args: str):
    """Run `publish new` on *content*."""
    return CliRunner().invoke(main, ["new", *args, "-c", str(content)])


def test_empty_title_is_a_usage_error(sample: Path) -> None:
    result = new(sample, "  ", "--chapter", "1")
    assert result.exit_code == 2 and "the title is empty" in result.stderr
    assert sorted(p.name for p in (sample / "methods").glob("*.md")) == ["01-alpha-paper.md", "02-beta-paper.md", "03-gamma-withdrawn.md", "chapter.md"]


def test_same_title_twice_is_refused_and_a_taken_id_is_suffixed(sample: Path) -> None:
    first = new(sample, "Tree of Thoughts", "--chapter", "1", "--url", "https://arxiv.org/abs/2305.10601")
    assert first.exit_code == 0, first.output
    again = new(sample, "tree of thoughts", "--chapter", "2")
    assert again.exit_code == 1
    assert f"{sample / 'methods' / '04-tree-of-thoughts.md'} already has the title 'Tree of Thoughts'; nothing was written" in again.stderr
    assert not list((sample / "others").glob("*tree*"))
    korean = [new(sample, title, "--chapter", "2", "--url", "https://example.com/x") for title in ("생각의 나무", "언어 모델")]
    assert [r.exit_code for r in korean] == [0, 0]
    assert Path(korean[1].stdout.strip()).name == "03-entry-2.md"
    assert f"the id 'entry' is taken by {sample / 'others' / '02-entry.md'}; this entry's id is 'entry-2'" in korean[1].stderr
    build = CliRunner().invoke(main, ["check", "-c", str(sample)])
    assert "0 error(s)" in build.stdout, build.output


def test_placeholders_warn_in_check_and_pdf_and_the_handout_refuses_them(sample: Path, tmp_path: Path) -> None:
    created = Path(new(sample, "Some Paper", "--chapter", "1").stdout.strip())
    check = CliRunner().invoke(main, ["check", "-c", str(sample)])
    assert check.exit_code == 0
    lines = created.read_text(encoding="utf-8").splitlines()
    for index, message in ((3, "the url is still the placeholder from 'publish new'"), (7, "the tl;dr is still the placeholder"),
                           (13, "placeholder text from 'publish new'")):
        assert f"{created}:{index}: warning: {message}" in check.stderr, (lines, check.stderr)
    assert check.stderr.count("placeholder '(작성 예정)'") == 4
    assert CliRunner().invoke(main, ["check", "-c", str(sample), "--strict"]).exit_code == 1
    pdf = CliRunner().invoke(main, ["pdf", "-c", str(sample), "-o", str(tmp_path / "r.pdf")])
    assert pdf.exit_code == 0 and "the tl;dr is still the placeholder" in pdf.stderr
    handout = CliRunner().invoke(main, ["pdf", "-c", str(sample), "-o", str(tmp_path / "h.pdf"), "--edition", "handout"])
    assert handout.exit_code == 1 and not (tmp_path / "h.pdf").exists()
    assert f"{created}:7: the tl;dr is still the placeholder from 'publish new'; the handout would print it" in handout.stderr
    proof = CliRunner().invoke(main, ["pdf", "-c", str(sample), "-o", str(tmp_path / "h.pdf"), "--edition", "handout", "--allow-placeholders"])
    assert proof.exit_code == 0, proof.output
