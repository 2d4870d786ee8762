"""The vendored fonts: files and licences, glyph coverage, and a real WeasyPrint render using only them."""

from __future__ import annotations

import io
import json
import re
import subprocess
from pathlib import Path

import pytest
from fontTools.cffLib import CFFFontSet
from fontTools.misc.psCharStrings import T2WidthExtractor
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont
from pypdf import PageObject, PdfReader
from pypdf.generic import ContentStream, TextStringObject

from publish.author.glyphs import covered_codepoints, font_files, uncovered_characters

ROOT = Path(__file__).resolve().parents[2]
FONTS = ROOT / "fonts"
FONTS_CSS = ROOT / "styles" / "fonts.css"
MANIFEST = json.loads((FONTS / "manifest.json").read_text(encoding="utf-8"))
WJ = "\u2060"

BODY = '"Publish Latin", "Publish Serif", "Publish CJK Fallback", "Publish Last Resort"'
HEADINGS = '"Publish Sans", "Publish Latin Sans", "Publish CJK Sans Fallback", "Publish CJK Fallback", "Publish Last Resort"'
CODE = '"Publish Mono", "Publish Latin Sans", "Publish CJK Fallback", "Publish Last Resort"'
FAMILIES = {"Publish Latin", "Publish Serif", "Publish Sans", "Publish Latin Sans", "Publish Mono",
            "Publish CJK Fallback", "Publish CJK Sans Fallback", "Publish Last Resort"}
# OFL Reserved Font Names (and the original names) that renamed subsets must not carry.
RESERVED = re.compile(r"nanum|libertine|biolinum|noto|source han|나눔", re.IGNORECASE)

SAMPLES = {
    "korean": "본 보고서는 상술한 라이선스를 따르는 조건 하 복제 및 변경/변조가 가능합니다. ㈜ ①②",
    "hanja": "株式會社 學校 國家 漢字",
    "japanese": "株式会社 かな カナ ひらがな・カタカナ。「日本語」ｶﾀｶﾅ",
    "latin": "Café naïve Schölkopf Łukasz Dvořák Nguyễn Ärger Øre ß fi ff",
    "quotes": "‘subject’ “quoted” … – — · ©",
    "symbols": "→ ← ↔ ≤ ≥ ≈ × ± ° € α β λ θ",
    "ignorable": f"가{WJ}나\u200b다\u00ad라\ufeff",
}
TEXT = (
    "본 보고서는 株式会社 IBS (일본 소재) 지원 하 작성되었습니다. 레이어 중반부의 MLP 모듈은 "
    "subject에 대한 정보를 인식하여, ‘subject에 대한 정보 및 추론내용’을 출력합니다. "
    "“Calibrate Before Use” → x ≤ y ≥ z ≈ 3 × 4. Café, naïve, Schölkopf, Dvořák. "
    "株式會社 株式会社 かな カナ「日本語」."
)


def hangul_joined(text: str) -> str:
    """Insert U+2060 between adjacent Hangul syllables, as the pipeline does."""
    return re.sub(r"(?<=[\uac00-\ud7a3])(?=[\uac00-\ud7a3])", WJ, text)


def css_faces() -> list[dict[str, str]]:
    """The descriptors of each @font-face rule in styles/fonts.css."""
    css = re.sub(r"/\*.*?\*/", "", FONTS_CSS.read_text(encoding="utf-8"), flags=re.DOTALL)
    faces = []
    for block in re.findall(r"@font-face\s*{([^}]*)}", css):
        pairs = (part.split(":", 1) for part in block.split(";") if ":" in part)
        faces.append({key.strip(): " ".join(value.split()) for key, value in pairs})
    return faces


def parse_range(value: str) -> set[int]:
    """Code points of a CSS unicode-range value."""
    codes: set[int] = set()
    for item in value.replace("U+", "").split(","):
        first, _, last = item.strip().partition("-")
        codes.update(range(int(first, 16), int(last or first, 16) + 1))
    return codes


# (a) files, names, licences


def test_manifest_lists_exactly_the_font_files() -> None:
    assert sorted(entry["file"] for entry in MANIFEST) == [p.name for p in font_files(FONTS)]
    assert {entry["family"] for entry in MANIFEST} == FAMILIES


