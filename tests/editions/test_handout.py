"""The printed handout edition and its A5 booklet.

Every test builds real PDFs and reads them back with poppler, pypdf and a QR decoder.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import copy_sample, entry, normalise, pages_text, pdftotext, write_tree
from pdfcheck import decoded_qr_codes, structure_texts, validation_failures
from PIL import Image, ImageChops
from pypdf import PdfReader

from publish import build_pdf
from publish.cli import main
from publish.editions.booklet import impose, sheet_order

A4 = (595.276, 841.89)
SAMPLE_URLS = {"https://example.org/alpha", "https://example.org/beta", "https://example.org/delta"}

# tl;dr lengths (characters) of the real report's 29 entries, plus one: the generated report reads
# like the real one, whose content arrives separately.
TLDR_LENGTHS = [13, 95, 133, 160, 219, 223, 235, 236, 251, 288, 297, 308, 314, 323, 328, 340, 348, 351,
                362, 369, 404, 431, 436, 443, 451, 543, 593, 661, 884, 300]
TLDR_WORDS = ("레이어 중반부의 MLP 모듈은 subject에 대한 정보를 인식하여, 레이어를 거쳐갈 때마다 정보를 축적합니다. "
              "LLM은 ICL을 위한 example을 어떻게 배치하는지, prompt format이 어떻게 변하는지에 따라 성능 편차가 크게 "
              "변합니다. 이를 보정하게 되면 적은 shot으로도 높은 성능을 달성할 수 있습니다. ").split()
URLS = ("https://arxiv.org/abs/23{:02d}.{:05d}",
        "https://proceedings.neurips.cc/paper_files/paper/2023/hash/{:02d}f1d43d5a82a37e89b0665b33b{:05d}-Abstract-Conference.html",
        "https://openreview.net/forum?id=Xk{:02d}q{:05d}")


def tldr_of(length: int) -> str:
    """Korean-and-English tl;dr text of about *length* characters."""
    words: list[str] = []
    while len(" ".join(words)) < length:
        words.append(TLDR_WORDS[len(words) % len(TLDR_WORDS)])
    return " ".join(words)


def thirty_entry_report(root: Path) -> Path:
    """A content folder shaped like the real report: an intro and 6 chapters, 30 entries with details."""
    files: dict[str, str | bytes] = {
        "report.yaml": """\
            title: NeurIPS 2023 Oral & Spotlight, in LLM
            subtitle: 2023년 NeurIPS LLM 논문 정리
            series: Reports about Recent Advances in DL
            author:
              name: Seunghyun Ji
            date: 2024-01-15
            keywords: [NeurIPS 2023, LLM]
            license:
              id: CC-BY-NC-SA-4.0
              statement: 본 보고서는 상술한 라이선스를 따르는 조건 하 복제 및 변경/변조가 가능합니다.
            sponsor:
              name: 株式会社 IBS
              acknowledgement: 본 보고서는 株式会社 IBS (일본 소재) 지원 하 작성되었습니다.
            slug: neurips2023-llm-report
            chapters: [intro, c1, c2, c3, c4, c5, c6]
            """,
        "intro/chapter.md": "---\ntitle: Introduction 및 축약어 안내\nnumbered: false\n---\n올해의 경우 12000여편의 제출본 중 67편이 Oral paper로 선정되었습니다.\n",
    }
    for number in range(30):
        chapter = f"c{number // 5 + 1}"
        files[f"{chapter}/chapter.md"] = f"---\ntitle: 챕터 {chapter} 연구들\n---\n"
        url = URLS[number % 3].format(number, 10000 + number * 37)
        files[f"{chapter}/{number:02d}-paper-{number}.md"] = (
            f"---\ntitle: \"Paper {number}: Scaling Laws and In-Context Learning in Large Language Models\"\n"
            f"url: {url}\nvenue: NeurIPS 2023 Oral\ntldr: {tldr_of(TLDR_LENGTHS[number])}\n---\n"
            "# 상세 및 개인 의견\n\n## 기존 문제\n\nDETAILS-ONLY 상세 내용은 요약본에 나오지 않습니다.\n"
        )
    return write_tree(root, files)


@pytest.fixture(scope="session")
def handout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample report's handout."""
    work = tmp_path_factory.mktemp("handout")
    return build_pdf(copy_sample(work), work / "handout.pdf", edition="handout").output


