"""``coursepack report``: the completion report (HTML and CSV), from the LRS through a local store."""

from __future__ import annotations

import datetime
from pathlib import Path

import click

from packager.commands import runtime_config
from packager.commands.catalogue_input import valid_catalogue
from packager.commands.defaults import DEFAULT_KEEP_DAYS, DEFAULT_STORE
from packager.lrs.client import LrsClient, LrsError, LrsUnavailable
from packager.model.iri import module_iri
from packager.model.messages import plural
from packager.report.compose import compose
from packager.report.followup import DEFAULT_IDLE_DAYS
from packager.report.render import notice, render_agents_csv, render_csv, render_html, render_questions_csv
from packager.report.store import Store
from packager.utils.atomic import write_text_atomic


#: Every file the report writes holds personal data: readable by its owner only.
PRIVATE = 0o600

_T = {
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
    },
}
#: Counted phrases, (one, many): French counts 0 and 1 as one.
_FORMS = {
    "fr": {"learners": ("apprenant", "apprenants"), "statements": ("déclaration", "déclarations"), "fetched": ("lue", "lues"),
           "agents": ("agent", "agents"), "removed": ("déclaration retirée", "déclarations retirées")},
    "en": {"learners": ("learner", "learners"), "statements": ("statement", "statements"), "fetched": ("read", "read"),
           "agents": ("agent", "agents"), "removed": ("statement removed", "statements removed")},
}


def forget(who: str, *, store: Path = DEFAULT_STORE, lang: str = "fr") -> int:
    """``--forget``: remove one learner from the local store (the LRS is not touched)."""
    t = _T[lang]
    path = store.expanduser()
    if not path.is_file():
        click.echo(t["no_store"].format(store=path), err=True)
        return 1
    db = Store(path)
    try:
        found = db.find_learners(who)
        if not found:
            click.echo(t["unknown"].format(who=who, store=path), err=True)
            return 1
        if len(found) > 1:
            click.echo(t["ambiguous"].format(who=who, count=len(found), names=", ".join(found)), err=True)
            return 1
        removed = db.forget(found[0])
    finally:
        db.close()
    click.echo(t["forgotten"].format(who=who, count=plural(removed, *_FORMS[lang]["removed"], lang=lang)))
    return 0


def run(path: Path, *, out: Path, csv_out: Path | None, config_file: Path | None, store: Path = DEFAULT_STORE,
        lang: str = "fr", by_activity: bool = False, lrs: LrsClient | None = None, idle_days: int = DEFAULT_IDLE_DAYS,
        pseudonymise: bool = False, keep_days: int = DEFAULT_KEEP_DAYS) -> int:
    t = {**runtime_config.MESSAGES[lang], **_T[lang]}
    try:
        config = runtime_config.load(config_file)
    except runtime_config.ConfigError as exc:
        click.echo(t["config"].format(error=exc), err=True)
        return 2
    if lrs is None:
        if not config.lrs_endpoint:
            click.echo(t["no_lrs"], err=True)
            return 2
        lrs = LrsClient(config.lrs_endpoint, config.lrs_username, config.lrs_password)
    catalogue = valid_catalogue(path, lang, t["refused"])
    if catalogue is None or catalogue.settings is None:
        return 1
    db = Store(store.expanduser())
    try:
        base = catalogue.settings.base_iri
        activities = [module_iri(base, unit) for unit in catalogue.modules()]
        fetched = db.pull(lrs, base, activities, True if by_activity else None)
        now = datetime.datetime.now(datetime.UTC)
        purged = db.purge_before(now - datetime.timedelta(days=keep_days))
        report = compose(catalogue, db, now=now, idle_days=idle_days, pseudonymise=pseudonymise)
    except LrsUnavailable as exc:
        click.echo(t["down"].format(endpoint=lrs.endpoint, reason=exc.reason), err=True)
        return 1
    except LrsError as exc:
        key = "denied" if exc.status in (401, 403, 404) else "odd"
        click.echo(t[key].format(endpoint=lrs.endpoint, status=exc.status, detail=exc.detail[:200]), err=True)
        return 1
    finally:
        db.close()
    settings = catalogue.settings
    report.notice = notice(lang, whom=settings.contact.name, site=settings.site_name, days=keep_days, pseudonymised=pseudonymise)
    out.parent.mkdir(parents=True, exist_ok=True)
    csv_path = csv_out or out.with_suffix(".csv")
    agents_path = csv_path.with_name(csv_path.stem + "-agents.csv")
    questions_path = csv_path.with_name(csv_path.stem + "-questions.csv")
    for target, text in ((out, render_html(report, settings.site_name, lang)), (csv_path, render_csv(report)),
                         (agents_path, render_agents_csv(report)), (questions_path, render_questions_csv(report))):
        write_text_atomic(target, text, PRIVATE)
    forms = _FORMS[lang]
    if purged:
        click.echo(t["purged"].format(count=plural(purged, *forms["removed"], lang=lang), days=keep_days))
    click.echo(t["done"].format(out=out, learners=plural(report.learners, *forms["learners"], lang=lang),
                                statements=plural(report.statements, *forms["statements"], lang=lang),
                                fetched=plural(fetched, *forms["fetched"], lang=lang), csv=csv_path))
    click.echo(t["followup"].format(agents=plural(len({a.learner for a in report.agents}), *forms["agents"], lang=lang),
                                    csv=agents_path, questions=questions_path))
    return 0
