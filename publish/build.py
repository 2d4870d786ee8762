"""The one place that chains the stages: content → model → markup → templates → PDF → post-processing."""

from __future__ import annotations

import html as htmllib
import os
import re
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from . import __version__
from .content.loader import load_report
from .content.model import Chapter, Entry, Report
from .editions import printready
from .editions.catalog import BOOKLET_STYLESHEET, EDITIONS, Edition
from .editions.qr import qr_data_uri, short_url
from .errors import ContentError, OutputError, Problem, UsageError
from .output import write_atomically, write_output
from .project import Project, find_project
from .render.footnotes import number_repeats
from .render.markup import PLACEHOLDER_TEXT, render_inline, render_report, short_host
from .render.typography import keep_all

if TYPE_CHECKING:
    from .content.remote import RemoteImages

Progress = Callable[[str], None]


@dataclass(frozen=True)
class BuildResult:
    """What a build made and what the user should know about it."""

    output: Path
    pages: int
    size: int
    withdrawn: tuple[Entry, ...]
    warnings: tuple[str, ...]
    timings: dict[str, float] = field(default_factory=dict)


def slug(text: str, words: int = 6) -> str:
    """A short lowercase ASCII file-name stem."""
    parts = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(parts[:words]) or "report"


def default_output(report: Report, project: Project, edition: Edition | None = None, variant: str = "") -> Path:
    """build/<slug>-<year>[-<edition>][-<variant>].pdf, ASCII and dated so it can be attached and filed as is."""
    stem = report.slug or slug(report.title)
    suffix = f"-{edition.name}" if edition and edition.name != "report" else ""
    suffix += f"-{variant}" if variant else ""
    return project.build / f"{stem}-{report.date.year}{suffix}.pdf"


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(|b|k|kb|kib|m|mb|mib)\s*$", re.IGNORECASE)


def parse_size(text: str) -> int:
    """Bytes in a budget like `2MB`, `1.5M`, `500K` or `200000`; K and M are 1024 and 1024², as builds report sizes."""
    match = _SIZE.match(text)
    if not match:
        raise ValueError(f"'{text}' is not a size; write it like 2MB, 500K or 1500000")
    unit = match.group(2).lower()[:1]
    return int(float(match.group(1)) * {"": 1, "b": 1, "k": 1024, "m": 1024**2}[unit])


def load(content: Path | None = None) -> tuple[Report, dict]:
    """Load, validate and render the Markdown of the content; raise ContentError with every problem."""
    report, fragments, _ = load_with_warnings(find_project(content))
    return report, fragments


def load_with_warnings(project: Project, remote: RemoteImages | None = None, drafts: bool = False, strict: bool = False) -> tuple[Report, dict, list[Problem]]:
    """`load`, also returning the warnings (missing glyphs too); *remote* fetches remote images (--fetch-remote),
    *drafts* includes drafts, *strict* makes warnings errors."""
    from .author.lint import uncovered_glyphs

    content = project.content
    unreadable: set[Path] = set()
    report, problems = load_report(content, drafts, unreadable=unreadable)
    fragments: dict = {}
    if report is not None:
        if remote is not None:
            from .content.remote import fetch_figures

            report, fetch_problems = fetch_figures(report, remote)
            problems += fetch_problems
        fragments, markup_problems = render_report(report, remote.resolve if remote else None)
        problems += markup_problems
        problems += uncovered_glyphs(content, project.font_dirs(), skip=unreadable)
    if strict:
        problems = [Problem(p.path, p.line, f"{p.message} (an error with --strict)") if p.severity == "warning" else p for p in problems]
    errors = [p for p in problems if p.severity == "error"]
    if errors or report is None:
        raise ContentError(errors or [Problem(content, None, "content could not be read")])
    return report, fragments, [p for p in problems if p.severity == "warning"]


FRONT_ANCHORS = {"cover", "license", "contents"}


