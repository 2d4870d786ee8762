"""WeasyPrint layout and PDF writing, with the speed and size machinery around it."""
