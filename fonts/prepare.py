"""Rebuild the slimmed, renamed fonts in fonts/ and styles/fonts.css from Debian's font packages."""

# Maintainers only: the prepared files are committed, so builds never run this.
# Needs the Debian packages fonts-nanum, fonts-noto-cjk, fonts-noto-core and
# fonts-linuxlibertine, and fontTools. Run: python fonts/prepare.py

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import lastresort
from charsets import (
    CJK,
    CJK_ORDER,
    FORMAT,
    KOREAN,
    KOREAN_ORDER,
    LATIN,
    LATIN_ORDER,
    unicode_range,
)
from fontTools import subset
from fontTools.ttLib import TTFont
from outlines import (
    GlyphOrder,
    cid_keyed,
    coarser_grid,
    drawings,
    reorder_glyphs,
    scaled,
    whole_unit_outlines,
)

ROOT = Path(__file__).resolve().parent.parent
FONTS_DIR = ROOT / "fonts"
CSS_PATH = ROOT / "styles" / "fonts.css"

NANUM = Path("/usr/share/fonts/truetype/nanum")
NOTO_CJK = Path("/usr/share/fonts/opentype/noto")
NOTO = Path("/usr/share/fonts/truetype/noto")
LIBERTINE = Path("/usr/share/fonts/opentype/linux-libertine")

# Common vertical metrics (in em) for every face, Nanum's own values. With one
# ascent/descent everywhere, a line that mixes Hangul, Latin and kanji keeps the
# same height and baseline as a pure Hangul line.
ASCENT, DESCENT = 0.92, 0.23

# Tables PDF rendering never reads (hinting, Windows device metrics, VTT sources,
# vertical layout, signatures). fontTools' --no-hinting removes fpgm/prep/cvt.
DROP_TABLES = ["DSIG", "FFTM", "gasp", "hdmx", "LTSH", "VDMX", "PCLT", "VORG", "vhea",
               "vmtx", "BASE", "MATH", "TSI0", "TSI1", "TSI2", "TSI3", "TSI5", "meta"]

# Name IDs rewritten for the new family; all other IDs keep the original text.
REWRITTEN_NAME_IDS = {1, 2, 3, 4, 5, 6, 10, 13, 14, 16, 17, 18, 20, 21, 22, 25}
OFL_NOTICE = ("This Font Software is licensed under the SIL Open Font License, Version 1.1. "
              "This license is available with a FAQ at: https://openfontlicense.org")


@dataclass(frozen=True)
class Source:
    """A Debian font package and the licence terms of its fonts."""

    package: str
    licence_file: str
    copyright: str
    reserved_names: str
    note: str = ""


@dataclass(frozen=True)
class Face:
    """One vendored font file: where it comes from and what it keeps."""

    file: str
    family: str
    weight: int
    italic: bool
    source: Source
    path: Path
    wanted: frozenset[int]
    features: tuple[str, ...] = ("*",)
    index: int = 0
    order: GlyphOrder | None = None
    """Reorder the glyphs by likely use (see reorder_glyphs); None keeps the source order."""
    unicode_range: bool = False
    """Emit an exact unicode-range, so the face is only picked for its own scripts."""
    space_em: float | None = None
    """Advance of the space and no-break space in em (see LATIN_SPACE_EM); None keeps the source's."""
    range_excludes: frozenset[int] = frozenset()
    """Characters the face maps but its unicode-range leaves to the next family of the stack."""
    units_per_em: int | None = None
    """Put a TrueType face's outlines on this coarser grid (see NANUM_UNITS_PER_EM); None keeps its own."""
    scale: float | None = None  # draw every glyph this many times larger in the same em (LATIN_SCALE)
    whole_units: bool = False
    """Redraw a CFF face's outlines with whole-unit coordinates (outlines.whole_unit_outlines)."""

    @property
    def style(self) -> str:
        """Return the style name, e.g. 'Bold Italic'."""
        name = {400: "Regular", 700: "Bold", 800: "ExtraBold"}[self.weight]
        if self.italic:
            return "Italic" if self.weight == 400 else f"{name} Italic"
        return name


