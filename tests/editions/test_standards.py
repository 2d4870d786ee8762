"""Standards each edition meets: PDF/UA-1 (tagged), PDF/A-3a (archive, test_archive.py), PDF/X-4 (print-ready).

Every test builds real PDFs and checks them with page-validation's profiles and by reading the
structure tree back with pypdf: its text, element by element, must follow the document's order.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, copy_sample
from pdfcheck import html_reading_text, out_of_order, structure_texts, validation_failures
from pypdf import PdfReader

from publish import build_pdf
from publish.importer import import_export

EXPORT = ROOT / "tests" / "fixtures" / "import" / "neurips2023-llm-report.md"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The committed report and the HTML it was laid out from."""
    work = tmp_path_factory.mktemp("report")
    content = Path(shutil.copytree(ROOT / "content", work / "content"))
    html = work / "report.html"
    pdf = build_pdf(content, work / "report.pdf", emit_html=html).output
    return pdf, html.read_text(encoding="utf-8")


def kids(element: object) -> list:
    """An element's /K as a list."""
    value = element.get_object().get("/K")
    return value if isinstance(value, list) else [value] if value is not None else []


def elements(pdf: Path) -> list:
    """Every structure element, in tree order."""
    found = []

    def walk(element: object) -> None:
        element = element.get_object()
        if hasattr(element, "get") and "/S" in element:
            found.append(element)
        for kid in kids(element):
            if not isinstance(kid, int) and hasattr(kid.get_object(), "get") and "/S" in kid.get_object():
                walk(kid)

    walk(PdfReader(pdf).trailer["/Root"]["/StructTreeRoot"])
    return found


def test_report_passes_pdf_ua_1(report: tuple[Path, str]) -> None:
    pdf, _ = report
    assert validation_failures(pdf, "PDF_UA_1") == []
    root = PdfReader(pdf).trailer["/Root"]
    assert root["/Lang"] == "ko" and bool(root["/MarkInfo"]["/Marked"])
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])


def test_report_structure_follows_reading_order(report: tuple[Path, str]) -> None:
    pdf, html = report
    first = structure_texts(pdf, 50)
    assert len(first) == 50
    reading = html_reading_text(html)
    assert out_of_order(first, reading) == []
    # The cover comes first, in the order it is read; and so does the rest of the document.
    assert first[0][1] == "ReportsaboutRecentAdvancesinDL"
    assert out_of_order(structure_texts(pdf, 100_000), reading) == []


def test_report_structure_types(report: tuple[Path, str]) -> None:
    pdf, _ = report
    found = elements(pdf)
    types = [str(e["/S"]) for e in found]
    headings = [int(t[2]) for t in types if re.fullmatch(r"/H[1-6]", t)]
    assert headings[0] == 1 and all(b <= a + 1 for a, b in zip(headings, headings[1:], strict=False))
    assert {"/TOC", "/TOCI", "/L", "/LI", "/Lbl", "/LBody", "/Link", "/Note", "/Reference", "/Sect"} <= set(types)
    for item in (e for e in found if e["/S"] == "/LI"):
        assert {str(k.get_object()["/S"]) for k in kids(item) if not isinstance(k, int)} <= {"/Lbl", "/LBody"}
    for toc in (e for e in found if e["/S"] == "/TOC"):
        assert {str(k.get_object()["/S"]) for k in kids(toc)} <= {"/TOCI", "/TOC"}
    assert all(str(e["/ID"]).startswith("note-") for e in found if e["/S"] == "/Note")
    english = [e for e in found if e.get("/Lang") == "en"]
    assert any(e["/S"] == "/H2" for e in english)  # English paper titles in a Korean report


def test_links_sit_in_link_elements_and_describe_themselves(report: tuple[Path, str]) -> None:
    pdf, _ = report
    owners = {}
    for element in elements(pdf):
        for kid in kids(element):
            if not isinstance(kid, int) and kid.get_object().get("/Type") == "/OBJR":
                owners[kid.get_object().raw_get("/Obj").idnum] = element["/S"]
    annotations = [a for page in PdfReader(pdf).pages for a in page.get("/Annots", [])]
    assert annotations and all(owners.get(a.idnum) == "/Link" for a in annotations)
    assert all(str(a.get_object()["/Contents"]).strip() for a in annotations)


