"""Find the report's structure in the block stream: title, preamble, chapters, where entries start, figures.

The export is read as a flat stream of blocks (`<details>` boxes are flattened into start/end
markers), so a chapter heading that sits inside the previous entry's `<details>` is simply the
next chapter boundary, and an unclosed `<details>` cannot swallow what follows. Each entry's own
blocks are sorted out in `entries`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .entries import (
    LEADING_COLON,
    EntryDraft,
    Warn,
    entry_header,
    finish_entry,
    is_candidate_tldr,
)
from .footnotes import make_footnotes
from .nodes import (
    WHITESPACE,
    Block,
    DetailsEnd,
    DetailsStart,
    Figure,
    FootnoteDef,
    Heading,
    Image,
    Link,
    ListBlock,
    Para,
    Quote,
    Styled,
    inline_lists,
    map_blocks,
    meaningful,
    plain_text,
    strip_leading,
)

_CHAPTER_NUMBER = re.compile(r"^\s*(\d+)\s*[.)]\s*")
_TOC_TITLES = {"목차", "차례", "contents", "tableofcontents", "toc"}
_INTRO_TITLES = re.compile(r"^(introduction|intro|preface|foreword|prologue|서론|들어가며|들어가는\s*말|머리말|소개)", re.IGNORECASE)
_IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp", ".tif", ".tiff", ".avif")
_IMAGE_HOSTS = ("googleusercontent.com", "i.imgur.com", "notion-static.com", "imgur.com/a/", "pbs.twimg.com", "images.unsplash.com")


class NotAnExport(Exception):
    """The file does not have the shape of an export; carries (line, message) pairs."""

    def __init__(self, problems: list[tuple[int | None, str]]) -> None:
        super().__init__("; ".join(m for _, m in problems))
        self.problems = problems


@dataclass
class ChapterDraft:
    """One chapter: its heading, prose and entries."""

    line: int
    title: str
    number: int | None
    prose: list[Block] = field(default_factory=list)
    entries: list[EntryDraft] = field(default_factory=list)
    footnotes: list[FootnoteDef] = field(default_factory=list)
    numbered: bool = True


@dataclass
class Document:
    """The report as found in the export, before it is written out."""

    title: str
    preamble: list[Block]
    chapters: list[ChapterDraft]


# ---------------------------------------------------------------- figures


def looks_like_image(url: str) -> bool:
    """True for a URL on a known image host or with an image file extension."""
    lowered = url.lower().split("#")[0]
    path = lowered.split("?")[0]
    return path.endswith(_IMAGE_EXTENSIONS) or any(host in lowered for host in _IMAGE_HOSTS)


def _as_figure(block: Block) -> Block:
    """A paragraph holding only an image, or only a link to an image whose text is its URL → Figure."""
    if not isinstance(block, Para):
        return block
    nodes = meaningful(block.inlines)
    if len(nodes) != 1:
        return block
    node = nodes[0]
    if isinstance(node, Image):
        return Figure(node.src, node.alt, block.line)
    if isinstance(node, Link) and looks_like_image(node.href):
        text = WHITESPACE.sub("", plain_text(node.children))
        if text.rstrip("/") == node.href.strip().rstrip("/"):
            return Figure(node.href.strip(), "", block.line)
    return block


def figures_in(blocks: list[Block]) -> int:
    """Number of figures, list items included."""
    count = 0
    for block in blocks:
        if isinstance(block, Figure):
            count += 1
        elif isinstance(block, ListBlock):
            count += sum(figures_in(item) for item in block.items)
        elif isinstance(block, Quote):
            count += figures_in(block.blocks)
    return count


# ---------------------------------------------------------------- chapters


def _drop_toc(prose: list[Block], warn: Warn) -> list[Block]:
    """Drop a hand-written table of contents (a `목차` heading and the list after it)."""
    out: list[Block] = []
    index = 0
    while index < len(prose):
        block = prose[index]
        following = prose[index + 1] if index + 1 < len(prose) else None
        if isinstance(block, Heading) and isinstance(following, ListBlock):
            key = re.sub(r"[\W_]+", "", plain_text(block.inlines)).lower()
            if key in _TOC_TITLES:
                warn(block.line, "dropped the hand-written table of contents (the PDF makes its own)")
                index += 2
                continue
        out.append(block)
        index += 1
    return out


def _chapter_heading(block: Heading) -> tuple[str, int | None]:
    text = WHITESPACE.sub(" ", plain_text(block.inlines)).strip()
    match = _CHAPTER_NUMBER.match(text)
    if match:
        return text[match.end():].strip(), int(match.group(1))
    return text, None


def analyse(blocks: list[Block], front_matter: dict[str, Any], warn: Warn) -> Document:
    """Find title, preamble, chapters and entries; raise NotAnExport if the shape is wrong."""
    blocks = map_blocks(blocks, _as_figure)
    first_h1 = next((i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.level == 1), None)
    fm_title = front_matter.get("title")
    fm_title = WHITESPACE.sub(" ", str(fm_title)).strip() if fm_title else None
    if first_h1 is not None:
        h1_text = WHITESPACE.sub(" ", plain_text(blocks[first_h1].inlines)).strip()  # type: ignore[union-attr]
    if fm_title and (first_h1 is None or h1_text != fm_title):
        title, start = fm_title, 0
    elif first_h1 is not None:
        title, start = h1_text, first_h1 + 1
        if first_h1 and any(not isinstance(b, (DetailsStart, DetailsEnd)) for b in blocks[:first_h1]):
            warn(blocks[0].line if hasattr(blocks[0], "line") else None, "text before the title heading: treated as part of the preamble")
    else:
        line = blocks[0].line if blocks else 1
        raise NotAnExport([(line, "no title: expected a '# Title' heading (or 'title:' in the front matter); is this a Notion/Jekyll export?")])
    preamble: list[Block] = [b for b in blocks[:start - 1 if start else 0] if not isinstance(b, (DetailsStart, DetailsEnd))]

    chapters: list[ChapterDraft] = []
    chapter: ChapterDraft | None = None
    entry: EntryDraft | None = None
    orphans: list[int] = []
    index = start
    while index < len(blocks):
        block = blocks[index]
        if isinstance(block, Heading) and block.level == 1:
            text, number = _chapter_heading(block)
            chapter, entry = ChapterDraft(block.line, text, number), None
            chapters.append(chapter)
            index += 1
            continue
        header = entry_header(blocks, index)
        if header is not None:
            entry, consumed = header
            index += consumed
            if not plain_text(entry.tldr).strip() and is_candidate_tldr(blocks[index] if index < len(blocks) else None) \
                    and entry_header(blocks, index) is None:
                continuation = blocks[index]
                assert isinstance(continuation, Para)
                entry.tldr = strip_leading(continuation.inlines, LEADING_COLON)
                index += 1
            if chapter is None:
                orphans.append(entry.line)
                chapter = ChapterDraft(entry.line, "", None)  # placeholder so parsing can go on
            chapter.entries.append(entry)
            continue
        if entry is not None:
            entry.raw.append(block)
        elif chapter is not None:
            chapter.prose.append(block)
        elif not isinstance(block, (DetailsStart, DetailsEnd)):
            preamble.append(block)
        index += 1

    problems: list[tuple[int | None, str]] = []
    if orphans:
        problems.append((orphans[0], "entries before the first chapter heading: add a '# Chapter title' heading above them"))
    if not any(c.entries for c in chapters) and not orphans:
        problems.append((None, "no entries found: expected paragraphs like '<a href=\"URL\">Title</a> (venue) tl; dr: …'; is this a Notion/Jekyll export?"))
    if problems:
        raise NotAnExport(problems)

    numbered_any = any(c.number is not None for c in chapters)
    for position, chapter in enumerate(chapters):
        if chapter.number is None and (numbered_any or (position == 0 and _INTRO_TITLES.match(chapter.title))):
            chapter.numbered = False
        prose = [b for b in chapter.prose if not isinstance(b, DetailsEnd)]
        prose = [Para([Styled("strong", b.summary)], b.line) if isinstance(b, DetailsStart) else b for b in prose]
        prose = [Heading(max(b.level, 3), b.inlines, b.line) if isinstance(b, Heading) else b for b in prose]
        chapter.prose = _drop_toc(prose, warn)
        _, chapter.footnotes = make_footnotes(None, [chapter.prose], warn)
        for entry in chapter.entries:
            finish_entry(entry, warn)
            if entry.withdrawn:
                warn(entry.line, f"'{entry.title}' is struck out: imported with status: withdrawn (kept in the content, left out of the PDF)")
            elif not plain_text(entry.tldr).strip():
                warn(entry.line, f"'{entry.title}' has no tl;dr text: add 'tldr' to its front matter")
    return Document(title, preamble, chapters)


def local_images(blocks: list[Block]) -> list[Figure | Image]:
    """Figures and inline images whose source is not an http(s) URL."""
    found: list[Figure | Image] = []

    def visit(items: list[Block]) -> None:
        for block in items:
            if isinstance(block, Figure) and not re.match(r"https?://", block.src, re.IGNORECASE):
                found.append(block)
            elif isinstance(block, ListBlock):
                for item in block.items:
                    visit(item)
            elif isinstance(block, Quote):
                visit(block.blocks)

    visit(blocks)
    for inlines in inline_lists(blocks):
        stack = list(inlines)
        while stack:
            node = stack.pop()
            if isinstance(node, Image) and not re.match(r"https?://", node.src, re.IGNORECASE):
                found.append(node)
            elif isinstance(node, (Styled, Link)):
                stack.extend(node.children)
    return found
