"""A box split across pages ends its part on the first page where its content ends.

CSS Fragmentation (and WeasyPrint 70, `layout/block.py`) stretches the part of a split box to the
foot of the page. A tinted, bordered details box then ends in an empty tinted band as tall as
whatever did not fit: up to 99 pt in the committed report. `install` wraps WeasyPrint's block
container layout so that such a part keeps the height of its content (and its own min-height);
the space below it stays white page, and nothing else moves: the part is the last thing on its page.
"""

from __future__ import annotations

import functools
from typing import Any


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
    children = [child for child in part.children if child.is_in_normal_flow()]
    last = children[-1] if children else None
    if last is not None and last.children and not hasattr(last, "text") and last.style["height"] == "auto" \
            and type(last).__name__ in ("BlockBox", "BlockContainerBox"):
        fit(last)
    part.height = min(part.height, max(content_height(part), part.min_height))


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
        return result

    layout.fits_content = True  # type: ignore[attr-defined]
    block.block_container_layout = layout
