"""The print shop's copy (`--print-ready`): PDF/X-4 with 3 mm bleed and crop marks, still tagged.

WeasyPrint writes PDF/X-4 (TrimBox, BleedBox, a GTS_PDFX output intent, XMP naming PDF/X-4) when
the pages have bleed; the sRGB profile is the output intent, as the report's colours are sRGB.
Its XMP gets a random document ID: replaced here by one derived from the content, so that the
same content gives the same bytes, and the PDF/UA identification is added (the file stays tagged).
"""

from __future__ import annotations

import re
import uuid
from typing import Any, Callable

STYLESHEET = "print-ready.css"
OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/x-4", "pdf_tags": True, "output_intent": "srgb"}
_DOCUMENT_ID = re.compile(rb"<xmpMM:DocumentID>[^<]*</xmpMM:DocumentID>")
_UA = (b'<rdf:Description xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" rdf:about="">'
       b"<pdfuaid:part>1</pdfuaid:part></rdf:Description>")

Finisher = Callable[[Any, Any], None]


def finisher(identifier: bytes) -> Finisher:
    """Make WeasyPrint's PDF/X-4 XMP reproducible and name PDF/UA-1 in it."""

    def finish(document: Any, pdf: Any) -> None:
        """Rewrite the XMP stream in place (same object: /Type /Metadata /Subtype /XML stay)."""
        import pydyf

        metadata = pdf.objects[int(pdf.catalog["Metadata"].split()[0])]
        packet = b"".join(pydyf._to_bytes(item) for item in metadata.stream)
        stable = f"uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'publish:pdfx:' + identifier.hex())}".encode()
        packet = _DOCUMENT_ID.sub(b"<xmpMM:DocumentID>" + stable + b"</xmpMM:DocumentID>", packet)
        metadata.stream = [packet.replace(b"</rdf:RDF>", _UA + b"</rdf:RDF>", 1)]

    return finish


def write_options(options: dict[str, Any]) -> dict[str, Any]:
    """WeasyPrint options for print: PDF/X-4, tagged, images as committed (no screen downsampling)."""
    return {**{key: value for key, value in options.items() if key not in ("dpi", "jpeg_quality")}, **OPTIONS}
