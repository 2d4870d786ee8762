"""The report's editions: handout, booklet imposition, QR codes, the PDF/A archive."""
