"""WeasyPrint: paged HTML + stylesheets → PDF bytes, with fonts prepared once and a fenced URL fetcher."""

from __future__ import annotations

import atexit
import hashlib
import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Sequence
from urllib.parse import urlsplit
from urllib.request import url2pathname

from .resources import is_inside


class _LogCollector(logging.Handler):
    """Collects WeasyPrint's warnings (CSS errors, refused resources) to show them to the user."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the formatted message."""
        self.messages.append(record.getMessage())


def _fetcher_class() -> type:
    """Build the fetcher class lazily: importing WeasyPrint costs half a second."""
    from weasyprint.urls import URLFetcher

    class ProjectFetcher(URLFetcher):
        """Serves `data:` URLs and files inside the project roots; refuses everything else."""

        def __init__(self, roots: Sequence[Path], refused: list[str]) -> None:
            super().__init__(timeout=5, allowed_protocols={"file", "data"})
            self.roots = roots
            self.refused = refused

        def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
            """Fetch *url* if it is allowed, else record it and refuse."""
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(url2pathname(urlsplit(url).path))
                if any(is_inside(path, root) for root in self.roots):
                    return super().fetch(url, headers)
                reason = "outside the project"
            else:
                reason = "remote resources are not fetched"
            self.refused.append(f"{url} ({reason})")
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

    @property
    def pages(self) -> int:
        """Number of pages."""
        return len(self.document.pages)


def layout(html: str, base_url: Path, stylesheets: Sequence[Path], roots: Sequence[Path]) -> Layout:
    """Lay out *html* with *stylesheets*; only files under *roots* are ever read."""
    from weasyprint import HTML

    collector = _LogCollector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    refused: list[str] = []
    try:
        fonts, css = _stylesheets(tuple(stylesheets), tuple(p.stat().st_mtime for p in stylesheets), tuple(roots))
        fetcher = _fetcher_class()(tuple(roots), refused)
        document = HTML(string=html, base_url=str(base_url), url_fetcher=fetcher).render(
            stylesheets=css, font_config=fonts
        )
    finally:
        logger.removeHandler(collector)
    anchor_pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            anchor_pages.setdefault(anchor, number)
    warnings = [f"resource refused: {item}" for item in refused]
    warnings += [m for m in collector.messages if "refused" not in m]
    return Layout(document, html, anchor_pages, warnings)


def write(laid_out: Layout, finisher: Callable[[Any, Any], None] | None = None, **options: Any) -> bytes:
    """Write the PDF bytes; the /ID comes from the HTML so the same content gives the same file."""
    options.setdefault("pdf_identifier", document_id(laid_out.html))
    return laid_out.document.write_pdf(finisher=finisher, **options)
