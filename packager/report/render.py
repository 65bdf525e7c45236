"""The report as one self-contained HTML page (inline CSS and SVG, nothing fetched) and a CSV."""

from __future__ import annotations

import csv
import io

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from packager.report.stats import Report, Row
from packager.resources import templates_dir

BAR_HEIGHT = 22


def percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)} %"


def number(value: float | None, unit: str = "") -> str:
    if value is None:
        return "—"
    text = f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{text}{unit}"


def render_html(report: Report, site_name: str) -> str:
    env = Environment(loader=FileSystemLoader(templates_dir() / "report"), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["percent"] = percent
    env.filters["number"] = number
    tables = [
        ("modules", "Par module", "Module", report.modules),
        ("outils", "Par cours outil", "Cours outil", report.tools),
        ("metiers", "Par parcours métier", "Parcours métier", report.jobs),
    ]
    return env.get_template("report.html.j2").render(report=report, site_name=site_name, tables=tables, bar=BAR_HEIGHT)


CSV_COLUMNS = ("niveau", "identifiant", "titre", "apprenants", "termine", "reussi", "seulement_termine", "echoue",
               "taux_achevement", "taux_reussite", "score_moyen", "temps_moyen_min")


def render_csv(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(CSV_COLUMNS)

    def write(level: str, row: Row) -> None:
        writer.writerow([
            level, row.key, row.title, row.learners, row.completed, row.passed, row.only_completed, row.failed,
            "" if row.completion_rate is None else f"{row.completion_rate:.3f}",
            "" if row.pass_rate is None else f"{row.pass_rate:.3f}",
            "" if row.average_score is None else f"{row.average_score:.1f}",
            "" if row.average_minutes is None else f"{row.average_minutes:.1f}",
        ])

    for level, rows in (("module", report.modules), ("cours_outil", report.tools), ("parcours_metier", report.jobs)):
        for row in rows:
            write(level, row)
    return buffer.getvalue()
