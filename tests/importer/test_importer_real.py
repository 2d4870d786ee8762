"""Acceptance: the author's real export (a copy of shared/seed/neurips2023-llm-report.md) imports completely.

The fidelity check does not reuse the importer's parser: it normalises the export with regular
expressions (tags and Markdown syntax stripped, links as `text ⟨url⟩`, the `tl; dr: :` and ` : `
separators, `*` and `~~` markers removed, whitespace collapsed) and compares the resulting token
sequence with the same normalisation of the imported content, read back through Python-Markdown.
Only the hand-written table of contents may disappear, and the licence, badge, reuse statement and
acknowledgement lines must reappear in report.yaml. Notes (`*. …`) are compared as a set because
the importer turns them into footnote definitions and merges word-for-word repeats.
"""

from __future__ import annotations

import datetime as dt
import difflib
import html
import re
from pathlib import Path

import markdown
import pytest
import yaml

from publish.importer import import_export

EXPORT = Path(__file__).resolve().parent.parent / "fixtures" / "import" / "neurips2023-llm-report.md"


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("real") / "content"
    import_export(EXPORT, dest)
    return dest


def _split(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    head, _, body = text[4:].partition("\n---\n")
    return yaml.safe_load(head), body


def _entries(content: Path) -> list[tuple[str, Path]]:
    report = yaml.safe_load((content / "report.yaml").read_text(encoding="utf-8"))
    return [(c, p) for c in report["chapters"] for p in sorted((content / c).glob("*.md")) if p.name != "chapter.md"]


# ---------------------------------------------------------------- independent normalisation

_ANCHOR = re.compile(r'<a\s+href="([^"]*)"[^>]*>(.*?)</a>', re.DOTALL)
_IMG = re.compile(r'<img\s[^>]*?src="([^"]*)"[^>]*>')
_BLOCK_TAG = re.compile(r"</?(p|li|ul|ol|h[1-6]|details|summary|div|br|blockquote|pre|table|tr|td|th|hr)\b[^>]*>", re.IGNORECASE)
_MD_LINK = re.compile(r"(!?)\[([^\]]*)\]\(([^)\s]+)\)")


def _link(url: str, text: str) -> str:
    url = html.unescape(url).strip()
    text = re.sub(r"<[^>]+>", "", text)
    text = html.unescape(text).strip()
    return f" ⟨{url}⟩ " if text in ("", url) else f"{text} ⟨{url}⟩"


def _text_of_html(fragment: str) -> str:
    fragment = _ANCHOR.sub(lambda m: _link(m.group(1), m.group(2)), fragment)
    fragment = _IMG.sub(lambda m: f" ⟨{html.unescape(m.group(1))}⟩ ", fragment)
    fragment = _BLOCK_TAG.sub(" ", fragment)
    fragment = re.sub(r"<[^>]+>", "", fragment)  # inline tags do not separate words
    return html.unescape(fragment)


def tokens(text: str) -> list[str]:
    text = text.replace("~~", "")
    text = re.sub(r"tl\s*;\s*dr\s*:", " ", text)
    text = text.replace("*", "").replace(":", " ")
    return text.split()


def _note_text(text: str) -> str:
    return " ".join(tokens(text))


def source_stream(report: dict) -> tuple[list[str], set[str]]:
    """Tokens of the export, and the set of its notes, minus what the importer may drop or move."""
    text = EXPORT.read_text(encoding="utf-8")
    text = text.split("---\n", 2)[2]  # Jekyll front matter
    lines = text.split("\n")
    kept: list[str] = []
    notes: set[str] = set()
    skipping_toc = False
    for line in lines:
        stripped = line.strip()
        if stripped == "### 목차":
            skipping_toc = True
            continue
        if skipping_toc:
            if re.match(r"\d+\.\s", stripped) or not stripped:
                continue
            skipping_toc = False
        if "licensed under" in line or stripped == "![Untitled](Untitled.png)" or stripped.startswith("Acknowledgement"):
            continue
        if stripped == report["license"]["statement"]:
            continue
        note = re.match(r"^(?:<p>)?\*+\.\s*(.*?)(?:</p>)?$", stripped)
        if note:
            inner = _MD_LINK.sub(lambda m: _link(m.group(3), m.group(2)), note.group(1))
            notes.add(_note_text(_text_of_html(inner)))
            continue
        line = re.sub(r"^\s*#+\s*(\*\*)?\s*\d+\.\s+", " ", line)  # chapter numbers (the pipeline numbers chapters)
        line = re.sub(r"<h1>\s*\d+\.\s*", "<h1>", line)
        line = re.sub(r"^\s*#+\s", " ", line)
        line = re.sub(r"^\s*[-+]\s", " ", line)
        kept.append(line)
    body = "\n".join(kept)
    body = _MD_LINK.sub(lambda m: _link(m.group(3), m.group(2)), body)
    return tokens(_text_of_html(body)), notes


_DEF = re.compile(r"^\[\^(\w+)\]:\s?(.*)$", re.MULTILINE)
_EXTENSIONS = ["tables", "sane_lists", "fenced_code"]


def _markdown_text(source: str, notes: set[str]) -> str:
    for match in _DEF.finditer(source):
        notes.add(_note_text(_text_of_html(markdown.markdown(match.group(2), extensions=_EXTENSIONS))))
    source = _DEF.sub("", source)
    source = re.sub(r"\[\^\w+\]", "", source)
    return _text_of_html(markdown.markdown(source, extensions=_EXTENSIONS))


def content_stream(content: Path) -> tuple[list[str], set[str]]:
    report = yaml.safe_load((content / "report.yaml").read_text(encoding="utf-8"))
    notes: set[str] = set()
    parts = [report["title"]]
    for chapter in report["chapters"]:
        front, body = _split(content / chapter / "chapter.md")
        parts += [front["title"], _markdown_text(body, notes)]
        for path in sorted((content / chapter).glob("*.md")):
            if path.name == "chapter.md":
                continue
            front, body = _split(path)
            title = _markdown_text(front["title"], set())
            parts.append(f"{title} ⟨{front['url']}⟩")
            parts += [f"({front[key]})" for key in ("venue", "note") if key in front]
            parts.append(_markdown_text(front.get("tldr", ""), notes))
            parts.append(_markdown_text(body, notes))
    return tokens("\n".join(parts)), notes


# ---------------------------------------------------------------- tests


def test_counts(content):
    report = yaml.safe_load((content / "report.yaml").read_text(encoding="utf-8"))
    assert report["chapters"] == [
        "introduction", "chapter-1", "better-feedback-reinforcement-learning", "xai-for-llm",
        "causality-with-llm", "chapter-5", "others",
    ]
    entries = _entries(content)
    assert len(entries) == 30
    statuses = [_split(p)[0].get("status", "active") for _, p in entries]
    assert statuses.count("withdrawn") == 1 and statuses.count("active") == 29
    per_chapter = [sum(1 for c, _ in entries if c == chapter) for chapter in report["chapters"]]
    assert per_chapter == [0, 7, 4, 7, 3, 3, 6]
    intro = _split(content / "introduction" / "chapter.md")[0]
    assert intro == {"title": "Introduction 및 축약어 안내", "numbered": False}
    titles = [_split(content / c / "chapter.md")[0]["title"] for c in report["chapters"][1:]]
    assert titles == [
        "기존 연구들 중 핵심이 되는 연구들", "Better Feedback for Reinforcement learning in LLM", "XAI for LLM",
        "Causality with LLM", "경량화 학습 관련 연구들", "Others",
    ]


def test_report_metadata(content):
    report = yaml.safe_load((content / "report.yaml").read_text(encoding="utf-8"))
    assert report == {
        "title": "NeurIPS 2023 Oral & Spotlight, in LLM",
        "series": "Reports about Recent Advances in DL",
        "author": {"name": "Seunghyun Ji", "url": "https://www.notion.so/Seunghyun-Ji-c2036b765eeb4544a4ea6c3732d2f55f?pvs=21"},
        "date": dt.date(2024, 1, 1),
        "language": "ko",
        "license": {"id": "CC-BY-NC-SA-4.0", "year": 2024, "statement": "본 보고서는 상술한 라이선스를 따르는 조건 하 복제 및 변경/변조가 가능합니다."},
        "sponsor": {"name": "株式会社 IBS", "acknowledgement": "본 보고서는 株式会社 IBS (일본 소재) 지원 하 작성되었습니다."},
        "details_title": "상세 및 개인 의견",
        "chapters": report["chapters"],
    }


def test_entry_urls_and_titles_preserved(content):
    source = EXPORT.read_text(encoding="utf-8")
    expected = re.findall(r'<a href="([^"]+)">(?:~~)?([^<]+)</a>[^\n]*\ntl; dr', source)
    found = [(f["url"], f["title"]) for f in (_split(p)[0] for _, p in _entries(content))]
    assert found == [(url, html.unescape(title)) for url, title in expected]


def test_details_labels_preserved_in_order(content):
    source = EXPORT.read_text(encoding="utf-8")
    starts = [m.start() for m in re.finditer(r'<a href="[^"]+">[^<]+</a>[^\n]*\ntl; dr', source)]
    chunks = [source[a:b] for a, b in zip(starts, [*starts[1:], len(source)])]
    expected = [re.findall(r"<p><strong>([^<]+)</strong>\s*(?::|</p>\s*<p>:)", chunk) for chunk in chunks]
    found = [re.findall(r"^## (.+)$", _split(p)[1], re.MULTILINE) for _, p in _entries(content)]
    assert found == expected
    assert sum(map(len, expected)) == 107  # 106 `<strong>Label</strong> :` + 1 label whose text opens the next paragraph


def test_every_entry_has_its_details_box(content):
    for _, path in _entries(content):
        body = _split(path)[1]
        assert body.count("\n# 상세 및 개인 의견\n") + body.startswith("# 상세 및 개인 의견\n") == 1, path


def test_footnotes(content):
    by_name = {p.name: _split(p) for _, p in _entries(content)}
    front, body = by_name["04-why-think-step-by-step.md"]
    assert "추적하므로[^1], 학습한 텍스트가 지엽적이고 다른 텍스트와 잘 연결되지 않을 때[^2] 더 높은" in front["tldr"]
    assert "[^1]: 논문에서는 bayes net에서의 intermediate variable이라고" in body
    assert "[^2]: 데이터 복잡도가 높은 경우라고도 말할 수 있음." in body
    front, body = by_name["03-in-context-impersonation-reveals-large-language.md"]
    assert "multi-armed bandit[^1] 문제를" in front["tldr"]
    assert body.count("[^1]: 제각기 다른 당첨확률의 슬롯머신") == 1 and body.count("bandit[^1]") == 1
    _, body = by_name["06-leveraging-sparse-and-shared-feature-activations.md"]
    assert "neural collapse 현상[^1]과" in body
    assert body.count("2305.13165") == 1


def test_fidelity_nothing_lost_nothing_invented(content):
    report = yaml.safe_load((content / "report.yaml").read_text(encoding="utf-8"))
    expected, source_notes = source_stream(report)
    found, content_notes = content_stream(content)
    if expected != found:
        diff = list(difflib.unified_diff(expected, found, "export", "content", n=5, lineterm=""))
        pytest.fail("token streams differ:\n" + "\n".join(diff[:80]))
    assert content_notes == source_notes
    assert len(source_notes) == 4
    # the moved lines are all in report.yaml
    assert report["author"]["name"] == "Seunghyun Ji" and report["license"]["year"] == 2024
    assert report["series"] == "Reports about Recent Advances in DL"
    assert "상술한 라이선스" in report["license"]["statement"]
    assert "株式会社 IBS (일본 소재)" in report["sponsor"]["acknowledgement"]


def test_figures_are_remote_images_in_place(content):
    source = EXPORT.read_text(encoding="utf-8")
    expected = re.findall(r'<a href="(https://lh7-us\.googleusercontent\.com/[^"]+)">', source)
    found = [m for _, p in _entries(content) for m in re.findall(r"^\s*!\[\]\((\S+)\)$", _split(p)[1], re.MULTILINE)]
    assert found == expected and len(found) == 25


def test_real_export_loads_and_renders(content):
    loader = pytest.importorskip("publish.content.loader")
    markup = pytest.importorskip("publish.render.markup")
    report, problems = loader.load_report(content)
    assert [p.format() for p in problems] == []
    assert report is not None and len(report.chapters) == 7 and len(report.entries) == 30
    _, render_problems = markup.render_report(report)
    assert [p.format() for p in render_problems] == []
