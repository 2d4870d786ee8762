"""Build the document model from the content folder, validating it and collecting every problem."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problem
from .licenses import LICENSES
from .model import (
    Chapter,
    DetailPart,
    Details,
    Entry,
    Figure,
    License,
    Markdown,
    Person,
    Report,
    Sponsor,
)
from .reader import Reader, SourceFile
from .resources import is_inside, is_remote, resolve_local
from .schema import Field, check_fields, did_you_mean
from .theme import read_theme

REPORT_FILE = "report.yaml"
CHAPTER_FILE = "chapter.md"
DEFAULT_DETAILS_TITLE = "상세 및 개인 의견"
STATUSES = ("active", "draft", "withdrawn")
NOT_ENTRIES = ("README.md", CHAPTER_FILE)
"""Markdown files in a chapter folder that are not entries (nor are names starting with `_` or `.`)."""

REPORT_FIELDS = {
    "title": Field("text", required=True),
    "subtitle": Field("text"),
    "series": Field("text"),
    "author": Field("mapping", required=True),
    "date": Field("date", required=True),
    "language": Field("text"),
    "keywords": Field("text-list"),
    "license": Field("mapping", required=True),
    "sponsor": Field("mapping"),
    "details_title": Field("text"),
    "slug": Field("text"),
    "theme": Field("mapping"),
    "chapters": Field("list", required=True),
}
AUTHOR_FIELDS = {"name": Field("text", required=True), "url": Field("text")}
LICENSE_FIELDS = {"id": Field("text", required=True), "year": Field("text"), "statement": Field("text")}
SPONSOR_FIELDS = {"name": Field("text", required=True), "acknowledgement": Field("text")}
CHAPTER_FIELDS = {"title": Field("text", required=True), "numbered": Field("bool")}
ENTRY_FIELDS = {
    "title": Field("text", required=True),
    "url": Field("text", required=True),
    "venue": Field("text"),
    "note": Field("text"),
    "tldr": Field("text"),
    "figures": Field("list"),
    "status": Field("text"),
}
FIGURE_FIELDS = {"src": Field("text", required=True), "caption": Field("text"), "link": Field("text")}

_HEADING = re.compile(r"^(#{1,2})[ \t]+(.+?)[ \t]*#*[ \t]*$")
_FENCE = re.compile(r"^[ \t]{0,3}(```|~~~)")
_ENTRY_PREFIX = re.compile(r"^\d+[-_ .]+")


def _url_problem(url: str) -> str | None:
    """Why *url* is not a usable web link, if it is not."""
    return None if is_remote(url) and "." in url else f"'{url}' is not an http(s) URL"


def _markdown(source: SourceFile, key: str, text: str | None) -> Markdown | None:
    """A Markdown fragment taken from a front-matter field."""
    if not text:
        return None
    return Markdown(text, source.path, source.text_line(key))


def split_details(body: str, path: Path, first_line: int, default_title: str) -> tuple[Markdown, Details | None, list[Problem]]:
    """Split an entry body into free Markdown and the details sidebar (from the first #/## heading)."""
    problems: list[Problem] = []
    lines = body.split("\n")
    fenced = False
    headings: list[tuple[int, int, str]] = []  # (index, level, text)
    for index, line in enumerate(lines):
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and (match := _HEADING.match(line)):
            headings.append((index, len(match.group(1)), match.group(2)))
    if not headings:
        return Markdown(body, path, first_line), None, problems
    start = headings[0][0]
    free = Markdown("\n".join(lines[:start]), path, first_line)
    title = default_title
    lead: Markdown | None = None
    parts: list[DetailPart] = []
    for number, (index, level, text) in enumerate(headings):
        end = headings[number + 1][0] if number + 1 < len(headings) else len(lines)
        chunk = Markdown("\n".join(lines[index + 1:end]), path, first_line + index + 1)
        if level == 1:
            if number != 0:
                problems.append(Problem(path, first_line + index, "only the first heading of the details may be a '#' title; use '##' for a labelled part"))
                continue
            title, lead = text, (chunk if chunk.text.strip() else None)
        else:
            parts.append(DetailPart(text, chunk))
    return free, Details(title, lead, tuple(parts)), problems


@dataclass
class _Builder:
    """Builds the model from a content folder, collecting problems instead of stopping at the first."""

    root: Path
    reader: Reader
    drafts: bool = False
    """Include `status: draft` entries (marked), as --drafts asks."""

    unreadable: set[Path] = field(default_factory=set)
    """Files that could not be decoded or parsed: checks of their text would only repeat the error."""

    @property
    def problems(self) -> list[Problem]:
        """Everything found so far."""
        return self.reader.problems

    def _unless_unreadable(self, path: Path, source: SourceFile | None) -> SourceFile | None:
        """*source*, noting *path* as unreadable when the reader gave up on it."""
        if source is None:
            self.unreadable.add(path)
        return source

    def report(self) -> Report | None:
        """Read report.yaml and every chapter it lists."""
        report_path = self.root / REPORT_FILE
        if not self.root.is_dir():
            self.problems.append(Problem(self.root, None, "content folder not found"))
            return None
        if not report_path.is_file():
            self.problems.append(Problem(report_path, None, "content folder has no report.yaml (run 'publish import' or see docs/content-format.md)"))
            return None
        source = self._unless_unreadable(report_path, self.reader.yaml_file(report_path))
        if source is None:
            return None
        v = check_fields(source, source.data, REPORT_FIELDS, "", self.problems)
        author = self._person(source, v["author"], "author")
        license_ = self._license(source, v["license"], v["date"])
        sponsor = None
        if v["sponsor"] is not None:
            s = check_fields(source, v["sponsor"], SPONSOR_FIELDS, "sponsor.", self.problems)
            if s["name"]:
                sponsor = Sponsor(s["name"], _markdown(source, "sponsor.acknowledgement", s["acknowledgement"]))
        theme = read_theme(source, v["theme"], self.problems)
        chapters = self._chapters(source, v["chapters"] or [], v["details_title"] or DEFAULT_DETAILS_TITLE)
        self._check_unique_ids(chapters)
        if author is None or license_ is None or v["title"] is None or v["date"] is None:
            return None
        return Report(
            root=self.root, title=v["title"], subtitle=v["subtitle"], series=v["series"], author=author,
            date=v["date"], language=v["language"] or "ko", keywords=tuple(v["keywords"] or ()),
            license=license_, sponsor=sponsor, details_title=v["details_title"] or DEFAULT_DETAILS_TITLE,
            chapters=tuple(chapters), slug=v["slug"], theme=theme,
        )

    def _person(self, source: SourceFile, data: dict[str, Any] | None, key: str) -> Person | None:
        """Read a {name, url} mapping."""
        if data is None:
            return None
        v = check_fields(source, data, AUTHOR_FIELDS, f"{key}.", self.problems)
        if v["url"] and (reason := _url_problem(v["url"])):
            self.problems.append(Problem(source.path, source.line_of(f"{key}.url"), reason))
        return Person(v["name"], v["url"]) if v["name"] else None

    def _license(self, source: SourceFile, data: dict[str, Any] | None, date: dt.date | None) -> License | None:
        """Read the licence mapping and look its SPDX id up."""
        if data is None:
            return None
        v = check_fields(source, data, LICENSE_FIELDS, "license.", self.problems)
        if v["id"] is None:
            return None
        info = LICENSES.get(v["id"].strip())
        if info is None:
            hint = did_you_mean(v["id"], tuple(LICENSES)) or f" (known: {', '.join(LICENSES)})"
            self.problems.append(Problem(source.path, source.line_of("license.id"), f"unknown licence '{v['id']}'{hint}"))
            return None
        year = date.year if date else 1970
        if v["year"] is not None:
            if not v["year"].isdigit():
                self.problems.append(Problem(source.path, source.line_of("license.year"), f"licence year must be a number like 2024, not '{v['year']}'"))
            else:
                year = int(v["year"])
        return License(info, year, _markdown(source, "license.statement", v["statement"]))

    def _chapters(self, source: SourceFile, ids: list[Any], details_title: str) -> list[Chapter]:
        """Read the chapters in report.yaml order; report missing and unlisted chapter folders."""
        chapters: list[Chapter] = []
        listed: set[str] = set()
        number = 0
        for index, raw in enumerate(ids):
            line = source.line_of(f"chapters.{index}")
            if not isinstance(raw, (str, int)) or isinstance(raw, bool):
                self.problems.append(Problem(source.path, line, "each chapter must be the name of a chapter folder"))
                continue
            chapter_id = str(raw)
            if chapter_id in listed:
                self.problems.append(Problem(source.path, line, f"chapter '{chapter_id}' is listed twice"))
                continue
            listed.add(chapter_id)
            folder = self.root / chapter_id
            try:
                is_folder = folder.is_dir()
            except (OSError, ValueError):  # a name too long for the file system, a NUL
                is_folder = False
            if is_folder and folder.is_symlink() and not is_inside(folder, self.root):
                self.problems.append(Problem(source.path, line, f"chapter folder '{chapter_id}' is a link to outside the content folder; refused"))
                continue
            if not is_folder or folder.resolve().parent != self.root.resolve():
                existing = sorted(p.name for p in self.root.iterdir() if p.is_dir())
                self.problems.append(Problem(source.path, line, f"chapter folder '{chapter_id}' not found{did_you_mean(chapter_id, existing)}"))
                continue
            chapter = self._chapter(folder, number + 1, details_title)
            if chapter is not None:
                if chapter.number is not None:
                    number += 1
                chapters.append(chapter)
        for folder in sorted(p for p in self.root.iterdir() if p.is_dir() and p.name not in listed and not p.name.startswith(".")):
            if (folder / CHAPTER_FILE).exists() or any(is_entry_file(p) for p in folder.glob("*.md")):
                self.problems.append(Problem(source.path, source.line_of("chapters"), f"chapter folder '{folder.name}' is not listed in 'chapters'"))
        return chapters

    def _chapter(self, folder: Path, number: int, details_title: str) -> Chapter | None:
        """Read one chapter folder."""
        chapter_file = folder / CHAPTER_FILE
        if not chapter_file.is_file():
            self.problems.append(Problem(chapter_file, None, f"chapter '{folder.name}' has no {CHAPTER_FILE} (it gives the chapter title)"))
            return None
        source = self._unless_unreadable(chapter_file, self.reader.markdown_file(chapter_file))
        entries = [self._entry(p, details_title) for p in sorted(folder.glob("*.md")) if is_entry_file(p)]
        if source is None:
            return None
        v = check_fields(source, source.data, CHAPTER_FIELDS, "", self.problems)
        if v["title"] is None:
            return None
        numbered = v["numbered"] is not False
        return Chapter(
            id=folder.name, path=chapter_file, title=v["title"], number=number if numbered else None,
            prose=Markdown(source.body, chapter_file, source.body_line),
            entries=tuple(e for e in entries if e is not None),
        )

    def _entry(self, path: Path, details_title: str) -> Entry | None:
        """Read one entry file."""
        source = self._unless_unreadable(path, self.reader.markdown_file(path))
        if source is None:
            return None
        if not source.data:
            self.problems.append(Problem(path, 1, "entry has no front matter: start the file with '---', the fields (title, url, tldr, …) and '---' (notes that are not an entry: name the file '_" + path.name + "')"))
            return None
        v = check_fields(source, source.data, ENTRY_FIELDS, "", self.problems)
        status = (v["status"] or "active").strip().lower()
        if status not in STATUSES:
            self.problems.append(Problem(path, source.line_of("status"), f"status must be one of {', '.join(STATUSES)}, not '{status}'{did_you_mean(status, STATUSES)}"))
        if v["url"] and (reason := _url_problem(v["url"])):
            self.problems.append(Problem(path, source.line_of("url"), reason))
        mistyped = isinstance(source.data.get("tldr"), (list, dict, bool))  # already reported
        if v["tldr"] is None and status not in ("withdrawn", "draft") and not mistyped:
            self.problems.append(Problem(path, source.line_of("tldr", 1), "missing required field 'tldr' (only drafts and withdrawn entries may omit it)"))
        figures = tuple(self._figures(source, v["figures"] or []))
        body, details, problems = split_details(source.body, path, source.body_line, details_title)
        self.problems.extend(problems)
        if v["title"] is None or v["url"] is None:
            return None
        return Entry(
            id=_ENTRY_PREFIX.sub("", path.stem), path=path, title=v["title"].strip(), url=v["url"].strip(),
            venue=v["venue"], note=v["note"], tldr=_markdown(source, "tldr", v["tldr"]), figures=figures,
            body=body, details=details, status=status, drafts_shown=self.drafts,
        )

    def _figures(self, source: SourceFile, items: list[Any]) -> list[Figure]:
        """Read the front-matter figure list; local images must exist inside the content folder."""
        figures = []
        for index, item in enumerate(items):
            key = f"figures.{index}"
            if not isinstance(item, dict):
                self.problems.append(Problem(source.path, source.line_of(key), "each figure must be a mapping with 'src' (and optional 'caption', 'link')"))
                continue
            v = check_fields(source, item, FIGURE_FIELDS, f"{key}.", self.problems)
            if v["src"] is None:
                continue
            if v["link"] and (reason := _url_problem(v["link"])):
                self.problems.append(Problem(source.path, source.line_of(f"{key}.link"), f"figure link: {reason}"))
            local = None
            if not is_remote(v["src"]):
                local, reason = resolve_local(v["src"], source.path.parent, self.root)
                if reason:
                    self.problems.append(Problem(source.path, source.line_of(f"{key}.src"), reason))
                    continue
            figures.append(Figure(v["src"], _markdown(source, f"{key}.caption", v["caption"]), v["link"], local, source.line_of(f"{key}.src")))
        return figures

    def _check_unique_ids(self, chapters: list[Chapter]) -> None:
        """Entry ids become anchors and must be unique across the report."""
        seen: dict[str, Path] = {}
        for entry in (e for c in chapters for e in c.entries):
            if entry.id in seen:
                self.problems.append(Problem(entry.path, 1, f"duplicate entry id '{entry.id}' (also {seen[entry.id]}); rename one file"))
            else:
                seen[entry.id] = entry.path


def is_entry_file(path: Path) -> bool:
    """Whether a `.md` file in a chapter folder is an entry: not chapter.md or README.md, not `_notes.md` or hidden.

    Hidden files are editors' (Emacs lock links `.#x.md`, backups); `_` marks the author's own notes.
    """
    return path.name not in NOT_ENTRIES and not path.name.startswith((".", "_"))


def load_report(root: Path, drafts: bool = False, unreadable: set[Path] | None = None) -> tuple[Report | None, list[Problem]]:
    """Read and validate the content folder; return the model (None if unusable) and every problem.

    *drafts* includes `status: draft` entries (marked as drafts); otherwise they are left out like
    withdrawn ones. *unreadable*, if given, receives the files that could not be decoded or parsed.
    """
    builder = _Builder(root, Reader(root), drafts)
    report = builder.report()
    if unreadable is not None:
        unreadable |= builder.unreadable
    return report, builder.problems
