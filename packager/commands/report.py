"""``coursepack report``: the completion report (HTML and CSV), from the LRS through a local store."""

from __future__ import annotations

from pathlib import Path

import click

from packager.commands import runtime_config
from packager.commands.catalogue_input import valid_catalogue
from packager.commands.defaults import DEFAULT_STORE
from packager.lrs.client import LrsClient, LrsError, LrsUnavailable
from packager.model.iri import module_iri
from packager.model.messages import plural
from packager.report.render import render_csv, render_html
from packager.report.stats import compute
from packager.report.store import Store
from packager.utils.atomic import write_text_atomic


_T = {
    "fr": {
        "refused": "Rapport impossible : corrigez d'abord les erreurs du catalogue (coursepack validate).",
        "down": "Le LRS {endpoint} ne répond pas ({reason}) : relancez plus tard ; ce qui a déjà été lu est gardé.",
        "denied": "Le LRS {endpoint} refuse la requête (HTTP {status}) : vérifiez l'adresse et les identifiants du LRS.",
        "odd": "Le LRS {endpoint} a envoyé une réponse inattendue (HTTP {status} : {detail}) : rapport non écrit.",
        "done": "Rapport : {out} ({learners}, {statements} ; {fetched} au LRS) ; tableur : {csv}",
    },
    "en": {
        "refused": "No report: fix the catalogue's errors first (coursepack validate).",
        "down": "The LRS {endpoint} does not answer ({reason}): try again later; what was read is kept.",
        "denied": "The LRS {endpoint} refuses the request (HTTP {status}): check the LRS address and credentials.",
        "odd": "The LRS {endpoint} sent an unexpected answer (HTTP {status}: {detail}): no report written.",
        "done": "Report: {out} ({learners}, {statements}; {fetched} from the LRS); spreadsheet: {csv}",
    },
}
#: Counted phrases, (one, many): French counts 0 and 1 as one.
_FORMS = {
    "fr": {"learners": ("apprenant", "apprenants"), "statements": ("déclaration", "déclarations"), "fetched": ("lue", "lues")},
    "en": {"learners": ("learner", "learners"), "statements": ("statement", "statements"), "fetched": ("read", "read")},
}


def run(path: Path, *, out: Path, csv_out: Path | None, config_file: Path | None, store: Path = DEFAULT_STORE,
        lang: str = "fr", by_activity: bool = False, lrs: LrsClient | None = None) -> int:
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
        report = compute(catalogue, db.learning(), db.times())
    except LrsUnavailable as exc:
        click.echo(t["down"].format(endpoint=lrs.endpoint, reason=exc.reason), err=True)
        return 1
    except LrsError as exc:
        key = "denied" if exc.status in (401, 403, 404) else "odd"
        click.echo(t[key].format(endpoint=lrs.endpoint, status=exc.status, detail=exc.detail[:200]), err=True)
        return 1
    finally:
        db.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(out, render_html(report, catalogue.settings.site_name, lang))
    csv_path = csv_out or out.with_suffix(".csv")
    write_text_atomic(csv_path, render_csv(report))
    forms = _FORMS[lang]
    click.echo(t["done"].format(out=out, learners=plural(report.learners, *forms["learners"], lang=lang),
                                statements=plural(report.statements, *forms["statements"], lang=lang),
                                fetched=plural(fetched, *forms["fetched"], lang=lang), csv=csv_path))
    return 0
