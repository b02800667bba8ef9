"""`programdsl build`: everything participants receive, written atomically into one directory."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

EXIT_OK, EXIT_PROBLEMS = 0, 1
ALL_FORMATS = ("md", "html", "pdf")


def _fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_PROBLEMS)


def parse_formats(value: str) -> tuple[str, ...]:
    chosen = [part.strip().lower() for part in value.split(",") if part.strip()]
    unknown = [part for part in chosen if part not in ALL_FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(
            f"{', '.join(unknown) or 'nothing'} is not a format; choose from {', '.join(ALL_FORMATS)} "
            "(comma-separated, e.g. md,html)", param_hint="--format")
    return tuple(f for f in ALL_FORMATS if f in chosen)


def read_pairs(path: str) -> Any:
    """The pairs file at `path`, through whichever reader programdsl.pairs provides."""
    from .. import pairs

    for name in ("read_pairs", "load_pairs", "read", "load"):
        reader = getattr(pairs, name, None)
        if callable(reader):
            return reader(path)
    _fail("this programdsl cannot read pairs files yet")


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
    from ..cli import output_directory

    output = output_directory(output)
    if formats is None:
        from ..render.pdf import pdf_available

        formats = ",".join(ALL_FORMATS if pdf_available() else ALL_FORMATS[:2])
        if "pdf" not in formats:
            click.echo("note: PDF output skipped; install it with `pip install 'programdsl[pdf]'`", err=True)
    chosen = parse_formats(formats)
    from ..api import Report, Validator
    from ..output import OutputError, write_outputs
    from ..reporters import make
    from ..schedule import ScheduleError, build_schedule
    from ..render.documents import BuildOptions, DocumentBuild, TemplateFailure, run_jobs
    from ..render.pdf import PdfUnavailable

    result = Validator().check_file(program_file)
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

    pairs = None
    if pairs_file is not None:
        try:
            pairs = read_pairs(pairs_file)
        except (OSError, ValueError) as error:
            _fail(f"{pairs_file}: {error}")
        pairs_program = getattr(pairs, "program_id", program.id)
        if pairs_program and pairs_program != program.id:
            _fail(f"{pairs_file} is for program '{pairs_program}', not '{program.id}'")
        if getattr(pairs, "status", "published") != "published":
            click.echo(f"warning: {pairs_file} is a draft; the handbooks say so", err=True)

    calendar_set: dict[str, bytes] = {}
    if calendars and schedule.timeline.program is not None:
        from ..render.calendar import calendar_files

        calendar_set = {f"calendars/{path}": data for path, data in calendar_files(program, schedule, pairs).items()}

    try:
        build = DocumentBuild(program, BuildOptions(chosen, templates, pairs), list(calendar_set), schedule)
        jobs = build.jobs()
        stream = sys.stderr
        if stream.isatty() and "pdf" in chosen:
            bar: Any
            with click.progressbar(length=len(jobs), label="Building documents", file=stream,
                                   item_show_func=lambda job: job.label if job else None) as bar:
                files = run_jobs(jobs, workers or os.cpu_count() or 1, on_done=lambda job: bar.update(1, job))
        else:
            files = run_jobs(jobs, workers or os.cpu_count() or 1)
    except TemplateFailure as error:
        _fail(f"{error}\n  (nothing was written; the previous output in {output} is unchanged)")
    except PdfUnavailable as error:
        _fail(str(error))

    everything = {**files, **calendar_set}
    try:
        write_outputs(output, everything)
    except (OutputError, OSError) as error:
        _fail(f"cannot write into {output}: {error}")

    documents = sum(1 for p in files if not p.endswith((".json", ".csv")))
    data = len(files) - documents
    summary = f"{len(everything)} files written to {Path(output)}: {documents} documents, {data} form data files"
    if calendar_set:
        summary += f", {len(calendar_set)} calendars"
    click.echo(summary)
    index = next((p for p in ("index.html", "index.md") if p in files), None)
    if index:
        click.echo(f"start with {Path(output) / index}")
    sys.exit(EXIT_OK)
