"""`programdsl validate`: check program files against the format and its rules."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ..api import FileResult, Validator
from ..reporters import REPORTERS, make
from .common import EXIT_OK, EXIT_PROBLEMS, colour, load_config


@click.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=True, file_okay=True, allow_dash=True))
@click.option("--format", "output_format", type=click.Choice(sorted(REPORTERS)), default=None,
              help="Output format. Default: text, or github inside GitHub Actions.")
@click.option("--strict", is_flag=True, help="Fail on warnings as well as errors.")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Configuration file (default: the nearest programdsl.yaml or pyproject.toml with [tool.programdsl]).")
@click.option("--changed", is_flag=True,
              help="PATHS are changed files (as pre-commit passes them): check the programs among them and every "
                   "program under the current directory that extends a changed defaults file.")
def command(paths: tuple[str, ...], output_format: str | None, strict: bool, config_path: Path | None,
            changed: bool) -> None:
    """Check program files, and directories of them, against the format and its rules.
    A PATH of - reads one program from standard input.

    Exit status: 0 when no errors are found (no warnings either, with --strict), 1 when
    problems are found, 2 for a usage error.
    """
    if output_format is None:
        output_format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    stream = sys.stdout
    reporter = make(output_format, stream, color=output_format == "text" and colour(stream))
    config = load_config(config_path)
    strict = strict or config.strict

    def on_file(result: FileResult) -> None:
        result.diagnostics = config.apply(result.diagnostics)
        reporter.file_done(result)

    targets: list[str | Path] = list(paths)
    if changed:
        from ..dependents import files_to_check

        targets = list(files_to_check(paths, Path.cwd()))
        if not targets:
            sys.exit(EXIT_OK)
    report = Validator().check_paths(targets, on_file=on_file, keep_models=False)
    if not report.files:
        raise click.UsageError("no program files found (YAML files that declare `apiVersion: programdsl/v1`, "
                               "or inherit it through `extends:`)")
    reporter.finish(report, strict)
    sys.exit(EXIT_PROBLEMS if report.failed(strict) else EXIT_OK)
