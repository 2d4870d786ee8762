"""The Notion → Jekyll export importer: one small fixture per pattern of the export, plus the API's guarantees."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from publish.errors import ContentError, PublishError, UsageError
from publish.importer import ImportSummary, convert, import_export
from publish.importer.nodes import Text
from publish.importer.render import escape, render_paragraph
from publish.importer.slugs import chapter_slug, entry_slug

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import"


def files_of(name: str) -> tuple[dict[str, str], ImportSummary]:
    """Convert a fixture in memory: relative path → text."""
    files, summary = convert(FIXTURES / name)
    return {k: v.decode("utf-8") for k, v in files.items()}, summary


def split(text: str) -> tuple[dict, str]:
    """(front matter, body) of a generated Markdown file."""
    assert text.startswith("---\n")
    head, _, body = text[4:].partition("\n---\n")
    return yaml.safe_load(head), body


def entry_files(files: dict[str, str]) -> list[str]:
    return sorted(k for k in files if k.endswith(".md") and not k.endswith("chapter.md"))


def warnings_text(summary: ImportSummary) -> str:
    return "\n".join(w.format() for w in summary.warnings)


# ---------------------------------------------------------------- metadata


def test_preamble_goes_to_report_yaml():
    files, summary = files_of("metadata.md")
    report = yaml.safe_load(files["report.yaml"])
    assert report["title"] == "Small Report on Things"
    assert report["series"] == "Notes on Things"
    assert report["author"] == {"name": "Kim Minji", "url": "https://example.org/~minji"}
    assert report["date"] == dt.date(2023, 12, 20)  # from the Jekyll front matter
    assert report["license"] == {
        "id": "CC-BY-4.0", "year": 2023,
        "statement": "본 보고서는 상술한 라이선스를 따르는 조건 하 자유롭게 복제할 수 있습니다.",
    }
    assert report["sponsor"] == {
        "name": "Example Foundation",
        "acknowledgement": "This report was supported by Example Foundation (Seoul).",
    }
    assert report["language"] == "ko"
    # none of it is left in the body
    body = "".join(files[k] for k in files if k != "report.yaml")
    for moved in ("licensed", "Acknowledgement", "Untitled", "복제"):
        assert moved not in body
    assert "dropped the image 'Untitled.png'" in warnings_text(summary)


def test_date_falls_back_to_licence_year_with_a_warning():
    files, summary = files_of("neurips2023-llm-report.md")
    report = yaml.safe_load(files["report.yaml"])
    assert report["date"] == dt.date(2024, 1, 1)
    assert "used 2024-01-01 from the licence year" in warnings_text(summary)


def test_missing_metadata_is_reported_not_invented():
    files, summary = files_of("introduction_toc.md")
    report = yaml.safe_load(files["report.yaml"])
    assert "author" not in report and "license" not in report and "date" not in report
    text = warnings_text(summary)
    assert "add author.name" in text and "add license.id" in text and "add 'date: YYYY-MM-DD'" in text


# ---------------------------------------------------------------- chapters


def test_introduction_keeps_prose_and_drops_the_table_of_contents():
    files, summary = files_of("introduction_toc.md")
    report = yaml.safe_load(files["report.yaml"])
    assert report["chapters"] == ["introduction", "chapter-1", "better-feedback-reinforcement-learning", "chapter-3"]
    front, body = split(files["introduction/chapter.md"])
    assert front == {"title": "Introduction 및 축약어 안내", "numbered": False}
    assert body == (
        "첫 문단입니다. **굵은 글씨**도 있습니다.\n\n"
        "- 축약어 안내\n\n"
        "    chain of thought 기법은 이하 **COT**로 표기하였습니다.\n\n"
        "    In-Context Learning은 이하 **ICL**로 표기하였습니다.\n"
    )
    assert "목차" not in "".join(files.values())
    assert "table of contents" in warnings_text(summary)


def test_chapter_numbers_are_stripped_and_korean_headings_get_a_fallback_id():
    files, _ = files_of("introduction_toc.md")
    assert split(files["chapter-1/chapter.md"])[0] == {"title": "기존 연구들"}
    assert split(files["better-feedback-reinforcement-learning/chapter.md"])[0] == {"title": "Better Feedback for Reinforcement Learning in LLM"}
    assert split(files["chapter-3/chapter.md"])[0] == {"title": "경량화 학습"}


def test_h1_inside_details_is_a_chapter_boundary():
    files, summary = files_of("chapter_in_details.md")
    report = yaml.safe_load(files["report.yaml"])
    assert report["chapters"] == ["first-chapter", "second-chapter", "third-chapter"]
    assert summary.chapters == 3 and summary.entries == 3
    one = files["first-chapter/01-paper-one.md"]
    assert "Second Chapter" not in one
    assert split(one)[1] == "# 상세 및 개인 의견\n\n## 기존 문제\n\nProblem one.\n"
    two = split(files["second-chapter/01-paper-two.md"])[1]
    assert two.endswith("## 기존 문제\n\nProblem two.\n\n1. Step one.\n")
    assert split(files["third-chapter/chapter.md"])[0] == {"title": "Third Chapter"}


# ---------------------------------------------------------------- entries


def test_entry_header_venue_note_and_tldr_continuation():
    files, _ = files_of("entry_header.md")
    fronts = [split(files[k])[0] for k in entry_files(files)]
    assert fronts[0] == {
        "title": "Few-Shot Parameter-Efficient Fine-Tuning is Better and Cheaper than In-Context Learning",
        "url": "https://example.org/ia3", "venue": "NeurIPS 2022", "note": "aka IA3", "tldr": "Venue and note.",
    }
    assert fronts[1] == {"title": "Toolformer: Language Models Can Teach Themselves to Use Tools", "url": "https://example.org/novenue", "tldr": "No venue at all."}
    assert fronts[2]["venue"] == "Anthropic, 2022/12"
    assert fronts[3]["tldr"] == "The tl;dr continues in the next paragraph."
    assert split(files[entry_files(files)[3]])[1] == "And this is body text.\n"
    assert fronts[4]["tldr"] == "The next paragraph starts with the separator."


def test_file_names_are_stable_readable_slugs():
    files, _ = files_of("entry_header.md")
    assert entry_files(files) == [
        "chapter/01-few-shot-parameter-efficient-fine-tuning-is-better.md",
        "chapter/02-toolformer-language-models-can-teach-themselves.md",
        "chapter/03-constitutional-ai-harmlessness-from-ai-feedback.md",
        "chapter/04-an-explanation-of-in-context-learning.md",
        "chapter/05-colon-continued.md",
    ]


@pytest.mark.parametrize(("title", "slug"), [
    ("Calibrate Before Use: Improving Few-shot Performance of Language Models", "calibrate-before-use"),
    ("Locating and Editing Factual Associations in GPT", "locating-and-editing-factual-associations-in-gpt"),
    ("In-Context Impersonation Reveals Large Language Models’ Strengths and Biases", "in-context-impersonation-reveals-large-language"),
    ("Chain of thought prompting elicits reasoning in large language models.", "chain-of-thought-prompting-elicits-reasoning"),
    ("한국어 제목", None),
])
def test_entry_slug(title, slug):
    assert entry_slug(title) == slug


@pytest.mark.parametrize(("title", "slug"), [
    ("Introduction 및 축약어 안내", "introduction"),
    ("Better Feedback for Reinforcement learning in LLM", "better-feedback-reinforcement-learning"),
    ("XAI for LLM", "xai-for-llm"),
    ("경량화 학습 관련 연구들", None),
])
def test_chapter_slug(title, slug):
    assert chapter_slug(title) == slug


def test_body_figures_and_highlight_list():
    files, summary = files_of("body_and_figures.md")
    front, body = split(files["chapter/01-jailbroken-how-does-llm-safety-training-fail.md"])
    assert front["tldr"] == "Short summary."
    assert body == (
        "![](https://lh7-us.googleusercontent.com/AbC_dEf-123)\n\n"
        "A body paragraph after the figure, with a [reference](https://example.org/ref).\n\n"
        "- Highlight Figure\n\n"
        "    ![](https://example.org/figures/plot.png)\n\n"
        "- First point of the list.\n\n"
        "- Second point, <https://example.org/page> stays a link.\n\n"
        "<https://example.org/not-an-image>\n\n"
        "# 상세 및 개인 의견\n\n"
        "## 기존 문제\n\n"
        "Problem.\n\n"
        "![](https://lh7-us.googleusercontent.com/AbC_dEf-123)\n"
    )
    assert summary.figures == 3


def test_details_labels_become_sections():
    files, _ = files_of("details_labels.md")
    body = split(files["chapter/01-labels-paper.md"])[1]
    assert body == (
        "# 상세 및 개인 의견\n\n"
        "An unlabelled lead paragraph.\n\n"
        "## 기존 문제\n\n"
        "First part with **bold** and a [link](https://example.org/x).\n\n"
        "A second paragraph of the first part.\n\n"
        "**Not a label** because no separator follows.\n\n"
        "## 논문이 이끌어낸 직관\n\n"
        "The separator opens this paragraph.\n\n"
        "## 논문의 구체적인 방법론\n\n"
        "1. Step one.\n"
        "2. Step two -> three.\n\n"
        "## 활용방안 및 향후 연구(개인적 의견)\n\n"
        "No space before the colon.\n\n"
        "- **Highlight Figure**\n\n"
        "    ![](https://lh7-us.googleusercontent.com/fig)\n\n"
        "## Free text label: anything goes?\n\n"
        "Yes.\n"
    )


def test_malformed_html_is_survived():
    files, summary = files_of("malformed.md")
    assert summary.entries == 2
    one = split(files["chapter/01-malformed-one.md"])[1]
    # an unclosed <strong> ends with its paragraph; it does not leak into the next one
    assert "## 기존 문제\n\nUnclosed **bold text here.**\n\n## 논문이 이끌어낸 직관\n\nNot bold any more.\n" in one
    two = split(files["chapter/02-malformed-two.md"])[1]
    assert two.endswith("## 논문의 구체적인 방법론\n\nStill inside.\n")  # unclosed <details> at the end of the file


def test_struck_out_entry_is_withdrawn_and_kept():
    files, summary = files_of("withdrawn.md")
    assert (summary.entries, summary.withdrawn) == (2, 1)
    front, body = split(files["chapter/02-unpaired-multi-domain-causal-representation.md"])
    assert front == {
        "title": "Unpaired Multi-Domain Causal Representation Learning", "url": "https://arxiv.org/abs/2302.00993",
        "tldr": "Struck-out summary text.", "status": "withdrawn",
    }
    assert "~" not in files["chapter/02-unpaired-multi-domain-causal-representation.md"]
    assert body == (
        "![](https://lh7-us.googleusercontent.com/struck)\n\n"
        "# 상세 및 개인 의견\n\n(수정예정)\n\n## 기존 문제\n\nStill kept in the file.\n"
    )
    assert "status: withdrawn" in warnings_text(summary)


def test_star_notes_become_footnotes():
    files, summary = files_of("footnotes.md")
    names = entry_files(files)
    bandit_front, bandit = split(files[names[0]])
    assert bandit_front["tldr"] == "A role solves a multi-armed bandit[^1] task."
    assert bandit.count("[^1]:") == 1  # the repeated note is defined once
    assert bandit.startswith("[^1]: A bandit task: slot machines with different odds.\n")
    assert "multi-armed bandit[^1] task." in bandit

    locality_front, locality = split(files[names[1]])
    # Notion's `well<em>, … local</em>*` is the author's `well*, … local**`
    assert locality_front["tldr"] == "The model tracks steps well[^1], when texts are local[^2] and reasons better."
    assert "[^1]: Intermediate variables of a Bayes net.\n\n[^2]: Data of high complexity.\n" in locality

    orphan = split(files[names[2]])[1]
    assert orphan == "\\*. A note that nothing calls.\n"  # no call: kept as text, not attached to a guess

    trailing = split(files[names[3]])[1]
    assert "neural collapse[^1]." in trailing
    assert trailing.count("2305.13165") == 1  # the copy after </details> is the same note
    assert "[^1]: <https://arxiv.org/abs/2305.13165> (neurips 2023)" in trailing
    assert summary.footnotes == 4
    text = warnings_text(summary)
    assert "has no '*' call" in text and text.count("note repeated word for word") == 2


def test_entities_decoded_and_markdown_escaped():
    files, _ = files_of("escaping.md")
    front, body = split(files["chapter/01-a-starred-title-with-brackets.md"])
    assert front["title"] == "A \\*Starred\\* Title_with \\[brackets\\]"
    assert front["tldr"] == "RLHF -> RLAIF, 2 \\* 3 = 6, snake_case, \\_edge\\_ and \\[not a link\\](really) & more."
    assert body.startswith("\\# not a heading\n\n1\\. not a list item\n\n\\- not a bullet\n\n&lt;b>not a tag&lt;/b> and \\`not code\\`\n\n")
    assert "## Label with trailing \\#\n" in body
    html = markdown.markdown(body.split("# 상세")[0])
    assert "<h1>" not in html and "<ol>" not in html and "<ul>" not in html and "<b>" not in html
    assert "<code>" not in html and "# not a heading" in html


# ---------------------------------------------------------------- errors, writing, stability


def test_not_an_export_is_a_clean_error(tmp_path):
    with pytest.raises(ContentError) as error:
        import_export(FIXTURES / "not_export.md", tmp_path / "content")
    assert "no title" in error.value.problems[0].message
    assert error.value.problems[0].line == 1
    assert not (tmp_path / "content").exists()


def test_export_without_entries_is_a_clean_error(tmp_path):
    with pytest.raises(ContentError) as error:
        import_export(FIXTURES / "no_entries.md", tmp_path / "content")
    assert "no entries found" in error.value.problems[0].message
    assert not (tmp_path / "content").exists()


def test_missing_source_and_non_utf8(tmp_path):
    with pytest.raises(UsageError, match="no such file"):
        import_export(tmp_path / "missing.md", tmp_path / "content")
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"# Title\n\n\xff\xfe broken\n")
    with pytest.raises(ContentError) as error:
        import_export(bad, tmp_path / "content")
    assert error.value.problems[0].line == 3 and "UTF-8" in error.value.problems[0].message
    assert not (tmp_path / "content").exists()


def test_never_overwrites_without_force(tmp_path):
    dest = tmp_path / "content"
    dest.mkdir()
    (dest / "mine.md").write_text("the author's work", encoding="utf-8")
    with pytest.raises(PublishError, match="not empty; use --force"):
        import_export(FIXTURES / "withdrawn.md", dest)
    assert sorted(p.name for p in dest.iterdir()) == ["mine.md"]
    assert (dest / "mine.md").read_text(encoding="utf-8") == "the author's work"
    assert [p.name for p in tmp_path.iterdir()] == ["content"]  # no staging folder left behind

    summary = import_export(FIXTURES / "withdrawn.md", dest, force=True)
    assert summary.entries == 2
    assert not (dest / "mine.md").exists()
    assert (dest / "report.yaml").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["content"]


def test_empty_or_placeholder_destination_needs_no_force(tmp_path):
    dest = tmp_path / "content"
    dest.mkdir()
    (dest / ".gitkeep").write_text("", encoding="utf-8")
    import_export(FIXTURES / "withdrawn.md", dest)
    assert (dest / "report.yaml").is_file()


def test_error_with_force_leaves_existing_content_alone(tmp_path):
    dest = tmp_path / "content"
    dest.mkdir()
    (dest / "mine.md").write_text("keep me", encoding="utf-8")
    with pytest.raises(ContentError):
        import_export(FIXTURES / "no_entries.md", dest, force=True)
    assert (dest / "mine.md").read_text(encoding="utf-8") == "keep me"
    assert [p.name for p in tmp_path.iterdir()] == ["content"]


def test_refuses_to_replace_the_folder_holding_the_export(tmp_path):
    (tmp_path / "export.md").write_bytes((FIXTURES / "withdrawn.md").read_bytes())
    with pytest.raises(UsageError, match="lies inside the output folder"):
        import_export(tmp_path / "export.md", tmp_path, force=True)
    assert (tmp_path / "export.md").is_file()


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_output_is_stable_across_runs(tmp_path):
    first = import_export(FIXTURES / "neurips2023-llm-report.md", tmp_path / "a")
    second = import_export(FIXTURES / "neurips2023-llm-report.md", tmp_path / "b")
    assert first == second
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")
    third = import_export(FIXTURES / "neurips2023-llm-report.md", tmp_path / "a", force=True)
    assert third == first
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")


def test_summary_lines():
    _, summary = convert(FIXTURES / "withdrawn.md")
    lines = summary.lines()
    assert lines[0] == "imported 1 chapters, 2 entries (1 active, 1 withdrawn), 1 figures, 0 footnotes"
    assert any("status: withdrawn" in line for line in lines[1:])
    with pytest.raises(AttributeError):
        summary.entries = 3  # frozen


@pytest.mark.parametrize("name", ["metadata.md", "chapter_in_details.md", "body_and_figures.md", "details_labels.md",
                                  "withdrawn.md", "footnotes.md", "escaping.md", "malformed.md", "entry_header.md"])
def test_output_loads_with_the_content_loader(tmp_path, name):
    loader = pytest.importorskip("publish.content.loader")
    markup = pytest.importorskip("publish.render.markup")
    dest = tmp_path / "content"
    import_export(FIXTURES / name, dest)
    report_path = dest / "report.yaml"
    report = yaml.safe_load(report_path.read_text(encoding="utf-8"))
    # fixtures written for one pattern may lack metadata; fill it in as the author would
    report.setdefault("author", {"name": "Test Author"})
    report.setdefault("date", dt.date(2024, 1, 15))
    report.setdefault("license", {"id": "CC-BY-4.0"})
    report_path.write_text(yaml.safe_dump(report, allow_unicode=True, sort_keys=False), encoding="utf-8")
    model, problems = loader.load_report(dest)
    assert [p.format() for p in problems] == []
    assert model is not None
    _, render_problems = markup.render_report(model)
    assert [p.format() for p in render_problems] == []


# ---------------------------------------------------------------- escaping property


def _visible(html: str) -> str:
    import html as html_module

    text = re.sub(r"</?p>", "", html)
    return html_module.unescape(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab 가1.#*_[]()<>&!-+`\\:~=|") + ["\n"]), min_size=1, max_size=30))
def test_escaped_text_reads_back_as_itself(text):
    """Whatever the characters, an escaped paragraph renders to exactly its text (whitespace collapsed)."""
    expected = re.sub(r"\s+", " ", text).strip()
    source = render_paragraph([Text(text)])
    if not expected:
        assert source == ""
        return
    html = markdown.markdown(source, extensions=["footnotes", "tables", "sane_lists", "fenced_code"])
    assert "<" not in re.sub(r"</?p>", "", html).replace("&lt;", ""), (source, html)
    assert _visible(html) == expected, (source, html)


def test_escape_keeps_intraword_underscores():
    assert escape("snake_case and _edge_") == "snake_case and \\_edge\\_"


_CHUNKS = st.lists(st.sampled_from(list("ab가1.,)(’‘*_ -:!?")), min_size=1, max_size=6).map("".join)


@settings(max_examples=300, deadline=None)
@given(_CHUNKS, st.lists(st.tuples(st.sampled_from(["strong", "em"]), _CHUNKS, _CHUNKS), min_size=1, max_size=3))
def test_bold_and_italic_survive_any_neighbours(first, segments):
    """`**…**` next to Korean text or punctuation falls back to <strong> where `**` would not parse."""
    import html as html_module

    from publish.importer.nodes import Styled

    nodes = [Text(first)]
    for kind, inner, after in segments:
        nodes += [Styled(kind, [Text(inner)]), Text(after)]
    html = markdown.markdown(render_paragraph(nodes), extensions=["footnotes", "tables", "sane_lists", "fenced_code"])
    expected = re.sub(r"\s+", " ", "".join(n.text if isinstance(n, Text) else n.children[0].text for n in nodes)).strip()
    assert html_module.unescape(re.sub(r"<[^>]+>", "", html)) == expected
    assert html.count("<strong>") + html.count("<em>") == sum(1 for _, inner, _ in segments if inner.strip())


def test_local_images_are_copied_and_missing_ones_reported(tmp_path):
    export = tmp_path / "export" / "report.md"
    export.parent.mkdir()
    (export.parent / "fig.png").write_bytes(b"\x89PNG fake")
    export.write_text(
        "# Local Images\n\n# **1. Chapter**\n\n"
        "<a href=\"https://example.org/p\">Paper</a>\ntl; dr: : Summary.</p>\n\n"
        "![chart](fig.png)\n\n![lost](gone.png)\n",
        encoding="utf-8",
    )
    summary = import_export(export, tmp_path / "content")
    body = (tmp_path / "content" / "chapter" / "01-paper.md").read_text(encoding="utf-8")
    assert body.endswith("---\n![chart](images/fig.png)\n")
    assert (tmp_path / "content" / "chapter" / "images" / "fig.png").read_bytes() == b"\x89PNG fake"
    assert "image 'gone.png' is not next to the export: dropped" in warnings_text(summary)
    assert summary.figures == 1


def test_images_outside_the_export_folder_are_never_copied(tmp_path):
    """`../` and a NUL byte in an image path are reported as missing, never read."""
    export = tmp_path / "export" / "report.md"
    export.parent.mkdir()
    (tmp_path / "secret.png").write_bytes(b"\x89PNG private")
    export.write_text(
        "# Local Images\n\n# **1. Chapter**\n\n"
        "<a href=\"https://example.org/p\">Paper</a>\ntl; dr: : Summary.</p>\n\n"
        "![up](../secret.png)\n\n![nul](fig\x00.png)\n",
        encoding="utf-8",
    )
    summary = import_export(export, tmp_path / "content")
    assert not list((tmp_path / "content").rglob("*.png"))
    assert "image '../secret.png' is not next to the export" in warnings_text(summary)
    assert summary.figures == 0


def test_yaml_is_block_style_and_keeps_unicode():
    from publish.importer.writer import dump_yaml

    text = dump_yaml({"title": "株式会社 IBS: 보고서", "tldr": "첫 줄\n둘째 줄", "chapters": ["a", "b"], "date": dt.date(2024, 1, 1)})
    assert text == "title: '株式会社 IBS: 보고서'\ntldr: |-\n  첫 줄\n  둘째 줄\nchapters:\n  - a\n  - b\ndate: 2024-01-01\n"


def test_crlf_and_bom_exports_import_the_same(tmp_path):
    source = (FIXTURES / "footnotes.md").read_bytes()
    crlf = tmp_path / "crlf.md"
    crlf.write_bytes(b"\xef\xbb\xbf" + source.replace(b"\n", b"\r\n"))
    assert convert(crlf)[0] == convert(FIXTURES / "footnotes.md")[0]


def test_new_content_folder_has_ordinary_permissions(tmp_path):
    import os
    import stat

    import_export(FIXTURES / "withdrawn.md", tmp_path / "content")
    reference = tmp_path / "reference"
    reference.mkdir()
    mode = stat.S_IMODE(os.stat(tmp_path / "content").st_mode)
    assert mode == stat.S_IMODE(os.stat(reference).st_mode)


def test_swap_children_keeps_old_content_when_the_new_cannot_be_moved_in(tmp_path: Path, monkeypatch) -> None:
    """The fallback for an unmovable destination never deletes the old content before the new is in."""
    import shutil as shutil_module

    from publish.importer import writer

    dest, staging = tmp_path / "content", tmp_path / "staging"
    (dest / "old").mkdir(parents=True)
    (dest / "old" / "a.md").write_text("old", encoding="utf-8")
    (dest / "report.yaml").write_text("old: 1\n", encoding="utf-8")
    staging.mkdir()
    (staging / "report.yaml").write_text("new: 1\n", encoding="utf-8")
    (staging / "new").mkdir()

    real_move = shutil_module.move

    def failing_move(src: str, dst: str) -> None:
        if src.endswith("report.yaml"):
            raise OSError("disk full")
        real_move(src, dst)

    monkeypatch.setattr(writer.shutil, "move", failing_move)
    with pytest.raises(OSError):
        writer._swap_children(staging, dest)
    assert sorted(p.name for p in dest.iterdir()) == ["old", "report.yaml"]
    assert (dest / "report.yaml").read_text(encoding="utf-8") == "old: 1\n"
    monkeypatch.undo()
    writer._swap_children(staging, dest)
    assert sorted(p.name for p in dest.iterdir()) == ["new", "report.yaml"]
    assert (dest / "report.yaml").read_text(encoding="utf-8") == "new: 1\n"
