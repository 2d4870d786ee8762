"""Scale: cold `publish pdf` of generated reports of growing size; wall time and peak memory per size.

    python benchmarks/scale.py                  # 30, 100 and 300 entries, 3 runs each (medians)
    python benchmarks/scale.py 30 100 --runs 1

Prints a Markdown table (docs/reliability.md keeps the last one). Each build is a fresh process,
measured with os.wait4, so peak RSS is that build's alone.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402 (run as a script from a checkout)


def run(command: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KB) of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{' '.join(command)} failed: {child.stderr.read().decode() if child.stderr else status}")
    return elapsed, usage.ru_maxrss


def pages(pdf: Path) -> int:
    """Page count via pypdf."""
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def main(argv: list[str] | None = None) -> None:
    """Measure each size and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[30, 100, 300])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as work:
        for size in args.sizes:
            content = generate(Path(work) / f"r{size}" / "content", size)
            pdf = Path(work) / f"r{size}.pdf"
            results = [run([sys.executable, "-m", "publish", "pdf", "-q", "-c", str(content), "-o", str(pdf)]) for _ in range(args.runs)]
            wall = statistics.median(r[0] for r in results)
            rss = max(r[1] for r in results) / 1024
            rows.append((size, pages(pdf), pdf.stat().st_size / 1024, wall, rss))
            print(f"{size} entries: {wall:.1f} s, {rss:.0f} MB", file=sys.stderr)
    base = rows[0]
    print("| entries | pages | PDF | wall time (median) | per entry | time vs. first | peak RSS |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size, page_count, kb, wall, rss in rows:
        print(f"| {size} | {page_count} | {kb:,.0f} KB | {wall:.1f} s | {wall / size * 1000:.0f} ms | {wall / base[3]:.1f}× | {rss:.0f} MB |")


if __name__ == "__main__":
    main()
