"""The PDF WeasyPrint writes, in fewer bytes: the same drawing, text and links.

Page content streams. WeasyPrint writes coordinates with six decimals, and text arrays with an
adjustment after every glyph (nearly always zero) and an empty string for every zero-width glyph
(each Hangul syllable is followed by the keep-all word joiner, see typography.py). `compact`
rewrites those and leaves every other operator as it is:

- text arrays lose empty strings and zero adjustments, neighbouring strings are joined and the
  adjustments (thousandths of an em) are rounded to hundredths; no array opens with an empty
  string before a number, which PDFium (Chrome, Edge) misplaces the rest of the line after;
- path coordinates and the translations of `cm` and `Tm` are rounded to what the page needs: at
  most 0.005 pt of error under the transformation in force, which is tracked through q, Q and
  cm (a scaled SVG keeps more digits). Linear parts, font sizes and colours stay as written;
- a text line under another in the same text object moves relative to it (`Td`).

Tagged PDF's marked content (`/Span\n<</MCID n>>\nBDC`, `/Artifact BMC`, `EMC`) is kept as written.

The rest of the PDF (`finisher`): the font dictionaries, programs and ToUnicode maps are trimmed
and fonts that agree share one ToUnicode map (engine/fontdata.py), link rectangles keep two decimals, and
every stream is deflated with libdeflate instead of zlib.

On the real report this took 272 KB to 197 KB with the font changes of fonts/prepare.py
(docs/benchmark.md), for about 40 ms of compaction a cold build. `compact` is pure, so a replayed
page and a page drawn afresh give the same bytes: replay.py compacts and deflates before it
hands a page over, the build's finisher does the same for pages drawn afresh.
"""
from __future__ import annotations

import functools
import math
import re
from typing import Any

import pydyf

POINT_ERROR = 0.005  # the largest rounding error allowed, in PDF points
ADJUSTMENT_DECIMALS = 2
MAX_DECIMALS = 6  # what pydyf writes: never more digits than that
# libdeflate's level 10 of 12: 5 % smaller than zlib's best, for a few milliseconds a page.
DEFLATE_LEVEL = 10
PATH_OPERATORS = frozenset((b"m", b"l", b"c", b"v", b"y", b"re"))
# Text matrices whose linear part only flips axes: a Tm with the same one can become a Td.
_UNIT_LINEAR = {(a, b"0", b"0", d): (1 if a == b"1" else -1, 1 if d == b"1" else -1)
                for a in (b"1", b"-1") for d in (b"1", b"-1")}

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

# Text arrays as WeasyPrint writes them: <hex> strings each followed by an adjustment, no spaces.
# Each pattern ends where a string or the array begins or ends, so it never matches elsewhere.
_EMPTY_PAIR = re.compile(rb"<>-?0(?:\.0*)?(?=[<\]])")  # an empty string that does not move: nothing
_ZERO = re.compile(rb">-?0(?:\.0*)?(?=[<\]])")  # a zero adjustment after a string
_LONG = re.compile(rb">(-?\d+\.\d{3,})(?=[<\]])")
# An empty string before a spacing number in a text array: PDFium (Chrome, Edge) then places the
# rest of the line short of where every other reader does; the number alone moves the same. After
# a number (`0<>-100`) the two numbers stay apart, and adjustments in a row add up as before.
_EMPTY_BEFORE_NUMBER = re.compile(rb"(?<=[\[\d.])<>(?=-?[\d.])")


def number(value: float, decimals: int) -> bytes:
    """*value* rounded to *decimals* places, written as short as PDF allows (no trailing zeros)."""
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.encode("ascii")


