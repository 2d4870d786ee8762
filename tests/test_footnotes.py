"""A note called more than once prints once, and every call shows its number."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from conftest import entry, pdftotext
from publish.build import build_pdf
from publish.footnotes import number_repeats


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
