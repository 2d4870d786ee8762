"""`python -m publish` runs the command line."""

from .cli import main

main(prog_name="publish")
