"""Inter-character justification: a loose justified line spaces its Hangul syllables a little.

Korean text breaks only at spaces (keep-all, typography.py joins the syllables of a word), so a
line before a long word that does not fit keeps all the slack, and WeasyPrint 70 (`justify_line`
in `layout/inline.py`) gives all of it to the word spaces: up to 0.9 em gaps in the report. The
Korean Layout Requirements (KLREQ) and JIS X 4051 instead share what the spaces should not take
among the gaps between characters. `install` wraps `justify_line` so that:

- a line whose spaces would widen past WORD_STRETCH (a gap of 0.495 em as read back, the space
  being 0.25 em) and that holds Hangul syllables directly followed by another syllable (word
  joiners between them aside) spaces each such pair by the same whole number of thousandths of an
  em, at most SYLLABLE_STRETCH, and the spaces take the rest (at most WORD_STRETCH unless the
  pairs are at their limit);
- nothing is added inside Latin words, next to punctuation, before a space or after a line's last
  character, and every other line is justified exactly as WeasyPrint does.

The spacing is drawn as glyph advances: the layout's glyph widths grow (`Layout.get_first_line` at
drawing), so WeasyPrint writes it as one text-array adjustment after each spaced syllable (like its
own kerning), which text extraction reads as glyph spacing, not a word break as long as it stays
under 0.1 em: Poppler (pdftotext) starts a new word at a gap of 0.1 em, pypdf a little above it;
MuPDF and PDFium later (measured on the report: at 0.1 em pdftotext splits 190 words, at 0.12 em
530, and pypdf 310). SYLLABLE_STRETCH keeps 5 thousandths below that.
"""

from __future__ import annotations

import functools
import math
from typing import Any

WORD_STRETCH = 0.245  # em: the most a word space (0.25 em) widens when syllables can take the rest
SYLLABLE_STRETCH = 95  # thousandths of an em: the most a syllable pair is spaced (text extraction, above)
JOINER = "\u2060"


def _is_syllable(char: str) -> bool:
    """Whether *char* is a precomposed Hangul syllable."""
    return "\uac00" <= char <= "\ud7a3"


def spaced(text: str) -> list[int]:
    """Indices of the syllables of *text* directly followed (joiners aside) by another syllable."""
    found = []
    for index, char in enumerate(text):
        if _is_syllable(char):
            rest = text[index + 1:].lstrip(JOINER)
            if rest and _is_syllable(rest[0]):
                found.append(index)
    return found


def _text_boxes(box: Any) -> list[Any]:
    """The text boxes of a line, in order, inside its in-flow inline boxes."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        return [box]
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        return [text for child in box.children if child.is_in_normal_flow() for text in _text_boxes(child)]
    return []


def _spread(context: Any, box: Any, thousandths: int, advance: float) -> float:
    """Space the syllable pairs of *box* by *thousandths* of their em, moving what follows; return the advance so far."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.text.line_break import create_layout

    if isinstance(box, boxes.TextBox):
        box.position_x += advance
        pairs = len(spaced(box.text))
        if pairs:
            # A layout of its own, as add_word_spacing makes one: the line breaker's may be shared.
            layout = create_layout(box.text, box.style, context, None, box.justification_spacing)
            layout.deactivate()
            layout.syllable_spacing = thousandths  # type: ignore[attr-defined]
            box.pango_layout = layout
            extra = pairs * thousandths * box.style["font_size"] / 1000
            box.width += extra
            advance += extra
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += advance
        before = advance
        children = box.children[::-1] if box.style["direction"] == "rtl" else box.children
        for child in children:
            if child.is_in_normal_flow():
                advance = _spread(context, child, thousandths, advance)
        box.width += advance - before
    else:
        box.translate(advance, 0)
    return advance


def justify_line(original: Any, context: Any, line: Any, extra_width: float) -> None:
    """Justify *line* as WeasyPrint does, unless its spaces would widen past WORD_STRETCH and syllables can share."""
    from weasyprint.layout.inline import add_word_spacing, count_expandable_spaces

    spaces = count_expandable_spaces(line)
    em = line.style["font_size"]
    if not spaces or extra_width / spaces <= WORD_STRETCH * em:
        return original(context, line, extra_width)
    # What one thousandth of an em on every pair adds (each pair in its own text box's em); rounded
    # up, so that the spaces take WORD_STRETCH at most.
    unit = sum(len(spaced(box.text)) * box.style["font_size"] / 1000 for box in _text_boxes(line))
    thousandths = min(SYLLABLE_STRETCH, math.ceil((extra_width - spaces * WORD_STRETCH * em) / unit)) if unit else 0
    if thousandths <= 0:
        return original(context, line, extra_width)
    add_word_spacing(context, line, (extra_width - thousandths * unit) / spaces, 0)
    _spread(context, line, thousandths, 0.0)


def widen_glyphs(layout: Any, line: Any) -> None:
    """Add the layout's syllable spacing to the advance of each spaced syllable's glyph in *line*."""
    from weasyprint.text.ffi import TO_UNITS, ffi

    starts, offset = set(), 0
    indices = set(spaced(layout.text))
    for index, char in enumerate(layout.text):
        if index in indices:
            starts.add(offset)
        offset += len(char.encode())
    # Round up to Pango units so that WeasyPrint's truncated adjustment is the whole thousandths.
    extra = math.ceil(layout.syllable_spacing * layout.style["font_size"] * TO_UNITS / 1000)
    run = line.runs
    while run != ffi.NULL:
        item = run.data
        run = run.next
        glyphs, clusters = item.glyphs, item.glyphs.log_clusters
        count = glyphs.num_glyphs
        for i in range(count):
            last_of_cluster = i == count - 1 or clusters[i + 1] != clusters[i]
            if last_of_cluster and item.item.offset + clusters[i] in starts:
                glyphs.glyphs[i].geometry.width += extra


def install() -> None:
    """Wrap WeasyPrint's line justification and its drawing-time line once per process (a no-op when done)."""
    from weasyprint.layout import inline
    from weasyprint.text.line_break import Layout

    original = inline.justify_line
    if getattr(original, "spaces_syllables", False):
        return
    wrapped = functools.wraps(original)(functools.partial(justify_line, original))
    wrapped.spaces_syllables = True  # type: ignore[attr-defined]
    inline.justify_line = wrapped

    first_line = Layout.get_first_line
    set_text = Layout.set_text

    @functools.wraps(set_text)
    def new_text(self: Any, *args: Any, **kwargs: Any) -> Any:
        self.syllables_widened = False
        return set_text(self, *args, **kwargs)

    @functools.wraps(first_line)
    def get_first_line(self: Any) -> Any:
        line, index = first_line(self)
        if getattr(self, "syllable_spacing", 0) and not self.syllables_widened:
            widen_glyphs(self, line)
            self.syllables_widened = True
        return line, index

    Layout.set_text = new_text
    Layout.get_first_line = get_first_line
