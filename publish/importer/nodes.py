"""A small document tree: inline and block nodes, and helpers that read and rewrite them."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

WHITESPACE = re.compile(r"\s+")


# ---------------------------------------------------------------- inline nodes


@dataclass
class Text:
    """Plain text (whitespace not yet collapsed)."""

    text: str


@dataclass
class Styled:
    """Formatted text: kind is strong, em, del, or a raw-HTML kind (sup, sub, u, mark, small, ins)."""

    kind: str
    children: list[Inline]


@dataclass
class Code:
    """Inline code."""

    text: str


@dataclass
class Link:
    """A hyperlink."""

    href: str
    children: list[Inline]


@dataclass
class Image:
    """An inline image."""

    src: str
    alt: str


@dataclass
class Break:
    """A hard line break (`<br>`)."""


@dataclass
class Call:
    """A footnote call `[^label]`."""

    label: str


Inline = Text | Styled | Code | Link | Image | Break | Call


# ---------------------------------------------------------------- block nodes


@dataclass
class Para:
    """A paragraph."""

    inlines: list[Inline]
    line: int


@dataclass
class Heading:
    """A heading (level 1–6)."""

    level: int
    inlines: list[Inline]
    line: int


@dataclass
class ListBlock:
    """A bulleted or numbered list; each item is a list of blocks."""

    ordered: bool
    start: int
    items: list[list[Block]]
    line: int


@dataclass
class Figure:
    """An image alone in its paragraph or list item."""

    src: str
    alt: str
    line: int


@dataclass
class Quote:
    """A block quote."""

    blocks: list[Block]
    line: int


@dataclass
class CodeBlock:
    """Preformatted text."""

    text: str
    line: int


@dataclass
class Rule:
    """A thematic break."""

    line: int


@dataclass
class RawBlock:
    """Block HTML kept as it is (tables)."""

    html: str
    line: int


@dataclass
class FootnoteDef:
    """A footnote definition `[^label]: text`."""

    label: str
    inlines: list[Inline]
    line: int


@dataclass
class DetailsStart:
    """Start of a `<details>` box; its summary's inline content."""

    summary: list[Inline]
    line: int


@dataclass
class DetailsEnd:
    """End of a `<details>` box."""

    line: int


Block = Para | Heading | ListBlock | Figure | Quote | CodeBlock | Rule | RawBlock | FootnoteDef | DetailsStart | DetailsEnd


# ---------------------------------------------------------------- helpers


def plain_text(inlines: list[Inline]) -> str:
    """The visible text of inline nodes (link text, image alt, no markup)."""
    out: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, (Styled, Link)):
            out.append(plain_text(node.children))
        elif isinstance(node, Code):
            out.append(node.text)
        elif isinstance(node, Break):
            out.append(" ")
    return "".join(out)


def merge_texts(inlines: list[Inline]) -> list[Inline]:
    """Join adjacent Text nodes and drop empty ones."""
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text):
            if not node.text:
                continue
            if out and isinstance(out[-1], Text):
                out[-1] = Text(out[-1].text + node.text)
                continue
        out.append(node)
    return out


def meaningful(inlines: list[Inline]) -> list[Inline]:
    """The inline nodes other than blank texts."""
    return [n for n in inlines if not (isinstance(n, Text) and not n.text.strip())]


def is_blank(inlines: list[Inline]) -> bool:
    """True when there is nothing visible (no text, no image, no call)."""
    for node in inlines:
        if isinstance(node, Text) and node.text.strip():
            return False
        if isinstance(node, (Image, Call, Code)):
            return False
        if isinstance(node, (Styled, Link)) and not is_blank(node.children):
            return False
    return True


def strip_leading(inlines: list[Inline], pattern: re.Pattern[str]) -> list[Inline]:
    """Remove *pattern* (anchored) from the start of the first text, skipping leading blank texts."""
    out = list(inlines)
    for index, node in enumerate(out):
        if isinstance(node, Text):
            if not node.text.strip():
                continue
            out[index] = Text(pattern.sub("", node.text, count=1))
        break
    return merge_texts(out)


def split_at(inlines: list[Inline], pattern: re.Pattern[str]) -> tuple[list[Inline], list[Inline]] | None:
    """Split top-level inline nodes at the first match of *pattern* in a text node (match removed)."""
    for index, node in enumerate(inlines):
        if isinstance(node, Text):
            match = pattern.search(node.text)
            if match:
                before = [*inlines[:index], Text(node.text[: match.start()])]
                after = [Text(node.text[match.end():]), *inlines[index + 1:]]
                return merge_texts(before), merge_texts(after)
    return None


def inline_lists(blocks: list[Block]) -> Iterator[list[Inline]]:
    """Every inline list inside *blocks*, in document order (paragraphs, headings, list items …)."""
    for block in blocks:
        if isinstance(block, (Para, Heading, FootnoteDef)):
            yield block.inlines
        elif isinstance(block, DetailsStart):
            yield block.summary
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from inline_lists(item)
        elif isinstance(block, Quote):
            yield from inline_lists(block.blocks)


def texts(inlines: list[Inline]) -> Iterator[Text]:
    """Text nodes in document order, descending into formatting and links (not code)."""
    for node in inlines:
        if isinstance(node, Text):
            yield node
        elif isinstance(node, (Styled, Link)):
            yield from texts(node.children)


def map_blocks(blocks: list[Block], fn: Callable[[Block], Block]) -> list[Block]:
    """Apply *fn* to every block, recursing into list items and quotes first."""
    out = []
    for block in blocks:
        if isinstance(block, ListBlock):
            block = ListBlock(block.ordered, block.start, [map_blocks(item, fn) for item in block.items], block.line)
        elif isinstance(block, Quote):
            block = Quote(map_blocks(block.blocks, fn), block.line)
        out.append(fn(block))
    return out
