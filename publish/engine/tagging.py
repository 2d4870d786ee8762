"""Tagged PDF (PDF/UA-1): what WeasyPrint 70's tagging leaves out, added around it.

WeasyPrint draws every text box as marked content (`/Span <</MCID n>> BDC`) and builds the
structure tree from each page's boxes at write time (`weasyprint/pdf/tags.py`). Around that:

- running heads, page numbers (margin boxes) and dotted leaders become `/Artifact` content: they
  repeat or decorate and a screen reader should skip them. WeasyPrint marks them like text and
  leaves their structure elements out of the tree;
- a list item holds only `Lbl` and `LBody` (Markdown's loose lists put `P` in it);
- elements with `lang` say so (`/Lang`), links describe themselves (`/Contents`: their text),
  footnotes are `Note` with an ID, the contents `TOC`/`TOCI`, the details box a `Sect`.

`install()` wraps WeasyPrint's page painting and tree building once per process; untagged output
is unchanged. Pinned to WeasyPrint 70 (pyproject), whose internals these wrappers follow.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any, Iterator

_MARKED = re.compile(rb"/(\w+)\n<</MCID (\d+)>>\nBDC")
_JOINERS = dict.fromkeys(map(ord, "\u2060\u00ad\u200b"))  # keep-all joiners and soft hyphens are not text
_installed = False


def artifact_boxes(page_box: Any) -> list[Any]:
    """The text boxes of *page_box* that are decoration: margin boxes (running heads, folios) and leaders."""
    from weasyprint.formatting_structure import boxes

    found: list[Any] = []

    def walk(box: Any, artifact: bool) -> None:
        artifact = artifact or isinstance(box, boxes.MarginBox) or box.is_leader
        if isinstance(box, boxes.TextBox):
            if artifact:
                found.append(box)
        elif isinstance(box, boxes.ParentBox):
            for child in box.children:
                walk(child, artifact)

    walk(page_box, False)
    return found


def mark_artifacts(stream: Any, page_box: Any, start: int) -> None:
    """Turn the marked content of *page_box*'s decorations, drawn into *stream* from item *start*, into artifacts.

    The other MCIDs are renumbered in drawing order from 0: the structure tree's parent tree lists
    a page's MCIDs as a plain array, so there must be no gaps.
    """
    import pydyf

    tags = stream._tags
    gone = {tags.pop(box)["mcid"] for box in artifact_boxes(page_box) if box in tags}
    if not gone:
        return
    renumber = {old: new for new, old in enumerate(sorted(tag["mcid"] for tag in tags.values()))}
    for tag in tags.values():
        tag["mcid"] = renumber[tag["mcid"]]

    def rewrite(match: re.Match[bytes]) -> bytes:
        mcid = int(match.group(2))
        if mcid in gone:
            return b"/Artifact BMC"
        return b"/%s\n<</MCID %d>>\nBDC" % (match.group(1), renumber[mcid])

    raw = b"\n".join(pydyf._to_bytes(item) for item in stream.stream[start:])
    stream.stream[start:] = [_MARKED.sub(rewrite, raw)]


def text_of(element: Any) -> str:
    """An HTML element's text as a reader hears it: no joiners, whitespace collapsed."""
    return " ".join("".join(element.itertext()).translate(_JOINERS).split())


def _classes(box: Any) -> set[str]:
    """The classes of the element *box* was made for (not of its pseudo-elements)."""
    if box.element is None or "::" in (box.element_tag or ""):
        return set()
    return set(box.element.get("class", "").split())


def _role(box: Any, tag: str) -> str:
    """The structure type for *box*: WeasyPrint's, or ours where the report's markup says more."""
    classes = _classes(box)
    if "footnote" in classes:
        return "Note"
    if box.element_tag == "ol" and classes & {"toc-chapters", "toc-entries"}:
        return "TOC"
    if box.element_tag == "li" and classes & {"toc-chapter", "toc-entry"}:
        return "TOCI"
    if box.element_tag == "aside":
        return "Sect"
    return tag


def _object(pdf: Any, kid: Any) -> Any:
    """The object a kid of a K array refers to (pydyf references are b'12 0 R'), None for an MCID."""
    if isinstance(kid, bytes) and kid.endswith(b" R"):
        return pdf.objects[int(kid.split()[0])]
    return None


def _wrap_list_item(pdf: Any, item: Any) -> None:
    """Give *item* (an LI) only Lbl and LBody kids: the others go, in order, into one LBody."""
    import pydyf

    def kind(kid: Any) -> str | None:
        target = _object(pdf, kid)
        return target.get("S") if target is not None else None

    kids = list(item["K"])
    if all(kind(kid) in ("/Lbl", "/LBody") for kid in kids):
        return
    body = pydyf.Dictionary({"Type": "/StructElem", "S": "/LBody", "K": pydyf.Array(), "P": item.reference})
    if "Pg" in item:
        body["Pg"] = item["Pg"]
    pdf.add_object(body)
    kept = pydyf.Array()
    for kid in kids:
        if kind(kid) in ("/Lbl", "/LBody"):
            kept.append(kid)
            continue
        target = _object(pdf, kid)
        if target is not None:
            target["P"] = body.reference
        body["K"].append(kid)
    kept.append(body.reference)
    item["K"] = kept


