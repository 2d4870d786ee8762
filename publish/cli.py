"""The `publish` command line: thin wrappers around the Python API in build.py.

Exit status: 0 success, 1 content or build errors (reported as `path:line: message`),
2 usage errors (bad options, unknown chapter), 130 interrupted.
"""

from __future__ import annotations

import contextlib
import sys
import time
from pathlib import Path
from typing import Any, Callable, Iterator

import click

from . import __version__
from .errors import ContentError, Problem, PublishError, UsageError

DRAFTS_OPTION = click.option("--drafts", is_flag=True, help="Include entries with `status: draft`, marked as drafts (left out otherwise).")
CONTENT_OPTION = click.option(
    "-c", "--content", type=click.Path(path_type=Path, file_okay=False), default=None,
    help="Content folder (report.yaml, chapters, entries). Default: content/ of the nearest folder, here or above, that has content/report.yaml.",
)


class Ui:
    """Where messages go: problems and progress on stderr, results on stdout; -q/-v set how much."""

    def __init__(self, verbosity: int = 1) -> None:
        from rich.console import Console

        self.verbosity = verbosity
        # soft_wrap: never wrap a path:line message; rich honours NO_COLOR and non-terminals itself.
        self.err = Console(stderr=True, highlight=False, soft_wrap=True)

    def note(self, text: str, style: str | None = None) -> None:
        """An informational line on stderr, unless quiet."""
        if self.verbosity > 0:
            self.err.print(text, style=style, markup=False)

    def problems(self, problems: list[Problem]) -> None:
        """Print problems as `path:line: message`, errors in red, warnings in yellow."""
        for problem in problems:
            self.err.print(problem.format(), markup=False, style="red" if problem.severity == "error" else "yellow")

    def error(self, error: PublishError) -> None:
        """Print a user error without a traceback."""
        if isinstance(error, ContentError):
            self.problems(error.problems)
            self.err.print(f"{len(error.problems)} problem(s); nothing was written.", style="bold red")
        else:
            self.err.print(f"error: {error}", style="bold red", markup=False)

    @contextlib.contextmanager
    def progress(self) -> Iterator[Callable[[str], None]]:
        """A stage callback: a spinner on a terminal, plain lines otherwise, nothing when quiet."""
        start = time.perf_counter()
        if self.verbosity == 0:
            yield lambda stage: None
        elif self.err.is_terminal:
            with self.err.status("starting…") as status:
                yield lambda stage: status.update(f"{stage}… ({time.perf_counter() - start:.1f} s)")
        else:
            yield lambda stage: self.err.print(f"publish: {stage}", markup=False)

    def detail(self, text: str) -> None:
        """With -v, a line of detail on stderr."""
        if self.verbosity > 1:
            self.err.print(text, markup=False)

    def timings(self, timings: dict[str, float]) -> None:
        """With -v, where the time went."""
        if self.verbosity > 1 and timings:
            self.err.print("  ".join(f"{k} {v:.2f}s" for k, v in timings.items()), markup=False)


def verbosity_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add -q/--quiet and -v/--verbose to a command."""
    command = click.option("-v", "--verbose", is_flag=True, help="Also print stage timings and details.")(command)
    return click.option("-q", "--quiet", is_flag=True, help="Print only errors and the result.")(command)


def make_ui(quiet: bool, verbose: bool) -> Ui:
    """The Ui for the chosen verbosity; -q with -v is a usage error rather than a silent choice."""
    if quiet and verbose:
        raise UsageError("-q/--quiet and -v/--verbose cannot be combined")
    return Ui(0 if quiet else 2 if verbose else 1)


def _checked_output(output: Path | None, suffix: str) -> Path | None:
    """*output* if it ends in *suffix*: a PDF named `.html` would open in the wrong program."""
    if output is not None and output.suffix.lower() != suffix:
        raise UsageError(f"-o/--output must end in '{suffix}', not '{output.suffix or output.name}'")
    return output


class PublishGroup(click.Group):
    """Turns PublishError into a clean message and its exit status; Ctrl-C exits quietly."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command, reporting user errors without a traceback."""
        try:
            return super().invoke(ctx)
        except PublishError as error:
            Ui().error(error)
            sys.exit(error.exit_code)
        except KeyboardInterrupt:
            sys.exit(130)


