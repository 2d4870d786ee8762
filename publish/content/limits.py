"""Limits a real report never meets, checked before the stage they protect (docs/reliability.md).

Each limit is far above what the committed report uses and far below what makes a stage slow:
below them a build's cost grows linearly with the content, above them it is a `path:line` error.
"""

from __future__ import annotations

import io
import re
import stat
import warnings
import xml.etree.ElementTree as etree
from pathlib import Path
from typing import Any, Iterator

from ..errors import Problem

MAX_FILE_BYTES = 256 * 1024
"""One content file (report.yaml, a chapter or an entry): the largest real entry has 4 KB; 256 KB of prose lay out in ~9 s."""
MAX_IMAGE_BYTES = 20 * 1024 * 1024
"""One image file (remote images stop at 10 MB)."""
MAX_WORD = 3000
"""Characters without a space: WeasyPrint lays out an unbroken word in quadratic time."""
MAX_ITEMS = 200
"""Items of one front-matter list (keywords, figures, chapters): the real report has 5 keywords."""
MAX_DEPTH = 40
"""Element nesting of one fragment (or HTML tags nested in a one-line field)."""
MAX_SPAN = 100
"""Largest colspan/rowspan kept: WeasyPrint spends a minute on a cell spanning 100,000 columns."""
MAX_TABLE_AREA = 2_000
"""Grid cells (colspan × rowspan summed) of the tables of one fragment: WeasyPrint takes ~2 ms a cell."""
MAX_FOOTNOTES = 50
"""Footnote calls in one entry file: WeasyPrint takes 50-80 ms a footnote; real entries have at most 2."""
MAX_SCAN_BLOCK = 5_000_000
"""Characters Python-Markdown's inline patterns may scan in one paragraph (`scan_cost`): 0.4 s; real paragraphs scan < 1,000."""
MAX_SCAN_FILE = 10_000_000
"""The same for a whole file."""
_SCAN_WEIGHT = {"[": 5, "<": 1, "`": 1}
"""Relative cost per scanned character, measured: the link pattern is about five times slower."""
MAX_PIXELS = 40_000_000
"""Pixels of one raster image (8,000 × 5,000): a decoded 13,000² PNG takes 1.4 GB in WeasyPrint."""
MAX_SVG_SHAPES = 20_000
"""Elements of an SVG with every `<use>` (and other `#id` reference) expanded: fan-out is exponential."""

# A word may be glued with no-break spaces, which a layout engine does not break at either.
_LONG_WORD = re.compile(rf"[^ \t\n\u2002-\u200b\u3000]{{{MAX_WORD + 1},}}")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*?(/?)>")
_ANY_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_VOID = {"br", "hr", "img", "col", "wbr", "input", "meta", "link", "source"}
_FENCE = re.compile(r"^[ \t]{0,3}(```|~~~)")
_BLANK = re.compile(r"\n[ \t]*\n")
_BRACKETS = re.compile(r"(?<!\\)[\[\]]")
_ANGLES = re.compile(r"[<>]")
_TICKS = re.compile(r"`+")
_FOOTNOTE_CALL = re.compile(r"\[\^[^\]\s]+\](?!:)")


def file_problem(path: Path, max_bytes: int = MAX_FILE_BYTES) -> str | None:
    """Why *path* (links followed) is not a content file one may read: not regular, or too large."""
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes (surrogate escapes) would reach anchors and the HTML
        return "file name is not valid UTF-8; rename the file"
    try:
        info = path.stat()
    except (OSError, ValueError) as exc:
        return f"cannot read file: {getattr(exc, 'strerror', None) or exc}"
    if stat.S_ISDIR(info.st_mode):
        return "cannot read file: Is a directory"
    if not stat.S_ISREG(info.st_mode):
        # A FIFO would block the build forever, a device would stream without end.
        return "not a regular file (a FIFO or device named like a content file); refused"
    if info.st_size > max_bytes:
        return f"file has {info.st_size / 1024:,.0f} KB, over the limit of {max_bytes // 1024:,} KB; split or shrink it"
    return None