NANUM_SRC = Source(
    "fonts-nanum", "OFL-Nanum.txt", "Copyright (c) 2010, NAVER Corporation (http://www.nhncorp.com)",
    "Nanum, Naver Nanum, NanumGothic, Naver NanumGothic, NanumMyeongjo, Naver NanumMyeongjo, "
    "NanumBrush, Naver NanumBrush, NanumPen, Naver NanumPen, Naver NanumGothicEco, NanumGothicEco, "
    "Naver NanumMyeongjoEco, NanumMyeongjoEco, Naver NanumGothicLight, NanumGothicLight, "
    "NanumBarunGothic, Naver NanumBarunGothic")
LIBERTINE_SRC = Source(
    "fonts-linuxlibertine", "OFL-LinuxLibertine.txt",
    "Copyright (c) 2003-2012, Philipp H. Poll (philthelion@users.sourceforge.net)", "Linux Libertine",
    "The original is dual-licensed (GPL-2+ with font exception, or OFL-1.1); this Modified\n"
    "Version is distributed under the SIL Open Font License 1.1 below.\n")
NOTO_SRC = Source("fonts-noto-core", "OFL-Noto.txt", "Copyright 2015 Google LLC. All Rights Reserved.",
                  "")
NOTO_CJK_SRC = Source(
    "fonts-noto-cjk", "OFL-NotoCJK.txt",
    "Copyright 2014-2022 Adobe (http://www.adobe.com/).", "'Source'")

# Publish Latin's space (Linux Libertine's 250/1000 em, in every weight and style), given to
# Publish Serif too. In the body stack Latin comes first: Pango measures a space inside Korean
# text with the Korean run's font, but in a justified line WeasyPrint gives every space its own
# letter-spacing, so the space is itemised alone and drawn from the first font that maps it.
# With Nanum's 0.30 em space each justified space came out 0.05 em narrower than measured, and
# the shortfall showed as a gap before an inline box (a footnote call) or at the line's end.
LATIN_SPACE_EM = 0.25
# With both spaces alike, Publish Latin's unicode-range leaves them to Publish Serif: a justified
# Korean line then draws its spaces in the Korean font, without a font switch around each one
# (1.6 KB less in the report). Latin text outside justified lines keeps Libertine's own space.
SPACES = frozenset((0x20, 0xA0))

# The grid of the Nanum text faces: a point moves by at most 1/600 em, an eighth of a 600 dpi
# pixel in 9 pt text, and the PDF of the report is 11 KB smaller (outlines.coarser_grid). On 300
# units the shared ASCENT and DESCENT, the 0.25 em space and the Hangul advances (Myeongjo's
# 973/1024 em becomes 285/300, what the PDF's widths already said) stay exact, which 256 does not.
NANUM_UNITS_PER_EM = 300

CJK_FEATURES = ("ccmp", "kern", "palt", "halt", "vkrn", "vpal", "vhal")
LATIN_SCALE = 1.1  # Libertine 1.1x larger in the same em: Latin sized like Hangul (fonts/README.md)

