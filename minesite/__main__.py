"""`python -m minesite` runs the command-line interface."""

from minesite.cli import main

main()
