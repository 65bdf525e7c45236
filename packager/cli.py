"""The ``coursepack`` command line: argument parsing only; the work is in ``packager.commands``."""

from __future__ import annotations

import errno
import importlib
import sys
from pathlib import Path
from typing import Any

import click

from packager import __version__
from packager.build.formats import DEFAULT_FORMAT, FORMATS
from packager.commands import help_texts
from packager.commands.file_errors import describe as describe_file_error
from packager.commands.locate import choose_catalogue
from packager.commands.defaults import DEFAULT_KEEP_DAYS, DEFAULT_STATE, DEFAULT_STORE
from packager.commands.schema import SCHEMAS
from packager.sync.limits import DEFAULT_BATCH

_PATH = click.Path(path_type=Path)


def _command(name: str) -> Any:
    """A command's module, imported when that command runs: start-up stays short (doctor pulls in
    requests, sync pulls in tincan; validate needs neither)."""
    return importlib.import_module(f"packager.commands.{name}")


def _remember_lang(ctx: click.Context, _param: click.Parameter, value: str) -> str:
    ctx.meta["coursepack.lang"] = value  # shared by the whole context chain, for error messages
    return value


_LANG = click.option(
    "--lang",
    type=click.Choice(["fr", "en"]),
    default="fr",
    show_default=True,
    callback=_remember_lang,
    help="Language of the messages.",
)


class _Group(click.Group):
    """Help in French unless ``--lang en``; a failed read or write (full disk, read-only folder)
    becomes one line and exit code 2."""

    def main(self, args: list[str] | None = None, *rest: Any, **extra: Any) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        help_texts.apply(self, help_texts.requested_language(argv))
        return super().main(help_texts.without_lang_for_help(argv), *rest, **extra)

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
@click.argument("path", type=_PATH, required=False)
@_LANG
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def validate(path: Path | None, lang: str, strict: bool) -> None:
    """Check the catalogue (default: the one you stand in) and report every problem."""
    sys.exit(_command("validate").run(choose_catalogue(path, lang), lang=lang, strict=strict))


@cli.command()
@click.argument("path", type=_PATH, required=False)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=DEFAULT_FORMAT, show_default=True, help="Package format.")
@click.option("--out", type=_PATH, default=Path("dist"), show_default=True, help="Folder for the packages.")
@click.option("--force", is_flag=True, help="Rebuild every package, changed or not.")
@_LANG
def build(path: Path | None, fmt: str, out: Path, force: bool, lang: str) -> None:
    """Build one package (zip) per module of the catalogue."""
    sys.exit(_command("build").run(choose_catalogue(path, lang), fmt, out, force=force, lang=lang))


_MOODLE_URL = click.option("--moodle-url", default=None, help="Moodle address (default: MOODLE_URL or the config file).")
_CONFIG = click.option("--config", "config_file", type=_PATH, default=None,
                       help="Config file (default: COURSEPACK_CONFIG or ~/.config/coursepack/config.toml).")


@cli.command()
@click.argument("path", type=_PATH, required=False)
@_MOODLE_URL
@_CONFIG
@click.option("--out", type=_PATH, default=Path("dist"), show_default=True, help="Folder for the SCORM 1.2 packages.")
@click.option("--dry-run", is_flag=True, help="Print the plan and change nothing.")
@click.option("--wait", "wait", type=click.IntRange(min=0), default=600, show_default=True, metavar="SECONDS",
              help="How long to wait for another publish of the catalogue to finish.")
@_LANG
def publish(path: Path | None, moodle_url: str | None, config_file: Path | None, out: Path, dry_run: bool, wait: int,
            lang: str) -> None:
    """Publish the catalogue to Moodle: categories, courses and SCORM activities.

    The token comes from the MOODLE_TOKEN environment variable or the config file, never from
    the command line."""
    sys.exit(_command("publish").run(choose_catalogue(path, lang), moodle_url=moodle_url, config_file=config_file,
                                 out=out, dry_run=dry_run, wait=wait, lang=lang))


@cli.command()
@click.argument("path", type=_PATH, required=False)
@_MOODLE_URL
@_CONFIG
@click.option("--out", type=_PATH, default=Path("dist"), show_default=True, help="Folder for the SCORM 1.2 packages.")
@_LANG
def doctor(path: Path | None, moodle_url: str | None, config_file: Path | None, out: Path, lang: str) -> None:
    """Check that Moodle and the LRS are ready, one line per check with the fix."""
    sys.exit(_command("doctor").run(choose_catalogue(path, lang), moodle_url=moodle_url, config_file=config_file,
                                out=out, lang=lang))


@cli.command()
@click.argument("path", type=_PATH, required=False)
@_MOODLE_URL
@_CONFIG
@click.option("--state", type=_PATH, default=DEFAULT_STATE, show_default=True,
              help="Where the sync state (cursor, actor form, statements set aside) is kept.")
@click.option("--batch-size", type=click.IntRange(1, 1000), default=DEFAULT_BATCH, show_default=True,
              help="Statements per request.")
@click.option("--actor", "actor_name", type=click.Choice(["username", "idnumber"]), default="username", show_default=True,
              help="Which Moodle field names the learner in the LRS.")
