"""``coursepack sync`` on the command line: its options, and what it prints.

The use case is ``packager.commands.sync``; this module only parses, words and prints.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from packager.cli.failures import explain_failure, failures, worded
from packager.cli.options import CONFIG, LANG, MOODLE_URL, PATH, choose_catalogue
from packager.cli.progress import Progress
from packager.commands.defaults import DEFAULT_STATE
from packager.model.messages import plural
from packager.sync.limits import DEFAULT_BATCH

if TYPE_CHECKING:
    from packager.commands.sync import Synced
    from packager.sync.state_file import StateUnreadable
    from packager.lrs.client import LrsClient
    from packager.moodle.client import MoodleClient

_T: dict[str, dict[str, str]] = {
    "fr": {
        "refused": "Synchronisation annulée : corrigez d'abord les erreurs du catalogue (coursepack validate).",
        "no_moodle": "Adresse ou jeton Moodle manquant : --moodle-url / MOODLE_URL et MOODLE_TOKEN (ou le fichier de configuration).",
        "lrs_down": "Le LRS {endpoint} ne répond pas ({reason}) : rien n'est perdu, relancez coursepack sync plus tard ; elle reprendra au dernier lot accepté.",
        "lrs_address": "Adresse du LRS inutilisable : {reason} (variable LRS_ENDPOINT ou [lrs] endpoint du fichier de configuration).",
        "lrs_busy": "Le LRS {endpoint} est surchargé ({reason}) : rien n'est perdu, relancez coursepack sync à ce moment-là ; elle reprendra au dernier lot accepté.",
        "lrs_refused": "Le LRS {endpoint} refuse les déclarations (HTTP {status}) : vérifiez l'adresse et les identifiants du LRS.",
        "lrs_invalid": "Le LRS {endpoint} a répondu de façon inattendue (HTTP {status} : {detail}) : rien n'est compté comme envoyé ; vérifiez l'adresse du LRS (un proxy ou une page de connexion ?).",
        "fallback": "Plugin local_coursepack absent : lecture par les fonctions standard de Moodle (plus lente).",
        "dry_run": "Simulation (--dry-run) : {n}, {already} déjà dans le LRS ; rien n'a été envoyé.",
        "done": "{sent}, {already} déjà dans le LRS, pour {results} ({skipped} sans déclaration).",
        "unidentified": "{n} sans {form} dans la réponse de Moodle : aucune déclaration possible (champ vide, ou masqué au jeton : capacité moodle/user:viewalldetails).",
        "no_learner": "Aucun apprenant visible dans les cours du catalogue : si des agents y sont inscrits, le jeton n'a pas moodle/course:viewparticipants et moodle/user:viewdetails (voir README, « Sync without the plugin »).",
        "set_aside": "{n} dans {path} (les autres sont passées) :",
        "set_aside_line": "  - {learner}, {module}, tentative {attempt} : HTTP {status} {reason}",
        "set_aside_fix": "Après correction, renvoyez-les : coursepack sync --retry-set-aside",
        "retried": "{done} désormais dans le LRS ; {left}.",
        "actor_changed": "Les apprenants de ce Moodle sont nommés par « {recorded} » dans ce LRS ; vous demandez « {wanted} ». Chaque apprenant y apparaîtrait deux fois, sous deux noms. Pour changer quand même : ajoutez --reset (tous les résultats Moodle seront renvoyés sous la nouvelle forme ; les déclarations déjà dans le LRS y restent).",
        "taken_over": "État de synchronisation de la première version de CoursePack repris : les résultats déjà envoyés ne le seront pas une seconde fois.",
        "reset": "État remis à zéro pour {key} : forme « {recorded} » → « {wanted} », curseur au début ; tous les résultats de Moodle vont être relus et envoyés ; les déclarations déjà dans le LRS y restent.",
        "state": "État de synchronisation illisible : {path} ({detail}). Il n'est ni remis à zéro ni réécrit. Modifié à la main ? Corrigez-le. Sinon, mettez-le de côté (renommez-le) et relancez : tous les résultats seront relus, sans doublon dans le LRS, mais les déclarations mises de côté qu'il garde ne seront plus renvoyées.",
        "state_json": "pas du JSON valide, ligne {line}, colonne {column}",
        "state_shape": "un objet JSON d'entrées est attendu, pas {got}",
        "state_unknown": "entrée « {entry} » : clé « {field} » inconnue, écrite par une version plus récente de CoursePack ?",
        "state_value": "entrée « {entry} », {where}valeur inattendue ({got})",
        "state_where": "champ « {field} » : ",
    },
    "en": {
        "refused": "Sync cancelled: fix the catalogue's errors first (coursepack validate).",
        "no_moodle": "Moodle address or token missing: --moodle-url / MOODLE_URL and MOODLE_TOKEN (or the config file).",
        "lrs_down": "The LRS {endpoint} does not answer ({reason}): nothing is lost, run coursepack sync again later; it resumes at the last accepted batch.",
        "lrs_address": "Unusable LRS address: {reason} (variable LRS_ENDPOINT or [lrs] endpoint in the config file).",
        "lrs_busy": "The LRS {endpoint} is overloaded ({reason}): nothing is lost, run coursepack sync again at that time; it resumes at the last accepted batch.",
        "lrs_refused": "The LRS {endpoint} refuses the statements (HTTP {status}): check the LRS address and credentials.",
        "lrs_invalid": "The LRS {endpoint} gave an unexpected answer (HTTP {status}: {detail}): nothing is counted as sent; check the LRS address (a proxy or a login page?).",
        "fallback": "Plugin local_coursepack missing: reading through Moodle's core functions (slower).",
        "dry_run": "Dry run (--dry-run): {n}, {already} already in the LRS; nothing was sent.",
        "done": "{sent}, {already} already in the LRS, for {results} ({skipped} without a statement).",
        "unidentified": "{n} without {form} in Moodle's answer: no statement possible (empty field, or hidden from the token: capability moodle/user:viewalldetails).",
        "no_learner": "No learner visible in the catalogue's courses: if agents are enrolled, the token lacks moodle/course:viewparticipants and moodle/user:viewdetails (see the README, \"Sync without the plugin\").",
        "set_aside": "{n} in {path} (the others went through):",
        "set_aside_line": "  - {learner}, {module}, attempt {attempt}: HTTP {status} {reason}",
        "set_aside_fix": "Once fixed, send them again: coursepack sync --retry-set-aside",
        "retried": "{done} now in the LRS; {left}.",
        "actor_changed": "This Moodle's learners are named by \"{recorded}\" in this LRS; you ask for \"{wanted}\". Each learner would appear twice there, under two names. To change anyway, add --reset (every Moodle result is sent again in the new form; the statements already in the LRS stay).",
        "taken_over": "Sync state of CoursePack's first version taken over: the results it sent are not sent a second time.",
        "reset": "State reset for {key}: form \"{recorded}\" → \"{wanted}\", cursor at the start; every Moodle result will be read and sent again; the statements already in the LRS stay.",
        "state": "Unreadable sync state: {path} ({detail}). It is neither reset nor rewritten. Edited by hand? Fix it. Otherwise put it aside (rename it) and run again: every result is read again, nothing twice in the LRS, but the set-aside statements it keeps will not be sent again.",
        "state_json": "not valid JSON, line {line}, column {column}",
        "state_shape": "a JSON object of entries is expected, not {got}",
        "state_unknown": "entry \"{entry}\": unknown key \"{field}\", written by a newer CoursePack?",
        "state_value": "entry \"{entry}\", {where}unexpected value ({got})",
        "state_where": "field \"{field}\": ",
    },
}


#: Counted phrases, (one, many): French counts 0 and 1 as one.
_FORMS: dict[str, dict[str, tuple[str, str]]] = {
    "fr": {
        "would_send": ("déclaration serait envoyée", "déclarations seraient envoyées"),
        "sent": ("déclaration envoyée", "déclarations envoyées"),
        "results": ("résultat Moodle", "résultats Moodle"),
        "result": ("résultat", "résultats"),
        "set_aside_n": ("déclaration refusée par le LRS, mise de côté", "déclarations refusées par le LRS, mises de côté"),
        "retried_n": ("déclaration mise de côté", "déclarations mises de côté"),
        "left": ("toujours refusée", "toujours refusées"),
    },
    "en": {
        "would_send": ("statement would be sent", "statements would be sent"),
        "sent": ("statement sent", "statements sent"),
        "results": ("Moodle result", "Moodle results"),
        "result": ("result", "results"),
        "set_aside_n": ("statement refused by the LRS, set aside", "statements refused by the LRS, set aside"),
        "retried_n": ("set-aside statement", "set-aside statements"),
        "left": ("still refused", "still refused"),
    },
}




class _Progress(Progress):
    """The sync's events, printed on stderr (standard output is for --dry-run's statements)."""

    def __init__(self, lang: str) -> None:
        super().__init__("Synchronisation" if lang == "fr" else "Sync")
        self.t = _T[lang]

    def reset(self, key: str, recorded: str, wanted: str) -> None:
        click.echo(self.t["reset"].format(key=key, recorded=recorded, wanted=wanted))

    def progress(self, done: int, total: int) -> None:
        self.at(done, total)


def _state_error(t: dict[str, str], exc: StateUnreadable) -> str:
    """One line: which file, where in it, and what to do; never a value (statements name learners)."""
    where = t["state_where"].format(**exc.params) if exc.params.get("field") else ""
    detail = t[f"state_{exc.problem}"].format(where=where, **exc.params)
    return t["state"].format(path=exc.path, detail=detail)


def stop_line(reason: str, params: dict[str, Any], lang: str) -> str:
    """Why the sync stopped, in ``lang``: the LRS's reasons and details are worded in it too."""
    return _words(lang)[0][reason].format(**worded(params, lang))


