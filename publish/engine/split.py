"""Chapter by chapter layout: the report as separate WeasyPrint documents, each laid out once per process.

Chapters start on a new page and nothing in one chapter moves another's lines, so the report is
cut into documents: the cover and licence, each chapter, the table of contents, and the page
numbers of the body. A rebuild (`publish watch`, or `build_pdf` called again) lays out only the
documents whose HTML changed and replays the drawing of the other pages (engine/replay.py); a cold build
lays out chapters in two processes at once (engine/parallel.py). What one document did across chapters is
passed to each one in a `<style>` of its own, which wins over the project stylesheets (WeasyPrint
gives those the user origin):

- footnote numbers: `counter-reset: footnote F` (F = footnotes before, counted in the HTML);
- the running head `string(report-title)`, set on the cover, as a literal string;
- page numbers: chapters are laid out without them, so a chapter's pages do not depend on where it
  starts; the numbers come from one more document of empty body pages whose footers are drawn
  over the chapter pages (same @page rules, so the same place and type);
- the table of contents: page numbers as text (`attr(data-page)`) instead of `target-counter()`.

Links between documents resolve when the pages are written as one PDF, as do bookmarks.
A document without the report's structure is laid out whole, as before.
"""

from __future__ import annotations

import copy
import hashlib
import re
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any, Sequence

from ..render.footnotes import FOOTNOTE_ELEMENT
from . import parallel
from . import pdf as engine
from .replay import PageData, Recorder, ReplayPage, default_context

_CHAPTER = re.compile(r'<section class="chapter" id="[^"]*">')
_COVER_TITLE = re.compile(r'<p class="cover-title">(.*?)</p>', re.S)
_TOC_LINK = re.compile(r'<a href="#([^"]+)"')
_MAIN = '<main class="body-matter">'
NUMBERS_CHUNK = 16  # page numbers are laid out in documents of this many pages, each reused while unchanged


@dataclass
class Part:
    """One laid-out document: its pages (with their drawing records), anchors and warnings."""

    pages: list[PageData]
    anchor_pages: dict[str, int]
    warnings: list[str]
    document: Any = None  # the WeasyPrint document, when laid out in this process

    @classmethod
    def of(cls, laid_out: engine.Layout) -> Part:
        """The part for a layout made in this process."""
        pages = [PageData.of(page) for page in laid_out.document.pages]
        return cls(pages, laid_out.anchor_pages, laid_out.warnings, laid_out.document)

    @property
    def local(self) -> bool:
        """True when every page can also be drawn afresh here (laid out in this process)."""
        return all(page.page is not None for page in self.pages)


@dataclass
class _Cache:
    """Parts of the last build by key, and how many parts builds laid out or reused."""

    parts: dict[str, Part] = field(default_factory=dict)
    stats: dict[str, int] = field(default_factory=lambda: {"laid_out": 0, "reused": 0, "in_worker": 0})


_CACHE = _Cache()


@dataclass(frozen=True)
class Pieces:
    """The report document cut at its parts: shared head, front matter, contents, chapters."""

    head: str
    front: str
    toc: str
    chapters: tuple[str, ...]


def cut(html: str) -> Pieces | None:
    """Cut the report's HTML into its pieces; None if it lacks the structure report.html.j2 gives it."""
    body, toc, main = html.find("<body"), html.find('<nav class="toc"'), html.find(_MAIN)
    main_end, body_end = html.rfind("</main>"), html.rfind("</body>")
    if min(body, toc, main, main_end, body_end) < 0 or not body < toc < main < main_end < body_end:
        return None
    toc_end = html.find("</nav>", toc) + len("</nav>")
    head_end = html.find(">", body) + 1
    inner = html[main + len(_MAIN):main_end]
    starts = [m.start() for m in _CHAPTER.finditer(inner)]
    if not starts or inner[:starts[0]].strip() or html[toc_end:main].strip() or html[main_end + 7:body_end].strip():
        return None
    chapters = tuple(inner[a:b] for a, b in zip(starts, [*starts[1:], len(inner)], strict=True))
    return Pieces(html[:head_end], html[head_end:toc], html[toc:toc_end], chapters)


def css_string(text: str) -> str:
    """*text* as a quoted CSS string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ") + '"'


def _document(head: str, style: str, body: str) -> str:
    """A complete HTML document: the report's head plus *style*, then *body*."""
    if style:
        head = head.replace("</head>", f"<style>{style}</style>\n</head>", 1)
    return f"{head}\n{body}\n</body>\n</html>\n"


def _chapter_document(head: str, chapter: str, footnotes: int, title: str) -> str:
    """A chapter on its own: footnotes numbered on from the chapters before, no page numbers."""
    style = f"@page {{ @top-left {{ content: {css_string(title)} }} @bottom-center {{ content: none }} }}\n"
    if footnotes:
        style += f"html {{ counter-reset: footnote {footnotes} }}\n"
    return _document(head, style, f"{_MAIN}\n{chapter}</main>")