@pytest.fixture(scope="session")
def thirty(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated 30-entry report's content folder."""
    return thirty_entry_report(tmp_path_factory.mktemp("thirty") / "content")


@pytest.fixture(scope="session")
def thirty_handout(thirty: Path) -> Path:
    """The 30-entry report's A4 handout."""
    return build_pdf(thirty, thirty.parent / "handout.pdf", edition="handout").output


def folio(pdf: Path, index: int) -> str:
    """The page number printed at the foot of page *index* (the last line of its layout text)."""
    text = pdftotext(pdf, "-layout", "-f", str(index + 1), "-l", str(index + 1))
    return [line.strip() for line in text.splitlines() if line.strip()][-1]


def side_words(pdf: Path) -> list[tuple[list[str], list[str]]]:
    """Words on the left and right half of each page, from pdftotext -bbox."""
    html = pdftotext(pdf, "-bbox")
    sides = []
    for page in re.finditer(r'<page width="([\d.]+)"[^>]*>(.*?)</page>', html, re.S):
        middle = float(page.group(1)) / 2
        left: list[str] = []
        right: list[str] = []
        for word in re.finditer(r'<word xMin="([\d.]+)"[^>]*>([^<]*)</word>', page.group(2)):
            (left if float(word.group(1)) < middle else right).append(word.group(2))
        sides.append((left, right))
    return sides


# Handout --------------------------------------------------------------------------------------

def test_handout_cover_names_the_sponsor_and_front_matter_is_roman(handout: Path) -> None:
    pages = pages_text(handout)
    assert "株式会社 IBS 귀중" in pages[0] and "Prepared for 株式会社 IBS" in pages[0]
    assert "표본 보고서 Sample Report" in pages[0]
    assert "목차" in pages[1] and "is licensed under CC BY-NC-SA 4.0" in pages[1]
    assert PdfReader(handout).page_labels == ["i", "ii", "1"]
    assert [folio(handout, index) for index in (1, 2)] == ["ii", "1"]


def test_handout_has_title_venue_tldr_and_url_but_no_details(handout: Path) -> None:
    text = normalise(pdftotext(handout))
    for expected in ("Alpha: Locating Knowledge in Language Models", "NeurIPS 2022", "베타 논문의 요약입니다.",
                     "ICML 2021 (aka B2)", "example.org/delta", "델타 요약."):
        assert expected in text, expected
    for left_out in ("블랙박스처럼", "상세 및 개인 의견", "본문 문단입니다", "로컬 그림 캡션", "Gamma Withdrawn", "서문의 각주"):
        assert left_out not in text, left_out
    assert subprocess.run(["pdfimages", "-list", str(handout)], check=True, capture_output=True, text=True).stdout.count("\n") == 2


def test_handout_qr_codes_decode_to_the_entry_urls(handout: Path) -> None:
    assert sorted(decoded_qr_codes(handout)) == sorted(SAMPLE_URLS)


def test_handout_is_black_and_grey_only(handout: Path) -> None:
    """Print-friendly: no pixel of any page has colour (grey fills, black text, black links)."""
    work = handout.parent / "colour"
    work.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(handout), str(work / "p")], check=True)
    for png in work.glob("*.png"):
        red, green, blue = Image.open(png).convert("RGB").split()
        spread = max(ImageChops.difference(a, b).getextrema()[1] for a, b in ((red, green), (green, blue), (red, blue)))
        assert spread <= 12, f"{png.name} has coloured pixels (channel spread {spread})"


def test_handout_without_sponsor_or_venue(project, tmp_path: Path) -> None:
    content = project({"one/01-p.md": entry(title="Only Paper", note="aka OP")})
    out = build_pdf(content, tmp_path / "h.pdf", edition="handout").output
    pages = pages_text(out)
    assert "Prepared for" not in pages[0] and "귀중" not in pages[0]
    assert "Only Paper (aka OP) · example.org/paper 요약입니다." in pages[2]
    assert PdfReader(out).page_labels == ["i", "ii", "1"]


def test_thirty_entries_fit_eight_a4_pages(thirty_handout: Path) -> None:
    reader = PdfReader(thirty_handout)
    assert len(reader.pages) <= 8
    assert all(abs(float(p.mediabox.width) - A4[0]) < 1 for p in reader.pages)
    labels = reader.page_labels
    assert labels[:3] == ["i", "ii", "1"] and labels[-1] == str(len(labels) - 2)
    text = pdftotext(thirty_handout)
    assert "DETAILS-ONLY" not in text and text.count("NeurIPS 2023 Oral ·") == 30


def test_thirty_qr_codes_decode_including_long_urls(thirty: Path, thirty_handout: Path) -> None:
    urls = sorted(re.search(r"^url: (.+)$", p.read_text(), re.M).group(1) for p in thirty.rglob("[0-9]*.md"))
    assert len(urls) == 30 and any(len(u) > 100 for u in urls)
    assert sorted(decoded_qr_codes(thirty_handout)) == urls


