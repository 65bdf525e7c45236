"""``coursepack sync``: learners' results from Moodle to the LRS as xAPI statements."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from packager.commands import runtime_config
from packager.commands.catalogue_input import valid_catalogue
from packager.lrs.client import LrsClient, LrsError, LrsUnavailable
from packager.model.messages import plural
from packager.moodle.client import MoodleClient
from packager.moodle.errors import MoodleError, MoodleUnreachable
from packager.moodle.explain import explain
from packager.sync.engine import DEFAULT_BATCH, ActorChanged, SyncState, open_entry, retry_set_aside, sync
from packager.sync.statements import ActorPolicy
from packager.utils.reasons import Reason, in_language


_T = {
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
    },
}


#: Counted phrases, (one, many): French counts 0 and 1 as one.
_FORMS = {
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


def _lrs_error(t: dict[str, str], exc: LrsError, endpoint: str, lang: str) -> str:
    if exc.status in (401, 403, 404):
        return t["lrs_refused"].format(endpoint=endpoint, status=exc.status)
    return t["lrs_invalid"].format(endpoint=endpoint, status=exc.status, detail=in_language(exc.detail, lang)[:200])


def _lrs_down(t: dict[str, str], exc: LrsUnavailable, endpoint: str, lang: str) -> str:
    kind = exc.reason.kind if isinstance(exc.reason, Reason) else ""
    key = {"address": "lrs_address", "busy": "lrs_busy"}.get(kind, "lrs_down")
    return t[key].format(endpoint=endpoint, reason=in_language(exc.reason, lang))


def run(path: Path, *, moodle_url: str | None, config_file: Path | None, state: Path, batch_size: int = DEFAULT_BATCH,
        dry_run: bool = False, actor_name: str = "username", email: bool = False, lang: str = "fr",
        reset: bool = False, retry: bool = False, moodle: MoodleClient | None = None, lrs: LrsClient | None = None) -> int:
    t = {**runtime_config.MESSAGES[lang], **_T[lang]}

    def count(n: int, what: str) -> str:
        return plural(n, *_FORMS[lang][what], lang=lang)
    try:
        config = runtime_config.load(config_file, moodle_url)
    except runtime_config.ConfigError as exc:
        click.echo(t["config"].format(error=exc), err=True)
        return 2
    if moodle is None:
        if not (config.moodle_url and config.moodle_token):
            click.echo(t["no_moodle"], err=True)
            return 2
        moodle = MoodleClient(config.moodle_url, config.moodle_token)
    if lrs is None:
        if not config.lrs_endpoint:
            click.echo(t["no_lrs"], err=True)
            return 2
        lrs = LrsClient(config.lrs_endpoint, config.lrs_username, config.lrs_password)
    store = SyncState(state.expanduser())
    try:
        catalogue = valid_catalogue(path, lang, t["refused"])
        if catalogue is None:
            return 1
        if retry:
            done, still = retry_set_aside(catalogue, moodle, lrs, store, batch_size=batch_size)
            click.echo(t["retried"].format(done=count(done, "retried_n"), left=count(len(still), "left")))
            for item in still:
                click.echo(t["set_aside_line"].format(**{k: item.get(k, "?") for k in ("learner", "module", "attempt", "status", "reason")}))
            return 1 if still else 0
        actor = ActorPolicy(name=actor_name, email=email)  # type: ignore[arg-type]
        if reset and not dry_run:
            _site, key, entry = open_entry(catalogue, moodle, lrs, store)
            old = store.reset(key, entry)
            click.echo(t["reset"].format(key=key, recorded=old.actor or "—", wanted=actor.form))
        with click.progressbar(length=1, label="Synchronisation" if lang == "fr" else "Sync", file=sys.stderr) as bar:
            def progress(done: int, total: int) -> None:
                bar.length = max(total, 1)
                bar.update(done - bar.pos)

            outcome = sync(catalogue, moodle, lrs, store, actor, batch_size=batch_size, dry_run=dry_run,
                           fresh=reset and dry_run, on_batch=progress)
    except ActorChanged as exc:
        click.echo(t["actor_changed"].format(recorded=exc.recorded, wanted=exc.wanted), err=True)
        return 2
    except (MoodleError, MoodleUnreachable) as exc:
        click.echo(explain(exc, lang), err=True)
        return 1
    except LrsUnavailable as exc:
        click.echo(_lrs_down(t, exc, lrs.endpoint, lang), err=True)
        return 1
    except LrsError as exc:
        click.echo(_lrs_error(t, exc, lrs.endpoint, lang), err=True)
        return 1
    if outcome.taken_over:
        click.echo(t["taken_over"])
    if not outcome.plugin:
        click.echo(t["fallback"])
    if outcome.no_learner_visible:
        click.echo(t["no_learner"], err=True)
    code = 0
    if outcome.unidentified:
        click.echo(t["unidentified"].format(n=count(outcome.unidentified, "result"), form=actor.form), err=True)
        code = 1
    if dry_run:
        for statement in outcome.statements:
            click.echo(json.dumps(statement, ensure_ascii=False, sort_keys=True))
        click.echo(t["dry_run"].format(n=count(len(outcome.statements), "would_send"), already=outcome.already))
        return code
    click.echo(t["done"].format(sent=count(outcome.sent, "sent"), already=outcome.already, results=count(outcome.results, "results"),
                                skipped=outcome.skipped))
    if outcome.set_aside:
        click.echo(t["set_aside"].format(n=count(len(outcome.set_aside), "set_aside_n"), path=store.path), err=True)
        for item in outcome.set_aside:
            click.echo(t["set_aside_line"].format(learner=item.learner, module=item.module, attempt=item.attempt,
                                                  status=item.status, reason=item.reason), err=True)
        click.echo(t["set_aside_fix"], err=True)
        code = 1
    return code
