"""Characters of a text that none of the vendored fonts can draw (for `publish check` and tests)."""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from functools import cache
from pathlib import Path
from typing import Sequence

from ..render.cmap import mapped_codepoints, mapped_ranges

FONT_SUFFIXES = (".ttf", ".otf")
REPLACEMENT_FONTS = frozenset({"PublishLastResort-Regular.ttf"})
"""Fonts that map every character to a replacement box (fonts/lastresort.py): they cover nothing."""

# Default_Ignorable_Code_Point (Unicode DerivedCoreProperties.txt). HarfBuzz and Pango draw
# these as nothing when a font has no glyph for them, which is how the U+2060 WORD JOINER
# that the pipeline puts between Hangul syllables stays invisible: no font needs to map it.
DEFAULT_IGNORABLE: tuple[tuple[int, int], ...] = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)

# Control, format, surrogate, line and paragraph separators: never drawn as glyphs.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def is_default_ignorable(code: int) -> bool:
    """Whether a code point is Default_Ignorable (drawn as nothing)."""
    return any(first <= code <= last for first, last in DEFAULT_IGNORABLE)


def is_invisible(char: str) -> bool:
    """Whether a character needs no glyph: whitespace, controls, default-ignorables."""
    return (
        char.isspace()
        or unicodedata.category(char) in INVISIBLE_CATEGORIES
        or is_default_ignorable(ord(char))
    )


def font_files(fonts_dir: Path) -> list[Path]:
    """The font files (TrueType or OpenType/CFF) directly inside *fonts_dir*, sorted."""
    return sorted(p for p in fonts_dir.iterdir() if p.suffix.lower() in FONT_SUFFIXES and p.is_file())


@cache
def covered_codepoints(fonts_dir: Path) -> frozenset[int]:
    """Every code point some font in *fonts_dir* maps, read once per directory."""
    covered: set[int] = set()
    for path in font_files(fonts_dir):
        if path.name not in REPLACEMENT_FONTS:
            covered.update(mapped_codepoints(path))
    return frozenset(covered)


@cache
def _covered_ranges(folders: tuple[Path, ...]) -> tuple[list[int], list[int]]:
    """The code points some font in one of *folders* maps, merged into sorted ranges: (firsts, lasts).

    Ranges, not a set of every code point: the CJK fonts map tens of thousands, the content uses hundreds.
    """
    fonts = {mapped_ranges(path) for folder in folders for path in font_files(folder) if path.name not in REPLACEMENT_FONTS}
    ranges = sorted(r for font in fonts for r in font)
    firsts: list[int] = []
    lasts: list[int] = []
    for first, last in ranges:
        if lasts and first <= lasts[-1] + 1:
            lasts[-1] = max(lasts[-1], last)
        else:
            firsts.append(first)
            lasts.append(last)
    return firsts, lasts


def uncovered_characters(text: str, fonts_dir: Path | Sequence[Path]) -> dict[str, str]:
    """Characters of *text* that no font in *fonts_dir* (one folder or several) maps, each with its Unicode name, sorted."""
    folders = [fonts_dir] if isinstance(fonts_dir, (str, Path)) else fonts_dir
    firsts, lasts = _covered_ranges(tuple(Path(f).resolve() for f in folders))

    def covered(code: int) -> bool:
        index = bisect_right(firsts, code) - 1
        return index >= 0 and code <= lasts[index]

    missing = {
        char: unicodedata.name(char, f"U+{ord(char):04X}")
        for char in set(text)
        if not covered(ord(char)) and not is_invisible(char)
    }
    return dict(sorted(missing.items()))
