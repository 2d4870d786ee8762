"""Exception types and the problem records that user-facing errors carry."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One finding about the content, located as `path:line` where the source has a line."""

    path: Path
    line: int | None
    message: str
    severity: Severity = "error"

    def where(self, root: Path | None = None) -> str:
        """`path:line`, or `path` alone (path relative to *root*'s parent when possible)."""
        shown = self.path
        if root is not None:
            # Unresolved first: a file that is a symlink is shown where the author sees it.
            for path, base in ((Path(os.path.abspath(self.path)), Path(os.path.abspath(root)).parent),
                               (self.path.resolve(), root.resolve().parent)):
                if path.is_relative_to(base):
                    shown = path.relative_to(base)
                    break
        return f"{shown}:{self.line}" if self.line else f"{shown}"

    def format(self, root: Path | None = None) -> str:
        """Render as `path:line: message` (path relative to *root* when possible)."""
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{self.where(root)}: {prefix}{self.message}"


class PublishError(Exception):
    """Base of every error the CLI reports without a traceback."""

    exit_code = 1


class ContentError(PublishError):
    """The content has one or more problems; all of them are carried at once."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (str(p.path), p.line or 0, p.message))
        super().__init__(f"{len(self.problems)} problem(s) in the content")

    def __str__(self) -> str:
        """Every problem as `path:line: message`, one a line, after the count: what the API's callers print."""
        return "\n".join([f"{len(self.problems)} problem(s) in the content:", *(p.format() for p in self.problems)])


class UsageError(PublishError):
    """The command was called wrongly (exit status 2)."""

    exit_code = 2


class OutputError(PublishError):
    """The output could not be written, or a build budget was exceeded."""