@click.group(cls=PublishGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="publish")
def main() -> None:
    """Build the research report in content/ into a print-grade PDF.

    \b
    Exit status: 0 success, 1 content or build errors, 2 usage errors.
    Set NO_COLOR=1 to turn colours off.
    """


def _report_build(ui: Ui, result: Any) -> None:
    """Withdrawn entries, warnings and timings of a finished build."""
    for entry in result.withdrawn:
        ui.note(f"left out ({entry.status}): {entry.path}", style="yellow")
    for warning in result.warnings:
        ui.note(f"warning: {warning}", style="yellow")
    ui.timings(result.timings)


@main.command()
@CONTENT_OPTION
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="PDF to write (default: build/<slug>-<year>[-<edition>].pdf).")
@click.option("--edition", type=click.Choice(["report", "handout"]), default="report", show_default=True,
              help="report: the full report (the email copy); handout: the sponsor's printed digest with QR codes.")
@click.option("--booklet", is_flag=True, help="Impose the handout as an A5 booklet on A4 landscape sheets (print double-sided, flip on short edge, fold).")
@click.option("--archive", is_flag=True, help="Write PDF/A-3a + PDF/UA-1 (tagged) with full metadata and the sources attached, for archiving.")
@click.option("--print-ready", is_flag=True, help="Write PDF/X-4 for a print shop: A4 trim, 3 mm bleed, crop marks (still tagged).")
@click.option("--max-size", metavar="SIZE", help="Fail, writing nothing, if the PDF exceeds SIZE (e.g. 2MB, 500K; K=1024).")
@click.option("--emit-html", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE",
              help="Also write the paged HTML given to WeasyPrint, linking the stylesheets: `weasyprint FILE out.pdf` renders the same document.")
@click.option("--fetch-remote", is_flag=True, help="Fetch remote images (5 s each, 10 MB, cached in build/cache) instead of drawing placeholders.")
@DRAFTS_OPTION
@click.option("--allow-placeholders", is_flag=True, help="Print the handout even if a tl;dr is still the placeholder from `publish new` (a proof copy).")
@click.option("--strict", is_flag=True, help="Treat warnings (e.g. characters no vendored font has) as errors: exit 1, nothing written.")
@verbosity_options
def pdf(content: Path | None, output: Path | None, edition: str, booklet: bool, archive: bool, print_ready: bool, max_size: str | None,
        emit_html: Path | None, fetch_remote: bool, drafts: bool, allow_placeholders: bool, strict: bool, quiet: bool, verbose: bool) -> None:
    """Build the PDF.

    \b
    Examples:
      publish pdf
      publish pdf -c content -o build/report.pdf --max-size 2MB
      publish pdf --edition handout --booklet
      publish pdf --archive
      publish pdf --fetch-remote
    """
    from .build import build_pdf, parse_size

    try:
        budget = parse_size(max_size) if max_size is not None else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--max-size") from exc
    output = _checked_output(output, ".pdf")
    ui = make_ui(quiet, verbose)
    with ui.progress() as progress:
        result = build_pdf(
            content, output, progress=progress, edition=edition, max_size=budget, booklet=booklet, archive=archive, emit_html=emit_html,
            fetch_remote=fetch_remote, drafts=drafts, allow_placeholders=allow_placeholders, strict=strict, print_ready=print_ready,
        )
    _report_build(ui, result)
    click.echo(f"{result.output} ({result.pages} pages, {result.size / 1024:,.0f} KB)")


