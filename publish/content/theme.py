"""The `theme:` settings of report.yaml: paper size, body font size, accent colour, serif or sans body."""

from __future__ import annotations

import re
from typing import Any

from ..errors import Problem
from .model import Theme
from .reader import SourceFile
from .schema import Field, check_fields, did_you_mean

THEME_FIELDS = {"paper": Field("text"), "font_size": Field("text"), "accent": Field("text"), "body": Field("text")}
PAPERS = ("A4", "Letter", "B5")
BODIES = ("serif", "sans")
FONT_SIZES = (8.0, 14.0)
"""Body text sizes in points that still set well in the page's measure."""
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(pt)?\s*$", re.IGNORECASE)
_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def _choice(value: str, choices: tuple[str, ...]) -> str | None:
    """*value* as spelled in *choices*, compared without case."""
    return next((c for c in choices if c.lower() == value.strip().lower()), None)


def read_theme(source: SourceFile, data: dict[str, Any] | None, problems: list[Problem]) -> Theme | None:
    """Validate the theme mapping; None when there is none (the packaged look, byte for byte)."""
    if data is None:
        return None
    v = check_fields(source, data, THEME_FIELDS, "theme.", problems)

    def bad(key: str, message: str) -> None:
        problems.append(Problem(source.path, source.line_of(f"theme.{key}"), message))

    paper = body = accent = None
    size: float | None = None
    if v["paper"] is not None and (paper := _choice(v["paper"], PAPERS)) is None:
        bad("paper", f"paper must be one of {', '.join(PAPERS)}, not '{v['paper']}'{did_you_mean(v['paper'], PAPERS)}")
    if v["body"] is not None and (body := _choice(v["body"], BODIES)) is None:
        bad("body", f"body must be serif or sans, not '{v['body']}'{did_you_mean(v['body'].lower(), BODIES)}")
    if "accent" in data and data["accent"] is None:
        bad("accent", "accent is empty: YAML reads a colour's # as the start of a comment; quote it, as in accent: \"#1d4e89\"")
    if v["accent"] is not None:
        accent = v["accent"].strip()
        if not _COLOUR.match(accent):
            bad("accent", f"accent must be a colour written #rrggbb or #rgb (quote it: \"#1d4e89\"), not '{accent}'")
            accent = None
    if v["font_size"] is not None:
        match = _SIZE.match(v["font_size"])
        size = float(match.group(1)) if match else None
        if size is None or not FONT_SIZES[0] <= size <= FONT_SIZES[1]:
            bad("font_size", f"font_size must be a size in points from {FONT_SIZES[0]:g}pt to {FONT_SIZES[1]:g}pt, like 10.5pt, not '{v['font_size']}'")
            size = None
    return Theme(paper, size, accent, body)
