"""The export's preamble (licence line, badge, reuse statement, acknowledgement) → report metadata."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .nodes import (
    WHITESPACE,
    Block,
    Figure,
    Image,
    Inline,
    Link,
    Para,
    Styled,
    Text,
    is_blank,
    plain_text,
    strip_leading,
)
from .render import render_paragraph

KNOWN_LICENSES = ("CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-NC-4.0", "CC-BY-NC-SA-4.0", "CC-BY-ND-4.0", "CC-BY-NC-ND-4.0", "CC0-1.0")

_LICENSE_LINE = re.compile(
    r"^(?P<work>.*?)\s*(?:©|\(c\)|copyright)\s*(?P<year>\d{4})\s*(?:by\s+(?P<author>.+?))?\s*"
    r"(?:is\s+)?licen[sc]ed\s+under\s+(?P<license>.+?)\s*\.?\s*$",
    re.IGNORECASE,
)
_ACK = re.compile(r"^\s*(?:acknowledge?ments?|감사의\s*(?:글|말))\s*[:：]?\s*", re.IGNORECASE)
_STATEMENT_HINT = re.compile(r"라이선스|라이센스|저작권|복제|배포|licen[cs]e|copyright|reuse|share|redistribut", re.IGNORECASE)
_CC_URL = re.compile(r"creativecommons\.org/licenses/(by(?:-nc)?(?:-sa|-nd)?)/(\d\.\d)", re.IGNORECASE)
_CC0_URL = re.compile(r"creativecommons\.org/publicdomain/zero/1\.0", re.IGNORECASE)
_CC_TEXT = re.compile(r"\bCC[\s-]*(BY(?:[\s-]+(?:NC|SA|ND))*)[\s-]*(\d\.\d)\b", re.IGNORECASE)
_CC0_TEXT = re.compile(r"\bCC0\b", re.IGNORECASE)
_SPONSOR_PATTERNS = [
    # 본 보고서는 株式会社 IBS (일본 소재) 지원 하 작성되었습니다.
    re.compile(r"(?:본|이)\s*(?:보고서|문서|글|연구)[는은]\s*(?P<name>.+?)\s*(?:\([^)]*\)\s*)?(?:의\s*)?(?:지원|후원|협찬)"),
    re.compile(r"(?P<name>\S.+?)\s*(?:\([^)]*\)\s*)?(?:의|에서)\s*(?:지원|후원|협찬)"),
    re.compile(r"(?:supported|funded|sponsored)\s+(?:in part\s+)?by\s+(?P<name>.+?)\s*(?:[.,;(]|$)", re.IGNORECASE),
]


@dataclass
class Metadata:
    """What the preamble told about the report."""

    series: str | None = None
    author_name: str | None = None
    author_url: str | None = None
    year: int | None = None
    license_id: str | None = None
    statement: str | None = None
    sponsor_name: str | None = None
    acknowledgement: str | None = None
    license_line: int | None = None
    leftovers: list[Block] = field(default_factory=list)


def spdx_id(text: str, hrefs: list[str]) -> str | None:
    """SPDX id of a Creative Commons licence named by a deed URL or a short name."""
    for href in hrefs:
        if match := _CC_URL.search(href):
            return f"CC-{match.group(1).upper()}-{match.group(2)}"
        if _CC0_URL.search(href):
            return "CC0-1.0"
    if match := _CC_TEXT.search(text):
        elements = re.split(r"[\s-]+", match.group(1).upper())
        return "CC-" + "-".join(elements) + f"-{match.group(2)}"
    if _CC0_TEXT.search(text):
        return "CC0-1.0"
    return None


def _links(inlines: list[Inline]) -> list[Link]:
    out: list[Link] = []
    for node in inlines:
        if isinstance(node, Link):
            out.append(node)
        elif isinstance(node, Styled):
            out += _links(node.children)
    return out


def _only_images(block: Block) -> bool:
    if isinstance(block, Figure):
        return True
    if isinstance(block, Para):
        nodes = [n for n in block.inlines if not (isinstance(n, Text) and not n.text.strip())]
        return bool(nodes) and all(isinstance(n, Image) for n in nodes)
    return False


def sponsor_name(acknowledgement: str) -> str | None:
    """The sponsor named in an acknowledgement sentence, if one of the usual phrasings is used."""
    for pattern in _SPONSOR_PATTERNS:
        if match := pattern.search(acknowledgement):
            name = match.group("name").strip(" ,.:")
            if name and len(name) <= 80:
                return name
    return None


def read_preamble(blocks: list[Block], warn: Callable[[int | None, str], None]) -> Metadata:
    """Take the metadata out of the blocks between the title and the first chapter."""
    meta = Metadata()
    for block in blocks:
        if _only_images(block):
            src = block.src if isinstance(block, Figure) else next(n.src for n in block.inlines if isinstance(n, Image))
            warn(block.line, f"dropped the image '{src}' before the first chapter (a licence badge; the PDF prints its own licence notice)")
            continue
        if not isinstance(block, Para):
            meta.leftovers.append(block)
            continue
        text = WHITESPACE.sub(" ", plain_text(block.inlines)).strip()
        if meta.license_id is None and (match := _LICENSE_LINE.match(text)):
            links = _links(block.inlines)
            meta.license_id = spdx_id(match.group("license"), [link.href for link in links])
            if meta.license_id is None:
                warn(block.line, f"licence '{match.group('license')}' is not a Creative Commons licence the importer knows: set license.id in report.yaml")
            elif meta.license_id not in KNOWN_LICENSES:
                warn(block.line, f"licence '{meta.license_id}' is not one the PDF supports ({', '.join(KNOWN_LICENSES)})")
            meta.year = int(match.group("year"))
            meta.series = match.group("work").strip() or None
            author = (match.group("author") or "").strip()
            if author:
                meta.author_name = author
                meta.author_url = next((link.href for link in links if WHITESPACE.sub(" ", plain_text(link.children)).strip() == author), None)
            meta.license_line = block.line
            continue
        if meta.acknowledgement is None and _ACK.match(text):
            inlines = strip_leading(block.inlines, _ACK)
            meta.acknowledgement = render_paragraph(inlines)
            meta.sponsor_name = sponsor_name(WHITESPACE.sub(" ", plain_text(inlines)).strip())
            if meta.sponsor_name is None:
                warn(block.line, "could not tell the sponsor's name from the acknowledgement: set sponsor.name in report.yaml")
            continue
        if meta.license_id is not None and _STATEMENT_HINT.search(text) and not is_blank(block.inlines):
            statement = render_paragraph(block.inlines)
            meta.statement = f"{meta.statement}\n\n{statement}" if meta.statement else statement
            continue
        meta.leftovers.append(block)
    return meta


def report_date(front_matter: dict[str, Any], year: int | None, warn: Callable[[int | None, str], None]) -> dt.date | None:
    """The report date: the front matter's `date`, else 1 January of the licence year (with a warning)."""
    value = front_matter.get("date")
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and (match := re.match(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})", value)):
        try:
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            warn(1, f"front matter date '{value}' is not a valid date")
    if year is not None:
        warn(None, f"the export has no date: used {year}-01-01 from the licence year; set 'date' in report.yaml (the PDF's dates come from it)")
        return dt.date(year, 1, 1)
    warn(None, "the export has no date and no licence year: add 'date: YYYY-MM-DD' to report.yaml")
    return None
