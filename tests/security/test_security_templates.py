"""Template escapes and unbounded work: a user templates folder is hostile input.

Each test renders one user template through the same loader and sandbox `build --templates`
uses, and expects either the right output or a TemplateFailure with a stable code naming the
template and the line that tried.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from programdsl import limits
from programdsl.render.templating import TemplateFailure, load_templates

SECRET = "root:x:0:0:secret-marker\n"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the templates folder holding a file no template may read."""
    folder = tmp_path / "private"
    folder.mkdir()
    (folder / "passwd").write_text(SECRET, encoding="utf-8")
    return folder


@pytest.fixture
def tpl(tmp_path: Path) -> Path:
    folder = tmp_path / "tpl"
    folder.mkdir()
    return folder


def render(folder: Path, text: str, name: str = "attack.md.j2") -> str:
    (folder / name).write_text(text, encoding="utf-8")
    return load_templates(folder).render(name, {"program": {"name": "Pilot"}})


def refused(folder: Path, text: str, code: str, line: int = 1) -> TemplateFailure:
    with pytest.raises(TemplateFailure) as caught:
        render(folder, text)
    failure = caught.value
    assert failure.code == code, str(failure)
    assert failure.file.endswith("attack.md.j2") and failure.line == line, str(failure)
    assert SECRET.strip() not in str(failure)
    return failure


# --- reading files -----------------------------------------------------------------------------------

def test_a_file_symlink_leading_outside_is_refused(tpl: Path, outside: Path) -> None:
    os.symlink(outside / "passwd", tpl / "leak.j2")
    failure = refused(tpl, "hello\n{% include 'leak.j2' %}\n", "PD440", line=2)
    assert "outside the templates folder" in failure.message


def test_a_symlinked_folder_leading_outside_is_refused(tpl: Path, outside: Path) -> None:
    os.symlink(outside, tpl / "shared")
    refused(tpl, "{% include 'shared/passwd' %}", "PD440")


def test_ignore_missing_does_not_silence_a_refusal(tpl: Path, outside: Path) -> None:
    os.symlink(outside / "passwd", tpl / "leak.j2")
    refused(tpl, "{% include 'leak.j2' ignore missing %}", "PD440")


@pytest.mark.parametrize("name", ["/etc/passwd", "../private/passwd", "partials/../../private/passwd", "./../private/passwd"])
def test_absolute_and_parent_includes_are_refused(tpl: Path, outside: Path, name: str) -> None:
    refused(tpl, "{% include '" + name + "' %}", "PD440")


def test_import_and_extends_are_checked_like_include(tpl: Path, outside: Path) -> None:
    os.symlink(outside / "passwd", tpl / "leak.j2")
    refused(tpl, "{% extends 'leak.j2' %}", "PD440")
    refused(tpl, "{% import 'leak.j2' as x %}", "PD440")
    refused(tpl, "{% from '/etc/passwd' import x %}", "PD440")


def test_a_symlink_that_stays_inside_the_folder_works(tpl: Path) -> None:
    (tpl / "partials").mkdir()
    (tpl / "partials" / "real.j2").write_text("shared text", encoding="utf-8")
    os.symlink(tpl / "partials" / "real.j2", tpl / "alias.j2")
    assert render(tpl, "{% include 'alias.j2' %}") == "shared text\n"


def test_a_template_that_is_itself_a_link_outside_is_refused(tpl: Path, outside: Path) -> None:
    os.symlink(outside / "passwd", tpl / "charter.md.j2")
    with pytest.raises(TemplateFailure) as caught:
        load_templates(tpl).render("charter.md.j2", {})
    assert caught.value.code == "PD440" and SECRET.strip() not in str(caught.value)


def test_a_folder_or_fifo_named_as_a_template_is_refused(tpl: Path) -> None:
    (tpl / "dir.j2").mkdir()
    refused(tpl, "{% include 'dir.j2' %}", "PD440")
    os.mkfifo(tpl / "pipe.j2")
    refused(tpl, "{% include 'pipe.j2' %}", "PD440")


