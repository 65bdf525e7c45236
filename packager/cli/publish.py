"""``coursepack publish`` on the command line: its options, and what it prints.

The use case is ``packager.commands.publish``; this module only parses, words and prints.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from packager.cli.failures import explain_failure, failures
from packager.cli.options import CONFIG, LANG, MOODLE_URL, PATH, choose_catalogue
from packager.cli.progress import Progress
from packager.moodle.functions import LANGUAGE_CAPABILITY, PLUGIN

if TYPE_CHECKING:
    from packager.commands.publish import Review
    from packager.moodle.client import MoodleClient
    from packager.publish.lock import Holder
    from packager.publish.plan import Duplicate

_T: dict[str, dict[str, Any]] = {
    "fr": {
        "refused": "Publication annulée : corrigez d'abord les erreurs ci-dessus (coursepack validate).",
        "no_url": "Adresse Moodle manquante : --moodle-url, MOODLE_URL ou [moodle] url dans le fichier de configuration.",
        "no_token": "Jeton Moodle manquant : définissez la variable d'environnement MOODLE_TOKEN (ou [moodle] token dans le fichier de configuration).",
        "plan": "Plan pour {url} :",
        "actions": {"create": "créer", "update": "mettre à jour", "unchanged": "inchangé"},
        "kinds": {"category": "catégorie", "course": "cours", "activity": "activité", "layout": "sections",
                  "enrolment": "inscription"},
        "summary": "{kind} : {create} à créer, {update} à mettre à jour, {unchanged} sans changement",
        "dry_run": "Simulation (--dry-run) : rien n'a été modifié.",
        "nothing": "Moodle est déjà à jour.",
        "progress": "Publication",
        "done": "Publié : créations {create}, mises à jour {update}, paquets déposés {uploads}.",
        "lang": "Le pack de langue « {lang} » n'est pas installé sur ce Moodle : la langue des cours n'est pas imposée. Installez-le (Administration du site > Langue > Packs de langue) pour l'imposer.",
        "lang_capability": "Le compte du jeton n'a pas la capacité " + LANGUAGE_CAPABILITY + " : la langue des cours n'est pas imposée. Donnez-la à son rôle, au niveau du système, pour l'imposer.",
        "missing_functions": "Fonctions absentes du service du jeton : {names}.",
        "plugin_version": "Le plugin local_coursepack installé est en version {found} ; cet outil attend la version {wanted}. Installez celle qu'il livre (coursepack moodle-plugin), puis relancez.",
        "missing_capabilities": "Le compte du jeton n'a pas ces capacités au niveau du système : {names}. Donnez-les à son rôle (Administration du site > Utilisateurs > Permissions > Définir les rôles), puis relancez : rien n'a été modifié.",
        "missing_cohorts": "Ces cohortes de moodle.enrolment.cohorts (catalogue.yml) n'existent pas dans Moodle : {names}. Créez-les (Administration du site > Utilisateurs > Cohortes) ou corrigez le catalogue, puis relancez : rien n'a été modifié.",
        "config": "Configuration illisible : {error}",
        "busy": "Une autre publication est en cours (depuis {since}, par {holder}).",
        "waiting": "Attente de sa fin (au plus {wait} s)…",
        "still_busy": "Elle n'est pas terminée après {wait} s : rien n'a été modifié. Relancez plus tard, ou attendez plus longtemps avec --wait SECONDES.",
        "no_wait": "Rien n'a été modifié : relancez quand elle sera terminée, ou attendez-la avec --wait SECONDES.",
        "lost": "Une autre publication ({holder}) a repris la main pendant celle-ci : arrêt avant le changement suivant. Relancez : la publication reprend où elle s'est arrêtée.",
        "interrupted": "Publication interrompue : relancez-la, elle reprend où elle s'est arrêtée.",
        "on_host": "{name} sur {host}",
        "duplicate": "Le cours « {course} » a {count} activités « {idnumber} » (cmid {cmids}) : gardez la plus ancienne (cmid {keep}) et supprimez {others} dans Moodle ({url}/course/mod.php?delete={first}), après avoir vérifié qu'aucun apprenant n'y a de tentative.",
        "duplicates": "Publication annulée : supprimez d'abord les activités en double ci-dessus, puis relancez. Rien n'a été modifié.",
    },
    "en": {
        "refused": "Publishing cancelled: fix the errors above first (coursepack validate).",
        "no_url": "Moodle address missing: --moodle-url, MOODLE_URL or [moodle] url in the config file.",
        "no_token": "Moodle token missing: set the MOODLE_TOKEN environment variable (or [moodle] token in the config file).",
        "plan": "Plan for {url}:",
        "actions": {"create": "create", "update": "update", "unchanged": "unchanged"},
        "kinds": {"category": "category", "course": "course", "activity": "activity", "layout": "sections",
                  "enrolment": "enrolment"},
        "summary": "{kind}: {create} to create, {update} to update, {unchanged} unchanged",
        "dry_run": "Dry run (--dry-run): nothing was changed.",
        "nothing": "Moodle is up to date.",
        "progress": "Publishing",
        "done": "Published: {create} created, {update} updated, {uploads} packages uploaded.",
        "lang": "Language pack \"{lang}\" is not installed on this Moodle: course language is not forced. Install it (Site administration > Language > Language packs) to force it.",
        "lang_capability": "The token's account lacks " + LANGUAGE_CAPABILITY + ": course language is not forced. Give it to its role, at system level, to force it.",
        "missing_functions": "Functions missing from the token's service: {names}.",
        "plugin_version": "The installed local_coursepack plugin is version {found}; this tool expects version {wanted}. Install the one it ships (coursepack moodle-plugin), then run again.",
        "missing_capabilities": "The token's account lacks these capabilities at system level: {names}. Give them to its role (Site administration > Users > Permissions > Define roles), then run again: nothing was changed.",
        "missing_cohorts": "These cohorts of moodle.enrolment.cohorts (catalogue.yml) do not exist in Moodle: {names}. Create them (Site administration > Users > Cohorts) or correct the catalogue, then run again: nothing was changed.",
        "config": "Unreadable configuration: {error}",
        "busy": "Another publish is running (since {since}, by {holder}).",
        "waiting": "Waiting for it to end (at most {wait} s)…",
        "still_busy": "It has not ended after {wait} s: nothing was changed. Run again later, or wait longer with --wait SECONDS.",
        "no_wait": "Nothing was changed: run again once it has ended, or wait for it with --wait SECONDS.",
        "lost": "Another publish ({holder}) took over during this one: stopped before the next change. Run again: publishing goes on where it stopped.",
        "interrupted": "Publishing interrupted: run it again, it goes on where it stopped.",
        "on_host": "{name} on {host}",
        "duplicate": "Course \"{course}\" has {count} activities \"{idnumber}\" (cmid {cmids}): keep the oldest (cmid {keep}) and delete {others} in Moodle ({url}/course/mod.php?delete={first}), after checking that no learner has an attempt in it.",
        "duplicates": "Publishing cancelled: delete the duplicate activities above first, then run again. Nothing was changed.",
    },
}




def holder_text(holder: Holder, t: dict[str, Any]) -> str:
    return str(t["on_host"].format(name=holder.name, host=holder.host) if holder.host else holder.name)


def _duplicate_lines(duplicates: list[Duplicate], url: str, t: dict[str, Any]) -> list[str]:
    return [t["duplicate"].format(course=d.course["fullname"], count=len(d.cmids), idnumber=d.idnumber,
                                  cmids=", ".join(map(str, d.cmids)), keep=d.cmids[0],
                                  others=", ".join(map(str, d.cmids[1:])), url=url, first=d.cmids[1])
            for d in duplicates]


def _refusal_lines(missing: tuple[str, ...], cohorts: tuple[str, ...], t: dict[str, Any]) -> list[str]:
    """What would stop publishing half-way, found before anything changes."""
    lines = [t["missing_capabilities"].format(names=", ".join(missing))] if missing else []
    if cohorts:
        lines.append(t["missing_cohorts"].format(names=", ".join(cohorts)))
    return lines


class _Printer(Progress):
    """The publish's events, printed: the plan on standard output, waits and progress on stderr."""

    def __init__(self, lang: str) -> None:
        super().__init__(_T[lang]["progress"])
        self.lang = lang
        self.t = _T[lang]

    def review(self, review: Review, *, dry_run: bool) -> None:
        from packager.publish.plan import KINDS

        t, plan = self.t, review.plan
        click.echo(t["plan"].format(url=review.url))
        width = max(len(a) for a in t["actions"].values())
        for step in plan.steps:
            changes = f" ({', '.join(step.changes)})" if step.changes and step.action == "update" else ""
            click.echo(f"  {t['actions'][step.action]:<{width}}  {t['kinds'][step.kind]:<9}  {step.label}{changes}")
        for kind in KINDS:
            if any(step.kind == kind for step in plan.steps):
                counts = {a: plan.count(kind, a) for a in ("create", "update", "unchanged")}
                click.echo(t["summary"].format(kind=t["kinds"][kind], **counts))
        for note in [t["lang_capability"]] if review.no_language_capability else [t["lang"].format(lang=lang) for lang in review.missing_languages]:
            click.echo(note)
        for line in _refusal_lines(review.missing_capabilities, review.missing_cohorts, t):  # a dry run shows the plan all the same
            click.echo(line, err=True)
        for line in _duplicate_lines(plan.duplicates, review.url, t):
            click.echo(line, err=True)

    def waiting(self, holder: Holder, most: float) -> None:
        since = time.strftime("%H:%M", time.localtime(holder.since))
        click.echo(self.t["busy"].format(since=since, holder=holder_text(holder, self.t)), err=True)
        if most > 0:
            click.echo(self.t["waiting"].format(wait=int(most)), err=True)

    def applying(self, steps: int) -> None:
        self.start(steps)

    def step_done(self) -> None:
        self.advance()


