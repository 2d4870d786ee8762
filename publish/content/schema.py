"""Declarative field checks for front matter and report.yaml: types, required, unknown keys."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from typing import Any, Callable

from ..errors import Problem
from .reader import SourceFile


@dataclass(frozen=True)
class Field:
    """One allowed key: how to read its value and whether it must be there."""

    kind: str
    """One of: text, bool, date, list, mapping, text-list."""
    required: bool = False


def _as_text(value: Any) -> str | None:
    """Scalars that YAML may type as numbers or dates are still valid text."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (str, int, float, dt.date)):
        return str(value)
    return None


def _as_date(value: Any) -> dt.date | None:
    """A YAML date, or a YYYY-MM-DD string."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _as_text_list(value: Any) -> list[str] | None:
    """A list of scalars, or a single comma-separated string."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list):
        items = [_as_text(item) for item in value]
        return None if any(item is None for item in items) else items  # type: ignore[return-value]
    return None


_READERS: dict[str, tuple[Callable[[Any], Any], str]] = {
    "text": (_as_text, "text"),
    "bool": (lambda v: v if isinstance(v, bool) else None, "true or false"),
    "date": (_as_date, "a date written YYYY-MM-DD"),
    "list": (lambda v: v if isinstance(v, list) else None, "a list"),
    "mapping": (lambda v: v if isinstance(v, dict) else None, "a mapping of fields"),
    "text-list": (_as_text_list, "a list of text"),
}


def _describe(value: Any) -> str:
    """Name a YAML value's type the way an author would."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty"
    return f"'{value}'"


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """A ` (did you mean 'x'?)` hint, or nothing."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def check_fields(
    source: SourceFile, data: dict[str, Any], spec: dict[str, Field], prefix: str, problems: list[Problem]
) -> dict[str, Any]:
    """Read *data* against *spec*; report missing, unknown and mistyped keys; return the valid values."""
    values: dict[str, Any] = {}
    where = f" in '{prefix.rstrip('.')}'" if prefix else ""
    for key in data:
        if key not in spec:
            hint = did_you_mean(str(key), tuple(spec))
            message = f"unknown field '{key}'{where}{hint}"
            problems.append(Problem(source.path, source.line_of(f"{prefix}{key}"), message))
    for key, field in spec.items():
        line = source.line_of(f"{prefix}{key}")
        raw = data.get(key)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if field.required:
                problems.append(Problem(source.path, line, f"missing required field '{key}'{where}"))
            values[key] = None
            continue
        reader, expected = _READERS[field.kind]
        value = reader(raw)
        if value is None:
            problems.append(Problem(source.path, line, f"field '{key}' must be {expected}, not {_describe(raw)}"))
        values[key] = value
    return values
