"""Property tests: whatever front matter, Markdown or export comes in, the result is a document or a clean error.

Thousands of generated and mutated inputs go through load → validate → Markdown → templates (no
layout, fast); a few go all the way to a PDF. A crash, a hang or an unclean error fails the test,
and so does any image source in the output that is not remote or a file inside the content.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml
from conftest import FIXTURES, MINIMAL_REPORT, entry, png, write_tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publish.build import build_pdf, load, render_document
from publish.content.resources import is_inside
from publish.editions.catalog import EDITIONS
from publish.errors import ContentError, PublishError
from publish.importer import convert

FAST = settings(
    max_examples=1000, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)

# Fragments authors (and attackers) write: valid Markdown, broken Markdown, raw HTML, paths.
PIECES = [
    "본문 문장입니다.", "LLM은 발전하고 있다", "text[^1]", "[^1]: 각주 내용", "[^2]: 안 쓰인 각주", "[^1]:", "    이어지는 각주",
    "# 상세 및 개인 의견", "## 기존 문제", "## 직관", "### 소제목", "#", "##", "- 목록", "  - 중첩", "1. 번호", "> 인용", ">> 이중",
    "```", "~~~", "    코드", "| a | b |\n|---|---|\n| 1 | 2 |", "![캡션](img/a.png)", "![](img/a.png)", "- ![목록 그림](img/a.png)",
    "![](missing.png)", "![원격](https://example.org/r.png)", "![](../../etc/passwd)", "![](file:///etc/passwd)", "![](data:image/png;base64,AA)",
    "<b>굵게</b>", "<div>", "</div>", "<span>", '<img src="img/a.png">', '<img src="file:///etc/passwd">', '<img src="../x.png">',
    '<img src="https://example.org/i.png">', "<script>alert(1)</script>", "<style>*{}</style>", '<a href="javascript:x">j</a>',
    '<p style="background:url(/etc/passwd)">s</p>', '<td colspan="99999">c</td>', "<table><tr><td>t</td></tr></table>", "<!-- 주석 -->",
    "[링크](https://example.org)", "[상대](other.md)", "<https://example.org>", "**굵게", "*기울임*", "_밑줄_", "`코드`", "---", "***", "***굵은 기울임***",
    "\\", "&amp;", "&#0;", "&#x110000;", "\x00", "\ufeff", "\u2060", "\r", "\t", "[^", "]:", "<", ">", "|", "[", "]", "(", ")", "!", ":", "{", "}",
]
TEXT = st.text(alphabet=st.sampled_from(list("ab 가나#*_[]()<>&!-+`\\:|^\n\r\t\"'=/.\x00\ufeff")), max_size=30)
MARKDOWN = st.lists(st.tuples(st.one_of(st.sampled_from(PIECES), TEXT), st.sampled_from(["\n", "\n\n", " ", ""])), max_size=16).map(
    lambda parts: "".join(piece + glue for piece, glue in parts)
)
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True), TEXT, MARKDOWN,
    st.sampled_from(["withdrawn", "active", "https://example.org/x", "img/a.png", "https://example.org/i.png", "../../etc/passwd", "2024-13-45"]),
)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["src", "caption", "link", "srcc", "x"]), inner, max_size=3),
), max_leaves=6)
ENTRY_KEYS = ["title", "url", "venue", "note", "tldr", "figures", "status", "titel", "tl;dr", "1"]
FRONT_MATTER = st.dictionaries(st.sampled_from(ENTRY_KEYS), VALUES, max_size=9)
NASTY = ["---", "\n---\n", ":", ": ", "[", "]", "{", "}", "&a", "*a", "!!int", "!!binary", "? ", "- ", "#", "|", ">", "'", '"', "\t",
         "\n", "\r\n", "\x00", "\ufeff", "2024-13-45", "%YAML 1.1\n", "<<: *a", "가", "\\", "..."]


def mutate(text: str, edits: list[tuple[int, int, str]]) -> str:
    """Apply (position, length to delete, text to insert) edits, positions taken modulo the text's length."""
    for position, length, insert in edits:
        at = position % (len(text) + 1)
        text = text[:at] + insert + text[at + length:]
    return text


# Issue 17's shapes: one piece repeated up to beyond the limits (content/limits.py), so that the
# quadratic and recursive cases are generated too, not only written by hand in tests/test_hostile.py.
REPEATED = [
    "[", "![", "<a ", "<", "`", "``", "```", "<b>", "<div>", "<details>", "> ", "  - ", "  ", "[^1]", "가\u00a0", "가&nbsp;",
    '가<span class="x">', '<td colspan="²">c</td>', '<td colspan="100" rowspan="100">x</td>', "<tr>", "*", "_", "\\[",
]
SHAPES = st.builds(lambda piece, count, glue: glue.join([piece] * count), st.sampled_from(REPEATED), st.integers(1, 4000), st.sampled_from(["", " ", "\n"]))
EDITS = st.lists(st.tuples(st.integers(0, 10**4), st.integers(0, 3), st.one_of(st.sampled_from(NASTY), TEXT)), min_size=1, max_size=6)
EXPORT_EDITS = st.lists(st.tuples(st.integers(0, 10**4), st.integers(0, 3), st.one_of(st.sampled_from(NASTY), TEXT, SHAPES)), min_size=1, max_size=6)
VALID_ENTRY = entry(tldr="요약[^n]", body="본문 ![그림](img/a.png)\n\n# 상세\n\n## 기존 문제\n\n내용[^n]\n\n[^n]: 각주\n", venue="NeurIPS 2023")


