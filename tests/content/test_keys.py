"""report.yaml and front matter keys: written twice is an error; the theme settings are validated."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import MINIMAL_REPORT, entry

from publish.cli import main
from publish.content.loader import load_report
from publish.content.model import Theme


def messages(content: Path) -> list[str]:
    """Every problem as `file:line: message`, the file by name."""
    _, problems = load_report(content)
    return [f"{p.path.name}:{p.line}: {p.message}" for p in problems]


def test_a_key_written_twice_is_an_error_at_its_second_line(project, tmp_path: Path) -> None:
    report = MINIMAL_REPORT.replace("date: 2024-01-15\n", "date: 2024-01-15\ntitle: 또 다른 제목\n")
    content = project({"one/01-p.md": entry(venue="NeurIPS 2023\nnote: x\nvenue: ICML 2023")}, report=report)
    assert messages(content) == [
        "report.yaml:5: 'title' is given twice (first on line 1); keep one",
        "01-p.md:7: 'venue' is given twice (first on line 5); keep one",
    ]
    for command in ("check", "pdf"):
        result = CliRunner().invoke(main, [command, "-c", str(content)])
        assert result.exit_code == 1 and "01-p.md:7: 'venue' is given twice" in result.stderr
    assert not (tmp_path / "build").exists()


def test_nested_duplicates_and_same_keys_in_different_mappings(project) -> None:
    report = MINIMAL_REPORT.replace("  id: CC-BY-4.0\n", "  id: CC-BY-4.0\n  year: 2024\n  id: CC0-1.0\n")
    content = project({"one/01-p.md": entry(figures="\n  - src: https://example.org/a.png\n    caption: a\n  - src: https://example.org/b.png\n    caption: b")}, report=report)
    assert messages(content) == ["report.yaml:8: 'id' is given twice (first on line 6); keep one"]


THEMES = {
    "paper: letter\n  body: SANS\n  font_size: 10.5pt\n  accent: '#B03020'": [],
    "paper: A5": ["paper must be one of A4, Letter, B5, not 'A5'"],
    "paper: Leter": ["paper must be one of A4, Letter, B5, not 'Leter' (did you mean 'Letter'?)"],
    "papr: A4": ["unknown field 'papr' in 'theme' (did you mean 'paper'?)"],
    "body: san": ["body must be serif or sans, not 'san' (did you mean 'sans'?)"],
    "accent: #1d4e89": ["accent is empty: YAML reads a colour's # as the start of a comment; quote it, as in accent: \"#1d4e89\""],
    "accent: blue": ["accent must be a colour written #rrggbb or #rgb (quote it: \"#1d4e89\"), not 'blue'"],
    "font_size: 30pt": ["font_size must be a size in points from 8pt to 14pt, like 10.5pt, not '30pt'"],
}


@pytest.mark.parametrize("settings", THEMES)
def test_theme_settings_are_validated_with_did_you_mean(project, settings: str) -> None:
    content = project(report=MINIMAL_REPORT + f"theme:\n  {settings}\n")
    assert [m.split(": ", 1)[1] for m in messages(content)] == THEMES[settings]
    assert all(m.startswith("report.yaml:10: ") for m in messages(content))


def test_theme_values_are_normalised(project) -> None:
    content = project(report=MINIMAL_REPORT + "theme:\n  paper: letter\n  body: SANS\n  font_size: 10.5\n  accent: '#B03020'\n")
    report, _ = load_report(content)
    assert report is not None and report.theme == Theme("Letter", 10.5, "#B03020", "sans")
    plain, _ = load_report(project())
    assert plain is not None and plain.theme is None
