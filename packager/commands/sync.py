"""``coursepack sync``: learners' results from Moodle to the LRS as xAPI statements."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from packager.commands import runtime_config
from packager.commands.catalogue_input import valid_catalogue
from packager.commands.paths import DEFAULT_STATE
from packager.lrs.client import LrsClient, LrsError, LrsUnavailable
from packager.moodle.client import MoodleClient
from packager.moodle.errors import MoodleError, MoodleUnreachable
from packager.moodle.explain import explain
from packager.sync.engine import DEFAULT_BATCH, CursorStore, sync
from packager.sync.statements import ActorPolicy


_T = {
    "fr": {
        "refused": "Synchronisation annulée : corrigez d'abord les erreurs du catalogue (coursepack validate).",
        "no_moodle": "Adresse ou jeton Moodle manquant : --moodle-url / MOODLE_URL et MOODLE_TOKEN (ou le fichier de configuration).",
        "no_lrs": "LRS non configuré : LRS_ENDPOINT, LRS_USERNAME et LRS_PASSWORD (ou [lrs] dans le fichier de configuration).",
        "lrs_down": "Le LRS ne répond pas ({reason}) : rien n'est perdu, relancez coursepack sync plus tard ; elle reprendra au dernier lot accepté.",
        "lrs_refused": "Le LRS refuse les déclarations ({detail}) : vérifiez l'adresse et les identifiants du LRS.",
        "lrs_invalid": "Le LRS juge les déclarations invalides ({detail}) : signalez-le à l'équipe CoursePack avec ce message.",
        "fallback": "Plugin local_coursepack absent : lecture par les fonctions standard de Moodle (plus lente).",
        "dry_run": "Simulation (--dry-run) : {n} déclaration(s) seraient envoyées ; rien n'a été envoyé.",
        "done": "{sent} déclaration(s) envoyée(s) pour {results} résultat(s) Moodle ({skipped} sans déclaration).",
        "config": "Configuration illisible : {error}",
    },
    "en": {
        "refused": "Sync cancelled: fix the catalogue's errors first (coursepack validate).",
        "no_moodle": "Moodle address or token missing: --moodle-url / MOODLE_URL and MOODLE_TOKEN (or the config file).",
        "no_lrs": "LRS not configured: LRS_ENDPOINT, LRS_USERNAME and LRS_PASSWORD (or [lrs] in the config file).",
        "lrs_down": "The LRS does not answer ({reason}): nothing is lost, run coursepack sync again later; it resumes at the last accepted batch.",
        "lrs_refused": "The LRS refuses the statements ({detail}): check the LRS address and credentials.",
        "lrs_invalid": "The LRS finds the statements invalid ({detail}): report it to the CoursePack team with this message.",
        "fallback": "Plugin local_coursepack missing: reading through Moodle's core functions (slower).",
        "dry_run": "Dry run (--dry-run): {n} statement(s) would be sent; nothing was sent.",
        "done": "{sent} statement(s) sent for {results} Moodle result(s) ({skipped} without a statement).",
        "config": "Unreadable configuration: {error}",
    },
}


def run(path: Path, *, moodle_url: str | None, config_file: Path | None, state: Path, batch_size: int = DEFAULT_BATCH,
        dry_run: bool = False, actor_name: str = "username", email: bool = False, lang: str = "fr",
        moodle: MoodleClient | None = None, lrs: LrsClient | None = None) -> int:
    t = _T[lang]
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
    catalogue = valid_catalogue(path, lang, t["refused"])
    if catalogue is None:
        return 1
    actor = ActorPolicy(moodle_url=moodle.url, name=actor_name, email=email)  # type: ignore[arg-type]
    try:
        with click.progressbar(length=1, label="Synchronisation" if lang == "fr" else "Sync", file=sys.stderr) as bar:
            def progress(done: int, total: int) -> None:
                bar.length = total
                bar.update(done - bar.pos)

            outcome = sync(catalogue, moodle, lrs, CursorStore(state.expanduser()), actor, batch_size=batch_size,
                           dry_run=dry_run, on_batch=progress)
    except (MoodleError, MoodleUnreachable) as exc:
        click.echo(explain(exc, lang), err=True)
        return 1
    except LrsUnavailable as exc:
        click.echo(t["lrs_down"].format(reason=exc.reason), err=True)
        return 1
    except LrsError as exc:
        key = "lrs_refused" if exc.status in (401, 403, 404) else "lrs_invalid"
        detail = f"HTTP {exc.status}" if key == "lrs_refused" else f"HTTP {exc.status}: {exc.detail[:200]}"
        click.echo(t[key].format(detail=detail), err=True)
        return 1
    if not outcome.plugin:
        click.echo(t["fallback"])
    if dry_run:
        for statement in outcome.statements:
            click.echo(json.dumps(statement, ensure_ascii=False, sort_keys=True))
        click.echo(t["dry_run"].format(n=len(outcome.statements)))
        return 0
    click.echo(t["done"].format(sent=outcome.sent, results=outcome.results, skipped=outcome.skipped))
    return 0
