"""Render the document tree as Markdown that Python-Markdown (and CommonMark) read back unchanged."""

from __future__ import annotations

import re
import unicodedata

from .nodes import (
    WHITESPACE,
    Block,
    Break,
    Call,
    Code,
    CodeBlock,
    DetailsEnd,
    DetailsStart,
    Figure,
    FootnoteDef,
    Heading,
    Image,
    Inline,
    Link,
    ListBlock,
    Para,
    Quote,
    RawBlock,
    Rule,
    Styled,
    Text,
)

_RAW_KINDS = {"sup", "sub", "u", "mark", "small", "ins"}
_URL_ESCAPES = {" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E", "\n": "%0A", "\t": "%09"}
_LINE_START = [
    (re.compile(r"^#"), lambda m: "\\#"),  # Python-Markdown needs no space after the hashes
    (re.compile(r"^>"), lambda m: "\\>"),
    (re.compile(r"^([-+])(?=\s|$)"), lambda m: "\\" + m.group(1)),
    (re.compile(r"^(\d+)([.)])(?=\s|$)"), lambda m: m.group(1) + "\\" + m.group(2)),
    (re.compile(r"^(-+)\s*$"), lambda m: "\\" + m.group(1)),  # a thematic break
]


def escape(text: str) -> str:
    """Escape characters that would otherwise start Markdown syntax inside a line of text."""
    out: list[str] = []
    length = len(text)
    for index, char in enumerate(text):
        if char in "\\`*[]":
            out.append("\\" + char)
        elif char == "_":
            before = text[index - 1] if index else " "
            after = text[index + 1] if index + 1 < length else " "
            # an underscore inside a word never starts emphasis; at a word edge it can
            out.append("_" if before.isalnum() and after.isalnum() else "\\_")
        elif char == "<" and index + 1 < length and (text[index + 1].isalpha() or text[index + 1] in "/!?"):
            out.append("&lt;")
        elif char == "&" and re.match(r"&(#|[A-Za-z][A-Za-z0-9]*;)", text[index:]):
            out.append("&amp;")
        else:
            out.append(char)
    return "".join(out)


def escape_line_start(line: str) -> str:
    """Escape what would make a line a heading, quote, list item or setext underline."""
    for pattern, repl in _LINE_START:
        line = pattern.sub(repl, line, count=1)
    return line


def escape_inline_text(text: str) -> str:
    """Escape a one-line text (a title or label) that is rendered as inline Markdown."""
    return escape_line_start(escape(WHITESPACE.sub(" ", text).strip()))


def _punct(char: str) -> bool:
    return bool(char) and unicodedata.category(char)[0] in "PS"


def _wordish(char: str) -> bool:
    return bool(char) and not char.isspace() and not _punct(char)


def _url(url: str) -> str:
    """A link destination that survives in `(...)`: spaces, parentheses and angle brackets encoded."""
    return "".join(_URL_ESCAPES.get(char, char) for char in url.strip())


def render_inlines(inlines: list[Inline]) -> str:
    """Inline nodes → one line of Markdown (whitespace collapsed, not stripped)."""
    pieces = [_render_inline(node) for node in inlines]
    out: list[str] = []
    last = ""
    for index, node in enumerate(inlines):
        piece = pieces[index]
        if isinstance(node, Styled) and node.kind in ("strong", "em"):
            piece = _delimit(node.kind, piece, last, (pieces[index + 1] if index + 1 < len(pieces) else "")[:1])
        if last == " ":
            piece = piece.lstrip(" ")  # whitespace collapses across node boundaries too
        if piece:
            out.append(piece)
            last = piece[-1]
    return "".join(out)


def _delimit(kind: str, inner: str, before: str, after: str) -> str:
    """Wrap *inner* in emphasis delimiters, falling back to HTML where delimiters would not parse."""
    if not inner.strip():
        return inner
    lead = inner[: len(inner) - len(inner.lstrip())]
    trail = inner[len(inner.rstrip()):]
    core = inner.strip()
    if lead:
        before = " "
    if trail:
        after = " "
    mark = {"strong": "**", "em": "*"}[kind]
    tag = kind
    # CommonMark: a closing delimiter after punctuation must be followed by space or punctuation,
    # an opening one before punctuation must follow space or punctuation.
    risky = (_punct(core[0]) and _wordish(before)) or (_punct(core[-1]) and _wordish(after))
    if risky or (kind == "em" and (core.startswith("*") or core.endswith("*"))):
        return f"{lead}<{tag}>{core}</{tag}>{trail}"
    return f"{lead}{mark}{core}{mark}{trail}"


