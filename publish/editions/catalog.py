"""The editions a report is built as: which template and stylesheets each uses, and how its PDF is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

STYLESHEETS = ("fonts.css", "report.css")
# Tagged PDF for screen readers (PDF/UA-1): structure tree, alt texts, artifacts (engine/tagging.py).
ACCESSIBLE = {"pdf_variant": "pdf/ua-1"}


@dataclass(frozen=True)
class Edition:
    """One use of the report: which template and stylesheets, and how the PDF is written."""

    name: str
    template: str
    stylesheets: tuple[str, ...]
    write_options: dict[str, Any] = field(default_factory=dict)
    print_ready: tuple[str, ...] = ("print-ready.css",)
    """Stylesheets added for `--print-ready` (bleed, crop marks, fills carried into the bleed)."""


EDITIONS: dict[str, Edition] = {
    # The default report is the one people attach to email: images downsampled for screen.
    "report": Edition("report", "report.html.j2", STYLESHEETS, {**ACCESSIBLE, "optimize_images": True, "dpi": 150, "jpeg_quality": 80},
                      ("print-ready.css", "print-ready-cover.css")),
    # The sponsor's printed digest: title, venue, tl;dr and a QR code per entry (docs/editions.md).
    "handout": Edition("handout", "handout.html.j2", (*STYLESHEETS, "handout.css"), {**ACCESSIBLE, "optimize_images": True}),
}
# --booklet lays the handout out on A5, so each page goes 1:1 onto half an A4 landscape sheet.
BOOKLET_STYLESHEET = "booklet.css"
