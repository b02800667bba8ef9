"""`programdsl diff`: summarise a change to a program for reviewers."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import click

from ..api import Validator
from ..loader import Document, load_bytes
from ..resolve import Workspace
from ..resources import PRESETS_DIR
from ..terminal import visible, visible_lines
from .common import valid_program


class GitWorkspace(Workspace):
    """Reads files as they were at a git revision, so `extends` resolves against that revision too."""

    def __init__(self, revision: str) -> None:
        super().__init__()
        self.revision = revision

    def _relative(self, path: str | Path) -> tuple[Path, str] | None:
        """The repository's top and `path` within it, or None for a file outside the repository."""
        resolved = Path(path).resolve()
        top = Path(_git(["rev-parse", "--show-toplevel"], resolved.parent if resolved.parent.is_dir() else Path.cwd()).strip())
        try:
            return top, resolved.relative_to(top).as_posix()
        except ValueError:
            return None

    def _show(self, path: str | Path) -> bytes | None:
        where = self._relative(path)
        if where is None:
            return None
        top, relative = where
        from .. import limits

        # Read no more than a program file may be: the revision may hold a file of any size, and
        # load_bytes refuses one over the limit (PD002) from its first PROGRAM_BYTES + 1 bytes.
        try:
            process = subprocess.Popen(["git", "show", f"{self.revision}:{relative}"], cwd=top,
                                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        except OSError:
            return None
        assert process.stdout is not None
        with process.stdout:
            raw = process.stdout.read(limits.PROGRAM_BYTES + 1)
            if len(raw) > limits.PROGRAM_BYTES:
                process.kill()
        return raw if process.wait() == 0 or len(raw) > limits.PROGRAM_BYTES else None

    def exists(self, path: str | os.PathLike[str]) -> bool:
        return self._show(os.fspath(path)) is not None

    def load(self, path: str | Path, display: str | None = None, cache: bool = True) -> Document:  # type: ignore[override]
        if Path(path).resolve().parent == PRESETS_DIR:  # presets ship with programdsl, not with the repository
            return super().load(path, display, cache)
        shown = f"{self.revision}:{display or os.fspath(path)}"
        raw = self._show(path)
        if raw is None:
            return super().load(Path("/nonexistent") / Path(path).name, shown)
        return load_bytes(raw, shown)


def _git(args: list[str], cwd: Path) -> str:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        raise click.UsageError(f"git {' '.join(args)} failed: {getattr(error, 'stderr', '') or error}") from error


@click.command("diff")
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", type=click.Path(exists=True, dir_okay=False), required=False)
@click.option("--git", "revision", default=None, help="Compare OLD as it was at this git revision with the working tree.")
@click.option("--format", "output_format", type=click.Choice(["text", "markdown"]), default="text",
              help="text for a terminal, markdown for a pull-request comment.")
def command(old: str, new: str | None, revision: str | None, output_format: str) -> None:
    """Summarise the change from OLD to NEW in program terms.

    With --git REV, compare OLD as it was at REV with its current contents.
    """
    from ..diff import diff, render_text

    if revision is None and new is None:
        raise click.UsageError("give two files, or one file and --git REV")
    if revision is not None and new is not None:
        raise click.UsageError("--git compares one file with itself at a revision; give only one file")
    if revision is not None:
        if revision.startswith("-") or "\x00" in revision:
            # git would read `--output=FILE:path` as an option (and write FILE): in CI a revision
            # comes from a branch name, so never let one start like an option.
            raise click.BadParameter(f"{visible(revision)} is not a revision: it starts with '-' or holds a NUL",
                                     param_hint="--git")
        _git(["rev-parse", "--verify", f"{revision}^{{commit}}"], Path(old).resolve().parent)
        at_revision = Validator()
        at_revision.workspace = GitWorkspace(revision)
        old_program, _ = valid_program(old, "reviews", at_revision)
        new_program, new_result = valid_program(old, "reviews")
    else:
        if not Path(old).exists():
            raise click.UsageError(f"{old} does not exist")
        old_program, _ = valid_program(old, "reviews")
        new_program, new_result = valid_program(new, "reviews")  # type: ignore[arg-type]
    changes = diff(old_program, new_program, new_result.resolved.loc if new_result.resolved else None)
    click.echo(visible_lines(render_text(changes, new_program, markdown=output_format == "markdown")), nl=False)