def generated_entry() -> st.SearchStrategy[str]:
    """Entry files: random front matter and Markdown, or a valid entry with random edits."""
    dumped = st.builds(lambda data, body: "---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\n" + body, FRONT_MATTER, MARKDOWN)
    plain = st.builds(lambda title, tldr, body: entry(title=title, tldr=tldr, body=body), TEXT, TEXT, MARKDOWN)
    return st.one_of(dumped, plain, EDITS.map(lambda edits: mutate(VALID_ENTRY, edits)))


IMAGE = png(4, 3)


def content_folder(parent: Path, entries: list[str], report: str = MINIMAL_REPORT) -> Path:
    """A fresh content folder under *parent* with *entries* in chapter one, and an image they may use."""
    root = Path(tempfile.mkdtemp(dir=parent)) / "content"
    files: dict[str, str | bytes] = {"report.yaml": report, "one/chapter.md": "---\ntitle: 첫 장\n---\n", "one/img/a.png": IMAGE}
    files.update({f"one/{number:02d}-e{number}.md": text.encode("utf-8", "surrogatepass") for number, text in enumerate(entries)})
    return write_tree(root, files)


_SRC = re.compile(r'<img[^>]*?\ssrc="([^"]*)"')
_ACTIVE = re.compile(r"<(script|iframe|object|embed|link|style|base)\b|\son[a-z]+=|javascript:", re.I)


def check_outcome(content: Path) -> str | None:
    """Load and render *content*; the only acceptable failure is a PublishError, and the HTML must stay inside."""
    try:
        report, fragments = load(content)
    except PublishError as error:
        if isinstance(error, ContentError):
            assert error.problems and all(p.message and p.path for p in error.problems)
            for problem in error.problems:
                problem.format(content)
        return None
    for html in fragments.values():
        assert not _ACTIVE.search(html), html
        for src in _SRC.findall(html):
            parts = urlsplit(src)
            assert parts.scheme in ("http", "https") or (parts.scheme == "file" and is_inside(Path(unquote(parts.path)), content)), src
    return render_document(report, fragments, EDITIONS["report"])


@settings(FAST, max_examples=150)
@given(st.lists(st.builds(lambda before, shape, after: entry(body=before + shape + after), MARKDOWN, SHAPES, MARKDOWN), min_size=1, max_size=2))
def test_repeated_hostile_shapes_give_a_document_or_a_clean_error(tmp_path: Path, entries: list[str]) -> None:
    html = check_outcome(content_folder(tmp_path, entries))
    assert html is None or html.startswith("<!DOCTYPE html>")


@FAST
@given(st.lists(generated_entry(), min_size=1, max_size=3))
def test_any_entries_give_a_document_or_a_clean_error(tmp_path: Path, entries: list[str]) -> None:
    html = check_outcome(content_folder(tmp_path, entries))
    assert html is None or html.startswith("<!DOCTYPE html>")


REPORT_VALUES = st.one_of(VALUES, st.sampled_from(["CC-BY-4.0", "CC-BY-NC-SA-4.0", "cc-by", "2024-01-15", "one", ["one"], ["one", "one"], ["../x"], [None]]))
REPORT_KEYS = ["title", "subtitle", "author", "date", "license", "sponsor", "chapters", "keywords", "slug", "details_title", "language", "licence"]


@settings(FAST, max_examples=400)
@given(st.one_of(
    EDITS.map(lambda edits: mutate(MINIMAL_REPORT, edits)),
    st.dictionaries(st.sampled_from(REPORT_KEYS), REPORT_VALUES, max_size=12).map(lambda data: yaml.safe_dump(data, allow_unicode=True)),
))
def test_any_report_yaml_gives_a_document_or_a_clean_error(tmp_path: Path, report: str) -> None:
    check_outcome(content_folder(tmp_path, [entry()], report))


IMPORT_SOURCES = [path.read_text(encoding="utf-8") for path in sorted((FIXTURES / "import").glob("*.md")) if path.stat().st_size < 8000]


@settings(FAST, max_examples=300)
@given(st.sampled_from(IMPORT_SOURCES), EXPORT_EDITS, st.booleans())
def test_any_export_imports_or_fails_cleanly(tmp_path: Path, source: str, edits: list[tuple[int, int, str]], reload: bool) -> None:
    export = Path(tempfile.mkdtemp(dir=tmp_path)) / "export.md"
    export.write_bytes(mutate(source, edits).encode("utf-8", "surrogatepass"))
    try:
        files, _ = convert(export)
    except PublishError:
        return
    if reload:  # what the importer writes, the loader reads without crashing
        check_outcome(write_tree(export.parent / "content", dict(files)))


# Pieces that make no content error on their own, so that most generated reports reach layout.
LAYOUT_PIECES = [p for p in PIECES if "[^" not in p and "]:" not in p and not re.search(r"\]\((?!img/a|https)", p)]
LAYOUT_MARKDOWN = st.lists(st.tuples(st.sampled_from(LAYOUT_PIECES), st.sampled_from(["\n", "\n\n", " "])), max_size=30).map(
    lambda parts: "".join(piece + glue for piece, glue in parts)
)


@settings(FAST, max_examples=15)
@given(st.lists(st.builds(lambda tldr, body: entry(tldr=json.dumps(tldr or "요약"), body=body), LAYOUT_MARKDOWN, LAYOUT_MARKDOWN), min_size=1, max_size=3))
def test_generated_reports_build_real_pdfs_or_fail_cleanly(tmp_path: Path, entries: list[str]) -> None:
    content = content_folder(tmp_path, entries)
    try:
        result = build_pdf(content, content.parent / "out.pdf")
    except PublishError:
        assert not (content.parent / "out.pdf").exists()
        return
    assert result.output.read_bytes().startswith(b"%PDF-") and result.pages >= 3
