"""Markdown → sanitised HTML fragments: figures, offline image placeholders, inline footnotes."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import unquote

import markdown
from markdown.extensions import Extension
from markdown.extensions.footnotes import NBSP_PLACEHOLDER
from markdown.treeprocessors import Treeprocessor

from ..content.limits import html_problem
from ..content.model import Entry, Markdown, Report
from ..content.resources import is_remote, resolve_local, split_url
from ..errors import Problem
from .footnotes import note_class
from .sanitize import nesting_depth, sanitize

_EXTENSIONS = ["footnotes", "tables", "sane_lists", "fenced_code"]
_FOOTNOTE_DEF = re.compile(r"^\[\^([^\]\s]+)\]:")
_FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\](?!:)")

Resolver = Callable[[str], "tuple[Path | None, str | None]"]
"""A reference → (local file, None) or (None, why not): resources.resolve_local's shape."""


@dataclass
class _Context:
    """What the tree processor needs to know about the fragment being rendered."""

    fragment: Markdown | None = None
    root: Path = Path(".")
    problems: list[Problem] = field(default_factory=list)
    referenced: set[str] = field(default_factory=set)
    remote: Resolver | None = None
    """Fetches remote images (--fetch-remote); None: remote images become placeholders."""
    trusted: set[str] = field(default_factory=set)
    """`file:` URIs this module resolved itself, inside the content folder or the remote cache."""
    targets: dict[Path, str] = field(default_factory=dict)
    """Entry and chapter files (resolved) → their anchor, for links between them."""
    note_scope: str = ""
    """Names the entry whose footnotes are being rendered: a note's calls share a class (footnotes.py)."""

    def line(self, needle: str) -> int:
        """The line of the current fragment where *needle* first appears (its first line if nowhere)."""
        fragment = self.fragment
        if fragment is None:
            return 1
        return fragment.line + fragment.text[: max(fragment.text.find(needle), 0)].count("\n")

    def warn(self, needle: str, message: str) -> None:
        """A warning located at *needle* in the current fragment."""
        if self.fragment is not None:
            self.problems.append(Problem(self.fragment.path, self.line(needle), message, "warning"))

    def fetched(self, src: str, instead: str = "drawn as a placeholder") -> str | None:
        """The local URI of the remote image *src* if fetching is on and it worked; a warning if it failed."""
        if self.remote is None:
            return None
        path, reason = self.remote(src)
        if path is None:
            self.warn(src, f"remote image not fetched, {instead}: {reason}")
            return None
        self.trusted.add(path.as_uri())
        return path.as_uri()


def short_host(url: str) -> str:
    """The host part of a URL, for compact link text."""
    parts = split_url(url)
    return parts.netloc if parts and parts.netloc else url


PLACEHOLDER_TEXT = "원격 이미지 (이 빌드에서는 내려받지 않음): "
"""Lead-in of a placeholder figure, shared with the templates' front-matter figures."""


def placeholder(src: str, caption_html: str | None) -> etree.Element:
    """A figure standing in for a remote image that is not fetched: caption plus a link to it."""
    figure = etree.Element("figure", {"class": "figure placeholder"})
    box = etree.SubElement(figure, "div", {"class": "placeholder-box"})
    box.text = PLACEHOLDER_TEXT
    link = etree.SubElement(box, "a", {"href": src})
    link.text = f"원본 보기 — {short_host(src)}"
    if caption_html:
        caption = etree.SubElement(figure, "figcaption")
        caption.text = caption_html
    return figure


