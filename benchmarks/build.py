"""Build-speed benchmark: whole processes, several repetitions, medians, side by side in one run.

    python benchmarks/build.py                 # 5 repetitions, the real report and a 300-entry one
    python benchmarks/build.py --quick         # 1 repetition and a 30-entry generated report (CI smoke)
    python benchmarks/build.py --json out.json

Measures (docs/benchmark.md explains the figures and the targets):
  cold    `python -m publish pdf` of the report, a fresh process each time;
  engine  the `weasyprint` command on the HTML that publish hands to WeasyPrint (`--emit-html`);
  warm    `build_pdf` again in one long-lived process after editing one entry (what `publish watch` does);
  large   cold `publish pdf` of a generated report with 10x the entries.
cold and engine runs alternate, so machine noise hits both alike; compare ratios, not seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

# Runs in a child process: one cold build, then one warm rebuild per edit of one entry file.
WARM_SCRIPT = r"""
import json, sys, time
from pathlib import Path
from publish import build_pdf
content, output, entry, reps = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
original = entry.read_text(encoding="utf-8")
start = time.perf_counter()
build_pdf(content, output)
first = time.perf_counter() - start
times, stages = [], []
for rep in range(reps):
    # A one-sentence edit at the end of the entry, different each time, as a writer would make.
    entry.write_text(original.rstrip("\n") + f" 문장을 하나 고쳤습니다 ({rep + 1}).\n", encoding="utf-8")
    start = time.perf_counter()
    result = build_pdf(content, output)
    times.append(time.perf_counter() - start)
    stages.append(result.timings)
print(json.dumps({"first": first, "times": times, "stages": stages, "pages": result.pages, "size": result.size}))
"""


PYCACHE = tempfile.TemporaryDirectory(prefix="publish-bench-pyc-")

def measure(command: list[str], cwd: Path) -> tuple[float, float, str]:
    """Run *command*; return wall seconds, its peak RSS in MiB (wait4 rusage of that child) and stdout."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    # Bytecode as an installed package has it (pip compiles at install): written once by the untimed
    # first runs into a prefix of ours, never into the checkout, whatever PYTHONDONTWRITEBYTECODE says.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = PYCACHE.name
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err)
        _pid, status, usage = os.wait4(process.pid, 0)  # this child's own peak RSS, in KiB on Linux
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{err.read().decode(errors='replace')}")
        return elapsed, usage.ru_maxrss / 1024, out.read().decode(errors="replace")


def summary(times: list[float], rss: list[float], **extra: Any) -> dict[str, Any]:
    """Median, spread and peak memory of a series of runs."""
    return {"median_s": round(statistics.median(times), 3), "min_s": round(min(times), 3),
            "max_s": round(max(times), 3), "times_s": [round(t, 3) for t in times],
            "peak_rss_mb": round(max(rss), 1), **extra}


