"""``coursepack flyer``: one printed page per job path (the PDF's page count), in French, whose QR
codes read back (zxing-cpp, from the images inside the PDF Chromium printed) to the course's
Moodle page as publish recorded it and to the mediators' booking page."""

from __future__ import annotations

import io
import json

import pytest
import zxingcpp
from click.testing import CliRunner
from pypdf import PdfReader

from browser_support import NODE_MODULES
from conftest import COURSES
from packager.cli import cli
from packager.flyer.content import duration_text
from packager.model.checks import validate_catalogue
from test_publish import TOKEN, moodle, publish  # noqa: F401 - fixtures

BOOKING = "https://rdv.cc-troisvallees.fr/mediation-numerique"
JOBS = ("agent-administratif", "agent-collecte-dechets", "agent-mediatheque", "agent-voirie")


def flyer(tmp_path, *args: str):
    result = CliRunner().invoke(cli, ["flyer", str(COURSES), "--out", str(tmp_path / "flyers"), *args])
    assert "Traceback" not in result.output, result.output
    return result


def read_pdf(path) -> tuple[int, list[str], str]:
    """(pages, the QR codes of its first page, read back, its text)."""
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    first = reader.pages[0]
    codes = [code.text for image in first.images for code in zxingcpp.read_barcodes(image.image)]
    return len(reader.pages), codes, first.extract_text()


@pytest.mark.parametrize("size", ["A4", "A5"])
def test_each_job_path_prints_on_one_page_with_qr_codes_to_its_course_and_to_booking(publish, moodle, tmp_path, size) -> None:  # noqa: F811
    assert publish().exit_code == 0
    recorded = json.loads((publish.out / "moodle-courses.json").read_text(encoding="utf-8"))
    double = moodle.double
    expected = {c["idnumber"].split(":", 1)[1]: f"{moodle.url.rstrip('/')}/course/view.php?id={c['id']}"
                for c in double.courses.values()}
    assert recorded["courses"] == expected and len(expected) == 10

    result = flyer(tmp_path, "--published", str(publish.out), "--size", size)
    assert result.exit_code == 0, result.output
    catalogue = validate_catalogue(COURSES)
    for job in JOBS:
        pdf = tmp_path / "flyers" / f"{job}.pdf"
        pages, codes, text = read_pdf(pdf)
        assert pages == 1, (job, pages)
        assert codes == [expected[job], BOOKING], job
        width, height = (float(v) for v in PdfReader(pdf).pages[0].mediabox[2:])
        assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == ((210, 297) if size == "A4" else (148, 210))
        words = " ".join(text.split())
        assert catalogue.jobs[job].title in words and "Besoin d'aide ?" in words and "03 00 00 00 00" in words
        assert f"Durée : environ {duration_text(catalogue.jobs[job].duration_minutes)}" in words
        html = (tmp_path / "flyers" / f"{job}.html").read_text(encoding="utf-8")
        assert '<html lang="fr">' in html and "http" not in html.split("<body>")[0]  # nothing fetched
    assert "n'est pas encore publié" not in result.output


def test_a_job_path_not_published_yet_says_so(tmp_path) -> None:
    result = flyer(tmp_path, "--job", "agent-voirie", "--published", str(tmp_path / "nothing-here"))
    assert result.exit_code == 0, result.output
    assert [p.name for p in sorted((tmp_path / "flyers").iterdir())] == ["agent-voirie.html", "agent-voirie.pdf"]
    pages, codes, text = read_pdf(tmp_path / "flyers" / "agent-voirie.pdf")
    assert pages == 1 and codes == [BOOKING]
    assert "Cette formation n'est pas encore en ligne." in " ".join(text.split())
    assert "agent-voirie n'est pas encore publié" in result.output


def test_flyer_in_a_browser_has_no_accessibility_violation(tmp_path, browser) -> None:
    assert flyer(tmp_path, "--job", "agent-voirie").exit_code == 0
    page = browser.new_page()
    page.goto((tmp_path / "flyers" / "agent-voirie.html").as_uri())
    page.add_script_tag(path=str(NODE_MODULES / "axe-core" / "axe.min.js"))
    violations = page.evaluate("async () => (await axe.run()).violations.map(v => v.id)")
    assert violations == []
    page.close()


def test_unknown_job_path_is_one_line(tmp_path) -> None:
    result = flyer(tmp_path, "--job", "agent-inconnu")
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1] == ("Aucun parcours métier « agent-inconnu » : choisissez parmi "
                                                      "agent-administratif, agent-collecte-dechets, agent-mediatheque, agent-voirie.")


def test_without_chromium_the_html_is_written_and_the_reason_given(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("COURSEPACK_CHROMIUM", "no-such-chromium")
    result = flyer(tmp_path, "--job", "agent-voirie")
    assert result.exit_code == 1
    assert (tmp_path / "flyers" / "agent-voirie.html").is_file() and not (tmp_path / "flyers" / "agent-voirie.pdf").exists()
    assert "PDF non écrit : Chromium introuvable" in result.output


def test_duration_in_plain_words() -> None:
    assert [duration_text(m) for m in (1, 45, 60, 90, 120, 185)] == [
        "1 minute", "45 minutes", "1 heure", "1 h 30", "2 heures", "3 h 05"]


def test_a_dry_run_records_no_course_address(publish) -> None:  # noqa: F811
    assert publish("--dry-run").exit_code == 0
    assert not (publish.out / "moodle-courses.json").exists()
    assert publish().exit_code == 0
    (publish.out / "moodle-courses.json").unlink()
    assert "Moodle est déjà à jour." in publish().output  # the unchanged re-publish records them too
    assert len(json.loads((publish.out / "moodle-courses.json").read_text(encoding="utf-8"))["courses"]) == 10
