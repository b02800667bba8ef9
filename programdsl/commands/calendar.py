"""`programdsl calendar`: write a program's .ics calendars, and nothing else."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NoReturn

import click

EXIT_OK, EXIT_PROBLEMS = 0, 1


def _fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_PROBLEMS)


@click.command("calendar")
@click.argument("program_file", metavar="PROGRAM.yaml", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", "output", default=None, type=click.Path(file_okay=False),
              help="Directory to write the calendars into (created if missing). Default: `output` from the configuration.")
@click.option("--pairs", "pairs_file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="A pairs file from `programdsl match`: also write one calendar per pair, with names.")
def command(program_file: str, output: str | None, pairs_file: str | None) -> None:
    """Write the program's calendars (.ics) into a directory.

    program.ics holds milestones, phases, training and surveys; meetings.ics the sessions,
    without names; roles/ROLE.ics what one role attends apart from the pairs' sessions; with
    --pairs, pairs/PAIR.ics each pair's own sessions, with names. Files are replaced only once
    all of them are written.

    Exit status: 0 when the calendars are written, 1 when the program has errors or the
    calendars cannot be written.
    """
    from ..api import FileResult, Report, Validator, display_path
    from ..cli import output_directory
    from ..output import OutputError, write_outputs
    from ..render.calendar import calendar_files
    from ..reporters import make

    output = output_directory(output)
    from ..schedule import ScheduleError, build_schedule

    result = Validator().check_file(program_file)
    if not result.errors and result.program is None:
        _fail(f"{result.file} is not a program (kind: {result.kind or 'unknown'}); "
              "calendars are made from `kind: Program` files")
    if result.errors or result.program is None:
        reporter = make("text", sys.stdout, color=sys.stdout.isatty() and "NO_COLOR" not in os.environ)
        reporter.file_done(result)
        reporter.finish(Report([result]), strict=False)
        sys.exit(EXIT_PROBLEMS)
    if result.warnings:
        make("text", sys.stderr).file_done(result)
    program = result.program
    try:
        schedule = build_schedule(program)
    except ScheduleError as error:
        _fail(f"{result.file}: {error}")
    if schedule.timeline.program is None:
        _fail(f"{result.file}: the program has no start date, so it cannot be put on a calendar "
              "(add schedule.start)")
    pairs = None
    if pairs_file is not None:
        from ..pairs import PairsError, read_pairs

        try:
            pairs = read_pairs(pairs_file, display_path(pairs_file))
        except PairsError as error:
            reporter = make("text", sys.stdout, color=sys.stdout.isatty() and "NO_COLOR" not in os.environ)
            unreadable = FileResult(display_path(pairs_file), diagnostics=[error.diagnostic()])
            reporter.file_done(unreadable)
            reporter.finish(Report([unreadable]), strict=False)
            sys.exit(EXIT_PROBLEMS)
        if pairs.program_id and pairs.program_id != program.id:
            _fail(f"{pairs_file} is for program '{pairs.program_id}', not '{program.id}'")
        if pairs.status != "published":
            click.echo(f"warning: {pairs_file} is a {pairs.status or 'draft'}; publish it before sending these calendars",
                       err=True)
    try:
        files = calendar_files(program, schedule, pairs)
        written = write_outputs(output, files)
    except (OutputError, OSError) as error:
        _fail(f"cannot write the calendars: {error}")
    root = Path(output)
    for relative in files:
        click.echo(str(root / relative))
    moved, skipped = schedule.moved, schedule.skipped
    click.echo(f"{len(written)} calendar{'s' if len(written) != 1 else ''} written; "
               f"{len(moved)} date{'s' if len(moved) != 1 else ''} moved, {len(skipped)} skipped")
    for adjustment in schedule.adjustments:
        change = f"{adjustment.planned} -> {adjustment.actual}" if adjustment.actual else f"{adjustment.planned} skipped"
        click.echo(f"  {change}  {adjustment.title}: {adjustment.reason}")
    sys.exit(EXIT_OK)
