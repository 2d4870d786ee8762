"""Page make-up during layout (engine/fragments.py): split boxes end at their text; early breaks are feathered."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import ROOT

from publish.engine import fragments
from publish.engine import pdf as engine

sys.path.insert(0, str(ROOT / "benchmarks"))
import makeup  # noqa: E402 (benchmarks/ is not a package)

STYLE = """
@page { size: 120mm 110mm; margin: 10mm; }
body { font: 10pt/1.6 "Publish Serif"; text-align: justify; }
@font-face { font-family: "Publish Serif"; src: url(%s); }
h1 { font-size: 14pt; margin: 0 0 4pt; bookmark-level: 1; }
h2 { font-size: 11pt; margin: 0; break-after: avoid; }
p { margin: 0 0 4pt; orphans: 2; widows: 2; }
.chapter { break-before: page; }
.entry { margin-bottom: 6pt; }
.details { background: #f3f6f9; border: 1px solid #9fb3c8; padding: 3mm 4mm 2mm; box-decoration-break: clone; }
"""
LINE = "가나다라 마바사 아자차카 타파하 " * 4


def lay_out(tmp_path: Path, body: str) -> Path:
    """Write *body* with the test style through the engine (which installs the make-up) to a PDF."""
    style = tmp_path / "style.css"
    style.write_text(STYLE % (ROOT / "fonts" / "PublishSerif-Regular.ttf").as_uri(), encoding="utf-8")
    html = f'<html lang="ko"><body>{body}</body></html>'
    laid_out = engine.layout(html, tmp_path, [style], [tmp_path, ROOT / "fonts"])
    pdf = tmp_path / "out.pdf"
    pdf.write_bytes(engine.write(laid_out))
    return pdf


def _bands(pdf: Path) -> list[float]:
    """The empty tinted space at the foot of each box part of *pdf*."""
    import pymupdf

    with pymupdf.open(pdf) as document:
        bands, _ = makeup.bands_and_holes(document, makeup.read_lines(document))
    return [band for _, band in bands]


def test_a_split_box_ends_at_its_last_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A tinted box whose next paragraph cannot keep two lines at the foot: no tinted band below its text."""
    paragraphs = "".join(f"<p>{LINE}</p>" for _ in range(3))
    body = f'<section class="chapter"><h1>장</h1><div class="details">{paragraphs}{paragraphs}</div></section>'
    bands = _bands(lay_out(tmp_path, body))
    assert len(bands) >= 2
    assert max(bands) < 10  # the last paragraph's margin and half-leading, not a stretched part

    from weasyprint.layout import block

    fragments.install()
    monkeypatch.setattr(block, "block_container_layout", block.block_container_layout.__wrapped__)
    monkeypatch.setattr(fragments, "install", lambda: None)
    assert max(_bands(lay_out(tmp_path, body))) > 20  # WeasyPrint alone stretches the part to the foot


def _tops(pdf: Path) -> list[list[float]]:
    """The top of every text line, page by page."""
    import pymupdf

    with pymupdf.open(pdf) as document:
        return [[line.y0 for line in lines] for lines in makeup.read_lines(document)]


def test_a_page_that_breaks_early_is_feathered_and_a_chapter_end_is_not(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry whose head cannot stay alone moves on; the white it leaves widens the gaps above, 9 pt each at most."""
    entries = "".join(f'<article class="entry"><h2>제목 {n}</h2><p>{LINE}</p><p>{LINE}</p></article>' for n in range(5))
    body = f'<section class="chapter"><h1>첫 장</h1>{entries}</section>'
    feathered = _tops(lay_out(tmp_path, body))
    monkeypatch.setattr(fragments, "feather", lambda part, free: None)
    plain = _tops(lay_out(tmp_path, body))
    assert len(feathered) == len(plain) >= 3 and [len(page) for page in feathered] == [len(page) for page in plain]
    shifts = [a - b for a, b in zip(feathered[0], plain[0])]
    steps = [after - before for before, after in zip([0.0, *shifts], shifts)]
    assert shifts[-1] >= fragments.FEATHER_GAP * 0.75 - 0.01  # the page's last line moved towards the foot
    assert all(-0.01 <= step <= fragments.FEATHER_GAP * 0.75 + 0.01 for step in steps)  # gap by gap, bounded
    assert feathered[-1] == plain[-1]  # the chapter's last page keeps its white


@pytest.mark.parametrize("free, gaps, expected", [(5.0, 4, 0.0), (40.0, 4, 40.0), (400.0, 2, 2 * fragments.FEATHER_GAP)])
def test_feathering_is_bounded_per_gap(free: float, gaps: int, expected: float) -> None:
    """Below FEATHER_FROM nothing moves; above, each gap widens by free/gaps, never more than FEATHER_GAP."""
    grown = min(fragments.FEATHER_GAP, free / gaps) * gaps if free >= fragments.FEATHER_FROM else 0.0
    assert grown == pytest.approx(expected)