@pytest.mark.parametrize("entry", MANIFEST, ids=lambda entry: entry["file"])
def test_font_loads_with_its_licence_and_new_name(entry: dict) -> None:
    path = FONTS / entry["file"]
    font = TTFont(path)
    assert len(font.getBestCmap()) == entry["codepoints"]
    assert font["maxp"].numGlyphs == entry["glyphs"]
    licence = FONTS / entry["licence"]
    assert licence.is_file() and "SIL OPEN FONT LICENSE Version 1.1" in licence.read_text()
    assert entry["file"] in licence.read_text()
    name = font["name"]
    assert name.getDebugName(1) == entry["family"]
    assert name.getDebugName(6) == path.stem
    shown = [str(name.getDebugName(i) or "") for i in (1, 3, 4, 6, 16, 17)]
    if "CFF " in font:
        cff = font["CFF "].cff
        shown += [*cff.fontNames, cff.topDictIndex[0].FullName, cff.topDictIndex[0].FamilyName]
    assert not [text for text in shown if RESERVED.search(text)]
    assert font["OS/2"].usWeightClass == entry["weight"]
    assert bool(font["OS/2"].fsSelection & 1) == (entry["style"] == "italic")
    assert not {"fpgm", "prep", "cvt ", "DSIG", "hdmx", "LTSH", "VDMX"} & set(font.keys())


def test_weights_of_a_family_cover_the_same_characters() -> None:
    by_family: dict[str, set[frozenset[int]]] = {}
    for path in font_files(FONTS):
        with TTFont(path, lazy=True) as font:
            by_family.setdefault(str(font["name"].getDebugName(1)), set()).add(frozenset(font.getBestCmap()))
    assert all(len(cmaps) == 1 for cmaps in by_family.values())


def test_total_size_stays_small() -> None:
    assert sum(p.stat().st_size for p in font_files(FONTS)) < 20 * 1024 * 1024


def test_fonts_css_matches_the_files() -> None:
    faces = css_faces()
    assert {face["font-family"].strip('"') for face in faces} == FAMILIES
    assert sorted(re.search(r"url\(\.\./fonts/([^)]+)\)", f["src"]).group(1) for f in faces) == sorted(
        entry["file"] for entry in MANIFEST)
    for face in faces:
        if "unicode-range" in face:  # WeasyPrint turns the range into the face's charset: it must be exact
            file = re.search(r"url\(\.\./fonts/([^)]+)\)", face["src"]).group(1)
            with TTFont(FONTS / file, lazy=True) as font:
                mapped = set(font.getBestCmap())
            if face["font-family"].strip('"') == "Publish Latin":
                mapped -= {0x20, 0xA0}  # left to Publish Serif, equally wide (test_body_faces_share_one_space_width)
            assert parse_range(face["unicode-range"]) == mapped


@pytest.mark.parametrize("path", font_files(FONTS), ids=lambda p: p.name)
def test_word_joiner_is_absent_or_an_invisible_zero_width_glyph(path: Path) -> None:
    with TTFont(path) as font:
        glyph = font.getBestCmap().get(0x2060)
        if glyph is not None:  # none of the current files maps it; a mapped one must draw nothing
            pen = BoundsPen(font.getGlyphSet())
            font.getGlyphSet()[glyph].draw(pen)
            assert font["hmtx"][glyph][0] == 0 and pen.bounds is None
        assert font.getBestCmap().get(0x20) is not None  # Pango keeps the current font for spaces


# WeasyPrint embeds every glyph slot up to the highest glyph id drawn, so the glyphs a report
# uses most must have low ids (fonts/README.md, "Glyph order"): text, bound.
HANGUL_TEXT = "본 보고서는 상술한 라이선스를 따르는 조건 하 복제 및 변경/변조가 가능합니다. 한글 힘 흐름"
LIKELY_FIRST = {
    "PublishLatin-": [("The office’s “first” draft — pages 3–4… • ﬁ ﬀ", 160), ("© é ü ß ×", 260)],
    "PublishCJK": [("株式会社 かな、「カナ」", 400)],
    # ASCII and the 2,350 syllables of KS X 1001 (96-2445), then punctuation and KS X 1001 symbols
    "PublishSerif-": [(HANGUL_TEXT, 2446), ("‘’“”–—…·※×°「」『』～○■→▶㈜①ㄱㅋ", 3200)],
    "PublishSans-": [(HANGUL_TEXT, 2446), ("‘’“”–—…·※×°「」『』～○■→▶㈜①ㄱㅋ", 3200)],
}
# EUC-KR rows 0xB0-0xC8: the 2,350 Hangul syllables of KS X 1001, in its (alphabetical) order.
KS_X_1001_HANGUL = [ord(bytes((a, b)).decode("euc_kr")) for a in range(0xB0, 0xC9) for b in range(0xA1, 0xFF)]


