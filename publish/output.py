"""Writing outputs: atomically, with every file-system failure as an OutputError, and no temporary file left by a killed build.

Only build.py calls these: it stays the one writer to the project's `build/`.
"""

from __future__ import annotations

import contextlib
import glob
import os
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

from .errors import OutputError


def write_atomically(path: Path, data: bytes) -> None:
    """Write via a temporary file and rename, so a failed build never leaves a half-written file.

    The temporary file's name holds the process id: the next write removes a killed build's.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path)
    with _terminate_unwinds():
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes 0600; outputs are shared like any file
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


@contextlib.contextmanager
def _terminate_unwinds() -> Iterator[None]:
    """While a temporary file exists, SIGTERM unwinds like Ctrl-C (exit 143) so that it is removed."""
    try:
        previous = signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    except ValueError:  # not the main thread, where Python runs signal handlers
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)


def remove_stale_temporaries(path: Path) -> None:
    """Remove `.NAME.PID.*.tmp` files beside *path* whose process is gone, and any over an hour old."""
    prefix = f".{path.name}."
    for candidate in path.parent.glob(f"{glob.escape(prefix)}*.tmp"):
        pid = candidate.name[len(prefix):].split(".", 1)[0]
        with contextlib.suppress(OSError):  # another build removed it first, or the folder is read-only
            if time.time() - candidate.lstat().st_mtime > 3600 or not (pid.isdecimal() and _alive(int(pid))):
                candidate.unlink()


def _alive(pid: int) -> bool:
    """True if process *pid* exists: its build may be writing now (PermissionError: someone else's, kept too)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def write_output(path: Path, data: bytes) -> None:
    """`write_atomically`, with any file-system failure (full disk, parent a file, read-only) as an OutputError."""
    try:
        write_atomically(path, data)
    except OSError as exc:
        reason = "a folder on its path is a file" if isinstance(exc, (FileExistsError, NotADirectoryError)) else exc.strerror or exc
        raise OutputError(f"cannot write {path}: {reason}; any previous file is untouched") from exc