def _numbers_document(head: str, chunk: int) -> str:
    """Empty body pages whose only ink is the page number: the *chunk*-th run of NUMBERS_CHUNK numbers."""
    # One element names the page group, as .body-matter does: a named element per page would start
    # a group per page, and `@page :nth(1 of body)` would number every page 1.
    style = (f"@page :nth(1 of body) {{ counter-reset: page {chunk * NUMBERS_CHUNK + 1} }}\n"
             "@page { @top-left { content: none } @top-right { content: none } }\n"
             ".publish-numbers { page: body }\n.publish-numbers > div + div { break-before: page }\n")
    return _document(head, style, f'<div class="publish-numbers">{"<div></div>" * NUMBERS_CHUNK}</div>')


def _toc_document(head: str, toc: str, first_page: int, numbers: dict[str, int]) -> str:
    """The contents with each link's page number as text, counting pages from *first_page*."""
    # The same leader as report.css's `.toc a::after`: keep the two in step.
    style = (f"@page :first {{ counter-reset: page {first_page} }}\n"
             '.toc a::after { content: leader(dotted) " " attr(data-page) }\n')
    numbered = _TOC_LINK.sub(
        lambda m: f'{m.group(0)} data-page="{numbers[m.group(1)]}"' if m.group(1) in numbers else m.group(0), toc)
    return _document(head, style, numbered)


def _key(html: str, stylesheets: Sequence[Path], base_url: Path, roots: Sequence[Path], extra: Any) -> str:
    """Cache key of one part: its HTML and everything else its layout depends on."""
    digest = hashlib.sha256(html.encode("utf-8"))
    digest.update(repr((
        [(str(p), p.stat().st_mtime_ns) for p in stylesheets], str(base_url), [str(r) for r in roots], extra,
    )).encode("utf-8"))
    return digest.hexdigest()


def _metadata_copy(metadata: Any) -> Any:
    """A copy whose lists and dicts writing may extend (attachments, XMP), leaving the cached one as it was."""
    fresh = copy.copy(metadata)
    for name, value in vars(metadata).items():
        if isinstance(value, (list, dict)):
            setattr(fresh, name, copy.copy(value))
    return fresh


def recorder_for(document: Any) -> Recorder:
    """The recorder of *document*'s font configuration: template fonts belong to one configuration."""
    recorder = getattr(document.font_config, "publish_recorder", None)
    if recorder is None:
        recorder = document.font_config.publish_recorder = Recorder(document.font_config)
    return recorder


def _record_all(part: Part, recorder: Recorder, tagged: bool = False) -> Part:
    """Record every page of a local part in the default context now (while a worker runs)."""
    for page in part.pages:
        context = default_context(page.width, page.height, page.bleed, tagged)
        if context not in page.records:
            page.records[context] = recorder.record(page.page, context)
    return part


class _Build:
    """One layout of the report: which parts it used, laid out here, in the worker, or taken from the last build."""

    def __init__(self, stylesheets: Sequence[Path], base_url: Path, roots: Sequence[Path], workers: int, options: dict,
                 tagged: bool = False) -> None:
        self.stylesheets, self.base_url, self.roots, self.workers, self.options = stylesheets, base_url, roots, workers, options
        self.tagged = tagged
        # Remote images (--fetch-remote) may change behind an unchanged URL: such builds reuse nothing.
        # `locate` only words warnings; no other option changes what is laid out.
        remote = options.get("remote")
        self.extra = id(remote) if remote is not None else None
        self.previous, self.parts = _CACHE.parts, {}

    def key(self, document: str) -> str:
        """The cache key of a part document."""
        return _key(document, self.stylesheets, self.base_url, self.roots, self.extra)

    def lay(self, document: str) -> Part:
        """The part for *document*: from this build, the last one, or laid out now."""
        key = self.key(document)
        part = self.parts.get(key) or self.previous.get(key)
        if part is None or not (part.local or self.workers > 1):
            part = Part.of(engine.layout(document, self.base_url, self.stylesheets, self.roots, **self.options))
            _CACHE.stats["laid_out"] += 1
        else:
            _CACHE.stats["reused"] += 1
        self.parts[key] = part
        return part

    def in_parallel(self, misses: list[tuple[str, str]], front_document: str, head: str) -> Part | None:
        """Lay out *misses* here and in a worker at once; return the front part, or None if not worth a worker."""
        theirs: list[tuple[str, str]] = []
        if self.workers > 1 and self.extra is None and len(misses) > 1 and sum(len(d) for _, d in misses) > parallel.MIN_WORK:
            # Pages with images are drawn by the process that laid them out (engine/replay.py): keep such chapters here.
            ours, theirs = parallel.share(misses, portable=lambda document: "<img" not in document)
        if not theirs:
            return None
        # Fonts are loaded before the fork, so that the worker shares them (and never deletes their files).
        engine._stylesheets(tuple(self.stylesheets), tuple(p.stat().st_mtime for p in self.stylesheets), tuple(self.roots))
        worker = parallel.Worker(theirs, lambda d: _portable(d, self.base_url, self.stylesheets, self.roots, self.options, self.tagged))
        try:
            front = self.lay(front_document)
            recorder = recorder_for(front.document)
            for document in (d for _, d in ours):
                _record_all(self.lay(document), recorder, self.tagged)  # drawn now, while the worker runs, not at write time
            _record_all(front, recorder, self.tagged)
            # Until the worker is done: page numbers, as many as the pages laid out here suggest in all.
            own_pages, own_html = sum(len(self.parts[k].pages) for k, _ in ours), sum(len(d) for _, d in ours)
            estimate = own_pages * sum(len(d) for _, d in misses) / own_html if own_html else 0
            chunk = 0
            while chunk * NUMBERS_CHUNK < estimate and not worker.done():
                _record_all(self.lay(_numbers_document(head, chunk)), recorder)
                chunk += 1
            results = worker.results()
        finally:
            worker.close()  # a no-op after results(); stops the worker if this build failed
        for key, part in results.items():
            # Keep the worker's chapter only if this process can load every font it drew with.
            if part is not None and all(recorder.load(spec) for page in part.pages
                                        for record in page.records.values() for spec, *_ in record.fonts):
                self.parts[key] = part
                _CACHE.stats["in_worker"] += 1
        return front


