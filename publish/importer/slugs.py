"""Readable ASCII ids for chapter folders and entry files, derived from their titles."""

from __future__ import annotations

import re
import unicodedata

STOP_WORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "by", "for", "from", "in", "into", "is", "of", "on", "or", "the",
    "to", "via", "vs", "with", "without", "about",
})
ENTRY_MAX = 50
CHAPTER_MAX = 40


def ascii_words(text: str) -> list[str]:
    """Lower-case ASCII words of *text* (accents folded, apostrophes dropped, other scripts ignored)."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = re.sub(r"['’‘`]", "", folded)
    return re.findall(r"[a-z0-9]+", folded.lower())


def _fit(words: list[str], limit: int, drop_stop_words: bool = False) -> str:
    """Join words with '-' within *limit* characters, cutting at a word boundary.

    A long title loses a leading article, then (for chapters) its stop words, then words from the
    end; it never ends on a stop word.
    """
    if len("-".join(words)) > limit and len(words) > 1 and words[0] in ("a", "an", "the"):
        words = words[1:]
    if drop_stop_words and len("-".join(words)) > limit:
        words = [w for w in words if w not in STOP_WORDS] or words
    while len("-".join(words)) > limit and len(words) > 1:
        words = words[:-1]
    while len(words) > 1 and words[-1] in STOP_WORDS:
        words = words[:-1]
    return "-".join(words)[:limit].strip("-")


def entry_slug(title: str) -> str | None:
    """`calibrate-before-use` for 'Calibrate Before Use: Improving …'; None if no ASCII words."""
    words = ascii_words(title)
    if not words:
        return None
    if len("-".join(words)) > ENTRY_MAX:
        head = re.split(r"[:?!]\s", title, maxsplit=1)[0]
        head_words = ascii_words(head)
        if len(head_words) >= 2 and head != title:
            words = head_words
    return _fit(words, ENTRY_MAX)


def chapter_slug(title: str) -> str | None:
    """`rl-feedback`-style id from a chapter heading (parenthesised asides ignored); None if no ASCII words."""
    words = ascii_words(re.sub(r"\([^)]*\)", " ", title))
    if not words:
        return None
    return _fit(words, CHAPTER_MAX, drop_stop_words=True)


def unique(slug: str, taken: set[str]) -> str:
    """*slug*, or *slug*-2, -3 … if already taken; records the result."""
    candidate, number = slug, 2
    while candidate in taken:
        candidate = f"{slug}-{number}"
        number += 1
    taken.add(candidate)
    return candidate
