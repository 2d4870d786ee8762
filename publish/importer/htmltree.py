"""Read the export's mix of Markdown and raw HTML into one lenient element tree that knows source lines.

A Notion → Jekyll export is Markdown with long stretches of hand-broken HTML (`</p></p>`, a stray
`</h2>` after each summary, `<details>` left open at the end). The body is split into Markdown runs
and HTML runs line by line; Markdown runs are turned into HTML with Python-Markdown, and everything
is fed to a small, forgiving tree builder on top of the standard library's `html.parser`. Unlike a
browser parser it never re-opens formatting elements in later paragraphs: an unclosed `<strong>` or
`<em>` ends with the block that holds it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import markdown

# Elements that hold only phrasing content; everything else is a block.
INLINE_TAGS = frozenset({
    "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "br", "cite", "code", "data", "del", "dfn", "em",
    "font", "i", "img", "ins", "kbd", "label", "mark", "q", "s", "samp", "small", "span", "strike",
    "strong", "sub", "sup", "time", "tt", "u", "var", "wbr",
})
VOID_TAGS = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
})
# Opening one of these closes an open paragraph (as in HTML).
CLOSES_P = frozenset({
    "address", "article", "aside", "blockquote", "details", "div", "dl", "fieldset", "figcaption",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "main", "menu",
    "nav", "ol", "p", "pre", "section", "summary", "table", "ul",
})
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
RAW_TEXT_TAGS = frozenset({"script", "style", "textarea", "title", "xmp"})

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?(/?)>|<!--")
_BLOCK_END = re.compile(
    r"(</(p|div|details|summary|ul|ol|li|h[1-6]|table|blockquote|pre|figure|section)>|<details[^>]*>)\s*$", re.IGNORECASE
)
_MARKER = re.compile(r"L(\d+)")
_LIST_MARKER = re.compile(r"^\s*([-*+]|\d+[.)])\s")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_MARKDOWN_EXTENSIONS = ["tables", "fenced_code", "sane_lists"]


@dataclass
class Txt:
    """A run of character data and the line its first visible character is on."""

    text: str
    line: int


@dataclass
class El:
    """An element: tag, attributes, the line it opens on, children in order."""

    tag: str
    attrs: dict[str, str]
    line: int
    children: list[El | Txt] = field(default_factory=list)

    def find(self, tag: str) -> El | None:
        """First child element with *tag*."""
        return next((c for c in self.children if isinstance(c, El) and c.tag == tag), None)


@dataclass
class Run:
    """Consecutive source lines of one kind: 'md' (Markdown) or 'html'."""

    kind: str
    start: int
    lines: list[str]


def _update_stack(stack: list[str], line: str) -> None:
    """Track which block elements are open after *line* (a rough mirror of the tree builder)."""
    for match in _TAG.finditer(line):
        if match.group(0) == "<!--":
            continue
        closing, tag, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if tag in INLINE_TAGS or tag in VOID_TAGS:
            continue
        if closing:
            if tag in stack:
                del stack[len(stack) - 1 - stack[::-1].index(tag):]
            continue
        if self_closing:
            continue
        if tag in CLOSES_P and stack and stack[-1] == "p":
            stack.pop()
        if tag == "li" and stack and stack[-1] == "li":
            stack.pop()
        stack.append(tag)


def split_runs(lines: list[str], first_line: int) -> list[Run]:
    """Classify each line as Markdown or HTML and group consecutive lines of the same kind.

    A line is HTML when it holds a tag, when a block element is still open, or when it continues
    the paragraph of an HTML line just above it (a line that does not end with a closing block
    tag). Blank lines stay with the run they are in.
    """
    runs: list[Run] = []
    stack: list[str] = []
    previous: str | None = None  # previous non-blank line's kind, reset by a blank line
    previous_text = ""
    for offset, line in enumerate(lines):
        number = first_line + offset
        if not line.strip():
            kind = runs[-1].kind if runs else "md"
            previous = None
        else:
            continues_html = previous == "html" and not _BLOCK_END.search(previous_text)
            kind = "html" if (stack or _TAG.search(line) or continues_html) else "md"
            if kind == "html":
                _update_stack(stack, line)
            previous, previous_text = kind, line
        if runs and runs[-1].kind == kind:
            runs[-1].lines.append(line)
        else:
            runs.append(Run(kind, number, [line]))
    return runs


def _markdown_with_markers(run: Run) -> str:
    """Python-Markdown HTML for a Markdown run, with `<!--L12-->` comments giving source lines."""
    out: list[str] = []
    blank_before = True
    in_list = False
    fenced = False
    for offset, line in enumerate(run.lines):
        if _FENCE.match(line):
            fenced = not fenced
        starts_block = not fenced and blank_before and line.strip() and not line[0].isspace()
        if starts_block:
            is_item = bool(_LIST_MARKER.match(line))
            if not (is_item and in_list):
                out += [f"<!--L{run.start + offset}-->", ""]
            in_list = is_item
        blank_before = not line.strip()
        out.append(line)
    return markdown.markdown("\n".join(out), extensions=_MARKDOWN_EXTENSIONS, output_format="html")


class TreeBuilder:
    """Builds an `El` tree from start/end/data events, forgiving unbalanced markup."""

    def __init__(self) -> None:
        self.root = El("body", {}, 1)
        self.stack: list[El] = [self.root]

    def _truncate(self, index: int) -> None:
        del self.stack[max(index, 1):]

    def _open_index(self, tag: str, barriers: frozenset[str] | set[str] = frozenset()) -> int | None:
        """Index of the innermost open *tag*, not looking past an element in *barriers*."""
        for index in range(len(self.stack) - 1, 0, -1):
            current = self.stack[index].tag
            if current == tag:
                return index
            if current in barriers:
                return None
        return None

    def start(self, tag: str, attrs: dict[str, str], line: int) -> None:
        """An opening tag."""
        if tag not in INLINE_TAGS:
            # A block never sits inside an unclosed inline element: close those first.
            while len(self.stack) > 1 and self.stack[-1].tag in INLINE_TAGS:
                self.stack.pop()
        if tag in CLOSES_P:
            index = self._open_index("p", barriers=_BLOCK_BARRIERS)
            if index is not None:
                self._truncate(index)
        if tag == "li":
            index = self._open_index("li", barriers={"ul", "ol"})
            if index is not None:
                self._truncate(index)
        if tag in ("dt", "dd"):
            for item in ("dt", "dd"):
                index = self._open_index(item, barriers={"dl"})
                if index is not None:
                    self._truncate(index)
        if tag in HEADINGS and self.stack[-1].tag in HEADINGS:
            self.stack.pop()
        if tag == "a":
            index = self._open_index("a", barriers=_BLOCK_BARRIERS)
            if index is not None:
                self._truncate(index)
        element = El(tag, attrs, line)
        self.stack[-1].children.append(element)
        if tag not in VOID_TAGS:
            self.stack.append(element)

    def end(self, tag: str) -> None:
        """A closing tag; one that closes nothing open (`</h2>`, a second `</p>`) is ignored."""
        if tag in VOID_TAGS:
            return
        barriers = _BLOCK_BARRIERS if tag in INLINE_TAGS else frozenset()
        index = self._open_index(tag, barriers=barriers)
        if index is not None:
            self._truncate(index)
        elif tag == "p":
            # As in HTML, a `</p>` with no open paragraph still ends the text running before it.
            while len(self.stack) > 1 and self.stack[-1].tag in INLINE_TAGS:
                self.stack.pop()
            self.stack[-1].children.append(El("p", {}, self.stack[-1].line))

    def data(self, text: str, line: int) -> None:
        """Character data (entities already decoded)."""
        if self.stack[-1].tag in ("script", "style"):
            return
        lead = len(text) - len(text.lstrip())
        self.stack[-1].children.append(Txt(text, line + text[:lead].count("\n")))


_BLOCK_BARRIERS = frozenset({
    "body", "details", "summary", "li", "ul", "ol", "blockquote", "div", "td", "th", "table", "figure",
    "section", "article", "p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "dl", "dd", "dt",
})


class _Feeder(HTMLParser):
    """Feeds one run's HTML into the shared tree builder, mapping positions to source lines."""

    def __init__(self, builder: TreeBuilder, first_line: int, markers: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.builder = builder
        self.first_line = first_line
        self.markers = markers
        self.marker_line = first_line

    def _line(self) -> int:
        if self.markers:
            return self.marker_line
        return self.first_line + self.getpos()[0] - 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.builder.start(tag, {k: v or "" for k, v in attrs}, self._line())

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.builder.start(tag, {k: v or "" for k, v in attrs}, self._line())
        self.builder.end(tag)

    def handle_endtag(self, tag: str) -> None:
        self.builder.end(tag)

    def handle_data(self, data: str) -> None:
        self.builder.data(data, self._line())

    def handle_comment(self, data: str) -> None:
        match = _MARKER.fullmatch(data.strip())
        if match and self.markers:
            self.marker_line = int(match.group(1))


def parse_body(text: str, first_line: int) -> El:
    """Parse the export body (front matter removed) that starts on source line *first_line*."""
    builder = TreeBuilder()
    for run in split_runs(text.split("\n"), first_line):
        if run.kind == "html":
            feeder = _Feeder(builder, run.start, markers=False)
            feeder.feed("\n".join(run.lines) + "\n")
        else:
            if not any(line.strip() for line in run.lines):
                continue
            feeder = _Feeder(builder, run.start, markers=True)
            feeder.feed(_markdown_with_markers(run) + "\n")
        feeder.close()
    return builder.root