class _PublishTree(Treeprocessor):
    """Turns lone images into figures and footnote references into inline `span.footnote` elements."""

    def __init__(self, md: markdown.Markdown, context: _Context) -> None:
        super().__init__(md)
        self.context = context

    def run(self, root: etree.Element) -> None:
        """Rewrite the tree in place."""
        self.checked: set[int] = set()
        notes = self._take_notes(root)
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag == "sup" and child.get("id", "").startswith("fnref"):
                    self._inline_note(parent, index, child, notes)
                elif child.tag in ("p", "li") and self._is_lone_image(child):
                    self._make_figure(parent, index, child)
                elif child.tag == "img":
                    self._check_image(child)

    @staticmethod
    def _take_notes(root: etree.Element) -> dict[str, etree.Element]:
        """Remove the footnote list Python-Markdown appends and index its items by id."""
        notes: dict[str, etree.Element] = {}
        for div in [d for d in root if d.tag == "div" and d.get("class") == "footnote"]:
            for item in div.iter("li"):
                notes[item.get("id", "")] = item
            root.remove(div)
        return notes

    def _inline_note(self, parent: etree.Element, index: int, sup: etree.Element, notes: dict[str, etree.Element]) -> None:
        """Replace a `<sup><a href=#fn:x>` call by a footnote span holding the note's content."""
        anchor = sup.find("a")
        target = (anchor.get("href", "") if anchor is not None else "").lstrip("#")
        item = notes.get(target)
        if item is None:
            return
        note = target.split(":", 1)[-1]
        span = etree.Element("span", {"class": f"footnote {note_class(self.context.note_scope, note)}"})
        self.context.referenced.add(note)
        span.tail = sup.tail
        pieces = list(item) if any(c.tag == "p" for c in item) else [item]
        for number, piece in enumerate(pieces):
            text = piece.text or ""
            if number and text:
                text = " " + text
            _append_text(span, text)
            for sub in list(piece):
                if sub.tag == "a" and "footnote-backref" in (sub.get("class") or ""):
                    _strip_trailing_space(span)  # Python-Markdown puts a no-break space before the backlink
                    _append_text(span, sub.tail or "")
                    continue
                span.append(sub)
        parent.remove(sup)
        parent.insert(index, span)

    @staticmethod
    def _is_lone_image(node: etree.Element) -> bool:
        """A paragraph or list item holding exactly one image and no text."""
        children = list(node)
        if len(children) == 1 and children[0].tag == "p":
            node, children = children[0], list(children[0])
        return (
            len(children) == 1 and children[0].tag == "img"
            and not (node.text or "").strip() and not (children[0].tail or "").strip()
        )

    def _make_figure(self, parent: etree.Element, index: int, node: etree.Element) -> None:
        """Replace a lone image by a figure (or a placeholder for a remote image)."""
        holder = node[0] if node[0].tag == "p" else node
        image = holder[0]
        src, caption = image.get("src", ""), image.get("alt", "")
        if is_remote(src) and (local := self.context.fetched(src)) is None:
            figure = placeholder(src, caption)
        else:
            if is_remote(src):
                image.set("src", local)
            if not self._check_image(image):
                return
            figure = etree.Element("figure", {"class": "figure"})
            figure.append(image)
            image.tail = None
            if caption:
                etree.SubElement(figure, "figcaption").text = caption
        if node.tag == "li":
            node.remove(holder if holder is not node else image)
            node.text = None
            node.append(figure)
        else:
            figure.tail = node.tail
            parent.remove(node)
            parent.insert(index, figure)
        if parent.tag == "li":  # "- Highlight Figure" and its figure: one item that pages as a whole
            parent.set("class", "figure-item")

    def _check_image(self, image: etree.Element) -> bool:
        """Resolve a local image inside the content folder; report it when missing or outside."""
        src = image.get("src", "")
        if not (image.get("alt") or "").strip():  # screen readers need a text (PDF/UA): name the file at least
            image.set("alt", "그림: " + (src.rstrip("/").rsplit("/", 1)[-1] or "이미지"))
        fragment = self.context.fragment
        if is_remote(src) or src in self.context.trusted or fragment is None or id(image) in self.checked:
            return True
        self.checked.add(id(image))
        path, reason = resolve_local(src, fragment.path.parent, self.context.root)
        if path is None:
            self.context.problems.append(Problem(fragment.path, self.context.line(src), reason or "bad image"))
            image.set("src", "")
            return False
        image.set("src", path.as_uri())
        self.context.trusted.add(path.as_uri())
        return True


