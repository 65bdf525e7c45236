"""Images for phones: a warning when an image or a module's images are heavy for an agent on
4G (weighed as packaged), and screenshots shrunk by ``build`` to the player's width, the same
bytes every build, the source file untouched."""

from __future__ import annotations

import io
import random
import re
import sys
import zipfile
from pathlib import Path

from click.testing import CliRunner
from PIL import Image

from conftest import REPO, SETTINGS, TOOL, validate
from packager.packaging.pipeline import InputDigests, build_catalogue, builder_for
from packager.cli import cli

sys.path.insert(0, str(REPO / "bench"))
from image_bench import screenshot_png

NO_SHRINK = SETTINGS + "images:\n  shrink: false\n"


def noise_png(width: int, height: int, seed: int = 1) -> bytes:
    """A PNG that does not compress: its weight is about 3 bytes a pixel."""
    image = Image.frombytes("RGB", (width, height), random.Random(seed).randbytes(width * height * 3))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _with_images(*names: str) -> str:
    blocks = "".join(f"          - image: {{src: media/{name}, alt: Le bouton Envoyer en bas à droite}}\n" for name in names)
    return TOOL + blocks


def test_a_heavy_image_is_a_warning_with_the_fix_and_strict_fails(catalogue_dir) -> None:
    root = catalogue_dir({"outil.yml": _with_images("capture.png"), "media/capture.png": noise_png(700, 700)}, settings=NO_SHRINK)
    warnings = validate(root).warnings
    assert [(p.code, p.position.line) for p in warnings] == [("media.image_heavy", 15)]
    what, fix = warnings[0].text("fr")
    assert "capture.png" in what and "Ko" in what and "1472 px" in fix
    assert CliRunner().invoke(cli, ["validate", str(root), "--strict"]).exit_code == 1


def test_heavy_images_together_are_a_module_warning(catalogue_dir) -> None:
    files = {f"media/c{i}.png": noise_png(380, 380, seed=i) for i in range(5)}  # about 430 Ko each
    root = catalogue_dir({"outil.yml": _with_images(*(f"c{i}.png" for i in range(5))), **files}, settings=NO_SHRINK)
    assert [(p.code, p.position.line) for p in validate(root).warnings] == [("media.images_heavy", 8)]


def test_a_gif_cannot_be_shrunk_so_it_warns_even_when_shrinking(catalogue_dir) -> None:
    image = Image.frombytes("L", (900, 900), random.Random(3).randbytes(900 * 900))
    out = io.BytesIO()
    image.save(out, "GIF")
    root = catalogue_dir({"outil.yml": _with_images("anim.gif"), "media/anim.gif": out.getvalue()})
    assert [p.code for p in validate(root).warnings] == ["media.image_heavy"]


def test_build_shrinks_a_screenshot_deterministically_and_keeps_the_source(catalogue_dir, tmp_path: Path) -> None:
    source = screenshot_png(photo=0)
    root = catalogue_dir({"outil.yml": _with_images("capture.png") + "          - download: {src: media/plan.png, label: Le plan}\n",
                          "media/capture.png": source, "media/plan.png": source})
    catalogue = validate(root)
    assert catalogue.problems == []  # heavy as written, light as packaged: nothing to say
    build_catalogue(catalogue, "scorm12", tmp_path / "a")
    build_catalogue(catalogue, "scorm12", tmp_path / "b", force=True)
    first = (tmp_path / "a" / "outil.module-a.scorm12.zip").read_bytes()
    assert first == (tmp_path / "b" / "outil.module-a.scorm12.zip").read_bytes()
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        shrunk = package.read("media/capture.png")
        downloaded = package.read("media/plan.png")
        page = package.read("index.html").decode()
    assert (root / "media" / "capture.png").read_bytes() == source
    assert downloaded == source  # offered for download as well: the agent gets every pixel
    assert len(shrunk) < len(source) / 3 and Image.open(io.BytesIO(shrunk)).size == (1472, 920)
    assert re.search(r'<img src="media/capture.png"[^>]* width="1472" height="920"', page)


def test_shrink_settings_are_inputs_of_the_package(catalogue_dir) -> None:
    root = catalogue_dir({"outil.yml": _with_images("capture.png"), "media/capture.png": noise_png(100, 100)})
    digests = set()
    for settings in (SETTINGS, NO_SHRINK, SETTINGS + "images:\n  max_width: 1024\n"):
        (root / "catalogue.yml").write_text(settings, encoding="utf-8")
        catalogue = validate(root)
        digests.add(InputDigests(builder_for(catalogue, "scorm12")).of(next(catalogue.modules())))
    assert len(digests) == 3


def test_a_width_too_small_for_a_phone_is_refused(catalogue_dir) -> None:
    root = catalogue_dir({"outil.yml": TOOL}, settings=SETTINGS + "images:\n  max_width: 100\n")
    assert [(p.code, p.position.line) for p in validate(root).errors] == [("value.range", 7)]
