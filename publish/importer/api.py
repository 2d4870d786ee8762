"""`import_export`: a Notion → Jekyll Markdown export → a content folder (report.yaml, chapters, entries)."""

from __future__ import annotations

import codecs
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any


from ..content.limits import deep_nesting, image_problem
from ..content.reader import Reader
from ..content.resources import is_inside
from ..errors import ContentError, Problem, UsageError
from .converter import Converter
from .entries import EntryDraft
from .htmltree import parse_body
from .metadata import read_preamble, report_date
from .nodes import (
    WHITESPACE,
    Block,
    Figure,
    ListBlock,
    Quote,
    inline_lists,
    plain_text,
)
from .render import escape_inline_text, heading, render_blocks, render_paragraph
from .slugs import chapter_slug, entry_slug, unique
from .structure import (
    Document,
    NotAnExport,
    analyse,
    figures_in,
    local_images,
)
from .writer import check_destination, dump_yaml, front_matter_file, write_tree

_HANGUL = re.compile(r"[\uac00-\ud7a3]")


@dataclass(frozen=True)
class ImportSummary:
    """What an import produced: counts, and the warnings an author should look at."""

    chapters: int
    entries: int
    figures: int
    footnotes: int
    withdrawn: int
    warnings: list[Problem] = field(default_factory=list)

    def lines(self) -> list[str]:
        """A short human summary, then one line per warning (`path:line: warning: …`)."""
        active = self.entries - self.withdrawn
        head = (
            f"imported {self.chapters} chapters, {self.entries} entries ({active} active, {self.withdrawn} withdrawn), "
            f"{self.figures} figures, {self.footnotes} footnotes"
        )
        out = [head]
        if self.warnings:
            out.append(f"{len(self.warnings)} warning(s):")
            out += [f"  {w.format()}" for w in self.warnings]
        return out