def _render_inline(node: Inline) -> str:
    if isinstance(node, Text):
        return escape(WHITESPACE.sub(" ", node.text))
    if isinstance(node, Styled):
        inner = render_inlines(node.children)
        if node.kind in _RAW_KINDS or node.kind == "del":  # no strikethrough syntax in Python-Markdown
            return f"<{node.kind}>{inner}</{node.kind}>"
        return inner  # delimiters are added by render_inlines, which knows the neighbours
    if isinstance(node, Code):
        text = WHITESPACE.sub(" ", node.text)
        longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
        fence = "`" * (longest + 1)
        pad = " " if text.startswith("`") or text.endswith("`") else ""
        return f"{fence}{pad}{text}{pad}{fence}"
    if isinstance(node, Link):
        label = render_inlines(node.children).strip()
        if not label or WHITESPACE.sub("", label) == WHITESPACE.sub("", escape(node.href)):
            if re.match(r"^https?://[^\s<>]*$", node.href):
                return f"<{node.href}>"
            return f"[{escape(node.href)}]({_url(node.href)})"
        return f"[{label}]({_url(node.href)})"
    if isinstance(node, Image):
        return f"![{escape(WHITESPACE.sub(' ', node.alt).strip())}]({_url(node.src)})"
    if isinstance(node, Break):
        return "<br>"
    if isinstance(node, Call):
        return f"[^{node.label}]"
    raise TypeError(node)


def heading(level: int, text: str) -> str:
    """An ATX heading line; trailing `#`s of the text are escaped (they would close the heading)."""
    text = WHITESPACE.sub(" ", text).strip()
    text = re.sub(r"(?<!\\)#+$", lambda m: "\\#" * len(m.group(0)), text)
    return f"{'#' * level} {text}"


def render_paragraph(inlines: list[Inline]) -> str:
    """A paragraph: one line, stripped, safe at the start of a line."""
    return escape_line_start(render_inlines(inlines).strip())


def render_blocks(blocks: list[Block]) -> str:
    """Blocks → Markdown, separated by blank lines."""
    rendered = [r for r in (render_block(b) for b in blocks) if r]
    return "\n\n".join(rendered)


def render_block(block: Block) -> str:
    """One block → Markdown (possibly several lines)."""
    if isinstance(block, Para):
        return render_paragraph(block.inlines)
    if isinstance(block, Heading):
        return heading(block.level, render_inlines(block.inlines))
    if isinstance(block, Figure):
        return f"![{escape(WHITESPACE.sub(' ', block.alt).strip())}]({_url(block.src)})"
    if isinstance(block, ListBlock):
        return _render_list(block)
    if isinstance(block, Quote):
        inner = render_blocks(block.blocks)
        return "\n".join(("> " + line) if line else ">" for line in inner.split("\n"))
    if isinstance(block, CodeBlock):
        longest = max((len(m) for m in re.findall(r"`{3,}", block.text)), default=2)
        fence = "`" * (longest + 1)
        return f"{fence}\n{block.text}\n{fence}"
    if isinstance(block, Rule):
        return "***"
    if isinstance(block, RawBlock):
        return block.html
    if isinstance(block, FootnoteDef):
        return f"[^{block.label}]: {render_inlines(block.inlines).strip()}"
    if isinstance(block, DetailsStart):
        summary = render_inlines(block.summary).strip()
        return f"**{summary}**" if summary else ""
    if isinstance(block, DetailsEnd):
        return ""
    raise TypeError(block)


def _render_list(block: ListBlock) -> str:
    items = [render_blocks(item) for item in block.items]
    loose = any("\n\n" in item for item in items)
    out: list[str] = []
    for number, item in enumerate(items):
        marker = f"{block.start + number}. " if block.ordered else "- "
        lines = item.split("\n") if item else [""]
        first = marker + lines[0]
        rest = [("    " + line) if line.strip() else "" for line in lines[1:]]
        out.append("\n".join([first.rstrip(), *rest]))
    return ("\n\n" if loose else "\n").join(out)
