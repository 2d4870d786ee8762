"""Read the content folder: text files, YAML front matter, and where each key sits in its file."""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem
from . import limits
from .limits import MAX_WORD  # noqa: F401 (where it used to live)
from .resources import is_inside

FRONT_MATTER_FENCE = "---"
TEXT_LINE = "#text"
"""Suffix of a key_lines entry giving where a block scalar's text starts (`tldr#text`)."""


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

    def text_line(self, key: str) -> int:
        """Line on which the text of *key*'s value starts: below the key for a `|` or `>` block."""
        return self.key_lines.get(key + TEXT_LINE) or self.line_of(key) or 1

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
        if not is_inside(path, self.root):
            # A link to a file elsewhere would put that file's text into the PDF.
            self.problems.append(Problem(path, None, "file is a link to outside the content folder; refused"))
            return None
        if (reason := limits.file_problem(path)) is not None:  # before reading: a FIFO blocks, a huge file costs
            self.problems.append(Problem(path, None, reason))
            return None
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
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if (word := limits.long_word(text)) is not None:
            self.problems.append(Problem(path, word[0] + 1, limits.word_message(word[1])))
        return text

    def yaml_file(self, path: Path) -> SourceFile | None:
        """Read a whole-file YAML mapping such as `report.yaml`."""
        text = self.text(path)
        if text is None:
            return None
        data, lines = self._parse_yaml(path, text, first_line=1)
        if data is None:
            return None
        return self._within_limits(SourceFile(path, data, lines, "", len(text.splitlines()) + 1))

    def markdown_file(self, path: Path) -> SourceFile | None:
        """Read a Markdown file with optional YAML front matter between `---` lines."""
        text = self.text(path)
        if text is None:
            return None
        lines = text.split("\n")
        if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
            return self._within_limits(SourceFile(path, {}, {}, text, 1))
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
        source = SourceFile(path, data, key_lines, "\n".join(lines[index + 1:]), index + 2)
        return self._within_limits(source)

    def _within_limits(self, source: SourceFile) -> SourceFile | None:
        """*source*, None if its front matter is beyond the limits, its body emptied if that is (limits.py).

        Rendering what is beyond them would cost the minutes the limits are there to save.
        """
        if over := limits.yaml_problems(source.path, source.data, source.line_of):
            self.problems.extend(over)
            return None
        if over := limits.markdown_problems(source.path, source.body, source.body_line):
            self.problems.extend(over)
            return replace(source, body="")
        return source

    def _parse_yaml(self, path: Path, text: str, first_line: int) -> tuple[dict[str, Any] | None, dict[str, int]]:
        """Parse a YAML mapping, returning the data and the line of each key."""
        node = None
        try:
            loader = yaml.SafeLoader(text)  # checks the characters already
        except yaml.reader.ReaderError as exc:
            line = first_line + text.count("\n", 0, exc.position)
            self.problems.append(Problem(path, line, f"invalid YAML: the character U+{exc.character:04X} is not allowed"))
            return None, {}
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = first_line + (mark.line if mark else 0)
            reason = yaml_hint(exc, text) or exc.problem or exc.context or "invalid YAML"
            self.problems.append(Problem(path, line, f"invalid YAML: {reason}"))
            return None, {}
        except yaml.YAMLError as exc:
            self.problems.append(Problem(path, first_line, f"invalid YAML: {exc}"))
            return None, {}
        except RecursionError:
            self.problems.append(Problem(path, first_line, "invalid YAML: nested too deeply"))
            return None, {}
        except (ValueError, OverflowError, TypeError):
            # PyYAML recognises a scalar by its form but fails to build it (a date 2024-13-45, an int too long)
            self.problems.append(_bad_scalar(path, node, first_line))
            return None, {}
        finally:
            loader.dispose()
        if data is None:
            return {}, {}
        if not isinstance(data, dict):
            self.problems.append(Problem(path, first_line, "expected a mapping of fields (key: value)"))
            return None, {}
        key_lines: dict[str, int] = {}
        _record_key_lines(node, first_line, key_lines)
        self.problems.extend(_duplicate_keys(path, node, first_line))
        return data, key_lines


