"""Smoke run of benchmarks/build.py: it runs end to end and writes every figure. Never asserts on time."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, SAMPLE


def test_benchmark_quick_run_writes_all_figures(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "build.py"), "--quick", "--content", str(SAMPLE),
         "--entries", "2", "--json", str(out)],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "cold / engine" in result.stdout
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert {"cold", "engine", "warm", "large", "ratios", "machine", "reps"} <= figures.keys()
    for name in ("cold", "engine", "warm", "large"):
        assert {"median_s", "times_s", "peak_rss_mb", "pdf_bytes", "pages"} <= figures[name].keys()
        assert figures[name]["pdf_bytes"] > 0 and figures[name]["peak_rss_mb"] > 0
    assert figures["cold"]["pages"] == figures["engine"]["pages"] == figures["warm"]["pages"]
    assert {"cold_over_engine", "large_over_cold"} <= figures["ratios"].keys()
    assert figures["large"]["entries"] == 2 and figures["reps"] == 1