_BARE_SPAN = {"Type", "S", "K", "Pg", "P"}


def _inline_text_spans(pdf: Any, element: Any, nums: dict[int, Any]) -> None:
    """Own the marked content of the bare `Span` WeasyPrint makes for each text box directly.

    A structure element may hold marked-content ids itself (WeasyPrint does so for links); one
    `Span` object per text box was a third of the tagged file's growth. The objects left behind
    become empty dictionaries: pydyf numbers objects by position.
    """
    import pydyf

    kids = pydyf.Array()
    for kid in element["K"]:
        span = _object(pdf, kid)
        if (span is not None and span.get("S") == "/Span" and set(span) <= _BARE_SPAN and len(span["K"]) == 1
                and isinstance(span["K"][0], int) and span.get("Pg") == element.get("Pg")):
            mcid = span["K"][0]
            kids.append(mcid)
            nums[mcid] = element.reference
            placeholder = pydyf.Dictionary()
            placeholder.number, placeholder.generation = span.number, 0
            pdf.objects[span.number] = placeholder
        else:
            kids.append(kid)
    element["K"] = kids


def _contents_item(pdf: Any, item: Any) -> None:
    """A contents entry (TOCI) holds its text and its sub-contents: list bodies and markers become NonStruct."""
    for kid in item["K"]:
        target = _object(pdf, kid)
        if target is not None and target.get("S") in ("/LBody", "/Lbl"):
            target["S"] = "/NonStruct"


@dataclass
class WorkerPageBox:
    """The page box of a page laid out in the worker (engine/parallel.py): its structure, built there, and its links here."""

    tree: PortableTree
    links: list[Any]


def _calls(pdf: Any) -> dict[int, Any]:
    """Structure elements of the footnote calls seen so far in this PDF, by footnote element."""
    if not hasattr(pdf, "publish_footnote_calls"):
        pdf.publish_footnote_calls = {}
    return pdf.publish_footnote_calls


def _beside_call(pdf: Any, footnote: Any, note: Any) -> bool:
    """Put the *note* right after the structure element of its call; False if the call is not known."""
    call = _calls(pdf).get(id(footnote))
    if call is None:
        return False
    holder = _object(pdf, call["P"])
    if holder is None or call.reference not in holder["K"]:
        return False
    holder["K"].insert(holder["K"].index(call.reference) + 1, note.reference)
    note["P"] = holder.reference
    return True


def _build_box_tree(original: Any) -> Any:
    """WeasyPrint's `_build_box_tree` with decorations left out and the elements completed (module doc)."""
    import pydyf
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout.absolute import AbsolutePlaceholder

    def build(box: Any, parent: Any, pdf: Any, page_number: int, nums: Any, annotations: Any, tags: Any) -> Iterator[Any]:
        if isinstance(box, WorkerPageBox):  # a page laid out by the worker: its structure came with it
            yield from _materialize(box.tree, box.links, parent, pdf, page_number, nums, annotations)
            return
        inner = box._box if isinstance(box, AbsolutePlaceholder) else box
        if isinstance(inner, boxes.MarginBox) or inner.is_leader:
            return  # drawn as /Artifact (mark_artifacts)
        passed_through = isinstance(inner, boxes.PageBox) or inner.element_tag in ("html", "body")
        for element in original(box, parent, pdf, page_number, nums, annotations, tags):
            if passed_through:  # WeasyPrint yields the children's elements, already completed
                yield element
                continue
            source = inner.element if inner.element is not None and "::" not in (inner.element_tag or "") else None
            if source is not None:
                role = _role(inner, element["S"][1:])
                if role == "TOCI" and element["S"] != "/LI":
                    role = "NonStruct"  # the body WeasyPrint gives an item without a marker, inside its TOCI
                if role == "TOCI":
                    _contents_item(pdf, element)
                elif element["S"] == "/LI":
                    _wrap_list_item(pdf, element)
                if role != element["S"][1:]:
                    element["S"] = f"/{role}"
                if role == "Note":
                    # PDF/UA wants an ID per note; the element's own (render/footnotes.py) does not depend
                    # on object numbers, which differ when a worker builds the page's structure.
                    element["ID"] = pydyf.String(source.get("id") or "note-" + hashlib.sha1(text_of(source).encode()).hexdigest()[:12])
                    if _beside_call(pdf, source, element):
                        continue  # now read right after its call, not at the page foot
                lang = source.get("lang")
                if lang:
                    element["Lang"] = pydyf.String(lang)
            _inline_text_spans(pdf, element, nums)
            if (inner.element_tag or "").endswith("::footnote-call"):
                element["S"] = "/Reference"  # the call refers to its note, which follows it (_beside_call)
                _calls(pdf)[id(inner.element)] = element
            elif (inner.element_tag or "").endswith("::footnote-marker"):
                element["S"] = "/Lbl"
            annotation = getattr(inner, "link_annotation", None)
            if annotation is not None and source is not None:
                description = text_of(source) or source.get("title") or ""
                if not description:
                    image = next(iter(source.iter("img")), None)
                    description = image.get("alt", "") if image is not None else ""
                if description:
                    annotation["Contents"] = pydyf.String(description)
            yield element

    return build


