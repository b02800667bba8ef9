"""`programdsl calendar`: write a program's .ics calendars, and nothing else."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..reporters.base import plural
from ..terminal import visible
from .common import (EXIT_PROBLEMS, calendars_within_limits, fail, output_directory, pairs_for, report_stale,
                     scheduled_program)


@click.command("calendar")
@click.argument("program_file", metavar="PROGRAM.yaml", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", "output", default=None, type=click.Path(file_okay=False),
              help="Directory to write the calendars into (created if missing). Default: `output` from the configuration.")
@click.option("--pairs", "pairs_file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="A pairs file from `programdsl match`: also write one calendar per pair and one per matched person, with names.")
def command(program_file: str, output: str | None, pairs_file: str | None) -> None:
    """Write the program's calendars (.ics) into a directory.

    program.ics holds milestones, phases, training and surveys; meetings.ics the sessions,
    without names; roles/ROLE.ics what one role attends apart from the pairs' sessions; with
    --pairs, pairs/PAIR.ics each pair's own sessions, with names. Files are replaced only once
    all of them are written.

    Exit status: 0 when the calendars are written, 1 when the program has errors or the
    calendars cannot be written.
    """
    from ..output import OutputError, write_failure, write_outputs

    output = output_directory(output)
    program, result, schedule = scheduled_program(program_file, "calendars")
    if schedule.timeline.program is None:
        fail(f"{result.file}: the program has no start date, so it cannot be put on a calendar "
             "(add schedule.start)")
    pairs = pairs_for(pairs_file, program, "calendars") if pairs_file is not None else None
    files = calendars_within_limits(result.file, program, schedule, pairs)
    try:
        written = write_outputs(output, files, owner="calendar")
    except (OutputError, OSError) as error:
        click.echo(write_failure(error, output, "the calendars"), err=True)
        sys.exit(EXIT_PROBLEMS)
    root = Path(output)
    for relative in files:
        click.echo(visible(str(root / relative)))
    moved, skipped = schedule.moved, schedule.skipped
    count = len(written.paths)
    click.echo(f"{plural(count, 'calendar')} written; {plural(len(moved), 'date')} moved, {len(skipped)} skipped")
    for adjustment in schedule.adjustments:
        change = f"{adjustment.planned} -> {adjustment.actual}" if adjustment.actual else f"{adjustment.planned} skipped"
        click.echo(visible(f"  {change}  {adjustment.title}: {adjustment.reason}"))
    report_stale(written, "calendar")
