"""Turn the export's hand-made notes (`text*` … `<p>*. note</p>`) into real Markdown footnotes.

The author marks a note call with one or more asterisks right after a word (`bandit*`, `때**`) and
writes the note as a paragraph that starts with the same number of asterisks and a full stop
(`*. …`, `**. …`). Within one scope (an entry, or a chapter's prose):

- every note paragraph with at least one matching call becomes a footnote definition; all calls
  with that many asterisks point to it (when one scope has several different notes with the same
  number of asterisks, a call points to the first of them that follows it, else to the last);
- a note repeated word for word (the export repeats notes in the tl;dr area and in the details)
  is defined once; the repeats are dropped and reported;
- a note with no call in its scope is left as an ordinary paragraph (its marker escaped) and
  reported, so nothing is lost and nothing is attached to a guessed word;
- Notion sometimes turned `word*, text**` into `word<em>, text</em>*`; inside a scope that has
  notes, such an emphasis (one followed by `*`, or one that opens right after a word on a
  punctuation mark or a space) is turned back into its asterisks before calls are looked for.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from .nodes import (
    WHITESPACE,
    Block,
    Call,
    FootnoteDef,
    Heading,
    Inline,
    Link,
    ListBlock,
    Para,
    Quote,
    Styled,
    Text,
    merge_texts,
    plain_text,
    strip_leading,
)

NOTE_MARKER = re.compile(r"^\s*(\*+)\.\s*")
_STARS = re.compile(r"\*+")
_SENTINEL = re.compile("\ue000(\\d+)\ue001")


@dataclass
class _Note:
    stars: int
    key: str
    seq: int
    area: list[Block]
    block: Para


@dataclass
class _Call:
    index: int
    stars: int
    seq: int
    label: str | None = None


def _note_of(block: Block) -> tuple[int, list[Inline]] | None:
    """(stars, note inlines) when *block* is a note paragraph."""
    if not isinstance(block, Para):
        return None
    first = next((n for n in block.inlines if not (isinstance(n, Text) and not n.text.strip())), None)
    if not isinstance(first, Text):
        return None
    match = NOTE_MARKER.match(first.text)
    if not match:
        return None
    return len(match.group(1)), strip_leading(block.inlines, NOTE_MARKER)


def _key(inlines: list[Inline]) -> str:
    """What makes two notes the same: their text and link targets."""
    hrefs: list[str] = []

    def collect(nodes: list[Inline]) -> None:
        for node in nodes:
            if isinstance(node, Link):
                hrefs.append(node.href)
                collect(node.children)
            elif isinstance(node, Styled):
                collect(node.children)

    collect(inlines)
    return WHITESPACE.sub(" ", plain_text(inlines)).strip() + "\x00" + "\x00".join(hrefs)


def _odd_start(text: str) -> bool:
    return bool(text) and (text[0].isspace() or unicodedata.category(text[0])[0] in "PS")


def unmangle_emphasis(inlines: list[Inline]) -> list[Inline]:
    """Turn emphasis that Notion made out of note asterisks back into asterisks."""
    out: list[Inline] = []
    for index, node in enumerate(inlines):
        if isinstance(node, (Styled, Link)):
            node.children = unmangle_emphasis(node.children)
        if isinstance(node, Styled) and node.kind == "em":
            following = inlines[index + 1] if index + 1 < len(inlines) else None
            before = plain_text(out)[-1:]
            inner = plain_text(node.children)
            star_after = isinstance(following, Text) and following.text.startswith("*")
            glued = bool(before) and not before.isspace() and _odd_start(inner)
            if star_after or glued:
                out += [Text("*"), *node.children, Text("*")]
                continue
        out.append(node)
    return merge_texts(out)


def _rewrite(blocks: list[Block], fn: Callable[[list[Inline]], list[Inline]]) -> None:
    """Replace every inline list inside *blocks* (in place) by fn(list)."""
    for block in blocks:
        if isinstance(block, (Para, Heading)):
            block.inlines = fn(block.inlines)
        elif isinstance(block, ListBlock):
            for item in block.items:
                _rewrite(item, fn)
        elif isinstance(block, Quote):
            _rewrite(block.blocks, fn)


def _split_calls(inlines: list[Inline], resolve: Callable[[int], Inline]) -> list[Inline]:
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text) and "\ue000" in node.text:
            position = 0
            for match in _SENTINEL.finditer(node.text):
                out.append(Text(node.text[position:match.start()]))
                out.append(resolve(int(match.group(1))))
                position = match.end()
            out.append(Text(node.text[position:]))
            continue
        if isinstance(node, (Styled, Link)):
            node.children = _split_calls(node.children, resolve)
        out.append(node)
    return merge_texts(out)


def make_footnotes(
    tldr: list[Inline] | None,
    areas: list[list[Block]],
    warn: Callable[[int | None, str], None],
) -> tuple[list[Inline] | None, list[FootnoteDef]]:
    """Attach the notes of one scope; returns the new tl;dr and the definitions, in label order.

    *areas* (body, details, … in document order) are edited in place: the first paragraph of each
    attached note becomes its definition (where the note was), repeats are removed, calls become
    `Call` nodes.
    """
    notes: list[_Note] = []
    seq = 0
    # first pass: where are the notes?
    for area in areas:
        for block in area:
            seq += 1
            found = _note_of(block)
            if found:
                notes.append(_Note(found[0], _key(found[1]), seq, area, block))  # type: ignore[arg-type]
    if not notes:
        return tldr, []
    counts = {note.stars for note in notes}
    note_blocks = {id(note.block) for note in notes}

    if tldr is not None:
        tldr = unmangle_emphasis(tldr)
    for area in areas:
        _rewrite([b for b in area if id(b) not in note_blocks], unmangle_emphasis)

    # second pass: find calls in document order and mark them with sentinels
    calls: list[_Call] = []
    position = 0

    def mark(inlines: list[Inline]) -> list[Inline]:
        previous = ""
        for node in _walk_texts(inlines):
            original, pieces, last = node.text, [], 0
            for match in _STARS.finditer(original):
                before = original[match.start() - 1] if match.start() else previous
                stars = len(match.group(0))
                if not before or before.isspace() or before in "*\\" or stars not in counts:
                    continue
                calls.append(_Call(len(calls), stars, position))
                pieces += [original[last:match.start()], f"\ue000{len(calls) - 1}\ue001"]
                last = match.end()
            node.text = "".join([*pieces, original[last:]])
            previous = original[-1:] or previous
        return inlines

    if tldr is not None:
        mark(tldr)
    seq = 0
    for area in areas:
        for block in area:
            seq += 1
            position = seq
            if id(block) not in note_blocks:
                _rewrite([block], mark)

    # group identical notes; attach calls
    groups: dict[tuple[int, str], list[_Note]] = {}
    for note in notes:
        groups.setdefault((note.stars, note.key), []).append(note)
    by_stars: dict[int, list[tuple[int, str]]] = {}
    for key in groups:
        by_stars.setdefault(key[0], []).append(key)
    assigned: dict[tuple[int, str], list[_Call]] = {key: [] for key in groups}
    for call in calls:
        candidates = by_stars[call.stars]
        if len(candidates) == 1:
            target = candidates[0]
        else:
            later = [k for k in candidates if groups[k][0].seq >= call.seq]
            target = later[0] if later else candidates[-1]
        assigned[target].append(call)

    attached = sorted((k for k in groups if assigned[k]), key=lambda k: assigned[k][0].index)
    definitions: list[FootnoteDef] = []
    for number, key in enumerate(attached, start=1):
        label = str(number)
        for call in assigned[key]:
            call.label = label
        first, *repeats = groups[key]
        found = _note_of(first.block)
        assert found is not None
        definition = FootnoteDef(label, found[1], first.block.line)
        definitions.append(definition)
        first.area[first.area.index(first.block)] = definition  # the definition stays where the note was
        for note in repeats:
            note.area.remove(note.block)
            warn(note.block.line, f"note repeated word for word (first at line {first.block.line}): kept once, as footnote [^{label}]")
    for key, members in groups.items():
        if not assigned[key]:
            stars = "*" * key[0]
            warn(members[0].block.line, f"note '{stars}.' has no '{stars}' call in its entry: kept as a paragraph")

    def resolve(index: int) -> Inline:
        call = calls[index]
        return Call(call.label) if call.label else Text("*" * call.stars)

    if tldr is not None:
        tldr = _split_calls(tldr, resolve)
    for area in areas:
        _rewrite(area, lambda inlines: _split_calls(inlines, resolve))
    return tldr, definitions


def _walk_texts(inlines: list[Inline]):
    for node in inlines:
        if isinstance(node, Text):
            yield node
        elif isinstance(node, (Styled, Link)):
            yield from _walk_texts(node.children)
