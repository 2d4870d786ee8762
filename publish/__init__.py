"""publish: Markdown + YAML research reports → print-grade PDF."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .build import build_pdf as build_pdf

__all__ = ["build_pdf", "__version__"]


def __getattr__(name: str) -> Any:
    """Import the build API lazily so `publish --version` stays fast."""
    if name == "build_pdf":
        from .build import build_pdf

        return build_pdf
    raise AttributeError(name)
