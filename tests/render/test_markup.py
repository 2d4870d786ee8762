"""Markdown rendering: footnotes inlined, figures, placeholders, sanitising, keep-all."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import entry

from publish.content.loader import load_report
from publish.content.model import Markdown
from publish.render.markup import Renderer, render_report, sanitize
from publish.render.typography import WORD_JOINER, keep_all, keep_all_text


def render(tmp_path: Path, text: str) -> tuple[str, list[str]]:
    """Render one fragment located in tmp_path/doc.md."""
    renderer = Renderer(tmp_path)
    fragment = Markdown(text, tmp_path / "doc.md", 10)
    html = renderer.scope([fragment])[fragment]
    return html, [p.format() for p in renderer.problems]


def test_footnote_becomes_inline_span(tmp_path: Path) -> None:
    html, problems = render(tmp_path, "본문입니다[^n].\n\n[^n]: 각주 **내용**.")
    assert problems == []
    assert re.search(r'<span class="footnote note-[0-9a-f]{12}">각주 <strong>내용</strong>.</span>', html)
    assert "footnote-ref" not in html and "<div" not in html


def test_footnote_problems_have_lines(tmp_path: Path) -> None:
    _, problems = render(tmp_path, "첫 줄\n둘째 줄[^x]\n\n[^y]: 안 쓰임")
    assert f"{tmp_path}/doc.md:11: footnote [^x] has no definition (add a line '[^x]: …')" in problems
    assert f"{tmp_path}/doc.md:13: footnote [^y] is defined but never referenced" in problems


def test_entry_footnotes_shared_between_tldr_and_details(project) -> None:
    root = project({"one/01-p.md": entry(tldr="요약[^1]", body="## 기존 문제\n\n본문[^1]\n\n[^1]: 공유 각주\n")})
    report, problems = load_report(root)
    html, render_problems = render_report(report)
    assert problems == render_problems == []
    paper = report.chapters[0].entries[0]
    calls = [re.search(r'<span class="footnote (note-[0-9a-f]{12})">공유 각주</span>', html[fragment])
             for fragment in (paper.tldr, paper.details.parts[0].body)]
    assert all(calls) and calls[0].group(1) == calls[1].group(1)  # one note: number_repeats prints it once


def test_lone_image_becomes_figure_and_remote_a_placeholder(tmp_path: Path) -> None:
    (tmp_path / "img.png").write_bytes(b"\x89PNG")
    html, problems = render(tmp_path, "![로컬 캡션](img.png)\n\n- ![](https://lh7-us.googleusercontent.com/x)\n")
    assert problems == []
    assert '<figure class="figure"><img alt="로컬 캡션" src="file://' in html and "<figcaption>로컬 캡션</figcaption>" in html
    assert 'class="figure placeholder"' in html and 'href="https://lh7-us.googleusercontent.com/x"' in html


def test_missing_and_outside_images_are_reported(tmp_path: Path) -> None:
    _, problems = render(tmp_path, "글\n\n![a](nope.png)\n\n![b](../../etc/passwd)")
    assert f"{tmp_path}/doc.md:12: image 'nope.png' not found" in problems
    assert f"{tmp_path}/doc.md:14: '../../etc/passwd' points outside the content folder" in problems


def test_raw_html_is_sanitised() -> None:
    dirty = '<p onclick="x()">a<script>alert(1)</script><iframe src="http://x"></iframe><a href="javascript:x">b</a></p>'
    clean = sanitize(dirty)
    assert "script" not in clean and "iframe" not in clean and "onclick" not in clean and "javascript" not in clean
    assert "<p>a<a" in clean


def test_keep_all_joins_korean_words_only() -> None:
    assert keep_all_text("발전하고 LLM은 좋다") == "발⁠전⁠하⁠고 LLM⁠은 좋⁠다".replace("⁠", WORD_JOINER)
    html = keep_all('<html><head><title>제목</title></head><body><p><a href="#x">링크</a>는 끝</p></body></html>')
    assert "<title>제목</title>" in html  # metadata untouched
    assert f"링{WORD_JOINER}크</a>{WORD_JOINER}는" in html  # a word spanning an inline tag
    assert 'href="#x"' in html
    assert keep_all_text("모델 -&gt; API <= x") == f"모{WORD_JOINER}델 -{WORD_JOINER}&gt; API <{WORD_JOINER}= x"


def test_a_short_last_word_keeps_the_word_before_it() -> None:
    """A word joiner after the space before a last word of five characters or fewer: no runt, a plain space."""
    j = WORD_JOINER
    html = keep_all("<body><p>모델은 잘 됩니다.</p><li>항목 <em>강조</em> 끝.<ul><li>a b</li></ul></li>"
                    '<p>긴 단어 verylongword</p><p>주석 끝<span class="footnote">노트 내용</span></p></body>')
    assert f"잘 {j}됩{j}니{j}다{j}.</p>" in html
    assert f"</em> {j}끝{j}.<ul>" in html and f"a {j}b</li>" in html
    assert f"어 verylongword</p>" in html  # a long last word may stand alone
    assert f'석 {j}끝<span class="footnote">' in html  # a footnote's text is not counted: it floats away


def test_a_list_item_that_introduces_a_figure_pages_with_it(tmp_path: Path) -> None:
    html, problems = render(tmp_path, "- **Highlight Figure**\n\n    ![](https://lh7-us.googleusercontent.com/x)\n\n- 다른 항목\n")
    assert problems == []
    assert re.search(r'<li class="figure-item">\s*<p><strong>Highlight Figure</strong></p>\s*<figure', html)
    assert html.count("figure-item") == 1
