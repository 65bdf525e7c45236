"""Screenshots made light enough for a phone on 4G: resized to the width the player can show
and compressed again (a PNG of thousands of colours to a palette of 256, as pngquant does: text
and interface stay sharp), the source file left as the mediator saved it.

Deterministic: the same image and settings give the same bytes on every build (Pillow writes no
date or random value in PNG, JPEG or WebP), so an unchanged module keeps its package's SHA-1 and
is not uploaded again. Pillow is imported only when an image has to be shrunk.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from packager.utils.imagesize import image_size

#: what an image is shrunk by: any change here changes the packages (see ``recipe``)
RECIPE = "shrink-2: lanczos to max width; png 256 colours fastoctree floyd-steinberg, optimize; jpeg q82 optimize; webp q80 m6"
#: Below this weight, an image as wide as the player or narrower is packaged as it is.
SHRINK_FROM = 200 * 1024
SHRINKABLE = (".png", ".jpg", ".jpeg", ".webp")


@lru_cache(maxsize=1)
def recipe() -> str:
    """What the packages depend on when images are shrunk: this recipe and Pillow's version
    (``PIL/__init__`` holds only the version: cheap to import before anything is built)."""
    import PIL

    return f"{RECIPE}; pillow {PIL.__version__}"


def wanted(path: Path, width: int | None, max_width: int) -> bool:
    """Whether shrinking may help: a PNG, JPEG or WebP wider than the player or heavy."""
    if path.suffix.lower() not in SHRINKABLE:
        return False
    return (width is not None and width > max_width) or path.stat().st_size > SHRINK_FROM


def shrink(data: bytes, max_width: int) -> bytes:
    """The image at ``max_width`` pixels wide at most, compressed again; ``data`` itself when
    that is not lighter (or when Pillow cannot read it: the page shows what the mediator gave)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as opened:
            kind = opened.format
            if kind not in ("PNG", "JPEG", "WEBP") or getattr(opened, "is_animated", False):
                return data
            image = ImageOps.exif_transpose(opened)  # a phone photo upright, its EXIF dropped
            if image.width > max_width:
                height = max(1, round(image.height * max_width / image.width))
                if image.mode not in ("RGB", "RGBA", "L", "LA"):
                    image = image.convert("RGBA" if "transparency" in image.info or image.mode in ("P", "PA") else "RGB")
                image = image.resize((max_width, height), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            if kind == "PNG":
                if image.getcolors(256) is None:  # a palette of 256 keeps a screenshot sharp, at a third of the weight
                    if image.mode not in ("RGB", "RGBA"):
                        image = image.convert("RGBA" if "A" in image.mode or "transparency" in image.info else "RGB")
                    image = image.quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.FLOYDSTEINBERG)
                image.save(out, "PNG", optimize=True)
            elif kind == "JPEG":
                image.convert("RGB").save(out, "JPEG", quality=82, optimize=True, progressive=False)
            else:
                image.save(out, "WEBP", quality=80, method=6)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return data
    shrunk = out.getvalue()
    return shrunk if len(shrunk) < len(data) else data


@lru_cache(maxsize=128)
def _shrunk_file(real: Path, size: int, mtime_ns: int, max_width: int) -> bytes:
    return shrink(real.read_bytes(), max_width)


def packaged_bytes(real: Path, max_width: int | None) -> bytes:
    """What a package holds for an image file: shrunk (``max_width`` given, and worth it) or as
    it is. Shrunk once per file and run, however many modules show it."""
    if max_width is None:
        return real.read_bytes()
    size = image_size(real)
    if not wanted(real, size[0] if size else None, max_width):
        return real.read_bytes()
    stat = real.stat()
    return _shrunk_file(real, stat.st_size, stat.st_mtime_ns, max_width)


def packaged_size(real: Path, max_width: int | None) -> int:
    """The weight :func:`packaged_bytes` gives, reading the file only when it would be shrunk."""
    if max_width is None:
        return real.stat().st_size
    size = image_size(real)
    if not wanted(real, size[0] if size else None, max_width):
        return real.stat().st_size
    return len(packaged_bytes(real, max_width))
