"""Which characters a font file maps, read straight from its `cmap` table (fast enough for every build)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from struct import iter_unpack, unpack_from


def mapped_codepoints(path: Path) -> set[int]:
    """The code points *path* maps to a glyph, from its Unicode cmap subtable."""
    return {code for first, last in mapped_ranges(path) for code in range(first, last + 1)}


def mapped_ranges(path: Path) -> tuple[tuple[int, int], ...]:
    """The code points *path* maps to a glyph, as (first, last) ranges in the order of its cmap subtable.

    Every build checks the content against the fonts: reading the format 12, 13 or 4 subtable's
    ranges directly takes a tenth of the time fontTools needs to build its full mapping, and
    keeping them as ranges, not sets of every code point, a tenth of that again.
    """
    found = _ranges(_cmap_table(path))
    return found if found is not None else _fonttools_ranges(path)


@cache
def _ranges(data: bytes) -> tuple[tuple[int, int], ...] | None:
    """The ranges of a raw `cmap` table, None if fontTools must read it (a family's faces share theirs: read once)."""
    subtables = {unpack_from(">HH", data, 4 + 8 * i): unpack_from(">I", data, 8 + 8 * i)[0]
                 for i in range(unpack_from(">H", data, 2)[0])}
    for key in ((3, 10), (0, 4), (0, 6), (3, 1), (0, 3)):
        offset = subtables.get(key)
        if offset is not None and (found := _read_subtable(data, offset)) is not None:
            return tuple(found)
    return None


def _fonttools_ranges(path: Path) -> tuple[tuple[int, int], ...]:
    """The code points of a font whose Unicode cmap subtable has another format, read by fontTools."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return tuple((code, code) for code in sorted(font.getBestCmap() or {}))


def _cmap_table(path: Path) -> bytes:
    """The raw `cmap` table of an OpenType file, read without the rest of the file."""
    with path.open("rb") as stream:
        count = unpack_from(">H", stream.read(12), 4)[0]
        records = stream.read(16 * count)
        for index in range(count):
            tag, _checksum, offset, length = unpack_from(">4sIII", records, 16 * index)
            if tag == b"cmap":
                stream.seek(offset)
                return stream.read(length)
    raise ValueError(f"{path.name} has no cmap table")


def _read_subtable(data: bytes, offset: int) -> list[tuple[int, int]] | None:
    """The code point ranges of a format 12, 13 or 4 cmap subtable (None for other formats)."""
    kind = unpack_from(">H", data, offset)[0]
    found: list[tuple[int, int]] = []
    if kind in (12, 13):  # 13: every code point of a group maps to its one glyph
        groups = unpack_from(">I", data, offset + 12)[0]
        for start, end, glyph in iter_unpack(">III", data[offset + 16: offset + 16 + 12 * groups]):
            if kind == 12 and start + (glyph == 0) <= end:  # glyph 0 (.notdef) is no glyph
                found.append((start + (glyph == 0), end))
            elif kind == 13 and glyph:
                found.append((start, end))
        return found
    if kind != 4:
        return None
    count = unpack_from(">H", data, offset + 6)[0] // 2
    ends = unpack_from(f">{count}H", data, offset + 14)
    starts = unpack_from(f">{count}H", data, offset + 16 + 2 * count)
    deltas = unpack_from(f">{count}h", data, offset + 16 + 4 * count)
    range_base = offset + 16 + 6 * count
    range_offsets = unpack_from(f">{count}H", data, range_base)
    for index, (start, end, delta, range_offset) in enumerate(zip(starts, ends, deltas, range_offsets)):
        last = min(end, 0xFFFE)
        if range_offset == 0:  # glyph = code + delta: only the code that lands on glyph 0 is missing
            hole = (-delta) & 0xFFFF
            found += [(a, b) for a, b in ((start, min(last, hole - 1)), (max(start, hole + 1), last)) if a <= b] \
                if start <= hole <= last else [(start, last)] if start <= last else []
            continue
        at = range_base + 2 * index + range_offset  # glyph ids from the glyphIdArray, one per code
        size = max(0, min(last - start + 1, (len(data) - at) // 2))
        glyphs = unpack_from(f">{size}H", data, at)
        if size and 0 not in glyphs and (-delta) & 0xFFFF not in glyphs:  # all map (the usual case): one range
            found.append((start, start + size - 1))
            continue
        for code, glyph in zip(range(start, start + size), glyphs):
            if glyph and (glyph + delta) & 0xFFFF:
                if found and found[-1][1] == code - 1:
                    found[-1] = (found[-1][0], code)
                else:
                    found.append((code, code))
    return found