def check_content(
    content: Path | None = None, max_entry_chars: int = 6000, max_tldr_chars: int = 500, details: Callable[[str], None] | None = None,
) -> list[Problem]:
    """Every problem and warning `publish check` reports: validation, rendering, then lint checks.

    *details* receives what was checked and how long it took (`check -v`).
    """
    from .author import lint

    project = find_project(content)
    content = project.content
    unreadable: set[Path] = set()
    start = time.perf_counter()
    report, problems = load_report(content, unreadable=unreadable)
    if report is None:
        return problems
    fragments, markup_problems = render_report(report)
    anchors = FRONT_ANCHORS | {f"chapter-{c.id}" for c in report.chapters} | {f"entry-{e.id}" for e in report.entries}
    # No knock-on warnings from unreadable files: their glyphs are decoding debris, their images unknown.
    found = [
        *problems, *markup_problems, *lint.refused_files(content, {p.path for p in problems}),
        *lint.uncovered_glyphs(content, project.font_dirs(), skip=unreadable),
        *lint.dead_links(report, fragments, anchors),
        *lint.unused_images(report, fragments, unreadable),
        *lint.over_budget(report, max_entry_chars, max_tldr_chars),
        *lint.placeholders(report),
    ]
    if details:
        details(f"checked {len(report.chapters)} chapters, {len(report.entries)} entries, {len(unreadable)} unreadable file(s): fields, "
                f"Markdown, footnotes, glyphs, links, images, lengths, placeholders ({time.perf_counter() - start:.2f}s)")
    return found


def _anchor(prefix: str) -> Callable[[Chapter | Entry], str]:
    """Anchor ids for chapters and entries, stable across builds."""
    return lambda item: f"{prefix}-{item.id}"


def _chapter_label(chapter: Chapter) -> str:
    """Chapter title as shown in bookmarks and running heads."""
    return f"{chapter.number}. {chapter.title}" if chapter.number else chapter.title


def _template_context(report: Report) -> dict[str, Any]:
    """Values and helpers every template gets besides the report."""
    return {
        "version": __version__,
        "date_text": f"{report.date.year}년 {report.date.month}월 {report.date.day}일",
        "subject": report.subtitle or report.series or report.title,
        "timestamp": f"{report.date.isoformat()}T00:00:00+00:00",
        "sponsor_line": f"후원: {report.sponsor.name}" if report.sponsor else "",
        "chapter_anchor": _anchor("chapter"),
        "entry_anchor": _anchor("entry"),
        "chapter_label": _chapter_label,
        "host": short_host,
        "placeholder_text": PLACEHOLDER_TEXT,
        "qr_code": qr_data_uri,
        "short_url": short_url,
    }


def render_document(report: Report, fragments: dict, edition: Edition, booklet: bool = False) -> str:
    """The complete paged HTML document for *edition*, with the report's theme and Korean keep-all applied."""
    from .render.templating import render_html
    from .render.theme import with_theme

    html = render_html(
        report, fragments, render_inline, template=edition.template, edition=edition.name,
        **_template_context(report),
    )
    return keep_all(number_repeats(with_theme(html, report.theme, paper=not booklet)))




def _body_start(anchor_pages: dict[str, int], report: Report) -> int:
    """The first body page: the earliest page holding a chapter (the handout leaves empty chapters out)."""
    pages = [anchor_pages[anchor] for chapter in report.chapters if (anchor := f"chapter-{chapter.id}") in anchor_pages]
    return min(pages, default=1)


def _location_free(html: str, project: Project) -> str:
    """The HTML with local images as data: URIs, so that nothing in the PDF depends on where the content lies.

    WeasyPrint names image objects after their URL and the /ID comes from the HTML: with absolute
    file URLs a build in another checkout, or from the archive's own unzipped sources, differed.
    """
    from .render.webpage import inline_images

    return inline_images(html, (project.content.resolve(), project.cache))  # fetched remote images too


def source_locator(html: str, report: Report) -> Callable[[str], str | None]:
    """Maps a resource URL to the entry (or chapter) file whose part of *html* refers to it, for warnings."""
    files = {f"entry-{e.id}": e.path for e in report.entries} | {f"chapter-{c.id}": c.path for c in report.chapters}
    starts = [(m.start(), m.group(1)) for m in re.finditer(r'\sid="((?:entry|chapter)-[^"]*)"', html)]

    def locate(url: str) -> str | None:
        """The file whose HTML holds *url* (or, for a relative reference, its file name), if any."""
        found = [i for i in (html.find(url), html.find(htmllib.escape(url))) if i >= 0]
        if not found and url.startswith("file:"):
            found = [i for i in (html.find(url.rstrip("/").rpartition("/")[2]),) if i >= 0]
        owners = [anchor for start, anchor in starts if found and start < min(found)]
        return str(files[owners[-1]]) if owners and owners[-1] in files else None

    return locate


