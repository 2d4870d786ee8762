"""The PDF/A-3a (and PDF/UA-1) archive copy, with its sources embedded.

Every test builds real PDFs and reads them back with pypdf, qpdf and an independent PDF/A checker.
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import copy_sample
from pdfcheck import fonts
from pypdf import PdfReader

from publish import build_pdf


@pytest.fixture(scope="session")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample report's archive copy."""
    work = tmp_path_factory.mktemp("archive")
    return build_pdf(copy_sample(work), work / "archive.pdf", archive=True).output


# page-validation findings that are not defects of the file, and why.
def _explained(finding: object, pdf: bytes) -> bool:
    """True for a stream whose data ends in CR before the LF that ends it: /Length is right.

    pydyf writes `stream LF data LF endstream`. When compressed data happens to end in byte 0x0D,
    the checker reads CR LF as the end-of-line and expects /Length one shorter; the zlib stream
    does end exactly at /Length bytes, which is what is checked here. publish.editions.archive avoids this
    for text streams; a font or image stream (1 in 256) can still end so.
    """
    if finding.rule_id not in ("PDFA3B-STREAM-LENGTH-001", "PDFA3A-STREAM-LENGTH-001") or finding.object_id is None:
        return False
    number = finding.object_id.object_number
    match = re.search(rb"\n%d 0 obj\s*<<.*?/Length (\d+).*?>>\s*stream\n" % number, pdf, re.S)
    if not match:
        return False
    start, length = match.end(), int(match.group(1))
    return pdf[start + length - 1:start + length + 10] == b"\r\nendstream"


def test_archive_passes_pdfa3a_and_pdfua1_checkers_and_qpdf(archive: Path) -> None:
    import page

    data = archive.read_bytes()
    for profile in (page.ValidationProfile.PDF_A_3A, page.ValidationProfile.PDF_UA_1):
        report = page.validate_pdf(str(archive), profile=profile)
        unexplained = [f"{f.rule_id}: {f.message}" for f in report.failures if not _explained(f, data)]
        assert unexplained == [], profile
    check = subprocess.run(["qpdf", "--check", str(archive)], check=False, capture_output=True, text=True)
    assert check.returncode == 0 and "WARNING" not in check.stdout + check.stderr, check.stdout + check.stderr


def test_archive_metadata_output_intent_and_fonts(archive: Path) -> None:
    reader = PdfReader(archive)
    root = reader.trailer["/Root"]
    assert reader.pdf_header == "%PDF-1.7"
    intent = root["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFA1" and "sRGB" in intent["/OutputConditionIdentifier"]
    xmp = root["/Metadata"].get_object()
    assert xmp["/Type"] == "/Metadata" and xmp["/Subtype"] == "/XML" and "/Filter" not in xmp
    text = xmp.get_data().decode("utf-8")
    for expected in ("<pdfaid:part>3</pdfaid:part>", "<pdfaid:conformance>A</pdfaid:conformance>",
                     "<pdfuaid:part>1</pdfuaid:part>", "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>",
                     ">표본 보고서 Sample Report</rdf:li>", "<rdf:li>홍길동</rdf:li>", "<dc:language><rdf:Bag><rdf:li>ko</rdf:li>",
                     "is licensed under CC BY-NC-SA 4.0", "<xmpRights:Marked>True</xmpRights:Marked>",
                     "<xmpRights:WebStatement>https://creativecommons.org/licenses/by-nc-sa/4.0/</xmpRights:WebStatement>",
                     "<xmp:CreateDate>2024-03-05T00:00:00+00:00</xmp:CreateDate>", "<xmpMM:DocumentID>uuid:"):
        assert expected in text, expected
    assert reader.page_labels[:4] == ["i", "ii", "iii", "1"]
    assert "/StructTreeRoot" in root and bool(root["/MarkInfo"]["/Marked"])
    rows = fonts(archive)
    assert rows and all(row["emb"] == "yes" for row in rows)


def test_archive_embeds_sources_as_a_reproducible_zip(archive: Path) -> None:
    reader = PdfReader(archive)
    root = reader.trailer["/Root"]
    (filespec,) = [ref.get_object() for ref in root["/AF"]]
    assert filespec["/AFRelationship"] == "/Source" and filespec["/UF"] == "sample-report-2024-source.zip"
    params = filespec["/EF"]["/F"].get_object()["/Params"]
    assert params["/CreationDate"] == params["/ModDate"] == "D:20240305000000Z"
    assert filespec["/EF"]["/F"].get_object()["/Subtype"] == "/application/zip"
    with zipfile.ZipFile(io.BytesIO(reader.attachments["sample-report-2024-source.zip"][0])) as sources:
        names = sources.namelist()
        assert names == sorted(names) and "content/report.yaml" in names and "content/methods/images/chart.png" in names
        assert {info.date_time for info in sources.infolist()} == {(2024, 3, 5, 0, 0, 0)}


def test_archive_rebuilds_itself_byte_for_byte(archive: Path, tmp_path: Path) -> None:
    (data,) = PdfReader(archive).attachments["sample-report-2024-source.zip"]
    zipfile.ZipFile(io.BytesIO(data)).extractall(tmp_path)
    rebuilt = build_pdf(tmp_path / "content", tmp_path / "rebuilt.pdf", archive=True).output
    assert rebuilt.read_bytes() == archive.read_bytes()


def test_archive_leaves_out_hidden_files_and_links_outside(tmp_path: Path) -> None:
    from publish.editions.archive import source_files

    content = copy_sample(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the archive")
    (content / "leak.txt").symlink_to(secret)
    (content / ".DS_Store").write_bytes(b"x")
    names = [p.name for p in source_files(content)]
    assert "leak.txt" not in names and ".DS_Store" not in names and "report.yaml" in names
