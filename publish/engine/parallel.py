"""A second process for layout: on two cores, chapters are laid out two at a time (Linux fork).

The worker is forked after the stylesheets and fonts are loaded, so it starts with everything this
process has; it lays out its share of the chapters, records their drawing (engine/replay.py) and sends
back only plain data through a pipe. Anything that goes wrong in it (an exception, a crash, a page
that cannot be recorded) makes this process lay those chapters out itself: the worker only ever
saves time, it never decides the output.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import sys
from typing import Any, Callable

MIN_WORK = 30_000  # characters of HTML to lay out below which forking costs more than it saves


def cores() -> int:
    """Cores free for this build: 1 (no worker) with PUBLISH_WORKERS=1, off Linux, or when the others are busy.

    A worker only pays when a core is idle: with another job running on a two-core machine the two
    processes take turns and the build gets no faster. The load average counts this process too.
    """
    # Fork only on Linux: macOS system libraries are not fork-safe, Windows has no fork.
    if os.environ.get("PUBLISH_WORKERS", "").strip() == "1" or not sys.platform.startswith("linux"):
        return 1
    try:
        available = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        available = os.cpu_count() or 1
    try:
        busy = os.getloadavg()[0]
    except OSError:
        busy = 0.0
    return available if busy < available - 0.5 else 1


def share(
    jobs: list[tuple[str, str]], fraction: float = 0.55, portable: Callable[[str], bool] = lambda html: True,
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Split (key, html) jobs into ours and the worker's, the worker taking about *fraction* of the HTML.

    This process also lays out the contents and page numbers and writes the PDF, so the worker takes
    a little more than half, and only jobs for which *portable* is true. Order is kept within each share.
    """
    total = sum(len(html) for _, html in jobs)
    theirs: set[str] = set()
    load = 0
    for key, html in sorted(jobs, key=lambda job: -len(job[1])):
        if not portable(html):
            continue
        if load + len(html) <= fraction * total or not theirs:
            theirs.add(key)
            load += len(html)
    return [j for j in jobs if j[0] not in theirs], [j for j in jobs if j[0] in theirs]


class Worker:
    """A forked process running *work* on each job; `results()` waits for it and returns what it made."""

    def __init__(self, jobs: list[tuple[str, str]], work: Callable[[str], Any]) -> None:
        read, write = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        self.pid = os.fork()
        if self.pid == 0:  # the worker: never return into the caller's code
            status = 1
            try:
                os.close(read)
                results = {key: work(html) for key, html in jobs}
                with os.fdopen(write, "wb") as out:
                    pickle.dump(results, out, protocol=pickle.HIGHEST_PROTOCOL)
                status = 0
            finally:
                os._exit(status)  # skip atexit and finalizers: they would delete the parent's font files
        os.close(write)
        self._read = read

    def done(self) -> bool:
        """True once the worker has finished its jobs (it is sending, or has died)."""
        return bool(select.select([self._read], [], [], 0)[0])

    def results(self) -> dict[str, Any]:
        """What the worker made, by job key; empty if it failed."""
        try:
            with os.fdopen(self._read, "rb") as stream:
                data = stream.read()
        finally:
            self._read = -1
            _pid, status = os.waitpid(self.pid, 0)
            self.pid = 0
        if status != 0 or not data:
            return {}
        try:
            return pickle.loads(data)
        except Exception:  # a truncated stream from a crashed worker: lay everything out here
            return {}

    def close(self) -> None:
        """Stop a worker whose results are no longer wanted (this build failed) and reap it."""
        if self._read >= 0:
            os.close(self._read)
            self._read = -1
        if self.pid:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(self.pid, 0)
            self.pid = 0