def _warning_text(problem: Problem) -> str:
    """A content warning as the build reports it: `path:line: message`."""
    return f"{problem.where()}: {problem.message}"


def standalone_html(html: str, stylesheets: list[Path], target: Path) -> str:
    """*html* with `<link rel=stylesheet>` to *stylesheets*, relative to *target*'s folder where possible."""
    folder = target.resolve().parent
    links = []
    for sheet in stylesheets:
        try:
            href = Path(os.path.relpath(sheet.resolve(), folder)).as_posix()
        except ValueError:  # another drive on Windows
            href = sheet.resolve().as_uri()
        links.append(f'<link rel="stylesheet" href="{href}">\n')
    return html.replace("</head>", "".join(links) + "</head>", 1)


def build_pdf(
    content: Path | None = None,
    output: Path | None = None,
    progress: Progress | None = None,
    edition: str = "report",
    max_size: int | None = None,
    *,
    booklet: bool = False,
    archive: bool = False,
    emit_html: Path | None = None,
    fetch_remote: bool = False,
    drafts: bool = False,
    allow_placeholders: bool = False,
    strict: bool = False,
    print_ready: bool = False,
) -> BuildResult:
    """Build the PDF of *edition* from *content*; the Python API behind `publish pdf`.

    *max_size* (bytes) fails the build, leaving any previous file untouched, when exceeded.
    *booklet* imposes the handout as an A5 saddle-stitch booklet on A4 landscape sheets;
    *archive* writes PDF/A-3a + PDF/UA-1 (tagged) with the sources attached (docs/editions.md).
    *emit_html* also writes the paged HTML handed to WeasyPrint, linking the stylesheets, so that
    `weasyprint FILE out.pdf` renders the same document: the engine alone, for benchmarks/build.py.
    *fetch_remote* fetches remote images (bounded in time and size, cached in build/cache) instead
    of drawing placeholders. *drafts* prints `status: draft` entries, marked as drafts.
    Text `publish new` left as a stand-in is a warning; the handout refuses a stand-in tl;dr
    unless *allow_placeholders*. *strict* fails the build, writing nothing, on any warning.
    *print_ready* writes PDF/X-4 with 3 mm bleed and crop marks, for a print shop.
    """
    from .author import lint
    from .engine import compact, parallel, split, tuning
    from .engine import pdf as engine
    from .engine.postprocess import chain, front_matter_finisher

    if edition not in EDITIONS:
        raise UsageError(f"unknown edition '{edition}' (known: {', '.join(EDITIONS)})")
    # The combination first: adding --edition handout would not make --archive --booklet work.
    if booklet and archive:
        raise UsageError("--booklet and --archive cannot be combined: imposition would undo PDF/A")
    if booklet and edition != "handout":
        raise UsageError("--booklet imposes the handout: add --edition handout")
    if print_ready and (booklet or archive):
        raise UsageError("--print-ready cannot be combined with --booklet or --archive: each is its own PDF standard")
    chosen = EDITIONS[edition]
    say = progress or (lambda stage: None)
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = now - clock
        clock = now

    project = find_project(content)
    content = project.content
    remote = None
    if fetch_remote:
        from .content.remote import RemoteImages

        remote = RemoteImages(project.cache, write_atomically)
    say("load")
    report, fragments, content_warnings = load_with_warnings(project, remote, drafts, strict)
    if edition == "handout" and not allow_placeholders and (unfinished := lint.placeholder_tldrs(report)):
        raise ContentError(unfinished)
    content_warnings += lint.placeholders(report)
    lap("load")
    say("render")
    html = _location_free(render_document(report, fragments, chosen, booklet), project)
    lap("render")
    say("layout")
    names = (*chosen.stylesheets, *((BOOKLET_STYLESHEET,) if booklet else ()), *(chosen.print_ready if print_ready else ()))
    stylesheets = project.stylesheets(names)
    if emit_html is not None:
        emit_html = Path(emit_html)
        write_output(emit_html, standalone_html(html, stylesheets, emit_html).encode("utf-8"))
    # The report is laid out chapter by chapter, so that a rebuild redoes only what changed (engine/split.py).
    tuning.install()  # font subsetting without pycparser (engine/tuning.py)
    # A worker process's pages replay only in a plain write, not in PDF/A's or PDF/X's colour-managed one.
    workers, tagged = (1 if archive or print_ready else parallel.cores()), archive or print_ready or "pdf_variant" in chosen.write_options
    lay_out = partial(split.layout, workers=workers, tagged=tagged) if chosen.name == "report" and not booklet else engine.layout
    laid_out = lay_out(
        html, base_url=content.resolve(), stylesheets=stylesheets,
        roots=project.roots(), remote=remote, locate=source_locator(html, report),
    )
    lap("layout")
    say("write")
    variant = "booklet" if booklet else "archive" if archive else "print" if print_ready else ""
    target = Path(output) if output else default_output(report, project, chosen, variant)
    identifier = engine.document_id(html)
    options: dict[str, Any] = {**chosen.write_options, "pdf_identifier": identifier}
    finishers = [front_matter_finisher(_body_start(laid_out.anchor_pages, report))]
    if archive:
        from .editions import archive as pdfa

        options = pdfa.write_options(report, content, options, default_output(report, project).stem, __version__,
                                     pdfa.used_files(report, fragments.values()))
        finishers.append(pdfa.finisher(report, identifier))
    if print_ready:
        options, finishers = printready.write_options(options), [*finishers, printready.finisher(identifier)]
    finishers.append(compact.finisher)  # replayed pages were compacted before being deflated (engine/replay.py)
    pdf = engine.write(laid_out, chain(*finishers), **options)
    pages = laid_out.pages
    if booklet:
        from .editions.booklet import impose, sheet_order

        say("impose")
        pdf, pages = impose(pdf, identifier), len(sheet_order(laid_out.pages))
    if strict and laid_out.warnings:
        raise OutputError(f"{len(laid_out.warnings)} warning(s) with --strict; nothing was written:\n" + "\n".join(laid_out.warnings))
    if max_size is not None and len(pdf) > max_size:
        raise OutputError(f"{target.name} would be {len(pdf) / 1024:,.0f} KB, over the budget of {max_size / 1024:,.0f} KB; nothing was written")
    write_output(target, pdf)
    lap("write")
    warnings = (*(_warning_text(p) for p in content_warnings), *laid_out.warnings)
    return BuildResult(target, pages, len(pdf), report.withdrawn, warnings, timings)