@pytest.mark.parametrize("path", [p for p in font_files(FONTS) if p.suffix == ".otf"], ids=lambda p: p.name)
def test_cff_faces_are_cid_keyed(path: Path) -> None:
    with TTFont(path) as font:
        top = font["CFF "].cff.topDictIndex[0]
        assert top.ROS == ("Adobe", "Identity", 0)  # no glyph names to embed, CID = glyph id
        assert top.charset == [".notdef", *(f"cid{gid:05d}" for gid in range(1, len(top.charset)))]


@pytest.mark.parametrize("path", [p for p in font_files(FONTS) if p.name.startswith(tuple(LIKELY_FIRST))],
                         ids=lambda p: p.name)
def test_likely_glyphs_come_first(path: Path) -> None:
    with TTFont(path) as font:
        cmap = font.getBestCmap()
        [likely] = [texts for prefix, texts in LIKELY_FIRST.items() if path.name.startswith(prefix)]
        for text, bound in likely:
            assert all(ord(char) in cmap for char in text)
            assert max(font.getGlyphID(cmap[ord(char)]) for char in text) < bound, text


def test_latin_and_nanum_text_faces_share_the_glyph_ids_of_ascii_and_common_hangul() -> None:
    # The same character is then the same bytes in body and heading text, which deflate matches.
    assert len(set(KS_X_1001_HANGUL)) == 2350
    ascii_ids = list(range(1, 96))
    latin = sorted(FONTS.glob("PublishLatin-*.otf"))
    assert len(latin) == 4
    for path in latin:
        with TTFont(path) as font:
            cmap = font.getBestCmap()
            assert [font.getGlyphID(cmap[code]) for code in range(0x20, 0x7F)] == ascii_ids, path.name
    for name in ("PublishSerif-Regular", "PublishSerif-Bold", "PublishSans-Regular", "PublishSans-Bold"):
        with TTFont(FONTS / f"{name}.ttf") as font:
            cmap = font.getBestCmap()
            ids = [font.getGlyphID(cmap[code]) for code in [*range(0x20, 0x7F), *KS_X_1001_HANGUL]]
            assert ids == list(range(1, 96 + 2350)), name


# (b) coverage


@pytest.mark.parametrize("name", SAMPLES)
def test_samples_are_covered(name: str) -> None:
    assert uncovered_characters(SAMPLES[name], FONTS) == {}


def test_all_hangul_syllables_and_common_hanja_are_covered() -> None:
    covered = covered_codepoints(FONTS.resolve())
    assert set(range(0xAC00, 0xD7A4)) <= covered
    ks_x_1001 = {ord(bytes((a, b)).decode("euc_kr")) for a in range(0xCA, 0xFE) for b in range(0xA1, 0xFF)}
    assert ks_x_1001 <= covered


def test_uncovered_characters_are_reported_with_names() -> None:
    found = uncovered_characters("가 😀 \U00010000 a", FONTS)
    assert found == {"😀": "GRINNING FACE", "\U00010000": "LINEAR B SYLLABLE B008 A"}
    assert found == uncovered_characters("가 😀 \U00010000 a", FONTS / ".." / "fonts")


# (c) a real render


def pdffonts(pdf: Path) -> list[tuple[str, bool, bool]]:
    """(name, embedded, subset) of each font of a PDF, from poppler's pdffonts."""
    lines = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    rows = []
    for line in lines.splitlines()[2:]:
        parts = line.split()
        rows.append((parts[0], parts[-5] == "yes", parts[-4] == "yes"))
    return rows


def font_programs(page: PageObject) -> dict[str, TTFont | CFFFontSet]:
    """The embedded font program of each font resource of a page, by resource name."""
    programs: dict[str, TTFont | CFFFontSet] = {}
    for key, font in page["/Resources"]["/Font"].items():
        descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        data = (descriptor.get("/FontFile2") or descriptor["/FontFile3"]).get_object().get_data()
        if data[:4] in (b"OTTO", b"\0\1\0\0", b"true"):
            programs[key] = TTFont(io.BytesIO(data))
        else:  # a bare CFF (FontFile3 /CIDFontType0C)
            programs[key] = CFFFontSet()
            programs[key].decompile(io.BytesIO(data), None)
    return programs


def family_name(program: TTFont | CFFFontSet) -> str:
    """The family name inside a font program (not the PDF's BaseFont label)."""
    if isinstance(program, TTFont):
        return str(program["name"].getDebugName(1))
    return str(program.topDictIndex[0].FamilyName)


def glyph_count(program: TTFont | CFFFontSet) -> int:
    """How many glyphs a font program has."""
    if isinstance(program, TTFont):
        return program["maxp"].numGlyphs
    return len(program[program.fontNames[0]].charset)