def _words(lang: str) -> tuple[dict[str, str], Any]:
    from packager.commands import runtime_config

    def count(n: int, what: str) -> str:
        return plural(n, *_FORMS[lang][what], lang=lang)

    return {**runtime_config.MESSAGES[lang], **_T[lang]}, count


def _report(synced: Synced, dry_run: bool, lang: str) -> int:
    """The outcome, one line per fact; the exit code (1 when a result could not be sent)."""
    t, count = _words(lang)
    outcome = synced.outcome
    if outcome.taken_over:
        click.echo(t["taken_over"])
    if not outcome.plugin:
        click.echo(t["fallback"])
    if outcome.no_learner_visible:
        click.echo(t["no_learner"], err=True)
    code = 0
    if outcome.unidentified:
        click.echo(t["unidentified"].format(n=count(outcome.unidentified, "result"), form=synced.form), err=True)
        code = 1
    if dry_run:
        for statement in outcome.statements:
            click.echo(json.dumps(statement, ensure_ascii=False, sort_keys=True))
        click.echo(t["dry_run"].format(n=count(len(outcome.statements), "would_send"), already=outcome.already))
        return code
    click.echo(t["done"].format(sent=count(outcome.sent, "sent"), already=outcome.already,
                                results=count(outcome.results, "results"), skipped=outcome.skipped))
    if outcome.set_aside:
        click.echo(t["set_aside"].format(n=count(len(outcome.set_aside), "set_aside_n"), path=synced.state), err=True)
        for item in outcome.set_aside:
            click.echo(t["set_aside_line"].format(learner=item.learner, module=item.module, attempt=item.attempt,
                                                  status=item.status, reason=item.reason), err=True)
        click.echo(t["set_aside_fix"], err=True)
        code = 1
    return code


