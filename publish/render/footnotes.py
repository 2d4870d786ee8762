"""Footnotes in the paged document: what WeasyPrint counts, and notes called more than once.

markup.py turns every call of a Markdown footnote into a `span.footnote` holding the note, which
the stylesheet floats to the foot of the page. An entry that calls one note twice (the export
repeats the tl;dr in the details) would then print the note twice under two numbers. Each span
also carries a class naming its note (`note-<key>`, unique per entry and note), and once the
whole document is rendered, `number_repeats` keeps the first call as the footnote and turns each
later one into a link showing the first one's number.

Numbers are counted here, in document order, exactly as the stylesheet's `footnote` counter
counts them (every element with the class `footnote`); WeasyPrint's `target-counter()` on that
counter gives wrong values, so the number is written out.
"""

from __future__ import annotations

import hashlib
import re

FOOTNOTE_ELEMENT = re.compile(r'<([a-z]+) class="(?:[^"]*\s)?footnote(?:\s[^"]*)?"')
"""An element the paged stylesheet floats to the page foot: what the `footnote` counter counts."""
NOTE_KEY = re.compile(r'class="[^"]*\bnote-([0-9a-f]{12})\b')


def note_class(scope: str, note: str) -> str:
    """The class naming note *note* of the entry (or chapter) *scope*: the same for each of its calls."""
    return "note-" + hashlib.sha1(f"{scope}\0{note}".encode("utf-8")).hexdigest()[:12]


def element_end(html: str, start: int, tag: str) -> int:
    """The index just past the element of *tag* opening at *start*, nested ones included."""
    opening, closing = re.compile(rf"<{tag}[\s>]"), f"</{tag}>"
    depth, position = 0, start
    while True:
        close = html.find(closing, position)
        if close < 0:
            return len(html)
        opened = opening.search(html, position, close)
        if opened:
            depth += 1
            position = opened.end()
            continue
        depth -= 1
        position = close + len(closing)
        if depth == 0:
            return position


def number_repeats(html: str) -> str:
    """Keep a note's first call as its footnote; later calls become links showing its number."""
    parts: list[str] = []
    numbers: dict[str, int] = {}
    count = position = 0
    for match in FOOTNOTE_ELEMENT.finditer(html):
        if match.start() < position:
            continue  # inside a repeated call already replaced
        found = NOTE_KEY.search(match.group())
        key = found.group(1) if found else None
        if key in numbers:
            parts += [html[position:match.start()], f'<a class="footnote-again" href="#note-{key}">{numbers[key]}</a>']
            position = element_end(html, match.start(), match.group(1))
            continue
        count += 1
        if key is not None:
            numbers[key] = count
            # The link target: after the class, so that FOOTNOTE_ELEMENT still matches the tag.
            parts += [html[position:match.end()], f' id="note-{key}"']
            position = match.end()
    parts.append(html[position:])
    return "".join(parts)
