"""The ``coursepack`` command line: parsing and printing; the use cases are in ``packager.commands``.

Each command lives in a module of this package (``publish.py``…): its options, its words in French
and English, and what it prints; this module holds the group (French help, a failed read or write
as one line) and registers them."""

from __future__ import annotations

import errno
import sys
from collections.abc import Sequence
from typing import Any

import click

from packager import __version__
from packager.cli import build, doctor, flyer, help_texts, moodle_plugin, new, preview, publish, report, schema, sync, validate
from packager.utils.file_errors import describe as describe_file_error


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


for command in (build.build, doctor.doctor, flyer.flyer, moodle_plugin.moodle_plugin, new.new, preview.preview,
                publish.publish, report.report, schema.schema, sync.sync, validate.validate):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="coursepack")