def _strip_trailing_space(element: etree.Element) -> None:
    """Remove trailing whitespace (including no-break spaces) from the end of *element*'s text."""
    if len(element):
        element[-1].tail = (element[-1].tail or "").replace(NBSP_PLACEHOLDER, "").rstrip() or None
    else:
        element.text = (element.text or "").replace(NBSP_PLACEHOLDER, "").rstrip()


def _append_text(element: etree.Element, text: str) -> None:
    """Append text after the last child of *element* (or as its text)."""
    if not text:
        return
    if len(element):
        element[-1].tail = (element[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text


class _PublishExtension(Extension):
    """Registers the tree processor after inline processing and footnotes."""

    def __init__(self, context: _Context) -> None:
        super().__init__()
        self.context = context

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown API)
        """Hook into Python-Markdown."""
        md.treeprocessors.register(_PublishTree(md, self.context), "publish", 5)


def footnote_definitions(fragments: Iterable[Markdown | None]) -> dict[str, str]:
    """Collect `[^label]: …` definitions (with indented continuation lines) from fragments."""
    found: dict[str, str] = {}
    for fragment in fragments:
        if fragment is None:
            continue
        lines = fragment.text.split("\n")
        index = 0
        while index < len(lines):
            match = _FOOTNOTE_DEF.match(lines[index])
            if not match:
                index += 1
                continue
            block = [lines[index]]
            index += 1
            while index < len(lines) and (not lines[index].strip() or lines[index].startswith(("    ", "\t"))):
                block.append(lines[index])
                index += 1
            found[match.group(1)] = "\n".join(block).rstrip()
    return found


class Renderer:
    """Renders every Markdown fragment of a report once, collecting problems."""

    def __init__(self, root: Path, remote: Resolver | None = None, targets: dict[Path, str] | None = None) -> None:
        self.context = _Context(root=root, remote=remote, targets=targets or {})
        self.md = markdown.Markdown(extensions=[*_EXTENSIONS, _PublishExtension(self.context)], output_format="html")

    @property
    def problems(self) -> list[Problem]:
        """Problems found while rendering."""
        return self.context.problems

    def block(self, fragment: Markdown | None, notes: dict[str, str] | None = None) -> str:
        """Render a block fragment; *notes* are footnote definitions shared by its entry."""
        if fragment is None or not fragment.text.strip():
            return ""
        self.context.fragment = fragment
        text = fragment.text
        if notes:
            text += "\n\n" + "\n\n".join(notes.values())
        try:
            html = sanitize(self.md.reset().convert(text), self._raw_image, self._local_link)
            depth: int | None = nesting_depth(html)
        except RecursionError:  # Python-Markdown recurses once per level of nested lists and quotes
            html, depth = "", None
        if (reason := html_problem(html, depth)) is not None:  # nesting and table size (content/limits.py)
            self.problems.append(Problem(fragment.path, fragment.line, reason))
            return ""
        return html

    def _raw_image(self, src: str) -> str | None:
        """The source to keep for an image that reached the sanitiser, mostly from raw HTML; None drops it.

        Local sources are vetted like Markdown images (inside the content folder, existing),
        but a bad one in raw HTML is dropped with a warning rather than failing the build.
        """
        src = src.strip()
        if not src or src in self.context.trusted:
            return src or None  # empty: a Markdown image already reported as an error
        if is_remote(src):
            return src if self.context.remote is None else self.context.fetched(src, "left out")
        fragment = self.context.fragment
        if fragment is None:
            return None
        path, reason = resolve_local(src, fragment.path.parent, self.context.root)
        if path is None:
            self.context.warn(src, f"raw HTML image dropped: {reason}")
            return None
        self.context.trusted.add(path.as_uri())
        return path.as_uri()

    def _local_link(self, href: str) -> str | None:
        """A link to another entry's or chapter's `.md` file → `#entry-…`/`#chapter-…`; other local links are dropped.

        A relative link would reach the PDF as a `file:` URL: dead for the reader, and it names a folder of the author's.
        """
        fragment = self.context.fragment
        parts = split_url(href)
        if fragment is None or parts is None or parts.scheme or parts.netloc:
            return None
        path = unquote(parts.path)
        target = (fragment.path.parent / path).resolve() if path and "\x00" not in path else None
        if path.lower().endswith(".md"):
            anchor = self.context.targets.get(target) if target else None
            if anchor == "":
                self.context.warn(href, f"link '{href}' left out: that entry is not printed (withdrawn, or a draft without --drafts)")
            elif anchor is None:
                self.context.problems.append(Problem(
                    fragment.path, self.context.line(href),
                    f"link '{href}' points to no entry or chapter of the report (link a file listed in a chapter, or a web address)",
                ))
            return f"#{anchor}" if anchor else None
        self.context.warn(href, f"link '{href}' to a local file left out: a PDF cannot open it; link a web address instead")
        return None

    def entry(self, entry: Entry) -> dict[Markdown, str]:
        """Render all fragments of an entry with its footnotes shared between them."""
        fragments = [entry.tldr, entry.body, *(f.caption for f in entry.figures)]
        if entry.details:
            fragments += [entry.details.lead, *(p.body for p in entry.details.parts)]
        return self.scope(fragments)

    def scope(self, fragments: list[Markdown | None]) -> dict[Markdown, str]:
        """Render fragments that share footnote definitions, then check calls against definitions."""
        notes = footnote_definitions(fragments)
        self.context.referenced = set()
        path = next((f.path for f in fragments if f is not None), None)
        # Relative to the content folder: the same content gives the same classes wherever it lies.
        self.context.note_scope = "" if path is None else (
            path.relative_to(self.context.root) if path.is_relative_to(self.context.root) else path).as_posix()
        rendered = {f: self.block(f, notes) for f in fragments if f is not None}
        self._check_notes(fragments, notes)
        return rendered

    def _check_notes(self, fragments: list[Markdown | None], notes: dict[str, str]) -> None:
        """Report calls without a definition and definitions without a call."""
        for fragment in fragments:
            if fragment is None:
                continue
            for match in _FOOTNOTE_REF.finditer(fragment.text):
                if match.group(1) not in notes:
                    line = fragment.line + fragment.text[: match.start()].count("\n")
                    self.problems.append(Problem(fragment.path, line, f"footnote [^{match.group(1)}] has no definition (add a line '[^{match.group(1)}]: …')"))
            for match in re.finditer(r"^\[\^([^\]\s]+)\]:", fragment.text, re.M):
                if match.group(1) not in self.context.referenced:
                    line = fragment.line + fragment.text[: match.start()].count("\n")
                    self.problems.append(Problem(fragment.path, line, f"footnote [^{match.group(1)}] is defined but never referenced"))


def render_inline(text: str | None) -> str:
    """Render a one-line Markdown string (a title or label), sanitised, without the paragraph."""
    return _inline(text or "")


@lru_cache(maxsize=4096)
def _inline(text: str) -> str:
    """Cached body of `render_inline`: titles repeat in the TOC, bookmarks and headings."""
    html = markdown.markdown(text.strip())
    if html.startswith("<p>") and html.endswith("</p>"):
        html = html[3:-4]
    return sanitize(html)


def render_report(report: Report, remote: Resolver | None = None) -> tuple[dict[Markdown, str], list[Problem]]:
    """Render every Markdown fragment of the report; returns fragment → HTML and the problems.

    *remote* fetches remote images (--fetch-remote); without it they become placeholders.
    """
    targets = {c.path.resolve(): f"chapter-{c.id}" for c in report.chapters}
    targets |= {e.path.resolve(): "" if e.withdrawn else f"entry-{e.id}" for e in report.entries}
    renderer = Renderer(report.root, remote, targets)
    html: dict[Markdown, str] = {}
    html.update(renderer.scope([report.license.statement, report.sponsor and report.sponsor.acknowledgement]))
    for chapter in report.chapters:
        html.update(renderer.scope([chapter.prose]))
        for entry in chapter.entries:
            html.update(renderer.entry(entry))
    return html, renderer.problems
