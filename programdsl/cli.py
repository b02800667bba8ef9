"""The command line: the `programdsl` group and the commands it holds, one module each in
programdsl/commands (their shared plumbing is programdsl/commands/common.py)."""

from __future__ import annotations

from typing import Any

import click

from . import __version__
from .commands import build, calendar, diff, init, match, report, schema, show, types, validate
from .terminal import visible_lines

COMMANDS = (build, calendar, diff, init, match, report, schema, show, types, validate)


class _Group(click.Group):
    """Usage errors quote what was typed (`Path '...' does not exist`), and a file name can hold
    terminal escapes: they are shown escaped, like every other text from outside."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except click.ClickException as error:
            error.message = visible_lines(error.message)  # type: ignore[misc]  # Final in the stubs only
            raise

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.ClickException as error:
            error.message = visible_lines(error.message)  # type: ignore[misc]  # Final in the stubs only
            raise


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="programdsl")
def main() -> None:
    """Design mentoring programs as code: validate them, generate what participants receive,
    and match mentors with mentees."""


for _module in COMMANDS:
    main.add_command(_module.command)
