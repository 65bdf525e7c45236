"""The report use case: the completion report (HTML and CSVs) from the LRS through a local store,
and the removal of one learner from that store.

No printing: the files written, the figures and the notes on contacts are returned (a note is a
reason key and its parameters), and a refusal is a ``Stop``; the CLI (``packager/cli/report.py``)
words them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packager.commands import runtime_config
from packager.commands.catalogue_input import load_valid_catalogue
from packager.commands.defaults import DEFAULT_KEEP_DAYS, DEFAULT_STATE, DEFAULT_STORE
from packager.commands.errors import Stop
from packager.lrs.client import LrsClient, LrsError, LrsUnavailable
from packager.model.catalogue import Catalogue
from packager.model.iri import module_iri
from packager.moodle.client import MoodleClient
from packager.moodle.errors import MoodleError, MoodleUnreachable
from packager.report.compose import compose
from packager.report.contacts import look_up
from packager.report.followup import DEFAULT_IDLE_DAYS
from packager.report.render import notice, render_agents_csv, render_csv, render_html, render_questions_csv
from packager.report.store import Store
from packager.sync.engine import SyncState
from packager.sync.site import identify
from packager.sync.state_file import StateUnreadable
from packager.utils.atomic import write_text_atomic

#: Every file the report writes holds personal data: readable by its owner only.
PRIVATE = 0o600

#: A note for the mediator: a reason key and its parameters (the CLI words it).
Note = tuple[str, dict[str, Any]]


@dataclass
class Reported:
    html: Path
    csv: Path
    agents_csv: Path
    questions_csv: Path
    learners: int
    statements: int
    fetched: int  # statements read from the LRS in this run
    agents: int  # agents on the follow-up list
    purged: int  # statements past the retention period, removed from the store
    notes: list[Note] = field(default_factory=list)


def forget(who: str, *, store: Path = DEFAULT_STORE) -> int:
    """``--forget``: remove one learner from the local store (the LRS is not touched); the number
    of statements removed. Raises ``Stop`` (no store, nobody of that name, several)."""
    path = store.expanduser()
    if not path.is_file():
        raise Stop("no_store", store=path)
    db = Store(path)
    try:
        found = db.find_learners(who)
        if not found:
            raise Stop("unknown", who=who, store=path)
        if len(found) > 1:
            raise Stop("ambiguous", who=who, count=len(found), names=", ".join(found))
        return db.forget(found[0])
    finally:
        db.close()


def moodle_contacts(moodle: MoodleClient, db: Store, catalogue: Catalogue, lrs: LrsClient, state: Path,
                    notes: list[Note]) -> Callable[[set[str]], None]:
    """The hook ``compose`` calls with the agents of the follow-up list: their contacts asked of
    Moodle, by the actor form and statement home the sync state records for this site and LRS
    (``username`` on the site's own home before any sync), kept in the store over the LRS's."""

    def fetch(learners: set[str]) -> None:
        try:
            site = identify(moodle)
            _key, entry = SyncState(state.expanduser()).open(site, moodle.url, catalogue.namespace.catalogue, lrs.endpoint)
            home = entry.home or site.home
            found = look_up(moodle, learners, home=home, form=entry.actor or "username")
        except (MoodleError, MoodleUnreachable) as exc:
            notes.append(("contacts_error", {"error": exc}))
            return
        except StateUnreadable as exc:
            notes.append(("contacts_state", {"path": exc.path}))
            return
        # the store keeps Moodle's contacts of the agents on this list only: an agent who left it,
        # or a capability withdrawn, and what was read earlier is not kept any more
        db.drop_contacts("moodle")
        if found.no_function:
            notes.append(("contacts_function", {}))
        elif found.missing:
            notes.append(("contacts_capability", {"caps": ", ".join(found.missing)}))
        elif not found.asked:
            notes.append(("contacts_none", {"home": home}))
        else:
            for learner, (name, email) in found.found.items():
                db.remember_contact(learner, name=name, email=email, source="moodle")
            notes.append(("contacts_done", {"found": len(found.found), "asked": found.asked}))

    return fetch


def _lrs(config: runtime_config.RuntimeConfig, lrs: LrsClient | None) -> LrsClient:
    if lrs is not None:
        return lrs
    if not config.lrs_endpoint:
        raise Stop("no_lrs", 2)
    return LrsClient(config.lrs_endpoint, config.lrs_username, config.lrs_password)


def make_report(path: Path, *, out: Path, csv_out: Path | None, config_file: Path | None, store: Path = DEFAULT_STORE,
                lang: str = "fr", by_activity: bool = False, lrs: LrsClient | None = None,
                idle_days: int = DEFAULT_IDLE_DAYS, pseudonymise: bool = False, keep_days: int = DEFAULT_KEEP_DAYS,
                state: Path = DEFAULT_STATE, moodle: MoodleClient | None = None) -> Reported:
    """``moodle`` (else the configured one, if any): where the follow-up list's contacts are asked
    for; ``state``: the sync state that says how its learners are named in the LRS; ``lang``: the
    report's own language. Raises ``Stop``, ``InvalidCatalogue``, ``runtime_config.ConfigError``."""
    config = runtime_config.load(config_file)
    lrs = _lrs(config, lrs)
    catalogue = load_valid_catalogue(path)
    settings = catalogue.settings
    assert settings is not None
    if moodle is None and config.moodle_url and config.moodle_token:
        moodle = MoodleClient(config.moodle_url, config.moodle_token)
    db = Store(store.expanduser())
    notes: list[Note] = [] if moodle is not None else [("contacts_lrs", {})]
    contacts = moodle_contacts(moodle, db, catalogue, lrs, state, notes) if moodle is not None else None
    try:
        activities = [module_iri(settings.base_iri, unit) for unit in catalogue.modules()]
        fetched = db.pull(lrs, settings.base_iri, activities, True if by_activity else None)
        now = datetime.datetime.now(datetime.UTC)
        purged = db.purge_before(now - datetime.timedelta(days=keep_days))
        report = compose(catalogue, db, now=now, idle_days=idle_days, pseudonymise=pseudonymise, contacts=contacts)
    except LrsUnavailable as exc:
        raise Stop("down", endpoint=lrs.endpoint, reason=exc.reason) from None
    except LrsError as exc:
        raise Stop("denied" if exc.status in (401, 403, 404) else "odd", endpoint=lrs.endpoint, status=exc.status,
                   detail=exc.detail) from None
    finally:
        db.close()
    report.notice = notice(lang, whom=settings.contact.name, site=settings.site_name, days=keep_days, pseudonymised=pseudonymise)
    out.parent.mkdir(parents=True, exist_ok=True)
    csv_path = csv_out or out.with_suffix(".csv")
    done = Reported(out, csv_path, csv_path.with_name(csv_path.stem + "-agents.csv"),
                    csv_path.with_name(csv_path.stem + "-questions.csv"), report.learners, report.statements, fetched,
                    len({a.learner for a in report.agents}), purged, notes)
    for target, text in ((done.html, render_html(report, settings.site_name, lang)), (done.csv, render_csv(report)),
                         (done.agents_csv, render_agents_csv(report)), (done.questions_csv, render_questions_csv(report))):
        write_text_atomic(target, text, PRIVATE)
    return done
