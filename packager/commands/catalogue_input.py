"""How every command gets a valid catalogue: validated, or refused with its problems."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from packager.commands.errors import InvalidCatalogue
from packager.commands.locate import resolve_catalogue

if TYPE_CHECKING:
    from packager.model.catalogue import Catalogue


def load_valid_catalogue(path: Path) -> Catalogue:
    """The catalogue holding ``path``; ``InvalidCatalogue`` (with its errors) when it has any."""
    from packager.model.checks import validate_catalogue  # pydantic and the checks: only now

    catalogue = validate_catalogue(resolve_catalogue(path)[0])
    if catalogue.errors:
        raise InvalidCatalogue(catalogue.errors)
    return catalogue
