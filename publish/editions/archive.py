"""The archive copy: PDF/A-3a and PDF/UA-1 (tagged) with complete XMP metadata and its own sources embedded to rebuild it."""

from __future__ import annotations

import datetime as dt
import io
import re
import stat
import uuid
import zipfile
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit
from urllib.request import url2pathname
from xml.sax.saxutils import escape

from ..content.model import Report
from ..content.resources import is_inside

VARIANT_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/a-3a", "output_intent": "srgb"}
# An archive keeps images as committed: downsampling and JPEG recompression would lose detail for good.
LOSSY_OPTIONS = ("dpi", "jpeg_quality")
ZIP_ROOT = "content"
ZIP_FILE_MODE = 0o100644 << 16  # a regular file, rw-r--r--, whatever the working copy's modes

Finisher = Callable[[Any, Any], None]


def _midnight(date: dt.date) -> dt.datetime:
    """The report date as the one timestamp used inside the archive."""
    return dt.datetime(date.year, date.month, date.day, tzinfo=dt.timezone.utc)


_IMG_SRC = re.compile(r'<img [^>]*src="(file://[^"]*)"')


def used_files(report: Report, fragments_html: Iterable[str]) -> set[Path]:
    """The files the report reads: report.yaml, its chapters' and entries' files, the images they show."""
    paths = {report.root / "report.yaml", *(c.path for c in report.chapters), *(e.path for e in report.entries)}
    paths |= {f.local_path for e in report.entries for f in e.figures if f.local_path}
    paths |= {Path(url2pathname(urlsplit(m.group(1)).path)) for html in fragments_html for m in _IMG_SRC.finditer(html)}
    return {p.resolve() for p in paths}