# Booklet --------------------------------------------------------------------------------------

@pytest.mark.parametrize("count", range(1, 14))
def test_sheet_order_uses_every_page_once_and_pairs_for_folding(count: int) -> None:
    sides = sheet_order(count)
    total = len(sides) * 2
    assert total % 4 == 0 and total - 4 < count <= total
    placed = [page for side in sides for page in side if page is not None]
    assert sorted(placed) == list(range(count))
    # The two halves of a sheet side are pages n and total-1-n (blanks counted as pages).
    for left, right in sides:
        if left is not None and right is not None:
            assert left + right == total - 1


def test_impose_puts_stamped_pages_in_saddle_stitch_order(tmp_path: Path) -> None:
    from weasyprint import HTML

    stamps = "".join(f'<p style="break-after: page; font-size: 40pt">PAGE{n}</p>' for n in range(1, 8))
    pdf = HTML(string=f"<style>@page {{ size: A5 }}</style>{stamps}").write_pdf()
    out = tmp_path / "booklet.pdf"
    out.write_bytes(impose(pdf, b"0" * 32))
    reader = PdfReader(out)
    assert [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages] == [(842, 595)] * 4
    # 7 pages + 1 blank; sheet 1 front, sheet 1 back, sheet 2 front, sheet 2 back.
    assert side_words(out) == [([], ["PAGE1"]), (["PAGE2"], ["PAGE7"]), (["PAGE6"], ["PAGE3"]), (["PAGE4"], ["PAGE5"])]
    assert reader.page_labels == ["– | 1", "2 | 7", "6 | 3", "4 | 5"]


@pytest.mark.parametrize("count", [1, 7])
def test_impose_keeps_a_tagged_document_tagged_in_reading_order(tmp_path: Path, count: int) -> None:
    from weasyprint import HTML

    stamps = "".join(f'<p style="break-after: page; font-size: 40pt"><a href="https://example.org/{n}">PAGE{n}</a> '
                     f"word{n}</p>" for n in range(1, count + 1))
    html = f'<html lang="en"><title>Stamps</title><style>@page {{ size: A5 }}</style>{stamps}</html>'
    source, out = tmp_path / "pages.pdf", tmp_path / "booklet.pdf"
    source.write_bytes(HTML(string=html).write_pdf(pdf_variant="pdf/ua-1"))
    out.write_bytes(impose(source.read_bytes(), b"0" * 32))
    assert validation_failures(out, "PDF_UA_1") == []
    # 7 pages: sheets print 1, 2 7, 6 3, 4 5; the structure still reads 1 … 7, MCIDs renumbered per sheet.
    texts = structure_texts(out, 100)
    assert [text for _, text in texts] == [text for n in range(1, count + 1) for text in (f"PAGE{n}", f"word{n}")]
    assert texts == structure_texts(source, 100)  # element for element, as before imposition
    reader = PdfReader(out)
    for page, (left, right) in zip(reader.pages, side_words(out), strict=True):
        for annotation in page.get("/Annots", []):
            link = annotation.get_object()
            x1, _, x2, _ = (float(v) for v in link["/Rect"])
            number = str(link["/A"]["/URI"]).rsplit("/", 1)[1]
            words = left if x2 <= float(page.mediabox.width) / 2 else right
            assert f"PAGE{number}" in words and x1 < x2  # the link moved with its page


def test_booklet_build_is_a5_pages_on_a4_landscape(tmp_path: Path) -> None:
    out = tmp_path / "booklet.pdf"
    result = CliRunner().invoke(main, ["pdf", "-c", str(copy_sample(tmp_path)), "-o", str(out), "--edition", "handout", "--booklet"])
    assert result.exit_code == 0, result.output
    assert f"{out} (2 pages, " in result.stdout
    reader = PdfReader(out)
    assert all(round(float(p.mediabox.width)) == 842 and round(float(p.mediabox.height)) == 595 for p in reader.pages)
    # The A5 handout has 3 pages (cover i, contents ii, body 1): one sheet, the back cover blank.
    assert reader.page_labels == ["– | i", "ii | 1"]
    (front_left, front_right), (back_left, back_right) = side_words(out)
    assert front_left == [] and "IBS" in " ".join(front_right)
    assert "목차" in back_left and back_left[-1] == "ii" and back_right[-1] == "1"
    assert reader.trailer["/Root"]["/ViewerPreferences"]["/Duplex"] == "/DuplexFlipShortEdge"
    assert sorted(decoded_qr_codes(out)) == sorted(SAMPLE_URLS)
