"""Hostile content cannot reach outside the project: no outside byte in the PDF, and warnings say where."""

from __future__ import annotations

import base64
import subprocess
from pathlib import Path

import pytest
from conftest import entry, pdftotext, png, write_tree
from pdfcheck import image_sizes
from pypdf import PdfReader

from publish import build_pdf
from publish.build import load, source_locator
from publish.engine.pdf import layout
from publish.errors import ContentError
from publish.render.sanitize import sanitize

MARKER = "LEAKED-7f3a9c-MARKER"
SECRET_SIZE = (37, 23)  # the outside PNG: no image of this size may appear in a PDF
OK_SIZE = (41, 29)  # a legitimate image inside the content folder


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A folder outside the content holding a marker text, a PNG, a stylesheet and an entry."""
    folder = write_tree(tmp_path / "secret", {
        "secret.txt": f"{MARKER}\n",
        "secret.png": png(*SECRET_SIZE, (1, 2, 3)),
        "secret.css": f'body::before {{ content: "{MARKER}" }}\n',
        "secret.md": entry(title=MARKER, body=MARKER),
    })
    (folder / "chapter").mkdir()
    write_tree(folder / "chapter", {"chapter.md": f"---\ntitle: {MARKER}\n---\n"})
    return folder


def uncompressed(pdf: Path) -> bytes:
    """The PDF with every stream decompressed, so that a search sees all the bytes it carries."""
    return subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(pdf), "-"], capture_output=True, check=True).stdout


def assert_nothing_leaked(pdf: Path) -> None:
    """No marker in the text or the (decompressed) bytes, no outside image, no attachment."""
    assert MARKER not in pdftotext(pdf)
    data = uncompressed(pdf)
    assert MARKER.encode() not in data and b"root:x:0:0" not in data
    assert SECRET_SIZE not in image_sizes(pdf)
    assert PdfReader(pdf).attachments == {}


RAW = """\
본문입니다.

<img src="file://{secret}/secret.png" alt="a">

<img src="../../secret/secret.png" alt="b">

<img src="img/leak.png" alt="c">

<img src="img/passwd" alt="d">

<img src="img/ok.png" alt="ok">

<img src="x.png" onerror="alert(1)">

<link rel="stylesheet" href="file://{secret}/secret.css">
<style>@import url("file://{secret}/secret.css"); body {{ background: url("file://{secret}/secret.png") }}</style>
<p style="background-image: url('file://{secret}/secret.png')">스타일</p>
<iframe src="file://{secret}/secret.txt"></iframe>
<object data="file://{secret}/secret.png" type="image/png">객체</object>
<embed src="file://{secret}/secret.png">
<script>document.write("{marker}")</script>
<a rel="attachment" href="file://{secret}/secret.txt">첨부</a>
<a rel="attachment" href="../../secret/secret.txt">첨부 2</a>
<svg><image href="file://{secret}/secret.png" width="37" height="23"/></svg>
<base href="file://{secret}/">
<img srcset="file://{secret}/secret.png 1x">
<video poster="file://{secret}/secret.png"></video>
<table background="file://{secret}/secret.png"><tr><td background="file://{secret}/secret.png">표</td></tr></table>
<a href="javascript:alert(1)">자바스크립트</a>
"""

EVIL_SVG = """\
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="60" height="40">
  <image href="file://{secret}/secret.png" width="37" height="23"/>
  <image xlink:href="../../../secret/secret.png" width="37" height="23"/>
  <rect x="40" width="20" height="20" fill="teal"/>
