"""PDF documents: text extracted and checked, byte-identical builds, nothing fetched.

Only the smallest program is converted, and only three of its documents: WeasyPrint takes a
second or more per document. Needs the pdf and test extras (weasyprint, pypdf).
"""

from __future__ import annotations

import io
from pathlib import Path

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
