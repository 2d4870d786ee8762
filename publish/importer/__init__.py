"""Import a Notion → Jekyll Markdown export into a content folder (docs/content-format.md).

    from publish.importer import import_export, ImportSummary
    summary = import_export(Path("export.md"), Path("content"), force=False)
    print("\\n".join(summary.lines()))

How the export is read (`htmltree`, `converter`, `nodes`): the body is split line by line into
Markdown runs (converted with Python-Markdown) and raw-HTML runs, and everything goes through one
forgiving tree builder on the standard library's `html.parser` that knows each element's source
line. Stray closing tags (`</h2>`, a second `</p>`) are ignored, a `</p>` with nothing open still
ends the running paragraph, unclosed inline tags end with their block, an unclosed `<details>` ends
with the file. `<details>` boxes are flattened into start/end markers, so an `<h1>` sitting inside
the previous entry's box is just the next chapter boundary.

Decisions (`structure`, `entries`, `metadata`, `footnotes`, `slugs`):

- Title: the first `#` heading (or the front matter's `title`). The licence line
  (`WORK © YEAR by [NAME](URL) is licensed under [CC …](deed)`), the reuse statement (a preamble
  paragraph about the licence), and `Acknowledgement : …` go to report.yaml (`series`, `author`,
  `license` with its SPDX id and year, `license.statement`, `sponsor`); images before the first
  chapter (the licence badge) are dropped with a warning. Other preamble text is moved to the
  start of the first chapter (warning).
- Date: the front matter's `date`; else 1 January of the licence year, with a warning.
- Chapters: every later `#`/`<h1>` heading; a leading `N.` is stripped (the pipeline numbers
  chapters). An unnumbered chapter among numbered ones (the introduction) gets `numbered: false`.
  A `목차`/`Contents` heading followed by a list is dropped (the PDF makes its own).
- Entries: a paragraph starting with a link and holding `tl; dr:`. `(venue)`, then further
  parentheses (`(aka IA3)`) → `note`. An empty tl;dr takes the next paragraph (a leading `: ` is
  the separator). Text up to the `<details>` is the body; `<p><strong>Label</strong> : …</p>` in the
  box starts a `## Label` section (text before the first label is the box's lead). Text after the
  box (before the next entry) is appended to the box, with a warning.
- `~~Title` (struck out up to a later `~~`): `status: withdrawn`, title without tildes, the
  closing `~~` removed, everything else kept.
- Figures: a paragraph or list item holding only an image, or only a link whose text is its own
  URL on an image host / with an image extension, becomes `![](URL)` in place. Local images next
  to the export are copied to `<chapter>/images/`; missing ones are dropped with a warning.
- Notes (`word*` … `<p>*. note</p>`): see `footnotes`; definitions stay where the note was.
- Ids: ASCII slugs of the titles (`02-calibrate-before-use.md`: a long title is cut at its colon
  or at 50 characters on a word boundary); chapters without ASCII words get `chapter-N`.
- Output: Markdown escaped so that it reads back as the same text; YAML block style, Unicode,
  keys in format order; the same export always gives the same bytes.
"""

from __future__ import annotations

from .api import ImportSummary, convert, import_export

__all__ = ["ImportSummary", "convert", "import_export"]
