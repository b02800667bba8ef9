"""Every role has a label of its own.

Participants know roles by their labels: titles, links, calendars and forms are named after
them. Two roles with one label would give two "Guide for peer partners" with different contents,
so the documents tell them apart by id ("Peer partner (mentee)"); a label of each role's own reads
better.

Bad:
    roles:
      mentor: {label: Peer partner}
      mentee: {label: Peer partner}

Good:
    roles:
      mentor: {label: Peer adviser}
      mentee: {label: Peer partner}
"""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Diagnostic, Severity, register
from .context import Context

CODE = register("PD355", "shared-role-label", Severity.WARNING,
                "Two roles have the same label, so documents must tell them apart by id.")


def check(ctx: Context) -> Iterator[Diagnostic]:
    first: dict[str, str] = {}
    for role_id, role in ctx.program.roles.items():
        key = role.label.casefold()
        if key not in first:
            first[key] = role_id
            continue
        path = role.path + ("label",)
        yield CODE.at(ctx.span(path), f"roles '{first[key]}' and '{role_id}' are both labelled '{role.label}'; the "
                      f"documents call them '{role.label} ({first[key]})' and '{role.label} ({role_id})'",
                      hint="give each role a label of its own", path=path)
