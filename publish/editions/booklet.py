"""Saddle-stitch imposition: the A5 handout 2-up on A4 landscape sheets, in folding order (pypdf).

The imposition keeps the handout's tags (PDF/UA-1): each sheet's content is its two pages' content
streams, each wrapped in `q … cm … Q`, with their marked content renumbered per sheet; the structure
tree keeps its reading order and only its page references, MCIDs and parent tree change.
"""

from __future__ import annotations

import io
from typing import Any

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


class _Placement:
    """Where one page went: its sheet, the shift onto it and the offset added to its MCIDs."""

    def __init__(self, sheet: Any, shift: tuple[float, float], offset: int, key: int | None) -> None:
        self.sheet, self.shift, self.offset, self.key = sheet, shift, offset, key


def _parent_tree(tree: Any) -> dict[int, Any]:
    """A number tree (the structure's /ParentTree) flattened to {key: value}."""
    found: dict[int, Any] = {}
    node = tree.get_object()
    nums = node.get("/Nums", [])
    for key, value in zip(nums[::2], nums[1::2], strict=True):
        found[int(key)] = value
    for kid in node.get("/Kids", []):
        found.update(_parent_tree(kid))
    return found


def _sheet_content(pages: list[tuple[Any, float, float, int]], pdf: Any) -> bytes:
    """One sheet's content: each (page, dx, dy, mcid offset) drawn shifted, its MCIDs renumbered."""
    from pypdf.generic import ContentStream, NameObject, NumberObject

    parts = []
    for page, dx, dy, offset in pages:
        stream = ContentStream(page.get_contents(), pdf)
        if offset:
            for operands, operator in stream.operations:
                if operator == b"BDC" and len(operands) > 1 and hasattr(operands[1], "get") and "/MCID" in operands[1]:
                    operands[1][NameObject("/MCID")] = NumberObject(int(operands[1]["/MCID"]) + offset)
        parts.append(b"q 1 0 0 1 %s %s cm\n" % (_number(dx), _number(dy)) + stream.get_data() + b"\nQ\n")
    return b"".join(parts)


def _number(value: float) -> bytes:
    """A coordinate written reproducibly, without a float's noise."""
    return (f"{value:.4f}".rstrip("0").rstrip(".") or "0").encode()


def _resources(pages: list[Any]) -> Any:
    """The resources both pages draw with: WeasyPrint shares one dictionary, else they are merged."""
    from pypdf.generic import DictionaryObject, NameObject

    refs = {page.raw_get("/Resources").idnum if hasattr(page.raw_get("/Resources"), "idnum") else id(page) for page in pages}
    if len(refs) == 1:
        return pages[0].raw_get("/Resources")
    merged = DictionaryObject()
    for page in pages:
        for category, entries in page["/Resources"].items():
            if not hasattr(entries.get_object(), "items"):
                merged[NameObject(category)] = entries  # /ProcSet
                continue
            target = merged.setdefault(NameObject(category), DictionaryObject())
            for name, value in entries.get_object().items():
                if name in target and target[name] != value:
                    raise ValueError(f"pages use {category} {name} for different resources: cannot impose")
                target[NameObject(name)] = value
    return merged


