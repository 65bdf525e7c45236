"""The faults every command words alike: an unreadable configuration, a catalogue with errors,
a use case's ``Stop``, Moodle refusing or not answering. One line each (the catalogue's problems
first), and the exit code: 2 for what the mediator must give (configuration), 1 otherwise."""

from __future__ import annotations

from typing import Any
from collections.abc import Callable

import click

from packager.cli.problems import echo_problems


def worded(params: dict[str, Any], lang: str) -> dict[str, Any]:
    """A stop's parameters with the server's ``reason`` and ``detail`` in ``lang`` (a detail, a
    server's own words, cut at 200 characters)."""
    from packager.utils.reasons import in_language

    found = dict(params)
    if "reason" in found:
        found["reason"] = in_language(found["reason"], lang)
    if "detail" in found:
        found["detail"] = in_language(found["detail"], lang)[:200]
    return found


def failures() -> tuple[type[BaseException], ...]:
    """What ``explain_failure`` words; imported only once a command runs (start-up stays short)."""
    from packager.commands.errors import InvalidCatalogue, Stop
    from packager.commands.runtime_config import ConfigError
    from packager.moodle.errors import MoodleError, MoodleUnreachable
    from packager.moodle.explain import PackageTooBig

    return (Stop, InvalidCatalogue, ConfigError, MoodleError, MoodleUnreachable, PackageTooBig)


def explain_failure(exc: BaseException, lang: str, refused: str,
                    stopped: Callable[[str, dict[str, Any]], list[str]]) -> int:
    """Print one of ``failures()`` and give the exit code. ``refused``: the command's line under a
    catalogue's errors; ``stopped``: the command's words for a ``Stop`` reason."""
    from packager.commands import runtime_config
    from packager.commands.errors import InvalidCatalogue, Stop
    from packager.moodle.explain import explain

    if isinstance(exc, runtime_config.ConfigError):
        click.echo(exc.message(lang), err=True)
        return 2
    if isinstance(exc, InvalidCatalogue):
        echo_problems(exc.problems, lang)
        click.echo(refused, err=True)
        return 1
    if isinstance(exc, Stop):
        for line in stopped(exc.reason, exc.params):
            click.echo(line, err=True)
        return exc.exit_code
    click.echo(explain(exc, lang), err=True)  # type: ignore[arg-type]
    return 1
