"""Page make-up of a PDF the project made, read back from its pages: what a typesetter would mark.

    python benchmarks/makeup.py FILE.pdf [--list]

MuPDF (pymupdf) reads the lines, glyph positions and tinted boxes; PDFium (pypdfium2, the PDF
engine of Chrome and Edge) reads the glyph positions again. Printed figures:

- bands: the empty tinted space at the foot of each details box part (below its last line and
  its 2 mm padding), largest first;
- holes: blank space at a page foot above the bottom margin (or the footnote rule), on body pages
  other than the last and the page before a chapter starts;
- gaps: the widest word gap of every justified body line, in em of its type size (a normal space
  is 0.25 em): median, share over 0.5 em, count over 0.75 em;
- runts: paragraphs of two or more lines whose last line is one eojeol of five characters or fewer;
- pdfium: lines whose last glyph PDFium places more than 0.3 pt from where MuPDF does.

The functions are what tests/test_makeup.py asserts on; body lines are the serif text faces.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path

MM = 72 / 25.4
TINT = (0xF3 / 255, 0xF6 / 255, 0xF9 / 255)  # .details background (styles/report.css)
FOOTNOTE_RULE = (0.6, 0.6, 0.6)  # @footnote border-top #999
BOX_PADDING_BOTTOM = 2 * MM
PAGE_MARGIN_BOTTOM = 24 * MM
FOOTNOTE_GAP = 4 * MM  # @footnote margin-top
BODY_LINE = 10 * 1.68  # one body line: 10 pt type on 1.68 leading
BODY_FACES = ("Publish-Serif", "Publish-Latin", "Publish-CJK")  # not Publish-Latin-Sans
EDGE_TOLERANCE = 0.6  # pt: a line ends at a column edge when this close to it
EAST_ASIAN = range(0x1100, 0xFFFF)


@dataclass(frozen=True)
class Line:
    """One text line as MuPDF reads it: box, type size, text and its glyph boxes."""

    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    body: bool
    text: str
    chars: tuple[tuple[str, float, float], ...]  # (character, x0, x1)


@dataclass
class Makeup:
    """The figures of one PDF."""

    pages: int = 0
    bands: list[tuple[int, float]] = field(default_factory=list)  # (page index, pt)
    holes: list[tuple[int, float]] = field(default_factory=list)
    gaps: list[float] = field(default_factory=list)  # widest gap of each justified line, em
    runts: list[tuple[int, str]] = field(default_factory=list)
    pdfium: list[tuple[int, str, float]] = field(default_factory=list)  # (page, line end, dx pt)
    lines: int = 0

    def share_over(self, em: float) -> float:
        """The share of justified lines whose widest gap is over *em*."""
        return sum(gap > em for gap in self.gaps) / len(self.gaps) if self.gaps else 0.0

    def summary(self) -> str:
        """The figures in a few printed lines."""
        bands = sorted((round(b) for _, b in self.bands), reverse=True)
        holes = sorted(((round(h), p + 1) for p, h in self.holes), reverse=True)
        gaps = self.gaps or [0.0]
        return "\n".join([
            f"pages {self.pages}, text lines {self.lines}, justified lines {len(self.gaps)}",
            f"bands at box feet over 2 body lines ({2 * BODY_LINE:.0f} pt): "
            f"{sum(b > 2 * BODY_LINE for b in bands)}; largest {bands[:8]} pt",
            f"holes at page feet over 5 body lines ({5 * BODY_LINE:.0f} pt): "
            f"{sum(h > 5 * BODY_LINE for h, _ in holes)}; largest (pt, page) {holes[:6]}",
            f"word gaps: median {statistics.median(gaps):.2f} em, over 0.5 em {self.share_over(0.5):.1%}, "
            f"over 0.75 em {sum(g > 0.75 for g in gaps)}, widest {max(gaps):.2f} em",
            f"runts: {len(self.runts)}",
            f"PDFium line ends off by more than 0.3 pt: {len(self.pdfium)}"
            + (f" (worst {max(abs(d) for *_, d in self.pdfium):.1f} pt)" if self.pdfium else ""),
        ])


def read_lines(document: object) -> list[list[Line]]:
    """Every page's text lines, top to bottom."""
    pages = []
    for number, page in enumerate(document):
        lines = []
        for block in page.get_text("rawdict")["blocks"]:
            for raw in block.get("lines", ()):
                spans = [s for s in raw["spans"] if s["chars"]]
                chars = tuple((c["c"], c["bbox"][0], c["bbox"][2]) for s in spans for c in s["chars"]
                              if c["c"] != "\u2060")
                if not chars or not "".join(c for c, *_ in chars).strip():
                    continue
                body = all(s["font"].startswith(BODY_FACES) and "Sans" not in s["font"] for s in spans)
                x0, y0, x1, y1 = raw["bbox"]
                ink = [c for c in chars if not c[0].isspace()]
                lines.append(Line(number, ink[0][1], y0, ink[-1][2], y1, max(s["size"] for s in spans),
                                  body, "".join(c for c, *_ in chars), chars))
        pages.append(sorted(lines, key=lambda line: (round(line.y0, 1), line.x0)))
    return pages


