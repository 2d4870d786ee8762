"""The character sets the prepared fonts cover, and the order their glyphs take (used by prepare.py)."""

from __future__ import annotations

from outlines import GlyphOrder


def span(first: int, last: int) -> set[int]:
    """Return the code points first..last inclusive."""
    return set(range(first, last + 1))


def double_byte_rows(codec: str, first_lead: int = 0xA1, last_lead: int = 0xFE) -> list[int]:
    """Return the characters of EUC lead bytes first..last of a legacy character set, in code order."""
    found: list[int] = []
    for lead in range(first_lead, last_lead + 1):
        for trail in range(0xA1, 0xFF):
            try:
                char = bytes((lead, trail)).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(char) == 1:
                found.append(ord(char))
    return found


def is_han(code: int) -> bool:
    """Return whether a code point is a CJK ideograph (unified, extension or compatibility)."""
    return 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or code >= 0x20000


LATIN = (span(0x20, 0x7E) | span(0xA0, 0x24F) | span(0x250, 0x36F) | span(0x370, 0x4FF)
         | span(0x1E00, 0x1EFF) | span(0x2000, 0x20CF) | span(0x2100, 0x22FF)
         | span(0xFB00, 0xFB06))
SYMBOLS = (span(0x2300, 0x23FF) | span(0x2460, 0x27FF) | span(0x2900, 0x2BFF)
           | span(0x3000, 0x303F) | span(0x3200, 0x33FF) | span(0xFE30, 0xFE6F)
           | span(0xFF00, 0xFFEF))
HANGUL = (span(0x1100, 0x11FF) | span(0x3130, 0x318F) | span(0xA960, 0xA97F)
          | span(0xAC00, 0xD7A3) | span(0xD7B0, 0xD7FF))
KANA = span(0x3040, 0x30FF) | span(0x31F0, 0x31FF)
# Nanum keeps Hangul, Latin and symbols; Han and kana all come from the CJK fallback
# so that a word such as 株式会社 or かな is never drawn in two designs.
KOREAN = LATIN | SYMBOLS | HANGUL
# Zero-width format characters stay unmapped everywhere: HarfBuzz then draws them as nothing,
# whichever font the text run uses (Noto Sans maps U+2060 to a 600-unit-wide glyph).
FORMAT = span(0x200B, 0x200F) | span(0x2028, 0x202E) | span(0x2060, 0x206F) | {0xFEFF}
HAN = {code for codec in ("euc_jp", "euc_jis_2004", "euc_kr") for code in double_byte_rows(codec)
       if is_han(code)}
# Pango keeps the current font for a space, assuming every font has one: all faces
# keep the space separators they have, or a space after a kanji would be .notdef.
SPACES = {0x20, 0xA0, 0x1680, *span(0x2000, 0x200A), 0x202F, 0x205F, 0x3000}
CJK = (SPACES | span(0x3000, 0x303F) | KANA | span(0x3190, 0x319F) | span(0xFE30, 0xFE4F)
       | span(0xFF00, 0xFFEF) | HAN)


# Han of the commonest business words, Japanese and Korean forms (株式会社, 株式會社, 有限公司, ...).
COMMON_HAN = ("株式会社會有限公司合資名財団法人團體代表取締役長理事部課係年月日時分円圓元号號第"
              "大韓民国國日本中華東京北西南市道県縣区區町村金李朴崔鄭姜趙尹張林")
# WeasyPrint 70 embeds each used font with HarfBuzz's RETAIN_GIDS and keeps every glyph slot
# up to the highest glyph id drawn, so a glyph late in the font makes the embedded subset long.
# The CFF faces and the Nanum text faces therefore put their glyphs in tiers of likely use
# (see reorder_glyphs).

# The CJK fallbacks: one tier (other mapped characters follow by code point, then the glyphs
# that no character maps, among them the few ccmp forms).
CJK_ORDER = GlyphOrder((tuple(dict.fromkeys([
    *sorted(SPACES), *range(0x21, 0x7F), *range(0xA1, 0x100), *range(0x2010, 0x2030),
    *range(0x3001, 0x3040), *range(0xFF01, 0xFF66), *sorted(KANA),
    *map(ord, COMMON_HAN),
    *double_byte_rows("euc_kr", 0xB0, 0xC8),     # KS X 1001: the 2,350 common Hangul syllables
    *double_byte_rows("euc_jp", 0xB0, 0xCF),     # JIS X 0208 level 1 kanji (2,965)
    *double_byte_rows("euc_kr", 0xCA, 0xFD),     # KS X 1001 Hanja (4,888)
    *double_byte_rows("euc_jp", 0xD0, 0xF4),     # JIS X 0208 level 2 kanji (3,390)
])),))
# The Latin faces: ASCII and what liga makes of it (fi, fl, Th, ...), then dashes, quotes,
# bullet, ellipsis and primes, then Latin-1, then the rest of General Punctuation, euro and
# trade mark sign, each tier followed by its ligatures.
LATIN_ORDER = GlyphOrder((
    tuple(range(0x20, 0x7F)),
    tuple(range(0x2010, 0x2040)),
    tuple(range(0xA0, 0x100)),
    (*range(0x2000, 0x2010), *range(0x2040, 0x2070), 0x20AC, 0x2122),
), substitutes=True)
# The Nanum text faces (TrueType; their empty slots cost little, but not nothing): ASCII at the
# glyph ids it has in Publish Latin (1-95), then the 2,350 Hangul syllables of KS X 1001 (EUC-KR
# rows 0xB0-0xC8, nearly all of everyday Korean text) at the same ids 96-2445 in every face, so
# that a word is the same bytes in body and heading text and deflate matches it across fonts;
# then dashes, quotes, bullet, ellipsis, Latin-1 and the rest of KS X 1001 that the face maps
# (symbols, CJK punctuation, fullwidth forms, compatibility jamo, box drawing, units, circled
# numbers). A Korean text draws syllables from the whole tier (한, 할, 해 are among its last), so
# what precedes them costs slots in every subset, what follows them only when it is used. The
# other 8,822 syllables come by code point; they are composites of unmapped jamo pieces, last.
KOREAN_ORDER = GlyphOrder((
    tuple(range(0x20, 0x7F)),
    tuple(double_byte_rows("euc_kr", 0xB0, 0xC8)),
    (*range(0x2010, 0x2040), *range(0xA0, 0x100), *double_byte_rows("euc_kr", 0xA1, 0xAF)),
))


def ranges(codepoints: set[int]) -> list[tuple[int, int]]:
    """Collapse code points into sorted inclusive runs."""
    runs: list[tuple[int, int]] = []
    for code in sorted(codepoints):
        if runs and code == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], code)
        else:
            runs.append((code, code))
    return runs


def unicode_range(codepoints: set[int]) -> str:
    """Format code points as a CSS unicode-range value, wrapped for reading."""
    parts = [f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in ranges(codepoints)]
    lines, line = [], ""
    for part in parts:
        if len(line) + len(part) > 80:
            lines.append(line.rstrip())
            line = ""
        line += part + ", "
    lines.append(line.rstrip(", "))
    return ",\n      ".join(text.rstrip(",") for text in lines)