def yaml_hint(exc: yaml.MarkedYAMLError, text: str) -> str | None:
    """Plain words and the fix for the commonest YAML mistakes, which PyYAML reports in its own terms."""
    mark = exc.problem_mark
    problem = exc.problem or ""
    if "'\\t'" in problem or "tab" in problem:
        return "a tab in the indentation; indent with spaces, not tabs"
    if problem == "mapping values are not allowed here" and mark is not None:
        lines = text.split("\n")
        line = lines[mark.line] if mark.line < len(lines) else ""
        key, colon, value = line.partition(":")
        if colon and len(key) < mark.column and value.strip() and not key.strip().startswith("#"):
            key, value = key.strip().removeprefix("- ").strip(), value.strip()  # a list item's key too
            shown = value if len(value) <= 60 else value[:59] + "…"
            quoted = f"'{shown}'" if "'" not in value else f'"{shown}"'
            return f"a colon followed by a space inside an unquoted value; quote the {key}: `{key}: {quoted}`"
        return "a line is indented as if it continued the value above it; check the indentation"
    return None


def _bad_scalar(path: Path, root: yaml.Node | None, first_line: int) -> Problem:
    """The problem for the first scalar under *root* that PyYAML cannot construct."""
    constructor = yaml.SafeLoader("")
    for node in _nodes(root):
        if isinstance(node, yaml.ScalarNode):
            try:
                constructor.construct_object(node, deep=True)
            except (ValueError, OverflowError, TypeError, yaml.YAMLError) as exc:
                kind = {"timestamp": "date", "int": "number", "float": "number"}.get(node.tag.rpartition(":")[2], "value")
                return Problem(path, first_line + node.start_mark.line, f"invalid YAML: '{node.value[:80]}' is not a valid {kind} ({exc})")
    return Problem(path, first_line, "invalid YAML: a value cannot be read")


def _nodes(root: yaml.Node | None) -> list[yaml.Node]:
    """Every node under *root* once: aliases share nodes, and may form cycles or exponential trees."""
    seen: set[int] = set()
    stack = [root] if root is not None else []
    found = []
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        found.append(node)
        if isinstance(node, yaml.MappingNode):
            stack.extend(n for pair in reversed(node.value) for n in reversed(pair))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
    return found


def _duplicate_keys(path: Path, root: yaml.Node | None, first_line: int) -> list[Problem]:
    """A key written twice in one mapping, at its second occurrence: PyYAML silently keeps the last."""
    problems = []
    for node in _nodes(root):
        if not isinstance(node, yaml.MappingNode):
            continue
        seen: dict[str, int] = {}
        for key_node, _value in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                continue
            line = first_line + key_node.start_mark.line
            if key_node.value in seen:
                problems.append(Problem(path, line, f"'{key_node.value}' is given twice (first on line {seen[key_node.value]}); keep one"))
            else:
                seen[key_node.value] = line
    return problems


def _record_key_lines(root: yaml.Node | None, first_line: int, out: dict[str, int]) -> None:
    """Note the line of every mapping key and sequence item (dotted path → line), visiting each node once."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node | None, str]] = [(root, "")]
    while stack:
        node, prefix = stack.pop()
        if node is None or id(node) in seen:  # an alias: its keys were recorded where it was defined
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = f"{prefix}{key_node.value}"
                out[key] = first_line + key_node.start_mark.line
                if isinstance(value_node, yaml.ScalarNode) and value_node.style in ("|", ">"):
                    out[key + TEXT_LINE] = first_line + value_node.start_mark.line + 1  # a block's text starts below `key: |`
                stack.append((value_node, key + "."))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                key = f"{prefix}{index}"
                out[key] = first_line + item.start_mark.line
                stack.append((item, key + "."))
