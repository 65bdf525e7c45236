"""The report as one self-contained HTML page (inline CSS and SVG, nothing fetched) and a CSV,
in French or English; figures as docs/report.md defines them."""

from __future__ import annotations

import csv
import io

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from packager.report.stats import Report, Row
from packager.resources import templates_dir

BAR_HEIGHT = 22

TEXTS = {
    "fr": {
        "lang": "fr", "title": "Suivi des formations", "generated": "rapport établi le {when} (UTC), d'après le LRS",
        "date": "%d/%m/%Y à %H:%M", "learners": "apprenants", "statements": "déclarations xAPI",
        "note": "Définition de chaque chiffre : docs/report.md. Un module compte toutes ses tentatives, où qu'elles aient "
                "été faites ; un cours outil ou un parcours métier ne compte que les tentatives faites dans son propre cours "
                "Moodle. Temps par tentative : le temps total que Moodle a enregistré pour la tentative.",
        "modules": "Par module", "tools": "Par cours outil", "jobs": "Par parcours métier",
        "module": "Module", "tool": "Cours outil", "job": "Parcours métier",
        "chart": "Taux d'achèvement {what}", "caption": "{what} : apprenants par statut, taux, meilleur score et temps par tentative",
        "started": "Commencé", "completed": "Terminé", "passed": "Réussi", "failed": "Échoué",
        "only_completed": "Terminé sans réussite", "completed_all": "Tous modules terminés", "passed_all": "Tous quiz réussis",
        "completion_rate": "Taux d'achèvement", "pass_rate": "Taux de réussite", "best_score": "Meilleur score (moyenne)",
        "time": "Temps par tentative", "decimal": ",", "minutes": " min",
    },
    "en": {
        "lang": "en", "title": "Training follow-up", "generated": "report made on {when} (UTC), from the LRS",
        "date": "%Y-%m-%d %H:%M", "learners": "learners", "statements": "xAPI statements",
        "note": "Each figure is defined in docs/report.md. A module counts all its attempts, wherever made; a tool course or "
                "a job path counts only the attempts made in its own Moodle course. Time per attempt: the total time Moodle "
                "recorded for the attempt.",
        "modules": "By module", "tools": "By tool course", "jobs": "By job path",
        "module": "Module", "tool": "Tool course", "job": "Job path",
        "chart": "Completion rate {what}", "caption": "{what}: learners by status, rates, best score and time per attempt",
        "started": "Started", "completed": "Completed", "passed": "Passed", "failed": "Failed",
        "only_completed": "Completed, not passed", "completed_all": "Completed all", "passed_all": "Passed all quizzes",
        "completion_rate": "Completion rate", "pass_rate": "Pass rate", "best_score": "Best score (mean)",
        "time": "Time per attempt", "decimal": ".", "minutes": " min",
    },
}


def percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)} %"


def number(value: float | None, unit: str = "", decimal: str = ",") -> str:
    if value is None:
        return "—"
    text = f"{value:.1f}".rstrip("0").rstrip(".").replace(".", decimal)
    return f"{text}{unit}"


def render_html(report: Report, site_name: str, lang: str = "fr") -> str:
    t = TEXTS[lang]
    env = Environment(loader=FileSystemLoader(templates_dir() / "report"), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["percent"] = percent
    env.filters["number"] = lambda value, unit="": number(value, unit, t["decimal"])
    tables = [
        ("modules", t["modules"], t["module"], report.modules, True),
        ("outils", t["tools"], t["tool"], report.tools, False),
        ("metiers", t["jobs"], t["job"], report.jobs, False),
    ]
    return env.get_template("report.html.j2").render(report=report, site_name=site_name, tables=tables, bar=BAR_HEIGHT,
                                                     t=t, generated=report.generated.strftime(t["date"]))


CSV_COLUMNS = ("niveau", "identifiant", "titre", "commence", "termine", "reussi", "echoue", "termine_sans_reussite",
               "taux_achevement", "taux_reussite", "meilleur_score_moyen", "temps_par_tentative_min", "tentatives")
#: What a spreadsheet reads as a formula at the start of a cell (OWASP's CSV injection list).
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def cell(text: str) -> str:
    """A text cell that no spreadsheet runs as a formula."""
    return "'" + text if text.startswith(_FORMULA) else text


def render_csv(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(CSV_COLUMNS)

    def fixed(value: float | None, digits: int) -> str:
        return "" if value is None else f"{value:.{digits}f}"

    def write(level: str, row: Row) -> None:
        writer.writerow([
            level, cell(row.key), cell(row.title), row.started, row.completed, row.passed,
            "" if row.failed is None else row.failed, row.only_completed,
            fixed(row.completion_rate, 3), fixed(row.pass_rate, 3), fixed(row.best_score, 1),
            fixed(row.minutes_per_attempt, 1), row.attempts,
        ])

    for level, rows in (("module", report.modules), ("cours_outil", report.tools), ("parcours_metier", report.jobs)):
        for row in rows:
            write(level, row)
    return buffer.getvalue()
