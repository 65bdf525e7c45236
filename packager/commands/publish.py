"""``coursepack publish``: the catalogue into Moodle, as a plan, then applied."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from packager.build.pipeline import build_catalogue
from packager.commands import runtime_config
from packager.commands.catalogue_input import valid_catalogue
from packager.moodle.client import MoodleClient
from packager.model.catalogue import Catalogue
from packager.moodle.errors import MoodleError, MoodleUnreachable
from packager.moodle.explain import PackageTooBig, explain
from packager.moodle.functions import (
    LANGUAGE_CAPABILITY,
    PLUGIN,
    PUBLISH,
    installed_plugin_version,
    is_plugin_function,
)
from packager.moodle.plugin_version import shipped_plugin
from packager.publish.access import Access, read_access
from packager.publish.apply import Publisher
from packager.publish.doctor import plugin_check
from packager.publish.lock import Holder, LockBusy, LockLost, PublishLock
from packager.publish.plan import KINDS, Duplicate, Plan, make_plan
from packager.publish.versions import version_problem
from packager.publish.wanted import PACKAGE_FORMAT, Wanted, wanted_state
from packager.utils.course_urls import write_course_urls

_T = {
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


def echo_plan(plan: Plan, url: str, lang: str) -> None:
    t = _T[lang]
    click.echo(t["plan"].format(url=url))
    width = max(len(a) for a in t["actions"].values())
    for step in plan.steps:
        changes = f" ({', '.join(step.changes)})" if step.changes and step.action == "update" else ""
        click.echo(f"  {t['actions'][step.action]:<{width}}  {t['kinds'][step.kind]:<9}  {step.label}{changes}")
    for kind in KINDS:
        if not any(step.kind == kind for step in plan.steps):
            continue
        counts = {a: plan.count(kind, a) for a in ("create", "update", "unchanged")}  # type: ignore[arg-type]
        click.echo(t["summary"].format(kind=t["kinds"][kind], **counts))


def _check_service(site: dict) -> list[str]:
    available = {f["name"] for f in site.get("functions", [])}
    return [f for f in PUBLISH if f not in available]


def _language_notes(access: Access, wanted: Wanted, t: dict) -> list[str]:
    languages = {course.lang for course in wanted.courses}
    if not access.may_force_language:
        return [t["lang_capability"]]
    return [t["lang"].format(lang=lang) for lang in sorted(languages - access.installed_languages)]


def _refusals(access: Access, t: dict) -> list[str]:
    """What would stop publishing half-way, found before anything changes."""
    lines = [t["missing_capabilities"].format(names=", ".join(access.missing))] if access.missing else []
    if access.missing_cohorts:
        lines.append(t["missing_cohorts"].format(names=", ".join(access.missing_cohorts)))
    return lines


def _check_sizes(plan: Plan, site: dict) -> None:
    limit = int(site.get("usermaxuploadfilesize", -1) or -1)
    if limit <= 0:
        return
    for step in plan.steps:
        if step.upload and step.wanted is not None:
            size = step.wanted.package.stat().st_size  # type: ignore[union-attr]
            if size > limit:
                raise PackageTooBig(step.wanted.package.name, size, limit)  # type: ignore[union-attr]


def _record_urls(out: Path, moodle_url: str, catalogue: Catalogue, plan: Plan, ids: dict[str, int]) -> None:
    """Each course's Moodle page, in ``out/moodle-courses.json``: what the flyer's QR codes point at."""
    by_idnumber = {catalogue.namespace.course(course_id): course_id for course_id in [*catalogue.tools, *catalogue.jobs]}
    found: dict[str, int] = {}
    for step in plan.steps:
        if step.kind == "course" and step.idnumber in by_idnumber:
            moodle_id = ids.get(step.idnumber) or (int(step.current["id"]) if step.current else None)
            if moodle_id:
                found[by_idnumber[step.idnumber]] = moodle_id
    write_course_urls(out, moodle_url, found)


def holder_text(holder: Holder, t: dict) -> str:
    return t["on_host"].format(name=holder.name, host=holder.host) if holder.host else holder.name


def _duplicate_lines(duplicates: list[Duplicate], url: str, t: dict) -> list[str]:
    return [t["duplicate"].format(course=d.course["fullname"], count=len(d.cmids), idnumber=d.idnumber,
                                  cmids=", ".join(map(str, d.cmids)), keep=d.cmids[0],
                                  others=", ".join(map(str, d.cmids[1:])), url=url, first=d.cmids[1])
            for d in duplicates]


def _waiting(holder: Holder, most: float, t: dict) -> None:
    since = time.strftime("%H:%M", time.localtime(holder.since))
    click.echo(t["busy"].format(since=since, holder=holder_text(holder, t)), err=True)
    if most > 0:
        click.echo(t["waiting"].format(wait=int(most)), err=True)


def _show(plan: Plan, url: str, wanted: Wanted, access: Access, site: dict, refusals: list[str], lang: str, *,
          dry_run: bool) -> tuple[int, Plan | None]:
    """Print the plan; (exit code, None) when there is nothing to apply."""
    t = _T[lang]
    _check_sizes(plan, site)
    echo_plan(plan, url, lang)
    for note in _language_notes(access, wanted, t):
        click.echo(note)
    for line in refusals:  # a dry run shows the plan all the same
        click.echo(line, err=True)
    for line in _duplicate_lines(plan.duplicates, url, t):
        click.echo(line, err=True)
    if plan.duplicates and not dry_run:
        click.echo(t["duplicates"], err=True)
        return 1, None
    if dry_run:
        click.echo(t["dry_run"])
        return 0, None
    if not plan.changes:
        click.echo(t["nothing"])
        return 0, None
    return 0, plan


def run(path: Path, *, moodle_url: str | None, config_file: Path | None, out: Path, dry_run: bool,
        wait: float = 600, lang: str = "fr", client: MoodleClient | None = None) -> int:
    """``wait``: seconds to wait for another publish of the same catalogue to end."""
    t = _T[lang]
    try:
        config = runtime_config.load(config_file, moodle_url)
    except runtime_config.ConfigError as exc:
        click.echo(exc.message(lang), err=True)
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
    assert catalogue.settings is not None
    enrolment = catalogue.settings.moodle.enrolment.method == "self"
    try:
        site = client.call("core_webservice_get_site_info")
        missing = _check_service(site)
        found = installed_plugin_version(site)
        shipped = shipped_plugin()
        if found is not None and found != str(shipped.version):
            click.echo(t["plugin_version"].format(found=found, wanted=f"{shipped.version} ({shipped.release})"), err=True)
            return 1
        if missing:
            plugin_missing = [f for f in missing if is_plugin_function(f)]
            if plugin_missing:  # what Moodle itself answers when the function is not installed
                raise MoodleError("invalidrecordunknown", "", plugin_missing[0])
            click.echo(t["missing_functions"].format(names=", ".join(missing)), err=True)
            return 1
        cohorts = tuple(sorted({c.enrol_cohort for c in wanted.courses if c.enrol_cohort}))
        access = read_access(client, enrolment=enrolment, cohorts=cohorts)
        problem = version_problem(int(found or 0), access.status)
        if problem is not None:  # the database is right, the code answering is not (or the reverse)
            check = plugin_check(f"Plugin {PLUGIN}", problem, lang)
            click.echo(f"{check.name}{' :' if lang == 'fr' else ':'} {check.detail}. {check.fix}", err=True)
            return 1
        refusals = _refusals(access, t)
        if refusals and not dry_run:
            for line in refusals:
                click.echo(line, err=True)
            return 1
        languages = access.forceable({course.lang for course in wanted.courses})
        plan = make_plan(client, wanted, languages=languages)
        if dry_run or not (plan.changes or plan.duplicates):  # reading needs no lock
            code, _ = _show(plan, client.url, wanted, access, site, refusals, lang, dry_run=dry_run)
            if code == 0 and not dry_run:
                _record_urls(out, client.url, catalogue, plan, {})
            return code
        lock = PublishLock(client, wanted.namespace)
        try:
            lock.acquire(wait, on_wait=lambda holder, most: _waiting(holder, most, t))
        except LockBusy:
            click.echo(t["still_busy"].format(wait=int(wait)) if wait else t["no_wait"], err=True)
            return 1
        try:
            # read again under the lease: another run may have published meanwhile
            plan = make_plan(client, wanted, languages=languages)
            code, todo = _show(plan, client.url, wanted, access, site, refusals, lang, dry_run=False)
            if todo is None:
                if code == 0:  # another run published it meanwhile
                    _record_urls(out, client.url, catalogue, plan, {})
                return code
            publisher = Publisher(client, languages=languages)

            def step_done(_step: object) -> None:
                bar.update(1)
                lock.check()

            with click.progressbar(length=len(todo.steps), label=t["progress"], file=sys.stderr) as bar:
                outcome = publisher.apply(todo, on_step=step_done)
            _record_urls(out, client.url, catalogue, todo, publisher.ids)
        finally:
            lock.release()
    except LockLost as exc:
        click.echo(t["lost"].format(holder=holder_text(exc.holder, t)), err=True)
        return 1
    except KeyboardInterrupt:
        click.echo(t["interrupted"], err=True)
        return 130
    except (MoodleError, MoodleUnreachable, PackageTooBig) as exc:
        click.echo(explain(exc, lang), err=True)
        return 1
    click.echo(t["done"].format(create=outcome.actions.get("create", 0), update=outcome.actions.get("update", 0),
                                uploads=outcome.uploads))
    return 0
