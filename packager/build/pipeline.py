"""The build pipeline every format shares: check, decide what changed, build, write atomically.

A package is rebuilt only when one of its inputs changed: the module and its course's metadata,
the catalogue settings, its media, the templates, the tool version or the format. The digest of
those inputs is kept beside the packages, so an unchanged module costs one hash, not a zip.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from packager import __version__
from packager.build.activities import ACTIVITIES_FILE, catalogue_activities
from packager.build.builders import BUILDERS
from packager.build.content import media_files
from packager.model.catalogue import Catalogue, ModuleUnit
from packager.resources import templates_dir
from packager.utils.atomic import write_bytes_atomic, write_text_atomic
from packager.utils.detzip import deterministic_zip
from packager.utils.statefile import read_state, write_state

STATE_FILE = ".coursepack-build.json"


@dataclass
class BuildResult:
    built: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)


def memo_name(unit: ModuleUnit) -> str:
    """``messagerie.lire-ses-messages.fiche.html``: the module's fiche mémo, beside its packages."""
    return f"{unit.key.replace('/', '.')}.fiche.html"


def package_name(unit: ModuleUnit, fmt: str) -> str:
    """``messagerie.lire-ses-messages.scorm12.zip``: one file per module and format."""
    return f"{unit.key.replace('/', '.')}.{fmt}.zip"


def template_environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(templates_dir()),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@lru_cache(maxsize=1)
def _templates_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for file in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(file.relative_to(folder).as_posix().encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


def input_digest(catalogue: Catalogue, unit: ModuleUnit, fmt: str) -> str:
    digest = hashlib.sha256()
    course = unit.course.model_dump(mode="json", exclude={"modules", "pages"})
    settings = catalogue.settings.model_dump(mode="json") if catalogue.settings else None
    for part in (__version__, fmt, unit.key, unit.language, unit.completion.model_dump(mode="json"),
                 unit.module.model_dump(mode="json"), course, settings, _templates_digest(templates_dir())):
        digest.update(json.dumps(part, sort_keys=True, ensure_ascii=False).encode())
        digest.update(b"\0")
    for written in media_files(unit):
        digest.update(written.encode())
        digest.update(hashlib.sha256((catalogue.root / written).read_bytes()).digest())
    return digest.hexdigest()


def build_catalogue(
    catalogue: Catalogue,
    fmt: str,
    out: Path,
    *,
    force: bool = False,
    units: list[ModuleUnit] | None = None,
    on_module: Callable[[ModuleUnit], None] | None = None,
) -> BuildResult:
    """Build one zip per module into ``out``. The catalogue must have no errors."""
    assert not catalogue.errors, "build only a validated catalogue"
    builder = BUILDERS[fmt](catalogue, template_environment())
    out.mkdir(parents=True, exist_ok=True)
    state = dict(read_state(out / STATE_FILE).get("packages", {}))
    result = BuildResult()
    try:
        for unit in units if units is not None else list(catalogue.modules()):
            name = package_name(unit, fmt)
            target = out / name
            digest = input_digest(catalogue, unit, fmt)
            memo = out / memo_name(unit)
            if not force and state.get(name) == digest and target.is_file() and memo.is_file():
                result.unchanged.append(target)
            else:
                write_text_atomic(memo, builder.render_memo(unit))
                write_bytes_atomic(target, deterministic_zip(builder.package(unit)))
                state[name] = digest
                result.built.append(target)
            if on_module is not None:
                on_module(unit)
    finally:  # what was built before a failure stays known as built
        if result.built:
            write_state(out / STATE_FILE, {"packages": state})
    definitions = json.dumps(catalogue_activities(catalogue), ensure_ascii=False, indent=1) + "\n"
    write_text_atomic(out / ACTIVITIES_FILE, definitions)
    return result
