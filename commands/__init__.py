"""Subcommands of main.py, one module each: NAME, HELP, add_arguments(parser), run(args) -> int."""
