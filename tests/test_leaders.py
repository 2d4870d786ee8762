"""Dot leaders drawn as runs of repeated dots (leaders.py): fewer text objects, every dot where it was."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from conftest import ROOT, pdftotext
from pdfcheck import TOC_LINE, outline
from publish import leaders
from publish import pdf as engine

STYLES, FONTS = ROOT / "styles", ROOT / "fonts"

# Lines of the contents as report.html.j2 writes them: titles of many lengths, so that leaders of
# many lengths start at many places, in the chapter (11 pt bold) and entry (9 pt) fonts.
TITLES = ["짧은 장", "Introduction 및 축약어 안내", "A", "Few-Shot Parameter-Efficient Fine-Tuning is Better",
          "기존 연구들 중 핵심이 되는 연구들", "Scaling Data-Constrained Language Models", "끝."]


def contents_html() -> str:
    """A contents page of two chapters with three entries each, and the pages it points to."""
    items, sections = [], []
    for chapter in range(2):
        entries = "".join(f'<li class="toc-entry"><a href="#e{chapter}{n}">{TITLES[(chapter * 3 + n + 1) % len(TITLES)]}</a></li>'
                          for n in range(3))
        items.append(f'<li class="toc-chapter"><a href="#c{chapter}">{TITLES[chapter * 4]}</a><ol class="toc-entries">{entries}</ol></li>')
        sections.append(f'<section class="chapter" id="c{chapter}"><h1>{chapter}</h1>'
                        + "".join(f'<h2 id="e{chapter}{n}">{n}</h2>' for n in range(3)) + "</section>")
    return ('<!doctype html><html lang="ko"><head><meta charset="utf-8"></head><body>'
            f'<nav class="toc" id="contents"><h2 class="front-heading">목차</h2><ol class="toc-chapters">{"".join(items)}</ol></nav>'
            f'<main class="body-matter">{"".join(sections)}</main></body></html>')


def glyphs(pdf: Path, index: int) -> tuple[dict[tuple[float, float, int], list[float]], int]:
    """Glyph positions of a page (baseline, font size, glyph id → x, in text space: CSS px) and its number of TJ operators.

    Interprets Tm, Td, Tf and TJ with the fonts' /W and /DW widths, as a viewer places glyphs (text
    matrices as WeasyPrint writes them: `1 0 0 -1 x y`).
    """
    reader = PdfReader(pdf)
    page = reader.pages[index]
    widths: dict[str, tuple[dict[int, float], float]] = {}
    for name, font in page["/Resources"]["/Font"].items():
        descendant = font.get_object()["/DescendantFonts"][0].get_object()
        found, array = {}, descendant.get("/W", [])
        i = 0
        while i < len(array):
            if isinstance(array[i + 1], list):
                found.update({array[i] + k: float(w) for k, w in enumerate(array[i + 1])})
                i += 2
            else:
                found.update({g: float(array[i + 2]) for g in range(array[i], array[i + 1] + 1)})
                i += 3
        widths[name] = found, float(descendant.get("/DW", 1000))
    positions: dict[tuple[float, float, int], list[float]] = defaultdict(list)
    x = y = line_x = line_y = size = 0.0
    font: tuple[dict[int, float], float] = ({}, 1000.0)
    shows = 0
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"Tm":
            x, y = line_x, line_y = float(operands[4]), float(operands[5])
        elif operator == b"Td":  # from the start of the line, y flipped by the matrix
            x, y = line_x, line_y = line_x + float(operands[0]), line_y - float(operands[1])
        elif operator == b"Tf":
            font, size = widths[operands[0]], float(operands[1])
        elif operator == b"TJ":
            shows += 1
            for item in operands[0]:
                if isinstance(item, (int, float)):
                    x -= float(item) / 1000 * size
                    continue
                data = item.original_bytes
                for k in range(0, len(data), 2):
                    glyph = int.from_bytes(data[k:k + 2], "big")
                    positions[(round(y, 3), size, glyph)].append(x)
                    x += font[0].get(glyph, font[1]) / 1000 * size
    return {key: sorted(xs) for key, xs in positions.items()}, shows


@pytest.fixture(scope="module")
def contents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The contents page written with leaders as WeasyPrint fills them and as leaders.py merges them."""
    work = tmp_path_factory.mktemp("leaders")
    stylesheets, roots = [STYLES / "fonts.css", STYLES / "report.css"], (work, STYLES, FONTS)
    written = {}
    with pytest.MonkeyPatch.context() as patch:
        for name in ("copies", "runs"):
            if name == "copies":
                patch.setattr(engine, "merge_leaders", lambda pages: 0)
            else:
                patch.undo()
            written[name] = work / f"{name}.pdf"
            written[name].write_bytes(engine.write(engine.layout(contents_html(), work, stylesheets, roots)))
    return written


