"""Compacted content streams: the same drawing, in fewer bytes."""

from __future__ import annotations

import io
import re
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from conftest import SAMPLE, pdftotext
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from publish.engine import compact as compaction
from publish.engine.compact import compact
from publish.engine.fontdata import (
    shared_to_unicode,
    sorted_to_unicode,
    to_unicode_pairs,
)


def test_text_arrays_lose_empty_strings_and_zero_adjustments():
    """WeasyPrint's per-glyph pairs become one string; justification adjustments stay, rounded."""
    content = (b"BT\n1 0 0 -1 99.267717 258.940137 Tm\n/F1 12 Tf\n"
               b"[<200d>0<>0.0<03f1>0<>-40.916666666666664<0001>-39] TJ\n[<>0.0] TJ\nET")
    assert compact(content) == (b"BT\n1 0 0 -1 99.27 258.94 Tm\n/F1 12 Tf\n"
                                b"[<200d03f1>-40.92<0001>-39] TJ\nET")


def test_a_text_line_below_another_moves_relative_to_it():
    """A second Tm with the same orientation in one text object becomes a Td: equal line spacing repeats."""
    content = (b"BT\n1 0 0 -1 99.267717 258.940137 Tm\n[<01>] TJ\n1 0 0 -1 99.267717 278.145996 Tm\n[<02>] TJ\n"
               b"1 0 0 -1 120 297.351855 Tm\nET\nBT\n1 0 0 -1 5 5 Tm\nET")
    assert compact(content).split(b"\n") == [
        b"BT", b"1 0 0 -1 99.27 258.94 Tm", b"[<01>] TJ", b"0 -19.21 Td", b"[<02>] TJ", b"20.73 -19.2 Td",
        b"ET", b"BT", b"1 0 0 -1 5 5 Tm", b"ET",  # a new text object starts from its own Tm
    ]


def test_adjustments_that_round_to_zero_join_their_strings():
    """A sliver below a hundredth of a thousandth of an em is dropped, and the strings around it join."""
    assert compact(b"[<0001>0.0004<0002>12.5<0003>] TJ") == b"[<00010002>12.5<0003>] TJ"


def test_coordinates_keep_the_precision_the_transformation_needs():
    """At CSS-pixel scale two decimals are within 0.005 pt; magnified 100 times, four are needed."""
    content = (b"q\n0.75 0 0 0.75 0 0 cm\n85.149606 98.267717 m\n83.149606 98.267717 627.401575 315.716729 re\n"
               b"q\n100 0 0 100 12.345678 0 cm\n1.23456789 0 l\nQ\n0.101961 0.101961 0.101961 rg\nQ\n1.234567 2 l")
    assert compact(content).split(b"\n") == [
        b"q", b"0.75 0 0 0.75 0 0 cm", b"85.15 98.27 m", b"83.15 98.27 627.4 315.72 re",
        b"q", b"100 0 0 100 12.35 0 cm", b"1.2346 0 l", b"Q",
        b"0.101961 0.101961 0.101961 rg",  # colours stay as written
        b"Q", b"1.23 2 l",
    ]


def test_tounicode_entries_are_sorted_and_stay_single():
    """Entries come sorted by code; consecutive ones are not made a bfrange (Ghostscript misreads those)."""
    cmap = (b"1 begincodespacerange\n<0000> <ffff>\nendcodespacerange\n5 beginbfchar\n<0042> <0061>\n"
            b"<0041> <0041>\n<0043> <0062>\n<0044> <0063>\n<0100> <00660069>\nendbfchar\nendcmap")
    assert sorted_to_unicode(cmap, to_unicode_pairs(cmap)).split(b"\n")[3:11] == [
        b"5 beginbfchar", b"<0041> <0041>", b"<0042> <0061>", b"<0043> <0062>", b"<0044> <0063>",
        b"<0100> <00660069>", b"endbfchar", b"endcmap"]


def _cmap(*entries: tuple[int, str]) -> bytes:
    """A ToUnicode CMap as WeasyPrint writes it, one bfchar entry per (glyph, text)."""
    lines = b"".join(b"<%04x> <%s>\n" % (glyph, text.encode("utf-16-be").hex().encode()) for glyph, text in entries)
    return b"1 begincodespacerange\n<0000> <ffff>\nendcodespacerange\n%d beginbfchar\n%sendbfchar\nendcmap" % (
        len(entries), lines)


def test_tounicode_maps_that_agree_are_merged_and_others_kept():
    """Serif and sans maps that share glyph ids become one; a map giving a code another text stays apart."""
    serif, sans = _cmap((1, " "), (100, "가"), (101, "각")), _cmap((1, " "), (102, "\uac02"))
    latin = _cmap((1, " "), (100, "fi"))  # glyph 100 is a ligature here, a syllable above
    maps, moved = shared_to_unicode({10: serif, 11: sans, 12: latin})
    assert moved == {11: 10} and set(maps) == {10, 12}
    assert b"<0064> <ac00>\n<0065> <ac01>\n<0066> <ac02>" in maps[10]  # both fonts' glyphs, in order
    assert b"<0064> <00660069>" in maps[12]


