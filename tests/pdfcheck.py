"""Assertions on real PDFs shared by the end-to-end tests (poppler, pypdf and a QR decoder)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from pypdf import PdfReader

HANGUL = re.compile(r"[\uac00-\ud7a3]")
TOC_LINE = re.compile(r"^\s*(?P<title>.+?)\s*\.{2,}\s*(?P<page>[0-9ivx]+)\s*$")


def outline(pdf: Path) -> list[tuple[int, str, int]]:
    """Bookmarks as (depth, title, 0-based page index)."""
    reader = PdfReader(pdf)
    found: list[tuple[int, str, int]] = []

    def walk(items: list, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return found


def toc_numbers(pdf: Path, toc_page_indexes: list[int]) -> dict[str, str]:
    """TOC title → printed page number, read from the TOC pages with pdftotext -layout."""
    numbers: dict[str, str] = {}
    for index in toc_page_indexes:
        text = subprocess.run(
            ["pdftotext", "-layout", "-f", str(index + 1), "-l", str(index + 1), str(pdf), "-"],
            check=True, capture_output=True, text=True,
        ).stdout
        pending = ""
        for line in text.splitlines():
            match = TOC_LINE.match(line)
            if match:
                # A title ending in "." runs into the dot leader: compare titles without it.
                title = re.sub(r"\s+", " ", f"{pending} {match.group('title')}").strip().rstrip(".")
                numbers[title] = match.group("page")
                pending = ""
            elif line.strip() and not line.strip() == "목차":
                pending = f"{pending} {line.strip()}"
    return numbers


def uri_links(pdf: Path) -> set[str]:
    """Every external link target in the PDF."""
    uris: set[str] = set()
    for page in PdfReader(pdf).pages:
        for annot in page.get("/Annots", []) or []:
            action = annot.get_object().get("/A", {})
            if "/URI" in action:
                uris.add(str(action["/URI"]))
    return uris


def broken_words(pdf: Path, source_words: set[str], source_text: str = "") -> list[str]:
    """Korean words split across two lines: last token + first token of the next line is a source word.

    A pair that *source_text* also has with a space between ("있는 것" beside "있는것") is a break at
    that space.
    """
    broken = []
    for page in subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split("\f"):
        lines = [line.split() for line in page.splitlines() if line.strip()]
        for before, after in zip(lines, lines[1:]):
            joined = before[-1] + after[0]
            # After "/" or "-" a break is a real opportunity (UAX #14), as keep-all also allows.
            if (HANGUL.search(joined) and joined in source_words and not before[-1].endswith(("/", "-"))
                    and f"{before[-1]} {after[0]}" not in source_text):
                broken.append(f"{before[-1]}|{after[0]}")
    return broken


def words_beyond_margin(pdf: Path, right_margin_pt: float) -> list[str]:
    """Words whose right edge passes the page's right margin (from pdftotext -bbox)."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    beyond = []
    for page in re.finditer(r'<page width="([\d.]+)"[^>]*>(.*?)</page>', html, re.S):
        limit = float(page.group(1)) - right_margin_pt + 1
        for word in re.finditer(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)</word>', page.group(2)):
            if float(word.group(1)) > limit:
                beyond.append(word.group(2))
    return beyond


def fonts(pdf: Path) -> list[dict[str, str]]:
    """pdffonts rows as dicts (name, type, emb, sub, uni)."""
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    rows = []
    for line in out:
        parts = line.split()
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows


def body_text(pdf: Path, top_pt: float = 68, bottom_pt: float = 68) -> str:
    """Text of every page without the running heads and page numbers (cropped to the text area)."""
    width, height = (float(v) for v in PdfReader(pdf).pages[0].mediabox[2:])
    return subprocess.run(
        ["pdftotext", "-x", "0", "-y", str(int(top_pt)), "-W", str(int(width)), "-H", str(int(height - top_pt - bottom_pt)), str(pdf), "-"],
        capture_output=True, text=True, check=True,
    ).stdout


def image_sizes(pdf: Path) -> list[tuple[int, int]]:
    """(width, height) in pixels of every image drawn in the PDF (pdfimages -list)."""
    out = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    return [(int(row[3]), int(row[4])) for row in rows if row[2] == "image"]


