"""`programdsl schema`: the JSON Schema for program files."""

from __future__ import annotations

import click

from ..resources import schema_path


@click.command("schema")
def command() -> None:
    """Print the JSON Schema for program files."""
    click.echo(schema_path().read_text(encoding="utf-8"), nl=False)
