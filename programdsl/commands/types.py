"""`programdsl types`: the program types, one line each."""

from __future__ import annotations

import click

from ..model import TYPE_SUMMARIES
from ..resources import program_types


@click.command("types")
def command() -> None:
    """List the program types, each with a one-line description."""
    for name in program_types():
        click.echo(f"{name:<18} {TYPE_SUMMARIES[name]}")
