"""Read the content folder: text files, YAML front matter, and where each key sits in its file."""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem

FRONT_MATTER_FENCE = "---"


@dataclass(frozen=True)
class SourceFile:
    """A decoded text file: front matter data, its key lines, and the body with its first line."""

    path: Path
    data: dict[str, Any]
    key_lines: dict[str, int]
    """Dotted key path (`figures.0.src`) → 1-based line of that key in the file."""
    body: str
    body_line: int
    """1-based line on which the body starts."""

    def line_of(self, key: str, default: int | None = 1) -> int | None:
        """Line of *key* (dotted path), falling back to its parent's line."""
        while key:
            if key in self.key_lines:
                return self.key_lines[key]
            key = key.rpartition(".")[0]
        return default


@dataclass
class Reader:
    """Reads files below one content root and collects every problem it meets."""

    root: Path
    problems: list[Problem] = field(default_factory=list)

    def text(self, path: Path) -> str | None:
        """Decode *path* as UTF-8 (BOM and CRLF accepted); None and a problem if impossible."""
        try:
            raw = path.read_bytes()
        except OSError as exc:
            self.problems.append(Problem(path, None, f"cannot read file: {exc.strerror or exc}"))
            return None
        if raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8):]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            self.problems.append(
                Problem(path, line, f"file is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8")
            )
            return None
        return text.replace("\r\n", "\n").replace("\r", "\n")

    def yaml_file(self, path: Path) -> SourceFile | None:
        """Read a whole-file YAML mapping such as `report.yaml`."""
        text = self.text(path)
        if text is None:
            return None
        data, lines = self._parse_yaml(path, text, first_line=1)
        if data is None:
            return None
        return SourceFile(path, data, lines, "", len(text.splitlines()) + 1)

    def markdown_file(self, path: Path) -> SourceFile | None:
        """Read a Markdown file with optional YAML front matter between `---` lines."""
        text = self.text(path)
        if text is None:
            return None
        lines = text.split("\n")
        if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
            return SourceFile(path, {}, {}, text, 1)
        for index in range(1, len(lines)):
            if lines[index].strip() in (FRONT_MATTER_FENCE, "..."):
                break
        else:
            self.problems.append(
                Problem(path, 1, "front matter is not closed: add a line '---' after the last field")
            )
            return None
        data, key_lines = self._parse_yaml(path, "\n".join(lines[1:index]), first_line=2)
        if data is None:
            return None
        return SourceFile(path, data, key_lines, "\n".join(lines[index + 1:]), index + 2)

    def _parse_yaml(self, path: Path, text: str, first_line: int) -> tuple[dict[str, Any] | None, dict[str, int]]:
        """Parse a YAML mapping, returning the data and the line of each key."""
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
            data = yaml.safe_load(text)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = first_line + (mark.line if mark else 0)
            reason = exc.problem or exc.context or "invalid YAML"
            self.problems.append(Problem(path, line, f"invalid YAML: {reason}"))
            return None, {}
        except yaml.YAMLError as exc:
            self.problems.append(Problem(path, first_line, f"invalid YAML: {exc}"))
            return None, {}
        if data is None:
            return {}, {}
        if not isinstance(data, dict):
            self.problems.append(Problem(path, first_line, "expected a mapping of fields (key: value)"))
            return None, {}
        key_lines: dict[str, int] = {}
        _record_key_lines(node, "", first_line, key_lines)
        return data, key_lines


def _record_key_lines(node: yaml.Node | None, prefix: str, first_line: int, out: dict[str, int]) -> None:
    """Walk a composed YAML node, noting the line of every mapping key and sequence item."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = f"{prefix}{key_node.value}"
            out[key] = first_line + key_node.start_mark.line
            _record_key_lines(value_node, key + ".", first_line, out)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            key = f"{prefix}{index}"
            out[key] = first_line + item.start_mark.line
            _record_key_lines(item, key + ".", first_line, out)
