"""Saddle-stitch imposition: the A5 handout 2-up on A4 landscape sheets, in folding order (pypdf)."""

from __future__ import annotations

import io

Side = tuple[int | None, int | None]
"""The (left, right) 0-based page indexes printed on one side of a sheet; None is a blank half."""

BLANK_LABEL = "–"
# A4 landscape in points. Two A5 pages (2 × 148 mm) leave 1 mm of it: split around the pair.
A4_LANDSCAPE = (841.89, 595.276)


def sheet_order(count: int) -> list[Side]:
    """Sheet sides in print order (sheet 1 front, sheet 1 back, …) for *count* pages.

    Blank pages pad the booklet to a multiple of 4 at its end. The outermost sheet carries the
    first and last pages, so the stack printed double-sided and folded reads in order.
    """
    total = -(-count // 4) * 4
    sides: list[Side] = []
    for sheet in range(total // 4):
        front = (total - 1 - 2 * sheet, 2 * sheet)
        back = (2 * sheet + 1, total - 2 - 2 * sheet)
        sides += [front, back]
    return [tuple(page if page < count else None for page in side) for side in sides]  # type: ignore[misc]


def impose(data: bytes, identifier: bytes, sheet_size: tuple[float, float] = A4_LANDSCAPE) -> bytes:
    """Impose the PDF *data* (same-size portrait pages) as a booklet; the /ID becomes *identifier*.

    The two pages of a side meet at the middle of the *sheet_size* sheet, where it is folded. Each
    side is labelled with the labels of its two pages ("– | i"), so a viewer's page box shows what
    is printed where. Links are dropped: the booklet exists to be printed.
    """
    from pypdf import PdfReader, PdfWriter, Transformation
    from pypdf.generic import ArrayObject, ByteStringObject, NameObject

    reader = PdfReader(io.BytesIO(data))
    pages = reader.pages
    width, height = float(pages[0].mediabox.width), float(pages[0].mediabox.height)
    sheet_width, sheet_height = sheet_size
    fold, bottom = sheet_width / 2, (sheet_height - height) / 2
    labels = reader.page_labels
    writer = PdfWriter()
    for index, side in enumerate(sheet_order(len(pages))):
        sheet = writer.add_blank_page(width=sheet_width, height=sheet_height)
        for slot, page in enumerate(side):
            if page is not None:
                left_edge = fold - width if slot == 0 else fold
                sheet.merge_transformed_page(pages[page], Transformation().translate(tx=left_edge, ty=bottom))
        left, right = (labels[page] if page is not None else BLANK_LABEL for page in side)
        writer.set_page_label(index, index, prefix=f"{left} | {right}")
        if "/Annots" in sheet:
            del sheet["/Annots"]
        sheet.compress_content_streams()  # pypdf writes merged content uncompressed (more than twice the size)
    writer.add_metadata(dict(reader.metadata or {}))
    # Preselect "flip on short edge" in print dialogues: the setting a landscape booklet needs.
    writer.create_viewer_preferences()
    writer._root_object["/ViewerPreferences"][NameObject("/Duplex")] = NameObject("/DuplexFlipShortEdge")
    # pypdf draws a random /ID unless one is set, and has no public setter for it.
    writer._ID = ArrayObject([ByteStringObject(identifier), ByteStringObject(identifier)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