def column_edges(lines: list[Line]) -> list[float]:
    """Right edges that several body lines of the page end at: the justified measures."""
    ends = sorted(line.x1 for line in lines if line.body)
    edges: list[float] = []
    for end in ends:
        if sum(abs(other - end) <= EDGE_TOLERANCE for other in ends) >= 3 and \
                not any(abs(edge - end) <= EDGE_TOLERANCE for edge in edges):
            edges.append(end)
    return [max(e for e in ends if abs(e - edge) <= EDGE_TOLERANCE) for edge in edges]


def at_edge(line: Line, edges: list[float]) -> bool:
    """Whether *line* reaches one of the page's justified right edges."""
    return any(abs(line.x1 - edge) <= EDGE_TOLERANCE for edge in edges)


def widest_gap(line: Line) -> float | None:
    """The widest space between two words of *line*, in em; None without a space."""
    widest, previous_end, in_space = None, None, False
    for char, x0, x1 in line.chars:
        if char.isspace():
            in_space = True
            continue
        if in_space and previous_end is not None:
            gap = (x0 - previous_end) / line.size
            widest = gap if widest is None else max(widest, gap)
        previous_end, in_space = x1, False
    return widest


def justified_gaps(pages: list[list[Line]]) -> list[float]:
    """The widest word gap of each justified body line (it ends at a column edge and is not the paragraph's last)."""
    gaps = []
    for lines in pages:
        edges = column_edges(lines)
        for line in lines:
            if line.body and at_edge(line, edges):
                gap = widest_gap(line)
                if gap is not None:
                    gaps.append(gap)
    return gaps


def runts(pages: list[list[Line]]) -> list[tuple[int, str]]:
    """Last lines of body paragraphs that hold one short eojeol, after a justified line just above."""
    found = []
    for lines in pages:
        edges = column_edges(lines)
        body = [line for line in lines if line.body]
        for above, line in zip(body, body[1:]):
            words = line.text.split()
            pitch = line.y0 - above.y0
            if (len(words) == 1 and len(words[0]) <= 5 and at_edge(above, edges)
                    and not at_edge(line, edges) and abs(line.x0 - above.x0) < 1
                    and 0 < pitch < 2 * line.size and any(ord(c) in EAST_ASIAN for c in words[0])):
                found.append((line.page, words[0]))
    return found


def _close(color: object, target: tuple[float, float, float]) -> bool:
    """Whether an RGB colour is *target* within rounding."""
    return isinstance(color, (tuple, list)) and len(color) == 3 and all(abs(a - b) < 0.01 for a, b in zip(color, target))