def _stopped(reason: str, params: dict[str, Any], lang: str) -> list[str]:
    t = _T[lang]
    if reason == "refused_access":
        return _refusal_lines(params["missing"], params["cohorts"], t)
    return [t[reason].format(**params)]


def run(path: Path, *, moodle_url: str | None, config_file: Path | None, out: Path, dry_run: bool,
        wait: float = 600, lang: str = "fr", client: MoodleClient | None = None) -> int:
    """Publish and print; the exit code."""
    from packager.commands.publish import VersionMismatch, publish
    from packager.publish.readiness import plugin_check
    from packager.publish.lock import LockLost

    t = _T[lang]
    printer = _Printer(lang)
    try:
        try:
            done = publish(path, printer, moodle_url=moodle_url, config_file=config_file, out=out, dry_run=dry_run,
                           wait=wait, client=client)
        finally:
            printer.close()
    except VersionMismatch as exc:
        check = plugin_check(f"Plugin {PLUGIN}", exc.problem, lang)
        click.echo(f"{check.name}{' :' if lang == 'fr' else ':'} {check.detail}. {check.fix}", err=True)
        return 1
    except LockLost as exc:
        click.echo(t["lost"].format(holder=holder_text(exc.holder, t)), err=True)
        return 1
    except KeyboardInterrupt:
        click.echo(t["interrupted"], err=True)
        return 130
    except failures() as exc:
        return explain_failure(exc, lang, t["refused"], lambda reason, params: _stopped(reason, params, lang))
    if done.status == "done":
        outcome = done.outcome
        click.echo(t["done"].format(create=outcome.actions.get("create", 0), update=outcome.actions.get("update", 0),
                                    uploads=outcome.uploads))
    else:
        click.echo(t["dry_run"] if done.status == "dry_run" else t["nothing"])
    return 0


@click.command()
@click.argument("path", type=PATH, required=False)
@MOODLE_URL
@CONFIG
@click.option("--out", type=PATH, default=Path("dist"), show_default=True, help="Folder for the SCORM 1.2 packages.")
@click.option("--dry-run", is_flag=True, help="Print the plan and change nothing.")
@click.option("--wait", "wait", type=click.IntRange(min=0), default=600, show_default=True, metavar="SECONDS",
              help="How long to wait for another publish of the catalogue to finish.")
@LANG
def publish(path: Path | None, moodle_url: str | None, config_file: Path | None, out: Path, dry_run: bool, wait: int,
            lang: str) -> None:
    """Publish the catalogue to Moodle: categories, courses and SCORM activities.

    The token comes from the MOODLE_TOKEN environment variable or the config file, never from
    the command line."""
    sys.exit(run(choose_catalogue(path, lang), moodle_url=moodle_url, config_file=config_file, out=out,
                 dry_run=dry_run, wait=wait, lang=lang))
