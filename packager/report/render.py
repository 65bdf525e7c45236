"""The report as one self-contained HTML page (inline CSS and SVG, nothing fetched) and a CSV,
in French or English; figures as docs/report.md defines them."""

from __future__ import annotations

import csv
import datetime
import io
import math
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from packager.report.items import EASY, HARD, MIN_LEARNERS
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
        "notice": "DONNÉES PERSONNELLES : réservé à {whom} ({site}). Ne pas diffuser. Gardé {days} jours au plus (docs/report.md).",
        "notice_pseudo": "DONNÉES PERSONNELLES PSEUDONYMISÉES : réservé à {whom} ({site}). Sans noms ni contacts. Gardé {days} jours au plus (docs/report.md).",
        "agents": "Agents à accompagner", "agents_caption": "Agents à accompagner : module, raison, où ils en sont, comment les joindre",
        "agents_note": "Agents qui ont échoué deux fois ou plus au même module, ou qui l'ont commencé il y a plus de {days} jours "
                       "sans le terminer. Un agent qui termine le module sort de la liste au rapport suivant.",
        "no_agents": "Aucun agent à accompagner pour le moment.", "agent": "Agent", "course": "Cours",
        "why": "Raison", "why_failed": "Échoué {n} fois", "why_idle": "Commencé le {date}, pas terminé",
        "last_page": "Dernière page vue", "missed": "Questions manquées", "reach": "Contacter",
        "write": "Écrire un courriel", "booking": "Lien de rendez-vous", "day": "%d/%m/%Y",
        "items": "Questions et pages", "items_note": "Par question : les agents qui y ont répondu, la part juste du premier coup et à la fin, "
                 "la réponse fausse la plus choisie, le nombre moyen d'essais par tentative. Signalée trop difficile sous {hard} juste "
                 "du premier coup, inutile au-dessus de {easy}, dès {min} agents. Le fichier et la ligne disent où la corriger. "
                 "Par page : la part des tentatives encore là, et où s'arrêtent celles qui ne sont pas terminées.",
        "questions_caption": "Questions du module « {what} »", "question": "Question", "answered": "Ont répondu",
        "first_right": "Juste du premier coup", "last_right": "Juste à la fin", "wrong": "Réponse fausse la plus choisie",
        "tries": "Essais (moyenne)", "flag": "Signal", "flag_hard": "Trop difficile", "flag_easy": "Trop facile",
        "funnel_caption": "Où les agents s'arrêtent : {attempts} tentatives, dont {unfinished} non terminées",
        "page": "Page", "still_there": "Encore là", "reached": "Tentatives", "stopped": "Arrêtées ici", "bar": "Part",
        "worst": "arrêt le plus fréquent", "no_items": "Aucune réponse ni page vue pour le moment.",
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
        "notice": "PERSONAL DATA: for {whom} only ({site}). Do not share. Kept {days} days at most (docs/report.md).",
        "notice_pseudo": "PSEUDONYMISED PERSONAL DATA: for {whom} only ({site}). No names or contacts. Kept {days} days at most (docs/report.md).",
        "agents": "Agents to follow up", "agents_caption": "Agents to follow up: module, reason, where they are, how to reach them",
        "agents_note": "Agents who failed the same module twice or more, or started it more than {days} days ago without "
                       "completing it. An agent who completes it leaves the list on the next report.",
        "no_agents": "No agent to follow up for now.", "agent": "Agent", "course": "Course",
        "why": "Reason", "why_failed": "Failed {n} times", "why_idle": "Started on {date}, not completed",
        "last_page": "Last page seen", "missed": "Questions missed", "reach": "Reach",
        "write": "Write an e-mail", "booking": "Booking link", "day": "%Y-%m-%d",
        "items": "Questions and pages", "items_note": "Per question: agents who answered, share right at first try and in the end, "
                 "the most chosen wrong answer, mean tries per attempt. Flagged too hard under {hard} right at first try, useless "
                 "over {easy}, from {min} agents. The file and line say where to fix it. Per page: the share of attempts still "
                 "there, and where those not completed stop.",
        "questions_caption": "Questions of the module “{what}”", "question": "Question", "answered": "Answered",
        "first_right": "Right at first try", "last_right": "Right in the end", "wrong": "Most chosen wrong answer",
        "tries": "Tries (mean)", "flag": "Flag", "flag_hard": "Too hard", "flag_easy": "Too easy",
        "funnel_caption": "Where agents stop: {attempts} attempts, {unfinished} not completed",
        "page": "Page", "still_there": "Still there", "reached": "Attempts", "stopped": "Stopped here", "bar": "Share",
        "worst": "most frequent stop", "no_items": "No answer and no page seen yet.",
    },
}