@functools.lru_cache(maxsize=1 << 16)
def _rounded(token: bytes, decimals: int) -> bytes:
    """The number written as *token* rounded to *decimals* places; pages repeat most coordinates."""
    return number(float(token), decimals)


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    """The matrix m × n in PDF's row-vector convention (m applied first)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def _decimals(ctm: Matrix) -> int:
    """Decimals that keep a user-space coordinate within POINT_ERROR of itself on the page."""
    scale = max(math.hypot(ctm[0], ctm[1]), math.hypot(ctm[2], ctm[3]))
    if scale <= 0:
        return MAX_DECIMALS
    return min(MAX_DECIMALS, max(0, math.ceil(math.log10(scale * 0.5 / POINT_ERROR))))


def _rounded_adjustment(match: re.Match[bytes]) -> bytes:
    """A long text adjustment rounded to ADJUSTMENT_DECIMALS."""
    return b">" + number(float(match.group(1)), ADJUSTMENT_DECIMALS)


def _text_arrays(content: bytes) -> bytes:
    """Every TJ array leaner; each step keeps an array a valid sequence of strings and numbers."""
    content = _EMPTY_PAIR.sub(b"", content)
    content = _ZERO.sub(b">", content).replace(b"><", b"")  # strings join, empty ones vanish
    content = _LONG.sub(_rounded_adjustment, content)
    content = _ZERO.sub(b">", content).replace(b"><", b"")  # adjustments rounded to zero
    return content.replace(b"\n[] TJ", b"").replace(b"\n[<>] TJ", b"")


def _coordinates(content: bytes) -> bytes:
    """*content* with path coordinates and cm/Tm translations rounded under the CTM in force."""
    ctm, stack = IDENTITY, []
    decimals = _decimals(ctm)
    line_matrix: tuple[tuple[bytes, ...], bytes, bytes] | None = None  # the last Tm in this text object
    lines = content.split(b"\n")
    for index, line in enumerate(lines):
        cut = line.rfind(b" ")
        operator = line[cut + 1:]
        try:
            if operator in PATH_OPERATORS:
                lines[index] = b" ".join([_rounded(x, decimals) for x in line[:cut].split()]) + b" " + operator
            elif operator == b"Tm" or operator == b"cm":
                # The linear part scales what follows: only the translation, a coordinate, is rounded.
                *operands, e, f = line[:cut].split()
                linear = tuple(operands)
                if len(linear) != 4:
                    continue
                e, f = _rounded(e, decimals), _rounded(f, decimals)
                lines[index] = b" ".join((*linear, e, f, operator))
                if operator == b"cm":
                    ctm = _multiply(tuple(float(x) for x in lines[index].split()[:6]), ctm)
                    decimals = _decimals(ctm)
                elif line_matrix and line_matrix[0] == linear and linear in _UNIT_LINEAR:
                    # Same orientation as the line before in this text object: move relative to it
                    # (Td), so that equal line spacing repeats and deflates to almost nothing.
                    a, d = _UNIT_LINEAR[linear]
                    dx = number((float(e) - float(line_matrix[1])) * a, decimals)
                    dy = number((float(f) - float(line_matrix[2])) * d, decimals)
                    lines[index] = dx + b" " + dy + b" Td"
                    line_matrix = (linear, e, f)
                else:
                    line_matrix = (linear, e, f)
            elif line == b"BT":
                line_matrix = None
            elif line == b"q":
                stack.append(ctm)
            elif line == b"Q":
                ctm = stack.pop() if stack else IDENTITY
                decimals = _decimals(ctm)
        except ValueError:  # an operand that is not a number: leave the line as written
            continue
    return b"\n".join(lines)


def _without_empty(match: re.Match[bytes]) -> bytes:
    """Nothing after the array's opening bracket, a space between two numbers."""
    return b"" if match.string[match.start() - 1:match.start()] == b"[" else b" "


def pdfium_text_arrays(content: bytes) -> bytes:
    """*content* without empty strings before spacing numbers in text arrays (see _EMPTY_BEFORE_NUMBER)."""
    return _EMPTY_BEFORE_NUMBER.sub(_without_empty, content)


def compact(content: bytes) -> bytes:
    """The content stream *content* drawing the same in fewer bytes (see the module docstring)."""
    if b"(" in content or b"\nBI" in content or b"\r" in content:
        return content  # literal strings, inline images: not modelled
    if content.count(b"<<") != content.count(b"\n<</MCID "):  # dictionaries other than tagging's marked content
        return pdfium_text_arrays(content)  # only the text arrays PDFium misreads change
    return _coordinates(pdfium_text_arrays(_text_arrays(content)))


