"""Markdown and templates → HTML: the model rendered for print and for the web."""
