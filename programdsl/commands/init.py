"""`programdsl init`: write a commented, valid starting file for a program type."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import click

from ..resources import program_schema, program_types
from ..scaffold import default_start, starting_file
from ..schema import date_problem, pattern_hint
from ..terminal import visible
from .common import EXIT_PROBLEMS


def _check_id(value: str | None) -> str | None:
    pattern = program_schema()["$defs"]["id"]["pattern"]
    if value is not None and not re.fullmatch(pattern.rstrip("$"), value):
        raise click.BadParameter(f"{value!r} is not an id: {pattern_hint(pattern, value)}")
    return value


def _check_name(value: str | None) -> str | None:
    """One line of printable text: a control character would make the file unreadable YAML (and
    reach the terminal raw)."""
    if value is not None and not " ".join(value.split()).isprintable():
        raise click.BadParameter(f"{visible(value)!s} holds control or formatting characters; give the name as plain text")
    return value


def _check_start(value: str | None) -> dt.date | None:
    """The same test the validator applies to `schedule.start`, so init never writes a file that fails it."""
    if value is None:
        return None
    problem = date_problem(value)
    if problem is None:
        return dt.date.fromisoformat(value)
    if problem.kind == "form":
        raise click.BadParameter(f"{value!r} is not a date: {problem}, e.g. 2027-01-04")
    if problem.kind == "year":
        raise click.BadParameter(f"{value} is outside the years a program can use: {problem}")
    raise click.BadParameter(f"{value} is not a real date: {problem}")


def _schema_ref(target: Path) -> str:
    """A modeline target editors can load: the nearest vendored schemas/program.schema.json above
    the new file, else the schema's published id."""
    for folder in [target.parent.resolve(), *target.parent.resolve().parents]:
        candidate = folder / "schemas" / "program.schema.json"
        if candidate.is_file():
            return os.path.relpath(candidate, target.parent.resolve()).replace(os.sep, "/")
    return str(program_schema()["$id"])


@click.command("init")
@click.option("--type", "program_type", type=click.Choice(program_types()), required=True, help="The program type.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: print to standard output).")
@click.option("--id", "program_id", default=None, callback=lambda ctx, param, value: _check_id(value),
              help="Program id: lowercase letters, digits and hyphens (default: derived from the type).")
@click.option("--name", default=None, callback=lambda ctx, param, value: _check_name(value),
              help="Program name as participants see it (one line).")
@click.option("--start", default=None, callback=lambda ctx, param, value: _check_start(value), metavar="YYYY-MM-DD",
              help="First day, YYYY-MM-DD (default: the first Monday at least four weeks from today).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def command(program_type: str, output: Path | None, program_id: str | None, name: str | None,
            start: dt.date | None, force: bool) -> None:
    """Write a commented, valid starting file for a program of TYPE."""
    program_id = program_id or f"{program_type}-mentoring"
    name = " ".join((name or f"{program_type.replace('-', ' ').capitalize()} mentoring program").split())
    first_day = start or default_start(dt.date.today())
    ref = _schema_ref(output) if output else str(program_schema()["$id"])
    text = starting_file(program_type, program_id, name, first_day, ref)
    if output is None:
        click.echo(text, nl=False)
        return
    if output.exists() and not force:
        raise click.UsageError(f"{output} already exists; pass --force to overwrite it")
    from ..output import OutputError, write_atomic, write_failure

    try:
        write_atomic(output, text.encode("utf-8"))
    except (OSError, OutputError) as error:
        click.echo(write_failure(error, str(output), "the program"), err=True)
        raise SystemExit(EXIT_PROBLEMS) from None
    click.echo(f"wrote {visible(str(output))}; check it with: programdsl validate {visible(str(output))}", err=True)
