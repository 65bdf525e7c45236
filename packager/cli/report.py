"""``coursepack report`` on the command line: its options, the files written and the notes.

The use case is ``packager.commands.report``; this module only parses, words and prints.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from packager.cli.failures import explain_failure, failures, worded
from packager.cli.options import CONFIG, LANG, PATH, choose_catalogue
from packager.commands.defaults import DEFAULT_KEEP_DAYS, DEFAULT_STATE, DEFAULT_STORE
from packager.model.messages import plural
from packager.moodle.functions import USERS_BY_FIELD

if TYPE_CHECKING:
    from packager.commands.report import Note, Reported
    from packager.lrs.client import LrsClient
    from packager.moodle.client import MoodleClient

_T: dict[str, dict[str, str]] = {
    "fr": {
        "refused": "Rapport impossible : corrigez d'abord les erreurs du catalogue (coursepack validate).",
        "down": "Le LRS {endpoint} ne répond pas ({reason}) : relancez plus tard ; ce qui a déjà été lu est gardé.",
        "denied": "Le LRS {endpoint} refuse la requête (HTTP {status}) : vérifiez l'adresse et les identifiants du LRS.",
        "odd": "Le LRS {endpoint} a envoyé une réponse inattendue (HTTP {status} : {detail}) : rapport non écrit.",
        "done": "Rapport : {out} ({learners}, {statements} ; {fetched} au LRS) ; tableur : {csv}",
        "followup": "Agents à accompagner : {agents} ({csv}) ; questions : {questions}",
        "purged": "Durée de conservation ({days} jours) : {count} du stockage local.",
        "no_store": "Aucun stockage local {store} : rien à oublier.",
        "unknown": "Aucun apprenant « {who} » dans le stockage local {store}.",
        "ambiguous": "« {who} » désigne {count} apprenants ({names}) : donnez l'identifiant complet.",
        "forgotten": "{who} oublié : {count} du stockage local ; ses déclarations seront ignorées aux prochains rapports. "
                     "Le LRS les garde : demandez leur suppression à son administrateur.",
        "contacts_lrs": "Contacts : ceux du LRS seulement (aucun Moodle configuré : MOODLE_URL et MOODLE_TOKEN).",
        "contacts_done": "Contacts Moodle : {found} sur {asked} à accompagner.",
        "contacts_none": "Contacts Moodle : aucun agent de la liste n'a de compte de {home} (nommés autrement dans le LRS).",
        "contacts_capability": "Contacts Moodle non lus : le compte du jeton n'a pas {caps}. Demandez à l'administrateur de Moodle "
                               "de l'accorder au rôle CoursePack (contexte système). Liste écrite sans adresses.",
        "contacts_function": "Contacts Moodle non lus : " + USERS_BY_FIELD + " n'est pas dans le service du jeton. Mettez à jour "
                             "le plugin local_coursepack (ou ajoutez la fonction au service). Liste écrite sans adresses.",
        "contacts_error": "Contacts Moodle non lus ({error}) : liste écrite avec les contacts du LRS.",
        "contacts_state": "Contacts Moodle non lus : l'état de synchronisation {path} est illisible (coursepack sync dit pourquoi) ; liste écrite avec les contacts du LRS.",
    },
    "en": {
        "refused": "No report: fix the catalogue's errors first (coursepack validate).",
        "down": "The LRS {endpoint} does not answer ({reason}): try again later; what was read is kept.",
        "denied": "The LRS {endpoint} refuses the request (HTTP {status}): check the LRS address and credentials.",
        "odd": "The LRS {endpoint} sent an unexpected answer (HTTP {status}: {detail}): no report written.",
        "done": "Report: {out} ({learners}, {statements}; {fetched} from the LRS); spreadsheet: {csv}",
        "followup": "Agents to follow up: {agents} ({csv}); questions: {questions}",
        "purged": "Retention ({days} days): {count} from the local store.",
        "no_store": "No local store {store}: nothing to forget.",
        "unknown": "No learner “{who}” in the local store {store}.",
        "ambiguous": "“{who}” names {count} learners ({names}): give the full identifier.",
        "forgotten": "{who} forgotten: {count} from the local store; their statements will be left out of later reports. "
                     "The LRS keeps them: ask its administrator to delete them.",
        "contacts_lrs": "Contacts: the LRS's only (no Moodle configured: MOODLE_URL and MOODLE_TOKEN).",
        "contacts_done": "Moodle contacts: {found} of {asked} to follow up.",
        "contacts_none": "Moodle contacts: no agent on the list has an account of {home} (named otherwise in the LRS).",
        "contacts_capability": "Moodle contacts not read: the token's account lacks {caps}. Ask Moodle's administrator to grant "
                               "it to the CoursePack role (system context). List written without addresses.",
        "contacts_function": "Moodle contacts not read: " + USERS_BY_FIELD + " is not in the token's service. Update the "
                             "local_coursepack plugin (or add the function to the service). List written without addresses.",
        "contacts_error": "Moodle contacts not read ({error}): list written with the LRS's contacts.",
        "contacts_state": "Moodle contacts not read: the sync state {path} is unreadable (coursepack sync says why); list written with the LRS's contacts.",
    },
}
_FORMS: dict[str, dict[str, tuple[str, str]]] = {
    "fr": {"learners": ("apprenant", "apprenants"), "statements": ("déclaration", "déclarations"), "fetched": ("lue", "lues"),
           "agents": ("agent", "agents"), "removed": ("déclaration retirée", "déclarations retirées"),
           "asked": ("agent", "agents")},
    "en": {"learners": ("learner", "learners"), "statements": ("statement", "statements"), "fetched": ("read", "read"),
           "agents": ("agent", "agents"), "removed": ("statement removed", "statements removed"),
           "asked": ("agent", "agents")},
}


def _words(lang: str) -> tuple[dict[str, str], Any]:
    from packager.commands import runtime_config

    def count(n: int, what: str) -> str:
        one, many = _FORMS[lang][what]
        return plural(n, one, many, lang=lang)

    return {**runtime_config.MESSAGES[lang], **_T[lang]}, count


def _line(reason: str, params: dict[str, Any], lang: str) -> str:
    """A stop or a note in ``lang``: the LRS's reasons, Moodle's errors and counts worded too."""
    from packager.moodle.explain import explain

    t, count = _words(lang)
    found = worded(params, lang)
    if "error" in found:
        found["error"] = explain(found["error"], lang)
    if reason == "contacts_done":
        found["asked"] = count(params["asked"], "asked")
    return t[reason].format(**found)


def _echo(done: Reported, notes: list[Note], keep_days: int, lang: str) -> None:
    t, count = _words(lang)
    if done.purged:
        click.echo(t["purged"].format(count=count(done.purged, "removed"), days=keep_days))
    click.echo(t["done"].format(out=done.html, learners=count(done.learners, "learners"),
                                statements=count(done.statements, "statements"), fetched=count(done.fetched, "fetched"),
                                csv=done.csv))
    click.echo(t["followup"].format(agents=count(done.agents, "agents"), csv=done.agents_csv, questions=done.questions_csv))
    for reason, params in notes:
        click.echo(_line(reason, params, lang))


def run_forget(who: str, *, store: Path = DEFAULT_STORE, lang: str = "fr") -> int:
    """``--forget``: remove one learner from the local store and say so."""
    from packager.commands.errors import Stop
    from packager.commands.report import forget as forget_learner

    t, count = _words(lang)
    try:
        removed = forget_learner(who, store=store)
    except Stop as exc:
        click.echo(t[exc.reason].format(**exc.params), err=True)
        return exc.exit_code
    click.echo(t["forgotten"].format(who=who, count=count(removed, "removed")))
    return 0


def run(path: Path, *, out: Path, csv_out: Path | None, config_file: Path | None, store: Path = DEFAULT_STORE,
        lang: str = "fr", by_activity: bool = False, lrs: LrsClient | None = None, idle_days: int = 14,
        pseudonymise: bool = False, keep_days: int = DEFAULT_KEEP_DAYS, state: Path = DEFAULT_STATE,
        moodle: MoodleClient | None = None) -> int:
    """Write the report and print what was written; the exit code."""
    from packager.commands.report import make_report

    t, _count = _words(lang)
    try:
        done = make_report(path, out=out, csv_out=csv_out, config_file=config_file, store=store, lang=lang,
                           by_activity=by_activity, lrs=lrs, idle_days=idle_days, pseudonymise=pseudonymise,
                           keep_days=keep_days, state=state, moodle=moodle)
    except failures() as exc:
        return explain_failure(exc, lang, t["refused"], lambda reason, params: [_line(reason, params, lang)])
    _echo(done, done.notes, keep_days, lang)
    return 0


@click.command()
@click.argument("path", type=PATH, required=False)
@click.option("--out", type=PATH, default=Path("report.html"), show_default=True, help="The HTML report to write.")
@click.option("--csv", "csv_out", type=PATH, default=None, help="The CSV export (default: beside the HTML, .csv).")
@click.option("--store", type=PATH, default=DEFAULT_STORE, show_default=True,
              help="Local store of the LRS's statements (SQLite); each run fetches only what is new.")
@click.option("--by-activity", is_flag=True,
              help="Ask the LRS for the catalogue's activities only, without first checking that it filters by activity "
                   "(by default the store checks once, with a statement it holds).")
@click.option("--idle-days", type=click.IntRange(1, None), default=14, show_default=True,
              help="List agents who started a module more than this many days ago without completing it.")
@click.option("--pseudonymise", is_flag=True, help="The same figures and list without names or contacts (stable pseudonyms).")
@click.option("--keep-days", type=click.IntRange(1, None), default=DEFAULT_KEEP_DAYS, show_default=True,
              help="Purge the local store of statements older than this many days.")
@click.option("--forget", "forget", metavar="LEARNER", default=None,
              help="Remove one learner (username, e-mail, key or pseudonym) from the local store, and write nothing else.")
@click.option("--state", type=PATH, default=DEFAULT_STATE, show_default=True,
              help="The sync state: how the configured Moodle's learners are named in the LRS (for their contacts).")
@CONFIG
@LANG
def report(path: Path | None, out: Path, csv_out: Path | None, store: Path, by_activity: bool, idle_days: int,
           pseudonymise: bool, keep_days: int, forget: str | None, state: Path, config_file: Path | None,
           lang: str) -> None:
    """Write the completion report (HTML and CSV) from the LRS's statements (definitions: docs/report.md)."""
    if forget is not None:
        sys.exit(run_forget(forget, store=store, lang=lang))
    sys.exit(run(choose_catalogue(path, lang), out=out, csv_out=csv_out, config_file=config_file, store=store, lang=lang,
                 by_activity=by_activity, idle_days=idle_days, pseudonymise=pseudonymise, keep_days=keep_days,
                 state=state))
