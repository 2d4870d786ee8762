"""`publish init`: a new report folder, from the skeleton in `starter/`, that builds at once."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from pathlib import Path

from ..errors import UsageError

NEXT_STEPS = ("publish new \"Paper title\" --chapter 1 --url https://arxiv.org/abs/…", "publish pdf", "publish check")


def _files(base: resources.abc.Traversable, prefix: str = "") -> list[tuple[str, resources.abc.Traversable]]:
    """Every file of the skeleton as (relative path, resource), sorted."""
    found = []
    for item in sorted(base.iterdir(), key=lambda i: i.name):
        if item.name.startswith(("__", ".")):
            continue
        if item.is_dir():
            found += _files(item, f"{prefix}{item.name}/")
        else:
            found.append((f"{prefix}{item.name}", item))
    return found


def _target_name(name: str) -> str:
    """Where a skeleton file goes: templates lose `.j2`, `gitignore` becomes `.gitignore` (dot files do not package)."""
    return ".gitignore" if name == "gitignore" else name.removesuffix(".j2")


def create_project(folder: Path, today: dt.date | None = None) -> list[Path]:
    """Write the skeleton into *folder* (created if missing, must be empty) and return the files written."""
    from jinja2 import Environment, StrictUndefined

    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(f"{folder} is not an empty folder; `publish init` only starts new reports (choose another folder)")
    today = today or dt.date.today()
    name = folder.resolve().name
    words = "".join(c if c.isascii() and c.isalnum() else "-" for c in name.lower()).strip("-")
    values = {
        "title": name.replace("-", " ").replace("_", " ").strip() or "Report", "author": "Your Name",
        "date": today.isoformat(), "year": today.year, "slug": "-".join(w for w in words.split("-") if w) or "report",
    }
    env = Environment(undefined=StrictUndefined, keep_trailing_newline=True)
    env.filters["yaml"] = lambda value: json.dumps(value, ensure_ascii=False)  # JSON strings are YAML scalars
    written = []
    for relative, item in _files(resources.files("publish.author") / "starter"):
        target = folder / _target_name(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        if relative.endswith(".j2"):
            target.write_text(env.from_string(item.read_text(encoding="utf-8")).render(**values), encoding="utf-8")
        else:
            target.write_bytes(item.read_bytes())
        written.append(target)
    return written