FACES = [
    *(Face(f"PublishLatin-{style}.otf", "Publish Latin", weight, italic, LIBERTINE_SRC,
           LIBERTINE / f"LinLibertine_{suffix}.otf", frozenset(LATIN), order=LATIN_ORDER,
           unicode_range=True, range_excludes=SPACES, whole_units=True, scale=LATIN_SCALE)
      for style, suffix, weight, italic in (("Regular", "R", 400, False), ("Italic", "RI", 400, True),
                                            ("Bold", "RB", 700, False), ("BoldItalic", "RBI", 700, True))),
    Face("PublishSerif-Regular.ttf", "Publish Serif", 400, False, NANUM_SRC,
         NANUM / "NanumMyeongjo.ttf", frozenset(KOREAN), order=KOREAN_ORDER, space_em=LATIN_SPACE_EM,
         units_per_em=NANUM_UNITS_PER_EM),
    Face("PublishSerif-Bold.ttf", "Publish Serif", 700, False, NANUM_SRC,
         NANUM / "NanumMyeongjoBold.ttf", frozenset(KOREAN), order=KOREAN_ORDER, space_em=LATIN_SPACE_EM,
         units_per_em=NANUM_UNITS_PER_EM),
    Face("PublishSans-Regular.ttf", "Publish Sans", 400, False, NANUM_SRC,
         NANUM / "NanumGothic.ttf", frozenset(KOREAN), order=KOREAN_ORDER,
         units_per_em=NANUM_UNITS_PER_EM),
    Face("PublishSans-Bold.ttf", "Publish Sans", 700, False, NANUM_SRC,
         NANUM / "NanumGothicBold.ttf", frozenset(KOREAN), order=KOREAN_ORDER,
         units_per_em=NANUM_UNITS_PER_EM),
    Face("PublishLatinSans-Regular.ttf", "Publish Latin Sans", 400, False, NOTO_SRC,
         NOTO / "NotoSans-Regular.ttf", frozenset(LATIN), unicode_range=True),
    Face("PublishLatinSans-Bold.ttf", "Publish Latin Sans", 700, False, NOTO_SRC,
         NOTO / "NotoSans-Bold.ttf", frozenset(LATIN), unicode_range=True),
    Face("PublishMono-Regular.ttf", "Publish Mono", 400, False, NANUM_SRC,
         NANUM / "NanumGothicCoding.ttf", frozenset(KOREAN)),
    Face("PublishCJKFallback-Regular.otf", "Publish CJK Fallback", 400, False, NOTO_CJK_SRC,
         NOTO_CJK / "NotoSerifCJK-Regular.ttc", frozenset(CJK), CJK_FEATURES, order=CJK_ORDER),
    Face("PublishCJKFallback-Bold.otf", "Publish CJK Fallback", 700, False, NOTO_CJK_SRC,
         NOTO_CJK / "NotoSerifCJK-Bold.ttc", frozenset(CJK), CJK_FEATURES, order=CJK_ORDER),
    Face("PublishCJKSansFallback-Regular.otf", "Publish CJK Sans Fallback", 400, False, NOTO_CJK_SRC,
         NOTO_CJK / "NotoSansCJK-Regular.ttc", frozenset(CJK), CJK_FEATURES, order=CJK_ORDER),
    Face("PublishCJKSansFallback-Bold.otf", "Publish CJK Sans Fallback", 700, False, NOTO_CJK_SRC,
         NOTO_CJK / "NotoSansCJK-Bold.ttc", frozenset(CJK), CJK_FEATURES, order=CJK_ORDER),
]


def load(face: Face) -> TTFont:
    """Open a face's source font (face 0 of a TTC is the Japanese one)."""
    return TTFont(face.path, fontNumber=face.index)


def debian_version(package: str) -> str:
    """Return the installed version of a Debian package."""
    result = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package],
                            capture_output=True, text=True, check=True)
    return result.stdout.strip()


def shared_coverage(family: str) -> set[int]:
    """Return the wanted code points that every face of a family maps."""
    faces = [face for face in FACES if face.family == family]
    coverage = set(faces[0].wanted) - FORMAT
    if faces[0].source == NOTO_CJK_SRC:  # the Hanja Nanum Gothic had must stay covered
        nanum = TTFont(NANUM / "NanumGothic.ttf").getBestCmap()
        coverage |= {code for code in nanum if 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF}
    for face in faces:
        coverage &= set(load(face).getBestCmap())
    return coverage


def subset_font(font: TTFont, codepoints: set[int], features: tuple[str, ...]) -> None:
    """Keep only the given code points and layout features, without hinting."""
    options = subset.Options()
    options.hinting = False
    options.desubroutinize = False  # WeasyPrint's HarfBuzz subsetter desubroutinizes anyway
    options.layout_features = list(features)
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True  # a missing glyph must show, not vanish
    options.glyph_names = False
    options.drop_tables = [*options.drop_tables, *DROP_TABLES]
    if "GPOS" in font:  # a legacy kern table is only read when GPOS is absent
        options.drop_tables.append("kern")
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)


