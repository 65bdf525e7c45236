"""The build use case: one package per module, only for what changed.

No printing: the number of packages to build and each one done are told to a ``BuildEvents``
object; the CLI (``packager/cli/build.py``) shows them as a progress bar.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from packager.packaging.state import up_to_date
from packager.commands.locate import resolve_catalogue


class BuildEvents(Protocol):
    def building(self, packages: int) -> None: ...

    def built_one(self) -> None: ...


@dataclass(frozen=True)
class Built:
    built: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)


def build(path: Path, fmt: str, out: Path, events: BuildEvents, *, force: bool = False) -> Built:
    """Raises ``InvalidCatalogue``. An unchanged catalogue is seen without parsing a YAML file."""
    unchanged = None if force else up_to_date(resolve_catalogue(path)[0], fmt, out)
    if unchanged is not None:  # nothing changed since the last build: nothing to parse or write
        return Built([], unchanged)
    from packager.packaging.pipeline import build_catalogue  # the template engine and the model: only now
    from packager.commands.catalogue_input import load_valid_catalogue

    catalogue = load_valid_catalogue(path)
    units = list(catalogue.modules())
    events.building(len(units))
    result = build_catalogue(catalogue, fmt, out, force=force, units=units, on_module=lambda _unit: events.built_one())
    return Built(result.built, result.unchanged)