def source_files(content: Path, used: set[Path] | None = None) -> list[Path]:
    """The content's files in a fixed order: hidden files, caches, links leading outside and non-regular files are left out.

    With *used* (`used_files`), only those: a stray file beside the content, a hard link to
    something private included, is never attached (docs/reliability.md).
    """
    root = content.resolve()
    files = []
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        if any(part.startswith(".") or part == "__pycache__" for part in relative.parts):
            continue
        # A symlink to a file outside the content (say ~/.ssh/id_rsa) must never end up in a PDF.
        if not is_inside(path, root) or (used is not None and path.resolve() not in used):
            continue
        try:
            regular = stat.S_ISREG(path.stat().st_mode)  # not a FIFO: reading it would block
        except OSError:
            continue
        if regular:
            files.append(path)
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def source_zip(content: Path, date: dt.date, used: set[Path] | None = None) -> bytes:
    """The content folder as a zip that is byte-identical for identical content.

    Entries are sorted, dated with the report date and given fixed modes, so neither checkout
    times nor file-system order reach the archive.
    """
    root = content.resolve()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in source_files(content, used):
            info = zipfile.ZipInfo(f"{ZIP_ROOT}/{path.relative_to(root).as_posix()}", date_time=(date.year, date.month, date.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so the modes below mean the same everywhere
            info.external_attr = ZIP_FILE_MODE
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def write_options(report: Report, content: Path, options: dict[str, Any], stem: str, version: str, used: set[Path] | None = None) -> dict[str, Any]:
    """WeasyPrint options for the archive: PDF/A-3a, sRGB intent, lossless images, the sources attached."""
    from weasyprint import Attachment

    when = _midnight(report.date)
    sources = Attachment(
        file_obj=io.BytesIO(source_zip(content, report.date, used)),
        name=f"{stem}-source.zip",
        description=f"Sources of this PDF. To rebuild it: unzip, then run `publish pdf --archive -c {ZIP_ROOT}` (publish {version}).",
        created=when, modified=when, relationship="Source",
    )
    kept = {key: value for key, value in options.items() if key not in LOSSY_OPTIONS}
    return {**kept, **VARIANT_OPTIONS, "attachments": [sources]}


def rights_statement(report: Report) -> str:
    """The licence as one plain-text sentence for dc:rights (the licence page says it in full)."""
    lic = report.license
    text = (
        f"{report.series or report.title} © {lic.year} by {report.author.name} is licensed under "
        f"{lic.info.short_name} ({lic.info.full_name}): {lic.info.deed_url}"
    )
    return f"{text}. {lic.statement.text.strip()}" if lic.statement else text


def _alt(text: str) -> str:
    """An rdf:Alt with one x-default item, as XMP wants for titles and rights."""
    return f'<rdf:Alt><rdf:li xml:lang="x-default">{escape(text)}</rdf:li></rdf:Alt>'


def _collection(kind: str, items: list[str]) -> str:
    """An rdf:Seq or rdf:Bag of plain items."""
    return f"<rdf:{kind}>" + "".join(f"<rdf:li>{escape(item)}</rdf:li>" for item in items) + f"</rdf:{kind}>"


# The PDF/A extension schema that declares pdfuaid:part (ISO 14289-1, 5; the usual boilerplate).
_PDFUA_EXTENSION = """  <rdf:Description rdf:about=""
    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
   <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
    <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
    <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
    <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
    <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
     <pdfaProperty:name>part</pdfaProperty:name>
     <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
     <pdfaProperty:category>internal</pdfaProperty:category>
     <pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
    </rdf:li></rdf:Seq></pdfaSchema:property>
   </rdf:li></rdf:Bag></pdfaExtension:schemas>
  </rdf:Description>
"""


def xmp_packet(report: Report, info: dict[str, str], identifier: bytes) -> bytes:
    """A complete XMP packet agreeing with the document information dictionary *info*.

    PDF/A requires every /Info entry to have its XMP twin with the same value, hence built from
    *info* rather than from the report. PDF/UA's identification schema is not one of those PDF/A
    predefines, so the packet describes it in a PDF/A extension schema.
    """
    stamp = f"{report.date.isoformat()}T00:00:00+00:00"
    document = f"uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'publish:pdf:' + identifier.hex())}"
    lic = report.license.info
    fields = [
        "<pdfaid:part>3</pdfaid:part>",
        "<pdfaid:conformance>A</pdfaid:conformance>",
        "<pdfuaid:part>1</pdfuaid:part>",
        "<dc:format>application/pdf</dc:format>",
        f"<dc:title>{_alt(info['Title'])}</dc:title>" if "Title" in info else "",
        f"<dc:creator>{_collection('Seq', [info['Author']])}</dc:creator>" if "Author" in info else "",
        f"<dc:description>{_alt(info['Subject'])}</dc:description>" if "Subject" in info else "",
        f"<dc:language>{_collection('Bag', [report.language])}</dc:language>",
        f"<dc:subject>{_collection('Bag', list(report.keywords))}</dc:subject>" if report.keywords else "",
        f"<dc:rights>{_alt(rights_statement(report))}</dc:rights>",
        f"<pdf:Keywords>{escape(info['Keywords'])}</pdf:Keywords>" if "Keywords" in info else "",
        f"<pdf:Producer>{escape(info['Producer'])}</pdf:Producer>" if "Producer" in info else "",
        f"<xmp:CreatorTool>{escape(info['Creator'])}</xmp:CreatorTool>" if "Creator" in info else "",
        f"<xmp:CreateDate>{stamp}</xmp:CreateDate>",
        f"<xmp:ModifyDate>{stamp}</xmp:ModifyDate>",
        f"<xmp:MetadataDate>{stamp}</xmp:MetadataDate>",
        # Marked is False only for public-domain dedications (CC0).
        f"<xmpRights:Marked>{'False' if lic.spdx.startswith('CC0') else 'True'}</xmpRights:Marked>",
        f"<xmpRights:WebStatement>{escape(lic.deed_url)}</xmpRights:WebStatement>",
        f"<xmpRights:UsageTerms>{_alt(f'{lic.full_name} ({lic.short_name}): {lic.deed_url}')}</xmpRights:UsageTerms>",
        f"<xmpMM:DocumentID>{document}</xmpMM:DocumentID>",
        f"<xmpMM:InstanceID>{document}</xmpMM:InstanceID>",
    ]
    body = "\n   ".join(field for field in fields if field)
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""\n'
        '    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" xmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '    xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"\n'
        '    xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"\n'
        '    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">\n'
        f"   {body}\n"
        "  </rdf:Description>\n"
        f"{_PDFUA_EXTENSION}"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="r"?>'
    ).encode("utf-8")


# Streams holding binary data (images, fonts, colour profiles, attached files) must not grow a byte.
_BINARY_KEYS = ("Length1", "N", "DecodeParms")
_BINARY_TYPES = ("/Image", "/CIDFontType0C", "/Type1C", "/OpenType", "/EmbeddedFile")


def _end_streams_unambiguously(objects: list[Any]) -> None:
    """Give text streams whose compressed data would end in CR one more trailing newline.

    pydyf ends stream data with LF before `endstream`; data ending in CR then reads as a CR LF
    end-of-line, and PDF/A checkers report /Length one byte too long. The last byte of a zlib
    stream is part of the checksum of the uncompressed data, so only changing the data helps:
    a newline more at the end of a content stream or CMap changes nothing drawn.
    """
    import pydyf

    for item in objects:
        if not isinstance(item, pydyf.Stream) or not item.compress:
            continue
        if any(key in item.extra for key in _BINARY_KEYS) or {item.extra.get("Subtype"), item.extra.get("Type")} & set(_BINARY_TYPES):
            continue
        while item.data.endswith(b"\r\nendstream"):
            item.stream.append(b"")  # pydyf joins chunks with LF: one more LF at the end


def finisher(report: Report, identifier: bytes) -> Finisher:
    """Complete WeasyPrint's PDF/A-3a output before it is written.

    WeasyPrint's XMP lacks language, rights and a document ID; it is replaced in place (same
    object, which keeps /Type /Metadata /Subtype /XML) and left uncompressed so that tools that
    scan files for XMP find it. Images are marked not to be interpolated, as PDF/A requires, and
    the catalog's /AF list loses the duplicate that WeasyPrint 70 adds for every attachment.
    Text streams are kept from ending in an ambiguous CR (see `_end_streams_unambiguously`).
    """

    def finish(document: Any, pdf: Any) -> None:
        """Replace the XMP stream and clear /Interpolate on every image."""
        import pydyf

        info = {str(key): value.string for key, value in pdf.info.items() if isinstance(value, pydyf.String)}
        number = int(pdf.catalog["Metadata"].split()[0])  # a reference, b"12 0 R"
        metadata = pdf.objects[number]
        metadata.stream = [xmp_packet(report, info, identifier)]
        metadata.compress = False
        if "AF" in pdf.catalog:
            pdf.catalog["AF"] = pydyf.Array(dict.fromkeys(pdf.catalog["AF"]))
        for item in pdf.objects:
            if isinstance(item, pydyf.Stream) and item.extra.get("Subtype") == "/Image":
                item.extra["Interpolate"] = "false"
                mask = item.extra.get("SMask")
                if isinstance(mask, pydyf.Stream):
                    mask.extra["Interpolate"] = "false"
        _end_streams_unambiguously(pdf.objects)

    return finish
