"""Korean line breaking: emulate CSS `word-break: keep-all`, which WeasyPrint lacks, and keep runts away."""

from __future__ import annotations

import re

WORD_JOINER = "\u2060"

# Hangul syllables and jamo, CJK ideographs and kana: scripts where Pango breaks between any two
# characters. Korean print breaks only at spaces (between eojeol), so a word joiner goes between
# such a character and any adjacent non-space character; spaces stay the only break points.
_CJK = "\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uf900-\ufaff"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_JOIN_POINT = re.compile(rf"(?<=[{_CJK}])(?=[^\s{WORD_JOINER}])|(?<=[^\s{WORD_JOINER}])(?=[{_CJK}])")
_TEXT_RUN = re.compile(r"(?<=>)[^<]+(?=<)")
# ASCII arrows such as "->" and "<=" must not break between their two characters (UAX #14
# allows a break after a hyphen); text runs arrive HTML-escaped, so match both spellings.
_ARROW_POINT = re.compile(r"(?<=[-=])(?=>|&gt;)|(?<=<)(?=[-=])|(?<=&lt;)(?=[-=])")
# The last word of a paragraph or list item, with the space before it: text without spaces, whole
# tags (an emphasis, a link) and whole footnotes (their text floats to the page foot), up to the
# closing tag or a nested list.
_LAST_WORD = re.compile(
    r'(?<=\S) ((?:[^\s<>]|<span class="footnote[^"]*">(?:(?!</span>).)*</span>|<[^>]*>)+)(?=</p>|</li>|<ul|<ol)', re.S)
_TAG = re.compile(r"<[^>]*>")
_FOOTNOTE = re.compile(r'<span class="footnote[^"]*">(?:(?!</span>).)*</span>', re.S)
_ENTITY = re.compile(r"&(?:[a-z]+|#\d+);")
RUNT_CHARS = 5  # a last word this short (its text, punctuation included) keeps the word before it


def keep_all_text(text: str) -> str:
    """Insert word joiners inside every word of plain text that contains CJK characters, and inside ASCII arrows."""
    return _ARROW_POINT.sub(WORD_JOINER, _JOIN_POINT.sub(WORD_JOINER, text))


def _needs_joiner(before: str, after: str) -> bool:
    """True when two characters meeting across a tag belong to one CJK word."""
    if not before or not after or before.isspace() or after.isspace():
        return False
    return bool(_CJK_CHAR.match(before) or _CJK_CHAR.match(after))


def _joined_last_word(match: re.Match[str]) -> str:
    """The space before a short last word with a word joiner after it: no line break there."""
    word = _ENTITY.sub("x", _TAG.sub("", _FOOTNOTE.sub("", match.group(1)))).replace(WORD_JOINER, "")
    if len(word) > RUNT_CHARS:
        return match.group(0)
    return " " + WORD_JOINER + match.group(1)


def keep_last_words(html: str) -> str:
    """No paragraph or list item ends in a line holding only a short last word (a runt).

    The space before such a word is followed by a word joiner, so the line breaks one word
    earlier; the space stays a plain space that justification widens and extraction gives back.
    """
    start = max(html.find("<body"), 0)
    return html[:start] + _LAST_WORD.sub(_joined_last_word, html[start:])


def keep_all(html: str) -> str:
    """Apply keep-all to the text of an HTML document's body, also where a word spans inline tags."""
    start = max(html.find("<body"), 0)
    out = [html[:start]]
    position, previous = start, ""
    for match in _TEXT_RUN.finditer(html, start):
        text = match.group(0)
        out.append(html[position:match.start()])
        joined = keep_all_text(text)
        if _needs_joiner(previous, text[0]):
            joined = WORD_JOINER + joined
        out.append(joined)
        previous, position = text[-1], match.end()
    out.append(html[position:])
    return keep_last_words("".join(out))


_LATIN = re.compile(r"[A-Za-z]")


def lang_attr(text: str, document_lang: str = "ko") -> str:
    """` lang="en"` for a run in Latin letters without CJK inside a document in another language, else ``.

    Screen readers switch voice on it (PDF/UA's /Lang, HTML's lang); mixed runs keep the document's.
    """
    if document_lang.startswith("en") or _CJK_CHAR.search(text) or not _LATIN.search(text):
        return ""
    return ' lang="en"'