def _retarget(writer: Any, placed: dict[int, _Placement]) -> None:
    """Point the structure tree, parent tree, annotations and destinations at the sheets."""
    from pypdf.generic import (
        ArrayObject,
        FloatObject,
        NameObject,
        NullObject,
        NumberObject,
    )

    root = writer._root_object
    tree = root.get("/StructTreeRoot")
    if tree is not None:
        tree = tree.get_object()
        old = _parent_tree(tree["/ParentTree"])

        def walk(element: Any, page: _Placement | None) -> None:
            if "/Pg" in element:
                page = placed[element.raw_get("/Pg").idnum]
                element[NameObject("/Pg")] = page.sheet
            kids = element.get("/K")
            many = isinstance(kids, list)
            for index, kid in enumerate(kids if many else [kids] if kids is not None else []):
                if isinstance(kid, int) and page is not None:
                    shifted = NumberObject(int(kid) + page.offset)
                    if many:
                        kids[index] = shifted
                    else:
                        element[NameObject("/K")] = shifted
                    continue
                target = kid.get_object() if hasattr(kid, "get_object") else kid
                if not hasattr(target, "get"):
                    continue
                if target.get("/Type") in ("/MCR", "/OBJR"):
                    at = placed[target.raw_get("/Pg").idnum] if "/Pg" in target else page
                    if "/Pg" in target:
                        target[NameObject("/Pg")] = at.sheet
                    if target.get("/Type") == "/MCR" and at is not None:
                        target[NameObject("/MCID")] = NumberObject(int(target["/MCID"]) + at.offset)
                elif "/S" in target:
                    walk(target, page)

        walk(tree, None)
        # The pages' keys go with the pages; annotations keep theirs; sheets have keys after all of them.
        entries = {key: value for key, value in old.items() if not isinstance(value.get_object(), list)}
        sheets: dict[int, ArrayObject] = {}
        for place in sorted(placed.values(), key=lambda place: place.offset):
            array = sheets.setdefault(int(place.sheet.get_object()["/StructParents"]), ArrayObject())
            own = old.get(place.key, ArrayObject()) if place.key is not None else ArrayObject()
            array += [NullObject()] * (place.offset - len(array)) + list(own.get_object())
        entries.update(sheets)
        nums = ArrayObject()
        for key in sorted(entries):
            nums += [NumberObject(key), entries[key]]
        parent_tree = tree["/ParentTree"].get_object()
        parent_tree.pop("/Kids", None)
        parent_tree[NameObject("/Nums")] = nums
    def destination(array: Any) -> None:
        if isinstance(array, list) and array and hasattr(array[0], "idnum") and array[0].idnum in placed:
            place = placed[array[0].idnum]
            array[0] = place.sheet
            if len(array) >= 4 and array[1] == "/XYZ":
                for index, delta in ((2, place.shift[0]), (3, place.shift[1])):
                    if not isinstance(array[index], NullObject):
                        array[index] = FloatObject(round(float(array[index]) + delta, 4))

    names = root.get("/Names", {}).get("/Dests")
    if names is not None:
        listed = names.get_object().get("/Names", [])
        for value in listed[1::2]:
            destination(value.get_object() if hasattr(value, "get_object") else value)
    root.pop("/Outlines", None)  # a printed booklet needs no bookmarks; the booklet never had them
    root.pop("/PageMode", None)


def _drop_unreachable(writer: Any) -> None:
    """Leave out of the file every object the catalog and info no longer reach.

    pypdf's `compress_identical_objects(remove_unreferenced=True)` keeps objects that only other
    dropped objects refer to (the old pages, referred to by the old bookmarks).
    """
    from pypdf.generic import IndirectObject

    reached: set[int] = set()
    pending = [writer._root_object.indirect_reference]
    if writer._info is not None:
        pending.append(writer._info.indirect_reference)
    while pending:
        value = pending.pop()
        if isinstance(value, IndirectObject):
            if value.idnum in reached:
                continue
            reached.add(value.idnum)
            value = writer.get_object(value.idnum)
        if hasattr(value, "values"):
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    for index in range(len(writer._objects)):
        if index + 1 not in reached:
            writer._objects[index] = None


