"""End-to-end: the committed report (content/) builds into the full PDF, and its text all arrives."""

from __future__ import annotations

import html as htmllib
import re
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, normalise, pages_text, pdftotext
from pdfcheck import (
    body_text,
    broken_words,
    fonts,
    outline,
    toc_numbers,
    uri_links,
    words_beyond_margin,
)
from pypdf import PdfReader

from publish import build_pdf
from publish.author.glyphs import uncovered_characters
from publish.content.loader import load_report
from publish.render.markup import render_report

CONTENT = ROOT / "content"
_BLOCK = re.compile(r"<(p|li)>(.*?)</\1>", re.S)


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real report, built once for this module."""
    return build_pdf(CONTENT, tmp_path_factory.mktemp("report") / "report.pdf").output


@pytest.fixture(scope="module")
def model():
    """The committed content as the pipeline reads it."""
    report, problems = load_report(CONTENT)
    assert problems == []
    return report


def test_toc_has_seven_chapters_and_29_entries_with_right_numbers(report_pdf: Path, model) -> None:
    marks = outline(report_pdf)
    chapters = [t for d, t, _ in marks if d == 0]
    assert chapters[0] == "Introduction 및 축약어 안내" and len(chapters) == 7
    assert [t for t in chapters[1:]] == [f"{c.number}. {c.title}" for c in model.chapters[1:]]
    assert sum(1 for d, _, _ in marks if d == 1) == 29
    labels = PdfReader(report_pdf).page_labels
    toc_pages = [i for i, text in enumerate(pages_text(report_pdf)) if text.startswith("목차")]
    numbers = toc_numbers(report_pdf, toc_pages)
    for _depth, title, index in marks:
        assert numbers[normalise(title).rstrip(".")] == labels[index], title


def test_withdrawn_entry_is_left_out(report_pdf: Path, model) -> None:
    withdrawn = [e for e in model.entries if e.withdrawn]
    assert [e.title for e in withdrawn] == ["Unpaired Multi-Domain Causal Representation Learning"]
    assert withdrawn[0].title not in pdftotext(report_pdf)


def test_every_entry_link_is_clickable(report_pdf: Path, model) -> None:
    links = uri_links(report_pdf)
    assert {e.url for e in model.entries if not e.withdrawn} <= links


def test_all_text_of_active_entries_reaches_the_pdf(report_pdf: Path, model) -> None:
    """Every paragraph and list item (footnote-free, not a figure) is found verbatim in the PDF text."""
    fragments, problems = render_report(model)
    assert problems == []
    # Compared without spaces and hyphens: pdftotext joins "Length-⏎normalization", and WeasyPrint's
    # justification puts a sliver of space after an inline box ("sequence</strong>의").
    pdf_text = re.sub(r"[\s-]", "", body_text(report_pdf).replace("•", "").replace("◦", ""))
    active = {f for e in model.entries if not e.withdrawn
              for f in (e.tldr, e.body, *(p.body for p in (e.details.parts if e.details else ())))}
    active |= {c.prose for c in model.chapters}
    checked = 0
    for fragment, html in fragments.items():
        if fragment not in active:
            continue
        for _tag, inner in _BLOCK.findall(html):
            if "footnote" in inner or "<figure" in inner or "<p>" in inner or "<ul>" in inner:
                continue
            text = re.sub(r"[\s-]", "", htmllib.unescape(re.sub(r"<[^>]+>", "", inner)))
            if text:
                assert text in pdf_text, text[:80]
                checked += 1
    assert checked > 120  # sanity: the committed report has ~140 such blocks


def test_no_korean_word_broken_and_nothing_beyond_the_margin(report_pdf: Path) -> None:
    text = " ".join(re.sub(r"[*_`\[\]()]|\[\^\w+\]", " ", path.read_text(encoding="utf-8")) for path in CONTENT.rglob("*.md"))
    assert broken_words(report_pdf, set(text.split()), re.sub(r"\s+", " ", text)) == []
    assert words_beyond_margin(report_pdf, 22 / 25.4 * 72) == []


def test_every_pdf_reader_reads_the_same_korean_words(report_pdf: Path) -> None:
    """Syllable spacing on loose lines (engine/justify.py) splits no word in any reader.

    MuPDF splits none even at twice the spacing; Poppler and pypdf would add hundreds of words.
    """
    import pymupdf
    import pypdfium2

    document = pypdfium2.PdfDocument(report_pdf)
    texts = {
        "pdftotext": pdftotext(report_pdf),
        "pypdf": "\n".join(page.extract_text() for page in PdfReader(report_pdf).pages),
        "pymupdf": "\n".join(page.get_text() for page in pymupdf.open(report_pdf)),
        "pdfium": "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document))),
    }
    counts = {reader: sum(bool(re.search("[\uac00-\ud7a3]", token)) for token in text.replace("\u2060", "").split())
              for reader, text in texts.items()}
    assert counts["pymupdf"] > 5000 and len(set(counts.values())) == 1, counts


def test_every_character_has_a_vendored_glyph(report_pdf: Path) -> None:
    text = "".join(p.read_text(encoding="utf-8") for p in CONTENT.rglob("*") if p.suffix in (".md", ".yaml"))
    assert uncovered_characters(text, ROOT / "fonts") == {}
    rows = fonts(report_pdf)
    assert rows and all(r["name"].split("+")[1].startswith("Publish-") and r["emb"] == r["sub"] == "yes" for r in rows)
    assert "株式会社 IBS" in pdftotext(report_pdf)


def test_headings_never_stranded_at_a_page_foot(report_pdf: Path, model) -> None:
    """Each entry title (or its last line), tl;dr and details label has body text close below it.

    Chapter titles are left out: a chapter always starts a page. Footnotes at the page foot
    ("1. …" in small type) do not count as the text that follows.
    """
    titles = {normalise(e.title) for e in model.entries}
    labels = titles | {p.label for e in model.entries if e.details for p in e.details.parts} | {"tl;dr", "상세 및 개인 의견"}
    bbox = subprocess.run(["pdftotext", "-bbox", str(report_pdf), "-"], capture_output=True, text=True, check=True).stdout
    stranded = []
    for page in re.findall(r"<page [^>]*>(.*?)</page>", bbox, re.S):
        lines: dict[float, list[str]] = {}
        heights: dict[float, float] = {}
        for top, bottom, word in re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', page):
            y = round(float(top))
            lines.setdefault(y, []).append(htmllib.unescape(word))
            heights[y] = max(heights.get(y, 0.0), float(bottom) - float(top))
        ys = [y for y in sorted(lines) if not (re.fullmatch(r"\d+\.", lines[y][0]) and heights[y] < 10)]
        for index, y in enumerate(ys):
            text = " ".join(lines[y])
            if text in labels or any(title.endswith(" " + text) for title in titles if len(text) > 3):
                following = ys[index + 1] if index + 1 < len(ys) else None
                if following is None or following - y > 40:
                    stranded.append(text)
    assert stranded == []


def test_the_report_stays_within_its_size_budget(report_pdf: Path) -> None:
    """At most 250 KB for the committed report (no images), the budget of docs/benchmark.md.

    200 KB untagged; tagging (PDF/UA-1) adds its structure tree and marked content (README, Speed).
    The syllable spacing of loose lines (engine/justify.py) adds 2.6 KB: 245,066 bytes when written.
    """
    assert report_pdf.stat().st_size <= 250_000
    assert subprocess.run(["qpdf", "--check", str(report_pdf)], capture_output=True).returncode == 0
