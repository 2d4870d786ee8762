"""report.yaml's `theme:` as CSS, placed in the document's head after the packaged stylesheets."""

from __future__ import annotations

from ..content.model import Theme

SANS = '"Publish Sans", "Publish Latin Sans", "Publish CJK Sans Fallback", "Publish CJK Fallback", "Publish Last Resort"'
PAPER_HEIGHTS = {"A4": "297mm", "Letter": "279.4mm", "B5": "250mm"}
"""Page heights: the report's cover fills its first page."""
PRINT_SIZE, WEB_SIZE = 10.0, 17.0
"""The packaged body sizes: 10pt in print (report.css), 17px on screen (web.css)."""


def theme_css(theme: Theme | None, *, web: bool = False, paper: bool = True) -> str:
    """The CSS for *theme*, empty without settings; *web* for the HTML version; *paper* False keeps
    the page size (the booklet's A5).

    A `<style>` in the document outranks the packaged sheets (WeasyPrint gives those the user
    origin), so the rules here set only what a setting names: the page size, the root font and
    the `--accent` variable the packaged sheets read; every other rule keeps its place.
    """
    if theme is None:
        return ""
    rules = []
    if theme.paper and paper and not web:
        rules += [f"@page {{ size: {theme.paper}; }}", f".cover {{ height: {PAPER_HEIGHTS[theme.paper]}; }}"]
    root = []
    if theme.accent:
        root.append(f"--accent: {theme.accent};")
    if theme.font_size:
        size = f"{WEB_SIZE * theme.font_size / PRINT_SIZE:.3g}px" if web else f"{theme.font_size:g}pt"
        root.append(f"font-size: {size};")
    if theme.body == "sans":
        root.append(f"font-family: {SANS};")
    if root:
        rules.append(f":root {{ {' '.join(root)} }}")
    return "\n".join(rules)


def with_theme(html: str, theme: Theme | None, *, web: bool = False, paper: bool = True) -> str:
    """*html* with the theme's `<style>` at the end of its head (unchanged without settings)."""
    css = theme_css(theme, web=web, paper=paper)
    return html.replace("</head>", f"<style>\n{css}\n</style>\n</head>", 1) if css else html