def long_word(text: str) -> tuple[int, int] | None:
    """(line offset, length) of the first run of more than MAX_WORD characters without a breakable space.

    HTML tags are left out first: `가<span class="x">가</span>…` is one word on the page.
    """
    match = _LONG_WORD.search(text)
    if match is None and "<" in text:
        text = _ANY_TAG.sub("", text)
        match = _LONG_WORD.search(text)
    return (text.count("\n", 0, match.start()), len(match.group())) if match else None


def word_message(length: int) -> str:
    """The message for a word that is too long."""
    return f"a word of {length:,} characters without a space (at most {MAX_WORD:,}); add spaces or shorten it"


def _tag_depths(text: str) -> Iterator[tuple[int, int]]:
    """(offset, nesting depth after it) for each HTML tag written in *text*; unclosed tags stay open."""
    depth = 0
    for match in _TAG.finditer(text):
        if match.group(2).lower() in _VOID or match.group(3):
            continue
        depth = max(depth - 1, 0) if match.group(1) else depth + 1
        yield match.start(), depth


def tag_depth(text: str) -> int:
    """How deep the HTML tags written in *text* nest (unclosed tags count as open)."""
    return max((depth for _, depth in _tag_depths(text)), default=0)


_QUOTES = re.compile(r"^[ \t]*((?:>[ \t]?)+)")


def deep_nesting(text: str) -> tuple[int, str] | None:
    """(0-based line, why) where *text* first nests quotes, indentation or HTML tags beyond MAX_DEPTH."""
    too_deep = next((at for at, depth in _tag_depths(text) if depth > MAX_DEPTH), None)
    tag_line = text.count("\n", 0, too_deep) if too_deep is not None else None
    for number, line in enumerate(text.split("\n")):
        quotes = _QUOTES.match(line)
        if quotes and quotes.group(1).count(">") > MAX_DEPTH:
            return number, f"{quotes.group(1).count('>')} nested quotes (at most {MAX_DEPTH})"
        indent = len(line) - len(line.lstrip(" \t"))
        if indent > 4 * MAX_DEPTH and line.strip():
            return number, f"indented {indent} columns: lists nested too deeply (at most {MAX_DEPTH} levels)"
        if number == tag_line:
            return number, f"HTML elements nested more than {MAX_DEPTH} levels deep (an unclosed tag counts too)"
    return None


def yaml_problems(path: Path, data: Any, line_of: Any) -> list[Problem]:
    """Front-matter values beyond the limits: long words (also from `\\` continued strings), long lists, deep tags."""
    problems: list[Problem] = []
    for key, value in _values(data):
        line = line_of(key)
        if isinstance(value, list) and len(value) > MAX_ITEMS:
            problems.append(Problem(path, line, f"'{key}' has {len(value):,} items (at most {MAX_ITEMS:,})"))
        elif isinstance(value, str):
            if (found := long_word(value)) is not None:
                problems.append(Problem(path, line, word_message(found[1])))
            elif "<" in value and (depth := tag_depth(value)) > MAX_DEPTH:
                problems.append(Problem(path, line, f"'{key}' nests HTML {depth} levels deep (at most {MAX_DEPTH})"))
            elif (cost := scan_cost(value))[0] > MAX_SCAN_BLOCK:
                problems.append(Problem(path, line, _scan_message(cost[0], cost[1], MAX_SCAN_BLOCK)))
    return problems


