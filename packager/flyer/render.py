"""The flyer as one print-ready HTML page (A4 or A5, everything inline) and its PDF.

QR codes are made by segno and embedded as PNG data URIs: a printed QR code needs crisp modules,
which a PNG scaled by whole pixels gives, and a PDF keeps it as an image that can be read back."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import segno
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from packager.flyer.content import Flyer, duration_text
from packager.resources import templates_dir

SIZES = ("A4", "A5")


class PdfError(Exception):
    """Chromium is missing or did not print the page."""


def qr_data_uri(url: str) -> str:
    """A QR code for ``url``: error correction M (a crease or a smudge on paper), quiet zone of 4."""
    return segno.make(url, error="m", micro=False).png_data_uri(scale=10, border=4)


def render_html(flyer: Flyer, size: str = "A4") -> str:
    env = Environment(loader=FileSystemLoader(templates_dir() / "flyer"), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["duration"] = duration_text
    return env.get_template("flyer.html.j2").render(
        flyer=flyer, size=size, course_qr=qr_data_uri(flyer.course_url) if flyer.course_url else None,
        booking_qr=qr_data_uri(flyer.booking_url) if flyer.booking_url else None)


def chromium() -> str | None:
    """Debian's Chromium (COURSEPACK_CHROMIUM to name another)."""
    named = os.environ.get("COURSEPACK_CHROMIUM")
    if named:
        return named if shutil.which(named) else None
    return next((found for name in ("chromium", "chromium-browser", "google-chrome") if (found := shutil.which(name))), None)


def print_pdf(html: Path, pdf: Path, timeout: float = 120) -> None:
    """Print ``html`` to ``pdf`` with headless Chromium (its @page size and margins), written
    whole or not at all."""
    browser = chromium()
    if browser is None:
        raise PdfError("chromium")
    with tempfile.TemporaryDirectory(prefix="coursepack-flyer-") as profile:
        temp = Path(profile) / "out.pdf"
        command = [browser, "--headless", "--disable-gpu", "--no-pdf-header-footer", "--no-first-run",
                   f"--user-data-dir={profile}", f"--print-to-pdf={temp}", html.resolve().as_uri()]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.insert(1, "--no-sandbox")  # Chromium refuses to run its sandbox as root
        try:
            done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PdfError(str(exc)) from exc
        if done.returncode != 0 or not temp.is_file() or temp.stat().st_size == 0:
            said = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise PdfError(said[-1] if said else f"exit {done.returncode}")
        pdf.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(temp), str(pdf.with_suffix(".pdf.part")))
        os.replace(pdf.with_suffix(".pdf.part"), pdf)
