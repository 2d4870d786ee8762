"""Page make-up during layout: split boxes end at their content, and a page that breaks early is feathered.

CSS Fragmentation (and WeasyPrint 70, `layout/block.py`) stretches the part of a split box to the
foot of the page. A tinted, bordered details box then ends in an empty tinted band as tall as
whatever did not fit: up to 99 pt in the committed report. `install` wraps WeasyPrint's block
container layout so that such a part keeps the height of its content (and its own min-height).

When a chapter breaks to the next page with white space left at the foot (an entry head that
must not stand alone, a paragraph that keeps its orphans and widows), that space is shared among
the gaps between the blocks of the page, as a typesetter feathers a page to the foot (TeX's
flushbottom): at most FEATHER_GAP per gap, so that a page with few gaps keeps part of its hole.
The page's last line then sits at its foot like every other page's.
"""

from __future__ import annotations

import functools
from typing import Any

FEATHERED = ("chapter", "entry", "details")  # classes (templates) whose children's gaps may widen
FEATHER_GAP = 9.0 * 4 / 3  # CSS px (9 pt): the most a gap between two blocks widens
FEATHER_FROM = 12.0 * 4 / 3  # CSS px (12 pt): smaller holes stay as they are


def content_height(box: Any) -> float:
    """The height *box*'s in-flow and floated children take, from its content top to their lowest border edge."""
    top = box.content_box_y()
    bottoms = [child.position_y + child.margin_height() - (child.margin_bottom or 0)
               for child in box.children if child.is_in_normal_flow() or child.is_floated()]
    return max(0.0, max(bottoms, default=top) - top)


def fit(part: Any) -> None:
    """Shrink *part*, and the chain of last children that ends it, to what they hold.

    The chain matters because WeasyPrint, when it moves a break earlier to honour `break-*: avoid`,
    orphans or widows, cuts children off boxes whose heights stay as laid out before the cut.
    """
    from weasyprint.formatting_structure.boxes import BlockBox

    children = [child for child in part.children if child.is_in_normal_flow()]
    last = children[-1] if children else None
    if isinstance(last, BlockBox) and last.children and last.style["height"] == "auto":
        fit(last)
    part.height = min(part.height, max(content_height(part), part.min_height))


def _classes(box: Any) -> set[str]:
    """The class names of *box*'s element."""
    element = getattr(box, "element", None)
    return set((element.get("class") or "").split()) if element is not None and box.element_tag else set()


def _widens(before: Any, after: Any) -> bool:
    """Whether the gap between two sibling blocks may widen: not after a heading kept with what follows."""
    from weasyprint.layout.block import block_level_page_break

    return before is not None and block_level_page_break(before, after) not in ("avoid", "avoid-page")


def _gaps(box: Any) -> int:
    """How many gaps between blocks inside *box* (its own and its feathered children's) may widen."""
    children = [child for child in box.children if child.is_in_normal_flow()]
    inner = sum(_gaps(child) for child in children if _classes(child) & set(FEATHERED))
    return sum(_widens(before, after) for before, after in zip(children, children[1:])) + inner


def _spread(box: Any, gap: float) -> float:
    """Widen every gap inside *box* by *gap*, moving what follows down; return how much *box* grew."""
    offset = 0.0
    before = None
    for child in box.children:
        if not child.is_in_normal_flow():
            child.translate(0, offset)
            continue
        if _widens(before, child):
            offset += gap
        before = child
        child.translate(0, offset)
        if _classes(child) & set(FEATHERED):
            grown = _spread(child, gap)
            child.height += grown
            offset += grown
    return offset


def feather(part: Any, free: float) -> None:
    """Share *free* space at the page foot among the gaps inside *part*, each widened by FEATHER_GAP at most."""
    gaps = _gaps(part)
    if free < FEATHER_FROM or gaps == 0:
        return
    part.height += _spread(part, min(FEATHER_GAP, free / gaps))


def install() -> None:
    """Wrap WeasyPrint's block container layout once per process (a no-op when already done)."""
    from weasyprint.layout import block

    original = block.block_container_layout
    if getattr(original, "fits_content", False):
        return

    @functools.wraps(original)
    def layout(context: Any, box: Any, *args: Any, **kwargs: Any) -> Any:
        result = original(context, box, *args, **kwargs)
        part, resume_at = result[0], result[1]
        if part is not None and resume_at is not None and box.style["height"] == "auto" and not part.is_column:
            fit(part)
            if "chapter" in _classes(box) and args and isinstance(args[0], (int, float)):
                bottom = part.border_box_y() + part.border_height()
                feather(part, context.page_bottom - args[0] - bottom)
        return result

    layout.fits_content = True  # type: ignore[attr-defined]
    block.block_container_layout = layout
