"""What the commands share: exit codes, the configuration in force, and the steps that turn a
path on the command line into a checked program, schedule or pairs file, or exit with a message.

Everything here prints and exits, so it stays on the command side; the library never does."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, NoReturn, TextIO

import click

from ..api import FileResult, Report, Validator
from ..config import Config, ConfigError, discover, load
from ..reporters import make
from ..reporters.base import plural
from ..terminal import visible, visible_lines

if TYPE_CHECKING:
    from ..diagnostics import Diagnostic
    from ..model import Program
    from ..output import Written
    from ..pairs import PairsFile
    from ..schedule import ProgramSchedule

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def load_config(path: Path | None) -> Config:
    """The configuration in force, or a usage error that says what is wrong with it."""
    try:
        return load(path) if path is not None else discover(Path.cwd())
    except ConfigError as error:
        raise click.UsageError(str(error)) from error


def fail(message: str) -> NoReturn:
    click.echo(f"error: {visible_lines(message)}", err=True)
    sys.exit(EXIT_PROBLEMS)


def colour(stream: TextIO) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ


def require_libraries(names: Iterable[str], who_needs: str, extra: str) -> None:
    """Exit 1 with the install command when an optional library is missing ("matching needs
    numpy, which is not installed; ..."). Looked up, not imported: the command imports them later."""
    missing = [name for name in names if importlib.util.find_spec(name) is None]
    if missing:
        fail(f"{who_needs} {', '.join(missing)}, which {'is' if len(missing) == 1 else 'are'} not installed; "
             f"install them with `pip install 'programdsl[{extra}]'`")


def print_diagnostics(diagnostics: Iterable[Diagnostic], stream: TextIO) -> None:
    """Compiler-style lines without the source line: roster and response rows are personal data.
    A hint may show a snippet of several lines (a YAML example); it keeps its line breaks."""
    for diag in diagnostics:
        stream.write(visible(f"{diag.file}:{diag.line}:{diag.col}: {diag.severity.value}[{diag.code}]: {diag.message}") + "\n")
        if diag.hint:
            stream.write(f"  hint: {visible_lines(diag.hint)}\n")


def report_and_exit(result: FileResult) -> NoReturn:
    reporter = make("text", sys.stdout, color=colour(sys.stdout))
    reporter.file_done(result)
    reporter.finish(Report([result]), strict=False)
    sys.exit(EXIT_PROBLEMS)


def valid_program(path: str, purpose: str, validator: Validator | None = None) -> tuple[Program, FileResult]:
    """The program in `path` for a command that needs a valid one. Errors are reported exactly as
    `validate` reports them (configuration and inline suppressions included) and exit 1;
    warnings go to standard error and the command goes on."""
    result = (validator or Validator()).check_file(path)
    result.diagnostics = load_config(None).apply(result.diagnostics)
    if not result.errors and result.program is None:
        fail(f"{result.file} is not a program (kind: {result.kind or 'unknown'}); {purpose} are made from "
             "`kind: Program` files")
    if result.errors or result.program is None:
        report_and_exit(result)
    if result.warnings:
        make("text", sys.stderr).file_done(result)
    return result.program, result


def scheduled_program(path: str, purpose: str) -> tuple[Program, FileResult, ProgramSchedule]:
    """`valid_program`, with its dated schedule; a schedule that cannot be made exits 1."""
    from ..schedule import ScheduleError, build_schedule

    program, result = valid_program(path, purpose)
    try:
        return program, result, build_schedule(program)
    except ScheduleError as error:
        if error.code:
            where = result.file
            # The series that crossed the limit, or the `type:` whose preset set it up.
            candidates = [error.path[:depth] for depth in range(len(error.path), 0, -1)] + [("type",)]
            for series in candidates if result.resolved is not None and error.path else ():
                assert result.resolved is not None
                loc, depth = result.resolved.loc.find(series)
                if depth == len(series) and not loc.span.file.startswith("preset:"):
                    where = f"{loc.span.file}:{loc.span.line}:{loc.span.col}"
                    break
            click.echo(visible(f"{where}: error[{error.code}]: {error}"), err=True)
            sys.exit(EXIT_PROBLEMS)
        fail(f"{result.file}: {error}")


def calendars_within_limits(file: str, program: Program, schedule: ProgramSchedule,
                            pairs: PairsFile | None) -> dict[str, bytes]:
    """Every calendar of the run (`calendar_files`), or exit 1 (PD031) when they would hold more
    events or more text than one run may write."""
    from ..render.calendar import CalendarTooLarge, calendar_files

    check_calendar_size(file, program, schedule, pairs)
    try:
        return calendar_files(program, schedule, pairs)
    except CalendarTooLarge as error:
        click.echo(visible(f"{file}: error[PD031]: {error}"), err=True)
        click.echo("  hint: shorten long descriptions (each is repeated in every event of its series and in every "
                   "calendar that shows it), or make surveys and sessions repeat less often", err=True)
        sys.exit(EXIT_PROBLEMS)


def check_calendar_size(file: str, program: Program, schedule: ProgramSchedule, pairs: PairsFile | None) -> None:
    """Exit 1 (PD031) before writing calendars that would hold more than `limits.CALENDAR_EVENTS`
    events: each of the program's dated items may appear in the program, meetings and role
    calendars and in every pair's own calendar."""
    from .. import limits

    calendars = 2 + len(program.roles) + (len(pairs.matches) if pairs is not None else 0)
    events = len(schedule.occurrences) * calendars
    if events > limits.CALENDAR_EVENTS:
        click.echo(visible(f"{file}: error[PD031]: the calendars would hold up to {events:,} events "
                           f"({len(schedule.occurrences):,} dated items in {calendars:,} calendars), more than the "
                           f"{limits.CALENDAR_EVENTS:,} one run may write"), err=True)
        click.echo("  hint: write the pairs' calendars in smaller batches (split the pairs file), or make the "
                   "recurring sessions less frequent", err=True)
        sys.exit(EXIT_PROBLEMS)


def pairs_for(path: str, program: Program, purpose: str) -> PairsFile:
    """The pairs file at `path`, checked to belong to `program`; a draft is allowed with a warning."""
    from ..api import display_path
    from ..pairs import PairsError, read_pairs

    try:
        pairs = read_pairs(path, display_path(path))
    except PairsError as error:
        report_and_exit(FileResult(display_path(path), diagnostics=[error.diagnostic()]))
    if pairs.program_id and pairs.program_id != program.id:
        fail(f"{path} is for program '{pairs.program_id}', not '{program.id}'")
    if pairs.status != "published":
        click.echo(visible(f"warning: {path} is a {pairs.status or 'draft'}; publish it before sending these {purpose}"),
                   err=True)
    return pairs


def output_directory(given: str | None) -> str:
    """The -o directory, or the configured default, or a usage error."""
    if given is not None:
        return given
    config = load_config(None)
    if config.output is None:
        raise click.UsageError("give an output directory with -o, or set `output` in programdsl.yaml "
                               "or [tool.programdsl] in pyproject.toml")
    # A configured directory is relative to the configuration file, wherever the command runs, and
    # stays inside its folder: a configuration a pull request adds must not aim a build at ~/.ssh.
    base = config.source.parent if config.source is not None else Path.cwd()
    target = (base / config.output).resolve()
    if os.path.isabs(config.output) or (target != base.resolve() and base.resolve() not in target.parents):
        where = visible(str(config.source or "the configuration"))
        raise click.UsageError(f"{where}: error[PD052]: `output` must name a folder inside the configuration's "
                               f"folder, not {visible(repr(config.output))} (it leads outside it); give -o to write "
                               "elsewhere")
    return os.path.relpath(base / config.output)


def report_stale(written: Written, command: str, shown: int = 5) -> None:
    """Name the files of a previous run that this one removed, or kept because they were edited."""
    def files(paths: list[str]) -> str:
        return f"{plural(len(paths), 'file')} an earlier {command} wrote that this one no longer produces"

    def names(paths: list[str]) -> str:
        return visible(", ".join(paths[:shown])) + (f" and {len(paths) - shown} more" if len(paths) > shown else "")

    if written.removed:
        click.echo(f"removed {files(written.removed)}: {names(written.removed)}")
    if written.kept:
        changed = "it was" if len(written.kept) == 1 else "they were"
        click.echo(f"kept {files(written.kept)}, because {changed} changed since: {names(written.kept)}", err=True)
