"""Leaders drawn as a few text boxes of repeated dots, not one per dot: a contents page of a fifth of the bytes.

WeasyPrint 70 fills `leader()` (layout/leader.py, `handle_leader`) with one copy of the leader's
text box per position, on a grid counted from the line's right edge so that the dots of all lines
line up; each copy is drawn as a text object of its own (`Tm`, `TJ`): the report's contents drew
2,800 of them, 150 KB of page content. After layout, consecutive copies are replaced by one text box
of the text repeated, laid out by WeasyPrint's own `split_first_line`, where that draws the same
glyphs at the same places:

- Pango shapes the repeated text into the glyphs of one copy, repeated with the same advances (no
  kerning or ligature across copies: "VAVA" kerns, so such a leader keeps its copies), and the
  copies sit side by side (spacing = box width);
- inside one `TJ`, draw/text.py writes each glyph's advance in whole thousandths of an em, where
  each copy had its own exact `Tm`, so the glyphs of a run creep off the grid by that rounding (the
  report's dot: 0.0003 em per copy). A run is anchored at its right-most copy, the grid's origin,
  so the dots of all lines still line up, and ends before any glyph would be more than MAX_DRIFT
  off: a thousandth of an em, the unit of every glyph advance the PDF holds. A leader of 100 dots
  in the report takes three runs.

Anything else (decorated or ellipsed text, bitmap or colour fonts, missing glyphs) keeps its copies.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any, Iterable, Iterator

MAX_DRIFT = 0.001
"""Largest distance, in em, between a glyph of a run and its copy's place (0.001 em = 0.004 mm at 11 pt)."""

_Glyph = tuple[int, float, int, int, int]  # Pango font key and size, glyph id, advance and x offset (Pango units)


def merge_leaders(pages: Iterable[Any]) -> int:
    """Draw each leader on *pages* (laid-out WeasyPrint pages) with as few text boxes as keep its dots in place; return the boxes saved."""
    saved = 0
    fonts: dict[Any, bool] = {}  # Pango font key → drawn as plain outline glyphs, asked of HarfBuzz once
    for page in pages:
        for leader, line in _leaders(page._page_box):
            before = len(leader.children)
            _merge(leader, line, fonts)
            saved += before - len(leader.children)
    return saved


def _leaders(root: Any) -> Iterator[tuple[Any, Any]]:
    """Every leader box under *root* with the line box holding it (a loop, not recursion: pages nest deep)."""
    from weasyprint.formatting_structure import boxes

    stack: list[tuple[Any, Any]] = [(root, None)]
    while stack:
        box, line = stack.pop()
        if isinstance(box, boxes.LineBox):
            line = box
        if box.is_leader:
            yield box, line
            continue
        stack.extend((child, line) for child in getattr(box, "children", ()) if isinstance(child, boxes.Box))


def _merge(leader: Any, line: Any, fonts: dict[Any, bool]) -> None:
    """Replace the copies filling *leader* by runs of repeated text, if every glyph stays within MAX_DRIFT."""
    from weasyprint.formatting_structure import boxes

    copies = sorted(leader.children, key=lambda box: box.position_x)
    if len(copies) < 2 or line is None or line.text_overflow != "clip" or line.block_ellipsis != "none":
        return  # ellipsis is drawn into the line's last box: leave such lines as WeasyPrint made them
    first = copies[0]
    style, width = first.style, first.width
    same = ("text", "pango_layout", "position_y", "width", "height", "baseline", "margin_top", "margin_bottom")
    if (not isinstance(first, boxes.TextBox) or width <= 0 or style["text_decoration_line"] != "none"
            or any(type(box) is not type(first) or box.style is not style
                   or any(getattr(box, name) != getattr(first, name) for name in same) for box in copies)):
        return  # not handle_leader's copies of one box; decorations would be drawn once, not per copy
    if any(abs(right.position_x - left.position_x - width) > 1e-6 for left, right in pairwise(copies)):
        return  # gaps between copies (an excluded float shape): one run would fill them
    shaped = _glyphs(first.pango_layout, style, fonts)
    if not shaped or not shaped[0]:
        return
    single, advance = shaped
    drift = MAX_DRIFT * style["font_size"]
    runs, layouts, end = [], {}, len(copies) - 1
    while end >= 0:
        # Extend the run leftwards from its right-most copy while the left-most glyph stays close.
        start = end
        while start > 0 and abs(copies[end].position_x - (end - start + 1) * advance - copies[start - 1].position_x) <= drift:
            start -= 1
        count = end - start + 1
        if count > 1 and count not in layouts:
            layouts[count] = _repeated(first, count, single, fonts)
        if count > 1 and layouts[count] is not None:
            run = first.copy_with_text(first.text * count)
            run.pango_layout = layouts[count]
            run.position_x = copies[end].position_x - (count - 1) * advance
            run.width = copies[end].position_x + width - run.position_x
            runs.append(run)
        else:
            runs.extend(reversed(copies[start:end + 1]))
        end = start - 1
    leader.children = tuple(runs)  # right to left, as handle_leader orders them


