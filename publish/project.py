"""Where a report's project lies (the folder holding `content/report.yaml`) and where the packaged defaults are."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError

CONTENT = "content"
REPORT_FILE = "report.yaml"
_PACKAGE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Defaults:
    """The stylesheets and fonts shipped with `publish`: every build starts from them."""

    styles: Path
    fonts: Path


def defaults() -> Defaults:
    """The packaged styles/ and fonts/: inside the installed package, or the checkout's own folders.

    A wheel carries them as `publish/_defaults/{styles,fonts}` (setup.py copies them there); an
    editable install or a checkout on PYTHONPATH reads the repository's top-level folders.
    """
    for base in (_PACKAGE / "_defaults", _PACKAGE.parent):
        if (base / "styles" / "report.css").is_file() and (base / "fonts").is_dir():
            return Defaults(base / "styles", base / "fonts")
    raise UsageError(f"publish is installed without its styles and fonts (looked in {_PACKAGE / '_defaults'}); reinstall it from a wheel")


@dataclass(frozen=True)
class Project:
    """A report's folder: its content, its own stylesheets and the build/ folder every output goes to."""

    root: Path
    content: Path

    @property
    def build(self) -> Path:
        """Where outputs go by default."""
        return self.root / "build"

    @property
    def cache(self) -> Path:
        """Where fetched remote images are kept."""
        return self.build / "cache"

    def stylesheets(self, names: tuple[str, ...] | list[str]) -> list[Path]:
        """The packaged sheets *names*, then the project's `styles/` sheets of the same names, which override them."""
        packaged = defaults().styles
        own = self.root / "styles"
        extra = [] if _same(own, packaged) else [own / name for name in names if (own / name).is_file()]
        return [packaged / name for name in names] + extra

    def font_dirs(self) -> list[Path]:
        """The packaged fonts, plus the project's own `fonts/` if it has one."""
        packaged = defaults().fonts
        own = self.root / "fonts"
        return [packaged] + ([own] if own.is_dir() and not _same(own, packaged) else [])

    def roots(self) -> tuple[Path, ...]:
        """Folders a build may read files from: content, stylesheets and fonts (packaged and the project's)."""
        found = [self.content.resolve(), defaults().styles, defaults().fonts, self.root / "styles", self.root / "fonts"]
        return tuple(dict.fromkeys(p.resolve() for p in found))


def _same(a: Path, b: Path) -> bool:
    """Whether two paths name the same folder (the checkout's report uses the packaged styles as its own)."""
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def find_project(content: Path | None = None, start: Path | None = None) -> Project:
    """The project for *content* (its parent folder), or, without it, the nearest folder at or above *start*
    (default: the current directory) that holds `content/report.yaml`.

    Without such a folder the project is *start* itself, so that the error names `./content`.
    """
    if content is not None:
        content = Path(content)
        if not (content / REPORT_FILE).exists() and (content / CONTENT / REPORT_FILE).is_file():
            content = content / CONTENT  # `-c myreport`: the project folder was given
        return Project(content.resolve().parent, content)
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONTENT / REPORT_FILE).is_file():
            return Project(folder, _relative(folder / CONTENT, here))
    return Project(here, _relative(here / CONTENT, here))


def _relative(path: Path, base: Path) -> Path:
    """*path* relative to *base* where possible, so messages show short paths like `content/x.md`."""
    try:
        return Path(os.path.relpath(path, base)) if path.is_relative_to(base) else path
    except ValueError:
        return path