def build_html(content: Path | None = None, output: Path | None = None, drafts: bool = False) -> BuildResult:
    """Build the report as one self-contained HTML page for browsers; the API behind `publish html`."""
    from markupsafe import Markup

    from .render.templating import render_html
    from .render.theme import with_theme
    from .render.webnotes import web_notes
    from .render.webpage import inline_fonts, inline_images, page_text

    project = find_project(content)
    content = project.content
    marks = [("start", time.perf_counter())]  # stage → when it ended, for -v
    report, fragments, content_warnings = load_with_warnings(project, drafts=drafts)
    marks.append(("load", time.perf_counter()))
    marker = "/*publish:css*/"
    fragments, notes = web_notes(fragments)
    html = render_html(
        report, fragments, render_inline, template="web.html.j2", edition="web",
        inline_css=Markup(marker), notes_for=lambda path: notes.get(path, Markup("")), **_template_context(report),
    )
    marks.append(("render", time.perf_counter()))
    text = page_text(html)
    css = [inline_fonts(sheet.read_text(encoding="utf-8"), sheet.parent, text) if sheet.name == "fonts.css" else sheet.read_text(encoding="utf-8")
           for sheet in project.stylesheets(("fonts.css", "web.css"))]
    html = with_theme(html.replace(marker, "".join(css), 1), report.theme, web=True)
    html = inline_images(html, (content.resolve(),))
    marks.append(("fonts and images", time.perf_counter()))
    target = Path(output) if output else default_output(report, project).with_suffix(".html")
    data = html.encode("utf-8")
    write_output(target, data)
    marks.append(("write", time.perf_counter()))
    timings = {stage: end - marks[index][1] for index, (stage, end) in enumerate(marks[1:])}
    return BuildResult(target, 1, len(data), report.withdrawn, tuple(_warning_text(p) for p in content_warnings), timings)
