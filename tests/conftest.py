"""Shared helpers: small catalogues written to a temporary folder, validated for real."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import textwrap
from pathlib import Path
from collections.abc import Callable

import pytest

from packager.model.catalogue import Catalogue
from packager.model.checks import validate_catalogue

#: the validation cache of the tests' catalogues, away from the user's own (~/.cache/coursepack)
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="coursepack-test-cache-")
atexit.register(shutil.rmtree, os.environ["XDG_CACHE_HOME"], ignore_errors=True)

REPO = Path(__file__).resolve().parent.parent
COURSES = REPO / "courses"

SETTINGS = """\
site_name: Catalogue de test
base_iri: https://formation.example.org/xapi/
contact:
  name: Médiation numérique
  email: mediation@example.org
"""

#: A valid tool course whose lines the rule tests refer to; keep line numbers stable.
TOOL = """\
kind: tool
id: outil
title: Un outil
summary: Résumé.
duration_minutes: 10
audience: Tous
modules:
  - id: module-a
    title: Module A
    pages:
      - id: page-1
        title: Page 1
        blocks:
          - text: Bonjour.
"""


def plain(text: str | None) -> str:
    """Text as a reader sees it: French pages use non-breaking spaces before « : ? % » and inside « »."""
    return (text or "").replace("\u00a0", " ").replace("\u202f", " ")


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


@pytest.fixture
def catalogue_dir(tmp_path: Path) -> Callable[..., Path]:
    """Write ``catalogue.yml`` (unless given) and the given files; return the root."""

    def make(files: dict[str, str | bytes], settings: str | None = SETTINGS) -> Path:
        root = tmp_path / "cat"
        root.mkdir(exist_ok=True)
        if settings is not None:
            (root / "catalogue.yml").write_text(settings, encoding="utf-8")
        for name, content in files.items():
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(dedent(content), encoding="utf-8")
        return root

    return make


@pytest.fixture
def own_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of ``templates/`` the tool uses instead of its own for the test, to be edited."""
    from packager import resources

    templates = tmp_path / "templates"
    shutil.copytree(resources.templates_dir(), templates)
    shipped = resources._shipped
    monkeypatch.setattr(resources, "_shipped", lambda name, inside=None: templates if name == "templates" else shipped(name, inside))
    return templates


@pytest.fixture(scope="session")
def courses_dist(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """The embedded catalogue built once per format for the whole session: ``courses_dist(fmt)``
    is the folder of its packages, to be read only (a test that rebuilds or edits makes its own)."""
    from packager.packaging.pipeline import build_catalogue

    built: dict[str, Path] = {}

    def dist(fmt: str) -> Path:
        if fmt not in built:
            out = tmp_path_factory.mktemp(f"courses-{fmt}")
            build_catalogue(validate_catalogue(COURSES), fmt, out)
            built[fmt] = out
        return built[fmt]

    return dist


def problems_of(catalogue: Catalogue) -> list[tuple[str, int, str]]:
    """(file name, line, code) of every problem, in report order."""
    return [(p.file.name, p.position.line, p.code) for p in catalogue.problems]


def validate(root: Path) -> Catalogue:
    return validate_catalogue(root)


from browser_support import browser  # noqa: E402,F401  - the session's Chromium, for browser tests