def test_an_empty_tounicode_text_is_kept_apart_from_a_map_that_gives_the_code_a_text():
    """WeasyPrint maps all glyphs of a cluster but the last to <>; merging must not fill those in."""
    decomposed, precomposed = _cmap((5, ""), (6, "e\u0301")), _cmap((5, "e"), (7, "x"))
    maps, moved = shared_to_unicode({1: decomposed, 2: precomposed})
    assert moved == {} and b"<0005> <>" in maps[1]


def test_an_uncompressed_pdf_keeps_every_fonts_text(tmp_path: Path):
    """With uncompressed_pdf the finisher rewrites no stream, so it must not point fonts at another's map."""
    from weasyprint import HTML

    fonts = Path(__file__).resolve().parents[2] / "fonts"
    html = (f"<style>@font-face {{ font-family: S; src: url({(fonts / 'PublishSerif-Regular.ttf').as_uri()}) }}"
            f"@font-face {{ font-family: G; src: url({(fonts / 'PublishSans-Regular.ttf').as_uri()}) }}</style>"
            "<p style='font-family: S'>가나다라 serif</p><p style='font-family: G'>마바사 sans</p>")
    pdf = tmp_path / "plain.pdf"
    HTML(string=html).write_pdf(pdf, finisher=compaction.finisher, uncompressed_pdf=True)
    assert pdftotext(pdf).split() == ["가나다라", "serif", "마바사", "sans"]


@pytest.mark.parametrize("content", [
    b"BT\n[(Hello) -250 (world)] TJ\nET",  # literal strings are not modelled
    b"/P <</MCID 0>> BDC\n[<0001>0<0002>0] TJ\nEMC",  # marked content (tagged PDF)
])
def test_streams_it_does_not_model_are_left_alone(content: bytes):
    """Anything outside WeasyPrint's usual operators passes through byte for byte."""
    assert compact(content) == content