def install() -> None:
    """Wrap WeasyPrint's page painting and structure building (once per process)."""
    global _installed
    if _installed:
        return
    from weasyprint.document import Page
    from weasyprint.pdf import tags

    paint = Page.paint

    def tagged_paint(self: Any, stream: Any, scale: float = 1) -> None:
        """Paint the page; when tagging, its decorations become artifacts."""
        start = len(stream.stream)
        paint(self, stream, scale)
        if stream._tags is not None:
            mark_artifacts(stream, self._page_box, start)

    Page.paint = tagged_paint
    tags._build_box_tree = _build_box_tree(tags._build_box_tree)
    _installed = True


class _ScratchPDF:
    """Stands in for pydyf's PDF while a worker builds a page's structure: objects numbered from 0."""

    def __init__(self) -> None:
        self.objects: list[Any] = []
        self.page_references: list[bytes] = []

    def add_object(self, item: Any) -> None:
        """Number *item* as pydyf would."""
        item.number, item.generation = len(self.objects), 0
        self.objects.append(item)


@dataclass
class PortableTree:
    """A page's structure elements built where the page was laid out, to be added to a PDF elsewhere.

    Objects 0 and 1 stand for the parent element and the page; *links* maps the placeholders of
    link annotations to the index of the link on the page.
    """

    objects: list[Any]
    top: list[int]
    nums: dict[int, int]
    annotations: list[tuple[int, int]]  # (element, link index)
    links: dict[int, int]


def portable_tree(page: Any, tags: dict[Any, dict[str, Any]]) -> PortableTree:
    """Build *page*'s structure (as add_tags would) from its boxes and the marked content *tags* of its drawing."""
    import pydyf
    from weasyprint.pdf import tags as weasy_tags

    pdf = _ScratchPDF()
    parent, page_reference = pydyf.Dictionary({"S": "/Document"}), pydyf.Dictionary()
    pdf.add_object(parent)
    pdf.add_object(page_reference)
    pdf.page_references = [page_reference.reference]
    links: dict[int, int] = {}
    for index, link in enumerate(page.links):
        placeholder = pydyf.Dictionary({"Type": "/Annot"})  # not empty: WeasyPrint tests it for truth
        pdf.add_object(placeholder)
        link[3].link_annotation = placeholder
        links[placeholder.number] = index
    nums: dict[int, Any] = {}
    annotations: list[tuple[Any, Any]] = []
    remaining = {box: dict(tag) for box, tag in tags.items()}
    top = [element.number for element in weasy_tags._build_box_tree(
        page._page_box, parent, pdf, 0, nums, annotations, remaining)]
    for link in page.links:
        link[3].link_annotation = None
    return PortableTree(pdf.objects, top, {mcid: _number(ref) for mcid, ref in nums.items()},
                        [(_number(ref), links[annotation.number]) for ref, annotation in annotations], links)


def _number(reference: bytes) -> int:
    """The object number of a pydyf reference."""
    return int(reference.split()[0])


def _materialize(tree: PortableTree, links: list[Any], parent: Any, pdf: Any, page_number: int,
                 nums: dict[int, Any], annotations: list[Any]) -> Iterator[Any]:
    """Add a copy of *tree*'s objects to *pdf* under *parent* on page *page_number*; yield its top elements."""
    import copy
    import re

    import pydyf

    reference = re.compile(rb"(\d+) 0 R")
    new: dict[int, bytes] = {0: parent.reference, 1: pdf.page_references[page_number]}
    for number, index in tree.links.items():
        annotation = links[index][3].link_annotation
        new[number] = annotation.reference
        if "Contents" in tree.objects[number]:
            annotation["Contents"] = tree.objects[number]["Contents"]
    copies: dict[int, Any] = {}
    for number, item in enumerate(tree.objects):
        if number not in new:
            copies[number] = copy.deepcopy(item)
            pdf.add_object(copies[number])
            new[number] = copies[number].reference

    def remap(value: Any) -> Any:
        if isinstance(value, bytes) and (match := reference.fullmatch(value)):
            return new[int(match.group(1))]
        if isinstance(value, pydyf.Dictionary):
            for key in value:
                value[key] = remap(value[key])
        elif isinstance(value, pydyf.Array):
            value[:] = [remap(item) for item in value]
        return value

    for item in copies.values():
        remap(item)
    for mcid, number in tree.nums.items():
        nums[mcid] = new[number]
    for number, index in tree.annotations:
        annotations.append((new[number], links[index][3].link_annotation))
    for number in tree.top:
        yield copies[number]