def test_running_heads_page_numbers_and_leaders_are_artifacts(report: tuple[Path, str]) -> None:
    pdf, _ = report
    reader = PdfReader(pdf)
    content = reader.pages[5].get_contents().get_data()
    assert b"/Artifact BMC" in content or b"/Artifact\nBMC" in content
    texts = [text for _, text in structure_texts(pdf, 100_000)]
    title = "NeurIPS2023Oral&Spotlight,inLLM"
    # The title is read once, on the cover; the running heads repeating it on every page are artifacts.
    assert sum(title in text for text in texts) == 1
    assert not any(re.fullmatch(r"\.{3,}", text) for text in texts)  # no leader dots


def test_figures_have_alt_text(sample_pdf: Path) -> None:
    alts = sorted(str(e["/Alt"]) for e in elements(sample_pdf) if e["/S"] == "/Figure")
    assert alts == ["로컬 그림 캡션", "본문 그림"]  # the front matter's caption, the Markdown alt text


def test_an_image_without_alt_text_is_named_by_its_file(tmp_path: Path) -> None:
    content = copy_sample(tmp_path)
    delta = content / "others" / "01-delta.md"
    delta.write_text(delta.read_text(encoding="utf-8").replace("![본문 그림]", "![]"), encoding="utf-8")
    pdf = build_pdf(content, tmp_path / "report.pdf").output
    assert "그림: chart.png" in [str(e["/Alt"]) for e in elements(pdf) if e["/S"] == "/Figure"]
    assert validation_failures(pdf, "PDF_UA_1") == []


def test_handout_passes_pdf_ua_1(tmp_path: Path) -> None:
    pdf = build_pdf(copy_sample(tmp_path), tmp_path / "handout.pdf", edition="handout").output
    assert validation_failures(pdf, "PDF_UA_1") == []
    alts = [str(e["/Alt"]) for e in elements(pdf) if e["/S"] == "/Figure"]
    assert alts and all(alt.startswith("QR: https://") for alt in alts)  # QR codes say the URL they hold


def test_booklet_passes_pdf_ua_1_in_reading_order(tmp_path: Path) -> None:
    content, html = copy_sample(tmp_path), tmp_path / "booklet.html"
    pdf = build_pdf(content, tmp_path / "booklet.pdf", edition="handout", booklet=True, emit_html=html).output
    assert validation_failures(pdf, "PDF_UA_1") == []
    texts = structure_texts(pdf, 100_000)
    # The cover (sheet 1, right half) is read first, the body (sheet 2, right half) last: the handout's order.
    assert texts[0][1] == "ReportsaboutTesting" and len(texts) > 30
    assert out_of_order(texts, html_reading_text(html.read_text(encoding="utf-8"))) == []
    owners = {kid.get_object().raw_get("/Obj").idnum: element["/S"] for element in elements(pdf) for kid in kids(element)
              if not isinstance(kid, int) and kid.get_object().get("/Type") == "/OBJR"}
    annotations = [a for page in PdfReader(pdf).pages for a in page.get("/Annots", [])]
    assert len(annotations) >= 5 and all(owners.get(a.idnum) == "/Link" for a in annotations)
    again = build_pdf(content, tmp_path / "again.pdf", edition="handout", booklet=True).output
    assert again.read_bytes() == pdf.read_bytes()


def test_imported_export_passes_pdf_ua_1_in_reading_order(tmp_path: Path) -> None:
    content = tmp_path / "content"
    import_export(EXPORT, content)
    html = tmp_path / "imported.html"
    pdf = build_pdf(content, tmp_path / "imported.pdf", emit_html=html).output
    assert validation_failures(pdf, "PDF_UA_1") == []
    assert out_of_order(structure_texts(pdf, 50), html_reading_text(html.read_text(encoding="utf-8"))) == []


