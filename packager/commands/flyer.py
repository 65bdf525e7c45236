"""The flyer use case: a job path's paper flyer (HTML print-ready, and PDF), for the payslip.

Yields each flyer as it is written (Chromium takes a second or two per PDF), so that the CLI
(``packager/cli/flyer.py``) can say so at once; no printing here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from collections.abc import Iterator

from packager.commands.catalogue_input import load_valid_catalogue
from packager.commands.errors import Stop
from packager.flyer.content import flyer_for
from packager.flyer.render import PdfError, print_pdf, render_html
from packager.utils.atomic import write_text_atomic
from packager.utils.course_urls import COURSE_URLS, read_course_urls


@dataclass(frozen=True)
class Written:
    job: str
    title: str
    html: Path
    pdf: Path | None  # None when Chromium could not print it
    pdf_error: str = ""  # "chromium" when it is missing, else what it said
    unpublished: Path | None = None  # the moodle-courses.json without this job path's address


def make_flyers(path: Path, *, job: str | None, out: Path, published: Path, size: str = "A4") -> Iterator[Written]:
    """Raises ``Stop`` (no job path, an unknown one) and ``InvalidCatalogue``."""
    catalogue = load_valid_catalogue(path)
    if not catalogue.jobs:
        raise Stop("none")
    if job is not None and job not in catalogue.jobs:
        raise Stop("unknown", 2, job=job, jobs=", ".join(catalogue.jobs))
    urls = read_course_urls(published)
    out.mkdir(parents=True, exist_ok=True)
    for job_id, path_def in catalogue.jobs.items():
        if job is not None and job_id != job:
            continue
        flyer = flyer_for(catalogue, path_def, urls.get(job_id))
        html = out / f"{job_id}.html"
        write_text_atomic(html, render_html(flyer, size))
        pdf: Path | None = html.with_suffix(".pdf")
        error = ""
        try:
            print_pdf(html, html.with_suffix(".pdf"))
        except PdfError as exc:
            pdf, error = None, str(exc)
        yield Written(job_id, flyer.title, html, pdf, error, published / COURSE_URLS if flyer.course_url is None else None)
