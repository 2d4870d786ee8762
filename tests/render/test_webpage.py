"""The browser version reads like a web page: whole sentences with superscript calls, notes beside or
after them, a contents sidebar or fold, heading anchors. Checked on the committed report in Chromium."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT, entry

from publish.build import build_html

CHROMIUM = shutil.which("chromium")
ENTRY = "#entry-why-think-step-by-step"


def test_notes_become_calls_numbered_per_entry_with_one_list(project, tmp_path: Path) -> None:
    body = "본문에서 다시 부릅니다[^b].\n\n[^a]: 주석 A\n[^b]: 주석 B\n"
    content = project({"one/01-p.md": entry(tldr="'첫 주석[^a] 이어지는 문장[^b]. 끝.'", body=body)})
    page = build_html(content, tmp_path / "r.html").output.read_text(encoding="utf-8")
    assert 'class="footnote' not in page  # no note left inside its sentence
    assert "첫 주석<sup class=\"fn-call\"><a href=\"#fn-" in page
    assert page.count('<sup class="fn-call">') == 3 and page.count(">2</a></sup>") == 2  # the repeat shows note 2's number
    assert page.count('class="sidenote"') == 2 and page.count('class="endnotes"') == 1
    notes = page.split('class="endnotes"')[1]
    assert notes.index("주석 A") < notes.index("주석 B")


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (see apt-packages.txt)")
def test_committed_report_in_chromium_at_1200_and_400_px(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    out = build_html(ROOT / "content", tmp_path / "report.html").output
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        seen = {}
        for width in (1200, 400):
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(out.as_uri() + ENTRY)
            seen[width] = page.evaluate("""(entry) => {
              const tldr = document.querySelector(entry + " .tldr");
              const visible = (el) => !!el && getComputedStyle(el).display !== "none";
              return {
                paragraphs: tldr.querySelectorAll("p").length,
                callsInParagraph: tldr.querySelectorAll("p > sup.fn-call > a[href^='#fn-']").length,
                text: (() => { const p = tldr.querySelector("p").cloneNode(true); p.querySelectorAll(".sidenote").forEach((n) => n.remove()); return p.textContent; })(),
                sidenote: visible(tldr.querySelector(".sidenote")),
                endnotes: visible(document.querySelector(entry + " .endnotes")),
                contentsOpen: document.querySelector("#contents details").open,
                anchor: document.querySelector(entry + " .entry-title .heading-anchor").getAttribute("href"),
                sidebarLeft: document.querySelector("#contents").getBoundingClientRect().right <= document.querySelector("main").getBoundingClientRect().left,
              };
            }""", ENTRY)
            page.screenshot(path=str(tmp_path / f"web-{width}.png"))
            page.close()
        browser.close()
    for width in (1200, 400):
        assert seen[width]["paragraphs"] == 1 and seen[width]["callsInParagraph"] == 2
        assert "잘 추적하므로1, 학습한" in seen[width]["text"]  # the sentence flows on after the call
        assert seen[width]["anchor"] == ENTRY
    assert seen[1200]["sidenote"] and not seen[1200]["endnotes"] and seen[1200]["contentsOpen"] and seen[1200]["sidebarLeft"]
    assert not seen[400]["sidenote"] and seen[400]["endnotes"] and not seen[400]["contentsOpen"]


def test_font_subsets_are_reused_and_the_page_is_the_same_bytes(project, tmp_path: Path) -> None:
    from publish.render.webpage import _subset_uri

    content = project({"one/01-p.md": entry(tldr="한국어 요약 Latin text.")})
    first = build_html(content, tmp_path / "a.html").output.read_bytes()
    before = _subset_uri.cache_info()
    again = build_html(content, tmp_path / "b.html").output.read_bytes()
    after = _subset_uri.cache_info()
    assert again == first and after.misses == before.misses and after.hits > before.hits
    (content / "one" / "01-p.md").write_text(entry(tldr="한국어 요약 Latin text, edited."), encoding="utf-8")  # no new Korean syllable
    build_html(content, tmp_path / "c.html")
    assert _subset_uri.cache_info().misses - after.misses < 5  # only fonts that map a new character are subset again
