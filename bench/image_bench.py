"""Image figures: each module's package weight before and after ``build`` shrinks its images.

The embedded catalogue's screenshots are SVG drawings; a mediator saves PNG screenshots. So the
catalogue is copied, each SVG replaced by a PNG screenshot as a 15-inch laptop saves it
(2880 × 1800: interface areas, text lines, a photo), and built twice in SCORM 1.2:
``images: {shrink: false}`` (the files as saved), then the default (shrunk to 1472 px).
Prints KB per module, the total and the build times (never asserted by tests).
Run: .venv/bin/python bench/image_bench.py
"""

from __future__ import annotations

import io
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from packager.packaging.pipeline import build_catalogue, package_name  # noqa: E402
from packager.model.checks import validate_catalogue  # noqa: E402
from packager.resources import embedded_catalogue  # noqa: E402
from packager.utils.shrink import _shrunk_file  # noqa: E402


def screenshot_png(width: int = 2880, height: int = 1800, seed: int = 2, band: int = 120, photo: int = 900) -> bytes:
    """A screenshot-like PNG: flat areas, short coloured bars like text, a band of noise and a
    photo (smooth colours and grain: a map, a picture in a message)."""
    rng = random.Random(seed)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, 90), fill=(31, 78, 140))
    for _ in range(400):
        x, y = rng.randrange(width - 200), rng.randrange(height - 30)
        draw.rectangle((x, y, x + rng.randrange(40, 200), y + rng.randrange(4, 30)), fill=tuple(rng.randrange(256) for _ in range(3)))
    for line in range(60):
        y = 300 + line * 24
        for x in range(60, width - 400, 14):
            if rng.random() < 0.8:
                draw.rectangle((x, y, x + 9, y + 12), fill=(40, 40, 40))
    image.paste(Image.frombytes("RGB", (width, band), rng.randbytes(width * band * 3)), (0, 100))
    if photo:
        coarse = Image.frombytes("RGB", (24, 12), rng.randbytes(24 * 12 * 3)).resize((photo * 2, photo), Image.Resampling.BICUBIC)
        grain = Image.frombytes("L", coarse.size, bytes(rng.randrange(96, 160) for _ in range(coarse.width * coarse.height)))
        image.paste(Image.blend(coarse, Image.merge("RGB", (grain, grain, grain)), 0.15), (width - photo * 2 - 60, height - photo - 60))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def screenshot_catalogue(root: Path) -> int:
    """The embedded catalogue with PNG screenshots instead of its SVG drawings; their count."""
    shutil.copytree(embedded_catalogue(), root, ignore=shutil.ignore_patterns("_schemas"))
    svgs = sorted((root / "media").rglob("*.svg"))
    for index, svg in enumerate(svgs):
        svg.with_suffix(".png").write_bytes(screenshot_png(seed=index))
        svg.unlink()
    for course in (root / "outils").glob("*.yml"):
        course.write_text(course.read_text(encoding="utf-8").replace(".svg", ".png"), encoding="utf-8")
    return len(svgs)


def weights(root: Path, out: Path, shrink: bool) -> tuple[dict[str, int], float]:
    settings = root / "catalogue.yml"
    text = settings.read_text(encoding="utf-8").split("\nimages:", 1)[0].rstrip("\n") + "\n"
    settings.write_text(text + f"images:\n  shrink: {'true' if shrink else 'false'}\n", encoding="utf-8")
    catalogue = validate_catalogue(root)
    assert not catalogue.errors, catalogue.errors
    _shrunk_file.cache_clear()  # validate weighed the shrunk images: the build does the work again
    start = time.perf_counter()
    build_catalogue(catalogue, "scorm12", out, force=True)
    seconds = time.perf_counter() - start
    return {unit.key: (out / package_name(unit, "scorm12")).stat().st_size for unit in catalogue.modules()}, seconds


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "courses"
        count = screenshot_catalogue(root)
        saved = sum(p.stat().st_size for p in (root / "media").rglob("*.png"))
        before, slow = weights(root, Path(tmp) / "before", shrink=False)
        after, fast = weights(root, Path(tmp) / "after", shrink=True)
    print(f"{count} screenshots of 2880 x 1800 px, {saved / 1024:.0f} KB as saved")
    print(f"{'module':<48} {'before KB':>10} {'after KB':>10}")
    for key in before:
        if before[key] != after[key]:
            print(f"{key:<48} {before[key] / 1024:>10.0f} {after[key] / 1024:>10.0f}")
    print(f"{'all ' + str(len(before)) + ' packages':<48} {sum(before.values()) / 1024:>10.0f} {sum(after.values()) / 1024:>10.0f}")
    print(f"build: {slow:.1f} s as saved, {fast:.1f} s shrinking")


if __name__ == "__main__":
    main()
