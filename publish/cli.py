"""The `publish` command line: thin wrappers around the Python API."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .errors import ContentError, PublishError

CONTENT_OPTION = click.option(
    "-c", "--content", type=click.Path(path_type=Path, file_okay=False), default=Path("content"),
    show_default=True, help="Content folder (report.yaml, chapters, entries).",
)


def _console(stderr: bool = False):  # noqa: ANN202 (rich is imported lazily)
    """A rich console; colours follow NO_COLOR and whether the stream is a terminal."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)  # never wrap path:line messages


def report_error(error: PublishError) -> None:
    """Print a user error without a traceback."""
    console = _console(stderr=True)
    if isinstance(error, ContentError):
        for problem in error.problems:
            console.print(problem.format(), markup=False, style="red" if problem.severity == "error" else "yellow")
        console.print(f"{len(error.problems)} problem(s); nothing was written.", style="bold red")
    else:
        console.print(f"error: {error}", style="bold red", markup=False)


class PublishGroup(click.Group):
    """Turns PublishError into a clean message and its exit status."""

    def invoke(self, ctx: click.Context):  # noqa: ANN201
        """Run the command, reporting user errors without a traceback."""
        try:
            return super().invoke(ctx)
        except PublishError as error:
            report_error(error)
            sys.exit(error.exit_code)


@click.group(cls=PublishGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="publish")
def main() -> None:
    """Build the research report in content/ into a print-grade PDF."""


@main.command()
@CONTENT_OPTION
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="PDF to write (default: build/<slug>-<year>.pdf).")
def pdf(content: Path, output: Path | None) -> None:
    """Build the PDF.

    \b
    Examples:
      publish pdf
      publish pdf -c content -o build/report.pdf
    """
    from .build import build_pdf

    console = _console(stderr=True)
    with console.status("building…") as status:
        result = build_pdf(content, output, progress=lambda stage: status.update(f"{stage}…"))
    for entry in result.withdrawn:
        console.print(f"left out (withdrawn): {entry.path}", markup=False, style="yellow")
    for warning in result.warnings:
        console.print(f"warning: {warning}", markup=False, style="yellow")
    size_kb = result.size / 1024
    click.echo(f"{result.output} ({result.pages} pages, {size_kb:,.0f} KB)")


if __name__ == "__main__":  # pragma: no cover
    main()