@main.command()
@CONTENT_OPTION
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="HTML file to write (default: build/<slug>-<year>.html).")
@DRAFTS_OPTION
@verbosity_options
def html(content: Path | None, output: Path | None, drafts: bool, quiet: bool, verbose: bool) -> None:
    """Build the report as one self-contained HTML page for browsers.

    Details blocks become collapsible, fonts are embedded (subset to the page's characters) and
    local images are inlined, so the file can be shared on its own.

    \b
    Examples:
      publish html
      publish html -o build/report.html
    """
    from .build import build_html

    output = _checked_output(output, ".html")
    ui = make_ui(quiet, verbose)
    result = build_html(content, output, drafts=drafts)
    _report_build(ui, result)
    click.echo(f"{result.output} ({result.size / 1024:,.0f} KB)")


@main.command()
@CONTENT_OPTION
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--max-entry-chars", type=int, default=6000, show_default=True, help="Length budget of one entry.")
@click.option("--max-tldr-chars", type=int, default=500, show_default=True, help="Length budget of a tl;dr.")
@verbosity_options
def check(content: Path | None, strict: bool, max_entry_chars: int, max_tldr_chars: int, quiet: bool, verbose: bool) -> None:
    """Check the content without building: errors, missing glyphs, dead links, unused images, length.

    \b
    Examples:
      publish check
      publish check --strict
    """
    from .build import check_content

    ui = make_ui(quiet, verbose)
    problems = check_content(content, max_entry_chars, max_tldr_chars, details=ui.detail)
    ui.problems(problems)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    click.echo(f"{errors} error(s), {warnings} warning(s)")
    if errors or (strict and warnings):
        sys.exit(1)


@main.command()
@click.argument("title")
@click.option("--chapter", required=True, help="Chapter folder name, or its number (1 = first numbered chapter).")
@click.option("--url", default=None, help="The paper's URL (default: a placeholder that `publish check` reports until replaced).")
@click.option("--venue", default=None, help="Where it was published, e.g. 'NeurIPS 2023'.")
@CONTENT_OPTION
def new(title: str, chapter: str, url: str | None, venue: str | None, content: Path | None) -> None:
    """Create a new entry file from a template and print its path.

    \b
    Examples:
      publish new "Tree of Thoughts" --chapter 6 --url https://arxiv.org/abs/2305.10601 --venue "NeurIPS 2023"
      publish new "Some Paper" --chapter foundations
    """
    from .author.scaffold import new_entry
    from .project import find_project

    path, note = new_entry(find_project(content).content, title, chapter, url, venue)
    if note:
        Ui().note(note, style="yellow")
    click.echo(str(path))


@main.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False), default=Path("."))
def init(folder: Path) -> None:
    """Start a new report in FOLDER (default: here), which must be empty or new.

    Writes content/report.yaml (commented), one chapter with an example entry showing every
    field, a footnote, a figure and the details part, and a .gitignore for build/.

    \b
    Examples:
      publish init my-report
      publish init
    """
    from .author.starter import NEXT_STEPS, create_project

    create_project(folder)
    steps = ([f"cd {folder}"] if folder.resolve() != Path.cwd().resolve() else []) + list(NEXT_STEPS)
    click.echo(f"created a report in {folder}; next:\n" + "\n".join(f"  {step}" for step in steps))


@main.command(name="import")
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("-o", "--output", type=click.Path(path_type=Path, file_okay=False), default=Path("content"), show_default=True, help="Content folder to create.")
@click.option("--force", is_flag=True, help="Replace an existing, non-empty content folder.")
@verbosity_options
def import_(source: Path, output: Path, force: bool, quiet: bool, verbose: bool) -> None:
    """Import a Notion → Jekyll Markdown export into a content folder.

    Writes report.yaml, one folder per chapter and one file per entry, then prints a summary.
    Never overwrites existing content without --force; on any error nothing is written.

    \b
    Examples:
      publish import export.md
      publish import export.md -o content --force
    """
    from .importer import import_export

    ui = make_ui(quiet, verbose)
    started = time.perf_counter()
    summary = import_export(source, output, force=force)
    head, *warnings = summary.lines()
    for line in warnings:
        ui.note(line, style="yellow")
    for path in sorted(p for p in output.rglob("*") if p.is_file()):
        ui.detail(f"wrote {path}")
    ui.detail(f"import {time.perf_counter() - started:.2f}s")
    click.echo(head)


