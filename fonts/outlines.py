"""Glyph-level changes fonts/prepare.py makes to a subsetted face: order, CID keying, coordinates.

Each keeps what a glyph draws (checked with `drawings`) or, for the coordinate changes, moves no
point further than its docstring says; the reasons and measurements are in fonts/README.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from fontTools import subset
from fontTools.cffLib import FDArrayIndex, FDSelect, FontDict
from fontTools.misc.psCharStrings import T2WidthExtractor
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.ttLib import TTFont
from fontTools.ttLib.reorderGlyphs import reorderGlyphs
from fontTools.ttLib.scaleUpem import scale_upem

# The GSUB features HarfBuzz applies to horizontal text unless told otherwise.
DEFAULT_GSUB = ("ccmp", "locl", "rlig", "rclt", "calt", "clig", "liga")


@dataclass(frozen=True)
class GlyphOrder:
    """A glyph order of likely use: .notdef, then the glyphs of each tier's code points in turn."""

    tiers: tuple[tuple[int, ...], ...]
    substitutes: bool = False
    """After each tier, the glyphs that DEFAULT_GSUB makes from the glyphs so far (ligatures)."""


def substituted_glyphs(font_data: bytes, gids: set[int]) -> set[int]:
    """Return the ids of the glyphs that DEFAULT_GSUB makes from the given glyphs, and not themselves.

    fontTools' subsetter computes the closure on a copy of the font; glyph ids, not names, link
    the copy to the original, whose in-memory names a reloaded TrueType copy may not share.
    """
    font = TTFont(BytesIO(font_data))
    ids = {name: gid for gid, name in enumerate(font.getGlyphOrder())}
    options = subset.Options()
    options.layout_features = list(DEFAULT_GSUB)
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(gids=gids)
    subsetter.subset(font)
    return {ids[name] for name in font.getGlyphOrder()} - gids


def reorder_glyphs(font: TTFont, order: GlyphOrder) -> None:
    """Put the font's glyphs in the given order of likely use.

    .notdef stays first; then, tier by tier, the glyphs of the tier's code points (and with
    `order.substitutes` the glyphs the default features make from all glyphs so far, in font
    order); then the glyphs of every other mapped character by code point; last the glyphs no
    character maps, in font order. The layout tables, cmap, hmtx, kern and the components of
    composite glyphs follow (fontTools' reorderGlyphs, and glyf and kern store glyph names until
    they are compiled); FDSelect, which it leaves alone, is rebuilt here from each glyph's old font
    dict.
    """
    old = font.getGlyphOrder()
    cmap = font.getBestCmap()
    data = BytesIO()
    if order.substitutes:
        font.save(data)
    ranked = [old[0]]
    for tier in order.tiers:
        ranked = list(dict.fromkeys([*ranked, *(cmap[code] for code in tier if code in cmap)]))
        if order.substitutes:
            made = substituted_glyphs(data.getvalue(), {font.getGlyphID(name) for name in ranked})
            ranked += [old[gid] for gid in sorted(made)]
    new = list(dict.fromkeys([*ranked, *(cmap[code] for code in sorted(cmap)), *old]))
    cff = font["CFF "].cff if "CFF " in font else None
    top = cff.topDictIndex[0] if cff else None
    fd_select = getattr(top, "FDSelect", None)
    if fd_select is not None:
        fd_of = {name: fd_select[gid] for gid, name in enumerate(old)}
        for name in old:  # load every charstring while FDSelect still gives its private dict
            top.CharStrings[name]
    reorderGlyphs(font, new)
    if fd_select is not None:
        fd_select.gidArray = [fd_of[name] for name in new]


def cid_keyed(font: TTFont) -> TTFont:
    """Return the CFF font CID-keyed, with its CIDs numbered as glyph ids (`cid00001` ...).

    A name-keyed CFF has a charset of glyph names, with a string for every name outside CFF's
    standard strings (f_i, uni2011 ...), and WeasyPrint's subset keeps both for every glyph slot
    it retains. CID = glyph id makes the charset one range and leaves no glyph names. A name-keyed
    font becomes CID-keyed with an FDArray of one font dict that takes over its Private dict.
    The font is saved with the old names, reopened and renamed before any other table is read.
    """
    data = BytesIO()
    font.save(data)
    font = TTFont(BytesIO(data.getvalue()), recalcTimestamp=False)
    cff = font["CFF "].cff
    top = cff.topDictIndex[0]
    if not hasattr(top, "ROS"):
        if top.FontMatrix != [0.001, 0, 0, 0.001, 0, 0]:  # a font dict's matrix would scale it again
            raise ValueError(f"{cff.fontNames[0]}: FontMatrix {top.FontMatrix} is not 1/1000 em")
        for name in top.charset:  # load every charstring while the top dict gives its private dict
            top.CharStrings[name]
        font_dict = FontDict()
        font_dict.Private = top.Private
        top.FDArray = FDArrayIndex()
        top.FDArray.append(font_dict)
        top.FDSelect = FDSelect()
        top.FDSelect.gidArray = [0] * len(top.charset)
        top.ROS = ("Adobe", "Identity", 0)
        for key in ("Private", "Encoding"):  # a CID-keyed font has neither in its top dict
            top.rawDict.pop(key, None)
            top.__dict__.pop(key, None)
    charstrings = top.CharStrings.charStrings
    cids = [".notdef" if gid == 0 else f"cid{gid:05d}" for gid in range(len(top.charset))]
    top.CharStrings.charStrings = {cid: charstrings[name] for cid, name in zip(cids, top.charset)}
    top.charset = cids
    top.CIDCount = len(cids)
    font.setGlyphOrder(cids)
    return font


