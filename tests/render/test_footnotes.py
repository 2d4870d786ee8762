"""A note called more than once prints once, and every call shows its number."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import entry, pdftotext
from pypdf import PdfReader

from publish.build import build_pdf
from publish.render.footnotes import number_repeats


def test_later_calls_become_links_with_the_first_calls_number():
    """Numbers count every footnote in document order, as the stylesheet's counter does."""
    html = ('<p>a<span class="footnote note-aaaaaaaaaaaa">A</span> b<span class="footnote">B</span>'
            ' c<span class="footnote note-aaaaaaaaaaaa">A <span>again</span></span> d'
            '<span class="footnote note-cccccccccccc">C</span></p>')
    assert number_repeats(html) == (
        '<p>a<span class="footnote note-aaaaaaaaaaaa" id="note-aaaaaaaaaaaa">A</span> b<span class="footnote">B</span>'
        ' c<a class="footnote-again" href="#note-aaaaaaaaaaaa">1</a> d'
        '<span class="footnote note-cccccccccccc" id="note-cccccccccccc">C</span></p>')


def test_a_note_in_the_tldr_and_the_details_prints_once(project, tmp_path: Path):
    """The export repeats the tl;dr in the details: its note is one footnote, called twice."""
    body = "## 기존 문제\n\n본문에서 다시 부릅니다[^1].\n\n## 활용방안\n\n다른 각주[^2].\n\n[^1]: 한 번만 나오는 각주.\n\n[^2]: 두 번째 각주.\n"
    content = project({"one/01-p.md": entry(tldr="요약에서 부릅니다[^1].", body=body)})
    output = build_pdf(content, tmp_path / "out.pdf").output
    text = pdftotext(output)
    assert text.count("한 번만 나오는 각주.") == 1
    assert "1. 한 번만 나오는 각주." in text and "2. 두 번째 각주." in text  # the second note stays number 2
    assert "부릅니다1." in text.replace(" ", "")  # both calls show 1
    assert text.replace(" ", "").count("부릅니다1.") == 2
    links = [annotation.get_object() for page in PdfReader(output).pages for annotation in page.get("/Annots", [])]
    to_note = [link for link in links if str(link.get("/Dest", "")).startswith("note-")]
    assert len(to_note) == 1  # the second call links to the footnote
    left, bottom, right, top = map(float, to_note[0]["/Rect"])
    assert right - left > 2 and abs(top - bottom) > 4  # big enough to click


def test_a_call_in_a_justified_line_sits_right_after_its_word(project, tmp_path: Path):
    """A justified line measures and draws its spaces alike, so no gap opens before a call.

    The body stack starts with Publish Latin: a justified space is drawn from it, one measured
    inside Korean text came from Publish Serif, whose space was 0.05 em wider (fonts/prepare.py).
    """
    sentence = "복잡한 추론 문제는 평소에 통계적으로 같이 발생하지 않은 단어들을 연결해야 하므로 어렵습니다. "
    body = f"## 기존 문제\n\n{sentence * 2}또한 모델은 중간 단계의 추론 과정을 잘 추적하므로[^1], {sentence * 3}\n\n[^1]: 각주.\n"
    output = build_pdf(project({"one/01-p.md": entry(body=body)}), tmp_path / "out.pdf").output
    boxes = re.findall(r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<', pdftotext(output, "-bbox"))
    index = next(i for i, (_, _, word) in enumerate(boxes) if word.startswith("추적하므로"))
    word_end = float(boxes[index][1])
    call_start = float(boxes[index + 1][0]) if boxes[index][2] == "추적하므로" else word_end
    assert call_start - word_end < 0.3  # points; the gap was a third of a space, 0.9 pt