@click.option("--email", is_flag=True, help="Identify learners by e-mail address instead (only if the authority asks).")
@click.option("--dry-run", is_flag=True, help="Print the statements and send nothing.")
@click.option("--reset", is_flag=True, help="Start again from the first result (needed to change --actor/--email).")
@click.option("--retry-set-aside", "retry", is_flag=True, help="Send again the statements the LRS refused earlier.")
@_LANG
def sync(path: Path | None, moodle_url: str | None, config_file: Path | None, state: Path, batch_size: int,
         actor_name: str, email: bool, dry_run: bool, reset: bool, retry: bool, lang: str) -> None:
    """Send learners' results from Moodle to the LRS as xAPI statements.

    LRS address and credentials come from LRS_ENDPOINT, LRS_USERNAME, LRS_PASSWORD or the config file."""
    sys.exit(_command("sync").run(choose_catalogue(path, lang), moodle_url=moodle_url, config_file=config_file, state=state,
                                  batch_size=batch_size, dry_run=dry_run, actor_name=actor_name, email=email, lang=lang,
                                  reset=reset, retry=retry))


@cli.command()
@click.argument("path", type=_PATH, required=False)
@click.option("--out", type=_PATH, default=Path("report.html"), show_default=True, help="The HTML report to write.")
@click.option("--csv", "csv_out", type=_PATH, default=None, help="The CSV export (default: beside the HTML, .csv).")
@click.option("--store", type=_PATH, default=DEFAULT_STORE, show_default=True,
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
@click.option("--state", type=_PATH, default=DEFAULT_STATE, show_default=True,
              help="The sync state: how the configured Moodle's learners are named in the LRS (for their contacts).")
@_CONFIG
@_LANG
def report(path: Path | None, out: Path, csv_out: Path | None, store: Path, by_activity: bool, idle_days: int,
           pseudonymise: bool, keep_days: int, forget: str | None, state: Path, config_file: Path | None, lang: str) -> None:
    """Write the completion report (HTML and CSV) from the LRS's statements (definitions: docs/report.md)."""
    command = _command("report")
    if forget is not None:
        sys.exit(command.forget(forget, store=store, lang=lang))
    sys.exit(command.run(choose_catalogue(path, lang), out=out, csv_out=csv_out, config_file=config_file,
                         store=store, lang=lang, by_activity=by_activity, idle_days=idle_days, pseudonymise=pseudonymise,
                         keep_days=keep_days, state=state))


@cli.command()
@click.argument("path", type=_PATH, required=False)
@click.option("--job", default=None, help="Only this job path (default: every one).")
@click.option("--out", type=_PATH, default=Path("flyers"), show_default=True, help="Folder for the flyers (HTML and PDF).")
@click.option("--size", type=click.Choice(["A4", "A5"]), default="A4", show_default=True, help="Paper size.")
@click.option("--published", type=_PATH, default=Path("dist"), show_default=True,
              help="The folder publish wrote to: its moodle-courses.json gives each course's address.")
@_LANG
def flyer(path: Path | None, job: str | None, out: Path, size: str, published: Path, lang: str) -> None:
    """Write a paper flyer per job path (HTML print-ready and PDF): what it teaches, how long, QR codes to start and to book help."""
    sys.exit(_command("flyer").run(choose_catalogue(path, lang), job=job, out=out, published=published, size=size, lang=lang))


@cli.command()
@click.argument("path", type=_PATH, required=False)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port on 127.0.0.1.")
@_LANG
def preview(path: Path | None, port: int, lang: str) -> None:
    """Preview the catalogue in a browser; each module plays in an LMS simulator."""
    sys.exit(_command("preview").run(choose_catalogue(path, lang), port, lang))


@cli.command("moodle-plugin")
@click.option("--out", type=_PATH, default=Path("dist"), show_default=True, help="Folder for the plugin zip.")
def moodle_plugin(out: Path) -> None:
    """Build the companion Moodle plugin's installable zip (local_coursepack.zip)."""
    sys.exit(_command("moodle_plugin").run(out))


@cli.command()
@click.argument("kind", type=click.Choice(["tool", "job"]))
@click.argument("course_id", metavar="ID")
@click.option("--catalogue", "catalogue_path", type=_PATH, default=None, help="Catalogue folder (default: the one you stand in, else the embedded one).")
@_LANG
def new(kind: str, course_id: str, catalogue_path: Path | None, lang: str) -> None:
    """Write a commented, valid starting file for a tool course or a job path."""
    sys.exit(_command("new").run(kind, course_id, choose_catalogue(catalogue_path, lang), lang=lang))


@cli.command()
@click.option("--kind", type=click.Choice(SCHEMAS), default="course", show_default=True, help="Course files or catalogue.yml.")
@click.option("--out", type=_PATH, default=None, help="File to write (default: standard output).")
def schema(kind: str, out: Path | None) -> None:
    """Write the JSON Schema of the course format, for editors."""
    sys.exit(_command("schema").run(kind, out))


def main() -> None:
    cli(prog_name="coursepack")