def embedded_families(pdf: Path) -> set[str]:
    """The family names inside the PDF's embedded font programs."""
    return {family_name(program) for page in PdfReader(pdf).pages for program in font_programs(page).values()}


def missing_glyphs(pdf: Path) -> list[tuple[str, int]]:
    """(font family, glyph id) of every .notdef box drawn: glyph 0, or an id past the font's glyphs.

    WeasyPrint gives a character its font cannot map an unused id beyond the last glyph, which
    viewers draw as the .notdef box.
    """
    reader = PdfReader(pdf)
    found = []
    for page in reader.pages:
        programs = font_programs(page)
        counts = {key: glyph_count(program) for key, program in programs.items()}
        current = ""
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"Tf":
                current = operands[0]
            elif operator in (b"Tj", b"TJ"):
                for item in operands[0] if operator == b"TJ" else operands:
                    if isinstance(item, (str, bytes)):
                        data = item.original_bytes if isinstance(item, TextStringObject) else bytes(item)
                        gids = (int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2))
                        found += [(family_name(programs[current]), gid) for gid in gids
                                  if gid == 0 or gid >= counts[current]]
    return found


def render(html: str, pdf: Path, css: str = "") -> Path:
    """Render *html* with styles/fonts.css (plus *css*) through one FontConfiguration."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    stylesheets = [weasyprint.CSS(filename=str(FONTS_CSS), font_config=fonts),
                   weasyprint.CSS(string=css, font_config=fonts)]
    weasyprint.HTML(string=html, base_url=str(ROOT)).write_pdf(pdf, stylesheets=stylesheets, font_config=fonts)
    return pdf


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A page mixing every family, rendered by WeasyPrint with styles/fonts.css only."""
    html = hangul_joined(
        '<html lang="ko"><body><h1>1. 기존 연구들 — Calibrate Before Use 株式会社 Äö</h1>'
        f"<p>{TEXT} <b>굵은 글씨 bold 株式会社</b> <i>italic et al.</i> <b><i>bold italic</i></b></p>"
        "<p><code>print('안녕 세계') → ok</code></p></body></html>"
    )
    css = f"""@page {{ size: A5; margin: 12mm }}
        body {{ font-family: {BODY}; font-size: 10.5pt; line-height: 1.7 }}
        h1 {{ font-family: {HEADINGS}; font-size: 14pt }}
        code {{ font-family: {CODE} }}"""
    return render(html, tmp_path_factory.mktemp("fonts") / "fonts.pdf", css)


def test_render_embeds_only_vendored_font_subsets(rendered: Path) -> None:
    rows = pdffonts(rendered)
    labels = {name.split("+", 1)[1] for name, _, _ in rows}
    assert all(embedded and subset for _, embedded, subset in rows)
    assert all(label.startswith("Publish-") for label in labels), labels  # no DejaVu, IPAex or Noto
    # read from the font programs themselves; the last resort draws only what no other font has
    assert embedded_families(rendered) == FAMILIES - {"Publish Last Resort"}


def test_render_draws_no_notdef_box(rendered: Path) -> None:
    assert missing_glyphs(rendered) == []


def test_uncovered_characters_are_crossed_boxes_of_the_last_resort_not_system_fonts(tmp_path: Path) -> None:
    """This machine has DejaVu, which has ✓ and α: Fontconfig must never be asked for it."""
    uncovered = "✓ 😀 习 \ue000 ⟁"
    assert set(uncovered_characters(uncovered, FONTS)) == set(uncovered.replace(" ", ""))
    html = hangul_joined(f"<p>가나 {uncovered} 다라 a</p><h1>{uncovered}</h1><p><code>{uncovered}</code> <kbd>✓</kbd></p>")
    css = f"body {{ font-family: {BODY} }} h1 {{ font-family: {HEADINGS} }} code, kbd {{ font-family: {CODE} }}"
    pdf = render(html, tmp_path / "uncovered.pdf", css)
    labels = {name.split("+", 1)[1] for name, _, _ in pdffonts(pdf)}
    assert all(label.startswith("Publish-") for label in labels), labels
    assert "Publish Last Resort" in embedded_families(pdf)
    assert missing_glyphs(pdf) == []  # a real glyph, not .notdef, and the spaces after it are spaces


def test_notdef_detection_catches_a_too_wide_unicode_range(tmp_path: Path) -> None:
    trap = ("<style>@font-face { font-family: Trap; src: url(fonts/PublishLatin-Regular.otf);"
            " unicode-range: U+20-7E, U+AC00-D7A3 }</style><p style='font-family: Trap'>가 a</p>")
    missing = missing_glyphs(render(trap, tmp_path / "trap.pdf"))
    assert [family for family, _ in missing] == ["Publish Latin"]


