"""Process-wide speed-ups around WeasyPrint that change no output.

WeasyPrint 70 subsets each font with `ffi.new(f'hb_codepoint_t[{n}]', ...)`. cffi parses every new
type string with pycparser, about 5 ms each, and n is the glyph count, different for every font and
every edit: some 16 parses, 80 ms, in every build. The parsed-type cache of WeasyPrint's FFI gets a
fallback that builds `T[n]` array types directly from the already parsed `T *`, which is what the
parser would end with (cffi's ArrayType.build_backend_type makes the same backend call).
"""

from __future__ import annotations

import re
from typing import Any

_ARRAY = re.compile(r"^\s*(hb_codepoint_t)\s*\[\s*(\d+)\s*\]\s*$")


class _ArrayTypes(dict):
    """cffi's cache of parsed types, which makes fixed-length arrays of known item types without parsing."""

    def __init__(self, ffi: Any, *args: Any) -> None:
        super().__init__(*args)
        self._ffi = ffi

    def __missing__(self, cdecl: Any) -> Any:
        """Build `hb_codepoint_t[n]`; anything else is left to cffi's parser (KeyError)."""
        match = _ARRAY.match(cdecl) if isinstance(cdecl, str) else None
        if match is None:
            raise KeyError(cdecl)
        pointer = self._ffi._typeof(f"{match.group(1)} *")
        result = (self._ffi._backend.new_array_type(pointer, int(match.group(2))), False)
        self[cdecl] = result
        return result


def install() -> None:
    """Install the array-type fallback on WeasyPrint's FFI once; skip quietly if cffi's internals differ."""
    from weasyprint.text.ffi import ffi

    cache = getattr(ffi, "_parsed_types", None)
    if isinstance(cache, _ArrayTypes) or type(cache) is not dict or not hasattr(ffi, "_backend"):
        return
    ffi._parsed_types = _ArrayTypes(ffi, cache)