</svg>
"""


def test_raw_html_and_svg_attempts_build_without_leaking(project, secret: Path, tmp_path: Path) -> None:
    content = project({
        "one/01-raw.md": entry(body=RAW.format(secret=secret, marker=MARKER)),
        "one/02-svg.md": entry(title="SVG", body="![그림](img/evil.svg)\n"),
        "one/img/ok.png": png(*OK_SIZE),
        "one/img/evil.svg": EVIL_SVG.format(secret=secret),
    })
    (content / "one" / "img" / "leak.png").symlink_to(secret / "secret.png")
    (content / "one" / "img" / "passwd").symlink_to("/etc/passwd")
    result = build_pdf(content, tmp_path / "out.pdf")
    assert_nothing_leaked(result.output)
    assert OK_SIZE in image_sizes(result.output)  # the legitimate raw image is drawn
    warnings = "\n".join(result.warnings)
    raw = f"{content}/one/01-raw.md"
    assert f"{raw}:8: raw HTML image dropped: 'file://{secret}/secret.png' is an absolute path" in warnings
    assert f"{raw}:10: raw HTML image dropped: '../../secret/secret.png' points outside the content folder" in warnings
    assert f"{raw}:12: raw HTML image dropped: 'img/leak.png' points outside the content folder" in warnings
    assert f"{raw}:14: raw HTML image dropped: 'img/passwd' points outside the content folder" in warnings
    assert f"{raw}:18: raw HTML image dropped: image 'x.png' not found" in warnings
    # The SVG is a legitimate local image; what it tries to load is refused by the URL fetcher.
    assert f"resource refused: file://{secret}/secret.png (outside the project)" in warnings


def test_links_and_paths_to_outside_files_are_errors(project, secret: Path, tmp_path: Path) -> None:
    report = "title: 작은 보고서\nauthor:\n  name: 홍길동\ndate: 2024-01-15\nlicense:\n  id: CC-BY-4.0\nchapters:\n  - one\n  - linked\n"
    content = project({
        "one/01-md.md": entry(body=f"![a](../../secret/secret.png)\n\n![b](img/leak.png)\n\n![c](file://{secret}/secret.png)\n"),
        "one/02-fig.md": entry(figures="\n  - src: /etc/passwd\n  - src: img/leak.png"),
    }, report=report)
    (content / "one" / "img").mkdir()
    (content / "one" / "img" / "leak.png").symlink_to(secret / "secret.png")
    (content / "one" / "03-linked.md").symlink_to(secret / "secret.md")
    (content / "linked").symlink_to(secret / "chapter")
    with pytest.raises(ContentError) as error:
        build_pdf(content, tmp_path / "out.pdf")
    found = [p.format(content) for p in error.value.problems]
    assert found == [
        "content/one/01-md.md:6: '../../secret/secret.png' points outside the content folder",
        "content/one/01-md.md:8: 'img/leak.png' points outside the content folder",
        f"content/one/01-md.md:10: 'file://{secret}/secret.png' is an absolute path; use a path relative to the file, inside the content folder",
        "content/one/02-fig.md:6: '/etc/passwd' is an absolute path; use a path relative to the file, inside the content folder",
        "content/one/02-fig.md:7: 'img/leak.png' points outside the content folder",
        "content/one/03-linked.md: file is a link to outside the content folder; refused",
        "content/report.yaml:9: chapter folder 'linked' is a link to outside the content folder; refused",
    ]
    assert not (tmp_path / "out.pdf").exists()


def test_url_fetcher_serves_only_the_project_and_names_the_entry(project, secret: Path, tmp_path: Path) -> None:
    content = project({"one/01-x.md": entry(), "one/ok.png": png(*OK_SIZE)})
    (content / "one" / "leak.png").symlink_to(secret / "secret.png")
    report, _ = load(content)
    inline = base64.b64encode(png(5, 5)).decode()
    html = (
        f'<html><body><article class="entry" id="entry-x">'
        f'<img src="file:///etc/passwd"><img src="../../secret/secret.png"><img src="leak.png">'
        f'<img src="https://example.invalid/r.png"><img src="ok.png"><img src="data:image/png;base64,{inline}">'
        f'</article></body></html>'
    )
    where = content / "one" / "01-x.md"
    laid_out = layout(html, where, [], roots=(content,), locate=source_locator(html, report))  # relative to the entry
    assert laid_out.warnings[:4] == [
        f"{where}: resource refused: file:///etc/passwd (outside the project)",
        f"{where}: resource refused: file://{secret}/secret.png (outside the project)",
        f"{where}: resource refused: {content.as_uri()}/one/leak.png (outside the project)",
        f"{where}: resource refused: https://example.invalid/r.png (remote resources are fetched only with --fetch-remote)",
    ]
    pdf = tmp_path / "direct.pdf"
    pdf.write_bytes(laid_out.document.write_pdf())
    assert sorted(image_sizes(pdf)) == [(5, 5), OK_SIZE]


def test_sanitiser_strips_styles_and_active_markup() -> None:
    dirty = (
        '<p style="background:url(file:///etc/passwd)" onclick="x()">a</p><style>@import "/etc/passwd";</style>'
        '<link rel="stylesheet" href="/etc/passwd"><object data="/etc/passwd"></object><embed src="/etc/passwd">'
        '<a href="file:///etc/passwd" rel="attachment">b</a><img src="data:image/png;base64,AAAA">'
        '<td colspan="100000">c</td>'
    )
    clean = sanitize(dirty)
    for banned in ("style", "@import", "onclick", "link", "object", "embed", "file:", "attachment", "data:", "100000", "/etc/passwd"):
        assert banned not in clean, banned
