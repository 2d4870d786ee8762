"""QR codes for the printed editions: an entry's URL as a small vector image, plus a printable short form."""

from __future__ import annotations

import base64
import io
from functools import lru_cache
from urllib.parse import urlsplit

# Above this many characters the printed form is shortened; the QR code always carries the full URL.
PRINTED_URL_LIMIT = 50


@lru_cache(maxsize=1024)
def qr_data_uri(url: str) -> str:
    """The QR code of *url* as an SVG `data:` URI (the URL fetcher serves only data: and project files).

    Vector output stays sharp at any print resolution and costs ~1-3 KB per code. Error level M
    (15 %) survives a fold or a smudge on paper; segno raises it further when that fits the same size.
    The SVG has no quiet zone of its own: the stylesheet keeps white space around the code.
    """
    import segno

    code = segno.make(url, error="m", micro=False)
    buffer = io.BytesIO()
    # omitsize: a viewBox instead of a fixed size, so CSS can scale the code to any width.
    code.save(buffer, kind="svg", border=0, xmldecl=False, omitsize=True, nl=False, svgclass=None, lineclass=None)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def short_url(url: str, limit: int = PRINTED_URL_LIMIT) -> str:
    """A URL as it is printed under its QR code: no scheme or `www.`, the middle elided when long."""
    parts = urlsplit(url)
    host = parts.netloc.removeprefix("www.")
    rest = parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "")
    text = host + rest
    if len(text) <= limit:
        return text
    # Keep the host (where it leads) and the end of the path (usually the paper's id).
    tail_room = max(limit - len(host) - 2, 8)
    return f"{host}/…{rest[-tail_room:]}"