def _bounding_boxes(pdf: Path) -> list[tuple[str, tuple[float, ...]]]:
    """Each word of *pdf* with its box, from pdftotext -bbox."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    pattern = r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<'
    return [(word, tuple(map(float, box))) for *box, word in re.findall(pattern, html)]


def test_a_compacted_report_draws_the_same_words_in_the_same_places(tmp_path: Path, monkeypatch, fresh_process_state):
    """The sample report with and without compaction: same text, words within 0.01 pt, smaller content.

    pdftotext places words with the fonts' /W widths, so a wrong default width would move them.
    """
    from publish.build import build_pdf

    compacted = build_pdf(SAMPLE, tmp_path / "compacted.pdf").output
    fresh_process_state()  # no page recorded or deflated by the build before
    monkeypatch.setattr(compaction, "compact", lambda content: content)
    monkeypatch.setattr(compaction, "finisher", lambda document, pdf: None)
    plain = build_pdf(SAMPLE, tmp_path / "plain.pdf").output
    monkeypatch.undo()

    assert pdftotext(compacted) == pdftotext(plain)
    words, reference = _bounding_boxes(compacted), _bounding_boxes(plain)
    assert [word for word, _ in words] == [word for word, _ in reference]
    shift = max(abs(a - b) for (_, box), (_, ref) in zip(words, reference) for a, b in zip(box, ref))
    assert shift <= 0.01

    def page_content_of(pdf: Path) -> bytes:
        return PdfReader(pdf).pages[-1].get_contents().get_data()

    def content_bytes(pdf: Path) -> int:
        return sum(len(page.get_contents().get_data()) for page in PdfReader(pdf).pages)

    # Tagged output (PDF/UA) starts a text object per marked text box, so fewer lines move by Td.
    assert content_bytes(compacted) < 0.85 * content_bytes(plain)
    assert b"/MCID" in page_content_of(compacted) and b"/Artifact" in page_content_of(compacted)
    assert compacted.stat().st_size < plain.stat().st_size
    page_content = PdfReader(compacted).pages[-1].get_contents().get_data()
    assert b"<>0" not in page_content and not re.search(rb"\d\.\d{3,} (?:m|l|c|re)\n", page_content)
    assert subprocess.run(["qpdf", "--check", str(compacted)], capture_output=True).returncode == 0
    streams = [font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
               for font in PdfReader(compacted).pages[-1]["/Resources"]["/Font"].values()]
    for descriptor in streams:  # libdeflate: no stream bigger than zlib's best would make it
        program = (descriptor.get("/FontFile2") or descriptor["/FontFile3"]).get_object()
        assert len(program._data) <= len(zlib.compress(program.get_data(), 9))
    for descriptor in streams:  # TrueType programs without GDEF, still whole and checksummed
        if "/FontFile2" in descriptor:
            program = descriptor["/FontFile2"].get_object()
            data = program.get_data()
            font = TTFont(io.BytesIO(data), checkChecksums=2)
            assert "GDEF" not in font and "glyf" in font and program["/Length1"] == len(data)
            padded = data + bytes(-len(data) % 4)
            assert sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF == 0xB1B0AFBA
    body_font = next(font.get_object()["/DescendantFonts"][0].get_object()
                     for font in PdfReader(compacted).pages[-1]["/Resources"]["/Font"].values()
                     if font.get_object()["/BaseFont"].endswith("+Publish-Serif"))
    assert body_font["/DW"] == 950  # every Hangul syllable
    assert all(width != 950 for run in body_font["/W"][1::2] for width in run)
    fonts = {font.get_object()["/BaseFont"]: font.get_object().raw_get("/ToUnicode").idnum
             for page in PdfReader(compacted).pages for font in page["/Resources"]["/Font"].values()}
    assert len(set(fonts.values())) < len(fonts)  # serif and sans share one map; the text above is the same
    # Ghostscript reads the maps too (it misread bfrange entries: 바탕 came out as ¼탕).
    ghostscript = subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=txtwrite", "-sOutputFile=-",
                                  str(compacted)], check=True, capture_output=True, text=True).stdout
    assert re.findall("[\uac00-\ud7a3]+", ghostscript) == re.findall("[\uac00-\ud7a3]+", pdftotext(compacted))


def test_a_text_array_never_opens_with_an_empty_string_before_a_number():
    """PDFium (Chrome, Edge) misplaces the rest of a line after `[<>-70.35 …`; the number alone moves the same."""
    assert compact(b"BT\n/F1 12 Tf\n[<>-70.35<0001>-67<0203>0<>0] TJ\nET") == b"BT\n/F1 12 Tf\n[-70.35<0001>-67<0203>] TJ\nET"
    # Marked content (tagged PDF) is otherwise left as written, but its text arrays are mended too,
    # also where an empty string follows a number (two numbers in a row add up, as before).
    tagged = b"/P <</MCID 0>> BDC\n[<>-70.35<0001>0<0002>0<>-100.0<0001>-95<0003>0<>0.0] TJ\nEMC"
    assert compact(tagged) == b"/P <</MCID 0>> BDC\n[-70.35<0001>0<0002>0 -100.0<0001>-95<0003>0 0.0] TJ\nEMC"
    assert compact(b"[(a) -5 (b)] TJ\n[<>-5<0001>] TJ") == b"[(a) -5 (b)] TJ\n[<>-5<0001>] TJ"  # literal strings: untouched


def test_a_tagged_pdf_is_read_right_by_pdfium_too(tmp_path: Path):
    """WeasyPrint's tagged output (pdf_tags, PDF/UA) keeps its marked content; PDFium places its lines right."""
    import sys

    from conftest import ROOT
    from weasyprint import HTML

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import makeup

    fonts = ROOT / "fonts"
    html = (f"<html lang='ko'><style>@font-face {{ font-family: S; src: url({(fonts / 'PublishSerif-Regular.ttf').as_uri()}) }}"
            "body { font: 10pt S; text-align: justify; width: 60mm }</style><p>"
            + "가\u2060나\u2060다 라\u2060마 바\u2060사\u2060아 " * 12 + "</p></html>")
    pdf = tmp_path / "tagged.pdf"
    HTML(string=html).write_pdf(pdf, pdf_tags=True, finisher=compaction.finisher)
    assert b"BDC" in PdfReader(pdf).pages[0].get_contents().get_data()
    figures = makeup.measure(pdf)
    assert figures.lines >= 5 and figures.pdfium == []


def test_pdfium_reads_the_mended_arrays_right_and_poppler_draws_the_same(tmp_path: Path, monkeypatch, fresh_process_state):
    """The sample report with and without the mend: PDFium's line ends move onto MuPDF's, Poppler's pixels stay."""
    import sys

    from conftest import ROOT

    from publish.build import build_pdf

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import makeup

    mended = build_pdf(SAMPLE, tmp_path / "mended.pdf").output
    fresh_process_state()
    monkeypatch.setattr(compaction, "pdfium_text_arrays", lambda content: content)
    plain = build_pdf(SAMPLE, tmp_path / "plain.pdf").output
    monkeypatch.undo()
    assert makeup.measure(plain).pdfium != []  # the trigger is there without the mend
    assert makeup.measure(mended).pdfium == []
    for pdf in (mended, plain):
        subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / pdf.stem)], check=True)
    pages = sorted(tmp_path.glob("mended-*.png"))
    assert pages and all(page.read_bytes() == (tmp_path / page.name.replace("mended", "plain")).read_bytes() for page in pages)