def bands_and_holes(document: object, pages: list[list[Line]]) -> tuple[list[tuple[int, float]], list[tuple[int, float]]]:
    """Empty tinted space at the foot of each box part, and blank space at each body page's foot."""
    chapter_starts = {page - 1 for level, _, page in document.get_toc() if level == 1}
    first_body = min(chapter_starts) if chapter_starts else 0
    bands, holes = [], []
    for number, page in enumerate(document):
        height = page.rect.height
        drawings = page.get_drawings()
        rule = min((d["rect"].y0 for d in drawings
                    if _close(d.get("fill") or d.get("color"), FOOTNOTE_RULE) and d["rect"].height < 1.5
                    and d["rect"].width > 100), default=None)
        floor = rule - FOOTNOTE_GAP if rule is not None else height - PAGE_MARGIN_BOTTOM
        content = [line for line in pages[number] if line.y1 < floor - 0.5]
        boxes = [d["rect"] for d in drawings if d.get("type") == "f" and _close(d.get("fill"), TINT)]
        for box in boxes:
            inside = [line.y1 for line in content if box.y0 <= line.y0 and line.y1 <= box.y1 + 0.5]
            if inside:
                bands.append((number, box.y1 - max(inside) - BOX_PADDING_BOTTOM))
        if number < first_body or number == len(pages) - 1 or number + 1 in chapter_starts:
            continue
        bottoms = [line.y1 for line in content] + [d["rect"].y1 for d in drawings if d["rect"].y1 < floor - 0.5
                                                    and d["rect"].y0 > 60]
        if bottoms:
            holes.append((number, floor - max(bottoms)))
    return bands, holes


def pdfium_offsets(path: Path, pages: list[list[Line]], tolerance: float = 0.3) -> list[tuple[int, str, float]]:
    """Lines whose last glyph PDFium places more than *tolerance* pt from MuPDF's place.

    Each MuPDF line is found in PDFium's text of the page by its glyphs (spaces left out, which
    the two readers infer differently) at the same place.
    """
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    found = []
    try:
        for number, lines in enumerate(pages):
            page = document[number]
            height = page.get_height()
            text = page.get_textpage()
            glyphs, boxes = [], []
            for index in range(text.count_chars()):
                char = text.get_text_range(index, 1)
                if char.strip() and char != "\u2060":
                    left, bottom, right, top = text.get_charbox(index, loose=True)
                    glyphs.append(char)
                    boxes.append((left, right, height - (top + bottom) / 2))
            string = "".join(glyphs)
            for line in lines:
                wanted = "".join(char for char, *_ in line.chars if char.strip())
                middle = (line.y0 + line.y1) / 2
                at = string.find(wanted)
                while at >= 0 and (abs(boxes[at][2] - middle) > line.size * 0.5 or abs(boxes[at][0] - line.x0) > 2):
                    at = string.find(wanted, at + 1)
                if at >= 0:
                    # Where the last glyph starts: its far edge is the wider of ink and advance in PDFium.
                    start = boxes[at + len(wanted) - 1][0]
                    last = next(x0 for char, x0, _ in reversed(line.chars) if char.strip())
                    if abs(start - last) > tolerance:
                        found.append((number, line.text.strip()[-12:], start - last))
            text.close()
            page.close()
    finally:
        document.close()
    return found


def measure(path: str | Path, pdfium: bool = True) -> Makeup:
    """All the figures of the PDF at *path*."""
    import pymupdf

    path = Path(path)
    with pymupdf.open(path) as document:
        pages = read_lines(document)
        bands, holes = bands_and_holes(document, pages)
    result = Makeup(pages=len(pages), bands=bands, holes=holes, gaps=justified_gaps(pages),
                    runts=runts(pages), lines=sum(len(lines) for lines in pages))
    if pdfium:
        result.pdfium = pdfium_offsets(path, pages)
    return result


def main(argv: list[str] | None = None) -> int:
    """Print the make-up figures of each PDF named."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pdf", nargs="+", type=Path)
    parser.add_argument("--list", action="store_true", help="also list every runt and PDFium offset")
    args = parser.parse_args(argv)
    for path in args.pdf:
        result = measure(path)
        print(f"{path}:\n{result.summary()}")
        if args.list:
            for page, word in result.runts:
                print(f"  runt p.{page + 1}: {word}")
            for page, end, dx in result.pdfium:
                print(f"  PDFium p.{page + 1}: …{end} {dx:+.2f} pt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
