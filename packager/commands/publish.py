"""``coursepack publish``: the catalogue into Moodle, as a plan, then applied."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from packager.build.pipeline import build_catalogue
from packager.commands import runtime_config
from packager.commands.catalogue_input import valid_catalogue
from packager.moodle.client import MoodleClient
from packager.moodle.errors import MoodleError, MoodleUnreachable
from packager.moodle.explain import PackageTooBig, explain
from packager.moodle.functions import PUBLISH, is_plugin_function
from packager.publish.apply import Publisher
from packager.publish.plan import Plan, make_plan
from packager.publish.wanted import PACKAGE_FORMAT, wanted_state
from packager.utils.statefile import read_state, write_state

STATE_FILE = ".coursepack-publish.json"

_T = {
    "fr": {
        "refused": "Publication annulée : corrigez d'abord les erreurs ci-dessus (coursepack validate).",
        "no_url": "Adresse Moodle manquante : --moodle-url, MOODLE_URL ou [moodle] url dans le fichier de configuration.",
        "no_token": "Jeton Moodle manquant : définissez la variable d'environnement MOODLE_TOKEN (ou [moodle] token dans le fichier de configuration).",
        "plan": "Plan pour {url} :",
        "actions": {"create": "créer", "update": "mettre à jour", "unchanged": "inchangé"},
        "kinds": {"category": "catégorie", "course": "cours", "activity": "activité"},
        "summary": "{kind} : {create} à créer, {update} à mettre à jour, {unchanged} inchangé(s)",
        "dry_run": "Simulation (--dry-run) : rien n'a été modifié.",
        "nothing": "Moodle est déjà à jour.",
        "progress": "Publication",
        "done": "Publié : {create} créé(s), {update} mis à jour, {uploads} paquet(s) déposé(s).",
        "lang": "Le pack de langue « {lang} » n'est pas installé sur ce Moodle : la langue des cours n'est pas imposée.",
        "missing_functions": "Fonctions absentes du service du jeton : {names}.",
        "config": "Configuration illisible : {error}",
    },
    "en": {
        "refused": "Publishing cancelled: fix the errors above first (coursepack validate).",
        "no_url": "Moodle address missing: --moodle-url, MOODLE_URL or [moodle] url in the config file.",
        "no_token": "Moodle token missing: set the MOODLE_TOKEN environment variable (or [moodle] token in the config file).",
        "plan": "Plan for {url}:",
        "actions": {"create": "create", "update": "update", "unchanged": "unchanged"},
        "kinds": {"category": "category", "course": "course", "activity": "activity"},
        "summary": "{kind}: {create} to create, {update} to update, {unchanged} unchanged",
        "dry_run": "Dry run (--dry-run): nothing was changed.",
        "nothing": "Moodle is up to date.",
        "progress": "Publishing",
        "done": "Published: {create} created, {update} updated, {uploads} package(s) uploaded.",
        "lang": "Language pack \"{lang}\" is not installed on this Moodle: course language is not forced.",
        "missing_functions": "Functions missing from the token's service: {names}.",
        "config": "Unreadable configuration: {error}",
    },
}


def _read_state(out: Path, url: str) -> set[str]:
    site = read_state(out / STATE_FILE).get(url)
    return set(site.get("lang_unavailable", [])) if isinstance(site, dict) else set()


def _write_state(out: Path, url: str, lang_unavailable: set[str]) -> None:
    data = read_state(out / STATE_FILE)
    data[url] = {"lang_unavailable": sorted(lang_unavailable)}
    write_state(out / STATE_FILE, data)


def echo_plan(plan: Plan, url: str, lang: str) -> None:
    t = _T[lang]
    click.echo(t["plan"].format(url=url))
    width = max(len(a) for a in t["actions"].values())
    for step in plan.steps:
        changes = f" ({', '.join(step.changes)})" if step.changes and step.action == "update" else ""
        click.echo(f"  {t['actions'][step.action]:<{width}}  {t['kinds'][step.kind]:<9}  {step.label}{changes}")
    for kind in ("category", "course", "activity"):
        counts = {a: plan.count(kind, a) for a in ("create", "update", "unchanged")}  # type: ignore[arg-type]
        click.echo(t["summary"].format(kind=t["kinds"][kind], **counts))


def _check_service(site: dict) -> list[str]:
    available = {f["name"] for f in site.get("functions", [])}
    return [f for f in PUBLISH if f not in available]


def _check_sizes(plan: Plan, site: dict) -> None:
    limit = int(site.get("usermaxuploadfilesize", -1) or -1)
    if limit <= 0:
        return
    for step in plan.steps:
        if step.upload and step.wanted is not None:
            size = step.wanted.package.stat().st_size  # type: ignore[union-attr]
            if size > limit:
                raise PackageTooBig(step.wanted.package.name, size, limit)  # type: ignore[union-attr]


def run(path: Path, *, moodle_url: str | None, config_file: Path | None, out: Path, dry_run: bool,
        lang: str = "fr", client: MoodleClient | None = None) -> int:
    t = _T[lang]
    try:
        config = runtime_config.load(config_file, moodle_url)
    except runtime_config.ConfigError as exc:
        click.echo(t["config"].format(error=exc), err=True)
        return 2
    if client is None:
        if not config.moodle_url:
            click.echo(t["no_url"], err=True)
            return 2
        if not config.moodle_token:
            click.echo(t["no_token"], err=True)
            return 2
        client = MoodleClient(config.moodle_url, config.moodle_token)
    catalogue = valid_catalogue(path, lang, t["refused"])
    if catalogue is None:
        return 1
    build_catalogue(catalogue, PACKAGE_FORMAT, out)
    wanted = wanted_state(catalogue, out)
    lang_unavailable = _read_state(out, client.url)
    publisher: Publisher | None = None
    try:
        site = client.call("core_webservice_get_site_info")
        missing = _check_service(site)
        if missing:
            plugin_missing = [f for f in missing if is_plugin_function(f)]
            if plugin_missing:  # what Moodle itself answers when the function is not installed
                raise MoodleError("invalidrecordunknown", "", plugin_missing[0])
            click.echo(t["missing_functions"].format(names=", ".join(missing)), err=True)
            return 1
        plan = make_plan(client, wanted, lang_unavailable)
        _check_sizes(plan, site)
        echo_plan(plan, client.url, lang)
        if dry_run:
            click.echo(t["dry_run"])
            return 0
        if not plan.changes:
            click.echo(t["nothing"])
            return 0
        publisher = Publisher(client, lang_unavailable)
        with click.progressbar(length=len(plan.steps), label=t["progress"], file=sys.stderr) as bar:
            outcome = publisher.apply(plan, on_step=lambda _step: bar.update(1))
    except (MoodleError, MoodleUnreachable, PackageTooBig) as exc:
        click.echo(explain(exc, lang), err=True)
        return 1
    finally:
        if publisher is not None and publisher.outcome.lang_unavailable != lang_unavailable:
            _write_state(out, client.url, publisher.outcome.lang_unavailable)
    for language in sorted(outcome.lang_unavailable - lang_unavailable):
        click.echo(t["lang"].format(lang=language))
    click.echo(t["done"].format(create=outcome.actions.get("create", 0), update=outcome.actions.get("update", 0),
                                uploads=outcome.uploads))
    return 0