def _values(data: Any) -> Iterator[tuple[str, Any]]:
    """(dotted key, value) of every value under *data*, each shared object (a YAML alias) once."""
    seen: set[int] = set()
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        key, value = stack.pop()
        if isinstance(value, (dict, list)):
            if id(value) in seen:
                continue
            seen.add(id(value))
        if key:
            yield key, value
        if isinstance(value, dict):
            stack.extend((f"{key}.{k}" if key else str(k), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((f"{key}.{i}" if key else str(i), v) for i, v in enumerate(value))


def markdown_problems(path: Path, text: str, first_line: int) -> list[Problem]:
    """Paragraphs that would make Python-Markdown's inline stage super-linear, and too many footnotes."""
    problems: list[Problem] = []
    cleaned = _without_fenced_code(text)
    start = counted = 0
    line = first_line
    # Raw HTML is parsed over the whole text: a `<` without `>` is scanned past paragraph ends.
    total = _angle_cost(cleaned)
    worst = (total, first_line + cleaned.count("\n", 0, max(cleaned.find("<"), 0)), "<")
    for separator in [*_BLANK.finditer(cleaned), None]:
        end = separator.start() if separator else len(cleaned)
        line += cleaned.count("\n", counted, start)
        counted = start
        cost, opener = scan_cost(cleaned[start:end], angles=False)
        total += cost
        worst = max(worst, (cost, line, opener))
        if cost > MAX_SCAN_BLOCK:
            problems.append(Problem(path, line, _scan_message(cost, opener, MAX_SCAN_BLOCK)))
        start = separator.end() if separator else end
    if total > MAX_SCAN_FILE and not problems:
        problems.append(Problem(path, worst[1], _scan_message(total, worst[2], MAX_SCAN_FILE)))
    calls = _FOOTNOTE_CALL.findall(text)
    if len(calls) > MAX_FOOTNOTES:
        problems.append(Problem(path, first_line, f"{len(calls):,} footnote calls in one file (at most {MAX_FOOTNOTES:,})"))
    return problems


def _scan_message(cost: int, opener: str, limit: int) -> str:
    """What to tell an author whose Markdown costs too much to scan."""
    what = {"[": "'[' without a nearby ']' (escape them as \\[)", "<": "'<' without a nearby '>' (escape them as &lt;)",
            "`": "backtick runs without a matching run"}[opener]
    return (f"Markdown would scan {cost / 1e6:,.1f} million characters here (at most {limit / 1e6:g} million): "
            f"too many {what}; split the paragraph with blank lines or remove them")


def scan_cost(block: str, angles: bool = True) -> tuple[int, str]:
    """(weighted characters Python-Markdown's inline patterns scan in *block*, the costliest opener).

    Each `[` is scanned to its matching `]`, each `<` to the next `>`, each backtick run to the
    next run of the same length, or to the end of the block when there is none: that is what
    makes a paragraph of 20,000 `[` quadratic. Computed in one pass.
    """
    end = len(block)
    costs = {"[": 0, "<": 0, "`": 0}
    opened: list[int] = []
    for match in _BRACKETS.finditer(block):
        if match.group() == "[":
            opened.append(match.start())
        elif opened:
            costs["["] += match.start() - opened.pop()
    costs["["] += sum(end - position for position in opened)
    costs["<"] = _angle_cost(block) if angles else 0
    waiting: dict[int, int] = {}
    for match in _TICKS.finditer(block):
        length = len(match.group())
        if length in waiting:
            costs["`"] += match.start() - waiting.pop(length)
        else:
            waiting[length] = match.start()
            # Every earlier waiting run of another length is scanned past this one too (counted at the end).
    costs["`"] += sum(end - position for position in waiting.values())
    weighted = {kind: cost * _SCAN_WEIGHT[kind] for kind, cost in costs.items()}
    opener = max(weighted, key=weighted.__getitem__)
    return sum(weighted.values()), opener


def _angle_cost(text: str) -> int:
    """Characters scanned from each `<` to the next `>` (or the end of *text*)."""
    cost = 0
    opens: list[int] = []
    for match in _ANGLES.finditer(text):
        if match.group() == "<":
            opens.append(match.start())
        else:
            cost += len(opens) * match.start() - sum(opens)
            opens = []
    return cost + len(opens) * len(text) - sum(opens)


def _without_fenced_code(text: str) -> str:
    """*text* with the lines of fenced code blanked (kept as empty lines): code is not inline-processed."""
    lines = text.split("\n")
    fenced = False
    for index, line in enumerate(lines):
        if _FENCE.match(line):
            fenced = not fenced
            lines[index] = ""
        elif fenced:
            lines[index] = ""
    return "\n".join(lines)


_SPAN = re.compile(r'<t[dh]\b([^>]*)>')
_SPAN_VALUE = re.compile(r'(colspan|rowspan)="(\d+)"')


def table_area(html: str) -> int:
    """Grid cells the tables of sanitised *html* occupy: each cell counts colspan × rowspan."""
    area = 0
    for match in _SPAN.finditer(html):
        spans = {name: int(value) for name, value in _SPAN_VALUE.findall(match.group(1))}
        area += spans.get("colspan", 1) * spans.get("rowspan", 1)
    return area


def html_problem(html: str, depth: int | None) -> str | None:
    """Why a rendered fragment is beyond the limits: nested too deeply (*depth* None: hundreds of levels), or tables too large."""
    if depth is None or depth > MAX_DEPTH:
        levels = f"{depth} levels" if depth else "hundreds of levels"
        return f"nested too deeply ({levels} of lists, quotes or HTML; at most {MAX_DEPTH})"
    if "<t" in html and (area := table_area(html)) > MAX_TABLE_AREA:
        return f"tables of {area:,} cells counting their spans (at most {MAX_TABLE_AREA:,}); split or simplify them"
    return None


def span_value(value: str) -> str | None:
    """A colspan/rowspan value kept as is when it is a plain number 1…MAX_SPAN (`²` is a digit to isdigit)."""
    value = value.strip()
    return value if re.fullmatch(r"[0-9]{1,3}", value) and 1 <= int(value) <= MAX_SPAN else None


def image_kind(data: bytes) -> str | None:
    """The image format of *data* by its first bytes (png, jpeg, gif, webp, svg), or None."""
    if data.startswith(b"\x89PNG"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"<?xml", b"<svg", b"<!--", b"<!DOCTYPE svg")) and b"<svg" in data[:4096]:
        return "svg"
    return None


def image_problem(path: Path) -> str | None:
    """Why the image file *path* must not go to the layout engine: not an image, too many pixels, SVG fan-out."""
    reason = file_problem(path, MAX_IMAGE_BYTES)
    if reason is not None:
        return reason
    data = path.read_bytes()
    if image_kind(data) is None:
        return f"'{path.name}' is not a PNG, JPEG, GIF, WebP or SVG image"
    return image_bytes_problem(data)


def image_bytes_problem(data: bytes) -> str | None:
    """Too many pixels (read from the header, nothing decoded) or SVG fan-out; None for what WeasyPrint may draw."""
    if image_kind(data) == "svg":
        return svg_problem(data)
    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Pillow's DecompressionBombWarning would reach stderr raw
        try:
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
        except Image.DecompressionBombError:  # over twice Pillow's own limit
            return f"far more than {MAX_PIXELS / 1e6:,.0f} million pixels; scale it down"
        except Exception:  # noqa: BLE001 (unreadable: WeasyPrint reports a broken image itself, without decoding it)
            return None
    if width * height > MAX_PIXELS:
        return f"{width:,} × {height:,} pixels, over the limit of {MAX_PIXELS / 1e6:,.0f} million; scale it down"
    return None


def svg_problem(data: bytes) -> str | None:
    """Why an SVG is refused: entities, or more than MAX_SVG_SHAPES elements once references are expanded."""
    if b"<!ENTITY" in data:
        return "SVG declares entities; refused"
    try:
        root = etree.fromstring(data)
    except etree.ParseError as exc:
        return f"SVG is not well-formed XML ({exc})"
    shapes = expanded_size(root)
    if shapes > MAX_SVG_SHAPES:
        return f"SVG draws more than {MAX_SVG_SHAPES:,} shapes once its <use> references are expanded; refused"
    return None


_HREFS = ("href", "{http://www.w3.org/1999/xlink}href")


def expanded_size(root: etree.Element) -> int:
    """Elements under *root* with every `#id` reference replaced by what it names (capped at MAX_SVG_SHAPES + 1)."""
    by_id = {element.get("id"): element for element in root.iter() if element.get("id")}
    sizes: dict[int, int] = {}
    # Post-order without recursion: the document may nest deeply.
    stack: list[tuple[etree.Element, bool]] = [(root, False)]
    visiting: set[int] = set()
    cap = MAX_SVG_SHAPES + 1
    while stack:
        element, done = stack.pop()
        key = id(element)
        if key in sizes:
            continue
        target = next((by_id.get(element.get(h, "")[1:]) for h in _HREFS if element.get(h, "").startswith("#")), None)
        children = [*element, *([target] if target is not None else [])]
        if not done:
            if key in visiting:  # a reference cycle: WeasyPrint would recurse without end
                return cap
            visiting.add(key)
            stack.append((element, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
            continue
        visiting.discard(key)
        sizes[key] = min(cap, 1 + sum(sizes.get(id(child), 0) for child in children))
    return sizes[id(root)]