def _read_source(source: Path) -> str:
    if not source.exists():
        raise UsageError(f"{source}: no such file")
    if not source.is_file():
        raise UsageError(f"{source} is not a file")
    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {source}: {exc.strerror or exc}") from exc
    raw = raw.removeprefix(codecs.BOM_UTF8)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ContentError([Problem(source, line, "the export is not UTF-8 text; save it as UTF-8")]) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _split_front_matter(text: str, source: Path) -> tuple[dict[str, Any], str, int]:
    """(front matter data, body, first line of the body)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text, 1
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            break
    else:
        raise ContentError([Problem(source, 1, "the Jekyll front matter is not closed: add a line '---' after it")])
    reader = Reader(source.parent)  # the content loader's YAML: aliases walked once, errors with lines
    data, _ = reader._parse_yaml(source, "\n".join(lines[1:index]), first_line=2)
    if reader.problems:
        raise ContentError([replace(p, message=f"the Jekyll front matter: {p.message}") for p in reader.problems])
    # Only plain values are used: a title that is an alias bomb would be expanded by str().
    plain = {k: v for k, v in (data or {}).items() if isinstance(v, (str, int, float, dt.date)) and not isinstance(v, bool)}
    if isinstance((data or {}).get("author"), dict):
        plain["author"] = {k: v for k, v in data["author"].items() if isinstance(v, str)}
    return plain, "\n".join(lines[index + 1:]), index + 2


@dataclass
class _Build:
    source: Path
    warnings: list[Problem] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)

    def warn(self, line: int | None, message: str) -> None:
        self.warnings.append(Problem(self.source, line, message, "warning"))

    def put(self, name: str, text: str) -> None:
        self.files[name] = text.encode("utf-8")


def _entry_markdown(entry: EntryDraft, details_title: str) -> str:
    body = render_blocks(entry.body)  # footnote definitions sit where the notes were
    if entry.summary is None:
        return body
    summary = render_paragraph(entry.summary) if plain_text(entry.summary).strip() else escape_inline_text(details_title)
    sections = [heading(1, summary)]
    if entry.lead:
        sections.append(render_blocks(entry.lead))
    for part in entry.parts:
        sections.append(heading(2, part.label) + ("\n\n" + render_blocks(part.blocks) if part.blocks else ""))
    return "\n\n".join([s for s in [body] if s] + sections)


def _entry_front_matter(entry: EntryDraft) -> dict[str, Any]:
    data: dict[str, Any] = {"title": escape_inline_text(entry.title), "url": entry.url}
    if entry.venue:
        data["venue"] = entry.venue
    if entry.note:
        data["note"] = entry.note
    tldr = render_paragraph(entry.tldr)
    if tldr:
        data["tldr"] = tldr
    if entry.withdrawn:
        data["status"] = "withdrawn"
    return data


def _all_blocks(entry: EntryDraft) -> list[Block]:
    return [*entry.body, *entry.lead, *(b for p in entry.parts for b in p.blocks)]


def _copy_local_images(build: _Build, blocks: list[Block], folder: str) -> list[Block]:
    """Copy local images that exist next to the export into `<folder>/images/`; drop missing ones."""
    base = build.source.parent
    missing: set[int] = set()
    for node in local_images(blocks):
        relative = node.src.split("?")[0].split("#")[0]
        path = base / relative
        # Only images in the export's folder are copied: `../`, a NUL byte, a hidden folder such as
        # .ssh/ or a file that is not an image by its bytes (limits.image_kind) is never read in.
        hidden = any(part.startswith(".") and part not in (".", "..") for part in Path(relative).parts)
        reason = None
        if not hidden and is_inside(path, base) and (reason := image_problem(path)) is None:
            path = path.resolve()
            name = f"{folder}/images/{path.name}"
            build.files[name] = path.read_bytes()
            node.src = f"images/{path.name}"
        else:
            line = node.line if isinstance(node, Figure) else None
            usable = reason is not None and not reason.startswith("cannot read")  # it exists, but is no image
            why = "is in a hidden folder" if hidden else f"is not usable ({reason})" if usable else "is not next to the export"
            build.warn(line, f"image '{node.src}' {why}: dropped (add it under content/ and link it again)")
            missing.add(id(node))
    if not missing:
        return blocks

    def prune(items: list[Block]) -> list[Block]:
        out: list[Block] = []
        for block in items:
            if id(block) in missing:
                continue
            if isinstance(block, ListBlock):
                block.items = [prune(item) for item in block.items]
            elif isinstance(block, Quote):
                block.blocks = prune(block.blocks)
            out.append(block)
        return out

    for inlines in inline_lists(blocks):
        inlines[:] = [n for n in inlines if id(n) not in missing]
    return prune(blocks)


def _render(document: Document, build: _Build, front_matter: dict[str, Any], source_text: str) -> tuple[int, int, int, int, int]:
    meta = read_preamble(document.preamble, build.warn)
    first = document.chapters[0]
    if meta.leftovers:
        build.warn(meta.leftovers[0].line, "text before the first chapter that is not the licence or acknowledgement: moved to the start of the first chapter")
        first.prose = [*meta.leftovers, *first.prose]

    summaries = Counter(
        WHITESPACE.sub(" ", plain_text(e.summary)).strip() for c in document.chapters for e in c.entries if e.summary
    )
    details_title = summaries.most_common(1)[0][0] if summaries else None

    chapter_ids: set[str] = set()
    entry_ids: set[str] = set()
    chapter_list: list[str] = []
    figures = footnotes = withdrawn = entries = 0
    numbered = 0
    for position, chapter in enumerate(document.chapters, start=1):
        if chapter.numbered:
            numbered += 1
        fallback = f"chapter-{chapter.number if chapter.number is not None else numbered if chapter.numbered else position}"
        chapter_id = unique(chapter_slug(chapter.title) or fallback, chapter_ids)
        chapter_list.append(chapter_id)
        chapter.prose = _copy_local_images(build, chapter.prose, chapter_id)
        data: dict[str, Any] = {"title": chapter.title or chapter_id}
        if not chapter.numbered:
            data["numbered"] = False
        build.put(f"{chapter_id}/chapter.md", front_matter_file(data, render_blocks(chapter.prose)))
        figures += figures_in(chapter.prose)
        footnotes += len(chapter.footnotes)
        width = max(2, len(str(len(chapter.entries))))
        for number, entry in enumerate(chapter.entries, start=1):
            entries += 1
            withdrawn += entry.withdrawn
            entry.body = _copy_local_images(build, entry.body, chapter_id)
            entry.lead = _copy_local_images(build, entry.lead, chapter_id)
            for part in entry.parts:
                part.blocks = _copy_local_images(build, part.blocks, chapter_id)
            slug = unique(entry_slug(entry.title) or f"paper-{entries}", entry_ids)
            text = front_matter_file(_entry_front_matter(entry), _entry_markdown(entry, details_title or "상세 및 개인 의견"))
            build.put(f"{chapter_id}/{number:0{width}d}-{slug}.md", text)
            figures += figures_in(_all_blocks(entry))
            footnotes += len(entry.footnotes)

    report: dict[str, Any] = {"title": document.title}
    if meta.series and meta.series != document.title:
        report["series"] = meta.series
    author_name = meta.author_name or _front_matter_author(front_matter)
    if author_name:
        report["author"] = {"name": author_name, **({"url": meta.author_url} if meta.author_url else {})}
    else:
        build.warn(None, "no author found (licence line '… © YEAR by NAME is licensed under …'): add author.name to report.yaml")
    date = report_date(front_matter, meta.year, build.warn)
    if date is not None:
        report["date"] = date
    if _HANGUL.search(source_text):
        report["language"] = "ko"
    if meta.license_id:
        license_: dict[str, Any] = {"id": meta.license_id}
        if meta.year is not None:
            license_["year"] = meta.year
        if meta.statement:
            license_["statement"] = meta.statement
        report["license"] = license_
    else:
        build.warn(None, "no licence line found ('… is licensed under CC BY …'): add license.id to report.yaml")
    if meta.acknowledgement:
        sponsor: dict[str, Any] = {}
        if meta.sponsor_name:
            sponsor["name"] = meta.sponsor_name
        sponsor["acknowledgement"] = meta.acknowledgement
        report["sponsor"] = sponsor
    if details_title:
        report["details_title"] = details_title
    report["chapters"] = chapter_list
    build.put("report.yaml", dump_yaml(report))
    return len(document.chapters), entries, figures, footnotes, withdrawn


def _front_matter_author(front_matter: dict[str, Any]) -> str | None:
    author = front_matter.get("author")
    if isinstance(author, str) and author.strip():
        return author.strip()
    if isinstance(author, dict) and isinstance(author.get("name"), str):
        return author["name"].strip() or None
    return None


def convert(source: Path) -> tuple[dict[str, bytes], ImportSummary]:
    """Read and convert the export in memory: (relative path → file bytes, summary)."""
    text = _read_source(source)
    front_matter, body, first_line = _split_front_matter(text, source)
    build = _Build(source)
    if (deep := deep_nesting(body)) is not None:  # the converter and Python-Markdown recurse per level
        raise ContentError([Problem(source, first_line + deep[0], f"the export nests too deeply: {deep[1]}")])
    try:
        tree = parse_body(body, first_line)
        blocks = Converter(build.warn).blocks(tree)
        document = analyse(blocks, front_matter, build.warn)
        chapters, entries, figures, footnotes, withdrawn = _render(document, build, front_matter, text)
    except NotAnExport as exc:
        raise ContentError([Problem(source, line, message) for line, message in exc.problems]) from None
    except RecursionError:  # a shape the check above does not know: still a message, not a traceback
        raise ContentError([Problem(source, None, "the export nests too deeply to convert")]) from None
    warnings = sorted(build.warnings, key=lambda p: (p.line or 0, p.message))
    return build.files, ImportSummary(chapters, entries, figures, footnotes, withdrawn, warnings)


def import_export(source: Path, dest: Path, force: bool = False) -> ImportSummary:
    """Convert the export *source* into the content folder *dest*.

    Never writes over a non-empty *dest* unless *force* (then its old content is replaced as a
    whole); on any error nothing is written. Raises `PublishError` subclasses for user errors.
    """
    source, dest = Path(source), Path(dest)
    check_destination(dest, force, source)
    files, summary = convert(source)
    write_tree(files, dest)
    return summary
