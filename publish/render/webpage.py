"""Make the screen HTML self-contained: inline CSS, fonts subset to the page's characters, images."""

from __future__ import annotations

import base64
import io
import mimetypes
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

from ..content.resources import is_inside
from .cmap import mapped_codepoints

_FONT_URL = re.compile(r"url\((['\"]?)(?P<path>[^)'\"]+\.(?:ttf|otf))\1\)(\s*format\([^)]*\))?")
_LOCAL_IMG = re.compile(r'src="file://(?P<path>[^"]+)"')


def data_uri(data: bytes, mime: str) -> str:
    """A base64 `data:` URI."""
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def subset_font(path: Path, text: str) -> bytes:
    """The font reduced to the characters of *text*, as WOFF2 (small enough to inline)."""
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    font = subset.load_font(str(path), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    out = io.BytesIO()
    subset.save_font(font, out, options)
    return out.getvalue()


@lru_cache(maxsize=64)
def _cmap(path: Path, mtime_ns: int) -> frozenset[int]:
    """The code points *path* maps (*mtime_ns* keys the cache: a replaced font is read again)."""
    return frozenset(mapped_codepoints(path))


@lru_cache(maxsize=64)
def _subset_uri(path: Path, mtime_ns: int, chars: str) -> str:
    """`subset_font` as a data: URI, kept for the process: `publish preview` rebuilds the page on every save."""
    return data_uri(subset_font(path, chars), "font/woff2")


def inline_fonts(css: str, css_dir: Path, text: str) -> str:
    """Replace `url(font.ttf)` in @font-face rules by WOFF2 subsets covering *text*.

    Each font is subset to the characters of *text* it maps (the same result as subsetting to all
    of *text*), so an edit that adds no character a font has reuses that font's subset: a Korean
    sentence leaves the Latin fonts alone, and most edits add no new syllable.
    """

    def replace(match: re.Match[str]) -> str:
        path = (css_dir / match.group("path")).resolve()
        mtime = path.stat().st_mtime_ns
        mapped = _cmap(path, mtime)
        return f'url("{_subset_uri(path, mtime, "".join(c for c in text if ord(c) in mapped))}") format("woff2")'

    return _FONT_URL.sub(replace, css)


def inline_images(html: str, roots: tuple[Path, ...]) -> str:
    """Replace local `file://` image sources inside the project by data URIs."""

    def replace(match: re.Match[str]) -> str:
        path = Path(unquote(match.group("path")))
        if not any(is_inside(path, root) for root in roots) or not path.is_file():
            return 'src=""'
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return f'src="{data_uri(path.read_bytes(), mime)}"'

    return _LOCAL_IMG.sub(replace, html)


def page_text(html: str) -> str:
    """Every character a browser may draw from *html* (tags left out), for font subsetting."""
    visible = re.sub(r"<[^>]+>", "", html)
    return "".join(sorted(set(visible))) + "0123456789.…·※ "
