"""``coursepack report``: the completion report (HTML and CSV), from the LRS through a local store."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Callable

import click

from packager.commands import runtime_config
from packager.commands.catalogue_input import valid_catalogue
from packager.commands.defaults import DEFAULT_KEEP_DAYS, DEFAULT_STATE, DEFAULT_STORE
from packager.lrs.client import LrsClient, LrsError, LrsUnavailable
from packager.model.catalogue import Catalogue
from packager.model.iri import module_iri
from packager.model.messages import plural
from packager.moodle.client import MoodleClient
from packager.moodle.errors import MoodleError, MoodleUnreachable
from packager.moodle.explain import explain
from packager.moodle.functions import USERS_BY_FIELD
from packager.report.compose import compose
from packager.report.contacts import look_up
from packager.report.followup import DEFAULT_IDLE_DAYS
from packager.report.render import notice, render_agents_csv, render_csv, render_html, render_questions_csv
from packager.report.store import Store
from packager.sync.engine import SyncState
from packager.sync.site import identify
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
        "contacts_lrs": "Contacts : ceux du LRS seulement (aucun Moodle configuré : MOODLE_URL et MOODLE_TOKEN).",
        "contacts_done": "Contacts Moodle : {found} sur {asked} à accompagner.",
        "contacts_none": "Contacts Moodle : aucun agent de la liste n'a de compte de {home} (nommés autrement dans le LRS).",
        "contacts_capability": "Contacts Moodle non lus : le compte du jeton n'a pas {caps}. Demandez à l'administrateur de Moodle "
                               "de l'accorder au rôle CoursePack (contexte système). Liste écrite sans adresses.",
        "contacts_function": "Contacts Moodle non lus : " + USERS_BY_FIELD + " n'est pas dans le service du jeton. Mettez à jour "
                             "le plugin local_coursepack (ou ajoutez la fonction au service). Liste écrite sans adresses.",
        "contacts_error": "Contacts Moodle non lus ({error}) : liste écrite avec les contacts du LRS.",
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
    },
}
#: Counted phrases, (one, many): French counts 0 and 1 as one.
_FORMS = {
    "fr": {"learners": ("apprenant", "apprenants"), "statements": ("déclaration", "déclarations"), "fetched": ("lue", "lues"),
           "agents": ("agent", "agents"), "removed": ("déclaration retirée", "déclarations retirées"),
           "asked": ("agent", "agents")},
    "en": {"learners": ("learner", "learners"), "statements": ("statement", "statements"), "fetched": ("read", "read"),
           "agents": ("agent", "agents"), "removed": ("statement removed", "statements removed"),
           "asked": ("agent", "agents")},
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


def moodle_contacts(moodle: MoodleClient, db: Store, catalogue: Catalogue, lrs: LrsClient, state: Path,
                    notes: list[str], lang: str = "fr") -> Callable[[set[str]], None]:
    """The hook ``compose`` calls with the agents of the follow-up list: their contacts asked of
    Moodle, by the actor form and statement home the sync state records for this site and LRS
    (``username`` on the site's own home before any sync), kept in the store over the LRS's."""
    t = _T[lang]

    def fetch(learners: set[str]) -> None:
        try:
            site = identify(moodle)
            _key, entry = SyncState(state.expanduser()).open(site, moodle.url, catalogue.namespace.catalogue, lrs.endpoint)
            home = entry.home or site.home
            found = look_up(moodle, learners, home=home, form=entry.actor or "username")
        except (MoodleError, MoodleUnreachable) as exc:
            notes.append(t["contacts_error"].format(error=explain(exc, lang)))
            return
        # the store keeps Moodle's contacts of the agents on this list only: an agent who left it,
        # or a capability withdrawn, and what was read earlier is not kept any more
        db.drop_contacts("moodle")
        if found.no_function:
            notes.append(t["contacts_function"])
        elif found.missing:
            notes.append(t["contacts_capability"].format(caps=", ".join(found.missing)))
        elif not found.asked:
            notes.append(t["contacts_none"].format(home=home))
        else:
            for learner, (name, email) in found.found.items():
                db.remember_contact(learner, name=name, email=email, source="moodle")
            notes.append(t["contacts_done"].format(found=len(found.found), asked=plural(found.asked, *_FORMS[lang]["asked"], lang=lang)))

    return fetch


def run(path: Path, *, out: Path, csv_out: Path | None, config_file: Path | None, store: Path = DEFAULT_STORE,
        lang: str = "fr", by_activity: bool = False, lrs: LrsClient | None = None, idle_days: int = DEFAULT_IDLE_DAYS,
        pseudonymise: bool = False, keep_days: int = DEFAULT_KEEP_DAYS, state: Path = DEFAULT_STATE,
        moodle: MoodleClient | None = None) -> int:
    """``moodle`` (else the configured one, if any): where the follow-up list's contacts are asked
    for; ``state``: the sync state that says how its learners are named in the LRS."""
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
    if moodle is None and config.moodle_url and config.moodle_token:
        moodle = MoodleClient(config.moodle_url, config.moodle_token)
    db = Store(store.expanduser())
    notes: list[str] = [] if moodle is not None else [t["contacts_lrs"]]
    contacts = moodle_contacts(moodle, db, catalogue, lrs, state, notes, lang) if moodle is not None else None
    try:
        base = catalogue.settings.base_iri
        activities = [module_iri(base, unit) for unit in catalogue.modules()]
        fetched = db.pull(lrs, base, activities, True if by_activity else None)
        now = datetime.datetime.now(datetime.timezone.utc)
        purged = db.purge_before(now - datetime.timedelta(days=keep_days))
        report = compose(catalogue, db, now=now, idle_days=idle_days, pseudonymise=pseudonymise, contacts=contacts)
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
    for line in notes:
        click.echo(line)
    return 0