def rename(font: TTFont, face: Face, version: str) -> None:
    """Give the font its new names (OFL Reserved Font Names must not survive)."""
    name = font["name"]
    original = f"{name.getDebugName(1)} {name.getDebugName(2)} {name.getDebugName(5) or ''}".strip()
    name.names = [record for record in name.names if record.platformID == 3
                  and record.langID == 0x409 and record.nameID not in REWRITTEN_NAME_IDS]
    ps_family = face.family.replace(" ", "")
    ps_name = f"{ps_family}-{face.style.replace(' ', '')}"
    ribbi = face.weight in (400, 700)
    strings = {
        1: face.family if ribbi else f"{face.family} {face.style.split()[0]}",
        2: face.style if ribbi else ("Italic" if face.italic else "Regular"),
        3: f"{ps_name};1.0;publish",
        4: f"{face.family} {face.style}",
        5: f"Version 1.0; made by fonts/prepare.py from Debian {face.source.package} {version}",
        6: ps_name,
        10: f"Subset of {original} for the publish pipeline, made by fonts/prepare.py.",
        13: OFL_NOTICE,
        14: "https://openfontlicense.org",
    }
    if not ribbi:
        strings |= {16: face.family, 17: face.style}
    for name_id, text in strings.items():
        name.setName(text, name_id, 3, 1, 0x409)
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [ps_name]
        top = cff.topDictIndex[0]
        top.FullName, top.FamilyName = f"{face.family} {face.style}", face.family
        for index, fd in enumerate(getattr(top, "FDArray", None) or []):
            fd.FontName = f"{ps_name}-{index}"


def set_style_and_metrics(font: TTFont, face: Face) -> None:
    """Set weight/style flags and the shared vertical metrics."""
    os2, head, hhea = font["OS/2"], font["head"], font["hhea"]
    os2.usWeightClass = face.weight
    bold, italic = face.weight >= 700, face.italic
    os2.fsSelection &= ~0b1100001  # ITALIC, BOLD, REGULAR
    os2.fsSelection |= (1 if italic else 0) | (32 if bold else 0) | (64 if not (bold or italic) else 0)
    os2.fsSelection |= 128  # USE_TYPO_METRICS
    os2.version = max(os2.version, 4)
    head.macStyle = (1 if bold else 0) | (2 if italic else 0)
    upm = head.unitsPerEm
    ascent, descent = round(ASCENT * upm), round(DESCENT * upm)
    hhea.ascent = os2.sTypoAscender = os2.usWinAscent = ascent
    hhea.descent, os2.sTypoDescender, os2.usWinDescent = -descent, -descent, descent
    hhea.lineGap = os2.sTypoLineGap = 0


def set_space_advance(font: TTFont, em: float) -> None:
    """Give the space and no-break space glyphs an advance of *em* (their outlines are empty)."""
    width = round(em * font["head"].unitsPerEm)
    cmap, hmtx = font.getBestCmap(), font["hmtx"]
    for code in (0x20, 0xA0):
        if code in cmap:
            hmtx[cmap[code]] = (width, hmtx[cmap[code]][1])


def licence_text(source: Source) -> str:
    """Return the licence file text: notice, reserved names and the OFL from Debian."""
    copyright_file = Path(f"/usr/share/doc/{source.package}/copyright").read_text()
    lines = copyright_file.splitlines()
    start = max(i for i, line in enumerate(lines[:-1])  # the stanza that holds the text
                if line.split(":")[0] == "License" and line.split()[-1] in ("OFL-1.1", "SIL-1.1")
                and lines[i + 1].startswith(" "))
    body: list[str] = []
    for line in lines[start + 1:]:
        if not line.startswith(" "):
            break
        body.append("" if line.strip() == "." else line[1:])
    text = "\n".join(body).strip()
    if "PREAMBLE" in text:  # start at the licence proper (Nanum's stanza repeats the notice)
        text = "SIL OPEN FONT LICENSE Version 1.1 - 26 February 2007\n\n" + text[text.index("PREAMBLE"):]
    reserved = (f"with Reserved Font Name {source.reserved_names}." if source.reserved_names
                else "No Reserved Font Name.")
    faces = [face for face in FACES if face.source == source]
    notices = dict.fromkeys(" ".join(str(load(face)["name"].getDebugName(0)).split()) for face in faces)
    files = ", ".join(face.file for face in faces)
    return (f"{source.copyright}\n{reserved}\n{source.note}\nNotices in the original font files:\n"
            + "".join(f"  {notice}\n" for notice in notices)
            + f"\nFiles: {files}\n(renamed, subsetted Modified Versions, see README.md), made from"
            f" the Debian package {source.package} {debian_version(source.package)}.\n\n{text}\n")


