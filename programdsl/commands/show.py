"""`programdsl show`: the program as programdsl sees it, each value with where it came from."""

from __future__ import annotations

import click

from .common import valid_program


@click.command("show")
@click.argument("program", type=click.Path(exists=True, dir_okay=False))
@click.option("--only-inherited", is_flag=True, help="Show only values the file does not write itself "
              "(from its type's preset or an `extends` defaults file).")
@click.option("--format", "output_format", type=click.Choice(["yaml", "json"]), default="yaml",
              help="yaml: the resolved program with a `# from` comment on each value; json: a list of values "
                   "with their JSON pointer and origin.")
def command(program: str, only_inherited: bool, output_format: str) -> None:
    """Print PROGRAM after presets and `extends` are merged, each value marked with where it came
    from: the preset, a defaults file and line, the program's own line, or programdsl's built-in
    default for a value no file gives."""
    from ..origins import as_json, as_yaml, origins, with_built_ins

    _, result = valid_program(program, "resolved views")
    resolved = result.resolved
    assert resolved is not None
    data, built_in = with_built_ins(resolved.data)
    items = [o for o in origins(data, resolved.loc, resolved.file, built_in=frozenset(built_in))
             if not (only_inherited and o.own)]
    click.echo((as_json if output_format == "json" else as_yaml)(items), nl=False)
