"""The package layout is the architecture: few top-level modules, one-way imports, small modules."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "publish"
TOP_LEVEL = {"__init__", "__main__", "cli", "build", "errors"}
# Which subpackage may import which: stages only reach down (content is the bottom).
ALLOWED = {
    "content": set(),
    "render": {"content"},
    "engine": {"content", "render"},
    "editions": {"content"},
    "author": {"content", "render"},
    "importer": {"content"},
}


def imported_modules(path: Path) -> set[str]:
    """Absolute dotted names of every `publish` module *path* imports, lazy imports included."""
    module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    package = module.rsplit(".", 1)[0] if path.name != "__init__.py" else module.removesuffix(".__init__")
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found |= {target} | {f"{target}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return {name for name in found if name == "publish" or name.startswith("publish.")}


def subpackage(dotted: str) -> str | None:
    """The subpackage a dotted `publish.x.y` name lies in, or None for a top-level module."""
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 and (PACKAGE / parts[1]).is_dir() else None


def test_top_level_holds_only_the_entry_points() -> None:
    """At most eight modules at the top; the rest lives in at least four subpackages."""
    modules = {p.stem for p in PACKAGE.glob("*.py")}
    assert modules <= TOP_LEVEL | {"project", "output"}, modules - TOP_LEVEL
    assert len(modules) <= 8
    assert len([p for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()]) >= 4


def test_nothing_below_build_imports_build_or_cli() -> None:
    """Stages never climb back up to the orchestrator or the CLI, not even lazily."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in PACKAGE.rglob("*.py")
        if path.parent != PACKAGE or path.stem not in {"cli", "build", "__init__", "__main__"}
        if imported_modules(path) & {"publish.build", "publish.cli"}
    ]
    assert offenders == []


def test_subpackages_import_one_way() -> None:
    """Each subpackage imports only the ones below it (ALLOWED), so there are no circles."""
    wrong = []
    for path in PACKAGE.rglob("*.py"):
        own = subpackage(".".join(path.relative_to(ROOT).with_suffix("").parts))
        if own is None:
            continue
        for name in imported_modules(path):
            other = subpackage(name)
            if other not in (None, own) and other not in ALLOWED[own]:
                wrong.append(f"{path.relative_to(ROOT)} imports {name}")
    assert wrong == []


def test_no_module_over_400_lines() -> None:
    """Modules stay small enough to read in one sitting (publish/, fonts/, benchmarks/)."""
    long = {
        str(path.relative_to(ROOT)): lines
        for folder in ("publish", "fonts", "benchmarks")
        for path in (ROOT / folder).rglob("*.py")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert long == {}
