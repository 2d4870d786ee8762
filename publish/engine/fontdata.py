"""Font data in the PDF, trimmed: width arrays, embedded programs and ToUnicode maps.

WeasyPrint writes a /W entry for every glyph used, embeds HarfBuzz's subsets with every table the
subsetter keeps, and writes a ToUnicode map per font with its entries one by one in the order glyphs
were first drawn. These functions give the same widths, outlines and text in fewer bytes;
compact.py's finisher applies them to pydyf's objects before the PDF is written (docs/benchmark.md
has the figures).
"""

from __future__ import annotations

import re
import struct
from collections import Counter
from typing import Any

import pydyf

# Tables of an embedded TrueType program no PDF renderer reads: GDEF only serves shaping, which
# happened before the PDF was written. (`name` stays: it carries the OFL notice.)
UNREAD_TABLES = frozenset((b"GDEF",))
# A bfchar entry; the text may be empty (WeasyPrint gives all glyphs of a cluster but the last <>).
_CHARACTER = re.compile(rb"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]*)>")


def without_tables(program: bytes, tags: frozenset[bytes] = UNREAD_TABLES) -> bytes:
    """The TrueType/OpenType *program* without the tables *tags* (as given if it has none)."""
    count = int.from_bytes(program[4:6], "big")
    records = [program[12 + 16 * i:28 + 16 * i] for i in range(count)]
    kept = [record for record in records if record[:4] not in tags]
    if len(kept) == count or not kept or program[:4] == b"ttcf":
        return program
    entry = 1 << (len(kept).bit_length() - 1)
    header = program[:4] + struct.pack(">HHHH", len(kept), entry * 16, entry.bit_length() - 1, (len(kept) - entry) * 16)
    offset, directory, tables, head = 12 + 16 * len(kept), [], [], None
    for record in kept:
        start, length = struct.unpack(">II", record[8:16])
        if record[:4] == b"head":
            head = offset
        directory.append(record[:8] + struct.pack(">II", offset, length))
        tables.append(program[start:start + length] + b"\0" * (-length % 4))
        offset += len(tables[-1])
    font = bytearray(header + b"".join(directory) + b"".join(tables))
    if head is not None:  # the whole-font checksum, as the sfnt format defines it
        font[head + 8:head + 12] = bytes(4)
        total = sum(struct.unpack(f">{len(font) // 4}I", font)) & 0xFFFFFFFF
        font[head + 8:head + 12] = struct.pack(">I", (0xB1B0AFBA - total) & 0xFFFFFFFF)
    return bytes(font)


def to_unicode_pairs(cmap: bytes) -> dict[int, bytes] | None:
    """The (code, UTF-16 hex) entries of a ToUnicode CMap of single entries; None for other CMaps."""
    if b"beginbfrange" in cmap or b"begincodespacerange" not in cmap:
        return None
    pairs: dict[int, bytes] = {}
    for code, text in _CHARACTER.findall(cmap.split(b"endcodespacerange", 1)[1]):
        if pairs.setdefault(int(code, 16), text.lower()) != text.lower():
            return None  # one code, two texts: not a map this module understands
    return pairs


def sorted_to_unicode(cmap: bytes, pairs: dict[int, bytes]) -> bytes:
    """The ToUnicode CMap *cmap* (its head: code space, names) with *pairs* as its entries, sorted.

    Sorted entries deflate better than WeasyPrint's order of first use. They stay single entries:
    Ghostscript 10 (txtwrite, and so its PDF rewriting) read the Hangul of bfrange entries as
    other characters (바 as ¼), and ranges saved only 0.2 KB in the report.
    """
    entries = [b"<%04x> <%s>" % (code, text) for code, text in sorted(pairs.items())]
    blocks = [b"%d beginbfchar\n%s\nendbfchar" % (len(chunk), b"\n".join(chunk))
              for chunk in (entries[start:start + 100] for start in range(0, len(entries), 100))]  # at most 100 a block
    head = cmap.split(b"endcodespacerange", 1)[0] + b"endcodespacerange"
    return b"\n".join((head, *blocks, b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"))


def shared_to_unicode(maps: dict[int, bytes]) -> tuple[dict[int, bytes], dict[int, int]]:
    """Merge the ToUnicode CMaps (by object number) that never give one code two texts.

    A font only looks up the codes its text draws, so a map with more entries serves it as well.
    The vendored faces share glyph ids (ASCII everywhere, the KS X 1001 syllables in the Nanum
    faces, fonts/prepare.py), so few maps disagree: the report's eight fonts need two. An empty
    text (<>) counts as a text, so it is never filled in from another map. Maps are merged
    first-fit, largest first. Returns the sorted CMap of each object kept, and for each object
    merged away the object that replaces it.
    """
    groups: list[tuple[int, dict[int, bytes]]] = []
    unparsed: dict[int, bytes] = {}
    moved: dict[int, int] = {}
    parsed = {index: to_unicode_pairs(cmap) for index, cmap in maps.items()}
    for index in sorted(maps, key=lambda index: (-len(parsed[index] or ()), index)):
        pairs = parsed[index]
        if pairs is None:
            unparsed[index] = maps[index]
            continue
        for kept, union in groups:
            if all(union.get(code, text) == text for code, text in pairs.items()):
                union.update(pairs)
                moved[index] = kept
                break
        else:
            groups.append((index, dict(pairs)))
    kept_maps = {index: sorted_to_unicode(maps[index], union) for index, union in groups}
    return kept_maps | unparsed, moved


def default_width(font: Any) -> None:
    """Make the commonest width of CID font dictionary *font* its /DW and drop it from /W."""
    widths: dict[int, Any] = {}
    items = list(font["W"])
    for first, run in zip(items[::2], items[1::2]):
        if not isinstance(first, int) or not isinstance(run, list):
            return  # the range form (first last width) is not what WeasyPrint writes
        widths.update((first + offset, width) for offset, width in enumerate(run))
    counts = Counter(widths.values())
    if not counts:
        return
    common = max(counts, key=lambda width: (counts[width], -float(width)))
    array = pydyf.Array()
    for glyph in sorted(widths):
        if widths[glyph] == common:
            continue
        if glyph - 1 not in widths or widths[glyph - 1] == common:
            array.extend((glyph, pydyf.Array()))
        array[-1].append(widths[glyph])
    font["W"] = array
    if common != 1000:  # the default of /DW
        font["DW"] = common
