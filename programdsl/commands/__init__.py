"""Subcommands beyond `validate`, one module each; cli.py registers every module's `command`."""
