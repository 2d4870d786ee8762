"""The lenient HTML tree → document nodes (inline content, blocks), reporting what had to be dropped."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .htmltree import INLINE_TAGS, El, Txt
from .nodes import (
    WHITESPACE,
    Block,
    Break,
    Code,
    CodeBlock,
    DetailsEnd,
    DetailsStart,
    Figure,
    Heading,
    Image,
    Inline,
    Link,
    ListBlock,
    Para,
    Quote,
    RawBlock,
    Rule,
    Styled,
    Text,
    is_blank,
    merge_texts,
    strip_leading,
)

_BLANK_LINE = re.compile(r"\n[ \t\xa0]*\n")
_ATX = re.compile(r"^[ \t]*(#{1,6})[ \t]+")
_STYLES = {
    "strong": "strong", "b": "strong", "em": "em", "i": "em", "cite": "em", "dfn": "em", "var": "em",
    "del": "del", "s": "del", "strike": "del",
    "sup": "sup", "sub": "sub", "u": "u", "mark": "mark", "small": "small", "ins": "ins",
}
_CODE = {"code", "kbd", "samp", "tt"}


def _text_of(element: El) -> str:
    return "".join(c.text if isinstance(c, Txt) else _text_of(c) for c in element.children)


@dataclass
class Converter:
    """Turns the lenient HTML tree into blocks, reporting what it had to drop through *warn*."""

    warn: Callable[[int | None, str], None]

    # inline content
    def inlines(self, children: list[El | Txt]) -> list[Inline]:
        """Inline nodes for a list of tree children."""
        out: list[Inline] = []
        for child in children:
            if isinstance(child, Txt):
                out.append(Text(child.text))
                continue
            tag = child.tag
            if tag == "a":
                href = child.attrs.get("href", "").strip()
                inner = self.inlines(child.children)
                out.append(Link(href, inner) if href else Styled("span", inner))
            elif tag in _STYLES:
                out.append(Styled(_STYLES[tag], self.inlines(child.children)))
            elif tag in _CODE:
                out.append(Code(_text_of(child)))
            elif tag in ("br", "wbr"):
                out.append(Break() if tag == "br" else Text(""))
            elif tag == "img":
                out.append(Image(child.attrs.get("src", "").strip(), child.attrs.get("alt", "")))
            elif tag in ("script", "style"):
                self.warn(child.line, f"dropped a <{tag}> element")
            elif tag in INLINE_TAGS:
                out.append(Styled("span", self.inlines(child.children)))
            else:  # a block inside inline content: keep its text, separated
                out += [Text(" "), *self.inlines(child.children), Text(" ")]
        return _unwrap_spans(merge_texts(out))

    # block content
    def blocks(self, container: El) -> list[Block]:
        """Blocks for the children of *container*; loose inline content becomes paragraphs."""
        out: list[Block] = []
        run: list[El | Txt] = []

        def flush() -> None:
            for piece in _split_blank_lines(run):
                self._loose_paragraph(piece, out)
            run.clear()

        children = container.children
        for child in children:
            if isinstance(child, Txt) or child.tag in INLINE_TAGS:
                run.append(child)
            else:
                flush()
                out.extend(self.block(child))
        flush()
        return out

    def _loose_paragraph(self, piece: list[El | Txt], out: list[Block]) -> None:
        inlines = self.inlines(piece)
        if is_blank(inlines):
            return
        line = _first_line(piece)
        first = next((n for n in inlines if not (isinstance(n, Text) and not n.text.strip())), None)
        if isinstance(first, Text) and (match := _ATX.match(first.text)):
            rest = strip_leading(inlines, _ATX)
            out.append(Heading(len(match.group(1)), rest, line))
            return
        out.append(Para(inlines, line))

    def block(self, element: El) -> list[Block]:
        """Blocks for one block-level element."""
        tag = element.tag
        if tag == "details":
            summary = element.find("summary")
            rest = El("div", {}, element.line, [c for c in element.children if c is not summary])
            summary_inlines = self.inlines(summary.children) if summary is not None else []
            end_line = _last_line(element)
            return [DetailsStart(summary_inlines, element.line), *self.blocks(rest), DetailsEnd(end_line)]
        if tag in ("p", "summary", "dt", "dd", "figcaption", "caption", "label", "legend"):
            inlines = self.inlines(element.children)
            if any(isinstance(c, El) and c.tag not in INLINE_TAGS for c in element.children):
                return self.blocks(element)  # a paragraph that holds blocks (malformed): keep them as blocks
            return [] if is_blank(inlines) else [Para(inlines, element.line)]
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            inlines = self.inlines(element.children)
            return [] if is_blank(inlines) else [Heading(int(tag[1]), inlines, element.line)]
        if tag in ("ul", "ol", "dl"):
            return [self._list(element)]
        if tag == "li":
            return [ListBlock(False, 1, [self.blocks(element)], element.line)]
        if tag == "blockquote":
            return [Quote(self.blocks(element), element.line)]
        if tag == "pre":
            return [CodeBlock(_text_of(element).strip("\n"), element.line)]
        if tag == "hr":
            return [Rule(element.line)]
        if tag == "table":
            return [RawBlock(_serialise(element), element.line)]
        if tag == "figure":
            image = _find_deep(element, "img")
            caption = element.find("figcaption")
            if image is not None:
                alt = WHITESPACE.sub(" ", _text_of(caption)).strip() if caption is not None else image.attrs.get("alt", "")
                return [Figure(image.attrs.get("src", "").strip(), alt, element.line)]
            return self.blocks(element)
        if tag in ("script", "style", "head", "meta", "link", "iframe", "object", "embed", "template"):
            self.warn(element.line, f"dropped a <{tag}> element")
            return []
        return self.blocks(element)  # div, section and unknown containers: their content

    def _list(self, element: El) -> ListBlock:
        items: list[list[Block]] = []
        loose: list[El | Txt] = []
        for child in element.children:
            if isinstance(child, El) and child.tag in ("li", "dt", "dd"):
                if loose:
                    items.append(self.blocks(El("div", {}, element.line, loose)))
                    loose = []
                items.append(self.blocks(child))
            elif isinstance(child, El) or child.text.strip():
                loose.append(child)
        if loose:
            items.append(self.blocks(El("div", {}, element.line, loose)))
        items = [item for item in items if item]
        start = element.attrs.get("start", "1")
        return ListBlock(element.tag == "ol", int(start) if start.isdigit() else 1, items, element.line)


def _unwrap_spans(inlines: list[Inline]) -> list[Inline]:
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Styled) and node.kind == "span":
            out.extend(node.children)
        else:
            out.append(node)
    return merge_texts(out)


def _split_blank_lines(run: list[El | Txt]) -> list[list[El | Txt]]:
    """Split loose inline content at blank lines, as Markdown paragraphs would be."""
    pieces: list[list[El | Txt]] = [[]]
    for node in run:
        if isinstance(node, Txt) and _BLANK_LINE.search(node.text):
            parts = _BLANK_LINE.split(node.text)
            line = node.line
            for number, part in enumerate(parts):
                if number:
                    pieces.append([])
                if part:
                    pieces[-1].append(Txt(part, line))
                line += part.count("\n") + 2
        else:
            pieces[-1].append(node)
    return [p for p in pieces if p]


def _first_line(piece: list[El | Txt]) -> int:
    for node in piece:
        if isinstance(node, El) or node.text.strip():
            return node.line
    return piece[0].line


def _last_line(element: El) -> int:
    line = element.line
    for child in element.children:
        line = max(line, child.line if isinstance(child, Txt) else _last_line(child))
    return line


def _find_deep(element: El, tag: str) -> El | None:
    for child in element.children:
        if isinstance(child, El):
            if child.tag == tag:
                return child
            found = _find_deep(child, tag)
            if found is not None:
                return found
    return None


def _serialise(element: El) -> str:
    from html import escape

    attrs = "".join(f' {k}="{escape(v, quote=True)}"' for k, v in element.attrs.items())
    inner = "".join(escape(c.text, quote=False) if isinstance(c, Txt) else _serialise(c) for c in element.children)
    return f"<{element.tag}{attrs}>{inner}</{element.tag}>"
