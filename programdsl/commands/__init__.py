"""The commands, one module each defining a click command named `command` (cli.py lists them),
and `common`, the plumbing they share."""
