"""Footnotes in the browser version: superscript calls that keep the sentence whole, notes beside or after it.

markup.py leaves each note inside its call as a `span.footnote` (the paged stylesheet floats it to
the page foot). A browser would show it in the middle of the sentence, so for the web page each
call becomes a superscript link numbered within its entry; the note itself is written twice, as a
side note next to the call (shown on wide screens) and in a list at the end of the entry (shown on
narrow ones); the stylesheet shows one of them, so readers and screen readers meet it once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from ..content.model import Markdown
from .footnotes import FOOTNOTE_ELEMENT, NOTE_KEY, element_end


@dataclass
class _Scope:
    """The notes of one file (an entry, a chapter's prose), numbered from 1 in order of first call."""

    numbers: dict[str, int] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)
    notes: list[tuple[str, str]] = field(default_factory=list)
    """(note key, note HTML) in number order."""


def _call(key: str, number: int, repeat: int) -> str:
    """The superscript link for the *repeat*-th call of note *key*."""
    anchor = f"fnref-{key}" + (f"-{repeat}" if repeat > 1 else "")
    return f'<sup class="fn-call"><a href="#fn-{key}" id="{anchor}" role="doc-noteref">{number}</a></sup>'


def _convert(html: str, scope: _Scope) -> str:
    """*html* with every footnote span replaced by its call (and, at the first call, its side note)."""
    parts: list[str] = []
    position = 0
    for match in FOOTNOTE_ELEMENT.finditer(html):
        if match.start() < position:
            continue  # a note inside a note: left in its parent's text
        found = NOTE_KEY.search(match.group())
        key = found.group(1) if found else f"{len(scope.notes) + 1}"
        end = element_end(html, match.start(), match.group(1))
        inner = html[html.index(">", match.end()) + 1: end - len(f"</{match.group(1)}>")]
        parts.append(html[position:match.start()])
        scope.calls[key] = scope.calls.get(key, 0) + 1
        if key not in scope.numbers:
            scope.numbers[key] = len(scope.numbers) + 1
            scope.notes.append((key, inner))
            number = scope.numbers[key]
            parts.append(_call(key, number, 1))
            parts.append(f'<span class="sidenote" role="note"><span class="sidenote-number">{number}</span> {inner}</span>')
        else:
            parts.append(_call(key, scope.numbers[key], scope.calls[key]))
        position = end
    parts.append(html[position:])
    return "".join(parts)


def web_notes(fragments: dict[Markdown, str]) -> tuple[dict[Markdown, str], dict[Path, Markup]]:
    """Fragments with calls instead of inline notes, and each file's list of notes for the end of its entry."""
    scopes: dict[Path, _Scope] = {}
    converted = {
        fragment: _convert(html, scopes.setdefault(fragment.path, _Scope())) if "footnote" in html else html
        for fragment, html in fragments.items()
    }
    lists: dict[Path, Markup] = {}
    for path, scope in scopes.items():
        if not scope.notes:
            continue
        items = "".join(
            f'<li id="fn-{key}" value="{scope.numbers[key]}">{note} '
            f'<a class="fn-back" href="#fnref-{key}" role="doc-backlink" aria-label="본문으로">↑</a></li>'
            for key, note in scope.notes
        )
        lists[path] = Markup(f'<section class="endnotes" role="doc-endnotes" aria-label="주석"><ol>{items}</ol></section>')
    return converted, lists
