"""`publish watch`: rebuild on every saved change, in one long-lived process so rebuilds stay fast."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable

from ..errors import PublishError
from ..render.templating import TEMPLATES

Build = Callable[[], object]


def watched_paths(content: Path, project: Path) -> list[Path]:
    """The content folder plus the styles and templates a rebuild depends on."""
    return [p for p in (content, project / "styles", TEMPLATES) if p.exists()]


def watch(
    paths: list[Path],
    build: Build,
    on_success: Callable[[object], None],
    on_error: Callable[[PublishError], None],
    stop: threading.Event | None = None,
    debounce_ms: int = 300,
) -> None:
    """Build once, then again after each batch of changes until *stop* is set or Ctrl-C.

    A failing build reports its errors and leaves the last good output in place (builds write
    atomically), so the author keeps a readable PDF while fixing a typo.
    """
    from watchfiles import watch as watch_changes

    def attempt() -> None:
        try:
            on_success(build())
        except PublishError as error:
            on_error(error)

    attempt()
    for _changes in watch_changes(
        *paths, debounce=debounce_ms, stop_event=stop, raise_interrupt=False,
        watch_filter=lambda _change, path: not Path(path).name.startswith((".", "#")) and not path.endswith("~"),
    ):
        attempt()
