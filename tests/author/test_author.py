"""Author commands: new, check, html, watch — through click's runner and the Python API."""

from __future__ import annotations

import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLE, entry, wait_for

from publish.cli import main
from publish.content.loader import load_report


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A writable copy of the sample content."""
    content = tmp_path / "content"
    shutil.copytree(SAMPLE, content)
    return content


def test_new_creates_a_valid_entry_after_the_last(sample: Path) -> None:
    result = CliRunner().invoke(main, ["new", "Tree of Thoughts: 문제 해결", "--chapter", "1", "-c", str(sample),
                                       "--url", "https://arxiv.org/abs/2305.10601", "--venue", "NeurIPS 2023"])
    assert result.exit_code == 0, result.output
    path = Path(result.stdout.strip())
    assert path == sample / "methods" / "04-tree-of-thoughts.md"
    report, problems = load_report(sample)
    assert problems == []
    created = report.chapters[1].entries[-1]
    assert created.title == "Tree of Thoughts: 문제 해결" and created.venue == "NeurIPS 2023"
    assert [p.label for p in created.details.parts][:2] == ["기존 문제", "논문이 이끌어낸 직관"]


def test_new_unknown_chapter_is_a_usage_error(sample: Path) -> None:
    result = CliRunner().invoke(main, ["new", "X", "--chapter", "method", "-c", str(sample)])
    assert result.exit_code == 2
    assert "no chapter 'method' (did you mean 'methods'?)" in result.stderr


def test_check_reports_warnings_and_strict_fails(project) -> None:
    content = project({
        "one/01-p.md": entry(body="[다른 곳](#entry-nowhere) 참고\n", tldr="가" * 30),
        "one/images/unused.png": b"\x89PNG",
    })
    ok = CliRunner().invoke(main, ["check", "-c", str(content), "--max-tldr-chars", "10"])
    assert ok.exit_code == 0, ok.output
    assert "01-p.md:6: warning: link '#entry-nowhere' points nowhere" in ok.stderr
    assert "images/unused.png: warning: image is not used by any entry" in ok.stderr
    assert "01-p.md:4: warning: tl;dr has 30 characters, over the budget of 10" in ok.stderr
    assert "0 error(s), 3 warning(s)" in ok.stdout
    strict = CliRunner().invoke(main, ["check", "-c", str(content), "--max-tldr-chars", "10", "--strict"])
    assert strict.exit_code == 1


def test_check_finds_characters_no_font_covers(project) -> None:
    content = project({"one/01-p.md": entry(tldr="고대 문자 𐀀 와 이모지 🙂")})
    result = CliRunner().invoke(main, ["check", "-c", str(content)])
    assert "01-p.md:4: warning: no vendored font has a glyph for U+10000 𐀀 (LINEAR B SYLLABLE B008 A); it is drawn as a crossed box" in result.stderr


def test_check_errors_exit_1(project) -> None:
    content = project({"one/01-p.md": "---\ntitle: P\n---\n"})
    result = CliRunner().invoke(main, ["check", "-c", str(content)])
    assert result.exit_code == 1 and "01-p.md:1: missing required field 'url'" in result.stderr


def test_html_is_self_contained_and_opens_in_chromium(sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["html", "-c", str(sample), "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "<details class=\"details\">" in page and "<summary class=\"details-title\">상세 및 개인 의견</summary>" in page
    assert "file://" not in page and 'src="data:image/png;base64,' in page
    assert 'url("data:font/woff2;base64,' in page
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("Debian's chromium is not installed (see apt-packages.txt)")
    dom = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'chrome'}", "--dump-dom", out.as_uri()],
        capture_output=True, text=True, timeout=120,
    ).stdout
    assert "<title>표본 보고서 Sample Report</title>" in dom
    for title in ("Alpha: Locating Knowledge in Language Models", "Beta Paper", "Delta"):
        assert title in dom
    assert "Gamma Withdrawn" not in dom


def test_watch_rebuilds_and_keeps_last_good_pdf(sample: Path, tmp_path: Path) -> None:
    from publish.author.watch import watch
    from publish.build import build_pdf

    out = tmp_path / "watch.pdf"
    results, errors, stop = [], [], threading.Event()
    thread = threading.Thread(target=watch, args=([sample], lambda: build_pdf(sample, out), results.append, errors.append, stop),
                              kwargs={"debounce_ms": 100}, daemon=True)
    thread.start()
    wait_for(lambda: len(results) == 1)
    first = out.read_bytes()
    beta = sample / "methods" / "02-beta-paper.md"
    beta.write_text(beta.read_text(encoding="utf-8").replace("베타 논문의 요약입니다.", "고친 요약입니다."), encoding="utf-8")
    wait_for(lambda: len(results) == 2)
    assert out.read_bytes() != first
    good = out.read_bytes()
    beta.write_text("---\ntitle: [broken\n---\n", encoding="utf-8")
    wait_for(lambda: len(errors) == 1)
    assert "02-beta-paper.md:2: invalid YAML" in errors[0].problems[0].format()
    assert out.read_bytes() == good
    stop.set()
    thread.join(timeout=10)
    assert not thread.is_alive()



def test_progress_is_plain_lines_off_a_terminal_and_quiet_silences_it(sample: Path, tmp_path: Path) -> None:
    loud = CliRunner().invoke(main, ["pdf", "-c", str(sample), "-o", str(tmp_path / "a.pdf"), "-v"], env={"NO_COLOR": "1"})
    assert loud.exit_code == 0, loud.output
    assert [line for line in loud.stderr.splitlines() if line.startswith("publish: ")] == [
        "publish: load", "publish: render", "publish: layout", "publish: write"]
    assert "\x1b[" not in loud.stderr  # no colour codes with NO_COLOR / off a terminal
    assert "layout " in loud.stderr and "s  write " in loud.stderr  # -v timings
    quiet = CliRunner().invoke(main, ["pdf", "-c", str(sample), "-o", str(tmp_path / "b.pdf"), "-q"])
    assert quiet.exit_code == 0 and quiet.stderr == "" and "b.pdf (6 pages" in quiet.stdout


def test_every_command_has_help_with_examples() -> None:
    for command in ("pdf", "html", "check", "new", "watch", "preview", "import"):
        result = CliRunner().invoke(main, [command, "--help"])
        assert result.exit_code == 0 and "Examples:" in result.output, command
