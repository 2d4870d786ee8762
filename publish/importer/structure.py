"""Find the report's structure in the block stream: title, preamble, chapters, entries, details.

The export is read as a flat stream of blocks (`<details>` boxes are flattened into start/end
markers), so a chapter heading that sits inside the previous entry's `<details>` is simply the
next chapter boundary, and an unclosed `<details>` cannot swallow what follows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .footnotes import NOTE_MARKER, make_footnotes
from .nodes import (
    WHITESPACE,
    Block,
    DetailsEnd,
    DetailsStart,
    Figure,
    FootnoteDef,
    Heading,
    Image,
    Inline,
    Link,
    ListBlock,
    Para,
    Quote,
    Styled,
    Text,
    inline_lists,
    is_blank,
    map_blocks,
    merge_texts,
    plain_text,
    split_at,
    strip_leading,
    texts,
)
from .render import render_inlines

TLDR_MARKER = re.compile(r"(?<![A-Za-z])tl\s*;?\s*dr\s*:", re.IGNORECASE)
LEADING_COLON = re.compile(r"^\s*:?\s*")
_CHAPTER_NUMBER = re.compile(r"^\s*(\d+)\s*[.)]\s*")
_TOC_TITLES = {"목차", "차례", "contents", "tableofcontents", "toc"}
_INTRO_TITLES = re.compile(r"^(introduction|intro|preface|foreword|prologue|서론|들어가며|들어가는\s*말|머리말|소개)", re.IGNORECASE)
_IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp", ".tif", ".tiff", ".avif")
_IMAGE_HOSTS = ("googleusercontent.com", "i.imgur.com", "notion-static.com", "imgur.com/a/", "pbs.twimg.com", "images.unsplash.com")

Warn = Callable[[int | None, str], None]


class NotAnExport(Exception):
    """The file does not have the shape of an export; carries (line, message) pairs."""

    def __init__(self, problems: list[tuple[int | None, str]]) -> None:
        super().__init__("; ".join(m for _, m in problems))
        self.problems = problems


@dataclass
class Part:
    """A labelled part of the details box."""

    label: str  # Markdown
    blocks: list[Block]
    line: int


@dataclass
class EntryDraft:
    """One paper, as found in the export."""

    line: int
    title: str
    url: str
    venue: str | None = None
    note: str | None = None
    withdrawn: bool = False
    tldr: list[Inline] = field(default_factory=list)
    raw: list[Block] = field(default_factory=list)
    body: list[Block] = field(default_factory=list)
    summary: list[Inline] | None = None
    lead: list[Block] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    footnotes: list[FootnoteDef] = field(default_factory=list)


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


def _meaningful(inlines: list[Inline]) -> list[Inline]:
    return [n for n in inlines if not (isinstance(n, Text) and not n.text.strip())]


def _as_figure(block: Block) -> Block:
    """A paragraph holding only an image, or only a link to an image whose text is its URL → Figure."""
    if not isinstance(block, Para):
        return block
    nodes = _meaningful(block.inlines)
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


# ---------------------------------------------------------------- entries


def _parse_meta(text: str) -> tuple[str | None, str | None, str]:
    """`(NeurIPS 2022) (aka IA3)` → venue, note, and any text outside parentheses."""
    text = WHITESPACE.sub(" ", text).strip()
    groups: list[str] = []
    loose: list[str] = []
    index = 0
    while index < len(text):
        if text[index] == "(":
            depth, end = 0, index
            while end < len(text):
                depth += {"(": 1, ")": -1}.get(text[end], 0)
                if depth == 0:
                    break
                end += 1
            groups.append(text[index + 1:end].strip())
            index = end + 1
        else:
            end = text.find("(", index)
            end = len(text) if end < 0 else end
            loose.append(text[index:end])
            index = end
    venue = None
    notes: list[str] = []
    for group in groups:
        if not group:
            continue
        if venue is None and not re.match(r"aka\b", group, re.IGNORECASE):
            venue = group
        else:
            notes.append(group)
    return venue, ("; ".join(notes) or None), " ".join(s.strip() for s in loose if s.strip())


def entry_header(blocks: list[Block], index: int) -> tuple[EntryDraft, int] | None:
    """An entry starts with a paragraph `<a href=URL>Title</a> (venue) tl; dr: …`."""
    block = blocks[index]
    if not isinstance(block, Para):
        return None
    nodes = _meaningful(block.inlines)
    struck = False
    if nodes and isinstance(nodes[0], Text) and nodes[0].text.strip() == "~~":
        struck, nodes = True, nodes[1:]
    if not nodes or not isinstance(nodes[0], Link):
        return None
    link = nodes[0]
    start = block.inlines.index(link)
    rest = block.inlines[start + 1:]
    consumed = 1
    split = split_at(rest, TLDR_MARKER)
    if split is None:
        nxt = blocks[index + 1] if index + 1 < len(blocks) else None
        if not (isinstance(nxt, Para) and TLDR_MARKER.match(plain_text(nxt.inlines).lstrip())):
            return None
        meta, tldr = rest, split_at(nxt.inlines, TLDR_MARKER)[1]  # type: ignore[index]
        consumed = 2
    else:
        meta, tldr = split
    title_text = WHITESPACE.sub(" ", plain_text(link.children)).strip()
    children = _meaningful(link.children)
    if len(children) == 1 and isinstance(children[0], Styled) and children[0].kind == "del":
        struck = True
    if title_text.startswith("~~"):
        struck, title_text = True, title_text[2:].strip()
    if title_text.endswith("~~"):
        title_text = title_text[:-2].strip()
    venue, note, loose = _parse_meta(plain_text(meta))
    entry = EntryDraft(block.line, title_text, link.href, venue, note, struck, strip_leading(tldr, LEADING_COLON))
    if loose:
        entry.note = f"{entry.note}; {loose}" if entry.note else loose
    return entry, consumed


def _is_candidate_tldr(block: Block | None) -> bool:
    if not isinstance(block, Para):
        return False
    text = plain_text(block.inlines).strip()
    return bool(text) and not NOTE_MARKER.match(text)


def _label(block: Block, following: Block | None) -> tuple[list[Inline], list[Inline], bool] | None:
    """(label inlines, text after the separator, whether the next paragraph holds the `: text`)."""
    if not isinstance(block, Para):
        return None
    nodes = _meaningful(block.inlines)
    if not nodes or not isinstance(nodes[0], Styled) or nodes[0].kind != "strong":
        return None
    strong = nodes[0]
    label = merge_texts(list(strong.children))
    label_text = plain_text(label).strip()
    if not label_text or "\n" in label_text.strip():
        return None
    rest = block.inlines[block.inlines.index(strong) + 1:]
    rest_text = plain_text(rest)
    if label_text.endswith((":", "：")) and label_text[:-1].strip():
        last = label[-1]
        if isinstance(last, Text):
            label = [*label[:-1], Text(re.sub(r"\s*[:：]\s*$", "", last.text))]
        return label, strip_leading(rest, re.compile(r"^\s+")), False
    if rest_text.lstrip().startswith((":", "：")):
        return label, strip_leading(rest, re.compile(r"^\s*[:：]\s*")), False
    if not rest_text.strip() and isinstance(following, Para) and plain_text(following.inlines).lstrip().startswith((":", "：")):
        return label, [], True
    return None


def split_details(blocks: list[Block]) -> tuple[list[Block], list[Part]]:
    """The details content → unlabelled lead and labelled parts (`<strong>Label</strong> : text`)."""
    lead: list[Block] = []
    parts: list[Part] = []
    blocks = list(blocks)
    index = 0
    while index < len(blocks):
        block = blocks[index]
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        found = _label(block, following)
        if found:
            label, rest, next_holds_text = found
            part = Part(render_inlines(label).strip(), [], block.line)
            if not is_blank(rest):
                part.blocks.append(Para(rest, block.line))
            if next_holds_text:
                assert isinstance(following, Para)
                blocks[index + 1] = Para(strip_leading(following.inlines, re.compile(r"^\s*[:：]\s*")), following.line)
            parts.append(part)
        else:
            (parts[-1].blocks if parts else lead).append(block)
        index += 1
    return lead, parts


def _remove_strike_close(areas: list[list[Inline]]) -> bool:
    """Remove the first `~~` (the end of a struck-out entry) from the given inline lists."""
    for inlines in areas:
        for node in texts(inlines):
            if "~~" in node.text:
                node.text = node.text.replace("~~", "", 1)
                return True
    return False


def finish_entry(entry: EntryDraft, warn: Warn) -> None:
    """Split the entry's raw blocks into body, details (lead and parts) and footnotes."""
    body: list[Block] = []
    details: list[Block] = []
    trailing: list[Block] = []
    state, depth = "body", 0
    for block in entry.raw:
        if isinstance(block, DetailsStart):
            if state == "body":
                state, depth, entry.summary = "details", 1, block.summary
                continue
            if state == "after":
                warn(block.line, "a second <details> box in one entry: its content joins the first box")
                state, depth = "details", 1
            else:
                depth += 1
                warn(block.line, "a <details> box inside another: its summary becomes a bold line")
            if not is_blank(block.summary):
                details.append(Para([Styled("strong", block.summary)], block.line))
            continue
        if isinstance(block, DetailsEnd):
            if state == "details":
                depth -= 1
                if depth == 0:
                    state = "after"
            continue
        if isinstance(block, Heading):
            block = Heading(max(block.level, 3), block.inlines, block.line)
        {"body": body, "details": details, "after": trailing}[state].append(block)

    if entry.withdrawn:
        areas = [entry.tldr, *inline_lists(body), *inline_lists(details), *inline_lists(trailing)]
        _remove_strike_close(areas)

    tldr, entry.footnotes = make_footnotes(entry.tldr, [body, details, trailing], warn)
    entry.tldr = tldr or []

    if trailing:
        target = details if entry.summary is not None else body
        if any(not isinstance(b, DetailsEnd) for b in trailing):
            where = "its details box" if entry.summary is not None else "its body"
            warn(trailing[0].line, f"text after the end of the entry's details box: added at the end of {where}")
        target.extend(trailing)
    entry.body = body
    if entry.summary is not None:
        entry.lead, entry.parts = split_details(details)


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
            if not plain_text(entry.tldr).strip() and _is_candidate_tldr(blocks[index] if index < len(blocks) else None) \
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
