"""`programdsl match`: pair mentors with mentees by executing the program's pairing rules.

Thin layer: parse options, call programdsl.matching, print located problems and a summary,
choose the exit status. numpy, scipy and rustworkx are imported only when the command runs.
"""

from __future__ import annotations

import os
import sys
from typing import Any, TextIO

import click

from ..matching import codes as _codes  # noqa: F401  (registers the PD4xx codes for docs and reporters)
from ..reporters.base import plural
from ..terminal import visible, visible_lines
from .common import EXIT_OK, EXIT_PROBLEMS, print_diagnostics, require_libraries

MATCH_LIBRARIES = ("numpy", "scipy")  # rustworkx, also in the `match` extra, only speeds up pools of peers


@click.command("match")
@click.argument("program_file", metavar="PROGRAM.yaml", type=click.Path(exists=True, dir_okay=False))
@click.argument("roster_file", metavar="ROSTER", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write the pairs here: YAML for .yaml/.yml, CSV otherwise. Without it nothing is written.")
@click.option("--explain", is_flag=True, help="Print every match with the preferences it meets and misses, and every unmatched person's reason.")
@click.option("--pin", "pins", multiple=True, type=click.Path(exists=True, dir_okay=False), metavar="FILE",
              help="Pairs a coordinator decided: a CSV with mentor and mentee id columns, or a pairs file. Made first, always.")
@click.option("--keep", "keeps", multiple=True, type=click.Path(exists=True, dir_okay=False), metavar="PAIRS",
              help="Re-match: keep this earlier pairs file's matches (people no longer on the roster are dropped) and place everyone else.")
@click.option("--publish", is_flag=True,
              help="Write status: published instead of draft. Refused if the output file is a draft this run would change.")
@click.option("--strict", is_flag=True, help="Treat roster warnings as problems (exit status 1, nothing written).")
@click.option("--compare", "compare_file", type=click.Path(exists=True, dir_okay=False), metavar="OTHER.yaml",
              help="What-if: also match the roster under OTHER.yaml's rules and print how coverage, scores and "
                   "unmatched reasons move. Writes nothing.")
def command(program_file: str, roster_file: str, output: str | None, explain: bool, pins: tuple[str, ...],
            keeps: tuple[str, ...], publish: bool, strict: bool, compare_file: str | None) -> None:
    """Match the people in ROSTER (CSV or YAML) under PROGRAM.yaml's pairing rules.

    The plan is globally optimal for the program's objective and is written as a draft for a
    coordinator to review. Exit status: 0 when pairs were made (unmatched people are reported,
    not failures), 1 when the program, roster or pin files have problems, 2 for a usage error.
    """
    if compare_file is not None and (output is not None or publish):
        raise click.UsageError("--compare writes nothing: leave out -o and --publish", ctx=click.get_current_context())
    if output is not None and not output.lower().endswith((".yaml", ".yml", ".csv")):
        raise click.UsageError("the output must end in .csv, .yaml or .yml", ctx=click.get_current_context())
    if output is not None:
        folder = os.path.dirname(output) or "."
        if not os.path.isdir(folder):  # said before matching, which can take minutes, not after
            raise click.UsageError(visible(f"the folder {folder} does not exist; create it first, or write the pairs "
                                           "into an existing folder"), ctx=click.get_current_context())
    require_libraries(MATCH_LIBRARIES, "matching needs", extra="match")
    from ..api import display_path, load_program
    from ..diagnostics import Severity
    from ..matching.engine import match, read_declined, read_fixed
    from ..matching.roster import needs_of, read_roster
    from ..pairs import PairsError, dumps, read_pairs

    err, out = sys.stderr, sys.stdout
    program, result = load_program(program_file)
    if program is None:
        print_diagnostics(result.diagnostics, err)
        err.write(visible(f"{result.file}: the program has errors; fix them before matching") + "\n")
        sys.exit(EXIT_PROBLEMS)
    roster = read_roster(roster_file, needs_of(program), display_path(roster_file))
    diagnostics = list(roster.diagnostics)
    fixed = []
    declined: list[tuple[str, str]] = []
    for path, kept in [(p, False) for p in pins] + [(k, True) for k in keeps]:
        found, problems = read_fixed(path, kept, display_path(path))
        fixed += found
        diagnostics += problems
        if kept and not problems:  # pairs a coordinator deleted from the draft are not made again
            history, problems = read_declined(path, display_path(path))
            declined += history
            diagnostics += problems

    def failed() -> bool:
        return any(d.severity is Severity.ERROR or (strict and d.severity is Severity.WARNING) for d in diagnostics)

    if not failed():  # estimated before solving: running out of memory is a kill, not a message
        from ..matching.memory import memory_problem

        too_big = memory_problem(program, roster.people, display_path(roster_file))
        if too_big is not None:
            diagnostics.append(too_big)
    if failed():
        print_diagnostics(diagnostics, err)
        err.write(f"{visible(display_path(roster_file))}: {plural(sum(d.severity is Severity.ERROR for d in diagnostics), 'error')}, "
                  f"{plural(sum(d.severity is Severity.WARNING for d in diagnostics), 'warning')}; nothing matched\n")
        sys.exit(EXIT_PROBLEMS)
    try:
        outcome = match(program, roster, fixed, status="published" if publish else "draft", declined=declined)
    except Exception as error:  # a bug must still come out as a located message, never a traceback
        err.write(visible(f"{display_path(roster_file)}:1:1: error[PD999]: programdsl failed while matching "
                          f"({type(error).__name__}: {error})") + "\n  hint: please report this with the program file\n")
        sys.exit(EXIT_PROBLEMS)
    diagnostics += outcome.diagnostics
    print_diagnostics(diagnostics, err)
    if outcome.pairs is None or failed():
        err.write("nothing matched: fix the problems above\n")
        sys.exit(EXIT_PROBLEMS)
    pairs = outcome.pairs
    if compare_file is not None:
        other = _other_plan(compare_file, roster_file, fixed, declined, strict)
        from ..matching.compare import compare, render

        if explain:
            _explain(pairs, out)
        out.write(visible(f"what-if on {display_path(roster_file)}: "
                          f"{plural(other.summary.get('matched', 0) + len(other.unmatched), 'participant')}") + "\n")
        out.write(visible_lines(render(compare(pairs, other), display_path(program_file), display_path(compare_file))))
        out.write("nothing written (--compare only reports)\n")
        sys.exit(EXIT_OK)
    if publish and output is not None:
        refusal = _publish_refusal(pairs, output, bool(keeps), visible(display_path(output)), read_pairs, PairsError)
        if refusal:
            err.write(refusal)
            sys.exit(EXIT_PROBLEMS)
    if output is not None:  # written first and whole: a closed pipe on the report cannot cost the file
        from ..output import OutputError, write_atomic, write_failure

        try:
            write_atomic(output, dumps(pairs, output))
        except (OSError, OutputError) as error:
            err.write(write_failure(error, output, "the pairs") + "\n")
            sys.exit(EXIT_PROBLEMS)
    if explain:
        _explain(pairs, out)
    _summary(pairs, output, out)
    sys.exit(EXIT_OK)


def _other_plan(compare_file: str, roster_file: str, fixed: list[Any], declined: list[tuple[str, str]], strict: bool) -> Any:
    """The same roster, pins and declines matched under the other program; exits on problems."""
    from ..api import display_path, load_program
    from ..diagnostics import Severity
    from ..matching.engine import match
    from ..matching.roster import needs_of, read_roster

    err = sys.stderr
    program, result = load_program(compare_file)
    if program is None:
        print_diagnostics(result.diagnostics, err)
        err.write(f"{result.file}: the program to compare with has errors; fix them first\n")
        sys.exit(EXIT_PROBLEMS)
    roster = read_roster(roster_file, needs_of(program), display_path(roster_file))
    outcome = match(program, roster, fixed, declined=declined) if not roster.errors else None
    diagnostics = list(roster.diagnostics) + (outcome.diagnostics if outcome is not None else [])
    if outcome is None or outcome.pairs is None or any(
            d.severity is Severity.ERROR or (strict and d.severity is Severity.WARNING) for d in diagnostics):
        print_diagnostics(diagnostics, err)
        err.write(f"{display_path(compare_file)}: the roster cannot be matched under these rules; nothing compared\n")
        sys.exit(EXIT_PROBLEMS)
    print_diagnostics([d for d in diagnostics if d.file != display_path(roster_file)], err)
    return outcome.pairs


def _publish_refusal(pairs: Any, output: str, kept: bool, shown: str, read_pairs: Any, pairs_error: type[Exception]) -> str:
    """Why publishing to `output` is refused, or "" when it may go ahead. Only a plan a
    coordinator has seen may be published: the output must already hold it, as a draft (or an
    earlier publication) with exactly the matches this run makes."""
    if not os.path.exists(output):
        return (f"{shown}: refusing to publish: there is no reviewed draft at this path, so nobody has seen this plan\n"
                f"  hint: run again without --publish to write the draft, review it, then publish it\n")
    try:
        reviewed = read_pairs(output, shown)
    except pairs_error:
        return (f"{shown}: refusing to publish: the file there is not a pairs file, so nobody has reviewed this plan\n"
                f"  hint: write the draft with -o {shown} (without --publish), review it, then publish it\n")
    before = {m.id for m in reviewed.matches}
    after = {m.id for m in pairs.matches}
    if before == after:
        return ""
    hint = ("run again without --publish to put the new matches in the draft, review them, then publish"
            if kept else f"to keep the reviewed matches, run again with --keep {shown}")
    return (f"{shown}: refusing to publish: this run makes {plural(len(after - before), 'match')} "
            f"the reviewed {'draft' if reviewed.status == 'draft' else 'file'} does not have and drops {len(before - after)}\n"
            f"  hint: {hint}\n")


def _explain(pairs: Any, out: TextIO) -> None:
    for m in pairs.matches:
        mentors = ", ".join(f"{x.name} ({x.id})" for x in m.mentors)
        mentees = ", ".join(f"{x.name} ({x.id})" for x in m.mentees)
        out.write(visible(f"{mentors} -> {mentees}  score {m.score:.2f}{'  [pinned]' if m.pinned else ''}") + "\n")
        for line in m.explanation:
            out.write(f"    {visible(line)}\n")
    for u in pairs.unmatched:
        out.write(visible(f"unmatched {u.role or 'participant'} {u.name} ({u.id}): {u.reason}: {u.detail}") + "\n")
    if pairs.matches or pairs.unmatched:
        out.write("\n")


def _summary(pairs: Any, output: str | None, out: TextIO) -> None:
    s = pairs.summary
    total = s.get("matched", 0) + len(pairs.unmatched)
    line = (f"matched {s.get('matched', 0)} of {plural(total, 'participant')} in {plural(s.get('matches', 0), 'match')}"
            f" (mean score {s.get('meanScore', 0):.2f}, objective {s.get('objective')}, {s.get('solver')})")
    out.write(line + "\n")
    if pairs.unmatched:
        reasons = ", ".join(f"{n} {reason}" for reason, n in s.get("unmatched", {}).items())
        out.write(f"unmatched: {visible(reasons)}\n")
    if s.get("keptPairsDropped"):
        out.write(f"dropped {plural(s['keptPairsDropped'], 'kept pair')} whose people are no longer on the roster\n")
    if output is None:
        out.write("nothing written (use -o FILE to write the pairs)\n")
    elif pairs.status == "draft":
        out.write(f"draft written to {visible(output)}: review it, then publish (docs/matching.md)\n")
    else:
        out.write(f"published to {visible(output)}\n")
