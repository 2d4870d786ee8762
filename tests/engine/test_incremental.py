"""Chapter-by-chapter layout, replayed drawing and the layout worker: the same PDF, rebuilt fast."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE, pages_text, pdftotext
from pypdf import PdfReader


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """A writable copy of the sample content."""
    return Path(shutil.copytree(SAMPLE, tmp_path / "content"))


@pytest.fixture
def text_only_copy(sample_copy: Path) -> Path:
    """The sample without its local images: pages with images are drawn by the process that laid them out."""
    alpha = sample_copy / "methods" / "01-alpha-paper.md"
    figure = "  - src: images/chart.png\n    caption: 로컬 그림 캡션\n"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace(figure, ""), encoding="utf-8")
    delta = sample_copy / "others" / "01-delta.md"
    delta.write_text(delta.read_text(encoding="utf-8").replace("![본문 그림](images/chart.png)", ""), encoding="utf-8")
    return sample_copy


def printed_numbers(pdf: Path) -> list[str]:
    """The last word of each page: the page number in the footer, where there is one."""
    return [page.split()[-1] if page else "" for page in pages_text(pdf)]


def stats() -> dict[str, int]:
    """How many parts builds in this process laid out, reused or got from the worker."""
    from publish.engine import split

    return dict(split._CACHE.stats)


def serial_then_worker(content: Path, out: Path, fresh: object, monkeypatch: pytest.MonkeyPatch) -> bytes:
    """Build with the worker off, reset process state, then enable the worker for the next build."""
    from publish import build_pdf
    from publish.engine import parallel

    monkeypatch.setenv("PUBLISH_WORKERS", "1")
    serial = build_pdf(content, out).output.read_bytes()
    fresh()  # type: ignore[operator]
    monkeypatch.delenv("PUBLISH_WORKERS")
    monkeypatch.setattr(parallel, "MIN_WORK", 0)
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    return serial


def test_printed_numbers_equal_page_labels(sample_pdf: Path) -> None:
    labels = PdfReader(sample_pdf).page_labels
    printed = printed_numbers(sample_pdf)
    assert printed[1:] == labels[1:]  # the cover has no number


def test_same_text_as_the_engine_on_the_whole_document(tmp_path: Path, sample_copy: Path) -> None:
    """Laid out in parts, the report reads exactly as WeasyPrint's own rendering of the one document.

    WeasyPrint runs with publish's two layout adjustments (engine/fragments.py, engine/justify.py),
    which move lines and letters, not text: without them only the spacing -layout reads differs.
    """
    ours, html, engine_pdf = tmp_path / "ours.pdf", tmp_path / "report.html", tmp_path / "engine.pdf"
    subprocess.run([sys.executable, "-m", "publish", "pdf", "-q", "-c", str(sample_copy), "-o", str(ours),
                    "--emit-html", str(html)], cwd=ROOT, check=True, capture_output=True)
    assert '<link rel="stylesheet" href="' in html.read_text(encoding="utf-8")
    weasyprint = ("from publish.engine import fragments, justify; fragments.install(); justify.install(); "
                  "from weasyprint.__main__ import main; main()")
    subprocess.run([sys.executable, "-c", weasyprint, str(html), str(engine_pdf)], cwd=tmp_path, check=True,
                   capture_output=True)
    assert pdftotext(ours, "-layout") == pdftotext(engine_pdf, "-layout")


def test_rebuild_after_an_edit_is_byte_identical_to_a_cold_build(tmp_path: Path, sample_copy: Path, fresh_process_state) -> None:
    from publish import build_pdf

    build_pdf(sample_copy, tmp_path / "first.pdf")
    before = stats()
    entry = next(sample_copy.glob("methods/*beta*.md"))
    entry.write_text(entry.read_text(encoding="utf-8") + "\n고친 문장이 하나 더 있습니다.\n", encoding="utf-8")
    warm = build_pdf(sample_copy, tmp_path / "warm.pdf").output.read_bytes()
    after = stats()
    assert after["laid_out"] - before["laid_out"] == 1  # only the edited chapter
    fresh_process_state()
    cold = build_pdf(sample_copy, tmp_path / "cold.pdf").output.read_bytes()
    assert warm == cold
    assert "고친 문장이 하나 더 있습니다." in re.sub(r"\s+", " ", pdftotext(tmp_path / "warm.pdf"))


def test_replayed_drawing_is_byte_identical_to_drawing_afresh(
    tmp_path: Path, sample_copy: Path, fresh_process_state, monkeypatch,
) -> None:
    """The core promise of replay.py, on pages with text, boxes, footnotes and images."""
    from publish import build_pdf
    from publish.engine import replay

    monkeypatch.setenv("PUBLISH_WORKERS", "1")
    replayed = build_pdf(sample_copy, tmp_path / "replayed.pdf").output.read_bytes()
    fresh_process_state()
    monkeypatch.setattr(replay.Recorder, "record", lambda self, page, context: None)  # every page drawn by WeasyPrint
    assert build_pdf(sample_copy, tmp_path / "fresh.pdf").output.read_bytes() == replayed


def test_unchanged_rebuild_reuses_every_part(tmp_path: Path, sample_copy: Path, fresh_process_state) -> None:
    from publish import build_pdf

    first = build_pdf(sample_copy, tmp_path / "a.pdf").output.read_bytes()
    laid_out = stats()["laid_out"]
    assert build_pdf(sample_copy, tmp_path / "b.pdf").output.read_bytes() == first
    assert stats()["laid_out"] == laid_out


def test_a_chapter_growing_a_page_leaves_later_chapters_alone(tmp_path: Path, sample_copy: Path, fresh_process_state) -> None:
    from publish import build_pdf

    first = build_pdf(sample_copy, tmp_path / "a.pdf")
    before = stats()
    intro = sample_copy / "intro" / "chapter.md"
    intro.write_text(intro.read_text(encoding="utf-8") + "\n" + "긴 문단을 덧붙여 쪽을 늘립니다. " * 400 + "\n", encoding="utf-8")
    grown = build_pdf(sample_copy, tmp_path / "b.pdf")
    assert grown.pages > first.pages
    # The intro itself, the contents (new numbers) and the page-number document may be laid out again,
    # the two other chapters are not.
    assert stats()["laid_out"] - before["laid_out"] <= 3
    labels = PdfReader(grown.output).page_labels
    assert printed_numbers(grown.output)[1:] == labels[1:]
    fresh_process_state()
    assert build_pdf(sample_copy, tmp_path / "c.pdf").output.read_bytes() == grown.output.read_bytes()


@pytest.mark.skipif(sys.platform != "linux", reason="the layout worker is forked")
def test_worker_output_is_byte_identical(tmp_path: Path, text_only_copy: Path, fresh_process_state, monkeypatch) -> None:
    from publish import build_pdf

    sample_copy = text_only_copy
    serial = serial_then_worker(sample_copy, tmp_path / "serial.pdf", fresh_process_state, monkeypatch)
    assert build_pdf(sample_copy, tmp_path / "parallel.pdf").output.read_bytes() == serial
    assert stats()["in_worker"] >= 1
    # A rebuild in the same process reuses the worker's chapters, replaying their pages.
    assert build_pdf(sample_copy, tmp_path / "again.pdf").output.read_bytes() == serial


def test_pages_with_images_are_laid_out_here(tmp_path: Path, sample_copy: Path, fresh_process_state, monkeypatch) -> None:
    from publish import build_pdf

    serial = serial_then_worker(sample_copy, tmp_path / "serial.pdf", fresh_process_state, monkeypatch)
    assert build_pdf(sample_copy, tmp_path / "parallel.pdf").output.read_bytes() == serial


@pytest.mark.skipif(sys.platform != "linux", reason="the layout worker is forked")
def test_a_failing_worker_changes_nothing(tmp_path: Path, text_only_copy: Path, fresh_process_state, monkeypatch) -> None:
    from publish import build_pdf
    from publish.engine import split

    sample_copy = text_only_copy
    serial = serial_then_worker(sample_copy, tmp_path / "serial.pdf", fresh_process_state, monkeypatch)

    def crash(*_args: object) -> None:
        raise RuntimeError("worker failed")

    monkeypatch.setattr(split, "_portable", crash)
    assert build_pdf(sample_copy, tmp_path / "parallel.pdf").output.read_bytes() == serial
    assert stats()["in_worker"] == 0


@pytest.mark.skipif(sys.platform != "linux", reason="the layout worker is forked")
def test_a_failed_build_stops_its_worker(tmp_path: Path, text_only_copy: Path, fresh_process_state, monkeypatch) -> None:
    import os

    from publish import build_pdf
    from publish.engine import parallel
    from publish.engine import pdf as engine
    from publish.errors import OutputError

    monkeypatch.setattr(parallel, "MIN_WORK", 0)
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    parent, real_layout = os.getpid(), engine.layout

    def failing(html: str, *args: object, **kwargs: object) -> object:
        if os.getpid() == parent and 'class="chapter"' in html:
            raise OutputError("layout failed here")
        return real_layout(html, *args, **kwargs)

    monkeypatch.setattr(engine, "layout", failing)
    with pytest.raises(OutputError):
        build_pdf(text_only_copy, tmp_path / "failed.pdf")
    with pytest.raises(ChildProcessError):  # the worker was stopped and reaped
        os.waitpid(-1, os.WNOHANG)


def test_cut_needs_the_report_structure() -> None:
    from publish.engine.split import cut

    assert cut("<html><body><p>no report here</p></body></html>") is None
    html = ('<html><head></head><body class="edition-report"><section class="cover"></section>'
            '<nav class="toc" id="contents"></nav><main class="body-matter">'
            '<section class="chapter" id="chapter-a">A</section><section class="chapter" id="chapter-b">B</section>'
            '</main></body></html>')
    pieces = cut(html)
    assert pieces is not None and len(pieces.chapters) == 2 and pieces.chapters[1].endswith("B</section>")


def test_tagged_structure_equals_the_whole_documents(tmp_path: Path, sample_copy: Path) -> None:
    """The split, replayed report's structure tree reads as WeasyPrint's tagging of the one document."""
    from pdfcheck import structure_texts

    from publish import build_pdf
    from publish.engine import pdf as engine
    from publish.engine import tagging

    html = tmp_path / "report.html"
    split_pdf = build_pdf(sample_copy, tmp_path / "split.pdf", emit_html=html).output
    tagging.install()
    whole = engine.layout(re.sub(r'<link rel="stylesheet"[^>]*>\n', "", html.read_text(encoding="utf-8")),
                          sample_copy.resolve(), [ROOT / "styles" / "fonts.css", ROOT / "styles" / "report.css"],
                          (sample_copy.resolve(), ROOT / "styles", ROOT / "fonts"))
    (tmp_path / "whole.pdf").write_bytes(engine.write(whole, pdf_variant="pdf/ua-1"))
    ours, reference = structure_texts(split_pdf, 100_000), structure_texts(tmp_path / "whole.pdf", 100_000)
    assert len(ours) > 50 and ours == reference
