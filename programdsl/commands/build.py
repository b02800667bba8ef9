"""`programdsl build`: everything participants receive, written atomically into one directory."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from ..terminal import visible
from .common import (EXIT_OK, EXIT_PROBLEMS, calendars_within_limits, fail, output_directory, pairs_for, report_stale,
                     scheduled_program)

ALL_FORMATS = ("md", "html", "pdf")


def parse_formats(value: str) -> tuple[str, ...]:
    chosen = [part.strip().lower() for part in value.split(",") if part.strip()]
    unknown = [part for part in chosen if part not in ALL_FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(
            f"{', '.join(unknown) or 'nothing'} is not a format; choose from {', '.join(ALL_FORMATS)} "
            "(comma-separated, e.g. md,html)", param_hint="--format")
    return tuple(f for f in ALL_FORMATS if f in chosen)


@click.command("build")
@click.argument("program_file", metavar="PROGRAM.yaml", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", "output", default=None, type=click.Path(file_okay=False),
              help="Directory to write into (created if missing). Default: `output` from the configuration.")
@click.option("--format", "formats", default=None,
              help="Document formats to write, comma-separated: md, html, pdf. "
                   "Default: all three, or md and html when PDF support is not installed.")
@click.option("--templates", "templates", type=click.Path(exists=True, file_okay=False), default=None,
              help="Directory of templates that replace the shipped ones of the same name (run sandboxed).")
@click.option("--pairs", "pairs_file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="A pairs file from `programdsl match`: also write a handbook for each matched person.")
@click.option("--calendars/--no-calendars", default=True, show_default=True,
              help="Also write the .ics calendars (under calendars/).")
@click.option("-j", "--jobs", "workers", type=click.IntRange(min=1), default=None,
              help="Processes for PDF conversion. Default: the number of CPUs.")
def command(program_file: str, output: str | None, formats: str | None, templates: str | None,
            pairs_file: str | None, calendars: bool, workers: int | None) -> None:
    """Generate the documents participants receive: a charter, a training guide per role,
    evaluation forms (fillable, printable, JSON and CSV), a handbook per role and an index page,
    plus the calendars.

    Nothing is replaced until every file has been generated: a failed build leaves the previous
    output as it was.

    Exit status: 0 when everything is written, 1 when the program has errors or the documents
    cannot be generated or written, 2 for a usage error.
    """
    output = output_directory(output)
    if formats is None:
        from ..render.pdf import pdf_available

        formats = ",".join(ALL_FORMATS if pdf_available() else ALL_FORMATS[:2])
        if "pdf" not in formats:
            click.echo("note: PDF output skipped; install it with `pip install 'programdsl[pdf]'`", err=True)
    chosen = parse_formats(formats)
    from ..output import OutputError, write_failure, write_outputs
    from ..render.documents import BuildOptions, BuildTooLarge, DocumentBuild, TemplateFailure, run_jobs
    from ..render.pdf import PdfUnavailable

    program, result, schedule = scheduled_program(program_file, "documents")

    pairs = pairs_for(pairs_file, program, "handbooks") if pairs_file is not None else None

    calendar_set: dict[str, bytes] = {}
    if calendars and schedule.timeline.program is not None:

        calendar_set = {f"calendars/{path}": data
                        for path, data in calendars_within_limits(result.file, program, schedule, pairs).items()}

    try:
        build = DocumentBuild(program, BuildOptions(chosen, templates, pairs), list(calendar_set), schedule)
        jobs = build.jobs()
        stream = sys.stderr
        if stream.isatty() and "pdf" in chosen:
            bar: Any
            # Documents done out of all of them: PDFs take very different times, so an ETA would mislead.
            with click.progressbar(length=len(jobs), label="Building documents", file=stream, show_eta=False,
                                   show_percent=False, show_pos=True,
                                   item_show_func=lambda job: f"done: {job.label}" if job else None) as bar:
                files = run_jobs(jobs, workers or os.cpu_count() or 1, on_done=lambda job: bar.update(1, job))
        else:
            files = run_jobs(jobs, workers or os.cpu_count() or 1)
    except TemplateFailure as error:
        if error.code:  # already compiler-style: file:line: error[CODE]: message
            click.echo(visible(str(error)) + f"\n  (nothing was written; the previous output in {visible(output)} is unchanged)",
                       err=True)
            sys.exit(EXIT_PROBLEMS)
        fail(f"{error}\n  (nothing was written; the previous output in {output} is unchanged)")
    except BuildTooLarge as error:
        click.echo(visible(f"{result.file}: error[PD053]: {error}"), err=True)
        click.echo("  hint: shorten the program's longest texts (each appears in many documents), or build the "
                   f"handbooks for fewer people at a time (nothing was written; {visible(output)} is unchanged)", err=True)
        sys.exit(1)
    except PdfUnavailable as error:
        fail(str(error))

    everything = {**files, **calendar_set}
    try:
        written = write_outputs(output, everything, owner="build")
    except (OutputError, OSError) as error:
        click.echo(write_failure(error, output, "the documents"), err=True)
        sys.exit(EXIT_PROBLEMS)

    documents = sum(1 for p in files if not p.endswith((".json", ".csv", ".xlsx")))
    data = len(files) - documents
    summary = f"{len(everything)} files written to {visible(str(Path(output)))}: {documents} documents, {data} form data files"
    if calendar_set:
        summary += f", {len(calendar_set)} calendars"
    click.echo(summary)
    report_stale(written, "build")
    index = next((p for p in ("index.html", "index.md") if p in files), None)
    if index:
        click.echo(f"start with {visible(str(Path(output) / index))}")
    sys.exit(EXIT_OK)
