"""`publish watch`: rebuild on every saved change, in one long-lived process so rebuilds stay fast."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Callable

from ..errors import PublishError
from ..render.templating import TEMPLATES

Build = Callable[[], object]
Snapshot = dict[str, tuple[int, int]]


def watched_paths(content: Path, project: Path) -> list[Path]:
    """The content folder plus the styles and templates a rebuild depends on."""
    return [p for p in (content, project / "styles", TEMPLATES) if p.exists()]


def ignored(path: str) -> bool:
    """Editors' lock, backup and swap files, which change without the content changing."""
    name = Path(path).name
    return name.startswith((".", "#")) or name.endswith("~")


def snapshot(paths: list[Path]) -> Snapshot:
    """Every watched file's modification time and size: what a save changes."""
    found: Snapshot = {}
    for root in paths:
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if not ignored(d)]
            for name in files:
                path = os.path.join(folder, name)
                if ignored(path):
                    continue
                try:
                    stat = os.stat(path)
                except OSError:  # removed while walking
                    continue
                found[path] = (stat.st_mtime_ns, stat.st_size)
    return found


def watch(
    paths: list[Path],
    build: Build,
    on_success: Callable[[object], None],
    on_error: Callable[[PublishError], None],
    stop: threading.Event | None = None,
    debounce_ms: int = 300,
) -> None:
    """Build once, then again after each batch of changes until *stop* is set; Ctrl-C raises KeyboardInterrupt.

    No save is lost: the files are fingerprinted before the first build and compared once the
    watcher runs (a save during the first build triggers a rebuild), and the watcher keeps
    collecting changes while a rebuild runs, so those lead to one more build.
    A failing build reports its errors and leaves the last good output in place (builds write
    atomically), so the author keeps a readable PDF while fixing a typo.
    """
    from watchfiles import watch as watch_changes

    def attempt() -> None:
        try:
            on_success(build())
        except PublishError as error:
            on_error(error)

    before = snapshot(paths)
    attempt()
    pending_check = True
    # rust_timeout: an empty batch once the watcher runs (and every second while idle), the moment
    # to compare with the fingerprint taken before the first build.
    for changes in watch_changes(
        *paths, debounce=debounce_ms, stop_event=stop, yield_on_timeout=True, rust_timeout=1000,
        watch_filter=lambda _change, path: not ignored(path),
    ):
        if changes:
            pending_check = False
            attempt()
        elif pending_check:
            pending_check = False
            if snapshot(paths) != before:
                attempt()
