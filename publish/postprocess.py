"""pypdf post-processing: page labels and viewer settings, written as an incremental update."""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject


def finish(pdf: bytes, body_start: int) -> bytes:
    """Label front matter i, ii, … and the body from 1; open with bookmarks and the document title.

    *body_start* is the 1-based index of the first body page. The update is appended to the
    WeasyPrint file (incremental), which keeps its compressed object streams.
    """
    writer = PdfWriter(io.BytesIO(pdf), incremental=True)
    pages = len(writer.pages)
    if 1 < body_start <= pages:
        writer.set_page_label(0, body_start - 2, style="/r")
        writer.set_page_label(body_start - 1, pages - 1, style="/D", start=1)
    writer.page_mode = "/UseOutlines"
    writer.create_viewer_preferences()
    writer.viewer_preferences.display_doctitle = True  # type: ignore[union-attr]
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def page_count(pdf: bytes) -> int:
    """Number of pages of a PDF."""
    return len(PdfReader(io.BytesIO(pdf)).pages)