def percent(value: float | None) -> str:
    """Rounded half up, as a reader computing by hand does (5 of 8 is 63 %, not Python's even 62 %)."""
    return "—" if value is None else f"{math.floor(value * 100 + 0.5)} %"


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
    env.filters["day"] = lambda text: _day(text, t["day"])
    tables = [
        ("modules", t["modules"], t["module"], report.modules, True),
        ("outils", t["tools"], t["tool"], report.tools, False),
        ("metiers", t["jobs"], t["job"], report.jobs, False),
    ]
    return env.get_template("report.html.j2").render(report=report, site_name=site_name, tables=tables, bar=BAR_HEIGHT,
                                                     t=t, generated=report.generated.strftime(t["date"]),
                                                     hard=percent(HARD), easy=percent(EASY), min_learners=MIN_LEARNERS)


def _day(text: str, form: str) -> str:
    try:
        return datetime.date.fromisoformat(text[:10]).strftime(form)
    except ValueError:
        return text


def notice(lang: str, *, whom: str, site: str, days: int, pseudonymised: bool) -> str:
    """The first line of every file the report writes: personal data, for whom, kept how long."""
    return TEXTS[lang]["notice_pseudo" if pseudonymised else "notice"].format(whom=whom, site=site, days=days)


CSV_COLUMNS = ("niveau", "identifiant", "titre", "commence", "termine", "reussi", "echoue", "termine_sans_reussite",
               "taux_achevement", "taux_reussite", "meilleur_score_moyen", "temps_par_tentative_min", "tentatives")
#: What a spreadsheet reads as a formula at the start of a cell (OWASP's CSV injection list).
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _fixed(value: float | None, digits: int) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def cell(text: str) -> str:
    """A text cell that no spreadsheet runs as a formula."""
    return "'" + text if text.startswith(_FORMULA) else text


def _sheet(report: Report, columns: tuple[str, ...]) -> tuple[io.StringIO, Any]:
    """A CSV whose first line is the notice (a spreadsheet shows it in A1), then the header."""
    buffer = io.StringIO()
    if report.notice:
        buffer.write("# " + report.notice + "\n")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(columns)
    return buffer, writer


def render_csv(report: Report) -> str:
    buffer, writer = _sheet(report, CSV_COLUMNS)

    def write(level: str, row: Row) -> None:
        writer.writerow([
            level, cell(row.key), cell(row.title), row.started, row.completed, row.passed,
            "" if row.failed is None else row.failed, row.only_completed,
            _fixed(row.completion_rate, 3), _fixed(row.pass_rate, 3), _fixed(row.best_score, 1),
            _fixed(row.minutes_per_attempt, 1), row.attempts,
        ])

    for level, rows in (("module", report.modules), ("cours_outil", report.tools), ("parcours_metier", report.jobs)):
        for row in rows:
            write(level, row)
    return buffer.getvalue()


AGENT_COLUMNS = ("niveau", "cours", "titre_cours", "agent", "courriel", "module", "titre_module", "echecs", "commence_le",
                 "sans_nouvelles", "derniere_page", "questions_manquees", "lien_rendez_vous", "lien_courriel")


def render_agents_csv(report: Report) -> str:
    """« Agents à accompagner », one line per agent and module."""
    buffer, writer = _sheet(report, AGENT_COLUMNS)
    for a in report.agents:
        writer.writerow([
            "cours_outil" if a.level == "tool" else "parcours_metier", cell(a.course), cell(a.course_title), cell(a.label),
            cell(a.email or ""), cell(a.module), cell(a.module_title), a.failed, a.started, "oui" if a.idle else "non",
            cell(a.last_page or ""), cell(" ; ".join(a.missed)), a.booking or "", a.mailto or "",
        ])
    return buffer.getvalue()


QUESTION_COLUMNS = ("module", "numero", "question", "fichier_ligne", "ont_repondu", "juste_premier_essai", "juste_a_la_fin",
                    "reponse_fausse_la_plus_choisie", "fois_choisie", "essais_moyens", "signal")


def render_questions_csv(report: Report) -> str:
    """The item analysis, one line per question."""
    buffer, writer = _sheet(report, QUESTION_COLUMNS)

    for module in report.items:
        for q in module.questions:
            writer.writerow([cell(q.module), q.number, cell(q.prompt), cell(q.where), q.learners, _fixed(q.first_rate, 3),
                             _fixed(q.last_rate, 3), cell(q.wrong or ""), q.wrong_chosen, _fixed(q.mean_tries, 2),
                             {"hard": "trop_difficile", "easy": "trop_facile"}.get(q.flag or "", "")])
    return buffer.getvalue()
