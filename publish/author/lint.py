"""Checks beyond validation for `publish check`: glyph coverage, dead local links, unused images, length."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Sequence
from urllib.parse import unquote

from ..content.model import Markdown, Report
from ..content.resources import content_file_problem, is_inside, split_url
from ..errors import Problem

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}
_HREF = re.compile(r'<a [^>]*href="([^"]*)"')
_IMG_SRC = re.compile(r'<img [^>]*src="file://([^"]*)"')


def _content_files(root: Path) -> list[Path]:
    """The Markdown and YAML files of a content folder that the content rule lets in (resources.py).

    A link to a file elsewhere, a FIFO or an oversized file is never read: the loader reports them.
    """
    return sorted(p for p in root.rglob("*") if p.suffix in (".md", ".yaml", ".yml") and content_file_problem(p, root) is None)


def refused_files(root: Path, reported: set[Path]) -> list[Problem]:
    """Markdown and YAML files that the content rule keeps out and that are not *reported* yet: never read."""
    return [
        Problem(p, None, f"{reason}; not checked", "warning") for p in sorted(root.rglob("*"))
        if p.suffix in (".md", ".yaml", ".yml") and not p.name.startswith(".") and p not in reported
        and (reason := content_file_problem(p, root))
    ]


def uncovered_glyphs(root: Path, fonts_dir: Path | Sequence[Path], skip: set[Path] = frozenset()) -> list[Problem]:  # type: ignore[assignment]
    """Characters no vendored font can draw, at their first occurrence in each file (but the *skip* ones)."""
    from .glyphs import uncovered_characters

    problems = []
    skipped = {p.resolve() for p in skip}
    for path in _content_files(root):
        if path.resolve() in skipped:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        missing = uncovered_characters(text, fonts_dir)
        for char, name in sorted(missing.items()):
            line = text[: text.index(char)].count("\n") + 1
            label = "" if name.startswith("U+") else f" ({name})"
            problems.append(Problem(path, line, f"no vendored font has a glyph for U+{ord(char):04X} {char}{label}; it is drawn as a crossed box", "warning"))
    return problems


def dead_links(report: Report, fragments: dict[Markdown, str], anchors: set[str]) -> list[Problem]:
    """Local links (`#anchor` or a relative file) that point nowhere."""
    problems = []
    for fragment, html in fragments.items():
        for href in _HREF.findall(html):
            href = unquote(href)
            parts = split_url(href)
            if parts is None:  # malformed, e.g. `http://[x`: nothing to check it against
                continue
            if parts.scheme:
                continue
            if href.startswith("#"):
                ok = href[1:] in anchors
            else:
                target = fragment.path.parent / parts.path
                try:
                    ok = target.exists() and is_inside(target, report.root)
                except OSError:  # a name too long for the file system
                    ok = False
            if not ok:
                line = fragment.line + fragment.text[: max(fragment.text.find(href), 0)].count("\n")
                problems.append(Problem(fragment.path, line, f"link '{href}' points nowhere", "warning"))
    return problems


def unused_images(report: Report, fragments: dict[Markdown, str], unreadable: set[Path] = frozenset()) -> list[Problem]:  # type: ignore[assignment]
    """Image files in the content folder that no entry shows (named in an *unreadable* file: unknown, not unused)."""
    used = {f.local_path for e in report.entries for f in e.figures if f.local_path}
    used |= {Path(unquote(src)).resolve() for html in fragments.values() for src in _IMG_SRC.findall(html)}
    mentioned = " ".join(path.read_bytes().decode("utf-8", "replace") for path in unreadable if path.is_file() and is_inside(path, report.root))
    return [
        Problem(path, None, "image is not used by any entry", "warning")
        for path in sorted(report.root.rglob("*"))
        if path.suffix.lower() in IMAGE_SUFFIXES and path.resolve() not in used and path.name not in mentioned
    ]


def _text_length(fragments: list[Markdown | None]) -> int:
    """Characters of text (Markdown syntax and spaces left out) in the fragments."""
    text = " ".join(f.text for f in fragments if f is not None)
    text = re.sub(r"\]\([^)]*\)|[*_#>`\[\]!-]", "", text)
    return sum(1 for c in text if not c.isspace() and unicodedata.category(c)[0] != "C")


def over_budget(report: Report, max_entry_chars: int, max_tldr_chars: int) -> list[Problem]:
    """Entries whose text runs over the length budget, and tl;drs that are no longer short."""
    problems = []
    for entry in report.entries:
        if entry.withdrawn:
            continue
        parts = [entry.tldr, entry.body] + ([entry.details.lead, *(p.body for p in entry.details.parts)] if entry.details else [])
        total = _text_length(parts)
        if total > max_entry_chars:
            problems.append(Problem(entry.path, 1, f"entry has {total} characters, over the budget of {max_entry_chars}", "warning"))
        if entry.tldr and (short := _text_length([entry.tldr])) > max_tldr_chars:
            problems.append(Problem(entry.path, entry.tldr.line, f"tl;dr has {short} characters, over the budget of {max_tldr_chars}", "warning"))
    return problems


def placeholders(report: Report) -> list[Problem]:
    """Text `publish new` put in an entry as a stand-in and the author has not replaced yet."""
    from .scaffold import PLACEHOLDER_BODY, PLACEHOLDER_PART, PLACEHOLDER_TLDR, PLACEHOLDER_URL

    stand_ins = (
        (PLACEHOLDER_URL, "the url is still the placeholder from 'publish new': put the paper's address"),
        (PLACEHOLDER_TLDR, "the tl;dr is still the placeholder from 'publish new': write the summary"),
        (PLACEHOLDER_BODY, "placeholder text from 'publish new': write the body or delete the line"),
        (PLACEHOLDER_PART, "placeholder '(작성 예정)' from 'publish new': write this part or delete its heading"),
    )
    problems = []
    for entry in report.entries:
        if entry.withdrawn:
            continue
        try:
            text = entry.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for stand_in, message in stand_ins:
            start = text.find(stand_in)
            while start >= 0:
                problems.append(Problem(entry.path, text.count("\n", 0, start) + 1, message, "warning"))
                start = text.find(stand_in, start + 1)
    return problems


def placeholder_tldrs(report: Report) -> list[Problem]:
    """The printed entries whose tl;dr is still the placeholder, as errors: the handout must not print them."""
    from .scaffold import PLACEHOLDER_TLDR

    return [
        Problem(entry.path, entry.tldr.line, "the tl;dr is still the placeholder from 'publish new'; the handout would print it "
                "(write the summary, or pass --allow-placeholders for a proof copy)")
        for entry in report.entries
        if not entry.withdrawn and entry.tldr is not None and PLACEHOLDER_TLDR in entry.tldr.text
    ]
