"""Make Publish Last Resort: one visible replacement glyph for every character no other vendored font has.

# Maintainers only, like prepare.py (which calls it): the font is committed. Run: python fonts/lastresort.py

It ends every font stack, so that Pango never asks Fontconfig for a system font (which would
embed, say, DejaVu Sans on one machine and nothing on another) and an uncovered character is
drawn as a crossed box instead of an invisible .notdef. `publish` warns about each such
character (publish/author/glyphs.py leaves this font out of its coverage). One cmap format 13
subtable maps all ranges to the one glyph, so the file stays about a kilobyte.
"""

from __future__ import annotations

import hashlib
import sys
from io import BytesIO
from pathlib import Path

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

FONTS_DIR = Path(__file__).resolve().parent
FAMILY = "Publish Last Resort"
FILE = "PublishLastResort-Regular.ttf"
LICENCE = "OFL-Publish.txt"
UPEM = 1000
ADVANCE = 800
SPACE_ADVANCE = 250  # as the other faces' spaces (prepare.LATIN_SPACE_EM)
# Pango keeps the current font for a space, so a space after an uncovered character is shaped
# with this font: it needs real, empty space glyphs or it would draw .notdef boxes.
SPACES = (0x20, 0xA0, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000)
# Never mapped: controls, spaces and default-ignorable characters (Pango keeps the current font
# for them, and HarfBuzz hides the U+2060 joiners the pipeline inserts), surrogates.
EXCLUDED = (
    (0x00, 0x20), (0x7F, 0xA0), (0xAD, 0xAD), (0x34F, 0x34F), (0x61C, 0x61C), (0x115F, 0x1160),
    (0x1680, 0x1680), (0x17B4, 0x17B5), (0x180B, 0x180F), (0x2000, 0x200F), (0x2028, 0x202F),
    (0x205F, 0x206F), (0x3000, 0x3000), (0x3164, 0x3164), (0xD800, 0xDFFF), (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)


def mapped_ranges() -> list[tuple[int, int]]:
    """The code point ranges the font maps: everything up to U+10FFFF except EXCLUDED."""
    ranges, start = [], 0
    for first, last in EXCLUDED:
        if first > start:
            ranges.append((start, first - 1))
        start = last + 1
    return [*ranges, (start, 0x10FFFF)]


def _box(crossed: bool) -> object:
    """A rectangle outline (clockwise, TrueType), crossed for the replacement glyph."""
    pen = TTGlyphPen(None)
    outer, inner = (80, -100, ADVANCE - 80, 700), (150, -30, ADVANCE - 150, 630)
    for (x0, y0, x1, y1), clockwise in ((outer, True), (inner, False)):
        points = [(x0, y0), (x0, y1), (x1, y1), (x1, y0)]
        for index, point in enumerate(points if clockwise else points[::-1]):
            (pen.moveTo if index == 0 else pen.lineTo)(point)
        pen.closePath()
    if crossed:  # two bars from corner to corner of the inner box
        x0, y0, x1, y1 = inner
        for a, b in (((x0, y0), (x1, y1)), ((x0, y1), (x1, y0))):
            dx, dy = (b[1] - a[1]) * 0.06, (a[0] - b[0]) * 0.06
            for index, point in enumerate(((a[0] - dx, a[1] - dy), (a[0] + dx, a[1] + dy), (b[0] + dx, b[1] + dy), (b[0] - dx, b[1] - dy))):
                (pen.moveTo if index == 0 else pen.lineTo)((round(point[0]), round(point[1])))
            pen.closePath()
    return pen.glyph()


def build() -> bytes:
    """The font file's bytes, the same on every run."""
    builder = FontBuilder(UPEM, isTTF=True)
    order = [".notdef", "replacement", "space"]
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap({})
    builder.setupGlyf({".notdef": _box(False), "replacement": _box(True), "space": TTGlyphPen(None).glyph()})
    builder.setupHorizontalMetrics({".notdef": (ADVANCE, 80), "replacement": (ADVANCE, 80), "space": (SPACE_ADVANCE, 0)})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable({
        "familyName": FAMILY, "styleName": "Regular", "uniqueFontIdentifier": f"{FAMILY} Regular",
        "fullName": f"{FAMILY} Regular", "psName": Path(FILE).stem, "version": "Version 1.000",
        "copyright": "Copyright 2026 the publish authors", "licenseDescription": "SIL Open Font License, Version 1.1",
    })
    builder.setupOS2(usWeightClass=400, sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120, fsSelection=0x40)
    builder.setupPost()
    builder.font["head"].created = builder.font["head"].modified = 3_849_984_000  # 2026-01-01 since 1904: same bytes every run
    table = CmapSubtable.newSubtable(13)
    table.platformID, table.platEncID, table.language = 3, 10, 0
    font = builder.font
    # Format 13 maps whole ranges to one glyph; fontTools compiles it from the full mapping.
    table.cmap = {code: "replacement" for first, last in mapped_ranges() for code in range(first, last + 1)}
    table.cmap |= {code: "space" for code in SPACES}
    font["cmap"].tables = [table]
    out = BytesIO()
    font.save(out)
    return out.getvalue()


def css_rule() -> str:
    """Its @font-face rule for styles/fonts.css: no unicode-range, Fontconfig reads the cmap."""
    return "\n".join(["@font-face {", f'  font-family: "{FAMILY}";', f"  src: url(../fonts/{FILE});",
                      "  font-weight: 400;", "  font-style: normal;", "}"])


def main() -> dict[str, object]:
    """Write the font and return its manifest entry."""
    data = build()
    (FONTS_DIR / FILE).write_bytes(data)
    return {"file": FILE, "family": FAMILY, "weight": 400, "style": "normal", "source": "fonts/lastresort.py",
            "ttc_index": 0, "package": None, "version": None, "licence": LICENCE,
            "codepoints": sum(last - first + 1 for first, last in mapped_ranges()) + len(SPACES), "glyphs": 3,
            "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


if __name__ == "__main__":
    print(main())
    sys.exit(0)
