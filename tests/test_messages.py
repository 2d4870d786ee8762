"""Messages for the commonest mistakes: plain-words YAML hints, no knock-on warnings, the footnote's own
line, did-you-mean for images, -v on every command, conflicting flags as usage errors, str(ContentError)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, entry, png

from publish import build_pdf
from publish.cli import main
from publish.errors import ContentError


def check(content: Path, *args: str):
    """`publish check` on *content*."""
    return CliRunner().invoke(main, ["check", "-c", str(content), *args])


def test_unquoted_colon_and_tabs_get_hints(project) -> None:
    content = project({
        "one/01-colon.md": "---\ntitle: ColBERT: Efficient and Effective Passage Search\nurl: https://example.org/c\ntldr: 요약\n---\n",
        "one/02-tabs.md": "---\ntitle: Tabs\nurl: https://example.org/t\ntldr: 요약\nfigures:\n\t- src: a.png\n---\n",
    })
    result = check(content)
    assert result.exit_code == 1
    assert (f"{content / 'one' / '01-colon.md'}:2: invalid YAML: a colon followed by a space inside an unquoted value; "
            "quote the title: `title: 'ColBERT: Efficient and Effective Passage Search'`") in result.stderr
    assert f"{content / 'one' / '02-tabs.md'}:6: invalid YAML: a tab in the indentation; indent with spaces, not tabs" in result.stderr
    assert "mapping values are not allowed here" not in result.stderr and "cannot start any token" not in result.stderr


def test_a_file_that_failed_to_read_causes_no_knock_on_warnings(project) -> None:
    content = project({
        "one/01-broken.md": "---\ntitle: ColBERT: broken\nurl: https://example.org/b\n---\n![그림](images/chart.png)\n",
        "one/images/chart.png": png(4, 4),
        "one/02-cp949.md": "---\ntitle: 한글 제목\nurl: https://example.org/k\ntldr: 요약입니다\n---\n".encode("cp949"),
        "one/03-fine.md": entry(),
    })
    result = check(content)
    problems = [line for line in result.stderr.splitlines() if ": " in line]
    assert len(problems) == 2, result.stderr  # the YAML error and the encoding error, nothing else
    assert "01-broken.md:2: invalid YAML" in problems[0] and "02-cp949.md:2: file is not UTF-8 text" in problems[1]
    assert "unused" not in result.stderr and "U+FFFD" not in result.stderr and "glyph" not in result.stderr


def test_undefined_footnote_is_reported_at_its_call(project) -> None:
    content = project({"one/01-p.md": "---\ntitle: P\nurl: https://example.org/p\ntldr: |\n  첫 줄입니다.\n  둘째 줄에서 부릅니다[^x].\n---\n"})
    result = check(content)
    assert f"{content / 'one' / '01-p.md'}:6: footnote [^x] has no definition" in result.stderr


@pytest.mark.parametrize(("written", "hint"), [
    ("images/Chart.PNG", "(did you mean 'images/chart.png'? file names are case-sensitive)"),
    ("Images/chart.png", "(did you mean 'images/chart.png'? file names are case-sensitive)"),
    ("images/chrat.png", "(did you mean 'images/chart.png'?)"),
])
def test_missing_image_has_a_did_you_mean(project, written: str, hint: str) -> None:
    content = project({"one/01-p.md": entry(body=f"![그림]({written})\n"), "one/images/chart.png": png(4, 4)})
    result = check(content)
    assert f"{content / 'one' / '01-p.md'}:6: image '{written}' not found {hint}" in result.stderr


def test_verbose_says_more_on_every_command_and_quiet_verbose_is_a_usage_error(project, tmp_path: Path) -> None:
    content = project({"one/01-p.md": entry()})
    runner = CliRunner()
    plain, loud = check(content), check(content, "-v")
    assert "checked 1 chapters, 1 entries, 0 unreadable file(s): fields" in loud.stderr and plain.stderr == ""
    page = runner.invoke(main, ["html", "-c", str(content), "-o", str(tmp_path / "r.html"), "-v"])
    assert page.exit_code == 0 and "load " in page.stderr and "fonts and images " in page.stderr
    imported = runner.invoke(main, ["import", str(FIXTURES / "import" / "metadata.md"), "-o", str(tmp_path / "imported"), "-v"])
    assert imported.exit_code == 0, imported.output
    assert f"wrote {tmp_path / 'imported' / 'report.yaml'}" in imported.stderr
    for command in (["check", "-c", str(content)], ["pdf", "-c", str(content)], ["html", "-c", str(content)]):
        both = runner.invoke(main, [*command, "-q", "-v"])
        assert both.exit_code == 2 and "-q/--quiet and -v/--verbose cannot be combined" in both.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["pdf", "-o", "out.html"], "-o/--output must end in '.pdf', not '.html'"),
    (["html", "-o", "out.pdf"], "-o/--output must end in '.html', not '.pdf'"),
    (["watch", "-o", "draft"], "-o/--output must end in '.pdf', not 'draft'"),
    (["pdf", "--archive", "--booklet"], "--booklet and --archive cannot be combined"),
])
def test_conflicting_flags_and_wrong_output_names_are_usage_errors(project, tmp_path: Path, args: list[str], message: str) -> None:
    content = project({"one/01-p.md": entry()})
    result = CliRunner().invoke(main, [args[0], "-c", str(content), *args[1:]])
    assert result.exit_code == 2 and message in result.stderr
    assert not list(tmp_path.glob("out.*")) and not (tmp_path / "build").exists()


def test_str_of_content_error_lists_every_problem(project, tmp_path: Path) -> None:
    content = project({"one/01-p.md": "---\ntitle: P\n---\n", "one/02-q.md": entry(body="[^z]\n")})
    with pytest.raises(ContentError) as caught:
        build_pdf(content, tmp_path / "r.pdf")
    text = str(caught.value)
    assert text.splitlines()[0] == "3 problem(s) in the content:" and len(text.splitlines()) == 4
    assert f"{content / 'one' / '01-p.md'}:1: missing required field 'url'" in text
    assert f"{content / 'one' / '02-q.md'}:6: footnote [^z] has no definition" in text
