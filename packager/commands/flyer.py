"""``coursepack flyer``: a job path's paper flyer (HTML print-ready, and PDF), for the payslip."""

from __future__ import annotations

from pathlib import Path

import click

from packager.commands.catalogue_input import valid_catalogue
from packager.flyer.content import flyer_for
from packager.flyer.render import PdfError, print_pdf, render_html
from packager.utils.atomic import write_text_atomic
from packager.utils.course_urls import COURSE_URLS, read_course_urls

_T = {
    "fr": {
        "refused": "Affiche impossible : corrigez d'abord les erreurs du catalogue (coursepack validate).",
        "unknown": "Aucun parcours métier « {job} » : choisissez parmi {jobs}.",
        "none": "Ce catalogue n'a aucun parcours métier : pas d'affiche à faire.",
        "done": "Affiche « {title} » : {html} et {pdf}",
        "html_only": "Affiche « {title} » : {html} (PDF non écrit : {reason} ; ouvrez le HTML et imprimez-le)",
        "no_chromium": "Chromium introuvable (installez le paquet chromium, ou donnez son chemin dans COURSEPACK_CHROMIUM)",
        "not_published": "  {job} n'est pas encore publié (aucune adresse dans {file}) : l'affiche le dit ; "
                         "lancez coursepack publish, puis refaites l'affiche.",
    },
    "en": {
        "refused": "No flyer: fix the catalogue's errors first (coursepack validate).",
        "unknown": "No job path “{job}”: choose among {jobs}.",
        "none": "This catalogue has no job path: no flyer to make.",
        "done": "Flyer “{title}”: {html} and {pdf}",
        "html_only": "Flyer “{title}”: {html} (no PDF: {reason}; open the HTML and print it)",
        "no_chromium": "Chromium not found (install the chromium package, or name it in COURSEPACK_CHROMIUM)",
        "not_published": "  {job} is not published yet (no address in {file}): the flyer says so; "
                         "run coursepack publish, then make the flyer again.",
    },
}


def run(path: Path, *, job: str | None, out: Path, published: Path, size: str = "A4", lang: str = "fr") -> int:
    t = _T[lang]
    catalogue = valid_catalogue(path, lang, t["refused"])
    if catalogue is None:
        return 1
    if not catalogue.jobs:
        click.echo(t["none"], err=True)
        return 1
    if job is not None and job not in catalogue.jobs:
        click.echo(t["unknown"].format(job=job, jobs=", ".join(catalogue.jobs)), err=True)
        return 2
    urls = read_course_urls(published)
    out.mkdir(parents=True, exist_ok=True)
    failed = False
    for job_id, path_def in catalogue.jobs.items():
        if job is not None and job_id != job:
            continue
        flyer = flyer_for(catalogue, path_def, urls.get(job_id))
        html = out / f"{job_id}.html"
        write_text_atomic(html, render_html(flyer, size))
        pdf = html.with_suffix(".pdf")
        try:
            print_pdf(html, pdf)
        except PdfError as exc:
            reason = t["no_chromium"] if str(exc) == "chromium" else str(exc)
            click.echo(t["html_only"].format(title=flyer.title, html=html, reason=reason), err=True)
            failed = True
        else:
            click.echo(t["done"].format(title=flyer.title, html=html, pdf=pdf))
        if flyer.course_url is None:
            click.echo(t["not_published"].format(job=job_id, file=published / COURSE_URLS))
    return 1 if failed else 0
