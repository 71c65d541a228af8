"""Run the command line as `python -m gongshi`."""

from .cli import main

main()
