"""PDF from the HTML documents, through WeasyPrint, byte for byte reproducible.

WeasyPrint is imported only when a PDF is asked for (it is an optional extra: `programdsl[pdf]`).
Reproducibility: the document's dates come from the program (the HTML carries
`dcterms.created`/`dcterms.modified` metadata set from its start date, and the embedded fonts are
stamped with the same date), the PDF identifier is derived from the program and the document's
path, and nothing is fetched: the fetcher accepts only `data:` URLs, so a template cannot pull a local file or a
web page into a PDF.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
from typing import Any


class PdfUnavailable(RuntimeError):
    pass


_FETCHER: Any = None


def _weasyprint() -> Any:
    try:
        import weasyprint
    except (ImportError, OSError) as error:  # OSError: the pango library is missing
        raise PdfUnavailable(
            f"PDF output needs WeasyPrint ({error}); install it with `pip install 'programdsl[pdf]'` "
            "or leave pdf out of --format") from None
    return weasyprint


def pdf_available() -> bool:
    """Whether WeasyPrint and the system libraries it needs can be loaded."""
    try:
        _weasyprint()
    except PdfUnavailable:
        return False
    return True


def identifier(*parts: str) -> bytes:
    """A fixed PDF identifier for one document of one program version: 32 ASCII bytes, the first
    32 hex digits of a SHA-256 of `parts` (the file trailer's /ID may be any string; this one is
    printable and the same on every build)."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32].encode("ascii")


def _data_only_fetcher(weasyprint: Any) -> Any:
    """A URL fetcher that serves `data:` URLs and refuses everything else (files, the web)."""
    fetcher_class = getattr(weasyprint.urls, "URLFetcher", None)
    if fetcher_class is not None:  # WeasyPrint 66 and later
        return fetcher_class(allowed_protocols={"data"}, allow_redirects=False)

    def fetch(url: str, *args: Any, **kwargs: Any) -> Any:  # earlier versions take a function
        if url.startswith("data:"):
            return weasyprint.default_url_fetcher(url, *args, **kwargs)
        raise ValueError(f"programdsl fetches nothing for PDFs; refused {url[:80]}")

    return fetch


def epoch(day: dt.date | None) -> int:
    """Seconds since 1970 at midnight UTC of `day` (the program's start), for fixed timestamps."""
    day = day or dt.date(2000, 1, 1)
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp())


def html_to_pdf(html: str, ident: bytes, timestamp: int) -> bytes:
    """One PDF; `timestamp` (seconds since 1970) stands in for "now" wherever a library asks.

    fontTools stamps each embedded font subset with the time it was made unless
    SOURCE_DATE_EPOCH is set, so it is set for the duration of the call.
    """
    global _FETCHER
    weasyprint = _weasyprint()
    if _FETCHER is None:
        _FETCHER = _data_only_fetcher(weasyprint)
    logger = logging.getLogger("weasyprint")
    previous_level = logger.level
    previous_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    logger.setLevel(logging.ERROR)  # a refused fetch is intended, not worth a warning per page
    os.environ["SOURCE_DATE_EPOCH"] = str(timestamp)
    try:
        document = weasyprint.HTML(string=html, url_fetcher=_FETCHER, base_url="about:blank")
        # Tagged PDF gives screen readers the headings, lists and tables (WeasyPrint 67 and later).
        tags = {"pdf_tags": True} if "pdf_tags" in getattr(weasyprint, "DEFAULT_OPTIONS", {}) else {}
        data: bytes = document.write_pdf(pdf_identifier=ident, **tags)
    finally:
        logger.setLevel(previous_level)
        if previous_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous_epoch
    return data
