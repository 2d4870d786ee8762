"""Serialise the analysed document as content files, and put them in place all at once."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from typing import Any

import yaml

from ..errors import OutputError, UsageError


class _Dumper(yaml.SafeDumper):
    """Block style, indented sequences, `|` for multi-line strings, no line folding."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        return super().increase_indent(flow, False)


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str)


def dump_yaml(data: dict[str, Any]) -> str:
    """Stable, readable YAML: keys in the given order, Unicode kept, long lines not folded."""
    return yaml.dump(
        data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1_000_000,
    )


def front_matter_file(data: dict[str, Any], body: str) -> str:
    """A Markdown file with YAML front matter; ends with exactly one newline."""
    text = "---\n" + dump_yaml(data) + "---\n"
    body = body.strip("\n")
    return text + (body + "\n" if body else "")


_PLACEHOLDERS = {".gitkeep", ".keep", ".DS_Store", ".placeholder"}


def is_effectively_empty(folder: Path) -> bool:
    """True for a folder holding nothing, or only placeholder files such as `.gitkeep`."""
    return all(child.name in _PLACEHOLDERS and child.is_file() for child in folder.iterdir())


def check_destination(dest: Path, force: bool, source: Path) -> None:
    """Refuse to write over existing content without *force*, or over the export itself."""
    if dest.exists() and not dest.is_dir():
        raise UsageError(f"{dest} exists and is not a folder")
    try:
        Path(source).resolve().relative_to(dest.resolve())
        inside = True
    except ValueError:
        inside = False
    if inside:
        raise UsageError(f"the export {source} lies inside the output folder {dest}; choose another output folder")
    if dest.is_dir() and not is_effectively_empty(dest) and not force:
        raise UsageError(f"{dest} is not empty; use --force to replace its content (nothing was written)")


def write_tree(files: dict[str, bytes], dest: Path) -> None:
    """Write *files* (relative path → bytes) to a temporary folder, then swap it in for *dest*."""
    dest = dest.absolute()
    parent = dest.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = _fresh_folder(parent, f".{dest.name}.import-")
    except OSError as exc:
        raise OutputError(f"cannot write to {parent}: {exc.strerror or exc}") from exc
    try:
        for name in sorted(files):
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(files[name])
        _swap_in(staging, dest)
    except OSError as exc:
        raise OutputError(f"cannot write {dest}: {exc.strerror or exc} (nothing was changed)") from exc
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _fresh_folder(parent: Path, prefix: str) -> Path:
    """A new, uniquely named folder created with the usual permissions (umask), unlike mkdtemp's 0700."""
    while True:
        folder = parent / f"{prefix}{uuid.uuid4().hex[:12]}"
        try:
            folder.mkdir()
            return folder
        except FileExistsError:
            continue


def _swap_in(staging: Path, dest: Path) -> None:
    if not dest.exists():
        os.replace(staging, dest)
        return
    backup = dest.parent / f".{dest.name}.old-{uuid.uuid4().hex[:12]}"
    try:
        os.replace(dest, backup)
    except OSError:
        # dest cannot be moved (a mount point, the working directory …): replace its content instead,
        # keeping the old content aside inside dest (same file system) until the new one is in place.
        _swap_children(staging, dest)
        return
    try:
        os.replace(staging, dest)
    except OSError:
        os.replace(backup, dest)
        raise
    shutil.rmtree(backup, ignore_errors=True)


def _swap_children(staging: Path, dest: Path) -> None:
    """Replace dest's children by staging's; on failure put the old children back."""
    aside = _fresh_folder(dest, ".old-")
    old = [child for child in dest.iterdir() if child != aside]
    for child in old:
        os.replace(child, aside / child.name)
    try:
        for child in sorted(staging.iterdir()):
            shutil.move(str(child), str(dest / child.name))  # may cross file systems
    except OSError:
        for child in list(dest.iterdir()):  # hand what arrived back to staging, then restore the old
            if child != aside:
                shutil.move(str(child), str(staging / child.name))
        for child in list(aside.iterdir()):
            os.replace(child, dest / child.name)
        aside.rmdir()
        raise
    shutil.rmtree(aside, ignore_errors=True)
