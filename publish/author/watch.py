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
    on_wait: Callable[[list[Path]], None] | None = None,
) -> None:
    """Build once, then again after each batch of changes until *stop* is set; Ctrl-C raises KeyboardInterrupt.

    No save is lost: the files are fingerprinted before the first build and compared once the
    watcher runs (a save during the first build triggers a rebuild), and the watcher keeps
    collecting changes while a rebuild runs, so those lead to one more build.
    A failing build reports its errors and leaves the last good output in place (builds write
    atomically), so the author keeps a readable PDF while fixing a typo. A watched folder that
    vanishes (a branch switch) is waited for (*on_wait* says so) and watched anew when it is back.
    """
    from watchfiles import watch as watch_changes

    stop = stop or threading.Event()

    def attempt() -> None:
        try:
            on_success(build())
        except PublishError as error:
            on_error(error)

    stop = stop or threading.Event()
    roots = {os.path.abspath(p) for p in paths}
    before = snapshot(paths)
    attempt()
    pending_check = True
    while not stop.is_set():
        watched = _identities(paths)
        # rust_timeout: an empty batch once the watcher runs (and every second while idle), the moment
        # to compare with the fingerprint taken before the first build.
        for changes in watch_changes(
            *paths, debounce=debounce_ms, stop_event=stop, yield_on_timeout=True, rust_timeout=1000,
            watch_filter=lambda _change, path: not ignored(path),
        ):
            # A removed folder's watch may never report anything again (hence the check every second);
            # one removed and restored at once may get its old inode back, but its removal is reported.
            if _identities(paths) != watched or any(os.path.abspath(path) in roots for _change, path in changes):
                break  # watch it anew
            if changes:
                pending_check = False
                attempt()
            elif pending_check:
                pending_check = False
                if snapshot(paths) != before:
                    attempt()
        else:
            return  # stopped
        if not _wait_for(paths, stop, on_wait):
            return
        before, pending_check = {}, True  # rebuild once the new watcher runs


def _identities(paths: list[Path]) -> list[tuple[int, int] | None]:
    """(device, inode) of each path, None for a missing one."""
    found: list[tuple[int, int] | None] = []
    for path in paths:
        try:
            info = path.stat()
        except OSError:
            found.append(None)
        else:
            found.append((info.st_dev, info.st_ino))
    return found


def _wait_for(paths: list[Path], stop: threading.Event, on_wait: Callable[[list[Path]], None] | None) -> bool:
    """Wait until every path exists again; False if *stop* is set first."""
    missing = [p for p in paths if not p.exists()]
    if missing and on_wait is not None:
        on_wait(missing)
    while any(not p.exists() for p in paths):
        if stop.wait(0.25):
            return False
    return True
