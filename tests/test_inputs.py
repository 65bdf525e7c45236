"""Each builder declares what its packages are made from (``Player.inputs``), and the pipeline
hashes only that to skip unchanged packages: a file read but not declared would leave stale
packages when it changes. Here every format (and the preview's player) builds every module of
the catalogue with each ``open`` recorded by an audit hook, every cache of the build emptied
first; a file of ``templates/`` or of the catalogue read and not declared fails the test."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from collections.abc import Iterator

import pytest

from conftest import COURSES
from packager.packaging import pipeline, runtime
from packager.packaging.builders.player import Player
from packager.packaging.content import ui_strings
from packager.packaging.formats import FORMATS
from packager.packaging.pipeline import InputDigests, builder_for, template_environment
from packager.model.catalogue import Catalogue
from packager.model.checks import validate_catalogue
from packager.preview.player import PreviewPlayer
from packager.resources import templates_dir
from packager.utils import shrink

_RECORDING: list[list[str]] = []


def _hook(event: str, args: tuple) -> None:
    if _RECORDING and event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        _RECORDING[-1].append(os.path.realpath(os.fsdecode(args[0])))


sys.addaudithook(_hook)  # audit hooks cannot be removed: this one records only inside ``opened``


@contextlib.contextmanager
def opened() -> Iterator[list[str]]:
    """Every file opened meanwhile (by any thread), as a real path."""
    _RECORDING.append([])
    try:
        yield _RECORDING[-1]
    finally:
        _RECORDING.pop()


def _forget_what_was_read() -> None:
    """What the build keeps between packages, so that each file is read again under the hook."""
    for cached in (ui_strings, runtime._joined, runtime._minified_css, pipeline._file_digest, shrink._shrunk_file):
        cached.cache_clear()


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    found = validate_catalogue(COURSES)
    assert found.errors == [] and found.shrink_width is not None  # shrunk images: their recipe is an input
    return found


def player(catalogue: Catalogue, kind: str) -> Player:
    return PreviewPlayer(catalogue, template_environment()) if kind == "preview" else builder_for(catalogue, kind)


def undeclared(made: Player, catalogue: Catalogue) -> set[str]:
    """Files of ``templates/`` or of the catalogue the player read for its packages and did not declare."""
    _forget_what_was_read()
    with opened() as read:
        for unit in catalogue.modules():
            made.package(unit)
            made.render_memo(unit)
    declared: set[str] = set()
    for unit in catalogue.modules():
        inputs = made.inputs(unit)
        declared |= {os.path.realpath(templates_dir() / name) for name in inputs.templates}
        declared |= {os.path.realpath(real) for real in map(made.file_inside, inputs.media) if real is not None}
    watched = [os.path.realpath(folder) + os.sep for folder in (templates_dir(), catalogue.root)]
    return {path for path in read if path.startswith(tuple(watched)) and path not in declared}


@pytest.mark.parametrize("kind", [*FORMATS, "preview"])
def test_a_player_reads_only_what_it_declares(catalogue: Catalogue, kind: str) -> None:
    made = player(catalogue, kind)
    assert undeclared(made, catalogue) == set()
    unit = next(catalogue.modules())
    assert all((templates_dir() / name).is_file() for name in made.inputs(unit).templates)


def test_a_file_read_and_not_declared_is_found(catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch) -> None:
    """The audit itself: a builder that forgets its manifest's template is caught."""
    made = builder_for(catalogue, "scorm12")
    monkeypatch.setattr(type(made), "template_names", lambda self: Player.template_names(self))
    assert undeclared(made, catalogue) == {os.path.realpath(templates_dir() / "manifests" / "scorm12.xml.j2")}


def test_what_is_declared_is_what_is_hashed(catalogue: Catalogue, own_templates: Path) -> None:
    """The words of the module's language change the digest; a template no package reads does not."""
    templates = own_templates
    unit = next(catalogue.modules())
    before = InputDigests(builder_for(catalogue, "scorm12")).of(unit)
    words = templates / "player" / "i18n" / "fr.json"
    words.write_text(words.read_text(encoding="utf-8").replace("Page suivante", "Continuer", 1), encoding="utf-8")
    assert InputDigests(builder_for(catalogue, "scorm12")).of(unit) != before
    (templates / "preview" / "index.html.j2").write_text("autre", encoding="utf-8")  # not read by a package
    words.write_text(words.read_text(encoding="utf-8").replace("Continuer", "Page suivante", 1), encoding="utf-8")
    assert InputDigests(builder_for(catalogue, "scorm12")).of(unit) == before
