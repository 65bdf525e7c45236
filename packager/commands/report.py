"""``coursepack report``: completion and pass rates from the LRS, as an HTML page and a CSV."""

from __future__ import annotations

from pathlib import Path

import click

from packager.commands import runtime_config
from packager.commands.catalogue_input import valid_catalogue
from packager.lrs.client import LrsClient, LrsError, LrsUnavailable
from packager.report.render import render_csv, render_html
from packager.report.stats import compute
from packager.utils.atomic import write_text_atomic


def run(path: Path, *, out: Path, csv_out: Path | None, config_file: Path | None, lrs: LrsClient | None = None) -> int:
    try:
        config = runtime_config.load(config_file)
    except runtime_config.ConfigError as exc:
        click.echo(f"Configuration illisible : {exc}", err=True)
        return 2
    if lrs is None:
        if not config.lrs_endpoint:
            click.echo("LRS non configuré : LRS_ENDPOINT, LRS_USERNAME et LRS_PASSWORD (ou [lrs] dans le fichier de configuration).", err=True)
            return 2
        lrs = LrsClient(config.lrs_endpoint, config.lrs_username, config.lrs_password)
    catalogue = valid_catalogue(path, "fr", "Rapport impossible : corrigez d'abord les erreurs du catalogue (coursepack validate).")
    if catalogue is None or catalogue.settings is None:
        return 1
    try:
        # Every statement, kept or not by compute(): an `activity` query is where LRSs differ most
        # (Ralph 5.1's file-system backend matches none), and the report must not depend on it.
        statements = list(lrs.statements(limit=500))
    except LrsUnavailable as exc:
        click.echo(f"Le LRS ne répond pas ({exc.reason}) : relancez plus tard.", err=True)
        return 1
    except LrsError as exc:
        click.echo(f"Le LRS refuse la requête (HTTP {exc.status}) : vérifiez l'adresse et les identifiants du LRS.", err=True)
        return 1
    report = compute(catalogue, statements)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(out, render_html(report, catalogue.settings.site_name))
    csv_path = csv_out or out.with_suffix(".csv")
    write_text_atomic(csv_path, render_csv(report))
    click.echo(f"Rapport : {out} ({report.learners} apprenants, {report.statements} déclarations) ; tableur : {csv_path}")
    return 0