def test_render_gives_the_text_back_without_word_joiners(rendered: Path) -> None:
    text = subprocess.run(["pdftotext", str(rendered), "-"], check=True, capture_output=True, text=True).stdout
    flat = re.sub(r"\s+", " ", text)
    assert WJ not in text
    for word in ("작성되었습니다.", "株式会社", "株式會社", "かな", "Schölkopf,", "‘subject에", "추론내용’을", "→"):
        assert word in flat


def test_render_rasterizes_cleanly(rendered: Path, tmp_path: Path) -> None:
    result = subprocess.run(["pdftoppm", "-r", "50", "-png", str(rendered), str(tmp_path / "page")],
                            check=False, capture_output=True, text=True)
    assert result.returncode == 0 and result.stderr == ""
    assert (tmp_path / "page-1.png").stat().st_size > 1000


def test_word_joiner_changes_no_glyph_position(tmp_path: Path) -> None:
    samples = {"가나다라": ["Publish Serif", "Publish Sans", "Publish Mono"],
               "abcd": ["Publish Latin", "Publish Latin Sans"],
               "株式会社": ["Publish CJK Fallback", "Publish CJK Sans Fallback"]}
    rows = "".join(
        f"<p style=\"font-family: '{family}', 'Publish Latin'\">{word}|</p>" for text, families in samples.items()
        for family in families for word in (text, WJ.join(text)))
    pdf = render(f"<body>{rows}</body>", tmp_path / "wj.pdf", "p { margin: 0; font-size: 20pt }")
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    words = re.findall(r'xMax="([\d.]+)"[^>]*>([^<]*)</word>', bbox)
    assert len(words) == 14 and all(WJ not in word for _, word in words)
    assert [x for x, _ in words[0::2]] == [x for x, _ in words[1::2]]
    assert missing_glyphs(pdf) == []


@pytest.mark.parametrize("weight", ["Regular", "Bold"])
def test_body_faces_share_one_space_width(weight: str) -> None:
    """Publish Latin and Publish Serif spaces are equally wide: a justified line draws its spaces
    from the first (Latin) while Pango measured those inside Korean text in the second."""

    def space_em(path: Path) -> set[float]:
        font = TTFont(path)
        cmap = font.getBestCmap()
        return {font["hmtx"][cmap[code]][0] / font["head"].unitsPerEm for code in (0x20, 0xA0)}

    assert space_em(FONTS / f"PublishSerif-{weight}.ttf") == space_em(FONTS / f"PublishLatin-{weight}.otf") == {0.25}


@pytest.mark.parametrize("name", ["PublishSerif-Regular", "PublishSerif-Bold", "PublishSans-Regular", "PublishSans-Bold"])
def test_nanum_text_faces_are_on_a_300_unit_grid_with_exact_shared_metrics(name: str) -> None:
    """The coarser grid keeps what must line up exact: ascent and descent as Latin's, Hangul advances."""
    font = TTFont(FONTS / f"{name}.ttf")
    latin = TTFont(FONTS / "PublishLatin-Regular.otf")
    upm, hhea = font["head"].unitsPerEm, font["hhea"]
    assert upm == 300
    assert (hhea.ascent / upm, hhea.descent / upm) == (latin["hhea"].ascent / 1000, latin["hhea"].descent / 1000)
    cmap = font.getBestCmap()
    advances = {font["hmtx"][cmap[code]][0] for code in range(0xAC00, 0xD7A4) if code in cmap}
    assert advances == {282 if "Sans" in name else 285}  # 0.94 and 0.95 em, as in the PDF's widths


@pytest.mark.parametrize("path", sorted(FONTS.glob("PublishLatin-*.otf")), ids=lambda p: p.name)
def test_latin_outlines_are_on_whole_units_with_their_advances(path: Path) -> None:
    """A fraction costs five bytes in a Type 2 charstring; the redrawn glyphs keep their widths."""
    font = TTFont(path)
    top = font["CFF "].cff.topDictIndex[0]
    for name in font.getGlyphOrder():
        charstring = top.CharStrings[name]
        charstring.decompile()
        assert all(not isinstance(token, float) or token.is_integer() for token in charstring.program), name
        private = charstring.private
        width = T2WidthExtractor([], charstring.globalSubrs, private.nominalWidthX, private.defaultWidthX)
        width.execute(charstring)
        assert width.width == font["hmtx"][name][0], name
