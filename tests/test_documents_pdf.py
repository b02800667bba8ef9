"""PDF documents: text extracted and checked, byte-identical builds, nothing fetched.

Only the smallest program is converted, and only three of its documents: WeasyPrint takes a
second or more per document. Needs the pdf and test extras (weasyprint, pypdf).
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from programdsl.api import Validator
from programdsl.model import Program
from programdsl.render.documents import BuildOptions, DocumentBuild, run_jobs

from conftest import MINIMAL_PATH

pytest.importorskip("weasyprint", reason="PDF output needs WeasyPrint (pip install 'programdsl[pdf]')")
pypdf = pytest.importorskip("pypdf", reason="PDF text extraction needs pypdf")

CHOSEN = ("charter.pdf", "forms/closing-survey/mentee.pdf", "handbooks/mentee.pdf")


@pytest.fixture(scope="module")
def program() -> Program:
    result = Validator().check_file(MINIMAL_PATH)
    assert result.program is not None
    return result.program


def build_pdfs(program: Program, templates: Path | None = None, chosen: tuple[str, ...] = CHOSEN) -> dict[str, bytes]:
    build = DocumentBuild(program, BuildOptions(formats=("pdf",), templates=templates))
    jobs = [job for job in build.jobs() if job.label in chosen]
    assert len(jobs) == len(chosen)
    return run_jobs(jobs, workers=1)


@pytest.fixture(scope="module")
def pdfs(program: Program) -> dict[str, bytes]:
    return build_pdfs(program)


def text_of(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_pdfs_hold_the_documents_text(pdfs: dict[str, bytes]) -> None:
    charter = text_of(pdfs["charter.pdf"])
    for expected in ("Pilot program", "What we aim to achieve", "Mentees grow in confidence", "Confidence score",
                     "5 January to 4 October 2026", "Who takes part"):
        assert expected in charter, expected
    form = text_of(pdfs["forms/closing-survey/mentee.pdf"])
    assert "Closing survey" in form and "I feel confident." in form
    handbook = text_of(pdfs["handbooks/mentee.pdf"])
    assert "Contents" in handbook and "Your schedule" in handbook and "Session by session" in handbook
    reader = pypdf.PdfReader(io.BytesIO(pdfs["handbooks/mentee.pdf"]))
    assert len(reader.pages) > 3
    assert reader.metadata.title == "Pilot program: handbook for mentees"
    assert reader.metadata["/CreationDate"].startswith("D:20260105")
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in catalog  # tagged for screen readers


def test_two_pdf_builds_are_byte_identical(program: Program, pdfs: dict[str, bytes]) -> None:
    again = build_pdfs(program, chosen=("charter.pdf",))
    assert again["charter.pdf"] == pdfs["charter.pdf"]


def test_pdf_conversion_fetches_nothing(program: Program, tmp_path: Path) -> None:
    from PIL import Image

    secret = tmp_path / "secret.png"
    Image.new("RGB", (40, 40), "red").save(secret)
    own = tmp_path / "tpl"
    own.mkdir()
    (own / "charter.html.j2").write_text(
        f'<html><body><h1>{{{{ program.name }}}}</h1><img src="file://{secret}"></body></html>\n', encoding="utf-8")
    data = build_pdfs(program, templates=own, chosen=("charter.pdf",))["charter.pdf"]
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert "Pilot program" in text_of(data)
    assert not any(page.images for page in reader.pages), "a local file was pulled into the PDF"


# --- page layout: checked on the NHS example, whose charter used to end on a footer-only page ----

NHS = Path(__file__).resolve().parent.parent / "examples" / "reverse-nhs-clinical.yaml"


@pytest.fixture(scope="module")
def nhs_pdfs() -> dict[str, bytes]:
    result = Validator().check_file(NHS)
    assert result.program is not None
    build = DocumentBuild(result.program, BuildOptions(formats=("pdf",)))
    jobs = [job for job in build.jobs() if job.label == "charter.pdf" or job.label.startswith("forms/")]
    return {name: data for name, data in run_jobs(jobs, workers=1).items() if name.endswith(".pdf")}


def _page_lines(data: bytes) -> list[list[str]]:
    """Each page's text lines, without the running footer (the title and "n / N")."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    pages = []
    for number, page in enumerate(reader.pages, 1):
        lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        pages.append([line for line in lines if not line.endswith(f"{number} / {len(reader.pages)}")])
    return pages


def test_no_page_holds_only_the_colophon(nhs_pdfs: dict[str, bytes]) -> None:
    for name, data in nhs_pdfs.items():
        last = _page_lines(data)[-1]
        colophon = [i for i, line in enumerate(last) if "design version" in line]
        assert colophon, name
        assert colophon[0] > 0, f"{name}: the last page holds only the colophon: {last}"


def test_a_long_card_starts_on_the_page_its_heading_is_on(nhs_pdfs: dict[str, bytes]) -> None:
    first = _page_lines(nhs_pdfs["charter.pdf"])[0]
    # The first objective begins on page 1 under its section heading, instead of leaving the
    # rest of the page empty; its measures table follows it there.
    assert "What we aim to achieve" in first
    assert "Consultants understand the working lives of doctors in training" in first
    assert first.index("Consultants understand the working lives of doctors in training") > first.index("What we aim to achieve")
    assert any(line.startswith("Consultant insight score") for line in first)


def test_a_form_never_leaves_its_last_question_alone(nhs_pdfs: dict[str, bytes]) -> None:
    for name, data in nhs_pdfs.items():
        if not name.startswith("forms/"):
            continue
        pages = _page_lines(data)
        if len(pages) < 2:
            continue
        questions = [line for line in pages[-1] if re.match(r"^[0-9]+\. ", line)]
        assert len(questions) >= 2, f"{name}: the last page holds {questions}"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_display_counts_documents_without_an_eta(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """On a terminal, a PDF build shows how many documents are done (PDF times vary too much for
    an estimate of the time left to mean anything)."""
    import programdsl.render.documents as documents
    from programdsl.cli import main

    def instant(jobs: list[Any], workers: int = 1, on_done: Any = None) -> dict[str, bytes]:
        for job in jobs:
            if on_done is not None:
                on_done(job)
        return {}

    terminal = _Terminal()
    monkeypatch.setattr(documents, "run_jobs", instant)
    monkeypatch.setattr(sys, "stderr", terminal)
    with pytest.raises(SystemExit) as stopped:
        main(["build", str(MINIMAL_PATH), "-o", str(tmp_path / "out"), "--format", "pdf", "--no-calendars"],
             standalone_mode=False)
    assert stopped.value.code == 0
    shown = terminal.getvalue()
    total = int(re.findall(r" ([0-9]+)/([0-9]+) ", shown)[-1][1])
    assert f" {total}/{total} " in shown and " 0/" in shown
    assert "Building documents" in shown and "done: " in shown
    assert "eta" not in shown.lower() and "%" not in shown
