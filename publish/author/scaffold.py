"""`publish new`: a valid entry file from a template, placed after the chapter's last entry."""

from __future__ import annotations

import json
import re
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from ..content.loader import CHAPTER_FILE, DEFAULT_DETAILS_TITLE, REPORT_FILE
from ..content.schema import did_you_mean
from ..errors import UsageError

USUAL_LABELS = ("기존 문제", "논문이 이끌어낸 직관", "활용방안 및 향후 연구(개인적 의견)", "논문의 구체적인 방법론")
_NUMBER = re.compile(r"^(\d+)[-_ .]")


def _chapter_ids(content: Path) -> list[str]:
    """Chapter folder names in report.yaml order (read loosely: `new` must work on unfinished content)."""
    import yaml

    try:
        data = yaml.safe_load((content / REPORT_FILE).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise UsageError(f"cannot read {content / REPORT_FILE}: {exc}") from exc
    chapters = data.get("chapters") if isinstance(data, dict) else None
    return [str(c) for c in chapters] if isinstance(chapters, list) else []


def resolve_chapter(content: Path, chapter: str) -> Path:
    """A chapter given by folder name, or by its number in the report (1 = first numbered chapter)."""
    ids = _chapter_ids(content)
    if chapter in ids:
        return content / chapter
    if chapter.isdigit():
        numbered = [c for c in ids if "numbered: false" not in _read(content / c / CHAPTER_FILE)]
        index = int(chapter) - 1
        if 0 <= index < len(numbered):
            return content / numbered[index]
    raise UsageError(f"no chapter '{chapter}'{did_you_mean(chapter, ids)}; chapters: {', '.join(ids) or 'none'}")


def _read(path: Path) -> str:
    """File text, or empty when absent."""
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def slugify(title: str) -> str:
    """ASCII file-name slug of a title (at most eight words)."""
    words = re.findall(r"[a-z0-9]+", title.lower())
    return "-".join(words[:8]) or "entry"


def new_entry(content: Path, title: str, chapter: str, url: str = "https://", venue: str | None = None) -> Path:
    """Create the entry file and return its path; never overwrites."""
    folder = resolve_chapter(Path(content), chapter)
    numbers = [int(m.group(1)) for p in folder.glob("*.md") if (m := _NUMBER.match(p.name))]
    path = folder / f"{max(numbers, default=0) + 1:02d}-{slugify(title)}.md"
    if path.exists():
        raise UsageError(f"{path} already exists")
    env = Environment(
        loader=PackageLoader("publish.author", "templates"), undefined=StrictUndefined,
        keep_trailing_newline=True, trim_blocks=True,
    )
    # JSON strings are valid YAML scalars; keep Korean readable rather than \uXXXX-escaped.
    env.filters["yaml"] = lambda value: json.dumps(value, ensure_ascii=False)
    text = env.get_template("entry.md.j2").render(
        title=title, url=url, venue=venue, details_title=DEFAULT_DETAILS_TITLE, labels=USUAL_LABELS,
    )
    path.write_text(text, encoding="utf-8")
    return path
