"""The document model: frozen dataclasses for the report, its chapters and entries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .licenses import LicenseInfo


@dataclass(frozen=True)
class Markdown:
    """A Markdown fragment and where it starts, so later stages can report `path:line`."""

    text: str
    path: Path
    line: int


@dataclass(frozen=True)
class Figure:
    """A figure listed in an entry's front matter."""

    src: str
    caption: Markdown | None
    link: str | None
    local_path: Path | None
    """The resolved file for a local image, or the fetched copy of a remote one; None: a placeholder."""
    line: int | None = None
    """Line of `src` in the entry file, for warnings."""


@dataclass(frozen=True)
class DetailPart:
    """One labelled part of the details sidebar."""

    label: str
    body: Markdown


@dataclass(frozen=True)
class Details:
    """The boxed details sidebar of an entry."""

    title: str
    lead: Markdown | None
    parts: tuple[DetailPart, ...]


@dataclass(frozen=True)
class Entry:
    """One paper entry."""

    id: str
    path: Path
    title: str
    url: str
    venue: str | None
    note: str | None
    tldr: Markdown | None
    figures: tuple[Figure, ...]
    body: Markdown
    details: Details | None
    status: str
    drafts_shown: bool = False
    """Built with --drafts: a `status: draft` entry is printed, marked as a draft."""

    @property
    def withdrawn(self) -> bool:
        """Left out of every edition but kept in the content: withdrawn, or a draft without --drafts."""
        return self.status == "withdrawn" or (self.status == "draft" and not self.drafts_shown)

    @property
    def draft(self) -> bool:
        """A draft that is printed (with --drafts), so it must be marked as one."""
        return self.status == "draft" and self.drafts_shown


@dataclass(frozen=True)
class Chapter:
    """A chapter: title, optional prose, entries in file-name order."""

    id: str
    path: Path
    title: str
    number: int | None
    prose: Markdown
    entries: tuple[Entry, ...]

    @property
    def active_entries(self) -> tuple[Entry, ...]:
        """The entries that are printed."""
        return tuple(e for e in self.entries if not e.withdrawn)


@dataclass(frozen=True)
class Person:
    """A named person or organisation, optionally with a link."""

    name: str
    url: str | None


@dataclass(frozen=True)
class License:
    """The report's licence, its year, and the author's own reuse statement."""

    info: LicenseInfo
    year: int
    statement: Markdown | None


@dataclass(frozen=True)
class Sponsor:
    """Who sponsored the writing, and the acknowledgement line."""

    name: str
    acknowledgement: Markdown | None


@dataclass(frozen=True)
class Theme:
    """The report's look where report.yaml's `theme:` changes it; None: the packaged default."""

    paper: str | None = None
    """A4, Letter or B5."""
    font_size: float | None = None
    """Body text size in points."""
    accent: str | None = None
    """Links, chapter numbers and tl;dr marks, as #rrggbb or #rgb."""
    body: str | None = None
    """serif or sans."""


@dataclass(frozen=True)
class Report:
    """The whole report."""

    root: Path
    title: str
    subtitle: str | None
    series: str | None
    author: Person
    date: dt.date
    language: str
    keywords: tuple[str, ...]
    license: License
    sponsor: Sponsor | None
    details_title: str
    chapters: tuple[Chapter, ...]
    slug: str | None = None
    """ASCII stem of the output file name (default: from the title)."""
    theme: Theme | None = None
    """Settings that change the packaged look (render/theme.py)."""

    @property
    def entries(self) -> tuple[Entry, ...]:
        """All entries of all chapters, in order."""
        return tuple(e for c in self.chapters for e in c.entries)

    @property
    def withdrawn(self) -> tuple[Entry, ...]:
        """Entries kept in the content but left out of every output."""
        return tuple(e for e in self.entries if e.withdrawn)