def drawings(font: TTFont) -> tuple[dict[int, tuple[int, str]], list[tuple[int, str]]]:
    """Return each character's advance and outline, and those of all glyphs, sorted.

    Composite glyphs are drawn with their components' outlines, not names: the names of a
    reloaded TrueType font's unmapped glyphs are their glyph ids (glyph12345).
    """
    glyphs = font.getGlyphSet()
    drawn: dict[str, tuple[int, str]] = {}
    for name in font.getGlyphOrder():
        pen = DecomposingRecordingPen(glyphs, skipMissingComponents=False)
        glyphs[name].draw(pen)
        drawn[name] = font["hmtx"][name][0], repr(pen.value)
    return {code: drawn[name] for code, name in font.getBestCmap().items()}, sorted(drawn.values())


def whole_unit_outlines(font: TTFont) -> None:
    """Redraw every CFF charstring with its points on whole font units.

    A Type 2 charstring stores a whole number up to 1,131 in one or two bytes and any fraction in
    five. Linux Libertine has fractional points in a third of its glyphs; on whole units (a point
    moves by at most half a unit, 1/2000 em) its two faces in the report are 4 KB smaller. The
    charstrings are drawn without subroutines, as WeasyPrint's subsetter embeds them anyway.
    """
    cff = font["CFF "].cff
    cff.desubroutinize()
    top = cff.topDictIndex[0]
    glyphs, hmtx = font.getGlyphSet(), font["hmtx"]
    for name in font.getGlyphOrder():
        charstring = top.CharStrings[name]
        private = charstring.private
        advance = hmtx[name][0]
        width = None if advance == private.defaultWidthX else advance - private.nominalWidthX
        pen = T2CharStringPen(width, glyphs, roundTolerance=0.5)  # every point to the nearest unit
        glyphs[name].draw(pen)
        charstring.program = pen.getCharString(private, charstring.globalSubrs).program
        extractor = T2WidthExtractor([], charstring.globalSubrs, private.nominalWidthX, private.defaultWidthX)
        extractor.execute(charstring)
        if extractor.width != advance:
            raise ValueError(f"{name}: the redrawn charstring's width {extractor.width} is not {advance}")


def scaled(font: TTFont, factor: float) -> None:
    """Draw every glyph *factor* times larger in the same em: outlines, advances, kerning, blue zones.

    fontTools' scale_upem scales all of them to a larger em; the em is then set back (and a CFF
    face's FontMatrix with it), so the glyphs grow. The spaces keep their advances (the body's
    word space is shared with the Korean faces); the caller resets the vertical metrics after
    (prepare.set_style_and_metrics), and whole_unit_outlines rounds the points.
    """
    units_per_em, hmtx = font["head"].unitsPerEm, font["hmtx"]
    spaces = {name: hmtx[name] for code, name in font.getBestCmap().items() if code in (0x20, 0xA0)}
    scale_upem(font, round(units_per_em * factor))
    for name, (advance, _) in spaces.items():
        font["hmtx"][name] = (advance, 0)
    font["head"].unitsPerEm = units_per_em
    if "CFF " in font:
        font["CFF "].cff.topDictIndex[0].FontMatrix = [1 / units_per_em, 0, 0, 1 / units_per_em, 0, 0]


def coarser_grid(font: TTFont, units_per_em: int) -> None:
    """Scale a TrueType face's outlines and metrics to *units_per_em* (fewer, on whole units).

    Nanum's outlines are on a grid of 1/1000 or 1/1024 em, finer than print can show: on 1/300 em
    a point moves by at most 1/600 em, 0.015 pt in 9 pt text, an eighth of a pixel at 600 dpi
    (a composite's offsets are rounded apart from its components, but Nanum's are all zero).
    The coarser grid makes the glyph data smaller (the report's PDF loses about 11 KB). Metrics
    are rounded to the new units too, so the caller picks units that keep the ones that must line
    up exact (prepare.py's NANUM_UNITS_PER_EM).
    """
    if "glyf" not in font:
        raise ValueError("only TrueType outlines are put on a coarser grid")
    scale_upem(font, units_per_em)
