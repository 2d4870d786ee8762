"""Tools for authors: checks, glyph coverage, new entries, watch mode."""