def test_a_huge_template_file_is_refused_by_its_size(tpl: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "TEMPLATE_BYTES", 100)
    (tpl / "big.j2").write_text("x" * 101, encoding="utf-8")
    failure = refused(tpl, "{% include 'big.j2' %}", "PD440")
    assert "101 bytes" in failure.message


def test_guidance_file_linked_outside_is_refused(tpl: Path, outside: Path) -> None:
    os.symlink(outside / "passwd", tpl / "guidance.yaml")
    with pytest.raises(TemplateFailure) as caught:
        load_templates(tpl).source_of("guidance.yaml")
    assert caught.value.code == "PD440"


# --- Python internals ------------------------------------------------------------------------------

@pytest.mark.parametrize("expression", [
    "''.__class__.__mro__[1].__subclasses__()",
    "cycler.__init__.__globals__",
    "namespace.__init__.__globals__['os']",
    "range.__self__",
    "program.__class__",
    "joiner.__init__.__globals__.__builtins__",
    "''.format.__globals__",
    "'{0.__class__}'.format(1)",
])
def test_class_and_globals_walks_are_refused(tpl: Path, expression: str) -> None:
    with pytest.raises(TemplateFailure) as caught:
        render(tpl, "{{ " + expression + " }}")
    assert caught.value.code in ("PD442", None) and caught.value.line == 1
    assert "<class" not in str(caught.value) and "module" not in str(caught.value)


# --- unbounded work ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "{{ 'a' * (2 * 10**9) }}",
    "{{ (2 * 10**9) * 'a' }}",
    "{{ [1] * (10**9) }}",
    "{{ 10 ** 100000000 }}",
    "{% set x = 10 ** 4000 %}{{ x * x * x }}",
    "{{ range(10**9)|list }}",
    "{{ '%0999999999d' % 1 }}",
    "{{ '%*d' % (999999999, 1) }}",
    "{{ '{:>999999999}'.format(1) }}",
    "{{ 'x'|center(999999999) }}",
    "{{ 'x'.ljust(999999999) }}",
    "{{ 'x'|indent(999999999) }}",
    "{{ 'a b'|wordwrap(1, wrapstring='y' * 5000000) }}",
    "{{ range(10)|slice(999999999)|list }}",
    "{% set s = 'a' * 1000 %}{{ s|replace('a', s)|replace('a', s) }}",
    "{% set s = 'a' * 1000 %}{{ s.replace('a', s).replace('a', s) }}",
    "{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
    "{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
    "{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s %}{{ ns.s }}{{ ns.s }}{% endset %}{% endfor %}",
    "{% set ns = namespace(l=[1]) %}{% for i in range(40) %}{% do ns.l.extend(ns.l) %}{% endfor %}",
    "{% for i in range(100000) %}{% for j in range(1000) %}xxxxxxxxxxxxxxxxxxxxxxxx{% endfor %}{% endfor %}",
])
def test_huge_values_are_refused_before_they_are_built(tpl: Path, text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "RENDER_OUTPUT", 1_000_000)
    failure = refused(tpl, text, "PD441")
    assert "template" in failure.message or "document" in failure.message


def test_nested_loops_are_stopped_by_the_time_limit_at_their_line(tpl: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "RENDER_SECONDS", 0.3)
    failure = refused(tpl, "start\n{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n",
                      "PD441", line=2)
    assert "longer than 0.3 seconds" in failure.message


def test_a_loop_over_a_string_is_stopped_too(tpl: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "RENDER_SECONDS", 0.3)
    refused(tpl, "{% set s = 'a' * 100000 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}", "PD441")


def test_the_deadline_never_fires_after_a_render_has_finished(tpl: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "RENDER_SECONDS", 0.05)
    (tpl / "ok.md.j2").write_text("{{ program.name }}", encoding="utf-8")
    templates = load_templates(tpl)
    for _ in range(30):
        assert templates.render("ok.md.j2", {"program": {"name": "Pilot"}}) == "Pilot\n"
    time.sleep(0.2)  # a timer that fired late would raise here, in this thread