def test_each_leader_is_a_few_text_objects_not_one_per_dot(contents: dict[str, Path]) -> None:
    _, copies = glyphs(contents["copies"], 0)
    _, runs = glyphs(contents["runs"], 0)
    lines = 8  # two chapters and six entries
    assert copies > 40 * lines  # WeasyPrint: one TJ per dot
    assert runs < 10 * lines, runs  # a few runs per leader, plus the titles and page numbers


def test_every_glyph_stays_where_weasyprint_put_it(contents: dict[str, Path]) -> None:
    before, _ = glyphs(contents["copies"], 0)
    after, _ = glyphs(contents["runs"], 0)
    assert before.keys() == after.keys()
    for key, xs in before.items():
        assert len(after[key]) == len(xs), key  # the same glyphs on each line, as many dots
        # At most MAX_DRIFT ems off, plus the rounding of positions to 6 decimals in Tm.
        assert max(abs(a - b) for a, b in zip(xs, after[key])) <= leaders.MAX_DRIFT * key[1] + 1e-4, key
    moved = [abs(a - b) for key, xs in before.items() for a, b in zip(xs, after[key])]
    assert 0 < max(moved) and sum(moved) / len(moved) < leaders.MAX_DRIFT * 12 / 2


def test_contents_text_is_unchanged_but_for_word_joins(contents: dict[str, Path]) -> None:
    """Titles, dots and numbers read the same; pdftotext may join a title to dots drawn after it."""
    def lines(pdf: Path) -> list[str]:
        return [re.sub(r"\s+", "", line) for line in pdftotext(pdf, "-layout").splitlines() if line.strip()]

    assert lines(contents["runs"]) == lines(contents["copies"])
    assert sum(bool(TOC_LINE.match(line)) for line in pdftotext(contents["runs"], "-layout").splitlines()) == 8


def test_sample_report_contents_page_has_few_text_objects(sample_pdf: Path) -> None:
    # The build's path (split.py lays out the contents as a document of its own) merges too.
    _, shows = glyphs(sample_pdf, 2)
    assert shows < 60, shows
    text = pdftotext(sample_pdf, "-layout", "-f", "3", "-l", "3")
    assert sum(bool(TOC_LINE.match(line)) for line in text.splitlines()) == len(outline(sample_pdf)) == 6


def test_leader_kerned_across_copies_keeps_its_copies(tmp_path: Path) -> None:
    # "VAVA" kerns A against the next copy's V: one run would draw the glyphs closer than the grid.
    kerned = tmp_path / "kerned.css"
    kerned.write_text('.toc a::after { content: leader("VA") " " target-counter(attr(href url), page) }', encoding="utf-8")
    stylesheets = [STYLES / "fonts.css", STYLES / "report.css", kerned]
    laid_out = engine.layout(contents_html(), tmp_path, stylesheets, (tmp_path, STYLES, FONTS))
    pdf = tmp_path / "kerned.pdf"
    pdf.write_bytes(engine.write(laid_out))
    _, shows = glyphs(pdf, 0)
    assert shows > 10 * 8  # one TJ per "VA", as WeasyPrint draws them
    assert leaders.merge_leaders(laid_out.document.pages) == 0  # and asked again, still nothing to merge