def decoded_qr_codes(pdf: Path, dpi: int = 150) -> list[str]:
    """Every QR code found on the rendered pages, as a camera would see them on paper."""
    import zxingcpp
    from PIL import Image

    work = pdf.parent / f"{pdf.stem}-png"
    work.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(work / "page")], check=True)
    found: list[str] = []
    for png in sorted(work.glob("page-*.png")):
        found += [code.text for code in zxingcpp.read_barcodes(Image.open(png))]
    return found


def validation_failures(pdf: Path, profile: str) -> list[str]:
    """page-validation's findings for *profile* (e.g. "PDF_UA_1", "PDF_A_3A"), as `rule: message`."""
    import page

    report = page.validate_pdf(str(pdf), profile=getattr(page.ValidationProfile, profile))
    return [f"{f.rule_id}: {f.message}" for f in report.failures]


def _marked_texts(reader: PdfReader, page_index: int) -> dict[int, str]:
    """The text of each marked-content id (MCID) on a page, as pypdf extracts it (through ToUnicode)."""
    stack: list[int | None] = []
    texts: dict[int, str] = {}

    def before(operator: bytes, operands: list, *_: object) -> None:
        if operator == b"BDC":
            properties = operands[1] if len(operands) > 1 else None
            stack.append(properties.get("/MCID") if hasattr(properties, "get") else None)
        elif operator == b"BMC":
            stack.append(None)
        elif operator == b"EMC" and stack:
            stack.pop()

    def text(piece: str, *_: object) -> None:
        mcid = next((m for m in reversed(stack) if m is not None), None) if stack and stack[-1] is not None else None
        if mcid is not None:
            texts[mcid] = texts.get(mcid, "") + piece

    reader.pages[page_index].extract_text(visitor_operand_before=before, visitor_text=text)
    return texts


def structure_texts(pdf: Path, limit: int = 50) -> list[tuple[str, str]]:
    """The first *limit* structure elements holding text, in structure-tree order: (type, text).

    Text is read from the marked content each element owns (its MCIDs), whitespace removed.
    """
    reader = PdfReader(pdf)
    numbers = {page.indirect_reference.idnum: index for index, page in enumerate(reader.pages)}
    cache: dict[int, dict[int, str]] = {}
    found: list[tuple[str, str]] = []

    def walk(element: object, page: int | None) -> None:
        element = element.get_object()
        if len(found) >= limit or not hasattr(element, "get"):
            return
        if "/Pg" in element:
            page = numbers[element.raw_get("/Pg").idnum]
        kids = element.get("/K")
        kids = kids if isinstance(kids, list) else [kids] if kids is not None else []
        own = ""

        def flush() -> None:
            nonlocal own
            if "".join(own.split()):
                found.append((str(element.get("/S")), "".join(own.split())))
            own = ""

        for kid in kids:  # the element's own text and its child elements, in the order of /K
            if isinstance(kid, int):
                if page is not None:
                    if page not in cache:
                        cache[page] = _marked_texts(reader, page)
                    own += cache[page].get(kid, "")
            elif hasattr(kid.get_object(), "get") and "/S" in kid.get_object():
                flush()
                walk(kid, page)
        flush()

    walk(reader.trailer["/Root"]["/StructTreeRoot"], None)
    return found[:limit]


def html_reading_text(html: str) -> str:
    """The body text of an HTML document in source order, without tags, joiners or whitespace."""
    body = html[html.find("<body"):]
    body = re.sub(r"<(style|script)\b.*?</\1>", "", body, flags=re.S)
    text = re.sub(r"<[^>]+>", "", body)
    import html as htmllib

    return "".join(htmllib.unescape(text).replace("\u2060", "").split())


def out_of_order(elements: list[tuple[str, str]], reading_text: str) -> list[tuple[str, str]]:
    """Elements whose text is not found after the previous element's in *reading_text* (generated numbers skipped)."""
    # Hyphens the layout adds at line ends (English words hyphenate) are not in the source.
    reading_text = reading_text.replace("-", "").replace("\u00ad", "")
    position, wrong = 0, []
    for kind, text in elements:
        text = text.replace("-", "").replace("\u2010", "")
        if all(ch.isdigit() or not ch.isalnum() for ch in text):
            continue  # page numbers, list numbers, bullets and footnote calls are generated, not in the source
        found = reading_text.find(text, position)
        if found < 0:
            wrong.append((kind, text))
        else:
            position = found + len(text)
    return wrong
