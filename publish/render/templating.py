"""Jinja2: the document model and its rendered fragments → one paged HTML document."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from jinja2 import (
    BytecodeCache,
    Environment,
    PackageLoader,
    StrictUndefined,
    select_autoescape,
)
from jinja2.bccache import Bucket
from markupsafe import Markup

from ..content.model import Markdown, Report
from .typography import lang_attr

TEMPLATES = Path(__file__).resolve().parent / "templates"


class _MemoryBytecodeCache(BytecodeCache):
    """Compiled templates kept for the process: compiling took ~50 ms of every render, rendering a few."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        """Fill *bucket* if this template was compiled before (Jinja checks the source's checksum)."""
        if (data := self.compiled.get(bucket.key)) is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep a freshly compiled template."""
        self.compiled[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _MemoryBytecodeCache()


def make_environment(fragments: dict[Markdown, str], inline: Callable[[str | None], str]) -> Environment:
    """A strict environment whose `md` filter looks fragments up and `md_inline` renders titles."""
    env = Environment(
        loader=PackageLoader("publish.render", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_COMPILED,
    )
    env.filters["md"] = lambda fragment: Markup(fragments[fragment]) if fragment is not None else Markup("")
    env.filters["md_inline"] = lambda text: Markup(inline(text))
    # ` lang="en"` on English runs (titles, venues) of a Korean report: screen readers switch voice.
    env.filters["lang"] = lambda text, document="ko": Markup(lang_attr(str(text or ""), document))
    return env


def render_html(
    report: Report,
    fragments: dict[Markdown, str],
    inline: Callable[[str | None], str],
    template: str = "report.html.j2",
    **context: Any,
) -> str:
    """Render the report with *template*; *context* adds edition-specific values."""
    env = make_environment(fragments, inline)
    return env.get_template(template).render(report=report, **context)
