"""WeasyPrint: paged HTML + stylesheets → PDF bytes, with fonts prepared once and a fenced URL fetcher."""

from __future__ import annotations

import atexit
import hashlib
import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence
from urllib.request import url2pathname

from ..content.resources import REMOTE_SCHEMES, is_inside, split_url
from ..errors import OutputError

if TYPE_CHECKING:
    from ..content.remote import RemoteImages


class _LogCollector(logging.Handler):
    """Collects WeasyPrint's warnings (CSS errors, refused resources) to show them to the user."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the formatted message."""
        self.messages.append(record.getMessage())


_writing: list[tuple[str, str]] | None = None
"""Refusals while a PDF is written, whichever document's fetcher made them: SVG images load theirs as they are drawn."""


@lru_cache(maxsize=1)
def _fetcher_class() -> type:
    """Build the fetcher class lazily (importing WeasyPrint costs half a second), once per process."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    from ..content.remote import RemoteError

    class ProjectFetcher(URLFetcher):
        """Serves `data:` URLs and files inside the project roots, remote URLs only through *remote*; refuses the rest."""

        def __init__(self, roots: Sequence[Path], refused: list[tuple[str, str]], remote: RemoteImages | None = None) -> None:
            super().__init__(timeout=5, allowed_protocols={"file", "data"})
            self.roots = roots
            self.refused = refused
            self.remote = remote

        def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
            """Fetch *url* if it is allowed, else record it and refuse."""
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                parts = split_url(url)
                path = Path(url2pathname(parts.path)) if parts else None
                if path is not None and any(is_inside(path, root) for root in self.roots):
                    return super().fetch(url, headers)
                reason = "outside the project"
            elif scheme in REMOTE_SCHEMES and self.remote is not None:
                try:
                    data, mime = self.remote.read(url)
                except RemoteError as exc:
                    reason = f"not fetched: {exc}"
                else:
                    return URLFetcherResponse(url, data, {"Content-Type": mime})
            elif scheme in REMOTE_SCHEMES:
                reason = "remote resources are fetched only with --fetch-remote"
            else:
                reason = "neither a file of the project nor a data: URL"
            self.refused.append((url, reason))
            if _writing is not None:
                _writing.append((url, reason))
            raise ValueError(f"refused {url}: {reason}")

    return ProjectFetcher


@lru_cache(maxsize=8)
def _stylesheets(paths: tuple[Path, ...], mtimes: tuple[float, ...], roots: tuple[Path, ...]) -> tuple[Any, list[Any]]:
    """Parse the stylesheets and load their fonts once per process (watch mode reuses them)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    fetcher = _fetcher_class()(roots, [])
    return fonts, [CSS(filename=str(p), font_config=fonts, url_fetcher=fetcher) for p in paths]


# Drop cached FontConfigurations before interpreter teardown: their __del__ needs modules that
# are already gone by then and prints a TypeError otherwise.
atexit.register(_stylesheets.cache_clear)


def document_id(html: str) -> bytes:
    """A stable PDF /ID from the document's HTML, so the same content gives the same bytes."""
    return hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")


@dataclass
class Layout:
    """A laid-out document: WeasyPrint's pages plus the page of each anchor and the warnings."""

    document: Any
    html: str
    anchor_pages: dict[str, int]
    warnings: list[str] = field(default_factory=list)
    locate: Callable[[str], str | None] | None = None
    """Names the source file that refers to a URL, for warnings about refused resources."""

    def refusal_warnings(self, refused: list[tuple[str, str]]) -> list[str]:
        """Warnings for refused (URL, reason) pairs, naming the file that refers to each URL."""
        warnings = []
        for url, reason in refused:
            where = self.locate(url) if self.locate else None
            warnings.append(f"{where + ': ' if where else ''}resource refused: {url} ({reason})")
        return warnings

    @property
    def pages(self) -> int:
        """Number of pages."""
        return len(self.document.pages)


def layout(
    html: str, base_url: Path, stylesheets: Sequence[Path], roots: Sequence[Path],
    remote: RemoteImages | None = None, locate: Callable[[str], str | None] | None = None,
) -> Layout:
    """Lay out *html* with *stylesheets*; only files under *roots* are ever read.

    Remote URLs are read only through *remote* (--fetch-remote). *locate* names the source file
    that refers to a URL, so that a refused resource's warning says where it came from.
    """
    from weasyprint import HTML

    from . import fragments, justify, tagging

    fragments.install()  # a box split across pages ends its part where its content ends
    justify.install()  # a loose justified line spaces its Hangul syllables a little
    tagging.install()  # tagged output: decorations as artifacts, complete structure elements (engine/tagging.py)
    collector = _LogCollector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    refused: list[tuple[str, str]] = []
    try:
        fonts, css = _stylesheets(tuple(stylesheets), tuple(p.stat().st_mtime for p in stylesheets), tuple(roots))
        fetcher = _fetcher_class()(tuple(roots), refused, remote)
        document = HTML(string=html, base_url=str(base_url), url_fetcher=fetcher).render(
            stylesheets=css, font_config=fonts
        )
    except RecursionError:
        # WeasyPrint lays boxes out recursively; markup limits nesting, this catches what slips past.
        raise OutputError("the document nests elements too deeply to lay out; nothing was written") from None
    finally:
        logger.removeHandler(collector)
    for page in document.pages:
        page.links[:] = outermost_links(page.links)
    anchor_pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            anchor_pages.setdefault(anchor, number)
    laid_out = Layout(document, html, anchor_pages, locate=locate)
    laid_out.warnings = [*laid_out.refusal_warnings(refused), *(m for m in collector.messages if "refused" not in m)]
    return laid_out


def outermost_links(links: list[Any]) -> list[Any]:
    """*links* without those lying inside another link to the same target.

    WeasyPrint gives every inline box inside an `<a>` a link of its own: a contents line had four
    overlapping annotations. One per area is what a reader clicks and a screen reader lists.
    """

    def inside(inner: tuple[float, ...], outer: tuple[float, ...]) -> bool:
        return (outer[0] <= inner[0] + 0.01 and outer[1] <= inner[1] + 0.01
                and outer[2] >= inner[2] - 0.01 and outer[3] >= inner[3] - 0.01)

    kept: list[Any] = []
    for index, link in enumerate(links):
        kind, target, rectangle = link[:3]
        if not any(other[:2] == (kind, target) and inside(rectangle, other[2]) and (other[2] != rectangle or other_index < index)
                   for other_index, other in enumerate(links) if other_index != index):
            kept.append(link)
    return kept


def write(laid_out: Layout, finisher: Callable[[Any, Any], None] | None = None, **options: Any) -> bytes:
    """Write the PDF bytes; the /ID comes from the HTML so the same content gives the same file."""
    global _writing
    options.setdefault("pdf_identifier", document_id(laid_out.html))
    _writing = []
    try:
        pdf = laid_out.document.write_pdf(finisher=finisher, **options)
        laid_out.warnings += [w for w in laid_out.refusal_warnings(_writing) if w not in laid_out.warnings]
    except RecursionError:  # drawing recurses like layout does
        raise OutputError("the document nests elements too deeply to draw; nothing was written") from None
    finally:
        _writing = None
    return pdf