def pages(pdf: Path) -> int:
    """Page count, read with pypdf."""
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def pick_entry(content: Path) -> Path:
    """The entry file to edit for the warm rebuild: the middle one, in a stable order."""
    entries = sorted(p for p in content.glob("*/*.md") if p.name != "chapter.md")
    if not entries:
        raise SystemExit(f"no entry files in {content}")
    return entries[len(entries) // 2]


def generate_report(dest: Path, entries: int) -> None:
    """A generated report of *entries* entries, from benchmarks/generate.py."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate

    generate(dest, entries, seed=0)


def cold_and_engine(content: Path, work: Path, reps: int) -> dict[str, Any]:
    """Alternate cold `publish pdf` and `weasyprint` on the emitted HTML; medians, RSS, sizes."""
    python = sys.executable
    html, cold_pdf, engine_pdf = work / "report.html", work / "cold.pdf", work / "engine.pdf"
    measure([python, "-m", "publish", "pdf", "-q", "-c", str(content), "-o", str(cold_pdf), "--emit-html", str(html)], ROOT)
    measure([python, "-m", "weasyprint", "--pdf-variant", "pdf/ua-1", str(html), str(engine_pdf)], ROOT)  # compiles its bytecode
    series: dict[str, tuple[list[float], list[float]]] = {"cold": ([], []), "engine": ([], [])}
    for _ in range(reps):
        for name, command in (
            ("cold", [python, "-m", "publish", "pdf", "-q", "-c", str(content), "-o", str(cold_pdf)]),
            # Tagging on both sides: `publish pdf` writes PDF/UA-1 (engine/tagging.py).
            ("engine", [python, "-m", "weasyprint", "--pdf-variant", "pdf/ua-1", str(html), str(engine_pdf)]),
        ):
            elapsed, rss, _ = measure(command, ROOT)
            series[name][0].append(elapsed)
            series[name][1].append(rss)
    return {
        "cold": summary(*series["cold"], pdf_bytes=cold_pdf.stat().st_size, pages=pages(cold_pdf)),
        "engine": summary(*series["engine"], pdf_bytes=engine_pdf.stat().st_size, pages=pages(engine_pdf)),
    }


def warm(content: Path, work: Path, reps: int) -> dict[str, Any]:
    """One long-lived process: a first build, then *reps* rebuilds each after a one-entry edit."""
    copy = work / "warm-content"
    shutil.copytree(content, copy)
    entry = pick_entry(copy)
    _elapsed, rss, out = measure(
        [sys.executable, "-c", WARM_SCRIPT, str(copy), str(work / "warm.pdf"), str(entry), str(reps)], ROOT)
    data = json.loads(out.strip().splitlines()[-1])
    result = summary(data["times"], [rss], first_build_s=round(data["first"], 3),
                     edited=str(entry.relative_to(copy)), pages=data["pages"], pdf_bytes=data["size"])
    result["stages_s"] = {k: round(statistics.median(s[k] for s in data["stages"]), 3) for k in data["stages"][0]}
    return result


def large(work: Path, entries: int, reps: int) -> dict[str, Any]:
    """Cold `publish pdf` of a generated report with *entries* entries."""
    content = work / "large" / "content"
    generate_report(content, entries)
    output = work / "large.pdf"
    times, rss = [], []
    for _ in range(reps):
        elapsed, peak, _ = measure([sys.executable, "-m", "publish", "pdf", "-q", "-c", str(content), "-o", str(output)], ROOT)
        times.append(elapsed)
        rss.append(peak)
    return summary(times, rss, entries=entries, pdf_bytes=output.stat().st_size, pages=pages(output))


def report_text(results: dict[str, Any]) -> str:
    """The figures as a short table."""
    lines = [f"{'':8} {'median':>8} {'min':>7} {'max':>7} {'peak RSS':>9} {'PDF':>9} {'pages':>6}"]
    for name in ("cold", "engine", "warm", "large"):
        if name in results:
            r = results[name]
            size = f"{r['pdf_bytes'] / 1024:,.0f} KB" if "pdf_bytes" in r else ""
            lines.append(f"{name:8} {r['median_s']:7.2f}s {r['min_s']:6.2f}s {r['max_s']:6.2f}s"
                         f" {r['peak_rss_mb']:6.0f} MB {size:>9} {r.get('pages', ''):>6}")
    ratios = results["ratios"]
    lines.append(f"cold / engine = {ratios['cold_over_engine']:.2f}   (target <= 1.0)")
    if "warm" in results:
        lines.append(f"warm rebuild after a one-entry edit = {results['warm']['median_s']:.2f}s   (target <= 0.6 s)"
                     f"; stages {results['warm']['stages_s']}")
    if "large" in results:
        lines.append(f"large / cold = {ratios['large_over_cold']:.1f}   (target <= 10, peak RSS <= 500 MB)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print (and optionally save) the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--content", type=Path, default=ROOT / "content", help="report to build (default: content/)")
    parser.add_argument("--reps", type=int, help="repetitions of each measurement (default 5; 1 with --quick)")
    parser.add_argument("--entries", type=int, help="entries of the generated report (default 300; 30 with --quick; 0 skips it)")
    parser.add_argument("--quick", action="store_true", help="one repetition and a smaller generated report, for CI")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    reps = args.reps or (1 if args.quick else 5)
    entries = args.entries if args.entries is not None else (30 if args.quick else 300)
    content = args.content.resolve()
    results: dict[str, Any] = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "reps": reps, "content": str(content),
    }
    with tempfile.TemporaryDirectory(prefix="publish-bench-") as tmp:
        work = Path(tmp)
        results.update(cold_and_engine(content, work, reps))
        results["warm"] = warm(content, work, reps)
        if entries:
            results["large"] = large(work, entries, reps)
    results["ratios"] = {"cold_over_engine": round(results["cold"]["median_s"] / results["engine"]["median_s"], 3)}
    if "large" in results:
        results["ratios"]["large_over_cold"] = round(results["large"]["median_s"] / results["cold"]["median_s"], 2)
    print(report_text(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
