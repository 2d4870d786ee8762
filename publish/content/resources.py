"""Where a resource reference points: a remote URL, or a file that must lie inside the project."""

from __future__ import annotations

import itertools
import os
import time
from functools import lru_cache
from pathlib import Path
from urllib.parse import SplitResult, unquote, urlsplit

from .limits import file_problem, image_problem

REMOTE_SCHEMES = ("http", "https")


def split_url(src: str) -> SplitResult | None:
    """The parts of a URL, or None for a malformed one such as `http://[x` (urlsplit raises on it)."""
    try:
        return urlsplit(src.strip())
    except ValueError:
        return None


def is_remote(src: str) -> bool:
    """True for well-formed http(s) URLs, which are never fetched unless the user asks."""
    parts = split_url(src)
    return parts is not None and parts.scheme.lower() in REMOTE_SCHEMES


def is_inside(path: Path, root: Path) -> bool:
    """True if *path*, with symlinks resolved, lies within *root* (False for an impossible path)."""
    try:
        real = os.path.realpath(path)
        base = os.path.realpath(root)
    except ValueError:  # an embedded NUL, as `%00` in a URL decodes to
        return False
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def content_file_problem(path: Path, root: Path) -> str | None:
    """The one rule for a file the content brings in: a regular file inside *root* (links resolved), within the size limit."""
    if not is_inside(path, root):
        return "file is a link to outside the content folder; refused"
    return file_problem(path)


def resolve_local(src: str, base_dir: Path, root: Path) -> tuple[Path | None, str | None]:
    """Resolve a local reference relative to *base_dir*; return (path, None) or (None, reason)."""
    parts = split_url(src)
    if parts is None:
        return None, f"'{src}' is not a valid URL or path"
    if parts.scheme and parts.scheme.lower() != "file" and len(parts.scheme) > 1:
        return None, f"'{src}' uses the unsupported scheme '{parts.scheme}:'"
    raw = unquote(parts.path if parts.scheme.lower() == "file" else src.strip().split("#")[0].split("?")[0])
    if not raw:
        return None, "empty image path"
    if "\x00" in raw:
        return None, "image path holds a NUL character"
    candidate = Path(raw)
    if candidate.is_absolute() or parts.scheme.lower() == "file":
        return None, f"'{src}' is an absolute path; use a path relative to the file, inside the content folder"
    path = base_dir / candidate
    if not is_inside(path, root):
        return None, f"'{src}' points outside the content folder"
    try:
        found = path.is_file()
    except OSError:  # a name too long for the file system, say
        found = False
    if not found:
        return None, f"image '{src}' not found{_near_names(raw, base_dir, root)}"
    if (reason := image_problem(path)) is not None:  # before WeasyPrint decodes it (limits.py)
        return None, f"image '{src}': {reason}"
    return path.resolve(), None


def _near_names(wanted: str, base_dir: Path, root: Path, limit: int = 5000) -> str:
    """A did-you-mean for a missing file: the same path in other letter case, or a close one, under *root*."""
    import difflib

    listing = _names_under(root, base_dir, limit, int(time.monotonic() // 2))
    if listing[1] <= 0:
        return ""
    listing[1] -= 1  # hints are for a typo or two; hundreds of missing files get the plain message
    names = listing[0]
    wanted = Path(wanted).as_posix()
    same = [name for name in names if name.casefold() == wanted.casefold()]
    if same:
        return f" (did you mean '{same[0]}'? file names are case-sensitive)"
    close = difflib.get_close_matches(wanted, names, n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""


@lru_cache(maxsize=64)
def _names_under(root: Path, base_dir: Path, limit: int, period: int) -> list:
    """[files under *root* relative to *base_dir*, hints left], listed once per two-second *period*.

    An entry with 1,000 missing images in a folder of 2,000 files took 96 s when each listed the
    folder again and compared every name; one listing and at most 50 hints keep it under a second.
    """
    files = (p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".") and is_inside(p, root))
    return [tuple(Path(os.path.relpath(p, base_dir)).as_posix() for p in itertools.islice(files, limit)), 50]
