"""Media files: inside the catalogue, present, of a kind every phone browser can show.

A path that leaves the catalogue (``..``, absolute, a symlink pointing out) is refused: the
package would either miss the file or carry something from the mediator's own disk.
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath, PureWindowsPath
from collections.abc import Callable, Iterator

from packager.model.catalogue import Catalogue, ModuleUnit
from packager.model.checks import walk
from packager.model.problems import Problem, Severity
from packager.model.schema_errors import suggest
from packager.model.format import Images
from packager.utils.inside import contained
from packager.utils.shrink import packaged_size

EXTENSIONS: dict[str, tuple[str, ...]] = {
    "image": (".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp"),
    "video": (".mp4", ".webm"),
    "captions": (".vtt",),
    "download": (".pdf", ".odt", ".ods", ".odp", ".docx", ".xlsx", ".pptx", ".txt", ".csv", ".png", ".jpg", ".jpeg", ".svg"),
}
#: A text may link to any file a block could show or offer (a page of its own, ``.html``, could
#: run its own scripts inside the LMS: it is not one).
EXTENSIONS["link"] = tuple(sorted({ext for kinds in EXTENSIONS.values() for ext in kinds}))
#: Above this, a module is slow to open on a phone on a mobile network.
HEAVY_MODULE_MB = 25
#: What an agent on 4G at the edge of the network (about 2 Mbit/s) waits for: 2 s for one image,
#: 8 s for all the images of a module. Weighed as packaged, after ``build`` shrank them.
HEAVY_IMAGE_KB = 500
HEAVY_IMAGES_KB = 2048
DEFAULT_WIDTH = Images.model_fields["max_width"].default
_REMOTE = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def resolve_media(root: Path, written: str) -> tuple[Path | None, str | None]:
    """(file inside the catalogue, or None with the problem code saying why not)."""
    if _REMOTE.match(written):
        return None, "media.remote"
    if PurePosixPath(written).is_absolute() or PureWindowsPath(written).is_absolute() or PureWindowsPath(written).drive:
        return None, "media.absolute"
    if "\x00" in written:
        return None, "media.missing"
    if ".." in PurePosixPath(written.replace("\\", "/")).parts:
        return None, "media.outside"
    real = contained(root, written)
    if real is None:
        return None, "media.outside"
    if not real.is_file():
        return None, "media.missing"
    return real, None


def catalogue_files(root: Path) -> list[str]:
    """Every file of the catalogue (catalogue-relative, hidden folders skipped), for "did you mean"."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        base = Path(folder).relative_to(root)
        found += [(base / name).as_posix() for name in sorted(files) if not name.startswith(".")]
    return found


def _check_unit(catalogue: Catalogue, unit: ModuleUnit, files: Callable[[], list[str]]) -> Iterator[Problem]:
    total = 0
    counted: set[Path] = set()
    images = 0
    weighed: set[Path] = set()
    shown = walk.shown_images(unit)
    for path, written, kind, offset in walk.media(unit):
        params: dict[str, str | None] = {"path": written, "name": PurePosixPath(written.replace("\\", "/")).name, "kind": kind}
        first = unit.doc.source.block_content.get(path) if offset is not None else None
        line = first + offset if first is not None and offset is not None else None
        file, code = resolve_media(catalogue.root, written)
        if code == "media.missing":
            params["suggestion"] = suggest(written, files())
        if code is not None:
            yield unit.doc.problem(path, code, params, line=line)
            continue
        assert file is not None
        if file.suffix.lower() not in EXTENSIONS[kind]:
            yield unit.doc.problem(path, "media.kind", {**params, "expected": ", ".join(EXTENSIONS[kind])}, line=line)
            continue
        if kind == "captions" and not file.read_bytes()[:16].lstrip(b"\xef\xbb\xbf").startswith(b"WEBVTT"):
            yield unit.doc.problem(path, "media.captions_format", params)
        if file not in counted:
            counted.add(file)
            total += file.stat().st_size
        if kind == "image" and file not in weighed:
            weighed.add(file)
            weight = packaged_size(file, catalogue.shrink_width if written in shown else None)
            images += weight
            if weight > HEAVY_IMAGE_KB * 1024:
                yield unit.doc.problem(path, "media.image_heavy", {**params, "size": round(weight / 1024), "limit": HEAVY_IMAGE_KB,
                                                                  "width": (catalogue.shrink_width or DEFAULT_WIDTH)}, Severity.WARNING)
    where = unit.path + ("id",) if unit.path else ("id",)
    if images > HEAVY_IMAGES_KB * 1024:
        yield unit.doc.problem(where, "media.images_heavy", {"size": round(images / 1024), "limit": HEAVY_IMAGES_KB}, Severity.WARNING)
    if total > HEAVY_MODULE_MB * 1024 * 1024:
        size = f"{total / 1024 / 1024:.0f}"
        yield unit.doc.problem(unit.path + ("id",) if unit.path else ("id",), "media.heavy", {"size": size, "limit": HEAVY_MODULE_MB}, Severity.WARNING)


def check(catalogue: Catalogue) -> Iterator[Problem]:
    listed: list[list[str]] = []

    def files() -> list[str]:  # listed once, and only when a file is missing
        if not listed:
            listed.append(catalogue_files(catalogue.root))
        return listed[0]

    for unit in catalogue.modules():
        yield from _check_unit(catalogue, unit, files)