def layout(html: str, base_url: Path, stylesheets: Sequence[Path], roots: Sequence[Path], *,
           workers: int = 1, tagged: bool = False, **options: Any) -> engine.Layout:
    """Lay out the report part by part, reusing the parts of the previous build in this process.

    Takes the arguments of `pdf.layout` and returns the same: one document of all the pages.
    *workers* > 1 lets a forked process lay out chapters too; its pages can only be replayed in a
    plain `write_pdf` (no PDF/A colour profile), so pass 1 for other writes. *tagged*: the PDF will
    be tagged, so the worker sends each page's structure elements with it (engine/tagging.py).
    """
    from weasyprint import Document

    pieces = cut(html)
    title_match = _COVER_TITLE.search(pieces.front) if pieces else None
    if pieces is None or title_match is None:
        return engine.layout(html, base_url, stylesheets, roots, **options)
    title = " ".join(unescape(re.sub(r"<[^>]+>", "", title_match.group(1))).split())
    build = _Build(stylesheets, base_url, roots, workers, options, tagged)
    documents, footnotes = [], 0
    for chapter in pieces.chapters:
        documents.append(_chapter_document(pieces.head, chapter, footnotes, title))
        footnotes += len(FOOTNOTE_ELEMENT.findall(chapter))
    keys = [build.key(d) for d in documents]
    front_document = _document(pieces.head, "", pieces.front)
    misses = [(k, d) for k, d in zip(keys, documents, strict=True) if k not in build.previous]
    front = build.in_parallel(misses, front_document, pieces.head) or build.lay(front_document)
    chapters = [build.parts.get(k) or build.lay(d) for k, d in zip(keys, documents, strict=True)]

    numbers, body_pages = {}, 0
    for part in chapters:
        numbers.update({anchor: body_pages + index for anchor, index in part.anchor_pages.items()})
        body_pages += len(part.pages)
    toc = build.lay(_toc_document(pieces.head, pieces.toc, len(front.pages) + 1, numbers))
    counters = [page for chunk in range(-(-body_pages // NUMBERS_CHUNK))
                for page in build.lay(_numbers_document(pieces.head, chunk)).pages]
    _CACHE.parts = build.parts  # keep only what this build used: memory stays that of one report

    recorder = recorder_for(front.document)
    pages = [ReplayPage([page], recorder) for part in (front, toc) for page in part.pages]
    body = [page for part in chapters for page in part.pages]
    # Page numbers come in whole chunks, so there may be more numbers than pages.
    pages += [ReplayPage([page, number], recorder) for page, number in zip(body, counters, strict=False)]
    source = front.document
    document = Document(pages, _metadata_copy(source.metadata), source.url_fetcher, source.font_config,
                        dict(source.color_profiles), source.output_intent)
    anchor_pages: dict[str, int] = {}
    for number, page in enumerate(pages, start=1):
        for anchor in page.anchors:
            anchor_pages.setdefault(anchor, number)
    warnings = [w for part in (front, toc, *chapters) for w in part.warnings]
    return engine.Layout(document, html, anchor_pages, list(dict.fromkeys(warnings)))


def _portable(document: str, base_url: Path, stylesheets: Sequence[Path], roots: Sequence[Path], options: dict,
              tagged: bool = False) -> Part | None:
    """In the worker: lay out one chapter and record its pages (with their structure if *tagged*); None if a page cannot be recorded."""
    laid_out = engine.layout(document, base_url, stylesheets, roots, **options)
    recorder = recorder_for(laid_out.document)
    pages = [PageData.of(page).portable(recorder, tagged) for page in laid_out.document.pages]
    if any(page is None for page in pages):
        return None
    return Part(pages, laid_out.anchor_pages, laid_out.warnings)  # type: ignore[arg-type]