def _repeated(box: Any, count: int, single: list[_Glyph], fonts: dict[Any, bool]) -> Any:
    """A Pango layout of *box*'s text *count* times, if it shapes to *single*'s glyphs *count* times with *box*'s metrics; else None."""
    from weasyprint.text.line_break import split_first_line

    # No width: leaders do not wrap (white-space: pre). WeasyPrint 70's split_first_line ignores its context.
    text = box.text * count
    layout, length, resume, _, height, baseline = split_first_line(
        text, box.style, None, None, box.justification_spacing)
    if length != len(text.encode()) or resume is not None or height != box.height or baseline + box.margin_top != box.baseline:
        return None
    shaped = _glyphs(layout, box.style, fonts)
    return layout if shaped is not None and shaped[0] == single * count else None


def _glyphs(layout: Any, style: Any, fonts: dict[Any, bool]) -> tuple[list[_Glyph], float] | None:
    """The glyphs drawing *layout* shows, as draw/text.py gets them, and how far they move a `TJ` (CSS px).

    None if a glyph is empty, missing, raised or in a font not drawn as plain outlines.
    """
    from weasyprint.text.ffi import FROM_UNITS, ffi, pango
    from weasyprint.text.fonts import get_pango_font_key

    layout.reactivate(style)  # as draw_text does: the same text, attributes and justification
    logical = ffi.new("PangoRectangle *")
    try:
        line, _ = layout.get_first_line()
        glyphs: list[_Glyph] = []
        advance = 0.0
        run = line.runs[0] if line.runs != ffi.NULL else ffi.NULL
        while run != ffi.NULL:
            item, run = run.data, run.next
            pango_font = item.item.analysis.font
            key, _, size = get_pango_font_key(pango_font)
            if not _plain(pango_font, (key, size), fonts):
                return None
            if pango.pango_version() < 14802:
                size = style["font_size"]  # as draw_first_line does for old Pango
            for info in item.glyphs.glyphs[0:item.glyphs.num_glyphs]:
                glyph, width, x_offset = info.glyph, info.geometry.width, info.geometry.x_offset
                if glyph == pango.PANGO_GLYPH_EMPTY or glyph & pango.PANGO_GLYPH_UNKNOWN_FLAG or info.geometry.y_offset:
                    return None
                glyphs.append((key, size, glyph, width, x_offset))
                # draw_first_line writes the font's width rounded to 1/1000 em, then Pango's advance
                # less that as a whole number (int()): each glyph moves by whole thousandths of an em.
                pango.pango_font_get_glyph_extents(pango_font, glyph, ffi.NULL, logical)
                logical_width = round(logical.width * 1000 * FROM_UNITS / size)
                offset = x_offset / size
                kerning = logical_width + offset - width * 1000 * FROM_UNITS / size
                advance += (offset + logical_width - int(kerning)) * size / 1000
        return glyphs, advance
    finally:
        layout.deactivate()


def _plain(pango_font: Any, key: tuple[int, float], fonts: dict[Any, bool]) -> bool:
    """True if *pango_font* is drawn as outline glyphs in a `TJ`, not as bitmap strikes or colour glyph images."""
    from weasyprint.text.ffi import harfbuzz
    from weasyprint.text.fonts import get_pango_font_hb_face

    if key not in fonts:
        face = get_pango_font_hb_face(pango_font)
        blob = harfbuzz.hb_face_reference_table(face, harfbuzz.hb_tag_from_string(b"EBDT", -1))
        bitmap = harfbuzz.hb_blob_get_length(blob) > 0
        harfbuzz.hb_blob_destroy(blob)
        # The tests of pdf/fonts.py's Font: COLR only counts from HarfBuzz 7 (older ones lack has_paint).
        colour = harfbuzz.hb_ot_color_has_png(face) or harfbuzz.hb_ot_color_has_svg(face) or (
            harfbuzz.hb_version_atleast(7, 0, 0)
            and (harfbuzz.hb_ot_color_has_paint(face) or harfbuzz.hb_ot_color_has_layers(face)))
        fonts[key] = not (bitmap or colour)
    return fonts[key]
