"""Packaging hook: the wheel carries the repository's top-level styles/ and fonts/ as package data.

They stay where the design puts them in the repository; `build_py` copies them to
`publish/_defaults/` in the wheel, where `publish.project.defaults()` finds them. An editable
install or a checkout on PYTHONPATH reads the top-level folders directly.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
# What a build reads: the stylesheets, the fonts and their licences (not fonts/prepare.py and its helpers).
DEFAULTS = {"styles": ("*.css",), "fonts": ("*.ttf", "*.otf", "OFL-*.txt", "README.md")}


class BuildWithDefaults(build_py):
    """build_py that also copies the packaged defaults into publish/_defaults/."""

    def run(self) -> None:
        """Build the modules, then copy styles/ and fonts/ beside them (not in editable mode: read in place)."""
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for folder, patterns in DEFAULTS.items():
            target = Path(self.build_lib) / "publish" / "_defaults" / folder
            target.mkdir(parents=True, exist_ok=True)
            for pattern in patterns:
                for source in sorted((HERE / folder).glob(pattern)):
                    shutil.copyfile(source, target / source.name)


setup(cmdclass={"build_py": BuildWithDefaults})
