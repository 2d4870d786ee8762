"""End-to-end: build the sample fixture report and assert on the real PDF."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import SAMPLE, normalise, pages_text, pdftotext
from pdfcheck import (
    broken_words,
    fonts,
    outline,
    toc_numbers,
    uri_links,
    words_beyond_margin,
)
from pypdf import PdfReader

MARGIN_PT = 22 / 25.4 * 72


def source_words() -> set[str]:
    """Whitespace-separated words of the fixture's Markdown and YAML, markup stripped."""
    words: set[str] = set()
    for path in SAMPLE.rglob("*"):
        if path.suffix in (".md", ".yaml"):
            text = re.sub(r"[*_`\[\]()]|\[\^\w+\]", " ", path.read_text(encoding="utf-8"))
            words.update(text.split())
    return words


def test_pages_and_text(sample_pdf: Path) -> None:
    pages = pages_text(sample_pdf)
    assert len(pages) == len(PdfReader(sample_pdf).pages) >= 5
    assert "표본 보고서 Sample Report" in pages[0] and "후원: 株式会社 IBS" in pages[0]
    everything = " ".join(pages)
    assert "레이어 중반부의 MLP 모듈은 정보를 인식하여 축적합니다" in everything
    assert "기존의 LLM 모델은 블랙박스처럼 여겨지며" in everything
    assert "\u2060" not in everything and "\ufffd" not in everything


def test_license_page_from_report_yaml(sample_pdf: Path) -> None:
    license_page = pages_text(sample_pdf)[1]
    assert "Reports about Testing © 2024 by 홍길동 is licensed under CC BY-NC-SA 4.0" in license_page
    assert "Creative Commons Attribution-NonCommercial-ShareAlike 4.0 International" in license_page
    assert "https://creativecommons.org/licenses/by-nc-sa/4.0/" in license_page
    assert "비영리 — 영리 목적으로 이용할 수 없습니다." in license_page
    assert "본 보고서는 상술한 라이선스를 따르는 조건 하 복제 및 변경이 가능합니다." in license_page
    assert "본 보고서는 株式会社 IBS (일본 소재) 지원 하 작성되었습니다." in license_page


def test_toc_numbers_match_heading_pages(sample_pdf: Path) -> None:
    labels = PdfReader(sample_pdf).page_labels
    numbers = toc_numbers(sample_pdf, [2])
    marks = outline(sample_pdf)
    assert len(numbers) == len(marks) == 6
    for _depth, title, index in marks:
        assert numbers[title] == labels[index], title
        assert normalise(title) in pages_text(sample_pdf)[index]


def test_bookmarks_chapter_then_entries(sample_pdf: Path) -> None:
    assert [(d, t) for d, t, _ in outline(sample_pdf)] == [
        (0, "들어가며"),
        (0, "1. 방법론 연구들"),
        (1, "Alpha: Locating Knowledge in Language Models"),
        (1, "Beta Paper"),
        (0, "2. 기타"),
        (1, "Delta"),
    ]


def test_withdrawn_entry_left_out(sample_pdf: Path) -> None:
    assert "Gamma Withdrawn" not in pdftotext(sample_pdf)


def test_each_link_area_has_one_annotation(sample_pdf: Path) -> None:
    """WeasyPrint links every inline box inside an <a>; boxes within a same-target link are dropped."""
    from pypdf import PdfReader

    contents_links = 0
    for number, page in enumerate(PdfReader(sample_pdf).pages):
        links = []
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            target = str(annotation.get("/Dest") or annotation["/A"]["/URI"])
            x1, y1, x2, y2 = map(float, annotation["/Rect"])
            links.append((target, (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))))
        for index, (target, (left, bottom, right, top)) in enumerate(links):
            assert not any(other == target and a <= left + 0.01 and b <= bottom + 0.01 and c >= right - 0.01 and d >= top - 0.01
                           for other_index, (other, (a, b, c, d)) in enumerate(links) if other_index != index)
        if number == 2:  # the contents: one link per line
            contents_links = len(links)
    assert contents_links == len(re.findall(r"\d+\s*$", pdftotext(sample_pdf, "-f", "3", "-l", "3"), re.M))


def test_links_and_remote_image_placeholder(sample_pdf: Path) -> None:
    links = uri_links(sample_pdf)
    assert {"https://example.org/alpha", "https://example.org/beta", "https://example.org/delta",
            "https://example.org/ref", "https://creativecommons.org/licenses/by-nc-sa/4.0/"} <= links
    assert "https://lh7-us.googleusercontent.com/abcdef" in links
    text = normalise(pdftotext(sample_pdf))
    assert "원본 보기 — lh7-us.googleusercontent.com" in text and "원격 그림 캡션" in text


def test_local_images_are_drawn(sample_pdf: Path) -> None:
    out = subprocess.run(["pdfimages", "-list", str(sample_pdf)], capture_output=True, text=True, check=True).stdout
    assert len(out.splitlines()[2:]) == 2  # the front-matter figure and the Markdown one


def test_metadata_from_content(sample_pdf: Path) -> None:
    reader = PdfReader(sample_pdf)
    meta = reader.metadata
    assert meta.title == "표본 보고서 Sample Report"
    assert meta.author == "홍길동"
    assert meta.subject == "시험용 작은 보고서"
    assert meta["/Keywords"] == "테스트, PDF"
    assert meta["/CreationDate"].startswith("D:20240305")
    assert reader.trailer["/Root"]["/Lang"] == "ko"


def test_page_labels_and_numbers(sample_pdf: Path) -> None:
    labels = PdfReader(sample_pdf).page_labels
    assert labels[:4] == ["i", "ii", "iii", "1"]
    pages = pages_text(sample_pdf)
    assert pages[1].endswith("ii") and pages[3].endswith("1")


def test_footnotes_on_the_page_of_their_call(sample_pdf: Path) -> None:
    for page in pages_text(sample_pdf):
        if "축적합니다" in page:
            assert "알파 논문의 각주입니다." in page
            break
    else:
        pytest.fail("footnote call not found")
    intro = next(p for p in pages_text(sample_pdf) if "각주가 있는 문장입니다" in p)
    assert "서문의 각주 내용입니다." in intro


def test_no_korean_word_broken_across_lines(sample_pdf: Path) -> None:
    assert broken_words(sample_pdf, source_words()) == []


def test_long_url_wraps_inside_the_margin(sample_pdf: Path) -> None:
    assert words_beyond_margin(sample_pdf, MARGIN_PT) == []
    assert "overflowing" in pdftotext(sample_pdf)


def test_fonts_embedded_subsets(sample_pdf: Path) -> None:
    rows = fonts(sample_pdf)
    assert rows and all(r["emb"] == "yes" and r["sub"] == "yes" and r["uni"] == "yes" for r in rows)


def test_qpdf_check_passes(sample_pdf: Path) -> None:
    result = subprocess.run(["qpdf", "--check", str(sample_pdf)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr
