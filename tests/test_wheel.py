"""The wheel, installed into a fresh venv, runs a new report from a folder outside the checkout."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

from publish.author.scaffold import PLACEHOLDER_TLDR

# What a copy of the repository to build from leaves out: outputs, caches, git.
IGNORED = shutil.ignore_patterns(".git", "build", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis", "dist")


def checkout_state() -> tuple[str, set[str]]:
    """`git status` of the checkout and the files in its build/, to show that nothing was written there."""
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=ROOT, capture_output=True, text=True)
    outputs = {str(p.relative_to(ROOT)) for p in (ROOT / "build").rglob("*")} if (ROOT / "build").is_dir() else set()
    return status.stdout, outputs


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from a copy of the checkout (a build writes build/ and *.egg-info where it runs)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=IGNORED)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(work / "dist"), str(source)],
        check=True, capture_output=True, text=True,
    )
    (found,) = (work / "dist").glob("publish-*.whl")
    return found


def test_wheel_carries_styles_fonts_licences_and_templates(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for sheet in (ROOT / "styles").glob("*.css"):
        assert f"publish/_defaults/styles/{sheet.name}" in names
    for font in (ROOT / "fonts").iterdir():
        if font.suffix in (".ttf", ".otf") or font.name.startswith("OFL-"):
            assert f"publish/_defaults/fonts/{font.name}" in names
    assert {"publish/render/templates/report.html.j2", "publish/author/templates/entry.md.j2",
            "publish/author/starter/content/report.yaml.j2", "publish/author/starter/gitignore"} <= names
    assert not any(name.endswith("prepare.py") for name in names)  # the maintainers' font tools stay out
    assert wheel.stat().st_size < 15 * 1024 * 1024  # the fonts dominate: 11 MB


def test_installed_wheel_runs_a_new_report_outside_the_checkout(wheel: Path, tmp_path: Path) -> None:
    before = checkout_state()
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    # The dependencies come from the system site-packages: no network.
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "--ignore-installed", "-q", str(wheel)],
                   check=True, capture_output=True, text=True)
    work = tmp_path / "work"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONSAFEPATH")} | {"NO_COLOR": "1"}
    publish = [str(env_dir / "bin" / "publish")]

    def run(*args: str, cwd: Path) -> str:
        result = subprocess.run([*publish, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
        return result.stdout + result.stderr

    where = subprocess.run([str(python), "-c", "import publish; print(publish.__file__)"], cwd=work, env=env,
                           capture_output=True, text=True, check=True).stdout.strip()
    assert Path(where).is_relative_to(env_dir) and not Path(where).is_relative_to(ROOT)

    assert "publish pdf" in run("init", "myreport", cwd=work)
    report = work / "myreport"
    created = Path(run("new", "Attention Is All You Need", "--chapter", "1", "--url", "https://arxiv.org/abs/1706.03762", cwd=report).split()[0])
    entry = report / created
    # The author writes the tl;dr: the handout refuses to print `publish new`'s placeholder.
    entry.write_text(entry.read_text(encoding="utf-8").replace(PLACEHOLDER_TLDR, "어텐션만으로 번역한다."), encoding="utf-8")
    run("pdf", cwd=report / "content" / "basics")  # found from a folder inside the project
    run("html", cwd=report)
    run("pdf", "--archive", cwd=report)
    run("pdf", "--edition", "handout", cwd=report)
    assert "0 error(s)" in run("check", cwd=report)

    stem = f"myreport-{dt.date.today().year}"  # init dates the report today
    built = {p.name for p in (report / "build").iterdir()}
    assert built == {f"{stem}.pdf", f"{stem}.html", f"{stem}-archive.pdf", f"{stem}-handout.pdf"}, built
    outside = {p for p in work.rglob("*") if p.is_file() and not p.is_relative_to(report)}
    assert outside == set()
    assert checkout_state() == before