def test_ordinary_templates_stay_far_inside_the_limits(tpl: Path) -> None:
    text = ("{% for i in range(2000) %}{{ '%5d'|format(i) }} {{ 'x'|center(20) }} {{ 2 ** 64 }} {{ 'ab' * 10 }}"
            "{{ '{:>8}'.format(i) }}{{ ('a b c'|replace(' ', '-')) ~ '!' }}{% endfor %}")
    out = render(tpl, text)
    assert out.count("18446744073709551616") == 2000



# --- a whole build's time, and the shipped templates' folder -------------------------------------------

def test_a_build_s_documents_share_one_time_limit(tpl: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from programdsl.render.templating import build_time_limit

    monkeypatch.setattr(limits, "RENDER_SECONDS", 30.0)  # each document alone would be allowed far longer
    monkeypatch.setattr(limits, "BUILD_RENDER_SECONDS", 0.3)
    (tpl / "loop.md.j2").write_text("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
                                    encoding="utf-8")
    templates = load_templates(tpl)
    with build_time_limit():
        with pytest.raises(TemplateFailure) as caught:
            templates.render("loop.md.j2", {})
        assert caught.value.code == "PD441" and caught.value.line == 1
        assert "the build's documents took longer than 0.3 seconds together, the limit for one build" in str(caught.value)
        # Once the build's time is spent, the next document is refused before it starts.
        (tpl / "ok.md.j2").write_text("fine", encoding="utf-8")
        with pytest.raises(TemplateFailure, match=r"error\[PD441\]: rendering the build's documents"):
            load_templates(tpl).render("ok.md.j2", {})
    assert load_templates(tpl).render("ok.md.j2", {}) == "fine\n"  # outside a build: only the document's limit


def test_the_build_command_stops_at_the_build_s_limit(tmp_path: Path, tpl: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from programdsl.cli import main

    monkeypatch.setattr(limits, "BUILD_RENDER_SECONDS", 0.0)
    program = Path(__file__).resolve().parent.parent / "fixtures" / "rosters" / "program.yaml"
    result = CliRunner().invoke(main, ["build", str(program), "-o", str(tmp_path / "out"), "--format", "md",
                                       "--templates", str(tpl)])
    assert result.exit_code == 1 and "error[PD441]: rendering the build's documents took longer" in result.output
    assert not (tmp_path / "out").exists()


def test_an_error_in_a_shipped_template_does_not_show_where_it_is_installed(tpl: Path) -> None:
    from programdsl.resources import templates_dir

    # A user template includes a shipped partial without the values it needs.
    (tpl / "mine.md.j2").write_text('{% include "partials/toc.md.j2" %}\n', encoding="utf-8")
    with pytest.raises(TemplateFailure) as caught:
        load_templates(tpl).render("mine.md.j2", {})
    text = str(caught.value)
    assert text.startswith("<shipped>/partials/toc.md.j2:") and "is undefined" in text
    assert str(templates_dir()) not in text and caught.value.file == "<shipped>/partials/toc.md.j2"


def test_aliases_in_a_user_guidance_file_are_counted_before_they_are_expanded(
        tmp_path: Path, tpl: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # 3,000 paragraphs shared by 3,000 sections: 230 KB that expand to 9 million paragraphs took 17 s
    # and 1.1 GB; the same file ten times larger would not fit in memory.
    from click.testing import CliRunner

    from programdsl.cli import main

    monkeypatch.setattr(limits, "PROGRAM_VALUES", 200)
    paragraphs = "".join(f"        - Paragraph {i} for {{mentee}}.\n" for i in range(30))
    sections = "".join(f"    - {{title: Section {i}, text: *p}}\n" for i in range(1, 30))
    (tpl / "guidance.yaml").write_text(f"common:\n  mentor:\n    - title: Section 0\n      text: &p\n{paragraphs}{sections}",
                                       encoding="utf-8")
    program = Path(__file__).resolve().parent.parent / "fixtures" / "rosters" / "program.yaml"
    result = CliRunner().invoke(main, ["build", str(program), "-o", str(tmp_path / "out"), "--format", "md",
                                       "--no-calendars", "--templates", str(tpl)])
    assert result.exit_code == 1
    assert re.search(r"guidance\.yaml:\d+: error\[PD441\]: the document expands to more than 200 values", result.output)
    assert not (tmp_path / "out").exists()