def impose(data: bytes, identifier: bytes, sheet_size: tuple[float, float] = A4_LANDSCAPE) -> bytes:
    """Impose the PDF *data* (same-size portrait pages) as a booklet; the /ID becomes *identifier*.

    The two pages of a side meet at the middle of the *sheet_size* sheet, where it is folded. Each
    side is labelled with the labels of its two pages ("– | i"), so a viewer's page box shows what
    is printed where. A tagged PDF stays tagged, its structure in reading order; links move with
    their pages.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        ByteStringObject,
        DecodedStreamObject,
        FloatObject,
        NameObject,
        NumberObject,
    )

    reader = PdfReader(io.BytesIO(data))
    labels = reader.page_labels
    writer = PdfWriter(clone_from=reader)
    pages = list(writer.pages)
    width, height = float(pages[0].mediabox.width), float(pages[0].mediabox.height)
    sheet_width, sheet_height = sheet_size
    fold, bottom = sheet_width / 2, (sheet_height - height) / 2
    tagged = "/StructTreeRoot" in writer._root_object
    tree = writer._root_object["/StructTreeRoot"].get_object() if tagged else {}
    parents = _parent_tree(tree["/ParentTree"]) if tagged else {}
    first_key = max(parents, default=-1) + 1
    placed: dict[int, _Placement] = {}
    sheets = []
    for index, side in enumerate(sheet_order(len(pages))):
        sheet = writer.add_blank_page(width=sheet_width, height=sheet_height)
        drawn, annotations, offset = [], ArrayObject(), 0
        for slot, number in enumerate(side):
            if number is None:
                continue
            page, dx = pages[number], fold - width if slot == 0 else fold
            key = int(page["/StructParents"]) if "/StructParents" in page else None
            placed[page.indirect_reference.idnum] = _Placement(sheet.indirect_reference, (dx, bottom), offset, key)
            drawn.append((page, dx, bottom, offset))
            for annotation in page.get("/Annots", []):
                target = annotation.get_object()
                x1, y1, x2, y2 = (float(v) for v in target["/Rect"])
                target[NameObject("/Rect")] = ArrayObject(
                    FloatObject(round(v, 4)) for v in (x1 + dx, y1 + bottom, x2 + dx, y2 + bottom))
                if "/P" in target:
                    target[NameObject("/P")] = sheet.indirect_reference
                annotations.append(annotation)
            if key is not None:
                offset += len(parents.get(key, []))  # indexed by MCID: longer than the page's largest
        content = DecodedStreamObject()
        content.set_data(_sheet_content(drawn, writer))
        sheet[NameObject("/Contents")] = writer._add_object(content)
        if drawn:
            sheet[NameObject("/Resources")] = _resources([p for p, *_ in drawn])
        if annotations:
            sheet[NameObject("/Annots")] = annotations
        if tagged and drawn:  # a side left blank has no marked content to point to
            sheet[NameObject("/StructParents")] = NumberObject(first_key + index)
            sheet[NameObject("/Tabs")] = NameObject("/S")
        sheet.compress_content_streams()  # pypdf writes new content uncompressed (more than twice the size)
        sheets.append(sheet.indirect_reference)
    _retarget(writer, placed)
    if "/ParentTreeNextKey" in tree:
        tree[NameObject("/ParentTreeNextKey")] = NumberObject(first_key + len(sheets))
    page_tree = writer._root_object["/Pages"].get_object()
    page_tree[NameObject("/Kids")] = ArrayObject(sheets)
    page_tree[NameObject("/Count")] = NumberObject(len(sheets))
    writer._root_object.pop("/PageLabels", None)
    for index, side in enumerate(sheet_order(len(pages))):
        left, right = (labels[page] if page is not None else BLANK_LABEL for page in side)
        writer.set_page_label(index, index, prefix=f"{left} | {right}")
    # Preselect "flip on short edge" in print dialogues: the setting a landscape booklet needs.
    if "/ViewerPreferences" not in writer._root_object:  # a tagged handout's holds DisplayDocTitle: kept
        writer.create_viewer_preferences()
    writer._root_object["/ViewerPreferences"].get_object()[NameObject("/Duplex")] = NameObject("/DuplexFlipShortEdge")
    _drop_unreachable(writer)  # the A5 pages themselves, and the bookmarks pointing at them
    # pypdf draws a random /ID unless one is set, and has no public setter for it.
    writer._ID = ArrayObject([ByteStringObject(identifier), ByteStringObject(identifier)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
