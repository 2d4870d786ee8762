"""Inter-character justification (engine/justify.py): a loose line spaces its syllables, words stay whole."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pymupdf
import pypdfium2
import pytest
from conftest import ROOT
from pypdf import PdfReader

from publish.engine import justify
from publish.engine import pdf as engine

sys.path.insert(0, str(ROOT / "benchmarks"))
import makeup  # noqa: E402 (benchmarks/ is not a package)

STYLE = """
@page { size: 120mm 200mm; margin: 10mm; }
body { margin: 0; font: 10pt/1.6 "Publish Serif"; text-align: justify; }
@font-face { font-family: "Publish Serif"; src: url(%s); }
p { margin: 0 0 8pt; }
"""
HANGUL = re.compile(r"[\uac00-\ud7a3]")
SHORT = ["가나다라", "마바사아", "자차카타", "파하가나", "다라마바", "사아자차", "카타"]  # 19 syllable pairs
LONG = "타파하가나다라마바사아자차카타파하가나다"  # 20 syllables: never fits the rest of the first line


def joined(word: str) -> str:
    """*word* with word joiners between its syllables, as render/typography.py writes Korean."""
    return "\u2060".join(word)


def lay_out(tmp_path: Path, paragraphs: list[str]) -> Path:
    """Lay out justified *paragraphs* through the engine (which installs justify) into a PDF."""
    style = tmp_path / "style.css"
    style.write_text(STYLE % (ROOT / "fonts" / "PublishSerif-Regular.ttf").as_uri(), encoding="utf-8")
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    laid_out = engine.layout(f'<html lang="ko"><body>{body}</body></html>', tmp_path, [style], [tmp_path, ROOT / "fonts"])
    pdf = tmp_path / "out.pdf"
    pdf.write_bytes(engine.write(laid_out))
    return pdf


def first_line(pdf: Path) -> makeup.Line:
    """The first text line of *pdf*, as MuPDF reads it."""
    with pymupdf.open(pdf) as document:
        return makeup.read_lines(document)[0][0]


def test_pairs_are_neighbouring_syllables_only() -> None:
    assert justify.spaced(joined("가나다") + ", " + joined("라마") + "." + "ab") == [0, 2, 7]
    assert justify.spaced("LLM은 " + joined("모델") + "(" + joined("상단") + ")") == [5, 9]
    assert justify.spaced("plain Latin words") == []


@pytest.fixture(scope="module")
def loose(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A paragraph whose first line ends before a long word that may not break."""
    text = " ".join(joined(word) for word in [*SHORT, LONG, "끝입니다."])
    return lay_out(tmp_path_factory.mktemp("justify"), [text])


def words(line: makeup.Line) -> list[list[tuple[str, float, float]]]:
    """The glyphs of each word of *line*."""
    found: list[list[tuple[str, float, float]]] = [[]]
    for char in line.chars:
        if char[0].isspace():
            found.append([])
        else:
            found[-1].append(char)
    return [word for word in found if word]


def test_a_loose_line_spaces_its_syllables_evenly_and_its_words_no_wider_than_half_an_em(loose: Path) -> None:
    line = first_line(loose)
    assert line.text.split() == SHORT  # the long word went to the next line
    assert 0.4 < makeup.widest_gap(line) <= 0.5  # WeasyPrint alone: 0.61 em
    # Every syllable pair of the line is spaced the same, by less than 0.1 em (text extraction).
    spacing = [after[1] - before[2] for word in words(line) for before, after in zip(word, word[1:])]
    assert len(spacing) == 19
    assert max(spacing) - min(spacing) < 0.02 and 0.2 < min(spacing) and max(spacing) < 0.1 * line.size


def test_every_pdf_reader_reads_the_spaced_words_whole(loose: Path) -> None:
    words = {*SHORT, LONG, "끝입니다."}
    texts = {
        "pdftotext": subprocess.run(["pdftotext", str(loose), "-"], capture_output=True, text=True, check=True).stdout,
        "pypdf": "".join(page.extract_text() for page in PdfReader(loose).pages),
        "pymupdf": "".join(page.get_text() for page in pymupdf.open(loose)),
    }
    document = pypdfium2.PdfDocument(loose)
    texts["pdfium"] = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    for reader, text in texts.items():
        tokens = {token for token in text.replace("\u2060", "").split() if HANGUL.search(token)}
        assert tokens == words, reader


def test_a_line_without_syllable_pairs_is_justified_as_weasyprint_does(tmp_path: Path) -> None:
    """Latin words are never letter-spaced: their spaces take all the slack."""
    text = "plain words of English text set in Korean body " + "x" * 60
    line = first_line(lay_out(tmp_path, [text]))
    assert makeup.widest_gap(line) > 0.5
    chars = [c for c in line.chars if not c[0].isspace()]
    letters = [after[1] - before[2] for before, after in zip(chars, chars[1:]) if after[1] - before[2] < line.size * 0.2]
    assert letters and max(abs(gap) for gap in letters) < 0.01


def test_a_line_that_is_not_loose_keeps_its_syllables_as_they_are(tmp_path: Path) -> None:
    text = " ".join(joined(word) for word in [*SHORT[:-1], "가나다", LONG])
    line = first_line(lay_out(tmp_path, [text]))
    assert makeup.widest_gap(line) <= 0.5
    chars = [c for c in line.chars if HANGUL.match(c[0])]
    assert all(abs(after[1] - before[2]) < 0.01 or after[1] - before[2] > 1 for before, after in zip(chars, chars[1:]))