def run(path: Path, *, moodle_url: str | None, config_file: Path | None, state: Path, batch_size: int = DEFAULT_BATCH,
        dry_run: bool = False, actor_name: str = "username", email: bool = False, lang: str = "fr",
        reset: bool = False, retry: bool = False, moodle: MoodleClient | None = None, lrs: LrsClient | None = None) -> int:
    """Sync (or retry the set-aside statements) and print; the exit code."""
    from packager.commands.sync import ActorChanged, StateUnreadable, retry_refused, sync_results

    t, count = _words(lang)

    def stopped(reason: str, params: dict[str, Any]) -> list[str]:
        return [stop_line(reason, params, lang)]

    try:
        if retry:
            retried = retry_refused(path, moodle_url=moodle_url, config_file=config_file, state=state,
                                    batch_size=batch_size, moodle=moodle, lrs=lrs)
            click.echo(t["retried"].format(done=count(retried.done, "retried_n"), left=count(len(retried.still), "left")))
            for item in retried.still:
                click.echo(t["set_aside_line"].format(**{k: item.get(k, "?") for k in ("learner", "module", "attempt", "status", "reason")}))
            return 1 if retried.still else 0
        progress = _Progress(lang)
        try:
            synced = sync_results(path, progress, moodle_url=moodle_url, config_file=config_file, state=state,
                                  batch_size=batch_size, dry_run=dry_run, actor_name=actor_name,  # type: ignore[arg-type]
                                  email=email, reset=reset, moodle=moodle, lrs=lrs)
        finally:
            progress.close()
    except StateUnreadable as exc:
        click.echo(_state_error(t, exc), err=True)
        return 2
    except ActorChanged as exc:
        click.echo(t["actor_changed"].format(recorded=exc.recorded, wanted=exc.wanted), err=True)
        return 2
    except failures() as exc:
        return explain_failure(exc, lang, t["refused"], stopped)
    return _report(synced, dry_run, lang)


@click.command()
@click.argument("path", type=PATH, required=False)
@MOODLE_URL
@CONFIG
@click.option("--state", type=PATH, default=DEFAULT_STATE, show_default=True,
              help="Where the sync state (cursor, actor form, statements set aside) is kept.")
@click.option("--batch-size", type=click.IntRange(1, 1000), default=DEFAULT_BATCH, show_default=True,
              help="Statements per request.")
@click.option("--actor", "actor_name", type=click.Choice(["username", "idnumber"]), default="username", show_default=True,
              help="Which Moodle field names the learner in the LRS.")
@click.option("--email", is_flag=True, help="Identify learners by e-mail address instead (only if the authority asks).")
@click.option("--dry-run", is_flag=True, help="Print the statements and send nothing.")
@click.option("--reset", is_flag=True, help="Start again from the first result (needed to change --actor/--email).")
@click.option("--retry-set-aside", "retry", is_flag=True, help="Send again the statements the LRS refused earlier.")
@LANG
def sync(path: Path | None, moodle_url: str | None, config_file: Path | None, state: Path, batch_size: int,
         actor_name: str, email: bool, dry_run: bool, reset: bool, retry: bool, lang: str) -> None:
    """Send learners' results from Moodle to the LRS as xAPI statements.

    LRS address and credentials come from LRS_ENDPOINT, LRS_USERNAME, LRS_PASSWORD or the config file."""
    sys.exit(run(choose_catalogue(path, lang), moodle_url=moodle_url, config_file=config_file, state=state,
                 batch_size=batch_size, dry_run=dry_run, actor_name=actor_name, email=email, lang=lang,
                 reset=reset, retry=retry))
