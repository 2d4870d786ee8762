"""One entry (a paper) in the block stream: its header paragraph, then its body, details box and notes.

An entry starts with a paragraph `<a href=URL>Title</a> (venue) tl; dr: …`; the blocks up to the
next entry or chapter are its raw blocks, split here into body, the details box's lead and
labelled parts, and footnotes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .footnotes import NOTE_MARKER, make_footnotes
from .nodes import (
    WHITESPACE,
    Block,
    DetailsEnd,
    DetailsStart,
    FootnoteDef,
    Heading,
    Inline,
    Link,
    Para,
    Styled,
    Text,
    inline_lists,
    is_blank,
    meaningful,
    merge_texts,
    plain_text,
    split_at,
    strip_leading,
    texts,
)
from .render import render_inlines

TLDR_MARKER = re.compile(r"(?<![A-Za-z])tl\s*;?\s*dr\s*:", re.IGNORECASE)
LEADING_COLON = re.compile(r"^\s*:?\s*")

Warn = Callable[[int | None, str], None]


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
    nodes = meaningful(block.inlines)
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
    children = meaningful(link.children)
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


def is_candidate_tldr(block: Block | None) -> bool:
    """True for a paragraph that can stand in for an empty tl;dr (text, not a note definition)."""
    if not isinstance(block, Para):
        return False
    text = plain_text(block.inlines).strip()
    return bool(text) and not NOTE_MARKER.match(text)


def _label(block: Block, following: Block | None) -> tuple[list[Inline], list[Inline], bool] | None:
    """(label inlines, text after the separator, whether the next paragraph holds the `: text`)."""
    if not isinstance(block, Para):
        return None
    nodes = meaningful(block.inlines)
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

