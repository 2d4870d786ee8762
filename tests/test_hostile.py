"""Issue 17's hostile inputs, each through the command line: a quick `path:line` error (or a bounded
success), exit 1, nothing written, no traceback, no outside bytes, no temporary file left behind.

The slow shapes are refused by limits checked before the stage they would stall (content/limits.py);
tests/content/test_limits.py checks that below the limits the cost grows linearly.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, MINIMAL_REPORT, ROOT, copy_sample, entry, png, write_tree

from publish.cli import main


def run(*args: str) -> tuple[int, str, float]:
    """Exit code, stderr and seconds of one in-process `publish` command."""
    start = time.perf_counter()
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stderr, time.perf_counter() - start


def refused(content: Path, tmp_path: Path, *expected: str) -> str:
    """Build *content*: exit 1, each expected message, no PDF, fast, no traceback."""
    out = tmp_path / "out.pdf"
    code, err, seconds = run("pdf", "-c", str(content), "-o", str(out))
    assert code == 1, err
    for text in expected:
        assert text in err, err
    assert "Traceback" not in err and not out.exists() and seconds < 10
    return err


def png_header(width: int, height: int) -> bytes:
    """A tiny PNG file claiming *width* × *height* pixels (only its header is valid)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def fan_out_svg(levels: int) -> str:
    """1 KB of SVG whose `<use>` references draw 10**levels shapes."""
    groups = ['<g id="l0"><rect width="1" height="1"/></g>']
    groups += [f'<g id="l{n}">' + f'<use href="#l{n - 1}"/>' * 10 + "</g>" for n in range(1, levels + 1)]
    return f'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><defs>{"".join(groups)}</defs><use href="#l{levels}"/></svg>'


# 1. SVG fan-out, 5 and 12. images with too many pixels.
def test_images_that_would_blow_up_are_refused_before_layout(project, tmp_path: Path) -> None:
    content = project({
        "one/01-svg.md": entry(body="![폭탄](images/bomb.svg)\n"),
        "one/02-png.md": entry(title="B", body="![큰 그림](images/huge.png)\n"),
        "one/03-giant.md": entry(title="C", body="그림\n\n![거대](images/giant.png)\n"),
        "one/images/bomb.svg": fan_out_svg(6),
        "one/images/huge.png": png_header(13_000, 13_000),
        "one/images/giant.png": png_header(100_000, 100_000),
    })
    err = refused(content, tmp_path, "01-svg.md:6: image 'images/bomb.svg': SVG draws more than 20,000 shapes",
                  "02-png.md:6: image 'images/huge.png': 13,000 × 13,000 pixels", "03-giant.md:8: image 'images/giant.png': far more than")
    assert len(err) < 2000 and "DecompressionBomb" not in err  # no base64 dump, no raw Pillow warning


# 2. Python-Markdown's super-linear inline patterns; 3. the word limit's bypasses.
@pytest.mark.parametrize("body, message", [
    ("\n".join(["[" * 2000] * 10), "01-x.md:6: Markdown would scan"),
    ("\n".join(["<a " * 1000] * 50), "01-x.md:6: Markdown would scan"),
    ("글\n\n" + " ".join("`" * n for n in range(1, 700)), "01-x.md:8: Markdown would scan"),
    ("가\u00a0" * 25_000, "01-x.md:6: a word of 50,000 characters"),
    ('가<span class="x">가</span>' * 2_000, "01-x.md:6: a word of 4,000 characters"),
    ("[^1]" * 60 + "\n\n[^1]: 각주\n", "01-x.md:6: 60 footnote calls in one file (at most 50)"),
    ("<table>\n" + '<tr><td colspan="100" rowspan="100">x</td></tr>\n' * 3000 + "</table>\n", "01-x.md:6: tables of 30,000,000 cells"),
], ids=["brackets", "links", "backticks", "no-break-spaces", "span-split", "footnotes", "spans"])
def test_slow_markdown_shapes_are_refused_quickly(project, tmp_path: Path, body: str, message: str) -> None:
    refused(project({"one/01-x.md": entry(body=body)}), tmp_path, message)