def test_print_ready_handout_is_pdf_x4_with_bleed(tmp_path: Path) -> None:
    content = copy_sample(tmp_path)
    pdf = build_pdf(content, tmp_path / "print.pdf", edition="handout", print_ready=True).output
    reader = PdfReader(pdf)
    for page in reader.pages:
        trim, bleed = [float(x) for x in page.trimbox], [float(x) for x in page.bleedbox]
        assert trim[2] - trim[0] == pytest.approx(595.28, abs=0.01) and trim[3] - trim[1] == pytest.approx(841.89, abs=0.01)
        three_mm = 3 / 25.4 * 72
        assert trim[0] - bleed[0] >= three_mm - 0.01 and trim[1] - bleed[1] >= three_mm - 0.01
        assert bleed[2] - trim[2] >= three_mm - 0.01 and bleed[3] - trim[3] >= three_mm - 0.01
    root = reader.trailer["/Root"]
    assert root["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFX"
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in xmp and "<pdfuaid:part>1</pdfuaid:part>" in xmp
    assert validation_failures(pdf, "PDF_UA_1") == []  # still tagged
    again = build_pdf(content, tmp_path / "again.pdf", edition="handout", print_ready=True).output
    assert again.read_bytes() == pdf.read_bytes()  # no random document ID, no clock time


def test_print_ready_refuses_booklet_and_archive(tmp_path: Path) -> None:
    from publish.errors import UsageError

    content = copy_sample(tmp_path)
    with pytest.raises(UsageError):
        build_pdf(content, tmp_path / "x.pdf", edition="handout", booklet=True, print_ready=True)
    with pytest.raises(UsageError):
        build_pdf(content, tmp_path / "y.pdf", archive=True, print_ready=True)


def test_html_version_marks_languages_landmarks_and_alt_text(tmp_path: Path) -> None:
    from html.parser import HTMLParser

    from publish.build import build_html

    page = build_html(copy_sample(tmp_path), tmp_path / "report.html").output.read_text(encoding="utf-8")

    class Collect(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: list[tuple[str, dict[str, str | None]]] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.tags.append((tag, dict(attrs)))

    parser = Collect()
    parser.feed(page)
    names = [tag for tag, _ in parser.tags]
    assert dict(parser.tags[names.index("html")][1])["lang"] == "ko"
    assert {"header", "nav", "main", "footer"} <= set(names)
    assert all(attrs.get("alt") for tag, attrs in parser.tags if tag == "img")
    titles = [attrs for tag, attrs in parser.tags if tag == "h2" and "entry-title" in (attrs.get("class") or "")]
    assert titles and all(attrs.get("lang") == "en" for attrs in titles)  # the sample's titles are English


def test_print_ready_from_the_command_line(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from publish.cli import main

    content = copy_sample(tmp_path)
    written = tmp_path / "handout-print.pdf"
    result = CliRunner().invoke(main, ["pdf", "-q", "-c", str(content), "-o", str(written), "--edition", "handout", "--print-ready"])
    assert result.exit_code == 0, result.output
    assert written.is_file() and "GTS_PDFX" in str(PdfReader(written).trailer["/Root"]["/OutputIntents"][0].get_object()["/S"])


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed (see apt-packages.txt)")
@pytest.mark.parametrize("source", ["content", "tests/fixtures/sample"])
def test_html_version_has_no_serious_axe_violations(tmp_path: Path, source: str) -> None:
    """axe-core (the engine behind Lighthouse's accessibility audit) in Chromium, wide and narrow."""
    import axe_playwright_python
    from playwright.sync_api import sync_playwright

    from publish.build import build_html

    page_file = build_html(ROOT / source, tmp_path / "report.html").output
    axe = Path(axe_playwright_python.__file__).with_name("axe.min.js").read_text(encoding="utf-8")
    found = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
        for width in (1200, 400):
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(page_file.as_uri())
            page.add_script_tag(content=axe)
            result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
            found += [(width, v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]
                      if v["impact"] in ("serious", "critical")]
            page.close()
        browser.close()
    assert found == []
