"""The ``coursepack`` command line: parsing and printing; the use cases are in ``packager.commands``.

Each command that has grown its own words lives in a module of this package (``publish.py``…),
registered below; the others are declared here."""

from __future__ import annotations

import errno
import importlib
import sys
from pathlib import Path
from collections.abc import Sequence
from typing import Any

import click

from packager import __version__
from packager.cli import build, doctor, flyer, help_texts, moodle_plugin, new, preview, publish, schema, sync, validate
from packager.utils.file_errors import describe as describe_file_error
from packager.cli.options import CONFIG, LANG, PATH, choose_catalogue
from packager.commands.defaults import DEFAULT_KEEP_DAYS, DEFAULT_STORE


def _command(name: str) -> Any:
    """A command's module, imported when that command runs: start-up stays short (doctor pulls in
    requests, sync pulls in tincan; validate needs neither)."""
    return importlib.import_module(f"packager.commands.{name}")


class _Group(click.Group):
    """Help in French unless ``--lang en``; a failed read or write (full disk, read-only folder)
    becomes one line and exit code 2."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        help_texts.apply(self, help_texts.requested_language(argv))
        return super().main(help_texts.without_lang_for_help(argv), prog_name, complete_var, standalone_mode, **extra)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except OSError as exc:
            if exc.errno == errno.EPIPE:  # the reader of our output went away: click handles it
                raise
            click.echo(describe_file_error(exc, ctx.meta.get("coursepack.lang", "fr")), err=True)
            ctx.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="coursepack")
def cli() -> None:
    """Turn YAML course definitions into e-learning packages for Moodle."""


@cli.command()
@click.argument("path", type=PATH, required=False)
@click.option("--out", type=PATH, default=Path("report.html"), show_default=True, help="The HTML report to write.")
@click.option("--csv", "csv_out", type=PATH, default=None, help="The CSV export (default: beside the HTML, .csv).")
@click.option("--store", type=PATH, default=DEFAULT_STORE, show_default=True,
              help="Local store of the LRS's statements (SQLite); each run fetches only what is new.")
@click.option("--by-activity", is_flag=True,
              help="Ask the LRS for the catalogue's activities only, without first checking that it filters by activity "
                   "(by default the store checks once, with a statement it holds).")
@click.option("--idle-days", type=click.IntRange(1, None), default=14, show_default=True,
              help="List agents who started a module more than this many days ago without completing it.")
@click.option("--pseudonymise", is_flag=True, help="The same figures and list without names or contacts (stable pseudonyms).")
@click.option("--keep-days", type=click.IntRange(1, None), default=DEFAULT_KEEP_DAYS, show_default=True,
              help="Purge the local store of statements older than this many days.")
@click.option("--forget", "forget", metavar="LEARNER", default=None,
              help="Remove one learner (username, e-mail, key or pseudonym) from the local store, and write nothing else.")
@CONFIG
@LANG
def report(path: Path | None, out: Path, csv_out: Path | None, store: Path, by_activity: bool, idle_days: int,
           pseudonymise: bool, keep_days: int, forget: str | None, config_file: Path | None, lang: str) -> None:
    """Write the completion report (HTML and CSV) from the LRS's statements (definitions: docs/report.md)."""
    command = _command("report")
    if forget is not None:
        sys.exit(command.forget(forget, store=store, lang=lang))
    sys.exit(command.run(choose_catalogue(path, lang), out=out, csv_out=csv_out, config_file=config_file,
                         store=store, lang=lang, by_activity=by_activity, idle_days=idle_days, pseudonymise=pseudonymise,
                         keep_days=keep_days))


for command in (build.build, doctor.doctor, flyer.flyer, moodle_plugin.moodle_plugin, new.new, preview.preview,
                publish.publish, schema.schema, sync.sync, validate.validate):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="coursepack")
