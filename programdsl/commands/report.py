"""`programdsl report`: from collected answers and session logs to outcomes against targets.

Thin layer: parse options, call programdsl.measure.run, print located problems, write the files
atomically, choose the exit status. scipy and matplotlib are imported only when the command runs
(the `report` extra), so validating a program never loads them.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from ..reporters.base import plural
from ..terminal import visible
from ..measure import codes as _codes  # noqa: F401  (registers the PD5xx codes for docs and reporters)
from .common import (EXIT_OK, EXIT_PROBLEMS, fail, output_directory, print_diagnostics, require_libraries,
                     scheduled_program)

REPORT_LIBRARIES = ("scipy", "matplotlib")


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from None


@click.command("report")
@click.argument("program_file", metavar="PROGRAM.yaml", type=click.Path(exists=True, dir_okay=False))
@click.argument("more_responses", nargs=-1, type=click.Path(exists=True, dir_okay=False), metavar="")
@click.option("--responses", "responses", multiple=True, type=click.Path(exists=True, dir_okay=False),
              metavar="PATH...", help="Response CSV files (codebook columns, ODK Central or KoboToolbox exports): "
                                      "`--responses a.csv b.csv` or `--responses a.csv --responses b.csv`.")
@click.option("--sessions", "sessions", type=click.Path(exists=True, dir_okay=False), default=None, metavar="LOG",
              help="The session log (CSV): pair and group sessions held.")
@click.option("--pairs", "pairs", type=click.Path(exists=True, dir_okay=False), default=None,
              help="The published pairs file: who was expected to answer and meet.")
@click.option("--roster", "roster", type=click.Path(exists=True, dir_okay=False), default=None,
              help="The roster: who was expected to answer (when there is no pairs file, or besides it).")
@click.option("--values", "values", type=click.Path(exists=True, dir_okay=False), default=None, metavar="FILE",
              help="Hand-entered metric values (YAML or CSV) for sources outside programdsl.")
@click.option("--as-of", "as_of", default=None, callback=_date, metavar="DATE",
              help="Report as of this day (YYYY-MM-DD). Default: the program's last day (a final report).")
@click.option("--pdf/--no-pdf", "pdf", default=None, help="Also write report.pdf. Default: when PDF support is installed.")
@click.option("--templates", "templates", type=click.Path(exists=True, file_okay=False), default=None,
              help="Directory with report.html.j2 / report.md.j2 to use instead of the shipped ones (run sandboxed).")
@click.option("-o", "--output", "output", default=None, type=click.Path(file_okay=False),
              help="Directory to write into (created if missing).")
def command(program_file: str, more_responses: tuple[str, ...], responses: tuple[str, ...], sessions: str | None, pairs: str | None, roster: str | None,
            values: str | None, as_of: dt.date | None, pdf: bool | None, templates: str | None, output: str | None) -> None:
    """Compute every metric of PROGRAM.yaml from the collected answers and session log, against
    its targets, and write report.html, report.md, report.json (and report.pdf), plus a separate
    follow-up list for the coordinator.

    Exit status: 0 when the report is written, 1 when an input has errors (nothing is written),
    2 for a usage error.
    """
    # click options take one value each, so `--responses a.csv b.csv` leaves b.csv as an argument.
    responses = tuple(dict.fromkeys(responses + more_responses))
    if not responses:
        raise click.UsageError("give the response files with --responses PATH...")

    require_libraries(REPORT_LIBRARIES, "reports need", extra="report")
    output = output_directory(output)
    if pdf is None:
        from ..render.pdf import pdf_available

        pdf = pdf_available()
        if not pdf:
            click.echo("note: report.pdf skipped; install PDF support with `pip install 'programdsl[pdf]'`", err=True)
    from ..measure.run import ReportRequest, make_report
    from ..output import OutputError, write_failure, write_outputs
    from ..render.pdf import PdfUnavailable

    program, result, schedule = scheduled_program(program_file, "reports")
    loc = result.resolved.loc if result.resolved is not None else None
    from ..render.templating import TemplateFailure

    request = ReportRequest(responses, sessions, pairs, roster, values, as_of, pdf, templates)
    try:
        outcome = make_report(program, schedule, request, loc)
    except PdfUnavailable as error:
        fail(str(error))
    except TemplateFailure as error:  # already located: file:line: [error[CODE]:] message
        sys.stderr.write(f"{visible(str(error))}\n  (nothing was written)\n")
        sys.exit(EXIT_PROBLEMS)
    print_diagnostics(outcome.diagnostics, sys.stderr)
    if outcome.errors or outcome.analysis is None:
        sys.stderr.write(f"{plural(outcome.errors, 'error')} in the inputs; nothing written: fix them and run again\n")
        sys.exit(EXIT_PROBLEMS)
    try:
        write_outputs(output, outcome.files, owner="report")
    except (OutputError, OSError) as error:
        click.echo(write_failure(error, output, "the report"), err=True)
        sys.exit(EXIT_PROBLEMS)
    analysis = outcome.analysis
    statuses: dict[str, int] = {}
    for metric in analysis.metrics:
        statuses[metric.status] = statuses.get(metric.status, 0) + 1
    summary = ", ".join(f"{n} {status}" for status, n in statuses.items())
    click.echo(f"report written to {Path(output) / 'report.html'} ({len(analysis.metrics)} metrics: {summary or 'none'})")
    click.echo(f"follow-up for the coordinator (names people; keep it to the program team): "
               f"{Path(output) / 'coordinator-follow-up.md'} ({len(outcome.follow_up)} entries)")
    sys.exit(EXIT_OK)