def test_front_matter_beyond_the_limits_is_refused(project, tmp_path: Path) -> None:
    figures = "figures:\n" + "  - src: https://example.org/a.png\n" * 1_000
    content = project({
        "one/01-title.md": '---\ntitle: "' + "가\\\n" * 30_000 + '"\nurl: https://example.org/p\ntldr: 요약\n---\n',
        "one/02-figures.md": entry(title="F").replace("---\n", "", 1).join(["---\n" + figures, ""]),
        "one/03-bold.md": entry(title="<b> " * 2000 + "굵게"),
        "one/04-big.md": entry(title="G", body="가나다 라마바 " * 40_000),
    })
    refused(content, tmp_path, "01-title.md:2: a word of 30,000 characters", "02-figures.md:2: 'figures' has 1,000 items (at most 200)",
            "03-bold.md:2: 'title' nests HTML 2000 levels deep (at most 40)", "04-big.md: file has 781 KB, over the limit of 256 KB")
    keywords = "keywords:\n" + "".join(f"  - k{n}\n" for n in range(1_000))
    content = project(report=MINIMAL_REPORT.replace("chapters:", keywords + "chapters:"))
    refused(content, tmp_path, "report.yaml:7: 'keywords' has 1,000 items (at most 200)")


# 4. a FIFO named like an entry: pdf and check used to block forever.
@pytest.mark.parametrize("command", ["pdf", "check"])
def test_a_fifo_named_like_an_entry_is_refused(project, tmp_path: Path, command: str) -> None:
    content = project({"one/01-ok.md": entry()})
    os.mkfifo(content / "one" / "50-x.md")
    args = [command, "-c", str(content)] + (["-o", str(tmp_path / "out.pdf")] if command == "pdf" else [])
    done = subprocess.run([sys.executable, "-m", "publish", *args], capture_output=True, text=True, timeout=60, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 1 and "50-x.md: not a regular file" in done.stderr and "Traceback" not in done.stderr


# 8. a file name that is not UTF-8.
@pytest.mark.parametrize("command", ["pdf", "html"])
def test_a_file_name_that_is_not_utf8_is_an_error(project, tmp_path: Path, command: str) -> None:
    content = project({"one/01-ok.md": entry()})
    with open(os.path.join(os.fsencode(content / "one"), b"50-\xff.md"), "wb") as stream:
        stream.write(entry(title="X").encode())
    code, err, _ = run(command, "-c", str(content), "-o", str(tmp_path / f"out.{command}"))
    assert code == 1 and "file name is not valid UTF-8; rename the file" in err and "Traceback" not in err


# 9. `colspan="²"`: isdigit() accepted it, int() did not, and nh3 printed "Exception ignored".
def test_a_superscript_digit_span_is_dropped_silently() -> None:
    from publish.render.sanitize import sanitize

    unraisable: list = []
    hook, sys.unraisablehook = sys.unraisablehook, unraisable.append
    try:
        html = sanitize('<table><tr><td colspan="²" rowspan="3">x</td></tr></table>')
    finally:
        sys.unraisablehook = hook
    assert unraisable == [] and 'colspan' not in html and 'rowspan="3"' in html


# 10. every output path problem is "cannot write", exit 1, the previous file intact.
@pytest.mark.parametrize("args", [["pdf", "--emit-html", "{blocker}/x.html"], ["html", "-o", "{blocker}/x.html"], ["pdf", "-o", "{blocker}/x.pdf"]])
def test_output_path_problems_are_messages(project, tmp_path: Path, args: list[str]) -> None:
    content = project({"one/01-ok.md": entry()})
    blocker = tmp_path / "afile"
    blocker.write_text("a file, not a folder")
    extra = [] if "-o" in args else ["-o", str(tmp_path / "out.pdf")]
    code, err, _ = run(*[a.format(blocker=blocker) for a in args], "-c", str(content), *extra)
    assert code == 1 and f"error: cannot write {blocker}/x." in err and "a folder on its path is a file" in err and "Traceback" not in err
    assert blocker.read_text() == "a file, not a folder"


# 13. temporary files of killed builds are removed by the next build.
def test_stale_temporary_files_are_removed_by_the_next_build(project, tmp_path: Path) -> None:
    content = project({"one/01-ok.md": entry()})
    out = tmp_path / "out.pdf"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout.strip()
    stale = [tmp_path / f".out.pdf.{dead}.k9x2a1b0.tmp", tmp_path / ".out.pdf.q1w2e3r4.tmp"]  # a dead pid; the old naming
    alive = tmp_path / f".out.pdf.{os.getpid()}.running.tmp"  # a build writing right now
    for path in (*stale, alive):
        path.write_bytes(b"%PDF half")
    code, err, _ = run("pdf", "-c", str(content), "-o", str(out))
    assert code == 0, err
    assert not any(p.exists() for p in stale) and alive.exists() and out.read_bytes().startswith(b"%PDF-")


def test_sigterm_while_writing_leaves_no_temporary_file(tmp_path: Path) -> None:
    """SIGTERM unwinds like Ctrl-C (exit 143): the half-written temporary file is removed, the old PDF kept."""
    content = copy_sample(tmp_path)
    out = tmp_path / "out.pdf"
    out.write_bytes(b"old")
    script = (
        "import os, signal, sys\nfrom publish import cli\nreal = os.fdopen\n"
        "def fdopen(*args, **kwargs):  # the moment the temporary file exists\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n    return real(*args, **kwargs)\n"
        f"os.fdopen = fdopen\ncli.main(['pdf', '-q', '-c', {str(content)!r}, '-o', {str(out)!r}])\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 143, done.stderr
    assert out.read_bytes() == b"old" and not [p for p in tmp_path.rglob("*.tmp")]


# 14. `publish check` does not follow a link out of the content folder.
def test_check_never_reads_a_file_outside_through_a_link(project, tmp_path: Path) -> None:
    content = project({"one/01-ok.md": entry()})
    outside = tmp_path / "elsewhere.yml"
    outside.write_text("비밀: 𝔘 marker-17\n", encoding="utf-8")
    (content / "leak.yml").symlink_to(outside)
    code, err, _ = run("check", "-c", str(content))
    assert "leak.yml: warning: file is a link to outside the content folder; refused; not checked" in err
    assert "𝔘" not in err and "U+1D518" not in err and "elsewhere" not in err


# 15. import copies only image files, never from hidden folders; 6. alias-bomb title; 7. deep nesting.
def test_import_copies_only_images_and_never_hidden_files(tmp_path: Path) -> None:
    export = tmp_path / "export" / "report.md"
    write_tree(export.parent, {".ssh/id_rsa": "-----BEGIN PRIVATE KEY-----\n", "notes.png": "not an image", "fig.png": png(3, 3)})
    export.write_text(
        "# Local Images\n\n# **1. Chapter**\n\n<a href=\"https://example.org/p\">Paper</a>\ntl; dr: : Summary.</p>\n\n"
        "![key](.ssh/id_rsa)\n\n![notes](notes.png)\n\n![fig](fig.png)\n", encoding="utf-8")
    code, err, _ = run("import", str(export), "-o", str(tmp_path / "content"))
    assert code == 0, err
    copied = sorted(p.name for p in (tmp_path / "content").rglob("*") if p.is_file() and p.suffix not in (".md", ".yaml"))
    assert copied == ["fig.png"]
    assert "image '.ssh/id_rsa' is in a hidden folder: dropped" in err and "'notes.png' is not a PNG" in err


def test_import_of_an_alias_bomb_title_is_bounded(tmp_path: Path) -> None:
    text = (FIXTURES / "import" / "withdrawn.md").read_text(encoding="utf-8")
    bomb = 'a0: &a0 ["lol"]\n' + "".join(f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]\n" for n in range(1, 10)) + "title: *a9\n"
    export = tmp_path / "export.md"
    export.write_text("---\n" + bomb + "---\n" + text.split("---\n", 2)[-1] if text.startswith("---\n") else "---\n" + bomb + "---\n" + text, encoding="utf-8")
    code, err, seconds = run("import", str(export), "-o", str(tmp_path / "content"))
    assert code == 0 and seconds < 10 and "Traceback" not in err
    assert (tmp_path / "content" / "report.yaml").stat().st_size < 10_000


@pytest.mark.parametrize("shape, line", [
    ("> " * 300 + "깊다\n", 9), ("<div>" * 500 + "x" + "</div>" * 500 + "\n", 9), ("<b>" * 500 + "x" + "</b>" * 500 + "\n", 9),
    ("".join("  " * n + "- 항목\n" for n in range(600)), 90), ("<details><summary>s</summary>\n" * 5000 + "x\n" + "</details>\n" * 5000, 48),
], ids=["quotes", "divs", "bold", "lists", "details"])
def test_import_of_deep_nesting_is_a_message(tmp_path: Path, shape: str, line: int) -> None:
    export = tmp_path / "export.md"
    export.write_text("# Deep\n\n# **1. Chapter**\n\n<a href=\"https://example.org/p\">Paper</a>\ntl; dr: : Summary.</p>\n\n\n" + shape, encoding="utf-8")
    code, err, seconds = run("import", str(export), "-o", str(tmp_path / "content"))
    assert code == 1 and f"export.md:{line}: the export nests too deeply" in err and "Traceback" not in err and seconds < 10
    assert not (tmp_path / "content").exists()


# 16. the archive attaches only the files the report reads: a hard link to a private file is not among them.
def test_archive_attaches_only_files_the_report_reads(project, tmp_path: Path) -> None:
    from publish.content.loader import load_report
    from publish.editions.archive import source_files, used_files
    from publish.render.markup import render_report

    content = project({"one/01-ok.md": entry(body="![그림](images/a.png)\n"), "one/images/a.png": png(4, 4), "one/notes.txt": "메모"})
    private = tmp_path / "id_rsa"
    private.write_text("-----BEGIN PRIVATE KEY-----\n")
    os.link(private, content / "one" / "images" / "key.png")
    report, problems = load_report(content)
    fragments, _ = render_report(report)
    names = [p.relative_to(content).as_posix() for p in source_files(content, used_files(report, fragments.values()))]
    assert names == ["one/01-ok.md", "one/chapter.md", "one/images/a.png", "report.yaml"]


def test_names_too_long_for_the_file_system_are_errors_not_crashes(project, tmp_path: Path) -> None:
    """Found by the repeated shapes of tests/test_properties.py: stat() raised ENAMETOOLONG."""
    content = project({"one/01-x.md": entry(body="![그림](" + "c" * 300 + ".png) [링크](" + "b" * 300 + ".md)\n")},
                      report=MINIMAL_REPORT + '  - "' + "a" * 300 + '"\n')
    refused(content, tmp_path, "01-x.md:6: image 'ccc", f"report.yaml:9: chapter folder '{'a' * 300}' not found")
    code, err, _ = run("check", "-c", str(content))
    assert code == 1 and "Traceback" not in err and "01-x.md:6: link 'bbb" in err


def test_many_missing_images_beside_many_files_stay_quick(project, tmp_path: Path) -> None:
    """Each missing image's did-you-mean listed and compared the whole folder again: 96 s for this."""
    files = {f"one/img/f{n}.txt": "x" for n in range(2000)}
    content = project({**files, "one/01-x.md": entry(body="\n\n".join(f"![i](img/miss{n}.png)" for n in range(1000)))})
    err = refused(content, tmp_path, "01-x.md:6: image 'img/miss0.png' not found", "01-x.md:2004: image 'img/miss999.png' not found")
    assert err.count("not found") == 1000
