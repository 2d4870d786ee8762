"""`publish new`: a valid entry file from a template, placed after the chapter's last entry."""

from __future__ import annotations

import json
import re
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from ..content.loader import CHAPTER_FILE, DEFAULT_DETAILS_TITLE, REPORT_FILE
from ..content.schema import did_you_mean
from ..errors import PublishError, UsageError

USUAL_LABELS = ("기존 문제", "논문이 이끌어낸 직관", "활용방안 및 향후 연구(개인적 의견)", "논문의 구체적인 방법론")
_NUMBER = re.compile(r"^(\d+)[-_ .]")

# The template's stand-ins: `publish check` warns while any is left (lint.placeholders), and the
# handout refuses to print a placeholder tl;dr.
PLACEHOLDER_URL = "https://example.org/replace-with-the-paper-url"
PLACEHOLDER_TLDR = "한두 문장으로 논문의 핵심을 요약합니다."
PLACEHOLDER_BODY = "본문이 있다면 여기에 씁니다 (없으면 지워도 됩니다)."
PLACEHOLDER_PART = "(작성 예정)"


class DuplicateEntry(PublishError):
    """`publish new` for a title the report already has (exit status 1): the same paper twice."""


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


def existing_entries(content: Path) -> dict[str, tuple[Path, str]]:
    """Entry id → (file, title line) of every entry file in the listed chapters, read loosely."""
    from ..content.loader import is_entry_file

    found: dict[str, tuple[Path, str]] = {}
    for chapter in _chapter_ids(content):
        for path in sorted((content / chapter).glob("*.md")):
            if is_entry_file(path):
                title = next((line[6:].strip().strip("'\"") for line in _read(path).splitlines() if line.startswith("title:")), "")
                found.setdefault(re.sub(r"^\d+[-_ .]+", "", path.stem), (path, title))  # the id, as the loader makes it
    return found


def new_entry(content: Path, title: str, chapter: str, url: str | None = None, venue: str | None = None) -> tuple[Path, str | None]:
    """Create the entry file; return its path and, if its id had to be suffixed, why. Never overwrites.

    An empty title is a usage error; a title the report already has is refused (the same paper
    twice); another title whose slug is taken (e.g. two Korean titles) gets `-2`, `-3`, ….
    """
    title = title.strip()
    if not title:
        raise UsageError("the title is empty: give the paper's title, e.g. publish new \"Tree of Thoughts\" --chapter 1")
    folder = resolve_chapter(Path(content), chapter)
    taken = existing_entries(Path(content))
    for path, existing in taken.values():
        if existing.casefold() == title.casefold():
            raise DuplicateEntry(f"{path} already has the title '{existing}'; nothing was written")
    slug, note = slugify(title), None
    if slug in taken:
        base, suffix = slug, 2
        while f"{base}-{suffix}" in taken:
            suffix += 1
        slug = f"{base}-{suffix}"
        note = f"the id '{base}' is taken by {taken[base][0]}; this entry's id is '{slug}'"
    numbers = [int(m.group(1)) for p in folder.glob("*.md") if (m := _NUMBER.match(p.name))]
    path = folder / f"{max(numbers, default=0) + 1:02d}-{slug}.md"
    if path.exists():
        raise UsageError(f"{path} already exists")
    env = Environment(
        loader=PackageLoader("publish.author", "templates"), undefined=StrictUndefined,
        keep_trailing_newline=True, trim_blocks=True,
    )
    # JSON strings are valid YAML scalars; keep Korean readable rather than \uXXXX-escaped.
    env.filters["yaml"] = lambda value: json.dumps(value, ensure_ascii=False)
    text = env.get_template("entry.md.j2").render(
        title=title, url=url or f"{PLACEHOLDER_URL}/{slug}", venue=venue, details_title=DEFAULT_DETAILS_TITLE, labels=USUAL_LABELS,
        tldr=PLACEHOLDER_TLDR, body=PLACEHOLDER_BODY, part=PLACEHOLDER_PART,
    )
    path.write_text(text, encoding="utf-8")
    return path, note