@main.command()
@CONTENT_OPTION
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="PDF to keep up to date.")
@click.option("--html/--no-html", "with_html", default=True, show_default=True, help="Also refresh the HTML preview.")
@DRAFTS_OPTION
@verbosity_options
def watch(content: Path | None, output: Path | None, with_html: bool, drafts: bool, quiet: bool, verbose: bool) -> None:
    """Rebuild the PDF (and the HTML preview) on every saved change; Ctrl-C stops (exit 130).

    No save is lost, not even one made during a build. A broken edit prints its errors and keeps
    the last good PDF. `publish preview` also shows the page in a browser, updated live.

    \b
    Examples:
      publish watch
      publish watch -o build/draft.pdf --no-html
    """
    from .author.watch import watch as run_watch, watched_paths
    from .build import build_html, build_pdf
    from .project import find_project

    output = _checked_output(output, ".pdf")
    ui = make_ui(quiet, verbose)

    def build() -> Any:
        result = build_pdf(content, output, drafts=drafts)
        if with_html:
            build_html(content, (output or result.output).with_suffix(".html"), drafts=drafts)
        return result

    def done(result: Any) -> None:
        _report_build(ui, result)
        click.echo(f"{time.strftime('%H:%M:%S')} {result.output} ({result.pages} pages, {result.size / 1024:,.0f} KB)")

    project = find_project(content)
    ui.note(f"watching {project.content} (Ctrl-C to stop)")
    run_watch(watched_paths(project.content, project.root), build, done, ui.error, on_wait=lambda gone: ui.note(f"{gone[0]} is gone; waiting for it", style="yellow"))


@main.command()
@CONTENT_OPTION
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="PDF to keep up to date (the HTML goes beside it).")
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True, help="Port on 127.0.0.1; 0 picks a free one.")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the default browser.")
@DRAFTS_OPTION
@verbosity_options
def preview(content: Path | None, output: Path | None, port: int, open_browser: bool, drafts: bool, quiet: bool, verbose: bool) -> None:
    """Serve the HTML version on 127.0.0.1 and reload it in the browser after every saved change.

    The PDF is rebuilt and served too. A broken edit shows its errors over the last good page.

    \b
    Examples:
      publish preview
      publish preview --port 8000 --open
    """
    import webbrowser

    from .author.preview import PreviewServer
    from .author.watch import watch as run_watch, watched_paths
    from .build import build_html, build_pdf
    from .project import find_project

    output = _checked_output(output, ".pdf")
    ui = make_ui(quiet, verbose)
    try:
        server = PreviewServer(port).start()
    except OSError as exc:
        raise UsageError(f"cannot serve on 127.0.0.1:{port}: {exc.strerror or exc}") from exc

    def build() -> Any:
        # The page first, so that the browser updates while the PDF is laid out.
        page = build_html(content, output.with_suffix(".html") if output else None, drafts=drafts)
        server.succeeded(page.output)
        return build_pdf(content, output, drafts=drafts)

    def done(result: Any) -> None:
        server.serve_pdf(result.output)
        _report_build(ui, result)
        click.echo(f"{time.strftime('%H:%M:%S')} {result.output} ({result.pages} pages, {result.size / 1024:,.0f} KB), served at {server.pdf_url}")

    def failed(error: PublishError) -> None:
        ui.error(error)
        server.failed([p.format() for p in error.problems] if isinstance(error, ContentError) else [f"error: {error}"])

    project = find_project(content)
    click.echo(f"serving {server.url}", nl=True)
    ui.note(f"watching {project.content}; the page reloads after each good build (Ctrl-C to stop)")
    if open_browser:
        webbrowser.open(server.url)
    try:
        run_watch(watched_paths(project.content, project.root), build, done, failed)
    finally:
        server.close()


if __name__ == "__main__":  # pragma: no cover
    main()