@functools.lru_cache(maxsize=32)
def _deflated(data: bytes) -> bytes:
    """`deflate` remembered: a rebuild subsets the same fonts again and gets the same bytes."""
    return deflate(data)


def deflate(data: bytes) -> bytes:
    """*data* in the zlib format FlateDecode reads, as small as libdeflate makes it at DEFLATE_LEVEL."""
    import deflate as libdeflate

    return bytes(libdeflate.zlib_compress(data, DEFLATE_LEVEL))


def _index_of(reference: Any) -> int | None:
    """The object number of an indirect reference (b"12 0 R")."""
    return int(reference.split()[0]) if isinstance(reference, bytes) else None


def _raw(stream: Any) -> bytes:
    """The bytes pydyf would deflate for *stream*."""
    return b"\n".join(pydyf._to_bytes(item) for item in stream.stream)


def _deflatable(item: Any) -> bool:
    """Whether *item* is a stream pydyf would deflate: the only kind the finisher rewrites."""
    # An uncompressed PDF (write_pdf(uncompressed_pdf=True), for debugging) has none, so the
    # finisher then changes no stream and shares no ToUnicode map.
    return isinstance(item, pydyf.Stream) and item.compress and "Filter" not in item.extra


def _share_to_unicode(pdf: Any, fonts: list[Any]) -> dict[int, bytes]:
    """Point *fonts* that agree at one ToUnicode map (fontdata.shared_to_unicode); return each kept map's CMap.

    The maps merged away become empty dictionaries: nothing refers to them any more, and pydyf's
    object numbers stay as they were.
    """
    from .fontdata import shared_to_unicode

    indexes = {_index_of(font["ToUnicode"]) for font in fonts}
    maps, moved = shared_to_unicode({index: _raw(pdf.objects[index]) for index in indexes
                                     if _deflatable(pdf.objects[index])})
    for font in fonts:
        kept = moved.get(_index_of(font["ToUnicode"]))
        if kept is not None:
            font["ToUnicode"] = pdf.objects[kept].reference
    for index in moved:
        placeholder = pydyf.Dictionary()
        placeholder.number = index
        pdf.objects[index] = placeholder
    return maps


def finisher(document: Any, pdf: Any) -> None:
    """Compact and deflate the PDF before pydyf writes it (a WeasyPrint finisher on pydyf's PDF).

    Page contents not yet deflated (replayed pages are, see replay.py) are compacted; CID fonts
    get a default width, TrueType programs lose tables no renderer reads, ToUnicode maps are
    shared where fonts agree and sorted, link rectangles two decimals; every stream pydyf
    would deflate is deflated here with libdeflate.
    """
    from .fontdata import default_width, without_tables

    contents, programs, fonts = set(), set(), []
    for item in pdf.objects:
        if not isinstance(item, pydyf.Dictionary):
            continue
        if item.get("Type") == "/Page":
            contents.add(_index_of(item.get("Contents")))
        elif item.get("Type") == "/Annot" and isinstance(item.get("Rect"), list):
            item["Rect"] = pydyf.Array(round(value, 2) for value in item["Rect"])  # 0.01 pt: plenty to click
        elif item.get("Type") == "/FontDescriptor":
            programs.add(_index_of(item.get("FontFile2")))
        elif item.get("Type") == "/Font" and _index_of(item.get("ToUnicode")) is not None:
            fonts.append(item)
        if item.get("Subtype") in ("/CIDFontType0", "/CIDFontType2") and "W" in item and "DW" not in item:
            default_width(item)
    maps = _share_to_unicode(pdf, fonts)
    for index, stream in enumerate(pdf.objects):
        if not _deflatable(stream):
            continue
        raw = maps.get(index) or _raw(stream)
        if index in contents:
            raw = compact(raw)
        elif index in programs and "Length1" in stream.extra:
            raw = without_tables(raw)
            stream.extra["Length1"] = len(raw)
        # As pydyf would, with the Filter entry last before Length (same dictionary, fewer bytes).
        stream.stream, stream.compress = [_deflated(raw)], False
        stream.extra["Filter"] = "/FlateDecode"
