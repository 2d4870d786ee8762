"""The raw-HTML policy: what markup survives in a fragment, and how deep it may nest."""

from __future__ import annotations

import re
from typing import Callable

import nh3

from ..content.limits import MAX_DEPTH, MAX_SPAN, span_value
from ..content.resources import is_remote

# Serialised tags of sanitised HTML (text has `<` escaped; attribute values are quoted).
_TAG = re.compile(r'<(/?)([a-zA-Z][a-zA-Z0-9]*)(?:"[^"]*"|[^">])*>')
_VOID = {"br", "hr", "img", "col", "wbr"}
__all__ = ["MAX_DEPTH", "MAX_SPAN", "nesting_depth", "sanitize"]  # the limits live in content/limits.py

# Raw HTML is allowed for formatting only: no scripts, frames, embeds, styles or event handlers.
_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "figcaption",
    "figure", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "mark", "ol", "p", "pre", "s",
    "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
_ALLOWED_ATTRIBUTES = {
    "*": {"class", "title", "lang"},
    "a": {"href"},
    "img": {"src", "alt"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align"},
    "ol": {"start"},
}


def sanitize(html: str, image: Callable[[str], str | None] | None = None, link: Callable[[str], str | None] | None = None) -> str:
    """Keep formatting markup, drop anything active or that could load outside resources.

    *image* vets every `<img src>` (returning the source to use, or None to drop it); without it
    only remote sources are kept. `file:` is allowed through nh3 only for the pipeline's own
    resolved images, which *image* recognises. *link* vets every local `<a href>` (not a web or
    mail address, not `#anchor`) the same way; without it they are dropped.
    """

    def vet(tag: str, attribute: str, value: str) -> str | None:
        """nh3's attribute filter: image sources, local links, table spans."""
        if tag == "img" and attribute == "src":
            return image(value) if image else (value if is_remote(value) else None)
        if attribute == "href" and value.strip().lower().startswith("file:"):
            return None  # a link to a local file means nothing in a PDF and names paths outside
        if attribute == "href" and not _kept_as_is(value):
            return link(value) if link else None  # WeasyPrint would make a relative link a file: URL
        if attribute in ("colspan", "rowspan"):
            return span_value(value)
        return value

    return nh3.clean(
        html, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES, url_schemes={"http", "https", "mailto", "file"},
        link_rel=None, strip_comments=True, attribute_filter=vet,
    )


def _kept_as_is(href: str) -> bool:
    """Links that mean the same wherever the document is read: web and mail addresses, anchors in it."""
    href = href.strip()
    return href.startswith("#") or is_remote(href) or href.lower().startswith("mailto:")


def nesting_depth(html: str) -> int:
    """The deepest element nesting of sanitised HTML."""
    depth = deepest = 0
    for match in _TAG.finditer(html):
        if match.group(2).lower() in _VOID:
            continue
        depth += -1 if match.group(1) else 1
        deepest = max(deepest, depth)
    return deepest
