"""The limits of content/limits.py: below them cost grows linearly, above them a quick `path:line` error.

Growth is asserted as a ratio between two small sizes (time(2n) / time(n) < 3), never as seconds.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

import pytest

from publish.content import limits
from publish.content.model import Markdown
from publish.render.markup import Renderer

ROOT = Path(__file__).resolve().parent.parent.parent


def best_time(work: Callable[[], object], repeat: int = 3) -> float:
    """The fastest of *repeat* runs: the least disturbed by other processes."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def growth(make: Callable[[int], Callable[[], object]], n: int) -> float:
    """time(2n) / time(n) for the work *make* builds at each size."""
    return best_time(make(2 * n)) / best_time(make(n))


def render(text: str) -> Callable[[], object]:
    """Rendering *text* as one Markdown fragment, as the build does."""
    fragment = Markdown(text, Path("/nowhere/x.md"), 1)
    return lambda: Renderer(Path("/nowhere")).block(fragment)


# Paragraphs just under the per-paragraph budget, in growing numbers.
SHAPES = {
    "brackets": lambda: "[" * 50 + " 가나다" * 600,
    "links": lambda: " ".join("<a " + "가나다 " * 20 for _ in range(60)) + ">",
    "backticks": lambda: " ".join("`" * n + " 가나다" * 20 for n in range(1, 100)),
    "footnote calls": lambda: " ".join(f"말[^{n}]" for n in range(40)) + "\n\n" + "\n".join(f"[^{n}]: 각주" for n in range(40)),
}


@pytest.mark.parametrize("shape", SHAPES)
def test_markdown_below_the_limits_grows_linearly(shape: str) -> None:
    paragraph = SHAPES[shape]()
    assert limits.markdown_problems(Path("x.md"), paragraph, 1) == []  # really below the limits
    assert growth(lambda n: render("\n\n".join([paragraph] * n)), 4) < 3


@pytest.mark.parametrize("opener, text", [
    ("[", "[" * 2000), ("<", "\n".join(["<a " * 1000] * 5)), ("`", " ".join("`" * n for n in range(1, 400))),
], ids=["brackets", "links", "backticks"])
def test_scan_cost_predicts_the_quadratic_shapes_and_is_linear_itself(opener: str, text: str) -> None:
    cost, found = limits.scan_cost(text)  # one paragraph
    assert found == opener and cost > limits.MAX_SCAN_BLOCK
    start = time.perf_counter()
    limits.markdown_problems(Path("x.md"), "\n".join([text] * 50), 1)  # 50 lines: the check stays cheap
    assert time.perf_counter() - start < 2


def test_the_committed_report_is_far_below_every_limit() -> None:
    for path in sorted((ROOT / "content").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        assert limits.markdown_problems(path, text, 1) == [], path
        assert limits.scan_cost(text)[0] < limits.MAX_SCAN_BLOCK / 1000
        assert len(text.encode()) < limits.MAX_FILE_BYTES / 50 and limits.long_word(text) is None


def fan_out(levels: int, width: int = 10) -> bytes:
    groups = ['<g id="l0"><rect width="1" height="1"/></g>']
    groups += [f'<g id="l{n}">' + f'<use xlink:href="#l{n - 1}"/>' * width + "</g>" for n in range(1, levels + 1)]
    return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
            f'{"".join(groups)}<use xlink:href="#l{levels}"/></svg>').encode()


def test_svg_fan_out_is_counted_without_expanding_it() -> None:
    assert limits.svg_problem(fan_out(3)) is None  # 1,000 shapes: drawn
    start = time.perf_counter()
    assert "more than 20,000 shapes" in limits.svg_problem(fan_out(60))  # 10**60 shapes
    assert time.perf_counter() - start < 1
    cycle = b'<svg xmlns="http://www.w3.org/2000/svg"><g id="a"><use href="#b"/></g><g id="b"><use href="#a"/></g></svg>'
    assert "more than" in limits.svg_problem(cycle)
    assert "entities" in limits.svg_problem(b'<!DOCTYPE svg [<!ENTITY a "x">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>')
    deep = b"<svg xmlns='http://www.w3.org/2000/svg'>" + b"<g>" * 5000 + b"</g>" * 5000 + b"</svg>"
    assert limits.svg_problem(deep) is None  # counted without recursion


def test_words_count_no_break_spaces_and_tags_as_part_of_the_word() -> None:
    assert limits.long_word("가 " * 5000) is None
    assert limits.long_word("가\u00a0" * 2000) == (0, 4000)
    assert limits.long_word("x\n" + '가<span class="k">나</span>' * 1600) == (1, 3200)


def test_span_values_are_plain_digits_only() -> None:
    assert [limits.span_value(v) for v in ("2", " 100 ", "101", "0", "²", "١", "1e2")] == ["2", "100", None, None, None, None, None]