def build_face(face: Face, coverage: set[int], version: str) -> dict[str, object]:
    """Subset, rename and save one face; return its manifest entry."""
    font = load(face)
    font.recalcTimestamp = False  # keep the source's dates: a rebuild is byte-identical
    subset_font(font, coverage, face.features)
    if face.scale is not None:
        scaled(font, face.scale)
    if face.whole_units:
        whole_unit_outlines(font)
    if face.units_per_em is not None:
        coarser_grid(font, face.units_per_em)
    if face.space_em is not None:
        set_space_advance(font, face.space_em)
    source = BytesIO()
    if face.order:
        font.save(source)
        reorder_glyphs(font, face.order)
    if "CFF " in font:
        font = cid_keyed(font)
    rename(font, face, version)
    set_style_and_metrics(font, face)
    out = FONTS_DIR / face.file
    font.save(out)
    if face.order and drawings(TTFont(out)) != drawings(TTFont(BytesIO(source.getvalue()))):
        raise ValueError(f"{face.file}: a glyph's outline or advance changed in the new order")
    data = out.read_bytes()
    return {"file": face.file, "family": face.family, "weight": face.weight,
            "style": "italic" if face.italic else "normal", "source": str(face.path),
            "ttc_index": face.index, "package": face.source.package, "version": version,
            "licence": face.source.licence_file, "codepoints": len(font.getBestCmap()),
            "glyphs": font["maxp"].numGlyphs, "bytes": len(data),
            "sha256": hashlib.sha256(data).hexdigest()}


def css_rule(face: Face, coverage: set[int]) -> str:
    """Return the @font-face rule of one face."""
    lines = ["@font-face {", f'  font-family: "{face.family}";',
             f"  src: url(../fonts/{face.file});", f"  font-weight: {face.weight};",
             f"  font-style: {'italic' if face.italic else 'normal'};"]
    if face.unicode_range:
        lines.append(f"  unicode-range: {unicode_range(coverage - face.range_excludes)};")
    return "\n".join([*lines, "}"])


CSS_HEADER = """\
/* Generated by fonts/prepare.py: do not edit by hand.
 *
 * Stacks (first family that maps a character wins, per character):
 *   body:      "Publish Latin", "Publish Serif", "Publish CJK Fallback", "Publish Last Resort"
 *   headings:  "Publish Sans", "Publish Latin Sans", "Publish CJK Sans Fallback",
 *              "Publish CJK Fallback", "Publish Last Resort"
 *   code:      "Publish Mono", "Publish Latin Sans", "Publish CJK Fallback", "Publish Last Resort"
 * Weights: 400 and 700 everywhere (Publish Latin also italic 400/700); Publish Mono 400 only.
 * Publish Last Resort (fonts/lastresort.py) maps every other character to one crossed box, so
 * that Fontconfig never falls back to a system font; publish warns about each such character.
 * Sources, licences and reasons: fonts/README.md.
 * The unicode-range of a Latin face is exactly the set of characters it maps:
 * WeasyPrint hands the range to Fontconfig as the face's charset, so a range
 * wider than the font would draw .notdef boxes. Publish Latin leaves its spaces
 * to Publish Serif, whose spaces are as wide (fonts/README.md).
 */
"""


def main() -> int:
    """Rebuild every face, the licence files, the manifest and styles/fonts.css."""
    FONTS_DIR.mkdir(exist_ok=True)
    CSS_PATH.parent.mkdir(exist_ok=True)
    coverages = {family: shared_coverage(family) for family in dict.fromkeys(f.family for f in FACES)}
    versions = {source.package: debian_version(source.package)
                for source in {face.source for face in FACES}}
    manifest = []
    for face in FACES:
        entry = build_face(face, coverages[face.family], versions[face.source.package])
        manifest.append(entry)
        print(f"{face.file:34} {entry['codepoints']:6} chars {entry['bytes'] / 1024:8.0f} KiB")
    for source in {face.source for face in FACES}:
        (FONTS_DIR / source.licence_file).write_text(licence_text(source))
    manifest.append(lastresort.main())  # made from scratch, not from a Debian package
    (FONTS_DIR / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    rules = [css_rule(face, coverages[face.family]) for face in FACES] + [lastresort.css_rule()]
    CSS_PATH.write_text(CSS_HEADER + "\n" + "\n\n".join(rules) + "\n")
    total = sum(int(entry["bytes"]) for entry in manifest)
    print(f"total {total / 1024 / 1024:.1f} MiB in {len(manifest)} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
